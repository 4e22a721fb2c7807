"""Two small charts drawn with QPainter (no QtCharts add-on): ranges as bars, and journeys as timelines."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

PALETTE = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#9c755f")


@dataclass(frozen=True)
class RangeRow:
    label: str
    low: Decimal | None
    high: Decimal | None
    text: str
    """What the bar says, e.g. "€412,000 – €498,000" (already formatted by the caller)."""
    marker: Decimal | None = None
    marker_text: str = ""


class RangeChart(QWidget):
    """Horizontal low–high bars on one scale from zero, with an optional reference line (a budget)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.rows: list[RangeRow] = []
        self.reference: Decimal | None = None
        self.reference_text = ""
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_rows(self, rows: list[RangeRow], reference: Decimal | None = None, reference_text: str = "") -> None:
        self.rows, self.reference, self.reference_text = rows, reference, reference_text
        self.setFixedHeight(self.sizeHint().height())
        self.setAccessibleDescription("; ".join(f"{r.label}: {r.text}" for r in rows))
        self.update()

    def sizeHint(self) -> QSize:
        line = QFontMetrics(self.font()).height()
        return QSize(400, max(1, len(self.rows)) * (line * 2 + 6) + line + 12)

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = QFontMetrics(self.font())
        line = metrics.height()
        text_colour = self.palette().color(QPalette.ColorRole.WindowText)
        values = [v for r in self.rows for v in (r.high, r.marker) if v is not None]
        if self.reference is not None:
            values.append(self.reference)
        top = max(values, default=Decimal(1)) or Decimal(1)
        right_to_left = self.layoutDirection() == Qt.LayoutDirection.RightToLeft
        label_width = min(
            max((metrics.horizontalAdvance(r.label) for r in self.rows), default=0) + 12, self.width() // 3
        )
        plot = QRectF(label_width, 4, self.width() - label_width - 12, self.height() - line - 12)

        def x(value: Decimal) -> float:
            fraction = float(value / top)
            return plot.right() - fraction * plot.width() if right_to_left else plot.left() + fraction * plot.width()

        row_height = line * 2 + 6
        for index, row in enumerate(self.rows):
            y = plot.top() + index * row_height
            painter.setPen(text_colour)
            label_rect = (
                QRectF(0, y, label_width - 8, line * 1.4)
                if not right_to_left
                else QRectF(self.width() - label_width + 8, y, label_width - 8, line * 1.4)
            )
            painter.drawText(
                label_rect,
                int(Qt.AlignmentFlag.AlignVCenter)
                | int(Qt.AlignmentFlag.AlignRight if not right_to_left else Qt.AlignmentFlag.AlignLeft),
                metrics.elidedText(row.label, Qt.TextElideMode.ElideRight, int(label_width - 8)),
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
                mx = x(row.marker)
                painter.drawLine(int(mx), int(y), int(mx), int(y + line * 1.4))
            painter.setPen(text_colour)
            text = row.text + (f"   ({row.marker_text})" if row.marker_text else "")
            painter.drawText(
                QRectF(plot.left(), y + line * 1.4, plot.width(), line),
                int(Qt.AlignmentFlag.AlignLeft if not right_to_left else Qt.AlignmentFlag.AlignRight),
                metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(plot.width())),
            )
        if self.reference is not None:
            rx = x(self.reference)
            painter.setPen(QPen(QColor("#c62828"), 2, Qt.PenStyle.DashLine))
            painter.drawLine(int(rx), int(plot.top()), int(rx), int(plot.top() + len(self.rows) * row_height))
            painter.setPen(QColor("#c62828"))
            painter.drawText(
                QRectF(plot.left(), self.height() - line - 4, plot.width(), line),
                int(Qt.AlignmentFlag.AlignRight if not right_to_left else Qt.AlignmentFlag.AlignLeft),
                self.reference_text,
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
        self.setFixedHeight(self.sizeHint().height())
        self.update()

    def legend(self) -> list[str]:
        names: list[str] = []
        for _label, segments, _text in self.rows:
            for segment in segments:
                if segment.label not in names:
                    names.append(segment.label)
        return names

    def sizeHint(self) -> QSize:
        line = QFontMetrics(self.font()).height()
        legend_rows = (len(self.legend()) + 1) // 2
        return QSize(400, len(self.rows) * (line * 2 + 6) + legend_rows * (line + 4) + 16)

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
        legend_top = 8 + len(self.rows) * (line * 2 + 6)
        column = (self.width() - 16) / 2
        for index, name in enumerate(names):
            x = 8 + (index % 2) * column
            y = legend_top + (index // 2) * (line + 4)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colours[name])
            painter.drawRect(QRectF(x, y + 3, line - 6, line - 6))
            painter.setPen(text_colour)
            painter.drawText(
                QRectF(x + line, y, column - line - 4, line),
                int(Qt.AlignmentFlag.AlignVCenter),
                metrics.elidedText(name, Qt.TextElideMode.ElideRight, int(column - line - 4)),
            )
        painter.end()
