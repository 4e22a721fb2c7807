"""Text laid out for a terminal: columns counted as a terminal shows them (a Chinese character takes
two, a combining mark none), lines shortened or wrapped to fit, and tables with aligned columns; every
text shown safely (:func:`safe`: no control character reaches the terminal)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

WIDTH = 100
"""Columns the readable output fits in."""
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
"""Characters a terminal acts on instead of showing: C0 and C1 controls (escape sequences, line breaks,
carriage returns that let a name forge a row), line separators and the bidi controls that reorder a line."""


def safe(text: str) -> str:
    """``text`` with every control character shown as its escape (a line break as \\n, ESC as \\x1b, a
    right-to-left override as \\u202e): what the command line prints is what is stored, on one line."""
    return _UNSAFE.sub(lambda found: found.group().encode("unicode_escape").decode("ascii"), text)


def columns(text: str) -> int:
    """Terminal columns ``text`` takes."""
    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text
    )


def fit(text: str, width: int = WIDTH) -> str:
    """``text`` on one line, shortened with "…" to at most ``width`` terminal columns (shown :func:`safe`)."""
    text = safe(" ".join(text.split()))
    if columns(text) <= width:
        return text
    kept, used = [], 0
    for char in text:
        used += columns(char)
        if used > width - 1:
            break
        kept.append(char)
    return "".join(kept).rstrip() + "…"


def wrapped(text: str, first: str = "", rest: str = "", width: int = WIDTH) -> list[str]:
    """Lines of at most ``width`` terminal columns, broken at spaces or, in text without spaces (Chinese),
    between characters; ``first`` and ``rest`` start the first and the following lines (shown :func:`safe`)."""
    text = safe(" ".join(text.split()))
    lines: list[str] = []
    line, used = first, columns(first)
    for word in re.findall(r"\S+\s*|\s+", text) if " " in text else list(text):
        size = columns(word.rstrip())
        if used + size > width and line.strip():
            lines.append(line.rstrip())
            line, used = rest, columns(rest)
        while size > width - used:  # a word longer than a line
            room, piece = width - used, ""
            for char in word:
                if columns(piece + char) > room:
                    break
                piece += char
            lines.append((line + piece).rstrip())
            word = word[len(piece) :]
            line, used = rest, columns(rest)
            size = columns(word.rstrip())
        line += word
        used += columns(word)
    lines.append(line.rstrip())
    return [entry for entry in lines if entry.strip()] or [first.rstrip()]


def _pad(text: str, width: int, right: bool) -> str:
    room = " " * max(0, width - columns(text))
    return room + text if right else text + room


def table(
    header: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[int] = (), free_last: bool = False
) -> list[str]:
    """Rows under a header in aligned columns two spaces apart; columns in ``right`` aligned right; every
    cell shown :func:`safe` (a name holding a line break or an escape sequence cannot forge a row).

    ``free_last``: the last column is not padded (a long detail or path runs on)."""
    lines = [[safe(cell) for cell in header], *[[safe(cell) for cell in row] for row in rows]]
    count = len(header) - (1 if free_last else 0)
    widths = [max(columns(line[i]) for line in lines) for i in range(count)]
    out = []
    for line in lines:
        cells = [_pad(line[i], widths[i], i in right) for i in range(count)] + line[count:]
        out.append("  ".join(cells).rstrip())
    return out


def clip(text: str, limit: int) -> str:
    return fit(text, limit)
