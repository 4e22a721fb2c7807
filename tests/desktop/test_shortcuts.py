"""One binding per shortcut: two actions on one key in the same window make Qt do nothing ("ambiguous"),
as Alt+Left once did in the Library (a page shortcut and the Go → Back menu item). And no keyboard traps:
Tab walks every page and case tab and comes back, every case tab and every shortcut is in reach of the keys."""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QTextEdit, QWidget
from shiboken6 import isValid

from desktop.shell.main_window import PAGES, MainWindow

WINDOW_WIDE = (Qt.ShortcutContext.WindowShortcut, Qt.ShortcutContext.ApplicationShortcut)


def window_wide_keys(window: MainWindow) -> Counter:
    keys: Counter = Counter()
    for action in window.findChildren(QAction):
        if action.shortcutContext() in WINDOW_WIDE:
            keys.update(s.toString() for s in action.shortcuts() if not s.isEmpty())
    for shortcut in window.findChildren(QShortcut):
        if shortcut.context() in WINDOW_WIDE:
            keys.update(s.toString() for s in shortcut.keys() if not s.isEmpty())  # noqa: SIM118 (a QShortcut, not a dict)
    return keys


def test_no_key_is_bound_twice_across_the_window(window: MainWindow, qtbot) -> None:
    window.nav.setCurrentRow(1)  # the Library built
    _ = window.settings_page  # and Settings
    twice = {key: n for key, n in window_wide_keys(window).items() if n > 1}
    assert not twice


def test_alt_left_goes_back_in_the_library(window: MainWindow, qtbot) -> None:
    qtbot.waitUntil(lambda: window.library.pack is not None, timeout=10000)
    window.nav.setCurrentRow(1)
    library = window.library
    therapies = [t.id for t in library.pack.therapies]
    library.open("therapy", therapies[0])
    library.open("therapy", therapies[1])
    assert library.current == ("therapy", therapies[1])
    back = QKeySequence(QKeySequence.StandardKey.Back)
    qtbot.keyClick(library.view, back[0].key(), back[0].keyboardModifiers())
    qtbot.waitUntil(lambda: library.current == ("therapy", therapies[0]))


# --- no keyboard traps: Tab walks every screen and comes back; every tab and shortcut is in reach ----------

TAB_LIMIT = 800
"""More Tab presses than any screen has stops (the case list's and the estimate's cells included)."""


def focus() -> QWidget | None:
    return QApplication.focusWidget()


def name_of(widget: QWidget | None) -> str:
    if widget is None:
        return "nothing"
    return f"{type(widget).__name__} {widget.objectName() or ''}".strip()


def walk(qtbot, start: QWidget, key: Qt.Key = Qt.Key.Key_Tab) -> list[QWidget]:
    """The widgets Tab (or Shift+Tab) reaches from ``start`` until focus is back on it; fails on a trap."""
    start.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: focus() is start, timeout=3000)
    seen: list[QWidget] = []
    for _press in range(TAB_LIMIT):
        current = focus()
        assert current is not None, f"focus lost after {name_of(seen[-1] if seen else start)}"
        qtbot.keyClick(current, key)
        if focus() is start:
            return seen
        seen.append(focus())
    stuck = Counter(name_of(w) for w in seen[-50:]).most_common(3)
    raise AssertionError(f"Tab never came back to {name_of(start)}: trapped in {stuck}")


def screens(window: MainWindow):
    """Every page, and on the Cases page every tab of the open case, shown in turn (yields its name)."""
    for row in range(window.nav.count()):
        window.nav.setCurrentRow(row)
        yield PAGES[row]
        if PAGES[row] == "cases":
            tabs = window.cases.editor.tabs
            for index in range(tabs.count()):
                tabs.setCurrentIndex(index)
                yield f"cases: {tabs.tabText(index)}"


