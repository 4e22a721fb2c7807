"""The plan as a PDF: a document model (planning.plan) drawn with ReportLab platypus.

Page 1 carries the organisation's letterhead, later pages a slim running header (organisation, reference and
patient); every page a footer band that holds only the footer text and "page X of Y". Each of these is
measured: long values wrap, shrink or are cut with "…", and never meet each other or the body. Tables repeat
their header row, split only between rows (a row taller than a whole page splits inside itself), keep short
tables whole and keep a heading with what follows it. Right-to-left documents are mirrored. The output is
byte-for-byte repeatable (invariant) for the same input, its dates those of the plan.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import cast

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Table, TableStyle

from planning import plan as model
from planning.files import write_atomic
from planning.i18n import format_money, format_number
from reports.charts import RangeChart, TimelineChart, ellipsis
from reports.logo import LogoError, read_logo
from reports.text import Style, Text, draw_line, register_fonts, width, wrap

ACCENT = (0.09, 0.27, 0.55)
GREY = (0.35, 0.35, 0.35)
STYLES = {
    "title": Style(size=18, leading=23, bold=True, space_after=8, colour=ACCENT),
    "h1": Style(size=14, leading=18, bold=True, space_after=5, colour=ACCENT),
    "h2": Style(size=12, leading=15.5, bold=True, space_after=4),
    "body": Style(size=10, leading=14, space_after=5),
    "small": Style(size=8.5, leading=11.5, space_after=3, colour=(0.3, 0.3, 0.3)),
    "note": Style(size=10, leading=13.5, space_after=5, colour=(0.55, 0.33, 0.0)),
    "warning": Style(size=10, leading=13.5, bold=True, space_after=6, colour=(0.6, 0.2, 0.0)),
    "cell": Style(size=9, leading=12, space_after=0),
    "cell-bold": Style(size=9, leading=12, bold=True, space_after=0),
}
SPACE_BEFORE = {1: 10.0, 2: 6.0}
"""Space above a heading of each level (dropped at the top of a page)."""

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 18 * mm
"""Left and right margins."""
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
BODY_BOTTOM = 21 * mm
"""The body ends here; below is the footer band (the footer text and the page label only)."""
FOOTER_SIZE = 8.0
FOOTER_LEADING = 10.0
FOOTER_BASELINE = 9 * mm
"""The lowest footer line."""
HEADER_SIZE = 8.5
HEADER_BASELINE = PAGE_HEIGHT - 11 * mm
"""The running header of pages 2 and later."""
BODY_TOP = PAGE_HEIGHT - 19 * mm
"""The body starts here on pages 2 and later; above is the running header."""
LETTERHEAD_TOP = PAGE_HEIGHT - 12 * mm
LOGO_BOX = (26 * mm, 16 * mm)
"""The largest a logo is drawn (width, height), keeping its proportions."""
TABLE_PADDING = 4.0
KEEP_ROWS = 8
"""A table of at most this many rows is kept on one page (unless it takes more than half of one)."""
FORMER_DEFAULT_SENDER = "CarePlan Desk"
"""The organisation name plans carried before Settings had a letterhead: the product, never a sender."""


def sender_name(organisation: model.Organisation) -> str:
    """The organisation's name as printed: empty when none is set (or the product's name stands in for one)."""
    name = organisation.name.strip()
    return "" if name == FORMER_DEFAULT_SENDER else name


# --- measured lines ----------------------------------------------------------------------------------------


def fitted(text: str, size: float, limit: float, bold: bool, most: int, smallest: float) -> tuple[float, list[str]]:
    """``text`` in lines at most ``limit`` wide: wrapped, shrunk from ``size`` towards ``smallest`` while it takes
    more than ``most`` lines, the last line cut with "…" when it still does."""
    while True:
        lines = [line for line in wrap(text.strip(), size, limit, bold) if line.strip()]
        if len(lines) <= most or size <= smallest:
            break
        size = max(smallest, size - 0.5)
    if len(lines) > most:
        lines = [*lines[: most - 1], ellipsis(" ".join(lines[most - 1 :]), size, limit, bold)]
    return size, [ellipsis(line, size, limit, bold) for line in lines]  # a line of one long word, measured again


@dataclass(frozen=True)
class Line:
    text: str
    size: float
    bold: bool = False
    colour: tuple[float, float, float] = GREY

    @property
    def leading(self) -> float:
        return self.size * 1.3


class Letterhead:
    """Page 1's letterhead: the logo on the reading side, beside it the organisation's name (bold), address,
    contact and registration lines, each only when set; then a rule across the page."""

    def __init__(self, plan: model.Plan, logo: ImageReader | None, extra: str = ""):
        organisation = plan.organisation
        self.rtl, self.logo = plan.rtl, logo
        self.logo_size = (0.0, 0.0)
        if logo is not None:
            pixels_wide, pixels_high = logo.getSize()
            scale = min(LOGO_BOX[0] / pixels_wide, LOGO_BOX[1] / pixels_high)
            self.logo_size = (pixels_wide * scale, pixels_high * scale)
        self.indent = self.logo_size[0] + 5 * mm if logo is not None else 0.0
        limit = TEXT_WIDTH - self.indent
        self.lines: list[Line] = []
        for text, size, bold, most, smallest, colour in (
            (sender_name(organisation), 14.0, True, 2, 10.0, ACCENT),
            (organisation.address, 9.0, False, 4, 8.0, GREY),
            (organisation.contact, 9.0, False, 2, 8.0, GREY),
            (organisation.registration, 8.5, False, 2, 8.0, GREY),
            (extra, 9.0, False, 2, 8.0, GREY),
        ):
            if not text.strip():
                continue
            chosen, lines = fitted(text, size, limit, bold, most, smallest)
            self.lines.extend(Line(line, chosen, bold, colour) for line in lines)
        text_height = sum(line.leading for line in self.lines)
        self.height = max(text_height, self.logo_size[1]) + (4 * mm if self.lines or logo is not None else 0.0)

    def draw(self, canvas: Canvas) -> None:
        if self.height <= 0:
            return
        start = PAGE_WIDTH - MARGIN if self.rtl else MARGIN
        if self.logo is not None:
            logo_width, logo_height = self.logo_size
            canvas.drawImage(
                self.logo,
                start - logo_width if self.rtl else start,
                LETTERHEAD_TOP - logo_height,
                logo_width,
                logo_height,
                mask="auto",
            )
        x = start - self.indent if self.rtl else start + self.indent
        y = LETTERHEAD_TOP
        for line in self.lines:
            y -= line.leading
            canvas.setFillColorRGB(*line.colour)
            baseline = y + line.leading - line.size
            direction = own_direction(line.text, self.rtl)
            draw_line(canvas, line.text, x, baseline, line.size, direction, "right" if self.rtl else "left", line.bold)
        canvas.setStrokeColorRGB(*ACCENT)
        canvas.setLineWidth(0.8)
        rule = LETTERHEAD_TOP - self.height + 1 * mm
        canvas.line(MARGIN, rule, PAGE_WIDTH - MARGIN, rule)


def own_direction(text: str, document_rtl: bool) -> bool:
    """Whether a line standing on its own (a name, a letterhead line) runs right to left: as the document's
    paragraphs do in a right-to-left document; in a left-to-right one, when its first letter is Arabic (an
    Arabic name keeps its ellipsis at its own end)."""
    if document_rtl:
        return True
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


@dataclass(frozen=True)
class RunningHeader:
    """Pages 2 and later: the organisation's name on the reading side; the reference and the patient's name
    on the other. Measured so that they never meet: the name takes at most 45 % of the width when both are
    long, the patient's name is cut with "…" to fit the rest."""

    name: str
    reference: str
    patient: str
    rtl: bool
    size: float = HEADER_SIZE
    GAP = 14.0
    SEPARATOR = " · "

    @classmethod
    def of(cls, plan: model.Plan, size: float = HEADER_SIZE) -> RunningHeader:
        name = sender_name(plan.organisation)
        reference, patient = plan.reference, " ".join(plan.patient_name.split())
        separator = width(cls.SEPARATOR, size) if patient else 0.0
        other = width(reference, size) + separator + width(patient, size)
        if name and width(name, size, True) + cls.GAP + other > TEXT_WIDTH:
            name = ellipsis(name, size, max(TEXT_WIDTH - cls.GAP - other, TEXT_WIDTH * 0.45), True)
        room = TEXT_WIDTH - (width(name, size, True) + cls.GAP if name else 0.0)
        if other > room:
            reference = ellipsis(reference, size, room)
            patient = ellipsis(patient, size, room - width(reference, size) - separator)
        return cls(name, reference, patient, plan.rtl, size)

    def draw(self, canvas: Canvas, y: float) -> None:
        """Each part on its own, in its own direction, placed in the document's reading order."""
        forward = -1.0 if self.rtl else 1.0  # the reading direction along x
        start = PAGE_WIDTH - MARGIN if self.rtl else MARGIN
        end = MARGIN if self.rtl else PAGE_WIDTH - MARGIN
        lead = "right" if self.rtl else "left"
        if self.name:
            canvas.setFillColorRGB(*ACCENT)
            draw_line(canvas, self.name, start, y, self.size, own_direction(self.name, self.rtl), lead, bold=True)
        parts = [self.reference, self.SEPARATOR.strip(), self.patient] if self.patient else [self.reference]
        spaces = width(" ", self.size)
        total = sum(width(p, self.size) for p in parts) + spaces * 2 * (len(parts) - 1)
        x = (end - forward * total) if self.name else start  # the group ends at the far margin
        canvas.setFillColorRGB(*GREY)
        for part in parts:
            draw_line(canvas, part, x, y, self.size, own_direction(part, self.rtl), lead)
            x += forward * (width(part, self.size) + 2 * spaces)


