"""Load the bundled fonts so every script renders on a machine with no fonts installed."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase

from resources import locate

UI_FONTS = (
    "NotoSans-Regular.ttf",
    "NotoSans-Bold.ttf",
    "NotoSansArabic-Regular.ttf",
    "NotoSansArabic-Bold.ttf",
    "DroidSansFallbackFull.ttf",
    "DejaVuSans.ttf",
)
FAMILIES = ["Noto Sans", "Noto Sans Arabic", "Droid Sans Fallback", "DejaVu Sans"]
"""The UI font and its fallbacks, in order: Latin/Cyrillic/Greek, then Arabic, then CJK."""


def fonts_dir() -> Path:
    return locate("fonts")


def load_bundled_fonts() -> list[str]:
    """Register the bundled fonts with Qt; returns the families that loaded."""
    families: list[str] = []
    for name in UI_FONTS:
        font_id = QFontDatabase.addApplicationFont(str(fonts_dir() / name))
        if font_id >= 0:
            families.extend(QFontDatabase.applicationFontFamilies(font_id))
    return families


def ui_font(point_size: float = 10.0) -> QFont:
    font = QFont()
    font.setFamilies(FAMILIES)
    font.setPointSizeF(point_size)
    return font
