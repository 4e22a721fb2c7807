"""Text in any script: a font per run of characters, wrapping, right-to-left lines, page splits.

Every character is drawn with the bundled face that has it (reports.fonts). A paragraph is wrapped in
logical order and measured as it is drawn: an Arabic word by its joined letters (the contextual forms
are narrower than the isolated ones), Chinese by the kinsoku rules (reports.linebreak). Each line is
then shaped and reordered on its own, amounts and brackets kept whole (reports.direction).
Text is drawn as text, never parsed as markup: user input cannot inject anything.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import groupby

from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable, Spacer

from planning.i18n import single_stops
from reports.direction import has_rtl_script, shaped, visual
from reports.fonts import FONT_FILES, draws, font_for, fonts_dir, register_fonts, use_font
from reports.linebreak import NO_END, NO_START, words

__all__ = [
    "FONT_FILES",
    "Style",
    "Text",
    "clean",
    "draw_line",
    "font_for",
    "fonts_dir",
    "has_rtl_script",
    "line_width",
    "register_fonts",
    "runs",
    "runs_right_to_left",
    "use_font",
    "visual",
    "width",
    "wrap",
]

SPACES = {"\u00a0", "\u202f", "\u2007", "\u2009"}
"""Babel's no-break and thin spaces: drawn as a space, never a line break."""


def clean(text: str) -> str:
    """Text as it is drawn: format characters (zero-width, bidi marks) out, odd spaces made plain, one full
    stop where a sentence ends with a value that ends with its own (planning.i18n.single_stops: "ر.س..",
    "г.."), for every sentence of every document drawn. Amounts and brackets are isolated where lines are
    reordered (reports.direction), not here."""
    if text.isprintable():  # no control or format character, no space but the plain one: nothing to do
        return single_stops(text)
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
    return single_stops("".join(out))  # after the isolates are out: "ر.س.\u2069." is a double stop too


def runs(text: str, bold: bool = False) -> list[tuple[str, str]]:
    """(font, text) runs; characters no font has are dropped (and only those)."""
    result: list[tuple[str, str]] = []
    shown = text.replace("\u00a0", " ")
    for font, chars in groupby(shown, lambda char: font_for(char, bold)):
        if font is None:
            continue
        if result and result[-1][0] == font:  # the two sides of a dropped character
            result[-1] = (font, result[-1][1] + "".join(chars))
        else:
            result.append((font, "".join(chars)))
    return result


Run = tuple[str, str, float]
"""A run as it is drawn: its font, its text, and the word spacing its spaces are drawn with (points)."""


@lru_cache(maxsize=8192)
def _drawn(line: str, rtl: bool, bold: bool, size: float) -> tuple[tuple[Run, ...], float]:
    """A logical line as it is drawn: its runs in visual order (``_joined``) and its width. Remembered: a plan
    draws the same lines on every page (headers, table heads) and again when it is made again."""
    parts = runs(visual(line, rtl), bold)
    return _joined(parts, size), sum(pdfmetrics.stringWidth(part, font, size) for font, part in parts)


def _joined(parts: list[tuple[str, str]], size: float) -> tuple[Run, ...]:
    """The runs to draw: spaces alone between two runs of one font join them, drawn with that font's own space
    and word spacing that makes up the width they were measured with (a space is always measured in the Latin
    face). The line is drawn exactly where it was measured, in fewer runs: an Arabic sentence in one, not one
    per word and one per space (each run costs ReportLab as much as its text)."""
    joined: list[Run] = []
    for index, (font, part) in enumerate(parts):
        after = parts[index + 1][0] if index + 1 < len(parts) else None
        if joined and joined[-1][0] == after and not part.strip(" ") and draws(after, " "):
            before, text, _spacing = joined[-1]
            spacing = pdfmetrics.stringWidth(" ", font, size) - pdfmetrics.stringWidth(" ", before, size)
            joined[-1] = (before, text + part, spacing)
        elif joined and joined[-1][0] == font:  # the run after joined spaces
            joined[-1] = (font, joined[-1][1] + part, joined[-1][2])
        else:
            joined.append((font, part, 0.0))
    return tuple(joined)


@cache
def _units(char: str, bold: bool) -> float:
    """A character's advance in thousandths of the font size (its own font; 0 when none has it)."""
    shown = " " if char == "\u00a0" else char
    font = font_for(shown, bold)
    return pdfmetrics.stringWidth(shown, font, 1000) if font else 0.0


@lru_cache(maxsize=65536)
def _measure(text: str, bold: bool) -> float:
    """The advance of ``text`` as it is drawn, in thousandths of the size: Arabic in its joined forms.
    Remembered: wrapping measures every word, and words come again (a Chinese one is one character)."""
    return sum(_units(c, bold) for c in shaped(text))


