"""Undo and redo in the case editor say what they did and show it: the field's tab is brought forward, the
field scrolled into view and focused, and a status message names it by its label with the value it had
("Undone: Diagnosis as reported (was “DLBCL”)"). The Undo and Redo actions name the field they would change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QScrollArea,
    QWidget,
)

from desktop.cases import fields as f
from planning.field_labels import field_name
from planning.i18n import _, isolate

if TYPE_CHECKING:
    from desktop.cases.editor import CaseEditor

LONGEST = 40
"""A value longer than this many characters is cut, with "…", in the message."""
MESSAGE_MS = 10000
"""How long the message stays in the window's status bar."""


def shown_text(field: f.Field) -> str:
    """What the field shows now, as plain text on one line ("—" when unknown), cut to LONGEST characters."""
    widget = field.widget
    if isinstance(field, f.ChecklistField):
        text = ", ".join(field.boxes[c].text() if c in field.boxes else c for c in field.order)
    elif isinstance(field, f.DateField):
        text = field.edit.text()
    elif isinstance(widget, QComboBox):
        text = widget.currentText()
    elif isinstance(widget, QAbstractSpinBox | QLineEdit):
        text = widget.text()
    elif isinstance(widget, QPlainTextEdit):
        text = widget.toPlainText()
    else:  # pragma: no cover - every field of the form is one of the above
        value = field.value()
        text = "" if value is None else str(value)
    text = " ".join(text.split())
    if not text:
        return f.UNKNOWN
    return text if len(text) <= LONGEST else text[: LONGEST - 1].rstrip() + "…"


class UndoFeedback(QObject):
    """Wired to a CaseEditor: its FieldEdit commands call ``apply`` to undo or redo a field."""

    def __init__(self, editor: CaseEditor, undo: QAction, redo: QAction):
        super().__init__(editor)
        self.editor = editor
        self.undo_action, self.redo_action = undo, redo
        self.message = ""
        """The last message shown (also in the window's status bar, when there is one)."""
        stack = editor.undo_stack
        # connected after QUndoStack's own: these texts are the ones left on the actions
        for changed in (stack.undoTextChanged, stack.redoTextChanged, stack.indexChanged):
            changed.connect(self._name_actions)
        self._name_actions()

    def _path_at(self, index: int) -> str | None:
        stack = self.editor.undo_stack
        command = stack.command(index) if 0 <= index < stack.count() else None
        return getattr(command, "path", None)

    def _name_actions(self, *_changed: object) -> None:
        """ "Undo Diagnosis as reported", "Redo Full name"; just "Undo" / "Redo" with nothing to do."""
        stack = self.editor.undo_stack
        if not (
            shiboken6.isValid(stack) and shiboken6.isValid(self.undo_action) and shiboken6.isValid(self.redo_action)
        ):
            return  # the editor is being closed
        index = stack.index()
        if stack.count() == 0 and self.message:  # another case opened: the message of the last one goes
            window = self.editor.window()
            if isinstance(window, QMainWindow) and window.statusBar().currentMessage() == self.message:
                window.statusBar().clearMessage()
            self.message = ""
        undo, redo = self._path_at(index - 1), self._path_at(index)
        self.undo_action.setText(_("Undo {field}").format(field=field_name(undo)) if undo else _("Undo"))
        self.redo_action.setText(_("Redo {field}").format(field=field_name(redo)) if redo else _("Redo"))

    def apply(self, path: str, value: Any, *, undone: bool) -> None:
        """Set field ``path`` back (``undone``) or again to ``value``, then show the field and say so."""
        field = self.editor.fields[path]
        before = shown_text(field)
        self.editor.apply(path, value)
        self.reveal(path)
        label = field_name(path)
        template = _("Undone: {field} (was “{value}”)") if undone else _("Redone: {field} (was “{value}”)")
        self.say(template.format(field=label, value=isolate(before)))  # a Latin value kept whole in Arabic

    def reveal(self, path: str) -> None:
        """The field's tab brought forward, the field scrolled into view and given the focus."""
        field = self.editor.fields.get(path)
        if field is None:
            return
        self._show(path)
        QTimer.singleShot(0, lambda: self._show(path))  # once the tab (or the page) shown has its layout

    def _show(self, path: str) -> None:
        field = self.editor.fields[path]
        self.editor.focus_field(path)
        self._scroll_to(field.widget)

    @staticmethod
    def _scroll_to(widget: QWidget) -> None:
        parent = widget.parentWidget()
        while parent is not None and not isinstance(parent, QScrollArea):
            parent = parent.parentWidget()
        if isinstance(parent, QScrollArea):
            parent.ensureWidgetVisible(widget, 40, 40)

    def say(self, text: str) -> None:
        """The message in the window's status bar (plain text: a value typed is never markup there)."""
        self.message = text
        window = self.editor.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(text, MESSAGE_MS)