def footer_lines(plan: model.Plan, pages: int, size: float = FOOTER_SIZE) -> tuple[list[str], bool]:
    """The footer text's lines and whether the page label shares the last one: side by side when both fit
    with a gap (measured with the widest label, "page N of N"), else the label on a line of its own."""
    label = plan.page_label.format(page=pages, pages=pages)
    text = " ".join(plan.footer.split())
    if not text:
        return [], False
    if width(text, size) + 14 + width(label, size) <= TEXT_WIDTH:
        return [text], True
    _size, lines = fitted(text, size, TEXT_WIDTH, False, 2, size)
    return lines, False


# --- flowables ---------------------------------------------------------------------------------------------


class Body(Text):
    """A paragraph that splits across pages leaving at least two lines on each side; a paragraph of three
    lines or fewer moves whole."""

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        if not self.lines or available_width != self.width:
            self.wrap(available_width, available_height)
        count = len(self.lines)
        fits = min(int(available_height // self.style.leading), count - 2)
        if count <= 3 or fits < 2:
            return []
        first = Body("\n".join(self.lines[:fits]), self.style, False, self.align)
        rest = Body("\n".join(self.lines[fits:]), self.style, False, self.align)
        first.rtl = rest.rtl = self.rtl
        first.spaceAfter = 0
        return [first, rest]


class PlanTable(Table):
    """A table that splits only between rows, leaving at least three rows (or one or two tall ones) on either
    side, keeps a short table whole, and repeats its header row. Only a row taller than a whole page
    (``room``) is split inside itself, in its padding."""

    # Set by ReportLab's Table at runtime; types-reportlab leaves these private members out.
    _rowHeights: list[float]
    _calc: Callable[[float, float], None]
    _splitRows: Callable[..., list[Flowable]]

    room = PAGE_HEIGHT
    orphan = 42.0
    """Fewer than three rows make a part of a split table only when they are at least this tall together
    (a row of three lines)."""

    def onSplit(self, T, byRow=1) -> None:
        T.room = self.room

    def _part_ok(self, heights: list[float]) -> bool:
        return len(heights) >= 3 or sum(heights) >= self.orphan

    def split(self, availWidth, availHeight):
        self._calc(availWidth, availHeight)
        heights = list(self._rowHeights)
        header = self.repeatRows if isinstance(self.repeatRows, int) else 0
        if sum(heights) <= availHeight:
            return [self]
        if len(heights) - header <= KEEP_ROWS and sum(heights) <= self.room * 0.5:
            return []  # a short table moves whole
        used, fits = sum(heights[:header]), header
        while fits < len(heights) and used + heights[fits] <= availHeight:
            used += heights[fits]
            fits += 1
        if fits == header:  # not even the first row fits
            if sum(heights[:header]) + heights[header] > self.room:  # and it would not fit a page either
                return self._splitRows(availHeight, doInRowSplit=1)
            return []
        n = fits
        while n > header and not self._part_ok(heights[n:]):
            n -= 1  # leave more than a stray row or two for the next page
        if not self._part_ok(heights[header:n]):
            frame = getattr(self, "_frame", None)
            if frame is None or not frame._atTop:
                return []  # the whole table to the next page
            n = fits  # a page of its own cannot do better: as many rows as fit
        return self._splitRows(sum(heights[:n]) + 0.01, doInRowSplit=0)


class KeepWithNext(Flowable):
    """Headings (with a short paragraph between two of them) kept with the beginning of the block after
    them: split, the block's first part stays with them; unsplittable, they all move to the next page."""

    def __init__(self, lead: list[Flowable], follow: Flowable):
        super().__init__()
        self.lead, self.follow = lead, follow
        self.spaceBefore = lead[0].getSpaceBefore()
        self.spaceAfter = follow.getSpaceAfter()
        self.parts: list[tuple[Flowable, float, float, float]] = []

    def _stack(
        self, items: list[Flowable], available_width: float
    ) -> tuple[list[tuple[Flowable, float, float, float]], float]:
        """The items one under the other: (item, its top from the top, its width and height), and the total
        height."""
        placed: list[tuple[Flowable, float, float, float]] = []
        y = 0.0
        for index, item in enumerate(items):
            if index:
                y += items[index - 1].getSpaceAfter() + item.getSpaceBefore()
            item_width, item_height = item.wrapOn(self._canvas(), available_width, 1e6)
            placed.append((item, y, item_width, item_height))
            y += item_height
        return placed, y

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        self.parts, self.height = self._stack([*self.lead, self.follow], available_width)
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        lead = self.lead
        _placed, lead_height = self._stack(lead, available_width)
        gap = lead[-1].getSpaceAfter() + self.follow.getSpaceBefore()
        room = available_height - lead_height - gap
        parts: list[Flowable] = []
        if room > 0:
            self.follow.wrapOn(self._canvas(), available_width, room)
            parts = self.follow.split(available_width, room)
        if len(parts) >= 2:
            return [KeepWithNext(lead, parts[0]), *parts[1:]]
        frame = getattr(self, "_frame", None)
        if frame is not None and frame._atTop:  # they do not fit a whole page together: one by one
            return [*lead, self.follow]
        return []

    def draw(self) -> None:
        for item, top, item_width, item_height in self.parts:  # aligned as a frame aligns them (hAlign)
            room = self.width - item_width
            x = {"RIGHT": room, "CENTER": room / 2, "CENTRE": room / 2}.get(str(getattr(item, "hAlign", "")), 0.0)
            item.drawOn(self.canv, x, self.height - top - item_height)

    def _canvas(self) -> Canvas:
        """The canvas while the frame measures or splits this (None before: ReportLab's wrapOn allows it)."""
        return cast(Canvas, getattr(self, "canv", None))


def _table(block: model.Table, rtl: bool, width_: float, room: float) -> PlanTable:
    def cell(text: str, bold: bool, column: int) -> list[Flowable]:
        align = ("left" if rtl else "right") if column in block.numeric else None
        return [Text(text, STYLES["cell-bold" if bold else "cell"], rtl, align)]

    rows = [[cell(h, True, i) for i, h in enumerate(block.headers)]] if block.headers else []
    for number, row in enumerate(block.rows):
        bold = block.bold_last and number == len(block.rows) - 1
        rows.append([cell(value, bold, i) for i, value in enumerate(row)])
    total = sum(block.widths) or 1.0
    widths = [fraction / total * width_ for fraction in block.widths]  # exactly the text width
    if rtl:
        rows = [list(reversed(r)) for r in rows]
        widths = list(reversed(widths))
    header = 1 if block.headers else 0
    table = PlanTable(rows, colWidths=widths, repeatRows=header, splitInRow=1, hAlign="RIGHT" if rtl else "LEFT")
    table.room = room
    table.setStyle(
        TableStyle(
            [
                *([("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef7"))] if header else []),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#b8c4d6")),
                ("FONTNAME", (0, 0), (-1, -1), "CarePlan-Sans"),  # the cell's font: never Helvetica
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ("LEFTPADDING", (0, 0), (-1, -1), TABLE_PADDING),
                ("RIGHTPADDING", (0, 0), (-1, -1), TABLE_PADDING),
            ]
        )
    )
    table.spaceAfter = 8
    return table


def _shown(plan: model.Plan) -> str:
    """Every text of the document model's blocks, one per line."""
    texts: list[str] = []
    for block in plan.blocks:
        if isinstance(block, model.KeyValues):
            texts.extend(v for pair in block.pairs for v in pair)
        elif isinstance(block, model.Paragraph | model.Heading):
            texts.append(block.text)
        elif isinstance(block, model.Table):
            texts.extend(v for row in block.rows for v in row)
    return "\n".join(texts)


def coordinator_missing(plan: model.Plan) -> list[str]:
    """The coordinator's name, e-mail and telephone that are set but that the document model does not show
    (a model that carries only the name in its key-value block)."""
    shown = _shown(plan)
    coordinator = plan.coordinator
    return [v.strip() for v in (coordinator.name, coordinator.email, coordinator.phone) if v.strip() and v not in shown]


def _coordinator_row(plan: model.Plan) -> bool:
    """Whether a key-value block has the coordinator's name as a value (where the details then go)."""
    name = plan.coordinator.name.strip()
    return bool(name) and any(
        value == name for block in plan.blocks if isinstance(block, model.KeyValues) for _key, value in block.pairs
    )


def _with_coordinator(block: model.KeyValues, plan: model.Plan) -> model.KeyValues:
    """The key-value block with the coordinator's missing e-mail and telephone under their name."""
    name, missing = plan.coordinator.name.strip(), coordinator_missing(plan)
    return model.KeyValues(
        tuple((key, "\n".join([value, *missing]) if value == name else value) for key, value in block.pairs)
    )


def _grouped(items: list[tuple[Flowable, bool]]) -> list[Flowable]:
    """Each heading kept with what follows it (a short paragraph between two headings joins them), and the
    document's last three paragraphs kept together: no heading ends a page, no page holds one stray line."""
    result: list[Flowable] = []
    index = 0
    while index < len(items):
        item, is_heading = items[index]
        if not is_heading:
            result.append(item)
            index += 1
            continue
        lead = [item]
        index += 1
        while index < len(items):
            following, following_heading = items[index]
            then_heading = index + 1 < len(items) and items[index + 1][1]
            short = isinstance(following, Text) and len(following.text) < 400
            if following_heading or (short and then_heading):
                lead.append(following)
                index += 1
            else:
                break
        if index < len(items):
            result.append(KeepWithNext(lead, items[index][0]))
            index += 1
        else:
            result.extend(lead)
    if len(result) >= 3 and all(isinstance(f, Text) for f in result[-2:]):
        first = result[-3]
        lead = [*first.lead, first.follow] if isinstance(first, KeepWithNext) else [first]
        if all(isinstance(f, Text) for f in lead):
            result[-3:] = [KeepWithNext([*lead, result[-2]], result[-1])]
    return result


def flowables(plan: model.Plan, width_: float = TEXT_WIDTH, room: float = PAGE_HEIGHT) -> list[Flowable]:
    """The document model as platypus flowables ``width_`` wide; ``room``: the height of a whole body frame."""
    rtl = plan.rtl
    items: list[tuple[Flowable, bool]] = [(Body(plan.title, STYLES["title"], rtl), False)]
    add_coordinator = _coordinator_row(plan) and bool(coordinator_missing(plan))
    for block in plan.blocks:
        if isinstance(block, model.Heading):
            heading = Body(block.text, STYLES["h1" if block.level == 1 else "h2"], rtl)
            heading.spaceBefore = SPACE_BEFORE.get(block.level, 6.0)
            items.append((heading, True))
        elif isinstance(block, model.Paragraph):
            items.append((Body(block.text, STYLES.get(block.style, STYLES["body"]), rtl), False))
        elif isinstance(block, model.KeyValues):
            if add_coordinator:
                block = _with_coordinator(block, plan)
            items.append((_table(model.Table((), block.pairs, (0.3, 0.7)), rtl, width_, room), False))
        elif isinstance(block, model.Table):
            items.append((_table(block, rtl, width_, room), False))
        elif isinstance(block, model.RangeChart):
            chart = RangeChart(
                block,
                rtl,
                lambda lo, hi: model.money_range(lo, hi, plan.currency, plan.locale),
                lambda amount: format_money(Decimal(amount), plan.currency, plan.locale),
            )
            chart.spaceBefore, chart.spaceAfter = 4, 8
            items.append((chart, False))
        elif isinstance(block, model.TimelineChart):
            timeline = TimelineChart(block, rtl, lambda days: format_number(days, plan.locale))
            timeline.spaceBefore, timeline.spaceAfter = 4, 8
            items.append((timeline, False))
    return _grouped(items)


# --- the document ------------------------------------------------------------------------------------------


def _logo(path: str) -> ImageReader | None:
    """The organisation's logo as an image reader, or None: no logo, or one that is not used (not a PNG or
    JPEG, too large in bytes or pixels, not a regular file: reports.logo); the plan is made without it."""
    if not path:
        return None
    try:
        return ImageReader(io.BytesIO(read_logo(path)))
    except (LogoError, OSError, ValueError):
        return None


def pdf_date(created: str) -> str | None:
    """The plan's ISO date (or date and time) as a PDF date, in UTC; None when there is none or it is not one."""
    if not created:
        return None
    try:
        moment = datetime.fromisoformat(created)
    except ValueError:
        try:
            moment = datetime.combine(date.fromisoformat(created[:10]), datetime.min.time())
        except ValueError:
            return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("D:%Y%m%d%H%M%S+00'00'")


def numbered_canvas(plan: model.Plan) -> type[Canvas]:
    """A canvas class that draws the footer band once the number of pages is known: the footer text on the
    reading side, "page X of Y" on the other, on the same line when both fit, else on a line of its own."""
    created = pdf_date(plan.created)
    rtl = plan.rtl

    class NumberedCanvas(Canvas):
        # Set by ReportLab's Canvas at runtime; types-reportlab leaves these private members out.
        _pagesize: tuple[float, float]
        _startPage: Callable[[], None]

        def __init__(self, *args, **kwargs):
            kwargs["initialFontName"] = "CarePlan-Sans"  # never an unembedded Helvetica
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []
            if created:  # the plan's date, not the time of drawing: the same plan gives the same bytes
                self.setDateFormatter(lambda *_now: created)

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            lines, shared = footer_lines(plan, total)
            start, end = (PAGE_WIDTH - MARGIN, MARGIN) if rtl else (MARGIN, PAGE_WIDTH - MARGIN)
            start_align, end_align = ("right", "left") if rtl else ("left", "right")
            for state in self._pages:
                self.__dict__.update(state)
                self.setStrokeColorRGB(0.75, 0.78, 0.83)
                self.setLineWidth(0.5)
                rule = FOOTER_BASELINE + (len(lines) - (1 if shared or not lines else 0)) * FOOTER_LEADING + 10
                self.line(MARGIN, rule, PAGE_WIDTH - MARGIN, rule)
                self.setFillColorRGB(*GREY)
                label = plan.page_label.format(page=self.getPageNumber(), pages=total)
                y = FOOTER_BASELINE + (len(lines) - (1 if shared else 0)) * FOOTER_LEADING
                for line in lines:
                    draw_line(self, line, start, y, FOOTER_SIZE, rtl, start_align)
                    y -= FOOTER_LEADING
                draw_line(self, label, end, FOOTER_BASELINE, FOOTER_SIZE, rtl, end_align)
                super().showPage()
            super().save()

    return NumberedCanvas


def render(plan: model.Plan) -> bytes:
    """The plan as PDF bytes."""
    register_fonts()
    buffer = io.BytesIO()
    logo = _logo(plan.organisation.logo)
    # the coordinator's details go under their name in the key-value block; without one, in the letterhead
    extra = "" if _coordinator_row(plan) else " · ".join(coordinator_missing(plan))
    letterhead = Letterhead(plan, logo, extra)
    build_letter(
        buffer,
        plan,
        letterhead,
        lambda body_height: flowables(plan, TEXT_WIDTH, body_height),
        title=plan.title,
        subject=plan.subject or plan.reference,
        lang=plan.language or plan.locale.replace("_", "-"),
    )
    return buffer.getvalue()


def build_letter(
    buffer: io.BytesIO,
    page: model.Plan,
    letterhead: Letterhead,
    story: Callable[[float], list[Flowable]],
    *,
    title: str,
    subject: str,
    lang: str,
) -> None:
    """An A4 document of ours into ``buffer``: ``letterhead`` on page 1, the running header of ``page`` (a plan,
    or a page model with its organisation and patient) on the later ones, "page X of Y" in the footer band;
    ``story`` gives the flowables for a body of the given height. Written once for the plan and the checklist."""
    header = RunningHeader.of(page)

    def first_page(canvas: Canvas, _doc) -> None:
        canvas.saveState()
        letterhead.draw(canvas)
        canvas.restoreState()

    def later_page(canvas: Canvas, _doc) -> None:
        canvas.saveState()
        header.draw(canvas, HEADER_BASELINE)
        canvas.setStrokeColorRGB(0.75, 0.78, 0.83)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, HEADER_BASELINE - 4, PAGE_WIDTH - MARGIN, HEADER_BASELINE - 4)
        canvas.restoreState()

    first_top = LETTERHEAD_TOP - letterhead.height - (5 * mm if letterhead.height else 0)
    first = Frame(MARGIN, BODY_BOTTOM, TEXT_WIDTH, first_top - BODY_BOTTOM, 0, 0, 0, 0, id="first")
    later = Frame(MARGIN, BODY_BOTTOM, TEXT_WIDTH, BODY_TOP - BODY_BOTTOM, 0, 0, 0, 0, id="body")
    document = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=PAGE_HEIGHT - BODY_TOP,
        bottomMargin=BODY_BOTTOM,
        title=title,
        author=sender_name(page.organisation),
        subject=subject,
        creator="CarePlan Desk",
        lang=lang,
        invariant=1,
    )
    document.addPageTemplates(
        [
            PageTemplate(id="first", frames=[first], onPage=first_page, autoNextPageTemplate="later"),
            PageTemplate(id="later", frames=[later], onPage=later_page),
        ]
    )
    document.build(story(later.height), canvasmaker=numbered_canvas(page))


def write_pdf(plan: model.Plan, target: Path) -> int:
    """Render and write the plan whole or not at all (temporary file, then renamed); returns its size."""
    data = render(plan)
    write_atomic(Path(target), data)
    return len(data)
