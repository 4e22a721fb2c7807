"""A logical line as it is drawn: Arabic shaped, the line reordered, amounts and brackets kept whole.

python-bidi's pure-Python algorithm (``bidi.algorithm``, the one that mirrors brackets, rule L4) knows
neither isolates (it fails on LRI) nor the bracket-pair rule N0 of Unicode 6.3; its Rust
``bidi.get_display`` knows both but mirrors nothing. So the two things a reader notices are done here
before the pure-Python algorithm runs, with stand-in characters:

* every currency amount ("189,307 US$", "CN¥ 1,200,000", "€48,000–€57,000", a range of two) is an
  isolate: one stand-in of class ON takes its place, as an isolate counts as a neutral to the text
  around it, and the amount comes back left to right, exactly as Babel wrote it in the logical string;
* a bracket pair is resolved as rule N0 resolves it (a title in Latin letters inside an Arabic sentence
  keeps its parentheses; a parenthesis never jumps to the other end of the line): the two brackets are
  replaced by stand-ins of the strong class N0 gives them, and come back mirrored when that class is R.

An amount whose currency is written in Arabic letters (ر.س.) is left to the algorithm: it then reads
right to left like the sentence around it, the number first.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import cache, lru_cache

from reports.fonts import ARABIC

MIRROR = {"(": ")", ")": "(", "[": "]", "]": "[", "{": "}", "}": "{"}
OPENING = {"(": ")", "[": "]", "{": "}"}
MAX_BRACKET_DEPTH = 63  # rule BD16: deeper nesting stops the pairing
ISOLATE_STANDINS = [chr(c) for c in range(0x2FF0, 0x2FFC)] + [chr(c) for c in range(0x2400, 0x2427)]
"""Ideographic description characters and control pictures: class ON, never mirrored or shaped."""
LEFT_STANDINS = {bracket: chr(0xE000 + n) for n, bracket in enumerate(MIRROR)}  # private use: class L
RIGHT_STANDINS = {bracket: chr(0x05D0 + n) for n, bracket in enumerate(MIRROR)}  # Hebrew letters: class R
_CURRENCY_BLOCKS = ((0x24, 0x24), (0xA2, 0xA5), (0x58F, 0x58F), (0x9F2, 0x9F3), (0xAF1, 0xAF1), (0xBF9, 0xBF9),
                    (0xE3F, 0xE3F), (0x17DB, 0x17DB), (0x20A0, 0x20C0), (0xFE69, 0xFE69), (0xFF04, 0xFF04),
                    (0xFFE0, 0xFFE1), (0xFFE5, 0xFFE6))  # fmt: skip


def has_rtl_script(text: str) -> bool:
    return ARABIC.search(text) is not None


@cache
def _amount() -> re.Pattern[str]:
    """An amount, or a range of two: a number with a currency symbol or code before or after it.

    A symbol is a currency sign written left to right ($ € £ ¥ ₽ ...), with up to three capitals before it
    (US$, CN¥, UK£); it may stand next to the number or a space away. A three-letter code (RUB, SAR) counts
    only next to the number or a no-break space away, as Babel writes it: "2024 FDA" is no amount.
    """
    signs = "".join(
        re.escape(chr(code))
        for first, last in _CURRENCY_BLOCKS
        for code in range(first, last + 1)
        if unicodedata.category(chr(code)) == "Sc" and unicodedata.bidirectional(chr(code)) not in ("R", "AL")
    )
    number = r"\d(?:[\d,.\u066b\u066c]*\d)?"
    sign = rf"(?<![A-Za-z])[A-Z]{{0,3}}[{signs}]"
    code = r"(?<![A-Za-z])[A-Z]{3}(?![A-Za-z])"
    before = rf"(?:{sign}[ \u00a0]?|{code}(?:\u00a0|(?=\d[\d,.]*\d)))"  # "HER2" is a marker, "SAR1,200" an amount
    after = rf"(?:[ \u00a0]?{sign}(?![A-Za-z])|\u00a0?{code})"
    part = rf"{before}?{number}{after}?"
    return re.compile(rf"{part}(?:[ \u00a0]?[–—\-−][ \u00a0]?{part})?")


def _has_currency(match: str) -> bool:
    return bool(re.search(r"[^\d\s\u00a0,.\u066b\u066c–—\-−]", match))


def amounts(line: str) -> list[tuple[int, int]]:
    """The (start, end) of every currency amount or range of amounts in ``line``."""
    return [m.span() for m in _amount().finditer(line) if _has_currency(m.group())]


def _strong(char: str) -> str | None:
    kind = unicodedata.bidirectional(char)
    if kind == "L":
        return "L"
    if kind in ("R", "AL", "AN"):
        return "R"
    return "EN" if kind == "EN" else None


def bracket_pairs(text: str) -> list[tuple[int, int]]:
    """Rule BD16: the (opening, closing) positions of matching brackets, by opening position."""
    stack: list[tuple[str, int]] = []
    pairs = []
    for index, char in enumerate(text):
        if char in OPENING:
            if len(stack) == MAX_BRACKET_DEPTH:
                break
            stack.append((OPENING[char], index))
        elif char in MIRROR:
            for depth in range(len(stack) - 1, -1, -1):
                if stack[depth][0] == char:
                    pairs.append((stack[depth][1], index))
                    del stack[depth:]
                    break
    return sorted(pairs)


def resolve_brackets(text: str, rtl: bool) -> dict[int, str]:
    """Rule N0: the direction ("L" or "R") each paired bracket takes; brackets with no strong text
    between them are left out (the neutral rules place them)."""
    embedding = "R" if rtl else "L"
    kinds: list[str | None] = []
    last = embedding  # start of sequence: the paragraph's direction
    for char in text:  # strong types, European numbers taken as L after L text (rule W7) and as R otherwise
        kind = _strong(char)
        if kind == "EN":
            kind = "L" if last == "L" else "R"
        elif kind is not None:
            last = kind
        kinds.append(kind)
    resolved: dict[int, str] = {}
    for opening, closing in bracket_pairs(text):
        inside = set(kinds[opening + 1 : closing])
        if embedding in inside:
            direction = embedding
        elif inside - {None}:
            # only the other direction inside: the brackets follow the text before them
            direction = next((k for k in reversed(kinds[:opening]) if k is not None), embedding)
        else:
            continue
        resolved[opening] = resolved[closing] = direction
        kinds[opening] = kinds[closing] = direction  # later pairs see these brackets as strong
    return resolved


def _protect(line: str, rtl: bool) -> tuple[str, Callable[[str], str]]:
    """The line with stand-ins for amounts and paired brackets, and how to put them back."""
    taken = set(line)
    free = iter(s for s in ISOLATE_STANDINS if s not in taken)
    back: dict[str, str] = {}
    parts, index = [], 0
    for start, end in amounts(line):
        standin = next(free, None)
        if standin is None:  # more amounts than stand-ins: the rest are left to the algorithm
            break
        back[standin] = line[start:end]  # drawn left to right, as written
        parts += [line[index:start], standin]
        index = end
    text = "".join([*parts, line[index:]])  # an isolate is a neutral to the text around it
    if not taken & (set(LEFT_STANDINS.values()) | set(RIGHT_STANDINS.values())):
        chars = list(text)
        for position, direction in resolve_brackets(text, rtl).items():
            bracket = chars[position]
            standin = (LEFT_STANDINS if direction == "L" else RIGHT_STANDINS)[bracket]
            back[standin] = bracket if direction == "L" else MIRROR[bracket]  # L4 mirrors what is R
            chars[position] = standin
        text = "".join(chars)
    if not back:
        return line, lambda shown: shown
    return text, lambda shown: "".join(back.get(c, c) for c in shown)


class _Settings:
    """A reshaper's configuration with every setting looked up once: arabic_reshaper asks its ConfigParser
    for six of them on every call, which takes longer than shaping the word itself."""

    def __init__(self, section) -> None:
        self.get = cache(section.get)
        self.getboolean = cache(section.getboolean)


@cache
def _reshape() -> Callable[[str], str]:
    """arabic_reshaper's default shaping (its default configuration), imported on first use."""
    from arabic_reshaper import ArabicReshaper

    reshaper = ArabicReshaper()
    reshaper.configuration = _Settings(reshaper.configuration)
    return reshaper.reshape


@lru_cache(maxsize=8192)
def visual(line: str, rtl: bool) -> str:
    """A logical line as it is drawn: Arabic shaped and the line reordered (right to left when ``rtl``)."""
    if not rtl and not has_rtl_script(line):
        return line
    from bidi.algorithm import get_display  # this one mirrors brackets (rule L4); bidi.get_display does not

    protected, restore = _protect(line, rtl)
    return restore(get_display(_reshape()(protected), base_dir="R" if rtl else "L"))


@lru_cache(maxsize=65536)
def shaped(word: str) -> str:
    """A word's letters in the forms that are drawn (Arabic joins only within a word): what to measure."""
    if not has_rtl_script(word):
        return word
    return _reshape()(word)
