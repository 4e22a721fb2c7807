"""Text in any script: a font per run of characters, wrapping, right-to-left lines, page splits.

ReportLab drops a glyph its font lacks without a word, so every character is given the bundled
font that has it (Latin/Cyrillic/Greek, Arabic, CJK). Right-to-left text is wrapped in logical
order first, then each line is shaped (arabic-reshaper) and reordered (python-bidi) on its own.
Text is drawn as text, never parsed as markup: user input cannot inject anything.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, Spacer

FONT_FILES = {
    "Sans": "NotoSans-Regular.ttf",
    "Sans-Bold": "NotoSans-Bold.ttf",
    "Arabic": "NotoNaskhArabic-Regular.ttf",
    "Arabic-Bold": "NotoNaskhArabic-Bold.ttf",
    "CJK": "DroidSansFallbackFull.ttf",
    "Symbols": "DejaVuSans.ttf",
}
SPACES = {"\u00a0", "\u202f", "\u2007", "\u2009"}
"""Babel's no-break and thin spaces: drawn as a space, never a line break."""


def fonts_dir() -> Path:
    return Path(str(resources.files("resources") / "fonts"))


@cache
def use_font(name: str) -> str:
    """Register one bundled font on first use (parsing the 4 MB CJK font only when a page needs it)."""
    pdfmetrics.registerFont(TTFont(f"CarePlan-{name}", str(fonts_dir() / FONT_FILES[name])))
    return f"CarePlan-{name}"


def register_fonts() -> None:
    """Every bundled font (the base font of a document is always needed)."""
    use_font("Sans")
    use_font("Sans-Bold")


@cache
def _coverage(name: str) -> frozenset[int]:
    font = pdfmetrics.getFont(use_font(name))
    assert isinstance(font, TTFont)  # use_font registers every bundled font as a TTFont
    return frozenset(font.face.charWidths.keys())


def _is_cjk(char: str) -> bool:
    code = ord(char)
    return 0x2E80 <= code <= 0x9FFF or 0xAC00 <= code <= 0xD7AF or 0xF900 <= code <= 0xFAFF or 0xFF00 <= code <= 0xFFEF


def _is_arabic(char: str) -> bool:
    code = ord(char)
    return 0x0600 <= code <= 0x06FF or 0x0750 <= code <= 0x077F or 0xFB50 <= code <= 0xFDFF or 0xFE70 <= code <= 0xFEFF


@cache
def font_for(char: str, bold: bool = False) -> str | None:
    """The bundled font that draws ``char``; None when none has it (an emoji): it is left out."""
    suffix = "-Bold" if bold else ""
    if _is_arabic(char):
        order = ("Arabic", "Sans", "Symbols", "CJK")
    elif _is_cjk(char):
        order = ("CJK", "Sans", "Symbols", "Arabic")
    else:
        order = ("Sans", "Symbols", "Arabic", "CJK")
    for family in order:
        name = family + (suffix if family not in ("CJK", "Symbols") else "")
        if ord(char) in _coverage(name):
            return f"CarePlan-{name}"
    return None


def clean(text: str) -> str:
    """Text as it is drawn: format characters (zero-width, bidi marks) out, odd spaces made plain."""
    out = []
    for char in text:
        if char in SPACES:
            out.append("\u00a0")
        elif char in "\t\r":
            out.append(" ")
        elif unicodedata.category(char) in ("Cf", "Cc") and char != "\n":
            continue
        else:
            out.append(char)
    return "".join(out)


def runs(text: str, bold: bool = False) -> list[tuple[str, str]]:
    """(font, text) runs; characters no font has are dropped (and only those)."""
    result: list[tuple[str, str]] = []
    for char in text:
        font = font_for(" " if char == "\u00a0" else char, bold)
        if font is None:
            continue
        shown = " " if char == "\u00a0" else char
        if result and result[-1][0] == font:
            result[-1] = (font, result[-1][1] + shown)
        else:
            result.append((font, shown))
    return result


@cache
def _units(char: str, bold: bool) -> float:
    """A character's advance in thousandths of the font size (its own font; 0 when none has it)."""
    shown = " " if char == "\u00a0" else char
    font = font_for(shown, bold)
    return pdfmetrics.stringWidth(shown, font, 1000) if font else 0.0


def width(text: str, size: float, bold: bool = False) -> float:
    """ReportLab does not kern TrueType text: a width is the sum of its characters' advances."""
    return sum(_units(c, bold) for c in text) * size / 1000


def _breakable_after(char: str) -> bool:
    return char == " " or unicodedata.east_asian_width(char) in ("W", "F")


