"""The global search field: answers as you type; arrow keys and Enter open a result.

It finds the knowledge pack's records and the cases (services.search.search_everything): a case shows its
name and reference, then its status and, when it was found by them, the phone number or e-mail address
that matched, or that its notes did; Enter opens it in the Cases page."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from desktop.cases.model import STATUS_LABELS
from desktop.shared.plain import plain
from desktop.shared.widgets import set_placeholder
from planning.i18n import N_, _
from services.search import CaseHit, QueryTooLong

if TYPE_CHECKING:
    from services.search import Hit

KIND_LABELS = {
    "therapy": N_("Therapy"),
    "indication": N_("Indication"),
    "faq": N_("Question"),
    "destination": N_("Destination"),
    "journey": N_("The journey"),
    "glossary": N_("Word"),
    "case": N_("Case"),
}
INDICATION_STATUS = {
    "approved": N_("CAR-T approved somewhere"),
    "investigational": N_("investigational"),
    "trials_only": N_("Investigational: trials only"),
}
"""An indication hit's second line: its status in words (the pack holds the code)."""
FOUND_BY = {
    "phone": N_("Phone {value}"),
    "email": N_("E-mail {value}"),
    "notes": N_("Found in the notes"),
}
"""What a case hit's second line adds when the case was found by a field that its first line does not show."""


def hit_text(hit: Hit) -> tuple[str, str, str]:
    """The two lines a result shows, and its (kind, ref) as the window opens it: a case by its id."""
    if isinstance(hit, CaseHit):
        row = hit.row
        name = row.full_name or _("(no name yet)")
        title = f"{name} · {row.reference}"
        kind = KIND_LABELS["case"]  # looked up outside _(): the extractor would take "case" for a text
        parts = [_(kind), _(STATUS_LABELS.get(row.status, row.status))]
        if hit.matched in FOUND_BY and (hit.detail or hit.matched == "notes"):
            parts.append(_(FOUND_BY[hit.matched]).format(value=hit.detail))
        return title, " · ".join(parts), str(row.id)
    detail = (
        _(INDICATION_STATUS[hit.subtitle])
        if hit.kind == "indication" and hit.subtitle in INDICATION_STATUS
        else hit.subtitle
    )
    subtitle = _(KIND_LABELS.get(hit.kind, hit.kind)) + (f" · {detail}" if detail else "")
    return hit.title, subtitle, hit.ref


class SearchResults(QFrame):
    """A drop-down list under the search field, inside the window (it never takes the focus)."""

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.setObjectName("searchResults")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.list = QListWidget(self)
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        # rows of their own height (scripts differ), one line each cut with "…", never a sideways scroll bar
        self.list.setUniformItemSizes(False)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(1, 1, 1, 1)
        layout.addWidget(self.list)
        self.hide()


class SearchBox(QLineEdit):
    """Type to search; Down/Up (and Page Down/Page Up) move through the results, Enter opens one, Escape
    closes the list."""

    opened = Signal(str, str)  # kind, ref

    def __init__(self, search: Callable[[str], list[Hit]] | None, parent: QWidget):
        super().__init__(parent)
        self._search = search
        self.setObjectName("globalSearch")
        self.setClearButtonEnabled(True)
        set_placeholder(self, _("Search cases, therapies, indications, questions, destinations (Ctrl+K)"))
        self.setAccessibleName(_("Search"))
        self.results = SearchResults(self.window())
        self.results.list.itemClicked.connect(self._open_item)
        self.textChanged.connect(self.refresh)
        self.installEventFilter(self)

    def set_search(self, search: Callable[[str], list[Hit]]) -> None:
        self._search = search
        self.refresh()

    def hits(self) -> list[tuple[str, str]]:
        """(kind, ref) of the results shown, in order."""
        return [self.results.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.results.list.count())]

    def refresh(self) -> None:
        text = self.text().strip()
        listing = self.results.list
        listing.clear()
        if not text or self._search is None:
            self.results.hide()
            return
        try:
            hits = self._search(text)
        except QueryTooLong as exc:  # a pasted page: say so instead of searching
            item = QListWidgetItem(exc.localized())
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            listing.addItem(item)
            self._place()
            self.results.show()
            self.results.raise_()
            return
        for hit in hits:
            title, subtitle, ref = hit_text(hit)
            item = QListWidgetItem(f"{title}\n{subtitle}")
            item.setData(Qt.ItemDataRole.UserRole, ("case" if isinstance(hit, CaseHit) else hit.kind, ref))
            item.setToolTip(plain(title))
            listing.addItem(item)
        if not hits:
            item = QListWidgetItem(_("No results for “{text}”").format(text=text))
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            listing.addItem(item)
        else:
            listing.setCurrentRow(0)
        self._place()
        self.results.show()
        self.results.raise_()

    def _place(self) -> None:
        window = self.window()
        top_left = self.mapTo(window, QPoint(0, self.height() + 2))
        listing = self.results.list
        rows = min(listing.count(), 8)
        # each row's own height: a name in Arabic or Chinese script is taller than a Latin one
        content = sum(max(listing.sizeHintForRow(i), 1) for i in range(rows)) if rows else self.height()
        height = content + 2 * listing.frameWidth() + 2 + 6
        self.results.setGeometry(top_left.x(), top_left.y(), max(self.width(), 420), height)

    def _open_item(self, item: QListWidgetItem | None) -> None:
        if item is None or not item.flags() & Qt.ItemFlag.ItemIsEnabled:
            return
        kind, ref = item.data(Qt.ItemDataRole.UserRole)
        self.results.hide()
        self.opened.emit(kind, ref)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self and event.type() == QEvent.Type.KeyPress and self.results.isVisible():
            key = event.key()
            listing = self.results.list
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
                page = max(listing.height() // max(listing.sizeHintForRow(0), 1), 1)
                step = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_PageDown: page}.get(key, -page)
                row = max(0, min(listing.count() - 1, listing.currentRow() + step))
                listing.setCurrentRow(row)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._open_item(listing.currentItem())
                return True
            if key == Qt.Key.Key_Escape:
                self.results.hide()
                return True
        if watched is self and event.type() == QEvent.Type.FocusOut:
            # Let a click on a result land first; the list has no focus, so hide a moment later.
            QTimer.singleShot(150, self._hide_unless_focused)
        return super().eventFilter(watched, event)

    def _hide_unless_focused(self) -> None:
        if not self.hasFocus():
            self.results.hide()

    def resizeEvent(self, event) -> None:  # keep the list under the field
        super().resizeEvent(event)
        if self.results.isVisible():
            self._place()
