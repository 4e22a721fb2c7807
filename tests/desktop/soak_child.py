"""Run the real app (desktop.app.main) and type EDITS keystrokes into a new case through its event loop.

Used by test_soak.py: python soak_child.py EDITS
Each keystroke is posted to the focused field as a keyboard sends it (press and release) and the next
one waits until the event loop has handled it, so every edit runs the editor's whole path: undo entry,
validation, screening, estimate, title and save state. Fields change as on a call (name, diagnosis,
notes). When the last edit is saved, prints ``done REFERENCE NONE-DRIFT`` and waits to be ended.
"""

from __future__ import annotations

import sys

from child_app import set_up_already, shown_window  # the script's own folder
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

EDITS = int(sys.argv[1])
FIELDS = (  # (tab, field path, text typed there) in turn, 60 keystrokes at a time
    (0, "patient.full_name", "María José Soak-Testová "),
    (1, "clinical.diagnosis_text", "DLBCL, relapsed after R-CHOP; "),
    (1, "clinical.notes", "Called twice; daughter translates. 患者说明 "),
)
app = QApplication(sys.argv[:1])
state = {"sent": 0, "before": 0}


def key(target, char: str) -> None:
    code = Qt.Key.Key_Backspace if char == "\b" else 0
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.postEvent(target, QKeyEvent(kind, code, Qt.KeyboardModifier.NoModifier, char))


def start() -> None:
    main = shown_window()
    if main is None:
        QTimer.singleShot(20, start)
        return
    QTest.keyClick(main, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    state["before"] = sys.getrefcount(None)
    QTimer.singleShot(0, step)


def step() -> None:
    editor = shown_window().cases.editor
    sent = state["sent"]
    if sent == EDITS:
        QTimer.singleShot(0, finish)
        return
    tab, path, text = FIELDS[(sent // 60) % len(FIELDS)]
    widget = editor.fields[path].widget
    if editor.tabs.currentIndex() != tab:
        editor.tabs.setCurrentIndex(tab)
    if QApplication.focusWidget() is not widget:
        widget.setFocus(Qt.FocusReason.OtherFocusReason)
    # mostly typing, now and then a correction, as people type
    char = "\b" if sent % 17 == 16 else text[sent % len(text)]
    key(widget, char)
    state["sent"] = sent + 1
    QTimer.singleShot(0, step)  # the next keystroke once the loop has handled this one


def finish() -> None:
    editor = shown_window().cases.editor
    if editor.has_pending():
        QTimer.singleShot(20, finish)
        return
    drift = state["before"] - sys.getrefcount(None)
    print("done", editor.case.reference, drift, flush=True)


QTimer.singleShot(0, start)

set_up_already()

from desktop.app import main  # noqa: E402

main([])
