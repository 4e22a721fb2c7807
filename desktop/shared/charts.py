"""Two small charts drawn with QPainter (no QtCharts add-on): ranges as bars, and journeys as timelines."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from PySide6.QtCore import QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from planning.scale import nice_ticks

PALETTE = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#9c755f")
BUDGET_COLOUR = "#c62828"


@dataclass(frozen=True)
class RangeRow:
    label: str
    low: Decimal | None
    high: Decimal | None
    text: str
    """What the bar says, e.g. "€412,000 – €498,000" (already formatted by the caller)."""
    marker: Decimal | None = None
    marker_text: str = ""


BAR, MARKER = "bar", "marker"
"""The kinds of legend entry: a coloured bar (a low–high range), a dotted tick (one figure)."""


@dataclass(frozen=True)
class RangeGeometry:
    """Where everything of a range chart goes at one width, worked out before painting (and tested)."""

    height: int
    plot: QRectF
    """The bars' area: the value axis runs along its bottom."""
    row_height: float
    labels: list[QRectF]
    """The label of each row, in its column."""
    ticks: list[tuple[float, str, QRectF]]
    """Each tick: its x, its label (money in the locale) and where the label is drawn."""
    reference: tuple[float, str, QRectF] | None
    """The budget line's x, its label ("Budget: …") and where the label is drawn, above the bars."""
    legend: list[tuple[str, str, QRectF, QRectF]]
    """Each legend entry: its kind, its text, its swatch's rectangle and its (word-wrapped) text's rectangle."""
    scale_top: float
    """The amount at the end of the axis (its last tick)."""

    def x(self, value: Decimal | float) -> float:
        """Where ``value`` is on the axis, left to right."""
        return self.plot.left() + float(value) / (self.scale_top or 1.0) * self.plot.width()


