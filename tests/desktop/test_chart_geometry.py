"""The Estimate and Destinations charts have an axis with a scale (money in the locale), a labelled budget line
where the case has a budget, and legends that are never clipped: every text is measured with the widget's font
and wraps, in all six languages, left to right and right to left, narrow and wide."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QFontMetrics

from desktop.settings.language import LANGUAGES
from desktop.shared.charts import BAR, MARKER, RangeChart, RangeRow, Segment, TimelineChart
from planning.i18n import PSEUDO, _, format_money
from tests.desktop.conftest import make_window
from tests.desktop.test_language import interface_in, settle

LOCALES = [code for code in LANGUAGES if code != PSEUDO]
LONG_LABEL = "Vereinigtes Königreich von Großbritannien und Nordirland · Tisagenlecleucel"


def inside(outer: QRectF, inner: QRectF) -> bool:
    return outer.adjusted(-0.5, -0.5, 0.5, 0.5).contains(inner)


def check_range_chart(chart: RangeChart, budget_label: bool) -> None:
    """The chart's layout at its width: everything inside the widget, ticks present, in order and apart."""
    bounds = QRectF(0, 0, chart.width(), chart.height())
    geometry = chart.geometry_at(chart.width())
    assert geometry.height == chart.height()
    assert len(geometry.ticks) >= 2
    assert geometry.ticks[0][1] != geometry.ticks[-1][1]
    for _x, text, rect in geometry.ticks:
        assert text and inside(bounds, rect), text
    for (_x, _t, left), (_x2, _t2, right) in zip(geometry.ticks, geometry.ticks[1:], strict=False):
        assert left.right() < right.left()  # tick labels never touch
    assert geometry.legend
    line = QFontMetrics(chart.font()).height()
    for _kind, text, swatch, text_rect in geometry.legend:
        assert inside(bounds, swatch) and inside(bounds, text_rect), text
        needed = QFontMetrics(chart.font()).horizontalAdvance(text)
        assert text_rect.width() >= needed or text_rect.height() >= 2 * line - 1  # whole, or wrapped
    for rect in geometry.labels:
        assert inside(bounds, rect)
    if budget_label:
        assert geometry.reference is not None
        _x, text, rect = geometry.reference
        assert text == chart.reference_text and inside(bounds, rect)
        assert 0 <= geometry.x(chart.reference or 0) <= chart.width()  # the line itself
    assert not chart.grab().isNull()  # painted without error


@pytest.mark.parametrize("width", [320, 900])
@pytest.mark.parametrize("locale", LOCALES)
def test_range_chart_axis_budget_and_legend_fit(qtbot, locale: str, width: int) -> None:
    with interface_in(locale):
        chart = RangeChart()
        qtbot.addWidget(chart)
        rows = [
            RangeRow(LONG_LABEL, Decimal(412000), Decimal(498000), "412,000 – 498,000"),
            RangeRow("China", None, None, "from …", marker=Decimal(168960)),
            RangeRow("Deutschland", Decimal(380000), Decimal(455000), "380,000 – 455,000"),
        ]
        budget = Decimal(350000)
        reference_text = _("Budget: {amount}").format(amount=format_money(budget, "EUR", locale))
        legend = [
            (BAR, _("Total cost, low to high")),
            (MARKER, _("Dotted: the total so far, where a price is not recorded") + " " + LONG_LABEL),
        ]
        chart.set_rows(rows, budget, reference_text, money=lambda v: format_money(v, "EUR", locale), legend=legend)
        chart.resize(width, chart.height())
        chart.show()
        qtbot.waitExposed(chart)
        check_range_chart(chart, budget_label=True)
        ticks = [text for _x, text, _r in chart.geometry_at(chart.width()).ticks]
        assert ticks[0] == format_money(Decimal(0), "EUR", locale)  # money in the locale, from zero
        if width == 320:  # the long legend entry does not fit on one line: it wraps instead of being cut
            (_k, _t, _s, long_entry) = chart.geometry_at(320).legend[-1]
            assert long_entry.height() >= 2 * QFontMetrics(chart.font()).height() - 1


@pytest.mark.parametrize("locale", ["en", "de", "ar"])
def test_the_journey_legend_wraps_instead_of_cutting(qtbot, locale: str) -> None:
    with interface_in(locale):
        chart = TimelineChart()
        qtbot.addWidget(chart)
        steps = [Segment(LONG_LABEL, 7, 14), Segment("Warten auf die Herstellung der Zellen (vein-to-vein)", 28, 42)]
        chart.set_rows([("Deutschland", steps, "35–56"), ("China", steps[:1], "7–14")])
        chart.resize(300, chart.height())
        chart.show()
        qtbot.waitExposed(chart)
        entries, height = chart.legend_rects(300)
        assert height == chart.height()
        bounds = QRectF(0, 0, chart.width(), chart.height())
        metrics = QFontMetrics(chart.font())
        for name, swatch, text_rect in entries:
            assert inside(bounds, swatch) and inside(bounds, text_rect), name
        (_n, _s, long_rect) = entries[0]
        assert long_rect.height() >= 2 * metrics.height() - 1  # wrapped, whole
        assert not chart.grab().isNull()


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_the_real_estimate_and_destinations_charts(qtbot, data_dir: Path, locale: str) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    with interface_in(locale):
        window = make_window(qtbot, data_dir, locale)
        window.resize(1366, 768)
        window.cases.add_samples()
        anna = next(r for r in window.cases.model.rows if "Anna" in r.full_name)  # EUR, budget 350,000
        window.cases.open_case(anna.id)
        editor = window.cases.editor
        editor.tabs.setCurrentIndex(editor.estimate_tab)
        settle(qtbot, window)
        table = editor.estimate_panel.table
        labels = [table.verticalHeaderItem(r).text() for r in range(table.rowCount())]
        assert _("Flights from {region}").format(region=_("Western Europe")) in labels  # Anna lives in Germany
        chart = editor.estimate_panel.totals_chart
        assert chart.reference == Decimal(350000)
        assert chart.reference_text == _("Budget: {amount}").format(amount=format_money(Decimal(350000), "EUR", locale))
        check_range_chart(chart, budget_label=True)
        ticks = [text for _x, text, _r in chart.geometry_at(chart.width()).ticks]
        assert ticks[0] == format_money(Decimal(0), "EUR", locale)  # euros, as the case's currency
        window.open_destination("CN")
        settle(qtbot, window)
        destinations = window.destinations.chart
        assert destinations.isVisible()
        check_range_chart(destinations, budget_label=False)
        assert destinations.geometry_at(destinations.width()).reference is None  # no case, no budget
        window.tasks.wait()
