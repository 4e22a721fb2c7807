"""Fields of several lines for the Settings page: plain text, a few lines high, kept when editing ends
(as a one-line field's ``editingFinished``), and red plain-text labels that name what was refused."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QWidget


def text_editor(name: str, lines: int, parent: QWidget) -> QPlainTextEdit:
    """A plain-text field ``lines`` lines high (it scrolls beyond); Tab moves on to the next field."""
    editor = QPlainTextEdit(parent)
    editor.setObjectName(name)
    editor.setTabChangesFocus(True)
    frame = 2 * editor.frameWidth() + 2 * round(editor.document().documentMargin())
    editor.setFixedHeight(editor.fontMetrics().lineSpacing() * lines + frame + 2)
    return editor


class _Finished(QObject):
    """Calls back once the editor loses the focus (not to its own context menu) or is hidden (another
    page, the window closed) with changes since the last call."""

    def __init__(self, editor: QPlainTextEdit, finished: Callable[[], object]):
        super().__init__(editor)
        self.editor, self.finished = editor, finished
        editor.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.FocusOut and isinstance(event, QFocusEvent):
            if event.reason() != Qt.FocusReason.PopupFocusReason:
                self.finish()
        elif kind == QEvent.Type.Hide:
            self.finish()
        return False

    def finish(self) -> None:
        document = self.editor.document()
        if document.isModified():
            document.setModified(False)
            self.finished()


def on_editing_finished(editor: QPlainTextEdit, finished: Callable[[], object]) -> None:
    """Call ``finished`` when editing ``editor`` ends with changes (the focus leaves it, or it is hidden)."""
    _Finished(editor, finished)


def error_label(name: str, parent: QWidget) -> QLabel:
    """A hidden red label for what was refused; plain text (it may repeat what was typed), wrapped."""
    label = QLabel(parent)
    label.setObjectName(name)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setStyleSheet("color: #d93025;")
    label.setWordWrap(True)
    label.hide()
    return label


def show_problems(label: QLabel, problems: list[str]) -> None:
    """Every problem on a line of its own; the label hidden when there is none."""
    label.setText("\n".join(problems))
    label.setVisible(bool(problems))
