"""The case list as a table model that pages from SQLite: never all rows, one page at a time.

The view asks for more as it scrolls (canFetchMore/fetchMore); each page is a keyset query on an
index, so the first page and every later one cost the same at 100,000 cases. Tested without a window.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from planning.i18n import N_, _, format_partial_date
from planning.knowledge.models import Pack, pick
from services.stores import CaseQuery, CaseRow, CaseStore

T_SAMPLE = N_("sample")


PAGE = 100
ID_ROLE = Qt.ItemDataRole.UserRole + 1

NAME, REFERENCE, STATUS, FOLLOW_UP, INDICATION, UPDATED = range(6)
CASE_COLUMNS_BY_PRIORITY = (NAME, STATUS, FOLLOW_UP, REFERENCE, UPDATED, INDICATION)
"""The list's columns, most important first: a narrow list hides the last ones rather than scroll sideways."""
HEADERS = {
    NAME: N_("Patient"),
    REFERENCE: N_("Reference"),
    STATUS: N_("Status"),
    FOLLOW_UP: N_("Follow-up"),
    INDICATION: N_("Indication"),
    UPDATED: N_("Updated"),
}
SORT_OF_COLUMN = {
    NAME: "name",
    REFERENCE: "reference",
    STATUS: "status",
    FOLLOW_UP: "follow_up",
    INDICATION: "indication",
    UPDATED: "updated",
}
STATUS_LABELS = {
    "new": N_("New"),
    "counseling": N_("Counseling"),
    "plan_sent": N_("Plan sent"),
    "follow_up": N_("Follow-up"),
    "closed": N_("Closed"),
}


_ROLES = frozenset(
    {
        ID_ROLE,
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.FontRole,
    }
)
"""The roles ``data`` answers."""


@lru_cache(maxsize=4096)
def _day(day: str, locale: str) -> str:
    """A date as the list shows it, formatted once: the view asks for every visible cell at each paint and
    each fit of the columns to their contents (desktop/shared/column_fit.py), and most rows share a few days."""
    return format_partial_date(day, locale)


class CasesModel(QAbstractTableModel):
    def __init__(self, store: CaseStore, pack: Pack, locale: str, today: date | None = None, parent=None):
        super().__init__(parent)
        self.store, self.locale = store, locale
        self.today = today or date.today()
        self.indication_names = {i.code: pick(i.name, locale) for i in pack.indications}
        self.query = CaseQuery()
        self.rows: list[CaseRow] = []
        self._next: tuple | None = None
        self.total = 0

    # --- paging ------------------------------------------------------------------------------

    def set_query(self, query: CaseQuery) -> None:
        """Show the first page of ``query``; later pages arrive as the view scrolls."""
        self.beginResetModel()
        self.query = query
        self.rows, self._next = self.store.page(query, limit=PAGE)
        self.total = self.store.count(query, cap=1000)
        self.endResetModel()

    def refresh(self) -> None:
        """Query again, keeping as many rows loaded as before (after an edit or an import)."""
        wanted = max(len(self.rows), PAGE)
        self.beginResetModel()
        self.rows, self._next = self.store.page(self.query, limit=wanted)
        self.total = self.store.count(self.query, cap=1000)
        self.endResetModel()

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> bool:
        return self._next is not None and not (parent is not None and parent.isValid())

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> None:
        if self._next is None:
            return
        rows, following = self.store.page(self.query, after=self._next, limit=PAGE)
        if rows:
            self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(rows) - 1)
            self.rows.extend(rows)
            self.endInsertRows()
        self._next = following

    def update_row(self, case_id: int) -> None:
        """Refresh one loaded row in place (its name or status changed)."""
        for index, row in enumerate(self.rows):
            if row.id == case_id:
                stored = self.store.get(case_id)
                if stored is not None:
                    self.rows[index] = stored.row
                    self.dataChanged.emit(self.index(index, 0), self.index(index, len(HEADERS) - 1))
                return

    def row_of(self, case_id: int) -> int:
        return next((i for i, row in enumerate(self.rows) if row.id == case_id), -1)

    # --- the table ---------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(HEADERS[section])
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorting is a new query on an index, not a sort of the loaded rows."""
        from dataclasses import replace

        descending = order == Qt.SortOrder.DescendingOrder
        self.set_query(replace(self.query, sort=SORT_OF_COLUMN[column], descending=descending))

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if role not in _ROLES or not index.isValid() or index.row() >= len(self.rows):
            return None  # the view asks for many roles of every cell, most of them unused here: answered first
        row = self.rows[index.row()]
        column = index.column()
        if role == ID_ROLE:
            return row.id
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == FOLLOW_UP and row.due(self.today):
                return _("Follow-up due")
            if column == NAME and row.sample:
                return _("A fictional sample case, for trying the app")
            if column == NAME and row.problems:
                return _("Some fields need checking")
            return None
        if role == Qt.ItemDataRole.ForegroundRole and column == FOLLOW_UP and row.due(self.today):
            return QColor("#d93025")
        if role == Qt.ItemDataRole.FontRole and column == FOLLOW_UP and row.due(self.today):
            font = QFont()
            font.setBold(True)
            return font
        return None

    def _text(self, row: CaseRow, column: int) -> str:
        if column == NAME:
            name = row.full_name or _("(no name yet)")
            return f"{name} · {_(T_SAMPLE)}" if row.sample else name
        if column == REFERENCE:
            return row.reference
        if column == STATUS:
            return _(STATUS_LABELS.get(row.status, row.status))
        if column == FOLLOW_UP:
            if not row.follow_up:
                return ""
            text = _day(row.follow_up, self.locale)
            return f"⚑ {text}" if row.due(self.today) else text
        if column == INDICATION:
            return self.indication_names.get(row.indication or "", row.indication or "")
        return _day(row.updated_at[:10], self.locale)
