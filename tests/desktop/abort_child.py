"""Run the real app (desktop.app.main), make a case and type a name, wait for its save, then abort.

Used by test_crash_trace.py: python abort_child.py NAME. Prints ``typed REFERENCE`` before it aborts
with a native fatal error (as a binding bug would), which faulthandler traces.
"""

from __future__ import annotations

import faulthandler
import sys

from child_app import set_up_already, shown_window  # the script's own folder
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

app = QApplication(sys.argv[:1])


def drive() -> None:
    main = shown_window()
    if main is None:
        QTimer.singleShot(20, drive)
        return
    QTest.keyClick(main, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    target = QApplication.focusWidget()
    for char in sys.argv[1]:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(target, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))
    QTimer.singleShot(0, abort_when_saved)


def abort_when_saved() -> None:
    editor = shown_window().cases.editor
    if editor.has_pending():
        QTimer.singleShot(10, abort_when_saved)
        return
    print("typed", editor.case.reference, flush=True)
    faulthandler._sigabrt()  # a native abort, like none_dealloc


QTimer.singleShot(0, drive)

set_up_already()

from desktop.app import main  # noqa: E402

main([])
