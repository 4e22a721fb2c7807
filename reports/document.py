"""The plan as a PDF: a document model (planning.plan) drawn with ReportLab platypus.

Header and footer on every page with "page X of Y" in the document's language; tables repeat their
header row and split inside tall rows; right-to-left documents mirror tables and alignment. The
output is byte-for-byte repeatable (invariant) for the same input.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Spacer, Table, TableStyle

from planning import plan as model
from planning.files import write_atomic
from reports.logo import LogoError, read_logo
from reports.text import Style, Text, draw_line, register_fonts

STYLES = {
    "title": Style(size=17, leading=22, bold=True, space_after=6, colour=(0.09, 0.27, 0.55)),
    "h1": Style(size=13, leading=17, bold=True, space_after=4, colour=(0.09, 0.27, 0.55)),
    "h2": Style(size=11, leading=14.5, bold=True, space_after=3),
    "body": Style(size=9.5, leading=13, space_after=4),
    "small": Style(size=8, leading=10.5, space_after=3, colour=(0.3, 0.3, 0.3)),
    "note": Style(size=9, leading=12, space_after=4, colour=(0.55, 0.33, 0.0)),
    "warning": Style(size=9, leading=12, bold=True, space_after=6, colour=(0.6, 0.2, 0.0)),
    "cell": Style(size=8.5, leading=11, space_after=0),
    "cell-bold": Style(size=8.5, leading=11, bold=True, space_after=0),
}
PALETTE = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#9c755f")
MARGIN = 18 * mm


def numbered_canvas(label: str, rtl: bool):
    """A canvas class that writes "page X of Y" once the number of pages is known."""

    class NumberedCanvas(Canvas):
        # Set by ReportLab's Canvas at runtime; types-reportlab leaves these private members out.
        _pagesize: tuple[float, float]
        _startPage: Callable[[], None]

        def __init__(self, *args, **kwargs):
            kwargs["initialFontName"] = "CarePlan-Sans"  # never an unembedded Helvetica
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                width = self._pagesize[0]
                text = label.format(page=self.getPageNumber(), pages=total)
                self.setFillColorRGB(0.35, 0.35, 0.35)
                draw_line(self, text, MARGIN if rtl else width - MARGIN, 10 * mm, 8, rtl, "left" if rtl else "right")
                super().showPage()
            super().save()

    return NumberedCanvas


def _draw_title(c, title: str, width: float, height: float, rtl: bool) -> None:
    """A chart's title, bold, on the reading side of its box."""
    draw_line(c, title, width if rtl else 0, height - 10, 9, rtl, "right" if rtl else "left", bold=True)


class RangeChart(Flowable):
    """Low–high bars on one scale from zero, labelled in any script, with an optional reference line."""

    def __init__(self, chart: model.RangeChart, rtl: bool, currency_text):
        super().__init__()
        self.chart, self.rtl, self.currency_text = chart, rtl, currency_text
        self.row = 24.0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        self.height = len(self.chart.rows) * self.row + 30
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        top = max([high for _l, _lo, high in self.chart.rows] + [self.chart.reference or Decimal(0)]) or Decimal(1)
        label_width = self.width * 0.28
        plot = self.width - label_width - 8

        def x(value: Decimal) -> float:
            fraction = float(value / top) * plot
            return self.width - label_width - fraction if self.rtl else label_width + fraction

        _draw_title(c, self.chart.title, self.width, self.height, self.rtl)
        for index, (label, low, high) in enumerate(self.chart.rows):
            y = self.height - 28 - index * self.row
            c.setFillColorRGB(0.1, 0.1, 0.1)
            draw_line(c, label, self.width if self.rtl else label_width - 6, y + 3, 8, self.rtl, "right", False)
            left, right = sorted((x(low), x(high)))
            c.setFillColor(colors.HexColor(PALETTE[index % len(PALETTE)]))
            c.rect(left, y, max(right - left, 2), 10, stroke=0, fill=1)
            c.setFillColorRGB(0.3, 0.3, 0.3)
            text = self.currency_text(low, high)  # under the label: clear of the bars and the budget line
            draw_line(c, text, self.width if self.rtl else label_width - 6, y - 7, 7, self.rtl, "right")
        if self.chart.reference is not None:
            rx = x(self.chart.reference)
            c.setStrokeColorRGB(0.8, 0.1, 0.1)
            c.setDash(3, 2)
            c.line(rx, 2, rx, self.height - 20)
            c.setDash()
            c.setFillColorRGB(0.8, 0.1, 0.1)
            draw_line(
                c,
                self.chart.reference_label,
                rx + (3 if not self.rtl else -3),
                2,
                7,
                self.rtl,
                "left" if not self.rtl else "right",
            )


