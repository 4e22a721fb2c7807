"""The help window: the guide's pages in a contents list, Back, and find-in-page; non-modal, beside the main
window. And the Help menu's two entries that open it (User guide, F1; Keyboard shortcuts).

Nothing it shows leaves the computer: links open only another page of the guide or an anchor in the page,
and no image or other resource is ever loaded (``loadResource`` answers nothing). Colours are the palette's,
so the page reads in light and dark; the window follows the application's direction (right to left in
Arabic), and so does the text."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut, QTextDocument
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.help.content import PAGES, SHORTCUTS, page_markdown, page_title
from desktop.help.shortcut_sheet import sheet_html, shortcut_rows
from desktop.shared.widgets import set_placeholder
from planning.i18n import _

GUIDE_KEY = QKeySequence.StandardKey.HelpContents
"""F1 (on macOS the platform's own help key)."""
SHORTCUTS_KEY = "Ctrl+/"


class GuideBrowser(QTextBrowser):
    """A page of the guide: opens no link itself and loads nothing (no images, no style sheets)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setObjectName("helpPage")

    def loadResource(self, kind: int, name: QUrl | str) -> object:
        return None


class HelpWindow(QWidget):
    """The guide in the interface language; ``window`` is the main window, whose actions the shortcut
    sheet lists. A window of its own (Qt.Window), owned by the main window so it closes with it."""

    page_shown = Signal(str)

    def __init__(self, window: QMainWindow, locale: str):
        super().__init__(window, Qt.WindowType.Window)
        self.main_window, self.language = window, locale
        self.setObjectName("helpWindow")
        self.setWindowTitle(_("CarePlan Desk user guide"))
        self.resize(900, 640)
        self.current: str | None = None
        self.history: list[str] = []

        self.contents = QListWidget(self)
        self.contents.setObjectName("helpContents")
        self.contents.setAccessibleName(_("Contents"))
        for name in (*PAGES, SHORTCUTS):
            title = _("Keyboard shortcuts") if name == SHORTCUTS else page_title(page_markdown(name, locale))
            item = QListWidgetItem(title)
            item.setData(Qt.ItemDataRole.UserRole, name)
            self.contents.addItem(item)
        self.contents.setMinimumWidth(180)
        self.contents.currentItemChanged.connect(self._item_chosen)
        self.page = GuideBrowser(self)
        self.page.anchorClicked.connect(self.follow)

        self.back_button = QPushButton(_("&Back"), self)
        self.back_button.setObjectName("helpBack")
        self.back_button.setEnabled(False)
        self.back_button.clicked.connect(self.back)
        self.find_field = QLineEdit(self)
        self.find_field.setObjectName("helpFind")
        self.find_field.setClearButtonEnabled(True)
        self.find_field.setMinimumWidth(240)
        set_placeholder(self.find_field, _("Find in this page"))
        self.find_field.textChanged.connect(lambda _text: self.find_text(from_start=True))
        self.find_field.returnPressed.connect(self.find_text)
        self.find_state = QLabel(self)
        self.find_state.setObjectName("helpFindState")
        self.find_state.setTextFormat(Qt.TextFormat.PlainText)
        # keys of this window only (its own context, never clashing with the main window's)
        self.keys: list[QShortcut] = []
        for sequence, slot in (
            (QKeySequence(QKeySequence.StandardKey.Find), self.focus_find),
            (QKeySequence(QKeySequence.StandardKey.FindNext), self.find_text),
            (QKeySequence(QKeySequence.StandardKey.FindPrevious), lambda: self.find_text(backward=True)),
            (QKeySequence(QKeySequence.StandardKey.Back), self.back),
            (QKeySequence(QKeySequence.StandardKey.Close), self.close),
            (QKeySequence("Esc"), self.close),
        ):
            if sequence.isEmpty():
                continue
            key = QShortcut(sequence, self)
            key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            key.activated.connect(slot)
            self.keys.append(key)
        shift_return = QShortcut(QKeySequence("Shift+Return"), self.find_field)
        shift_return.setContext(Qt.ShortcutContext.WidgetShortcut)
        shift_return.activated.connect(lambda: self.find_text(backward=True))

        bar = QHBoxLayout()
        bar.addWidget(self.back_button)
        bar.addStretch(1)
        bar.addWidget(self.find_state)
        bar.addWidget(self.find_field)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(bar)
        right_layout.addWidget(self.page, 1)
        splitter = QSplitter(self)
        splitter.addWidget(self.contents)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([220, 680])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

    # --- pages -------------------------------------------------------------------------------

    def show_page(self, name: str, remember: bool = True) -> None:
        """Show a page of the guide (or the shortcut sheet, made afresh from the window's actions)."""
        if name not in (*PAGES, SHORTCUTS):
            return
        if remember and self.current is not None and self.current != name:
            self.history.append(self.current)
        self.current = name
        if name == SHORTCUTS:
            self.page.setHtml(sheet_html(shortcut_rows(self.main_window), _("Keyboard shortcuts")))
        else:
            self.page.setMarkdown(page_markdown(name, self.language))
        self._keep_direction()
        self.page.verticalScrollBar().setValue(0)
        self.back_button.setEnabled(bool(self.history))
        row = (*PAGES, SHORTCUTS).index(name)
        self.contents.blockSignals(True)
        self.contents.setCurrentRow(row)
        self.contents.blockSignals(False)
        if self.find_field.text():
            self.find_text(from_start=True)
        self.page_shown.emit(name)

    def _keep_direction(self) -> None:
        option = self.page.document().defaultTextOption()
        option.setTextDirection(self.layoutDirection())
        self.page.document().setDefaultTextOption(option)

    def _item_chosen(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None = None) -> None:
        if item is not None:
            self.show_page(item.data(Qt.ItemDataRole.UserRole))

    def follow(self, url: QUrl) -> None:
        """A link in a page: another page of the guide, or an anchor in this one; nothing else is opened."""
        if url.scheme() or url.host():
            return
        if url.path() in (*PAGES, SHORTCUTS):
            self.show_page(url.path())
        if url.fragment():
            self.page.scrollToAnchor(url.fragment())

    def back(self) -> None:
        if self.history:
            self.show_page(self.history.pop(), remember=False)

    # --- find in page ------------------------------------------------------------------------

    def clear_find(self) -> None:
        """Empty the find field and its message: a page opened anew from the main window (F1, Ctrl+/)
        starts with no search of an earlier visit."""
        self.find_field.clear()
        self.find_state.clear()

    def focus_find(self) -> None:
        self.find_field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.find_field.selectAll()

    def find_text(self, from_start: bool = False, backward: bool = False) -> bool:
        """Select the next (or previous) place the find field's text is in the page; say when it is not."""
        text = self.find_field.text()
        if not text:
            self.find_state.clear()
            return False
        if from_start:
            cursor = self.page.textCursor()
            cursor.movePosition(cursor.MoveOperation.Start)
            self.page.setTextCursor(cursor)
        flags = QTextDocument.FindFlag.FindBackward if backward else QTextDocument.FindFlag(0)
        found = self.page.find(text, flags)
        if not found:  # wrap around once
            cursor = self.page.textCursor()
            cursor.movePosition(cursor.MoveOperation.End if backward else cursor.MoveOperation.Start)
            self.page.setTextCursor(cursor)
            found = self.page.find(text, flags)
        self.find_state.setText("" if found else _("Not found"))
        return found


class HelpMenu:
    """The Help menu's "User guide" (F1) and "Keyboard shortcuts" (Ctrl+/), and the one help window they
    open, made when first asked for."""

    def __init__(self, window: QMainWindow, locale: str, menu: QMenu):
        self.main_window, self.locale = window, locale
        self.window: HelpWindow | None = None
        self.guide_action = QAction(_("&User guide"), window)
        self.guide_action.setObjectName("helpGuide")
        self.guide_action.setShortcut(GUIDE_KEY)
        self.guide_action.triggered.connect(lambda: self.show(PAGES[0]))
        self.shortcuts_action = QAction(_("&Keyboard shortcuts"), window)
        self.shortcuts_action.setObjectName("helpShortcuts")
        self.shortcuts_action.setShortcut(QKeySequence(SHORTCUTS_KEY))
        self.shortcuts_action.triggered.connect(lambda: self.show(SHORTCUTS))
        menu.addAction(self.guide_action)
        menu.addAction(self.shortcuts_action)
        menu.addSeparator()

    def show(self, page: str) -> HelpWindow:
        """The help window shown at ``page``, raised if it was open behind the main window."""
        if self.window is None:
            self.window = HelpWindow(self.main_window, self.locale)
        self.window.clear_find()
        if self.window.current != page:
            self.window.show_page(page)
        self.window.show()
        self.window.raise_()
        self.window.activateWindow()
        return self.window
