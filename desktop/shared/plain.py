"""Text from a case, a pack or a file shown as it is written: Qt never reads it as rich text.

Qt guesses the format of a tooltip, of a message box's texts and of a label left at ``Qt.AutoText``
with ``Qt.mightBeRichText`` (a tag it knows, or "&lt;", on the first line): a prior therapy written as
``<h1>x</h1>`` would be drawn as a headline. So:

- a QLabel that shows such text is set to ``Qt.TextFormat.PlainText`` where it is made (a label that is
  rich on purpose escapes every part it interpolates with ``html.escape``);
- a QMessageBox that carries such text gets ``setTextFormat(Qt.TextFormat.PlainText)`` (in Qt 6 it
  applies to the informative text too); the static ``QMessageBox.warning`` and the like get ``plain(text)``;
- every tooltip that carries such text, of a widget or of an item, is set to ``plain(text)``.
"""

from __future__ import annotations

from html import escape

from PySide6.QtGui import Qt as GuiQt


def plain(text: str) -> str:
    """``text`` for a place where Qt guesses the format (tooltips, message boxes): unchanged when Qt
    would show it as written anyway, else escaped in a paragraph that keeps its spaces and line breaks."""
    if not text or not GuiQt.mightBeRichText(text):
        return text
    return "<p style='white-space:pre-wrap'>" + escape(text, quote=False) + "</p>"