def test_tab_walks_every_screen_and_comes_back(window: MainWindow, qtbot) -> None:
    """From the page list, Tab goes through every screen's controls and back to where it started, and so does
    Shift+Tab: no text box keeps the Tab key, no table or viewer holds focus for ever."""
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow(), timeout=5000)
    window.cases.add_samples()
    window.cases.open_case(window.cases.model.rows[0].id)
    qtbot.waitUntil(lambda: window.library.pack is not None, timeout=10000)
    texts = {w: w.toPlainText() for w in window.findChildren(QPlainTextEdit) + window.findChildren(QTextEdit)}
    for screen in screens(window):
        QApplication.processEvents()
        forward = walk(qtbot, window.nav)
        assert len(forward) > 3, screen  # the page's own controls were reached
        page = window.stack.currentWidget()
        assert any(page.isAncestorOf(w) for w in forward), f"{screen}: Tab never entered the page"
        walk(qtbot, window.nav, Qt.Key.Key_Backtab)
    for box, text in texts.items():  # Tab moved focus on; it typed nothing
        if isValid(box):
            assert "\t" not in box.toPlainText().replace(text, ""), name_of(box)


def test_every_case_tab_is_reachable_from_the_keyboard(window: MainWindow, qtbot) -> None:
    """The case's tab bar is in the Tab chain, its arrow keys go to every tab, and Ctrl+Tab cycles through all of
    them from a field inside a tab."""
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow(), timeout=5000)
    window.cases.add_samples()
    window.cases.open_case(window.cases.model.rows[0].id)
    tabs = window.cases.editor.tabs
    tabs.setCurrentIndex(0)
    bar = tabs.tabBar()
    assert bar in walk(qtbot, window.nav), "the case's tabs are not in the Tab chain"
    bar.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: focus() is bar, timeout=3000)
    visited = {tabs.currentIndex()}
    for _step in range(tabs.count() - 1):
        qtbot.keyClick(bar, Qt.Key.Key_Right if not bar.isRightToLeft() else Qt.Key.Key_Left)
        visited.add(tabs.currentIndex())
    assert visited == set(range(tabs.count()))
    tabs.setCurrentIndex(0)
    field = window.cases.editor.fields["patient.full_name"].widget
    field.setFocus()
    qtbot.waitUntil(lambda: focus() is field, timeout=3000)
    visited = {tabs.currentIndex()}
    for _step in range(tabs.count()):
        qtbot.keyClick(focus(), Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
        visited.add(tabs.currentIndex())
    assert visited == set(range(tabs.count())) and tabs.currentIndex() == 0  # all of them, and round again


def test_every_shortcut_is_in_reach_of_the_keyboard(window: MainWindow, qtbot) -> None:
    """Every enabled action with a shortcut is on a widget of the window (a shortcut on nothing never fires),
    and one bound to a widget rather than the window is on a widget Tab reaches."""
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow(), timeout=5000)
    window.cases.add_samples()
    window.cases.open_case(window.cases.model.rows[0].id)
    window.nav.setCurrentRow(1)
    _ = window.settings_page
    reachable: set[QWidget] = set()
    for _screen in screens(window):
        reachable.update(walk(qtbot, window.nav))
    problems = []
    checked = 0
    for action in window.findChildren(QAction):
        if not action.isEnabled() or all(s.isEmpty() for s in action.shortcuts()):
            continue
        checked += 1
        keys = ", ".join(s.toString() for s in action.shortcuts())
        owners = [o for o in action.associatedObjects() if isinstance(o, QWidget)]
        if not owners:
            problems.append(f"{action.text()!r} ({keys}) is on no widget: its shortcut never fires")
        elif action.shortcutContext() not in WINDOW_WIDE and not any(
            o in reachable or any(o.isAncestorOf(w) for w in reachable) for o in owners
        ):
            problems.append(f"{action.text()!r} ({keys}) works only on {name_of(owners[0])}, which Tab never reaches")
    assert checked >= 8  # New case, Save, search (Ctrl+K), the pages (Ctrl+1..4), Back, ...
    assert problems == []