class RangeChart(QWidget):
    """Horizontal low–high bars on a money axis from zero with round ticks labelled in the locale, an optional
    labelled reference line (a budget) and a legend. Every text is measured with the widget's font: tick labels
    never touch (fewer ticks instead), legend entries wrap to the width instead of being cut, and the widget
    is as tall as they need at its width. Right to left, the chart is mirrored."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.rows: list[RangeRow] = []
        self.reference: Decimal | None = None
        self.reference_text = ""
        self.money: Callable[[Decimal], str] = str
        self.legend: list[tuple[str, str]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_rows(
        self,
        rows: list[RangeRow],
        reference: Decimal | None = None,
        reference_text: str = "",
        money: Callable[[Decimal], str] | None = None,
        legend: list[tuple[str, str]] | None = None,
    ) -> None:
        """``money`` formats a tick's amount in the locale; ``legend`` is (BAR or MARKER, text) per entry."""
        self.rows, self.reference, self.reference_text = rows, reference, reference_text
        self.money = money or str
        self.legend = list(legend or [])
        self.setFixedHeight(self.geometry_at(max(self.width(), 200)).height)
        described = [f"{r.label}: {r.text}" for r in rows] + ([reference_text] if reference_text else [])
        self.setAccessibleDescription("; ".join(described))
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(400, self.geometry_at(max(self.width(), 400)).height)

    def minimumSizeHint(self) -> QSize:
        return QSize(200, self.geometry_at(max(self.width(), 200)).height)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        height = self.geometry_at(event.size().width()).height
        if height != self.height():
            self.setFixedHeight(height)

    def _top(self) -> Decimal:
        values = [v for r in self.rows for v in (r.high, r.marker) if v is not None]
        if self.reference is not None:
            values.append(self.reference)
        return max(values, default=Decimal(1)) or Decimal(1)

    def geometry_at(self, width: int) -> RangeGeometry:
        """The chart's layout at ``width`` pixels (left to right; ``paintEvent`` mirrors it right to left)."""
        metrics = QFontMetrics(self.font())
        line = metrics.height()
        margin = 6.0
        label_width = min(max((metrics.horizontalAdvance(r.label) for r in self.rows), default=0) + 12, width // 3)
        band = line + 4 if self.reference is not None else 0
        row_height = line * 2.5 + 4
        top_money = float(self._top())
        # the last tick's label is centred on the axis' end: leave half of the widest one inside the widget
        end_room = metrics.horizontalAdvance(self.money(Decimal(round(top_money * 1.25)))) / 2 + margin
        plot_left = label_width + 4.0
        plot_width = max(width - plot_left - end_room, width * 0.3)
        plot = QRectF(plot_left, margin + band, plot_width, max(len(self.rows), 1) * row_height)
        ticks: list[tuple[float, str, QRectF]] = []
        for most in (6, 5, 4, 3, 2):
            values = nice_ticks(top_money, most)
            texts = [self.money(Decimal(round(v))) for v in values]
            spacing = plot_width / max(len(values) - 1, 1)
            if max(metrics.horizontalAdvance(t) for t in texts) + 8 <= spacing or most == 2:
                break
        scale_top = values[-1] or 1.0
        axis_y = plot.bottom()
        for value, text in zip(values, texts, strict=True):
            x = plot_left + value / scale_top * plot_width
            text_width = metrics.horizontalAdvance(text) + 2
            ticks.append((x, text, QRectF(x - text_width / 2, axis_y + 4, text_width, line)))
        labels = [QRectF(0, plot.top() + i * row_height, label_width - 8, line * 1.4) for i in range(len(self.rows))]
        reference = None
        if self.reference is not None:
            x = plot_left + float(self.reference) / scale_top * plot_width
            text = self.reference_text
            text_width = min(metrics.horizontalAdvance(text) + 2, width - 2 * margin)
            left = x + 4 if x + 4 + text_width <= width - margin else max(x - 4 - text_width, margin)
            reference = (x, text, QRectF(left, margin, text_width, line))
        legend: list[tuple[str, str, QRectF, QRectF]] = []
        y = axis_y + 4 + line + 8
        x = margin
        swatch = line - 4
        row_bottom = y
        available = width - 2 * margin
        for kind, text in self.legend:
            text_width = min(metrics.horizontalAdvance(text) + 2, available - swatch - 6)
            bounds = metrics.boundingRect(QRect(0, 0, int(text_width), 10_000), int(Qt.TextFlag.TextWordWrap), text)
            entry = swatch + 6 + bounds.width()
            if x > margin and x + entry > width - margin:  # the next line of the legend
                x, y = margin, row_bottom + 4
            text_rect = QRectF(x + swatch + 6, y, bounds.width() + 1, bounds.height())
            legend.append((kind, text, QRectF(x, y + (line - swatch) / 2, swatch, swatch), text_rect))
            row_bottom = max(row_bottom, y + bounds.height())
            x += entry + 16
        height = math.ceil((row_bottom if legend else axis_y + 4 + line) + margin)
        return RangeGeometry(height, plot, row_height, labels, ticks, reference, legend, scale_top)

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = QFontMetrics(self.font())
        line = metrics.height()
        width = self.width()
        g = self.geometry_at(width)
        text_colour = self.palette().color(QPalette.ColorRole.WindowText)
        grid_colour = QColor(text_colour)
        grid_colour.setAlpha(50)
        right_to_left = self.layoutDirection() == Qt.LayoutDirection.RightToLeft

        def mx(x: float) -> float:
            return width - x if right_to_left else x

        def mirror(rect: QRectF) -> QRectF:
            return QRectF(width - rect.right(), rect.top(), rect.width(), rect.height()) if right_to_left else rect

        plot = mirror(g.plot)

        def x(value: Decimal) -> float:
            return mx(g.x(value))

        for tick_x, text, rect in g.ticks:  # grid, axis, ticks and their labels
            painter.setPen(QPen(grid_colour, 1))
            painter.drawLine(int(mx(tick_x)), int(g.plot.top()), int(mx(tick_x)), int(g.plot.bottom()))
            painter.setPen(text_colour)
            painter.drawLine(int(mx(tick_x)), int(g.plot.bottom()), int(mx(tick_x)), int(g.plot.bottom() + 3))
            painter.drawText(mirror(rect), int(Qt.AlignmentFlag.AlignCenter), text)
        painter.setPen(text_colour)
        painter.drawLine(int(plot.left()), int(plot.bottom()), int(plot.right()), int(plot.bottom()))
        for index, row in enumerate(self.rows):
            y = g.plot.top() + index * g.row_height
            painter.setPen(text_colour)
            label_rect = mirror(g.labels[index])
            painter.drawText(
                label_rect,
                int(Qt.AlignmentFlag.AlignVCenter)
                | int(Qt.AlignmentFlag.AlignRight if not right_to_left else Qt.AlignmentFlag.AlignLeft),
                metrics.elidedText(row.label, Qt.TextElideMode.ElideRight, int(label_rect.width())),
            )
            if row.low is not None and row.high is not None:
                colour = QColor(PALETTE[index % len(PALETTE)])
                left, right = sorted((x(row.low), x(row.high)))
                bar = QRectF(left, y + 2, max(right - left, 3), line * 1.4 - 4)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(colour)
                painter.drawRoundedRect(bar, 3, 3)
            if row.marker is not None:
                painter.setPen(QPen(text_colour, 2, Qt.PenStyle.DotLine))
                marker_x = x(row.marker)
                painter.drawLine(int(marker_x), int(y), int(marker_x), int(y + line * 1.4))
            painter.setPen(text_colour)
            text = row.text + (f"   ({row.marker_text})" if row.marker_text else "")
            painter.drawText(
                QRectF(plot.left(), y + line * 1.4, plot.width(), line),
                int(Qt.AlignmentFlag.AlignLeft if not right_to_left else Qt.AlignmentFlag.AlignRight),
                metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(plot.width())),
            )
        if g.reference is not None:
            reference_x, text, rect = g.reference
            budget = QColor(BUDGET_COLOUR)
            painter.setPen(QPen(budget, 2, Qt.PenStyle.DashLine))
            painter.drawLine(int(mx(reference_x)), int(rect.top()), int(mx(reference_x)), int(g.plot.bottom()))
            painter.setPen(budget)
            painter.drawText(
                mirror(rect),
                int(Qt.AlignmentFlag.AlignVCenter) | int(Qt.AlignmentFlag.AlignHCenter),
                metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(rect.width())),
            )
        for kind, text, swatch, text_rect in g.legend:
            swatch = mirror(swatch)
            if kind == MARKER:
                painter.setPen(QPen(text_colour, 2, Qt.PenStyle.DotLine))
                painter.drawLine(
                    int(swatch.center().x()), int(swatch.top()), int(swatch.center().x()), int(swatch.bottom())
                )
            else:  # the bars' colours side by side: each row has its own
                painter.setPen(Qt.PenStyle.NoPen)
                shown = max(1, min(len(self.rows), 3))
                for stripe in range(shown):
                    painter.setBrush(QColor(PALETTE[stripe]))
                    part = swatch.width() / shown
                    painter.drawRect(QRectF(swatch.left() + stripe * part, swatch.top(), part, swatch.height()))
            painter.setPen(text_colour)
            painter.drawText(
                mirror(text_rect),
                int(Qt.TextFlag.TextWordWrap)
                | int(Qt.AlignmentFlag.AlignLeft if not right_to_left else Qt.AlignmentFlag.AlignRight),
                text,
            )
        painter.end()


