"""A question whose safe answer is the default: the risky choice takes a deliberate click."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QMessageBox, QWidget


def careful_question(
    parent: QWidget, title: str, text: str, details: str, risky: str, safe: str, name: str
) -> tuple[QMessageBox, QAbstractButton]:
    """A warning box with two answers: ``safe`` (the default, also on Escape) and ``risky``; returns the box,
    not yet shown, and the risky button (compare ``box.clickedButton()`` with it)."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName(name)
    box.setTextFormat(Qt.TextFormat.PlainText)  # text from a case is shown as written
    box.setInformativeText(details)
    go_on = box.addButton(risky, QMessageBox.ButtonRole.AcceptRole)
    back = box.addButton(safe, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(back)
    box.setEscapeButton(back)
    return box, go_on
