"""Comparing two plan versions in the Plan tab: "Compare…" under the list of versions shows what changed
(destinations, totals, language, screening verdicts, exchange rates, knowledge pack) in a dialog of plain
text. Two versions selected (Ctrl+click) compare with each other; one compares with the version before it
(the first version with the one after it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from planning.i18n import _
from planning.plan_diff import PlanDiff, describe, version_label
from services.plan_compare import case_version_numbers, compare_versions

if TYPE_CHECKING:
    from desktop.plan.panel import PlanPanel

VERSION_ROLE = 0x0100
"""Where the Plan tab's list keeps each item's version id (Qt.UserRole)."""


class CompareDialog(QDialog):
    """What changed from one plan version to another, one line per change, selectable and copyable."""

    def __init__(self, diff: PlanDiff, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("planCompare")
        self.setWindowTitle(_("Compare plan versions"))
        self.diff = diff
        heading = QLabel(self)
        heading.setObjectName("planCompareHeading")
        heading.setTextFormat(Qt.TextFormat.PlainText)
        heading.setWordWrap(True)
        heading.setText(
            _("From the plan of {old}\nto the plan of {new}").format(
                old=version_label(diff.old), new=version_label(diff.new)
            )
        )
        self.changes = QPlainTextEdit(self)
        self.changes.setObjectName("planCompareChanges")
        self.changes.setReadOnly(True)
        self.changes.setPlainText("\n".join(f"• {line}" for line in describe(diff)))
        self.changes.setAccessibleName(_("What changed"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.changes, 1)
        layout.addWidget(buttons)
        self.resize(620, 380)

    def text(self) -> str:
        return self.changes.toPlainText()


class CompareButton(QPushButton):
    """The Plan tab's "Compare…" under its list of versions: enabled with two versions or more."""

    def __init__(self, panel: PlanPanel):
        super().__init__(_("Compare…"), panel)
        self.setObjectName("comparePlans")
        self.setToolTip(
            _(
                "What changed between two plan versions: select two (Ctrl+click), or one to compare it with the "
                "version before it"
            )
        )
        self.panel = panel
        panel.versions.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self._model = panel.versions.model()
        for signal in (self._model.rowsInserted, self._model.rowsRemoved, self._model.modelReset):
            signal.connect(self._update)  # a method: disconnected when the button goes
        self.clicked.connect(self._compare)
        self._update()

    def _update(self, *_args: object) -> None:
        self.setEnabled(self._model.rowCount() >= 2)

    def _compare(self) -> None:
        show_comparison(self.panel)


def compare_button(panel: PlanPanel) -> QPushButton:
    """The "Compare…" button for ``panel``'s list of versions; the list lets two versions be selected."""
    return CompareButton(panel)


def chosen_versions(panel: PlanPanel) -> tuple[int, int] | None:
    """The two versions to compare (their store ids): the oldest and newest selected when two or more are;
    else the current one and the one before it (after it, for the first); None with fewer than two versions."""
    versions = panel.versions
    ids = [versions.item(row).data(VERSION_ROLE) for row in range(versions.count())]  # newest first
    if len(ids) < 2:
        return None
    selected = sorted(item.data(VERSION_ROLE) for item in versions.selectedItems())
    if len(selected) >= 2:
        return selected[0], selected[-1]
    row = versions.currentRow() if versions.currentRow() >= 0 else 0
    other = row + 1 if row + 1 < len(ids) else row - 1
    return ids[other], ids[row]


def show_comparison(panel: PlanPanel, *, modal: bool = True) -> CompareDialog | None:
    """Open the comparison of the chosen versions (``modal``: wait until it is closed)."""
    chosen = chosen_versions(panel)
    if chosen is None or panel.case_id is None:
        return None
    numbers = case_version_numbers(panel.store, panel.case_id)  # as the timeline counts: 1, 2, …
    if not all(version_id in numbers for version_id in chosen):
        return None  # a version removed meanwhile
    first, second = (numbers[version_id] for version_id in chosen)
    dialog = CompareDialog(compare_versions(panel.store, panel.case_id, first, second), panel)
    if modal:
        dialog.exec()
    else:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
    return dialog
