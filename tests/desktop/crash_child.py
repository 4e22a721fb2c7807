"""Run the real app (desktop.app.main), press Ctrl+N and type a name; then wait to be killed.

Used by test_crash_safety.py: python crash_child.py "TEXT TO TYPE"
"""

from __future__ import annotations

import sys

from child_app import set_up_already  # the script's own folder
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

app = QApplication(sys.argv[:1])


def drive() -> None:
    from desktop.shell.main_window import MainWindow

    windows = [w for w in app.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
    if not windows or windows[0].cases is None:
        QTimer.singleShot(20, drive)
        return
    window = windows[0]
    QTest.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    target = QApplication.focusWidget()
    for char in sys.argv[1]:  # key events carrying their text, as a keyboard sends them (any script)
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(target, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))
    print("typed", window.cases.editor.case.reference, flush=True)


QTimer.singleShot(0, drive)

set_up_already()

from desktop.app import main  # noqa: E402

main([])
