"""A layout checker for rendered plans: the PDF read back as a reader sees it (poppler's word boxes from
``pdftotext -bbox-layout``, and pypdf's text operators for the font sizes), then checked page by page.

The rules are the document's specification, not its implementation (nothing is imported from
reports.document): A4 or any paper, the printable area is the paper less ``PRINT_MARGIN``; the bottom
``FOOTER_BAND`` of every page holds only the footer text and "page X of Y"; the top ``HEADER_BAND`` of
every page after the first holds only the running header (organisation, reference, patient); no two
lines overlap; no page's body holds a single line; a table continued on another page repeats its header
row in the same columns; no heading ends a page; text is never smaller than its role's minimum.

Every check returns its problems as readable strings ("page 3: ..."), empty when the rule holds.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
import unicodedata
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from planning import plan as model

MM = 72 / 25.4
PRINT_MARGIN = 7 * MM
"""Text must stay this far inside every edge of the paper (what office printers leave unprinted, and more)."""
FOOTER_BAND = 20 * MM
"""The bottom of every page: the footer text and the page label, nothing else."""
HEADER_BAND = 18 * MM
"""The top of every page after the first: the running header, nothing else."""
MIN_SIZE = {"body": 10.0, "cell": 9.0, "small": 8.0, "band": 8.0}
"""The smallest font size of each role, in points."""
FLOOR = 7.5
"""The smallest font size anywhere (a chart's tick labels)."""
OVERLAP_X = 1.0
"""Two boxes side by side may touch by this much (points) ..."""
OVERLAP_Y = 0.4
"""... or overlap vertically by this share of the smaller one: poppler's boxes of Arabic glyphs are taller
than the line, so adjacent lines overlap a little and are not counted."""

XHTML = "{http://www.w3.org/1999/xhtml}"


@dataclass(frozen=True)
class Word:
    """A word's box in points from the top left of the page, as poppler measures it."""

    text: str
    left: float
    top: float
    right: float
    bottom: float

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass(frozen=True)
class Run:
    """One text-showing operator: its text as drawn, its size on the page and its baseline (from the top)."""

    text: str
    size: float
    x: float
    y: float


@dataclass
class Page:
    number: int
    width: float
    height: float
    words: list[Word] = field(default_factory=list)
    runs: list[Run] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    """Each word's text as compared (``normal``)."""

    def at(self, word: Word) -> str:
        return f"page {self.number}: {word.text!r} at ({word.left:.0f}, {word.top:.0f})"


MIRRORED = str.maketrans(")]}»›>", "([{«‹<")
"""Brackets and quotes as one: right-to-left lines draw their mirror images."""


def normal(text: str) -> str:
    """Text compared as characters: compatibility forms folded (Arabic presentation forms to letters), mirrored
    pairs as one, no spaces, no format characters, no ellipsis (a cut text may end with one)."""
    folded = unicodedata.normalize("NFKC", text.replace("…", "")).translate(MIRRORED)
    return "".join(c for c in folded if not c.isspace() and unicodedata.category(c) not in ("Cf", "Cc"))


def read(pdf: bytes) -> list[Page]:
    """The pages of ``pdf`` with their words (poppler) and text runs (pypdf)."""
    if shutil.which("pdftotext") is None:
        raise RuntimeError("pdftotext (poppler-utils) is needed to check layouts")
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "plan.pdf"
        source.write_bytes(pdf)
        result = subprocess.run(
            ["pdftotext", "-bbox-layout", str(source), "-"], capture_output=True, check=True, timeout=60
        )
    root = ET.fromstring(result.stdout)
    pages: list[Page] = []
    for number, element in enumerate(root.iter(f"{XHTML}page"), 1):
        page = Page(number, float(element.get("width", 0)), float(element.get("height", 0)))
        for word in element.iter(f"{XHTML}word"):
            box = [float(word.get(k, 0)) for k in ("xMin", "yMin", "xMax", "yMax")]
            page.words.append(Word(word.text or "", *box))
            page.texts.append(normal(word.text or ""))
        pages.append(page)
    _add_runs(pdf, pages)
    return pages


def _add_runs(pdf: bytes, pages: list[Page]) -> None:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    for page, pdf_page in zip(pages, reader.pages, strict=True):

        def visit(text, cm, tm, _font, size, page=page) -> None:
            if not text.strip():
                return
            _a, _b, c, d, e, f = _multiply(tm, cm)
            scale = (c * c + d * d) ** 0.5  # the vertical scale of the text space on the page
            page.runs.append(Run(text, size * scale, e, page.height - f))

        pdf_page.extract_text(visitor_text=visit)


def _multiply(m: list[float], n: list[float]) -> tuple[float, ...]:
    a, b, c, d, e, f = m
    g, h, i, j, k, l = n  # noqa: E741 - the six numbers of a PDF matrix
    return (a * g + b * i, a * h + b * j, c * g + d * i, c * h + d * j, e * g + f * i + k, e * h + f * j + l)


# --- the checks -------------------------------------------------------------------------------------------


def printable(pages: list[Page]) -> list[str]:
    """(a) No text outside the printable area: the paper less PRINT_MARGIN on every side."""
    problems = []
    for page in pages:
        for word in page.words:
            if (
                word.left < PRINT_MARGIN
                or word.top < PRINT_MARGIN
                or word.right > page.width - PRINT_MARGIN
                or word.bottom > page.height - PRINT_MARGIN
            ):
                problems.append(f"{page.at(word)}: outside the printable area")
    return problems


def overlaps(pages: list[Page]) -> list[str]:
    """(b) No two words overlapping: boxes that intersect across by more than OVERLAP_X and vertically by more
    than OVERLAP_Y of the smaller box."""
    problems = []
    for page in pages:
        words = sorted(page.words, key=lambda w: w.top)
        for index, first in enumerate(words):
            for second in words[index + 1 :]:
                if second.top >= first.bottom:
                    break
                across = min(first.right, second.right) - max(first.left, second.left)
                down = min(first.bottom, second.bottom) - max(first.top, second.top)
                if across > OVERLAP_X and down > OVERLAP_Y * min(first.height, second.height):
                    problems.append(
                        f"{page.at(first)} overlaps {second.text!r} at ({second.left:.0f}, {second.top:.0f})"
                    )
    return problems


def _in_footer(page: Page, word: Word) -> bool:
    return word.bottom > page.height - FOOTER_BAND


def _in_header(page: Page, word: Word) -> bool:
    return page.number > 1 and word.top < HEADER_BAND


def bands(pages: list[Page], footer: str, page_label: str, running: Iterable[str]) -> list[str]:
    """(c) The footer band of each page holds the footer text and its page label (``page_label`` with {page}
    and {pages}) and nothing else; the header band of each later page holds nothing but the ``running``
    header's texts (they may be cut short). Compared as characters, so that right-to-left lines, drawn in
    visual order and shaped, are compared as well."""
    problems = []
    header_allowed = Counter(normal(" ".join(running)))
    for page in pages:
        label = normal(page_label.format(page=page.number, pages=len(pages)))
        found = [w for w in page.words if _in_footer(page, w)]
        expected = normal(footer) + label
        extra = Counter(normal(" ".join(w.text for w in found))) - Counter(expected)
        if extra:
            strays = [w.text for w in found if not _explained(w.text, expected)] or [w.text for w in found]
            problems.append(f"page {page.number}: the footer band holds more than the footer: {strays[:8]}")
        missing = Counter(label) - Counter(normal(" ".join(w.text for w in found)))
        if missing:
            problems.append(f"page {page.number}: the page label is not (whole) in the footer band")
        top = [w for w in page.words if _in_header(page, w)]
        extra = Counter(normal(" ".join(w.text for w in top))) - header_allowed
        if extra:
            allowed = normal(" ".join(running))
            strays = [w.text for w in top if not _explained(w.text, allowed)] or [w.text for w in top]
            problems.append(f"page {page.number}: the header band holds more than the running header: {strays[:8]}")
    return problems


def _explained(word: str, expected: str) -> bool:
    """Whether a word read back is part of the expected text (either way round: right-to-left words are read
    back in visual order)."""
    shown = normal(word)
    return shown in expected or shown[::-1] in expected


def _lines(words: list[Word]) -> list[list[Word]]:
    """Words grouped into the lines they are set on: boxes that share most of their height."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.top + w.bottom) / 2):
        middle = (word.top + word.bottom) / 2
        if lines and any(abs(middle - (w.top + w.bottom) / 2) < 0.3 * min(w.height, word.height) for w in lines[-1]):
            lines[-1].append(word)
        else:
            lines.append([word])
    return lines


def body_lines(pages: list[Page]) -> list[str]:
    """(d) No page whose body (between the bands) holds a single line of text, or none."""
    problems = []
    for page in pages:
        body = [w for w in page.words if not _in_footer(page, w) and not _in_header(page, w)]
        count = len(_lines(body))
        if count < 2:
            shown = " ".join(w.text for w in body)[:80]
            problems.append(f"page {page.number}: the body holds {count} line(s): {shown!r}")
    return problems


def headings_at_foot(pages: list[Page], headings: Iterable[str]) -> list[str]:
    """(g) No heading is the last line of a page's body (it belongs with the text it announces). Lines are
    compared as characters, so that right-to-left headings count too."""
    wanted = {tuple(sorted(Counter(normal(h)).items())) for h in headings if len(normal(h)) >= 3}
    problems = []
    for page in pages[:-1]:
        body = [w for w in page.words if not _in_footer(page, w) and not _in_header(page, w)]
        lines = _lines(body)
        if lines:
            last = " ".join(w.text for w in sorted(lines[-1], key=lambda w: w.left))
            if tuple(sorted(Counter(normal(last)).items())) in wanted:
                problems.append(f"page {page.number}: the heading {last!r} ends the page")
    return problems


@dataclass(frozen=True)
class Spot:
    page: int
    top: float
    lefts: tuple[float, ...]


def _find_row(pages: list[Page], keys: list[str]) -> list[Spot]:
    """Where every key of a row starts a word on one page, all at the same height (cells are top-aligned)."""
    spots = []
    for page in pages:
        words = list(zip(page.texts, page.words, strict=True))
        matches = [
            [w for text, w in words if text.startswith(key) or (len(text) >= 2 and key.startswith(text))]
            for key in keys
        ]
        if not all(matches):
            continue
        for anchor in matches[0]:
            row = [next((w for w in found if abs(w.top - anchor.top) < 2), None) for found in matches]
            if all(row):
                spots.append(Spot(page.number, anchor.top, tuple(w.left for w in row if w is not None)))
    return spots


def table_headers(pages: list[Page], tables: Iterable[tuple[list[str], list[list[str]]]]) -> list[str]:
    """(e) A table continued on another page repeats its header row there, just above its first row on that
    page, with its columns where they were on the table's first page. ``tables``: each table's header keys
    and its rows' keys, as they are drawn (a cell's first word, in visual order when right to left)."""
    problems = []
    for header, rows in tables:
        after = Spot(0, -1.0, ())
        placed: list[Spot] = []
        for keys in rows:  # each row at its first place after the row before (identical rows elsewhere)
            later = [s for s in _find_row(pages, keys) if (s.page, s.top) > (after.page, after.top)]
            if later:
                after = min(later, key=lambda s: (s.page, s.top))
                placed.append(after)
        pages_used = sorted({s.page for s in placed})
        if len(pages_used) < 2:
            continue
        first_header: Spot | None = None
        for index, number in enumerate(pages_used):
            page = pages[number - 1]
            top = min(s.top for s in placed if s.page == number)
            above = sorted((s for s in _find_row([page], header) if s.top < top - 2), key=lambda s: s.top)
            if index == 0:  # the table's own header, just above its first row: where its columns are
                near = [s for s in above if s.top > top - 45]
                first_header = near[-1] if near else None
                continue
            # a continued table starts the page's body, with its header row
            body_top = min(w.top for w in page.words if not _in_header(page, w))
            repeated = above[0] if above and above[0].top <= body_top + 2 else None
            if repeated is None:
                problems.append(f"page {number}: a table continues without its header row {header}")
            elif first_header is not None and any(
                abs(a - b) > 1.5 for a, b in zip(repeated.lefts, first_header.lefts, strict=False)
            ):
                problems.append(
                    f"page {number}: the continued table's header {header} is at {repeated.lefts}, "
                    f"not where it was ({first_header.lefts})"
                )
    return problems


def sizes(pages: list[Page], roles: dict[str, list[str]]) -> list[str]:
    """(f) No text smaller than FLOOR; none smaller than its role's minimum (MIN_SIZE). A run's role is found
    by its text: it must be as large as the smallest minimum among the roles whose texts contain it (a run
    found in no role's texts, a chart's tick label say, is held to FLOOR only)."""
    texts = {role: [normal(t) for t in values] for role, values in roles.items()}
    problems = []
    for page in pages:
        for run in page.runs:
            shown = normal(run.text)
            need = FLOOR
            if run.y > page.height - FOOTER_BAND or (page.number > 1 and run.y < HEADER_BAND):
                need = MIN_SIZE["band"]
            elif len(shown) >= 12:  # long enough to tell where it comes from
                found = [MIN_SIZE[role] for role, values in texts.items() if any(shown in t for t in values)]
                need = min(found, default=FLOOR)
            if run.size < need - 0.01:
                problems.append(f"page {page.number}: {run.text.strip()[:40]!r} is {run.size:g} pt, under {need:g}")
    return problems


# --- what a plan says the checks should expect ------------------------------------------------------------


def roles_of(plan: model.Plan) -> dict[str, list[str]]:
    """The plan's texts by the role that sets their minimum size."""
    roles: dict[str, list[str]] = {"body": [plan.title], "cell": [], "small": []}
    for block in plan.blocks:
        if isinstance(block, model.Heading):
            roles["body"].append(block.text)
        elif isinstance(block, model.Paragraph):
            roles["small" if block.style == "small" else "body"].append(block.text)
        elif isinstance(block, model.KeyValues):
            roles["cell"].extend(v for pair in block.pairs for v in pair)
        elif isinstance(block, model.Table):
            roles["cell"].extend([*block.headers, *(v for row in block.rows for v in row)])
        elif isinstance(block, model.RangeChart):  # a chart's labels, amounts and legend: small text
            roles["small"].extend([block.title, block.reference_label, *(label for label, _lo, _hi in block.rows)])
            roles["small"].extend(_amounts(plan, low, high) for _label, low, high in block.rows)
        elif isinstance(block, model.TimelineChart):
            steps = [name for _place, row in block.rows for name, _lo, _hi in row]
            roles["small"].extend([block.title, block.days_label, *(place for place, _r in block.rows), *steps])
    return roles


