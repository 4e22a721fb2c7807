"""Cases: the list (search, filters, any sort) beside the open case; an empty state on first start."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from db.case_store import CaseQuery, CaseStore, StoredCase
from desktop.case_editor import CaseEditor
from desktop.cases_model import ID_ROLE, NAME, REFERENCE, STATUS_LABELS, UPDATED, CasesModel
from desktop.plan_panel import PlanPanel, default_opener
from desktop.tasks import TaskRunner
from planning.case import CASE_STATUSES, empty_document
from planning.i18n import N_, _, format_number, ngettext
from planning.knowledge.models import CostDefault, Pack, Rate
from planning.plan import Organisation

T_NO_CASES_YET = N_("No cases yet")


COUNT_CAP = 1000
"""A text search counts its matches up to this many (more shows as "1,000+")."""


def sample_documents() -> list[dict[str, Any]]:
    """The fictional sample cases that ship with the app."""
    text = (resources.files("resources") / "samples" / "sample_cases.json").read_text("utf-8")
    return json.loads(text)


class CasesPage(QWidget):
    """The list pages from SQLite; the editor saves every change by itself."""

    case_opened = Signal(int)
    source_requested = Signal(str)

    def __init__(
        self,
        store: CaseStore,
        pack: Pack,
        locale: str,
        who: str,
        parent: QWidget | None = None,
        rates: Callable[[], list[Rate]] | None = None,
        costs: Callable[[], list[CostDefault]] | None = None,
        tasks: TaskRunner | None = None,
        organisation: Callable[[], Organisation] | None = None,
        outbox: Path | None = None,
        opener: Callable[[Path], None] | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("casesPage")
        self.store, self.pack, self.locale, self.who = store, pack, locale, who
        self.model = CasesModel(store, pack, locale, parent=self)

        # --- list side ---
        self.search = QLineEdit(self)
        self.search.setObjectName("caseSearch")
        self.search.setPlaceholderText(_("Find a case: name, reference or notes"))
        self.search.setClearButtonEnabled(True)
        self.status_filter = QComboBox(self)
        self.status_filter.setObjectName("statusFilter")
        self.status_filter.addItem(_("All statuses"), None)
        for status in CASE_STATUSES:
            self.status_filter.addItem(_(STATUS_LABELS[status]), status)
        self.due_filter = QToolButton(self)
        self.due_filter.setObjectName("dueFilter")
        self.due_filter.setCheckable(True)
        self.new_button = QPushButton(_("New case"), self)
        self.new_button.setObjectName("newCase")
        self.new_button.setToolTip(_("New case (Ctrl+N)"))
        self.new_button.clicked.connect(self.new_case)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(60)
        self._search_timer.timeout.connect(self.apply_filters)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.status_filter.currentIndexChanged.connect(lambda _index: self.apply_filters())
        self.due_filter.toggled.connect(lambda _on: self.apply_filters())

        self.table = QTableView(self)
        self.table.setObjectName("casesTable")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(UPDATED, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.resizeSection(NAME, 220)
        header.resizeSection(REFERENCE, 120)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("caseCount")

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.new_button)
        filters = QHBoxLayout()
        filters.addWidget(self.status_filter)
        filters.addWidget(self.due_filter)
        filters.addStretch(1)
        list_side = QWidget(self)
        list_layout = QVBoxLayout(list_side)
        list_layout.setContentsMargins(0, 0, 0, 0)
        list_layout.addLayout(top)
        list_layout.addLayout(filters)
        list_layout.addWidget(self.table, 1)
        list_layout.addWidget(self.count_label)

        # --- editor side ---
        self.editor = CaseEditor(pack, locale, self._save, self._duplicates, self, rates, costs)
        self.editor.saved.connect(self._saved)
        self.editor.status_changed.connect(self._status_changed)
        self.editor.follow_up_changed.connect(self._follow_up_changed)
        self.editor.open_case.connect(self.open_case)
        self.editor.source_requested.connect(self.source_requested)
        self.plan_panel = PlanPanel(
            store,
            pack,
            tasks or TaskRunner(self),
            self._case_for_plan,
            rates or (lambda: list(pack.rates)),
            costs or (lambda: list(pack.cost_defaults)),
            organisation or Organisation,
            lambda: self.who,
            outbox or Path(tempfile.mkdtemp(prefix="careplan-outbox-")),
            opener or default_opener,
            self.editor,
        )
        self.editor.plan_tab = self.editor.tabs.addTab(self.plan_panel, _("Plan"))
        self.placeholder = QLabel(_("Choose a case from the list, or create one with Ctrl+N."), self)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.editor_stack = QStackedWidget(self)
        self.editor_stack.addWidget(self.placeholder)
        self.editor_stack.addWidget(self.editor)
        splitter = QSplitter(self)
        splitter.addWidget(list_side)
        splitter.addWidget(self.editor_stack)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([400, 800])

        # --- empty state (first start) ---
        self.empty = QWidget(self)
        self.empty.setObjectName("casesEmpty")
        empty_layout = QVBoxLayout(self.empty)
        empty_layout.addStretch(1)
        heading = QLabel(f"<h2>{_(T_NO_CASES_YET)}</h2>", self.empty)
        heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text = QLabel(
            _(
                "Create the first case while the patient is on the line: everything you type is saved as you "
                "type. Or add a few fictional sample cases to try the app."
            ),
            self.empty,
        )
        text.setWordWrap(True)
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        buttons = QHBoxLayout()
        first = QPushButton(_("New case"), self.empty)
        first.setObjectName("emptyNewCase")
        first.clicked.connect(self.new_case)
        samples = QPushButton(_("Add fictional sample cases"), self.empty)
        samples.setObjectName("addSamples")
        samples.clicked.connect(self.add_samples)
        buttons.addStretch(1)
        buttons.addWidget(first)
        buttons.addWidget(samples)
        buttons.addStretch(1)
        empty_layout.addWidget(heading)
        empty_layout.addWidget(text)
        empty_layout.addLayout(buttons)
        empty_layout.addStretch(2)

        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.empty)
        self.stack.addWidget(splitter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self.apply_filters()

    # --- the list ----------------------------------------------------------------------------

    def current_query(self) -> CaseQuery:
        return replace(
            self.model.query,
            text=self.search.text(),
            status=self.status_filter.currentData(),
            due_on=date.today() if self.due_filter.isChecked() else None,
        )

    def apply_filters(self) -> None:
        self._search_timer.stop()
        self.model.set_query(self.current_query())
        self._update_counts()
        self.stack.setCurrentIndex(0 if self.store.is_empty() else 1)
        if self.editor.case is not None:
            self._select(self.editor.case.id)

    def _update_counts(self) -> None:
        due = self.store.due_count(date.today())
        self.due_filter.setText(_("Follow-up due ({count})").format(count=due))
        total = self.model.total
        capped = bool(self.model.query.text.strip()) and total > COUNT_CAP
        shown = f"{format_number(COUNT_CAP)}+" if capped else format_number(total)
        self.count_label.setText(ngettext("{count} case", "{count} cases", total).format(count=shown))

    def _select(self, case_id: int) -> None:
        row = self.model.row_of(case_id)
        selection = self.table.selectionModel()
        if row < 0:
            selection.clearSelection()
            return
        blocked = selection.blockSignals(True)
        selection.setCurrentIndex(
            self.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
        )
        selection.blockSignals(blocked)
        self.table.scrollTo(self.model.index(row, 0))

    def _row_changed(self, current, _previous) -> None:
        case_id = current.data(ID_ROLE) if current.isValid() else None
        if case_id is not None and (self.editor.case is None or self.editor.case.id != case_id):
            self.open_case(case_id, select=False)

    # --- cases -------------------------------------------------------------------------------

    def open_case(self, case_id: int, select: bool = True) -> StoredCase | None:
        stored = self.store.get(case_id)
        if stored is None:
            return None
        self.editor.load(stored)
        self.plan_panel.set_case(case_id, (stored.document.get("patient") or {}).get("language"))
        self.editor_stack.setCurrentWidget(self.editor)
        self.stack.setCurrentIndex(1)
        if select:
            self._select(case_id)
        self.case_opened.emit(case_id)
        return stored

    def _case_for_plan(self) -> tuple[int, dict[str, Any], str] | None:
        """The open case as typed now (saved first), for the plan."""
        if self.editor.case is None:
            return None
        self.editor.flush()
        return self.editor.case.id, self.editor.current_document(), self.editor.case.reference

    def new_case(self) -> StoredCase:
        """A new, empty case, open with the cursor in the name field."""
        self.editor.flush()
        document = empty_document()
        document["coordinator"]["name"] = self.who or None
        stored = self.store.create(document, self.who)
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.apply_filters()
        self.open_case(stored.id)
        self.editor.focus_first_field()
        return stored

    def add_samples(self) -> None:
        for document in sample_documents():
            self.store.create(document, self.who, sample=True)
        self.apply_filters()
        if self.model.rows:
            self.open_case(self.model.rows[0].id)

    def _save(self, case_id: int, document: dict[str, Any]) -> None:
        self.store.save_document(case_id, document, self.who)

    def _saved(self, case_id: int) -> None:
        self.model.update_row(case_id)

    def _duplicates(self, name: str, born: str | None, case_id: int):
        return self.store.possible_duplicates(name, born, exclude=case_id)

    def _status_changed(self, case_id: int, status: str) -> None:
        self.store.set_status(case_id, status, self.who)
        self.model.update_row(case_id)
        self._update_counts()

    def _follow_up_changed(self, case_id: int, day: date | None) -> None:
        self.store.set_follow_up(case_id, day, self.who)
        self.model.update_row(case_id)
        self._update_counts()

    def flush(self) -> None:
        self.editor.flush()
