"""The fares by region are assumptions like the others: listed in Settings as editable estimates, and a fare
changed there changes the flights of the open case's estimate for that destination and band only."""

from __future__ import annotations

from decimal import Decimal

from desktop.shell.main_window import MainWindow


def flights(window: MainWindow, country: str):
    option = next(o for o in window.cases.editor.estimate_panel.shown if o.country == country)
    return next(i for i in option.items if i.key == "flights")


def test_a_fare_changed_in_settings_changes_that_destinations_flights(window: MainWindow, qtbot) -> None:
    window.cases.add_samples()
    anna = next(r for r in window.cases.model.rows if "Anna" in r.full_name)  # German: US, China, (home) Germany
    window.cases.open_case(anna.id)
    china, usa = flights(window, "CN"), flights(window, "US")
    assert china.origin == usa.origin == "Western Europe" and china.estimate
    page = window.settings_page
    table = page.costs
    keys = [table.item(r, 0).data(0x0100) for r in range(table.rowCount())]
    bands = ("regional", "neighbouring", "long_haul", "very_long_haul")
    for country in ("CN", "DE", "GB", "US"):
        for band in bands:
            row = keys.index((country, f"flight_return_{band}"))
            assert table.item(row, 5).text().endswith(" *")  # an editable estimate, not a sourced figure
            assert "estimate" in table.item(row, 1).text()
    row = keys.index(("CN", "flight_return_long_haul"))
    table.item(row, 3).setText("2500")  # the pack says USD 700-1,800 per person
    changed = flights(window, "CN")
    assert changed.high > china.high and "changed by the coordinator" in changed.basis
    assert flights(window, "US").high == usa.high  # another destination's fare: unchanged
    assert changed.original.startswith("$700–$2,500")
    assert page.cost_errors.isHidden()
    assert Decimal(changed.low) == china.low