class TimelineChart(Flowable):
    """One bar per destination: the steps away from home side by side (shortest durations), with a
    legend; the longest possible end is marked with a tick."""

    def __init__(self, chart: model.TimelineChart, rtl: bool):
        super().__init__()
        self.chart, self.rtl = chart, rtl
        self.row = 16.0
        self.names = list(dict.fromkeys(step for _p, steps in chart.rows for step, _lo, _hi in steps))

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        self.height = len(self.chart.rows) * self.row + 18 + len(self.names) * 11 + 6
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        longest = max((sum(hi for _s, _lo, hi in steps) for _p, steps in self.chart.rows), default=1) or 1
        label_width = self.width * 0.2
        plot = self.width - label_width - 40
        colour = {name: colors.HexColor(PALETTE[i % len(PALETTE)]) for i, name in enumerate(self.names)}
        _draw_title(c, self.chart.title, self.width, self.height, self.rtl)
        for index, (place, steps) in enumerate(self.chart.rows):
            y = self.height - 28 - index * self.row
            c.setFillColorRGB(0.1, 0.1, 0.1)
            draw_line(c, place, self.width if self.rtl else label_width - 6, y + 3, 8, self.rtl, "right")
            position = 0.0
            for step, low, _high in steps:
                span = low / longest * plot
                left = (self.width - label_width - position - span) if self.rtl else label_width + position
                c.setFillColor(colour[step])
                c.rect(left, y, max(span, 0.5), self.row - 6, stroke=0, fill=1)
                position += span
            end = sum(hi for _s, _lo, hi in steps) / longest * plot
            tick = (self.width - label_width - end) if self.rtl else label_width + end
            c.setStrokeColorRGB(0.2, 0.2, 0.2)
            c.line(tick, y - 1, tick, y + self.row - 5)
            low_total = sum(lo for _s, lo, _hi in steps)
            high_total = sum(hi for _s, _lo, hi in steps)
            draw_line(
                c,
                f"{low_total}–{high_total} {self.chart.days_label}",
                tick + (4 if not self.rtl else -4),
                y + 3,
                7,
                self.rtl,
                "left" if not self.rtl else "right",
            )
        for index, name in enumerate(self.names):  # one legend entry per line: labels can be long
            y = 4 + (len(self.names) - 1 - index) * 11
            x = self.width if self.rtl else 0
            c.setFillColor(colour[name])
            c.rect(x - 8 if self.rtl else x, y, 7, 7, stroke=0, fill=1)
            c.setFillColorRGB(0.15, 0.15, 0.15)
            draw_line(c, name, x - 11 if self.rtl else x + 10, y, 7, self.rtl, "right" if self.rtl else "left")


