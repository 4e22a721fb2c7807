"""The plan's two charts as flowables: cost ranges per destination on a money axis, and the days away from
home per destination on a day axis with a legend. Every text is measured before it is placed, nothing is
drawn outside the flowable's box, and right-to-left documents get the mirror image.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from reportlab.lib import colors
from reportlab.platypus import Flowable

from planning import plan as model
from planning.scale import nice_ticks
from reports.text import draw_line, width, wrap

PALETTE = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#9c755f")
TITLE_SIZE = 10.0
LABEL_SIZE = 9.0
"""Row labels (destinations)."""
SMALL_SIZE = 8.0
"""Amounts under a label, day ranges, the legend, the budget label."""
TICK_SIZE = 8.0
"""Axis tick labels."""
INK = (0.12, 0.12, 0.12)
GREY = (0.35, 0.35, 0.35)
GRID = (0.85, 0.87, 0.9)
BUDGET = (0.75, 0.1, 0.1)


def ellipsis(text: str, size: float, limit: float, bold: bool = False) -> str:
    """``text`` cut with "…" so that it is at most ``limit`` wide (whole when it fits)."""
    if width(text, size, bold) <= limit:
        return text
    low, high = 0, len(text)
    while low < high:  # the longest prefix that fits with the ellipsis
        middle = (low + high + 1) // 2
        if width(text[:middle].rstrip() + "…", size, bold) <= limit:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + "…" if low else ""


class _Chart(Flowable):
    """What both charts share: the mirror for right-to-left documents and a clipped, bounded title."""

    rtl: bool

    def _x(self, x: float) -> float:
        """A position measured from the reading side: from the left, or from the right when right to left."""
        return self.width - x if self.rtl else x

    def _text(self, text: str, x: float, y: float, size: float, align: str = "start", bold: bool = False) -> None:
        """A line at ``x`` measured from the reading side; "start" aligns it towards the reading direction,
        "end" away from it, "center" on the point."""
        sides = {"start": "right" if self.rtl else "left", "end": "left" if self.rtl else "right", "center": "center"}
        draw_line(self.canv, text, self._x(x), y, size, self.rtl, sides[align], bold)

    def _rect(self, x: float, y: float, w: float, h: float) -> None:
        """A filled rectangle from ``x`` to ``x + w`` measured from the reading side."""
        left = self.width - x - w if self.rtl else x
        self.canv.rect(left, y, w, h, stroke=0, fill=1)

    def _axis(
        self,
        ticks: list[tuple[float, str]],
        x: Callable[[float], float],
        axis_y: float,
        rows_top: float,
        plot_start: float,
        plot: float,
    ) -> None:
        """A light grid, the value axis, its ticks and their labels."""
        c = self.canv
        c.setLineWidth(0.5)
        for value, text in ticks:
            c.setStrokeColorRGB(*GRID)
            c.line(self._x(x(value)), axis_y, self._x(x(value)), rows_top)
            c.setStrokeColorRGB(*GREY)
            c.line(self._x(x(value)), axis_y, self._x(x(value)), axis_y - 3)
            c.setFillColorRGB(*GREY)
            self._text(text, x(value), axis_y - 3 - TICK_SIZE - 1, TICK_SIZE, "center")
        c.line(self._x(plot_start), axis_y, self._x(plot_start + plot), axis_y)

    def _title(self, title: str) -> None:
        self.canv.setFillColorRGB(*INK)
        baseline = self.height - TITLE_SIZE * 1.1  # its ascent inside the box
        self._text(ellipsis(title, TITLE_SIZE, self.width, True), 0, baseline, TITLE_SIZE, bold=True)


def _axis_ticks(top: float, plot: float, label: Callable[[float], str], size: float) -> list[tuple[float, str]]:
    """Ticks whose labels, centred on them, do not touch: the most of 6 down to 3 (2 when none fits)."""
    for most in (6, 5, 4, 3, 2):
        ticks = nice_ticks(top, most)
        texts = [label(t) for t in ticks]
        spacing = plot / (len(ticks) - 1) if len(ticks) > 1 else plot
        if max(width(t, size) for t in texts) + 6 <= spacing or most == 2:
            return list(zip(ticks, texts, strict=True))
    return []  # not reached


class RangeChart(_Chart):
    """Low–high bars per destination on a money axis from zero with round ticks, and an optional labelled
    reference (budget) line. The destination and its range are written in the label column; the budget's
    label has a band of its own above the bars, so it never meets a bar's label."""

    ROW = 28.0
    AXIS = 20.0
    """The axis line, its ticks and their labels."""

    def __init__(
        self,
        chart: model.RangeChart,
        rtl: bool,
        currency_text: Callable[[Decimal, Decimal], str],
        money_text: Callable[[Decimal], str],
    ):
        super().__init__()
        self.chart, self.rtl = chart, rtl
        self.currency_text, self.money_text = currency_text, money_text

    def _band(self) -> float:
        return 14.0 if self.chart.reference is not None else 0.0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        self.height = 16 + self._band() + len(self.chart.rows) * self.ROW + self.AXIS
        return self.width, self.height

    def draw(self) -> None:
        c, chart = self.canv, self.chart
        top = float(max([high for _l, _lo, high in chart.rows] + [chart.reference or Decimal(0)])) or 1.0
        texts = [(label, self.currency_text(low, high)) for label, low, high in chart.rows]
        widest = max([width(t, LABEL_SIZE) for t, _r in texts] + [width(r, SMALL_SIZE) for _t, r in texts] + [0])
        label_width = min(widest + 8, self.width * 0.34)
        plot_start = label_width + 4
        # the last tick's label is centred on the end of the axis: keep half of it inside the box
        end_room = width(self.money_text(Decimal(round(top * 1.25))), TICK_SIZE) / 2 + 2
        plot = max(self.width - plot_start - end_room, self.width * 0.3)
        ticks = _axis_ticks(top, plot, lambda v: self.money_text(Decimal(round(v))), TICK_SIZE)
        scale_top = ticks[-1][0] or 1.0

        def x(value: float) -> float:
            return plot_start + value / scale_top * plot

        self._title(chart.title)
        rows_top = self.height - 16 - self._band()
        axis_y = rows_top - len(chart.rows) * self.ROW - 2
        self._axis(ticks, x, axis_y, rows_top, plot_start, plot)
        for index, ((label, low, high), (_label, range_text)) in enumerate(zip(chart.rows, texts, strict=True)):
            row_top = rows_top - index * self.ROW
            c.setFillColorRGB(*INK)
            self._text(ellipsis(label, LABEL_SIZE, label_width - 4), label_width - 4, row_top - 10, LABEL_SIZE, "end")
            c.setFillColorRGB(*GREY)
            shown = ellipsis(range_text, SMALL_SIZE, label_width - 4)
            self._text(shown, label_width - 4, row_top - 21, SMALL_SIZE, "end")
            left, right = x(float(low)), x(float(high))
            c.setFillColor(colors.HexColor(PALETTE[index % len(PALETTE)]))
            self._rect(left, row_top - 19, max(right - left, 2), 12)
        if chart.reference is not None:
            reference_x = x(float(chart.reference))
            c.setStrokeColorRGB(*BUDGET)
            c.setLineWidth(1)
            c.setDash(3, 2)
            c.line(self._x(reference_x), axis_y, self._x(reference_x), rows_top + self._band() - 2)
            c.setDash()
            label = " ".join(p for p in (chart.reference_label, self.money_text(chart.reference)) if p)
            label = ellipsis(label, SMALL_SIZE, self.width)
            label_y = rows_top + 3
            c.setFillColorRGB(*BUDGET)
            room_after = self.width - reference_x - 3
            if width(label, SMALL_SIZE) <= room_after:
                self._text(label, reference_x + 3, label_y, SMALL_SIZE, "start")
            else:  # before the line, inside the box
                self._text(label, max(reference_x - 3, width(label, SMALL_SIZE)), label_y, SMALL_SIZE, "end")


