"""Cases: the list (search, filters, any sort) beside the open case; an empty state on first start."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QPoint, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.cases.case_switch import leave_case
from desktop.cases.checklist import CallChecklist
from desktop.cases.duplicate import duplicate_open_case
from desktop.cases.editor import CaseEditor
from desktop.cases.follow_up import FollowUps
from desktop.cases.model import CASE_COLUMNS_BY_PRIORITY, ID_ROLE, NAME, REFERENCE, STATUS_LABELS, UPDATED, CasesModel
from desktop.cases.prefill import Prefill
from desktop.plan.panel import PlanPanel, default_opener
from desktop.shared.column_fit import fit_columns
from desktop.shared.palette_sheet import follow_palette
from desktop.shared.plain import plain
from desktop.shared.tasks import TaskRunner
from desktop.shared.widgets import row_table, set_placeholder
from planning.case import CASE_STATUSES, empty_document
from planning.files import safe_file_name
from planning.i18n import N_, _, format_number, isolate, ngettext
from planning.knowledge.models import CostDefault, Pack, Rate
from resources import locate
from services.case_copy import WHAT_IS_COPIED
from services.settings import Preferences
from services.stores import (
    MAX_AGE_DAYS,
    CaseQuery,
    CaseStore,
    Erased,
    Exported,
    StoredCase,
    erase_patient,
    export_patient,
)

T_NO_CASES_YET = N_("No cases yet")


COUNT_CAP = 1000
"""A text search counts its matches up to this many (more shows as "1,000+")."""


class EraseDialog(QDialog):
    """Erasing a patient is confirmed by typing the case's reference; it says what goes and what stays."""

    def __init__(self, reference: str, name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("eraseDialog")
        self.setWindowTitle(_("Erase patient"))
        self.reference = reference
        icon = QLabel(self)
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_MessageBoxIconSize, None, self)
        icon.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(size, size))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        who = name or _("Name not entered yet")
        heading = QLabel(self)
        heading.setTextFormat(Qt.TextFormat.PlainText)
        title = _("Erase {name} ({reference}) for good?")
        heading.setText(title.format(name=isolate(who), reference=isolate(reference)))
        font = heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        heading.setFont(font)
        heading.setWordWrap(True)
        what = QLabel(
            _(
                "This removes the case, its change history, the calls logged, every plan version and the e-mail "
                "drafts made for it from this computer. It cannot be undone. To give the patient a copy, export "
                "their data first."
            ),
            self,
        )
        stays = QLabel(
            _(
                "The audit log keeps only that a case was erased, when and by whom. Backups, and the earlier "
                "stores a restore replaced, still hold the patient's data until they age out, within {days} days."
            ).format(days=MAX_AGE_DAYS),
            self,
        )
        prompt = QLabel(_("Type the case reference {reference} to confirm:").format(reference=isolate(reference)), self)
        for label in (what, stays, prompt):
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.PlainText)
        self.confirm = QLineEdit(self)
        self.confirm.setObjectName("eraseConfirm")
        set_placeholder(self.confirm, reference)
        self.confirm.setAccessibleName(_("Case reference"))
        prompt.setBuddy(self.confirm)
        self.buttons = QDialogButtonBox(self)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.erase_button = self.buttons.addButton(_("Erase patient"), QDialogButtonBox.ButtonRole.DestructiveRole)
        self.erase_button.setObjectName("eraseButton")
        self.erase_button.setEnabled(False)
        for button in (self.cancel_button, self.erase_button):
            button.setAutoDefault(False)
        self.erase_button.clicked.connect(self._erase)
        self.cancel_button.clicked.connect(self.reject)
        self.confirm.textChanged.connect(lambda _text: self.erase_button.setEnabled(self.confirmed()))
        self.confirm.returnPressed.connect(self._erase)

        text = QVBoxLayout()
        text.addWidget(heading)
        text.addWidget(what)
        text.addWidget(stays)
        text.addSpacing(6)
        text.addWidget(prompt)
        text.addWidget(self.confirm)
        body = QHBoxLayout()
        body.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        body.addSpacing(8)
        body.addLayout(text, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(body)
        layout.addSpacing(6)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(480)
        self.confirm.setFocus()

    def confirmed(self) -> bool:
        """The reference typed as shown (letter case and surrounding spaces do not matter)."""
        return self.confirm.text().strip().casefold() == self.reference.casefold()

    def _erase(self) -> None:
        if self.confirmed():
            self.accept()


def sample_documents() -> list[dict[str, Any]]:
    """The fictional sample cases that ship with the app."""
    text = locate("samples", "sample_cases.json").read_text("utf-8")
    return json.loads(text)


class CasesPage(QWidget):
    """The list pages from SQLite; the editor saves every change by itself."""

    case_opened = Signal(int)
    case_erased = Signal(str)
    source_requested = Signal(str)
    due_changed = Signal(int)
    """The follow-ups due today or overdue were counted (again): how many."""

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
        preferences: Callable[[], Preferences] | None = None,
        outbox: Path | None = None,
        opener: Callable[[Path], None] | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("casesPage")
        self.store, self.pack, self.locale, self.who = store, pack, locale, who
        self.today: Callable[[], date] = date.today
        """Today's date, for what is due (tests give their own day)."""
        self.model = CasesModel(store, pack, locale, parent=self)
        self._selecting = False

        # --- list side ---
        self.search = QLineEdit(self)
        self.search.setObjectName("caseSearch")
        set_placeholder(self.search, _("Find a case: name, reference, phone, e-mail or notes"))
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
        # the open case's actions: the "…" button beside New case, the list's context menu, the editor's header
        self.case_menu = QMenu(self)
        self.case_menu.setObjectName("caseMenu")
        self.case_menu.setToolTipsVisible(True)
        self.duplicate_action = self.case_menu.addAction(_("Duplicate case"))
        self.duplicate_action.setObjectName("duplicateCase")
        self.duplicate_action.setToolTip(_(WHAT_IS_COPIED))
        self.duplicate_action.setStatusTip(_(WHAT_IS_COPIED))
        self.duplicate_action.triggered.connect(self.duplicate_case)
        self.case_menu.addSeparator()
        self.export_action = self.case_menu.addAction(_("Export patient data…"))
        self.export_action.setObjectName("exportPatientData")
        self.export_action.triggered.connect(self.export_patient_data)
        self.case_menu.addSeparator()
        self.erase_action = self.case_menu.addAction(_("Erase patient…"))
        self.erase_action.setObjectName("erasePatient")
        self.erase_action.triggered.connect(self.confirm_erase)
        self.list_tools = self._tool_button("caseListTools")
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(60)
        self._search_timer.timeout.connect(self.apply_filters)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.status_filter.currentIndexChanged.connect(lambda _index: self.apply_filters())
        self.due_filter.toggled.connect(lambda _on: self.apply_filters())

        self.table = row_table(self.model, "casesTable", self)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(UPDATED, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.resizeSection(NAME, 220)
        header.resizeSection(REFERENCE, 120)
        fit_columns(self.table, CASE_COLUMNS_BY_PRIORITY)  # no horizontal scrolling: Status always whole
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._table_menu)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("caseCount")

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.new_button)
        top.addWidget(self.list_tools)
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
        self.editor.field_edited.connect(self._field_edited)
        self.editor.status_changed.connect(self._status_changed)
        self.editor.follow_up_changed.connect(self._follow_up_changed)
        self.editor.open_case.connect(self.open_case)
        self.editor.source_requested.connect(self.source_requested)
        # the default currency of a new case; the language and currency the nationality suggests
        self.prefill = Prefill(self.editor, rates or (lambda: list(pack.rates)), preferences or Preferences)
        self.editor_tools = self._tool_button("caseEditorTools")
        self.editor.header.addWidget(self.editor_tools)
        self.plan_panel = PlanPanel(
            store,
            pack,
            tasks or TaskRunner(self),
            self._case_for_plan,
            rates or (lambda: list(pack.rates)),
            costs or (lambda: list(pack.cost_defaults)),
            preferences or Preferences,
            lambda: self.who,
            outbox or Path(tempfile.mkdtemp(prefix="careplan-outbox-")),
            opener or default_opener,
            self.editor,
        )
        self.plan_panel.plan_sent.connect(self._plan_sent)
        self.plan_panel.field_requested.connect(self.editor.focus_field)
        self.editor.plan_tab = self.editor.tabs.addTab(self.plan_panel, _("Plan"))
        self.follow_ups = FollowUps(self)  # the Timeline tab, Log a call, the follow-ups due
        self.call_checklist = CallChecklist(self, preferences or Preferences)  # Print call checklist… (case menu)
        self.placeholder = QLabel(_("Choose a case from the list, or create one with Ctrl+N."), self)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.editor_stack = QStackedWidget(self)
        self.editor_stack.addWidget(self.placeholder)
        self.editor_stack.addWidget(self.editor)
        splitter = self.splitter = QSplitter(self)
        splitter.setObjectName("casesSplitter")
        splitter.addWidget(list_side)
        splitter.addWidget(self.editor_stack)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([400, 800])
        self.notice = QLabel(self)
        self.notice.setObjectName("casesNotice")
        self.notice.setWordWrap(True)
        self.notice.setTextFormat(Qt.TextFormat.PlainText)
        self.notice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        follow_palette(  # dark in the dark appearance, also when it is chosen while the window is open
            self.notice,
            "QLabel#casesNotice { padding: 6px 10px; border: 1px solid palette(mid); border-radius: 4px;"
            " background: palette(alternate-base); }",
        )
        self.notice.hide()
        cases_view = QWidget(self)
        cases_layout = QVBoxLayout(cases_view)
        cases_layout.setContentsMargins(0, 0, 0, 0)
        cases_layout.addWidget(self.notice)
        cases_layout.addWidget(self.follow_ups.notice)
        cases_layout.addWidget(splitter, 1)

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
        self.stack.addWidget(cases_view)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self._update_case_actions()
        self.apply_filters()

    def _tool_button(self, name: str) -> QToolButton:
        button = QToolButton(self)
        button.setObjectName(name)
        button.setText("…")
        button.setToolTip(_("More for this case: export or erase the patient's data"))
        button.setAccessibleName(_("More for this case"))
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        button.setMenu(self.case_menu)
        button.setStyleSheet("QToolButton::menu-indicator { image: none; width: 0; }")
        button.setMinimumWidth(button.sizeHint().height() + 8)
        return button

    # --- the list ----------------------------------------------------------------------------

    def current_query(self) -> CaseQuery:
        return replace(
            self.model.query,
            text=self.search.text(),
            status=self.status_filter.currentData(),
            due_on=self.today() if self.due_filter.isChecked() else None,
        )

    def apply_filters(self) -> None:
        self._search_timer.stop()
        self.model.set_query(self.current_query())
        self._update_counts()
        self.stack.setCurrentIndex(0 if self.store.is_empty() else 1)
        if self.editor.case is not None:
            self._select(self.editor.case.id)

    def _update_counts(self) -> None:
        due = self.store.due_count(self.today())
        self.due_filter.setText(_("Follow-up due ({count})").format(count=due))
        self.due_changed.emit(due)
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
        # not with the model's signals blocked: the view would never hear that the previous row was
        # deselected and would go on painting it selected beside this one (two rows highlighted)
        self._selecting = True
        try:
            selection.setCurrentIndex(
                self.model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
            )
        finally:
            self._selecting = False
        self.table.scrollTo(self.model.index(row, 0))

    def _row_changed(self, current, _previous) -> None:
        if self._selecting:  # the row of the case being opened, selected by open_case itself
            return
        case_id = current.data(ID_ROLE) if current.isValid() else None
        if case_id is not None and (self.editor.case is None or self.editor.case.id != case_id):
            self.open_case(case_id, select=False)

    # --- cases -------------------------------------------------------------------------------

    def open_case(self, case_id: int, select: bool = True) -> StoredCase | None:
        stored = self.store.get(case_id)
        if stored is None:
            return None
        opening = self.editor.case is None or self.editor.case.id != case_id
        if opening:
            leave_case(self)  # nothing said about the case left stays shown; every tab at its top
        self.editor.load(stored)
        if opening:
            self.store.audit(self.who, "viewed", case_id)
            self.notice.hide()
        self._update_case_actions()
        self.plan_panel.set_case(case_id, (stored.document.get("patient") or {}).get("language"))
        self.editor_stack.setCurrentWidget(self.editor)
        self.stack.setCurrentIndex(1)
        if select:
            self._select(case_id)
        self.case_opened.emit(case_id)
        return stored

    def _update_case_actions(self) -> None:
        open_case = self.editor.case is not None
        for action in (self.duplicate_action, self.export_action, self.erase_action):
            action.setEnabled(open_case)
        self.list_tools.setEnabled(open_case)

    def _table_menu(self, position: QPoint) -> None:
        index = self.table.indexAt(position)
        case_id = index.data(ID_ROLE) if index.isValid() else None
        if case_id is None:
            return
        if self.editor.case is None or self.editor.case.id != case_id:
            self.open_case(case_id)
        self.case_menu.popup(self.table.viewport().mapToGlobal(position))

    def show_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.show()

    # --- the patient's rights: export and erase ------------------------------------------------

    def export_patient_data(self) -> Exported | None:
        """Ask where, then write everything about the open case's patient to one .zip file."""
        case = self.editor.case
        if case is None:
            return None
        default = Path.home() / safe_file_name(case.reference, "data", suffix=".zip")
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Export patient data"), str(default), _("ZIP archive (*.zip)")
        )
        if not path:
            return None
        target = Path(path)
        if target.suffix.casefold() != ".zip":
            target = target.with_name(target.name + ".zip")
        return self.export_patient_data_to(target)

    def export_patient_data_to(self, target: Path) -> Exported | None:
        case = self.editor.case
        if case is None:
            return None
        self.editor.flush()
        try:
            result = export_patient(self.store, case.id, target, self.who)
        except OSError as exc:
            QMessageBox.warning(
                self,
                _("Export patient data"),
                plain(
                    _("The patient's data could not be exported: {reason}. Nothing was written.").format(
                        reason=exc.strerror or exc
                    )
                ),
            )
            return None
        self.show_notice(
            ngettext(
                "All data of case {reference} ({count} plan PDF) is saved in {path}. It holds personal data: "
                "keep it safe.",
                "All data of case {reference} ({count} plan PDFs) is saved in {path}. It holds personal data: "
                "keep it safe.",
                result.plans,
            ).format(reference=isolate(result.reference), count=result.plans, path=isolate(str(target)))
        )
        return result

    def confirm_erase(self) -> Erased | None:
        """Erase the open case's patient once the coordinator has typed its reference in the dialog."""
        case = self.editor.case
        if case is None:
            return None
        if self.plan_panel.busy:
            self.show_notice(_("A plan is being made for this case; erase it once the plan is ready."))
            return None
        self.editor.flush()
        name = self.editor.fields["patient.full_name"].value() or ""
        dialog = EraseDialog(case.reference, name, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return self.erase_case(case.id)

    def erase_case(self, case_id: int) -> Erased:
        """Erase a patient (case, history, plans, outbox files); the case closes and leaves the list."""
        if self.editor.case is not None and self.editor.case.id == case_id:
            self.close_case()
        result = erase_patient(self.store, case_id, self.who, self.plan_panel.outbox)
        self.apply_filters()
        if result.log_held:
            self.show_notice(
                _(
                    "Case {reference} is erased from the cases, but another program (a second CarePlan Desk or "
                    "a careplan command) is reading the case store, so its files still hold the patient until "
                    "every program using the store is closed. Close them to finish the erase."
                ).format(reference=isolate(result.reference))
            )
        else:
            self.show_notice(
                _(
                    "Case {reference} is erased. Backups, and the earlier stores a restore replaced, still hold "
                    "it until they age out, within {days} days."
                ).format(reference=isolate(result.reference), days=MAX_AGE_DAYS)
            )
        self.case_erased.emit(result.reference)
        return result

    def close_case(self) -> None:
        """Show no case: unsaved edits are saved first, then the editor is emptied of the case."""
        self.editor.flush()
        leave_case(self)
        self.editor.case = None
        self.editor.undo_stack.clear()
        self.plan_panel.clear()
        self.editor_stack.setCurrentWidget(self.placeholder)
        self.table.selectionModel().clearSelection()
        self._update_case_actions()

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
        document["preferences"]["currency"] = currency = self.prefill.default_currency()
        stored = self.store.create(document, self.who)
        self.prefill.remember(stored.id, "preferences.currency", currency)
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.apply_filters()
        self.open_case(stored.id)
        self.editor.focus_first_field()
        return stored

    def duplicate_case(self) -> StoredCase | None:
        """A new case from the open one (the same patient's new episode), opened and selected."""
        return duplicate_open_case(self)

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

    def _field_edited(self, path: str) -> None:
        if path == "patient.language":  # the plan's language follows the patient's, saved or not yet
            self.plan_panel.follow_patient_language(self.editor.fields[path].value())

    def _plan_sent(self, case_id: int) -> None:
        """A plan was confirmed sent: the header and the list row show the case's new status and follow-up."""
        stored = self.store.get(case_id)
        if stored is None:
            return
        self.editor.show_row(stored.row)
        self.model.update_row(case_id)
        self._update_counts()

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

    def pause_saving(self) -> None:
        self.editor.pause_saving()

    def resume_saving(self) -> None:
        self.editor.resume_saving()