def _amounts(plan: model.Plan, low, high) -> str:
    """A low–high amount as a chart writes it under its label."""
    from decimal import Decimal

    from planning.i18n import format_money

    whole = [format_money(v.quantize(Decimal(1)), plan.currency, plan.locale) for v in (low, high)]
    return whole[0] if whole[0] == whole[1] else f"{whole[0]} – {whole[1]}"


def _key(cell: str, rtl: bool) -> str:
    """A cell's first word as it is drawn and read back (shaped and reordered when right to left)."""
    from reports.text import clean, runs_right_to_left, visual

    words = clean(cell).split()
    if not words:
        return ""
    word = words[0]
    return normal(visual(word, runs_right_to_left(clean(cell), rtl)))[:8]


def tables_of(plan: model.Plan) -> list[tuple[list[str], list[list[str]]]]:
    """Each table with a header row, as the header's and rows' keys (cells too short to tell are left out)."""
    found = []
    for block in plan.blocks:
        if isinstance(block, model.Table) and block.headers and len(block.rows) > 1:
            header = [k for k in (_key(h, plan.rtl) for h in block.headers) if len(k) >= 2]
            rows = [[k for k in (_key(c, plan.rtl) for c in row) if len(k) >= 2] for row in block.rows]
            if header:
                found.append((header, [r for r in rows if r]))
    return found


def running_texts(plan: model.Plan) -> list[str]:
    return [plan.organisation.name, plan.reference, plan.patient_name, "·"]


def check(plan: model.Plan, pdf: bytes) -> list[str]:
    """Every problem of the rendered ``plan`` (all checks)."""
    pages = read(pdf)
    return [
        *printable(pages),
        *overlaps(pages),
        *bands(pages, plan.footer, plan.page_label, running_texts(plan)),
        *body_lines(pages),
        *headings_at_foot(pages, [b.text for b in plan.blocks if isinstance(b, model.Heading)]),
        *table_headers(pages, tables_of(plan)),
        *sizes(pages, roles_of(plan)),
    ]