@dataclass(frozen=True)
class Segment:
    label: str
    low: int
    high: int


class TimelineChart(QWidget):
    """One row per destination: the journey's steps side by side, widths by their shortest duration,
    with the longest possible end marked; the legend names the steps."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.rows: list[tuple[str, list[Segment], str]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_rows(self, rows: list[tuple[str, list[Segment], str]]) -> None:
        self.rows = rows
        self.setFixedHeight(self.legend_rects(max(self.width(), 200))[1])
        self.update()

    def legend(self) -> list[str]:
        names: list[str] = []
        for _label, segments, _text in self.rows:
            for segment in segments:
                if segment.label not in names:
                    names.append(segment.label)
        return names

    def legend_rects(self, width: int) -> tuple[list[tuple[str, QRectF, QRectF]], int]:
        """The legend at ``width``: per step its name, swatch and word-wrapped text rectangle (two columns,
        left to right), and the widget's whole height."""
        metrics = QFontMetrics(self.font())
        line = metrics.height()
        top = 8 + len(self.rows) * (line * 2 + 6)
        column = (width - 16) / 2
        entries = []
        y = float(top)
        row_bottom = y
        for index, name in enumerate(self.legend()):
            if index % 2 == 0 and index:
                y = row_bottom + 4
            x = 8 + (index % 2) * column
            bounds = metrics.boundingRect(
                QRect(0, 0, max(int(column - line - 4), 20), 10_000), int(Qt.TextFlag.TextWordWrap), name
            )
            entries.append(
                (name, QRectF(x, y + 3, line - 6, line - 6), QRectF(x + line, y, bounds.width() + 1, bounds.height()))
            )
            row_bottom = max(row_bottom, y + bounds.height())
        return entries, math.ceil(row_bottom + 8)

    def sizeHint(self) -> QSize:
        return QSize(400, self.legend_rects(max(self.width(), 400))[1])

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        height = self.legend_rects(event.size().width())[1]
        if height != self.height():
            self.setFixedHeight(height)

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = QFontMetrics(self.font())
        line = metrics.height()
        text_colour = self.palette().color(QPalette.ColorRole.WindowText)
        names = self.legend()
        colours = {name: QColor(PALETTE[i % len(PALETTE)]) for i, name in enumerate(names)}
        longest = max((sum(s.high for s in segments) for _l, segments, _t in self.rows), default=1) or 1
        label_width = min(max((metrics.horizontalAdvance(r[0]) for r in self.rows), default=0) + 12, self.width() // 3)
        width = self.width() - label_width - 12
        right_to_left = self.layoutDirection() == Qt.LayoutDirection.RightToLeft
        for index, (label, segments, text) in enumerate(self.rows):
            y = 4 + index * (line * 2 + 6)
            painter.setPen(text_colour)
            painter.drawText(
                QRectF(0, y, label_width - 8, line * 1.4),
                int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight),
                metrics.elidedText(label, Qt.TextElideMode.ElideRight, int(label_width - 8)),
            )
            position = 0.0
            for segment in segments:
                span = segment.low / longest * width
                left = label_width + position
                if right_to_left:
                    left = self.width() - 12 - position - span
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(colours[segment.label])
                painter.drawRect(QRectF(left, y + 2, max(span, 1), line * 1.4 - 4))
                position += span
            high_end = sum(s.high for s in segments) / longest * width
            painter.setPen(QPen(text_colour, 1, Qt.PenStyle.DashLine))
            end = label_width + high_end if not right_to_left else self.width() - 12 - high_end
            painter.drawLine(int(end), int(y), int(end), int(y + line * 1.4))
            painter.setPen(text_colour)
            painter.drawText(
                QRectF(label_width, y + line * 1.4, width, line),
                int(Qt.AlignmentFlag.AlignLeft if not right_to_left else Qt.AlignmentFlag.AlignRight),
                text,
            )
        entries, _height = self.legend_rects(self.width())
        for name, swatch, text_rect in entries:
            if right_to_left:
                swatch = QRectF(self.width() - swatch.right(), swatch.top(), swatch.width(), swatch.height())
                text_rect = QRectF(
                    self.width() - text_rect.right(), text_rect.top(), text_rect.width(), text_rect.height()
                )
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colours[name])
            painter.drawRect(swatch)
            painter.setPen(text_colour)
            painter.drawText(
                text_rect,
                int(Qt.TextFlag.TextWordWrap)
                | int(Qt.AlignmentFlag.AlignLeft if not right_to_left else Qt.AlignmentFlag.AlignRight),
                name,
            )
        painter.end()
