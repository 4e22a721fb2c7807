"""Style sheets in the palette's colours, kept current when the appearance changes while the window is open.

Qt resolves ``palette(role)`` in a style sheet once, when the sheet is set: a notice styled in the light
appearance kept its light background after a switch to dark. :func:`follow_palette` writes the colours of
the application's palette into the sheet instead, and writes them again whenever that palette changes
(the application's paletteChanged: a widget with a style sheet gets no PaletteChange of its own)."""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QWidget

_ROLE = re.compile(r"palette\(([a-z-]+)\)")


def resolved(sheet: str, palette: QPalette) -> str:
    """``sheet`` with every ``palette(role)`` (as Qt's style sheets name them: ``alternate-base``,
    ``highlight``…) replaced by that role's colour in ``palette``."""

    def colour(match: re.Match[str]) -> str:
        role = getattr(QPalette.ColorRole, "".join(part.capitalize() for part in match.group(1).split("-")), None)
        if role is None:
            raise ValueError(f"no palette role {match.group(1)!r}")
        return palette.color(role).name()

    return _ROLE.sub(colour, sheet)


class PaletteSheet(QObject):
    """Keeps ``widget``'s style sheet in the current palette's colours (see :func:`follow_palette`)."""

    def __init__(self, widget: QWidget, sheet: str):
        super().__init__(widget)
        self.widget, self.sheet = widget, sheet
        widget.installEventFilter(self)
        # a widget with a style sheet gets no PaletteChange when the application's palette changes
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.paletteChanged.connect(self.apply)
        self.apply()

    def apply(self) -> None:
        text = resolved(self.sheet, QApplication.palette())
        if text != self.widget.styleSheet():  # setting a sheet changes the palette: never again in a loop
            self.widget.setStyleSheet(text)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget and event.type() in (QEvent.Type.ApplicationPaletteChange, QEvent.Type.Show):
            self.apply()
        return False


def follow_palette(widget: QWidget, sheet: str) -> PaletteSheet:
    """Style ``widget`` with ``sheet``, whose ``palette(role)`` colours follow the application's palette:
    light in the light appearance, dark in the dark one, switched while the window is open."""
    follower = widget.findChild(PaletteSheet, "paletteSheet")
    if follower is None:
        follower = PaletteSheet(widget, sheet)
        follower.setObjectName("paletteSheet")
    else:
        follower.sheet = sheet
        follower.apply()
    return follower