def _table(block: model.Table, rtl: bool, width: float) -> Table:
    def cell(text: str, bold: bool, column: int) -> Text:
        align = None
        if column in block.numeric:
            align = "left" if rtl else "right"
        return Text(text, STYLES["cell-bold" if bold else "cell"], rtl, align)

    rows = [[cell(h, True, i) for i, h in enumerate(block.headers)]] if block.headers else []
    for number, row in enumerate(block.rows):
        bold = block.bold_last and number == len(block.rows) - 1
        rows.append([cell(value, bold, i) for i, value in enumerate(row)])
    widths = [fraction * width for fraction in block.widths]
    if rtl:
        rows = [list(reversed(r)) for r in rows]
        widths = list(reversed(widths))
    header = 1 if block.headers else 0
    table = Table(rows, colWidths=widths, repeatRows=header, splitInRow=1, hAlign="RIGHT" if rtl else "LEFT")
    table.setStyle(
        TableStyle(
            [
                *([("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef7"))] if header else []),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#b8c4d6")),
                ("FONTNAME", (0, 0), (-1, -1), "CarePlan-Sans"),  # the cell's font: never Helvetica
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    table.spaceAfter = 6
    return table


def flowables(plan: model.Plan, width: float) -> list[Flowable]:
    from planning.plan import _money_range

    rtl = plan.rtl
    items: list[Flowable] = [Text(plan.title, STYLES["title"], rtl)]
    for block in plan.blocks:
        if isinstance(block, model.Heading):
            items.append(Spacer(1, 6 if block.level == 1 else 3))
            heading = Text(block.text, STYLES["h1" if block.level == 1 else "h2"], rtl)
            heading.keepWithNext = True  # never alone at the foot of a page
            items.append(heading)
        elif isinstance(block, model.Paragraph):
            items.append(Text(block.text, STYLES.get(block.style, STYLES["body"]), rtl))
        elif isinstance(block, model.KeyValues):
            items.append(_table(model.Table((), block.pairs, (0.3, 0.7)), rtl, width))
        elif isinstance(block, model.Table):
            items.append(_table(block, rtl, width))
        elif isinstance(block, model.RangeChart):
            items.append(RangeChart(block, rtl, lambda lo, hi: _money_range(lo, hi, plan.currency, plan.locale)))
        elif isinstance(block, model.TimelineChart):
            items.append(TimelineChart(block, rtl))
    return items


def _logo(path: str):
    """The organisation's logo as an image reader, or None: no logo, or one that is not used (not a PNG or
    JPEG, too large in bytes or pixels, not a regular file: reports.logo); the plan is made without it."""
    if not path:
        return None
    from reportlab.lib.utils import ImageReader

    try:
        return ImageReader(io.BytesIO(read_logo(path)))
    except (LogoError, OSError, ValueError):
        return None


def render(plan: model.Plan) -> bytes:
    """The plan as PDF bytes."""
    register_fonts()
    buffer = io.BytesIO()
    page_width, page_height = A4
    logo = _logo(plan.organisation.logo)

    def decorate(canvas: Canvas, _doc) -> None:
        canvas.saveState()
        canvas.setFillColorRGB(0.09, 0.27, 0.55)
        canvas.rect(0, page_height - 12 * mm, page_width, 12 * mm, stroke=0, fill=1)
        canvas.setFillColorRGB(1, 1, 1)
        left, right = (page_width - MARGIN, MARGIN) if plan.rtl else (MARGIN, page_width - MARGIN)
        name_x = left
        if logo is not None:
            size = 9 * mm
            logo_x = left - size if plan.rtl else left
            canvas.drawImage(logo, logo_x, page_height - 10.5 * mm, size, size, preserveAspectRatio=True, mask="auto")
            name_x = left - size - 2 * mm if plan.rtl else left + size + 2 * mm
        draw_line(
            canvas,
            plan.organisation.name,
            name_x,
            page_height - 8 * mm,
            10,
            plan.rtl,
            "right" if plan.rtl else "left",
            bold=True,
        )
        draw_line(
            canvas,
            f"{plan.reference} · {plan.patient_name[:60]}",
            right,
            page_height - 8 * mm,
            8,
            plan.rtl,
            "left" if plan.rtl else "right",
        )
        canvas.setFillColorRGB(0.35, 0.35, 0.35)
        footer = plan.footer + (f" · {plan.organisation.contact}" if plan.organisation.contact else "")
        draw_line(canvas, footer, left, 10 * mm, 8, plan.rtl, "right" if plan.rtl else "left")
        canvas.restoreState()

    document = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=20 * mm,
        bottomMargin=18 * mm,
        title=plan.title,
        author=plan.organisation.name,
        subject=plan.reference,
        invariant=1,
    )
    frame = Frame(MARGIN, 18 * mm, page_width - 2 * MARGIN, page_height - 38 * mm, id="body")
    document.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=decorate)])
    document.build(flowables(plan, frame.width), canvasmaker=numbered_canvas(plan.page_label, plan.rtl))
    return buffer.getvalue()


def write_pdf(plan: model.Plan, target: Path) -> int:
    """Render and write the plan whole or not at all (temporary file, then renamed); returns its size."""
    data = render(plan)
    write_atomic(Path(target), data)
    return len(data)
