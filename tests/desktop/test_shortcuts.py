"""One binding per shortcut: two actions on one key in the same window make Qt do nothing ("ambiguous"),
as Alt+Left once did in the Library (a page shortcut and the Go → Back menu item)."""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut

from desktop.shell.main_window import MainWindow

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
