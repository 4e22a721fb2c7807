"""A one-line status message that never changes the size of the layout it sits in.

A plain QLabel asks for the width of its whole text: a long message (a file path, a reason from the
disk) widens the page and squeezes what sits beside it, such as the case list. A ``StatusLabel`` takes
the room the layout gives it, whatever its text: it shows one line, elided where the text is longer,
with the whole text in its tooltip (``WholeText``). ``text()`` is always the whole text.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QLabel, QSizePolicy, QStyle, QWidget

from desktop.shared.widgets import WholeText, text_width

_BREAKS = re.compile(r"\s*[\r\n]+\s*")


def one_line(text: str) -> str:
    """``text`` as the label shows it: line breaks become spaces."""
    return _BREAKS.sub(" ", text).strip()


class StatusLabel(QLabel):
    """A plain-text message on one line: as wide as its layout makes it, never wider; elided with the
    whole text on hover when it is longer."""

    def __init__(self, parent: QWidget | None = None, elide: Qt.TextElideMode = Qt.TextElideMode.ElideRight):
        super().__init__(parent)
        self.elide = elide
        """Where a text too long is cut: at its end, or in its middle (a title whose end matters)."""
        self.setTextFormat(Qt.TextFormat.PlainText)  # file paths and reasons, never markup
        self.setWordWrap(False)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.whole = WholeText(self, self.text, self._fits)

    def setText(self, text: str) -> None:
        super().setText(text)
        self.whole.refresh()

    def clear(self) -> None:
        super().clear()
        self.whole.refresh()

    def _room(self) -> int:
        return self.contentsRect().width() - 2 * self.margin()

    def _fits(self, text: str) -> bool:
        return text_width(self, one_line(text)) <= self._room()

    def _line_height(self) -> int:
        margins = self.contentsMargins()
        return self.fontMetrics().height() + margins.top() + margins.bottom() + 2 * self.margin()

    def sizeHint(self) -> QSize:
        return QSize(min(text_width(self, one_line(self.text())), 200), self._line_height())

    def minimumSizeHint(self) -> QSize:
        return QSize(0, self._line_height())

    def paintEvent(self, _event) -> None:
        rect = self.contentsRect().adjusted(self.margin(), self.margin(), -self.margin(), -self.margin())
        shown = self.fontMetrics().elidedText(one_line(self.text()), self.elide, rect.width())
        alignment = QStyle.visualAlignment(self.layoutDirection(), self.alignment())
        painter = QPainter(self)
        self.style().drawItemText(
            painter, rect, int(alignment), self.palette(), self.isEnabled(), shown, self.foregroundRole()
        )
        painter.end()
