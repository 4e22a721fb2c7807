"""The audit log viewer: who did what to which case, and when; filtered, paged, exported as CSV.

The table model pages from the case store (the newest ``PAGE`` entries first, more as the view
scrolls) and is usable without a window. A filter (a reference or a name) searches the whole log.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from desktop.shared.plain import plain
from desktop.shared.widgets import push_button, row_table, set_placeholder
from planning.field_labels import field_name
from planning.i18n import N_, _, babel_locale, format_local_time, format_number, is_rtl, ngettext
from services.audit import write_audit_csv
from services.stores import ACTIONS, AuditEntry, CaseStore

ACTION_LABELS = {
    "created": N_("Case created"),
    "viewed": N_("Case viewed"),
    "edited": N_("Case edited"),
    "imported": N_("Case imported"),
    "exported": N_("Case exported"),
    "plan_generated": N_("Plan generated"),
    "plan_saved": N_("Plan saved as a file"),
    "printed": N_("Plan printed"),
    "emailed": N_("Plan e-mailed"),
    "data_exported": N_("Patient data exported"),
    "erased": N_("Patient erased"),
    "backup_restored": N_("Backup restored"),
    "passphrase_changed": N_("Passphrase changed"),
    "encryption_enabled": N_("Encryption turned on"),
    "call_logged": N_("Call logged"),
}
assert set(ACTION_LABELS) == set(ACTIONS), "every audit action needs a label"

PAGE = 500
"""Entries read at a time; the view asks for more as it scrolls to the end."""


def action_label(action: str) -> str:
    """An audit action in words, in the interface language (an unknown one as it is stored)."""
    label = ACTION_LABELS.get(action)
    return _(label) if label else action


def detail_text(entry: AuditEntry) -> str:
    """An entry's detail for people: the fields a "Case edited" entry names, by their labels in the
    interface language ("Diagnosis as reported", not ``clinical.diagnosis_text``). The store and the
    CSV export keep the paths (stable in every language, for tools); any other detail is as stored."""
    if entry.action != "edited" or not entry.detail:
        return entry.detail
    return ", ".join(field_name(path.strip()) for path in entry.detail.split(","))


class AuditModel(QAbstractTableModel):
    """The audit log, newest first; pages of ``page`` entries, the whole log when filtered."""

    WHEN, WHO, ACTION, REFERENCE, DETAIL = range(5)
    HEADERS = (N_("When"), N_("Who"), N_("What"), N_("Case"), N_("Detail"))

    def __init__(self, store: CaseStore, locale: str | None = None, page: int = PAGE, parent: Any = None):
        super().__init__(parent)
        self.store, self.locale, self.page = store, locale, page
        self.entries: list[AuditEntry] = []
        self.limit = page
        self.more = False
        self.text = ""
        self.rtl = is_rtl(babel_locale(locale))
        self.reload()

    # --- loading ------------------------------------------------------------------------------

    def _matching(self) -> list[AuditEntry]:
        if not self.text:
            found = self.store.audit_entries(limit=self.limit)
            self.more = len(found) == self.limit
            return found
        needle = self.text.casefold()
        found = [
            e
            for e in self.store.audit_entries()
            if needle in (e.reference or "").casefold() or needle in e.who.casefold()
        ]
        self.more = len(found) > self.limit
        return found[: self.limit]

    def reload(self) -> None:
        self.beginResetModel()
        self.entries = self._matching()
        self.endResetModel()

    def set_filter(self, text: str) -> None:
        """Show only entries whose case reference or coordinator contains ``text`` (any case)."""
        self.text = text.strip()
        self.limit = self.page
        self.reload()

    def show_all(self) -> None:
        """Read every entry (matching the filter) at once."""
        self.limit = 1 << 62
        self.reload()

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self.more

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or not self.more:
            return
        self.limit += self.page
        found = self._matching()
        known = len(self.entries)
        if len(found) > known and [e.id for e in found[:known]] == [e.id for e in self.entries]:
            self.beginInsertRows(QModelIndex(), known, len(found) - 1)
            self.entries = found
            self.endInsertRows()
        else:  # new entries arrived at the top meanwhile: start again
            self.beginResetModel()
            self.entries = found
            self.endResetModel()

    # --- the table ----------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(self.HEADERS[section])
        return None

    def text_at(self, row: int, column: int) -> str:
        entry = self.entries[row]
        if column == self.WHEN:
            return format_local_time(entry.at, self.locale, seconds=True)
        if column == self.WHO:
            return entry.who
        if column == self.ACTION:
            return action_label(entry.action)
        if column == self.REFERENCE:
            return entry.reference or ""
        return detail_text(entry)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            text = self.text_at(index.row(), index.column())
            if text and self.rtl and index.column() in (self.WHO, self.REFERENCE, self.DETAIL):
                text = "\u2068" + text + "\u2069"  # a first-strong isolate keeps Latin data in its own order
            return plain(text) if role == Qt.ItemDataRole.ToolTipRole else text  # names and file names as written
        if role == Qt.ItemDataRole.UserRole:
            return self.entries[index.row()]
        return None


class AuditDialog(QDialog):
    """The audit log in a table, with a filter and an export to CSV."""

    def __init__(self, store: CaseStore, locale: str | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("auditDialog")
        self.setWindowTitle(_("Audit log"))
        self.store = store
        self.last_message: QMessageBox | None = None
        self.model = AuditModel(store, locale, parent=self)

        intro = QLabel(
            _(
                "Every time patient data was created, viewed, changed, exported or erased: when, by whom "
                "(the coordinator name in Settings) and which case. Erased patients' entries keep no reference."
            ),
            self,
        )
        intro.setWordWrap(True)
        self.filter = QLineEdit(self)
        self.filter.setObjectName("auditFilter")
        set_placeholder(self.filter, _("Filter by case reference or coordinator"))
        self.filter.setClearButtonEnabled(True)
        self.filter.setAccessibleName(_("Filter the audit log"))
        self._debounce = QTimer(self, singleShot=True, interval=250)
        self._debounce.timeout.connect(self.apply_filter)
        self.filter.textChanged.connect(lambda _text: self._debounce.start())
        self.filter.returnPressed.connect(self.apply_filter)

        self.table = row_table(self.model, "auditTable", self)
        for column, width in ((AuditModel.WHEN, 190), (AuditModel.WHO, 150), (AuditModel.ACTION, 180)):
            self.table.setColumnWidth(column, width)
        self.table.setColumnWidth(AuditModel.REFERENCE, 120)

        self.count = QLabel(self)
        self.count.setObjectName("auditCount")
        self.show_all_button = push_button(_("Show all"), "auditShowAll", self.show_all, self)
        self.export_button = push_button(_("Export CSV…"), "auditExport", self.choose_export_target, self)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)

        top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count, 1)
        bottom.addWidget(self.show_all_button)
        bottom.addWidget(self.export_button)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self.model.modelReset.connect(self._show_count)
        self.model.rowsInserted.connect(self._show_count)
        self._show_count()
        self.resize(900, 560)

    def apply_filter(self) -> None:
        self._debounce.stop()
        self.model.set_filter(self.filter.text())

    def show_all(self) -> None:
        self.model.show_all()

    def _show_count(self, *_args: object) -> None:
        shown = self.model.rowCount()
        if self.model.more:
            text = ngettext("The newest {count} entry is shown.", "The newest {count} entries are shown.", shown)
        else:
            text = ngettext("{count} entry.", "{count} entries.", shown)
        self.count.setText(text.format(count=format_number(shown, self.model.locale)))
        self.show_all_button.setVisible(self.model.more)

    def choose_export_target(self) -> None:
        stamp = datetime.now().strftime("%Y-%m-%d")
        name = _("audit-log-{date}.csv").format(date=stamp)
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Export the audit log"), str(Path.home() / name), _("CSV file (*.csv)")
        )
        if path:
            self.export(Path(path))

    def export(self, path: Path) -> bool:
        """Write the whole log as CSV, whole or not at all; a failure is said in words."""
        try:
            rows = write_audit_csv(self.store, path)
        except OSError as exc:
            box = QMessageBox(
                QMessageBox.Icon.Warning,
                _("Audit log"),
                _("The audit log could not be saved to {path}: {reason}").format(path=path, reason=exc.strerror or exc),
                parent=self,
            )
            box.setObjectName("auditExportResult")
            box.setInformativeText(_("Nothing was written. Choose another folder and try again."))
            box.open()
            self.last_message = box
            return False
        self.count.setText(
            ngettext("{count} entry saved to {path}.", "{count} entries saved to {path}.", rows).format(
                count=format_number(rows, self.model.locale), path=path
            )
        )
        return True
