"""Light and dark appearance: follow the system's colour scheme, or a chosen one, on every platform."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QWidget

SCHEMES = ("system", "light", "dark")


def _dark_palette() -> QPalette:
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: "#202124",
        QPalette.ColorRole.WindowText: "#e8eaed",
        QPalette.ColorRole.Base: "#17181a",
        QPalette.ColorRole.AlternateBase: "#26282b",
        QPalette.ColorRole.ToolTipBase: "#303134",
        QPalette.ColorRole.ToolTipText: "#e8eaed",
        QPalette.ColorRole.PlaceholderText: "#9aa0a6",
        QPalette.ColorRole.Text: "#e8eaed",
        QPalette.ColorRole.Button: "#2d2f31",
        QPalette.ColorRole.ButtonText: "#e8eaed",
        QPalette.ColorRole.BrightText: "#ffffff",
        QPalette.ColorRole.Light: "#3c4043",
        QPalette.ColorRole.Midlight: "#35373a",
        QPalette.ColorRole.Mid: "#4a4d51",
        QPalette.ColorRole.Dark: "#111214",
        QPalette.ColorRole.Shadow: "#000000",
        QPalette.ColorRole.Highlight: "#3d7bd9",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.Link: "#8ab4f8",
        QPalette.ColorRole.LinkVisited: "#c58af9",
    }
    for role, colour in roles.items():
        palette.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7f8387"))
    return palette


def is_dark(scheme: str) -> bool:
    if scheme == "dark":
        return True
    if scheme == "light":
        return False
    return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


def apply_theme(app: QGuiApplication, scheme: str = "system") -> bool:
    """Set the palette for ``scheme`` (system, light or dark); returns True when dark."""
    dark = is_dark(scheme)
    app.setPalette(_dark_palette() if dark else app.style().standardPalette())  # type: ignore[attr-defined]
    return dark


def error_colour(widget: QWidget) -> str:
    """The colour of an error message on ``widget``'s background: light on dark, dark on light."""
    dark = widget.palette().color(QPalette.ColorRole.Window).lightness() < 128
    return "#f28b82" if dark else "#c5221f"