def width(text: str, size: float, bold: bool = False) -> float:
    """ReportLab does not kern TrueType text: a width is the sum of the drawn characters' advances."""
    return _measure(text, bold) * size / 1000


def line_width(line: str, size: float, rtl: bool, bold: bool = False) -> float:
    """The width of a logical line as Text and draw_line draw it (shaped, reordered, per-run fonts)."""
    return _drawn(line, rtl, bold, size)[1]


def _cut(word: str, room: float, bold: bool) -> int:
    """How many characters of a word too long for a line go on it (at least one); the cut moves back
    rather than start the next line with a closing mark or end this one with an opening mark."""
    if not has_rtl_script(word):
        used, count = 0.0, 0
        while count < len(word) and used + _units(word[count], bold) <= room:
            used += _units(word[count], bold)
            count += 1
    else:
        count, high = 1, len(word)  # joined letters: the widest prefix that fits, found by halving
        while count < high:
            middle = (count + high + 1) // 2
            if _measure(word[:middle], bold) <= room:
                count = middle
            else:
                high = middle - 1
    count = max(count, 1)
    for cut in range(count, 0, -1):
        if cut == len(word) or (word[cut] not in NO_START and word[cut - 1] not in NO_END):
            return cut
    return count  # no cut keeps the rules (a line narrower than two characters): the width wins


@cache
def wrap(text: str, size: float, limit: float, bold: bool = False) -> tuple[str, ...]:
    """Lines in logical order that fit ``limit`` as drawn: break where reports.linebreak allows (spaces,
    around CJK characters by the kinsoku rules), and inside a word only when the word alone is too long."""
    room = limit * 1000 / size  # in thousandths of the size, like _units
    space = _units(" ", bold)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, used = "", 0.0  # used: the line's advance, its trailing spaces included
        for word in words(paragraph):
            body = word.rstrip(" ")  # only spaces hang at a break (an ideographic space is drawn)
            body_units = _measure(body, bold)
            if line and used + body_units > room:
                lines.append(line.rstrip(" "))
                line, used = "", 0.0
            line += word
            used += body_units + (len(word) - len(body)) * space
            # Shaping never joins across a break, so the advances of the words add up to the line's.
            while len(line.rstrip(" ")) > 1 and used - (len(line) - len(line.rstrip(" "))) * space > room:
                cut = _cut(line.rstrip(" "), room, bold)  # a word longer than a line: break it where it must
                lines.append(line[:cut])
                line = line[cut:]
                body = line.rstrip(" ")
                used = _measure(body, bold) + (len(line) - len(body)) * space
        lines.append(line.rstrip(" "))
    return tuple(lines)


def runs_right_to_left(text: str, document_rtl: bool) -> bool:
    """A paragraph's direction in a document: right to left when the document is, unless the text has
    letters of a left-to-right script and none of Arabic (an English product summary keeps its order;
    numbers and ranges such as "56–104" follow the document)."""
    if not document_rtl:
        return False
    if has_rtl_script(text):
        return True
    return not any(c.isalpha() for c in text)


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
        canvas, size = self.canv, self.style.size
        canvas.setFillColorRGB(*self.style.colour)
        y = self.height - size
        for line in self.lines:
            parts, total = _drawn(line, self.rtl, self.style.bold, size)
            x = {"right": self.width - total, "center": (self.width - total) / 2}.get(self.align, 0.0)
            _draw_runs(canvas, parts, x, y, size)
            y -= self.style.leading


def draw_line(
    canvas, text: str, x: float, y: float, size: float, rtl: bool, align: str = "left", bold: bool = False
) -> None:
    """One line of text at a point (headers, footers, chart labels): shaped, reordered, per-run fonts."""
    parts, total = _drawn(clean(text), runs_right_to_left(text, rtl), bold, size)
    _draw_runs(canvas, parts, {"right": x - total, "center": x - total / 2}.get(align, x), y, size)


def _draw_runs(canvas, parts: tuple[Run, ...], x: float, y: float, size: float) -> None:
    """Runs side by side from (x, y), as one text object: each run moves the pen on by its own width (the
    font's advances, as measured here, and its word spacing), so a line costs one object, not one per run.
    Word spacing is text state that outlives the object: it is set back to none after a run that used it."""
    text = canvas.beginText(x, y)
    for font, part, spacing in parts:
        text.setFont(font, size)
        if spacing:
            text.setWordSpace(spacing)
        text.textOut(part)
        if spacing:
            text.setWordSpace(0)
    canvas.drawText(text)
