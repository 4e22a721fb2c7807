"""The PDF journey chart's legend is never cut: a step name wider than the chart wraps onto lines of its own,
every word of it drawn inside the chart's box (it was cut with "…" before)."""

from __future__ import annotations

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from planning.i18n import format_number, is_rtl
from planning.plan import TimelineChart
from reports.charts import TimelineChart as TimelineFlowable
from tests.reports import layout
from tests.reports.test_layout import drawn, text_of


@pytest.mark.parametrize("locale", ["en", "de", "ar", "zh_CN"])
def test_a_long_step_name_wraps_whole_inside_the_box(locale: str) -> None:
    long_name = text_of(locale, 260)
    steps = ((long_name, 7, 14), (text_of(locale, 12), 28, 42))
    chart = TimelineFlowable(TimelineChart("Journey", (("China", steps),), "days"), is_rtl(locale), format_number)
    boxes: list[tuple[float, float, float, float]] = []

    def draw(canvas: Canvas) -> None:
        width, height = chart.wrapOn(canvas, 300, 700)
        chart.drawOn(canvas, 60, 100)
        boxes.append((60, A4[1] - 100 - height, 60 + width, A4[1] - 100))

    pages = drawn(draw)
    left, top, right, bottom = boxes[0]
    words = pages[0].words
    outside = [
        w.text
        for w in words
        if w.left < left - 0.5 or w.right > right + 0.5 or w.top < top - 0.5 or w.bottom > bottom + 0.5
    ]
    assert not outside
    assert not any("…" in w.text for w in words)  # nothing cut
    assert len([line for line in chart.legend if line[0][0] == long_name]) == 1  # one swatch for the step
    assert sum(1 for line in chart.legend for name, _t, _w in line if name == "") >= 1  # its further lines
    shown = "".join(text for line in chart.legend for name, text, _w in line if name in (long_name, ""))
    assert shown.replace(" ", "") == long_name.replace(" ", "")
    assert not layout.overlaps(pages)
