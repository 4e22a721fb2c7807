"""The bundled fonts: which face draws which character, registered with ReportLab on first use.

ReportLab drops a glyph its font lacks without a word, so every character is given the bundled face
that has it (Latin/Cyrillic/Greek, Arabic, CJK, symbols); a bold face that lacks a character hands it
to the regular face of the same script, never to nothing.

Bold Chinese is Noto Sans CJK SC Bold, subset to GB2312 and the app's texts and converted to TrueType
outlines (scripts/build_cjk_bold.py); what it lacks is drawn with the regular CJK face. A face is parsed
once per user and ReportLab version, then read from the cache (reports.fontcache).
"""

from __future__ import annotations

import re
from collections.abc import KeysView
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from reports.fontcache import load_font
from resources import locate

CJK_BOLD_FILE = "NotoSansCJKsc-Bold-GB2312.ttf"
FONT_FILES = {
    "Sans": "NotoSans-Regular.ttf",
    "Sans-Bold": "NotoSans-Bold.ttf",
    "Arabic": "NotoNaskhArabic-Regular.ttf",
    "Arabic-Bold": "NotoNaskhArabic-Bold.ttf",
    "CJK": "DroidSansFallbackFull.ttf",
    "CJK-Bold": CJK_BOLD_FILE,  # scripts/build_cjk_bold.py
    "Symbols": "DejaVuSans.ttf",
}
PREFIX = "CarePlan-"


def fonts_dir() -> Path:
    return locate("fonts")


def is_cjk(char: str) -> bool:
    code = ord(char)
    return 0x2E80 <= code <= 0x9FFF or 0xAC00 <= code <= 0xD7AF or 0xF900 <= code <= 0xFAFF or 0xFF00 <= code <= 0xFFEF


def is_arabic(char: str) -> bool:
    code = ord(char)
    return 0x0600 <= code <= 0x06FF or 0x0750 <= code <= 0x077F or 0xFB50 <= code <= 0xFDFF or 0xFE70 <= code <= 0xFEFF


ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
"""A character ``is_arabic`` finds (searched in a whole text at once)."""


@cache
def use_font(name: str) -> str:
    """Register one bundled font on first use (a CJK face is read only when a page needs it)."""
    pdfmetrics.registerFont(load_font(PREFIX + name, fonts_dir() / FONT_FILES[name]))
    return PREFIX + name


def register_fonts() -> None:
    """The base fonts of every document."""
    use_font("Sans")
    use_font("Sans-Bold")


@cache
def coverage(name: str) -> KeysView[int]:
    """The code points a bundled face draws (its character widths, as ReportLab parsed them)."""
    font = pdfmetrics.getFont(use_font(name))
    assert isinstance(font, TTFont)  # use_font registers every bundled font as a TTFont
    return font.face.charWidths.keys()


@cache
def draws(font: str, char: str) -> bool:
    """Whether the registered bundled ``font`` (its full name, as ``font_for`` gives it) has ``char``."""
    return ord(char) in coverage(font.removeprefix(PREFIX))


def _families(char: str) -> tuple[str, ...]:
    if is_arabic(char):
        return ("Arabic", "Sans", "Symbols", "CJK")
    if is_cjk(char):
        return ("CJK", "Sans", "Symbols", "Arabic")
    return ("Sans", "Symbols", "Arabic", "CJK")


@cache
def font_for(char: str, bold: bool = False) -> str | None:
    """The bundled font that draws ``char``; None when none has it (an emoji): it is left out.
    Bold text tries each script's bold face first, then its regular face."""
    for family in _families(char):
        for name in (family + "-Bold", family) if bold and family + "-Bold" in FONT_FILES else (family,):
            if ord(char) in coverage(name):
                return PREFIX + name
    return None