class TimelineChart(_Chart):
    """One bar per destination: the steps away from home one after the other (their shortest durations) on a
    day axis, the longest possible end marked with a tick and the range written after it; a legend of the
    steps below the axis."""

    ROW = 18.0
    LEGEND_LINE = 12.0

    def __init__(self, chart: model.TimelineChart, rtl: bool, number_text: Callable[[int], str]):
        super().__init__()
        self.chart, self.rtl, self.number_text = chart, rtl, number_text
        self.names = list(dict.fromkeys(step for _p, steps in chart.rows for step, _lo, _hi in steps))
        self.legend: list[list[tuple[str, str, float]]] = []

    def _range_text(self, steps) -> str:
        low = sum(lo for _s, lo, _hi in steps)
        high = sum(hi for _s, _lo, hi in steps)
        days = self.number_text(low) if low == high else f"{self.number_text(low)}–{self.number_text(high)}"
        return f"{days} {self.chart.days_label}".strip()

    def _legend_lines(self, available: float) -> list[list[tuple[str, str, float]]]:
        """The legend's entries (step, text shown, width) flowed into lines that fit the width; a name wider
        than a line wraps onto lines of its own (the step given on its first line only, where its swatch is)."""
        lines: list[list[tuple[str, str, float]]] = [[]]
        used = 0.0
        for name in self.names:
            pieces = wrap(name, SMALL_SIZE, available - 12)
            if len(pieces) > 1:
                if lines[-1]:
                    lines.append([])
                for number, piece in enumerate(pieces):
                    lines[-1].append((name if number == 0 else "", piece, 12 + width(piece, SMALL_SIZE)))
                    lines.append([])
                used = 0.0
                continue
            text = pieces[0] if pieces else name
            entry = 12 + width(text, SMALL_SIZE)
            if lines[-1] and used + 14 + entry > available:
                lines.append([])
                used = 0.0
            used += (14 if lines[-1] else 0) + entry
            lines[-1].append((name, text, entry))
        return [line for line in lines if line]

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        self.legend = self._legend_lines(available_width)
        rows = len(self.chart.rows) * self.ROW
        self.height = 16 + rows + 2 + 14 + 11 + 8 + len(self.legend) * self.LEGEND_LINE  # descenders inside
        return self.width, self.height

    def draw(self) -> None:
        c, chart = self.canv, self.chart
        longest = max((sum(hi for _s, _lo, hi in steps) for _p, steps in chart.rows), default=1) or 1
        colour = {name: colors.HexColor(PALETTE[i % len(PALETTE)]) for i, name in enumerate(self.names)}
        label_width = min(max([width(p, LABEL_SIZE) for p, _s in chart.rows] + [0]) + 8, self.width * 0.25)
        ranges = [self._range_text(steps) for _p, steps in chart.rows]
        range_width = min(max([width(r, SMALL_SIZE) for r in ranges] + [0]) + 6, self.width * 0.25)
        plot_start = label_width + 4
        plot = max(self.width - plot_start - range_width - 4, self.width * 0.3)
        ticks = _axis_ticks(longest, plot, lambda v: self.number_text(round(v)), TICK_SIZE)
        scale_top = ticks[-1][0] or 1.0

        def x(days: float) -> float:
            return plot_start + days / scale_top * plot

        self._title(chart.title)
        rows_top = self.height - 16
        axis_y = rows_top - len(chart.rows) * self.ROW - 2
        self._axis(ticks, x, axis_y, rows_top, plot_start, plot)
        caption_y = axis_y - 14 - SMALL_SIZE - 1  # the axis' unit, under the middle of the axis
        c.setFillColorRGB(*GREY)
        self._text(ellipsis(chart.days_label, SMALL_SIZE, plot), plot_start + plot / 2, caption_y, SMALL_SIZE, "center")
        for index, ((place, steps), range_text) in enumerate(zip(chart.rows, ranges, strict=True)):
            row_top = rows_top - index * self.ROW
            c.setFillColorRGB(*INK)
            self._text(ellipsis(place, LABEL_SIZE, label_width - 4), label_width - 4, row_top - 12, LABEL_SIZE, "end")
            position = plot_start
            for step, low, _high in steps:
                span = low / scale_top * plot
                c.setFillColor(colour[step])
                self._rect(position, row_top - 14, max(span, 0.5), 11)
                position += span
            end = x(sum(hi for _s, _lo, hi in steps))
            c.setStrokeColorRGB(*INK)
            c.setLineWidth(0.8)
            c.line(self._x(end), row_top - 16, self._x(end), row_top - 1)
            c.setFillColorRGB(*GREY)
            shown = ellipsis(range_text, SMALL_SIZE, self.width - end - 4)
            self._text(shown, end + 4, row_top - 12, SMALL_SIZE, "start")
        legend_top = caption_y - 6
        for number, line in enumerate(self.legend):  # the legend, flowed in the reading direction
            y = legend_top - (number + 1) * self.LEGEND_LINE + 3
            position = 0.0
            for name, text, entry in line:
                if name:  # a wrapped name's further lines have no swatch
                    c.setFillColor(colour[name])
                    self._rect(position, y, 8, 8)
                c.setFillColorRGB(*INK)
                self._text(text, position + 12, y + 0.5, SMALL_SIZE, "start")
                position += entry + 14
