"""The Estimate tab follows the case: currency, companions and destinations change every amount at once."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt

from desktop.cases.estimate_panel import ROWS
from desktop.shell.main_window import MainWindow


def amounts(window: MainWindow) -> dict[tuple[int, int], str]:
    table = window.cases.editor.estimate_panel.table
    return {
        (row, column): table.item(row, column).text()
        for row in range(len(ROWS) + 1)
        for column in range(table.columnCount())
        if table.item(row, column) is not None and table.item(row, column).text()[:1].isdigit()
    }


def open_sample(window: MainWindow, name_part: str) -> None:
    window.cases.add_samples()
    row = next(r for r in window.cases.model.rows if name_part in r.full_name)
    window.cases.open_case(row.id)


def pick(combo, data) -> None:
    combo.setCurrentIndex(combo.findData(data))
    combo.activated.emit(combo.currentIndex())


def test_changing_the_currency_changes_every_amount(window: MainWindow, qtbot) -> None:
    open_sample(window, "Anna")  # EUR; Germany, United States, China
    editor = window.cases.editor
    panel = editor.estimate_panel
    assert panel.estimate.currency == "EUR"
    assert "EUR" in panel.heading.text()
    before = amounts(window)
    assert len(before) >= 3 * (len(ROWS) - 1)  # every line of every destination has a figure (visa may be 0)
    pick(editor.fields["preferences.currency"].widget, "CNY")
    assert panel.estimate.currency == "CNY" and "CNY" in panel.heading.text()
    after = amounts(window)
    changed = [key for key in before if before[key] != after.get(key) and before[key] != "0"]
    assert len(changed) == len([k for k in before if before[k] != "0"])  # every non-zero amount changed
    assert panel.estimate.rates_as_of == "2026-04-13"


def test_companions_and_destinations_update_at_once(window: MainWindow, qtbot) -> None:
    open_sample(window, "Anna")
    editor = window.cases.editor
    panel = editor.estimate_panel
    countries = [o.country for o in panel.shown]
    assert countries == ["DE", "US", "CN"]
    # Anna is German: treated in Germany she flies nowhere (no flights line there)
    flights = {o.country: i.high for o in panel.shown for i in o.items if i.key == "flights"}
    assert set(flights) == {"US", "CN"}
    companions = editor.fields["preferences.companions"].widget
    companions.setFocus()
    qtbot.keyClick(companions, Qt.Key.Key_Up)  # 1 -> 2 companions: 3 people fly
    for option in panel.shown:
        flight = next((i for i in option.items if i.key == "flights"), None)
        if option.country == "DE":
            assert flight is None
            continue
        assert flight is not None and "3 people" in flight.label
        # 3/2 of the fare for two, within the rounding of each (converted, then rounded to whole units)
        assert abs(flight.high * 2 - flights[option.country] * 3) <= Decimal("2.5")
    editor.fields["preferences.destinations"].boxes["GB"].setChecked(True)
    assert [o.country for o in panel.shown] == ["DE", "US", "CN", "GB"]
    assert panel.table.columnCount() == 4
    assert len(panel.totals_chart.rows) == 4


def test_budget_fit_and_an_unavailable_destination(window: MainWindow) -> None:
    open_sample(window, "Lucia")  # lupus: investigational everywhere
    panel = window.cases.editor.estimate_panel
    assert all(not option.available for option in panel.shown)
    assert "clinical trials" in panel.table.item(0, 0).text()
    open_sample(window, "Wang")  # gastric, China only, budget CNY 1,000,000
    panel = window.cases.editor.estimate_panel
    (option,) = panel.shown
    assert option.country == "CN" and option.therapy == "satricabtagene"
    # no list price is recorded for satri-cel: the total is a floor and the budget cannot be judged yet
    assert option.total_open and option.budget_fit is None
    assert panel.table.item(0, 0).text() == "price not recorded — ask the centre for a quote"
    total = panel.table.item(len(ROWS), 0).text()
    assert total.startswith("from ") and total.endswith(" + drug")
    assert panel.totals_chart.reference == Decimal("1000000")
    assert "Budget" in panel.totals_chart.reference_text


def test_stale_rates_are_flagged_for_the_coordinator_and_fresh_ones_are_not(window: MainWindow, qtbot) -> None:
    from dataclasses import replace
    from datetime import date

    from planning.knowledge.models import Sourced

    open_sample(window, "Anna")  # EUR: converted with the pack's rates of 13 April 2026
    editor = window.cases.editor
    panel = editor.estimate_panel
    panel.today = lambda: date(2026, 12, 3)  # 234 days on: over the 60 after which a plan holds 7 days only
    editor.refresh()
    assert panel.estimate.rates_as_of == "2026-04-13"
    warning = panel.stale_rates
    assert warning.isVisibleTo(panel)
    assert "Apr 13, 2026" in warning.text() and "Settings" in warning.text() and "7 days" in warning.text()
    assert warning.textFormat() == Qt.TextFormat.PlainText

    stale = panel.estimate
    fresh_rates = tuple(replace(r, sourced=Sourced(r.sourced.source, "2026-11-20")) for r in stale.rates_used)
    panel.show_estimate(replace(stale, rates_used=fresh_rates), None, None)
    assert not warning.isVisibleTo(panel) and not warning.text()

    panel.today = lambda: date(2026, 6, 1)  # the same rates 49 days old: recent enough
    editor.refresh()
    assert not warning.isVisibleTo(panel)


def test_an_outdated_rate_is_an_order_on_the_screen_only(window: MainWindow, qtbot) -> None:
    open_sample(window, "Anna")
    editor = window.cases.editor
    pick(editor.fields["preferences.currency"].widget, "KZT")  # converted with USD/KZT, marked outdated
    panel = editor.estimate_panel
    assert panel.estimate.currency == "KZT"
    assert "update it before quoting" in panel.notes.text()