@cache
def wrap(text: str, size: float, limit: float, bold: bool = False) -> tuple[str, ...]:
    """Lines in logical order that fit ``limit``: break at spaces or after wide (CJK) characters,
    and inside a word only when the word alone is too long."""
    room = limit * 1000 / size  # in thousandths of the size, like _units
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, line_units = "", 0.0
        word, word_units = "", 0.0
        for char in paragraph + " ":
            word += char
            word_units += _units(char, bold)
            if not _breakable_after(char):
                continue
            trailing = _units(" ", bold) if word.endswith(" ") else 0.0
            if not line or line_units + word_units - trailing <= room:
                line, line_units = line + word, line_units + word_units
            else:
                lines.append(line.rstrip())
                line, line_units = word, word_units
            word, word_units = "", 0.0
            while line_units - (_units(" ", bold) if line.endswith(" ") else 0.0) > room and len(line.rstrip()) > 1:
                cut, cut_units = 0, 0.0  # a word longer than a line: break it where it must
                while cut < len(line) and cut_units + _units(line[cut], bold) <= room:
                    cut_units += _units(line[cut], bold)
                    cut += 1
                cut = max(cut, 1)
                lines.append(line[:cut])
                line = line[cut:]
                line_units = sum(_units(c, bold) for c in line)
        lines.append(line.rstrip())
    return tuple(lines)


def has_rtl_script(text: str) -> bool:
    return any(_is_arabic(c) for c in text)


def runs_right_to_left(text: str, document_rtl: bool) -> bool:
    """A paragraph's direction in a document: right to left when the document is, unless the text has
    letters of a left-to-right script and none of Arabic (an English product summary keeps its order;
    numbers and ranges such as "56–104" follow the document)."""
    if not document_rtl:
        return False
    if has_rtl_script(text):
        return True
    return not any(c.isalpha() for c in text)


@lru_cache(maxsize=8192)
def visual(line: str, rtl: bool) -> str:
    """A logical line as it is drawn: Arabic shaped and the line reordered (right to left when ``rtl``)."""
    if not rtl and not has_rtl_script(line):
        return line
    import arabic_reshaper
    from bidi.algorithm import get_display  # this one mirrors brackets (rule L4); bidi.get_display does not

    return get_display(arabic_reshaper.reshape(line), base_dir="R" if rtl else "L")


@dataclass
class Style:
    size: float = 10.0
    leading: float = 13.5
    bold: bool = False
    colour: tuple[float, float, float] = (0.1, 0.1, 0.1)
    space_after: float = 4.0


class Text(Flowable):
    """A paragraph of plain text in any script; wraps, aligns by direction, splits across pages."""

    def __init__(self, text: str, style: Style, rtl: bool = False, align: str | None = None):
        super().__init__()
        self.text, self.style = clean(text), style
        self.align = align or ("right" if rtl else "left")
        # The paragraph's own direction: right to left when the document is and the text has Arabic in it;
        # a paragraph of Latin text (a product summary) keeps its word order, aligned with the document.
        self.rtl = runs_right_to_left(self.text, rtl)
        self.lines: tuple[str, ...] = ()
        self.spaceAfter = style.space_after

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        self.lines = wrap(self.text, self.style.size, available_width, self.style.bold)
        self.height = len(self.lines) * self.style.leading
        return available_width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        if not self.lines or available_width < self.width:
            # A table cell asks to split with its whole width but measured the text inside its padding:
            # keep the lines it measured, or the halves would not be the heights it planned for.
            self.wrap(available_width, available_height)
        fits = int(available_height // self.style.leading)
        if fits <= 0:
            return []
        if fits >= len(self.lines):  # all of it fits: a table cell still expects the two halves
            return [self, Spacer(0, 0)]
        first = Text("\n".join(self.lines[:fits]), self.style, self.rtl, self.align)
        rest = Text("\n".join(self.lines[fits:]), self.style, self.rtl, self.align)
        first.rtl = rest.rtl = self.rtl
        first.spaceAfter = 0
        return [first, rest]

    def draw(self) -> None:
        canvas = self.canv
        canvas.setFillColorRGB(*self.style.colour)
        y = self.height - self.style.size
        for line in self.lines:
            shown = visual(line, self.rtl)
            parts = runs(shown, self.style.bold)
            total = sum(pdfmetrics.stringWidth(p, f, self.style.size) for f, p in parts)
            x = {"right": self.width - total, "center": (self.width - total) / 2}.get(self.align, 0.0)
            for font, part in parts:
                canvas.setFont(font, self.style.size)
                canvas.drawString(x, y, part)
                x += pdfmetrics.stringWidth(part, font, self.style.size)
            y -= self.style.leading


def draw_line(
    canvas, text: str, x: float, y: float, size: float, rtl: bool, align: str = "left", bold: bool = False
) -> None:
    """One line of text at a point (headers, footers, chart labels): shaped, reordered, per-run fonts."""
    shown = visual(clean(text), runs_right_to_left(text, rtl))
    parts = runs(shown, bold)
    total = sum(pdfmetrics.stringWidth(p, f, size) for f, p in parts)
    start = {"right": x - total, "center": x - total / 2}.get(align, x)
    for font, part in parts:
        canvas.setFont(font, size)
        canvas.drawString(start, y, part)
        start += pdfmetrics.stringWidth(part, font, size)
