"""Settings: exchange rates entered by the coordinator (validated, dated, kept), profile, appearance."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette

from desktop.settings.preferences import preferences_of
from desktop.shell.main_window import MainWindow
from tests.desktop.conftest import make_window


def test_a_bad_rate_is_refused_with_every_problem_named(window: MainWindow, qtbot) -> None:
    page = window.settings_page
    qtbot.keyClicks(page.base, "XYZ")
    qtbot.keyClicks(page.quote, "USD")
    qtbot.keyClicks(page.rate, "-2")
    qtbot.keyClicks(page.as_of.edit, (date.today() + timedelta(days=3)).isoformat())
    before = window.store.rates()
    assert not page.enter_rate()
    text = page.rate_errors.text()
    assert "first currency: unknown currency code XYZ" in text
    assert "rate: must be a number more than 0" in text
    assert "date: in the future" in text
    assert window.store.rates() == before
    assert page.base.text() == "XYZ"  # nothing typed is lost


def test_a_new_rate_changes_the_estimate_and_is_kept(qtbot, data_dir) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    window = make_window(qtbot, data_dir)
    window.cases.add_samples()
    row = next(r for r in window.cases.model.rows if "Anna" in r.full_name)  # EUR
    window.cases.open_case(row.id)
    us = next(o for o in window.cases.editor.estimate_panel.shown if o.country == "US")
    therapy_before = next(i for i in us.items if i.key == "therapy").low
    page = window.settings_page
    qtbot.keyClicks(page.base, "eur")
    qtbot.keyClicks(page.quote, "usd")
    qtbot.keyClicks(page.rate, "1.0")
    qtbot.keyClicks(page.as_of.edit, "2026-11-20")
    qtbot.keyClicks(page.note, "test rate")
    assert page.enter_rate()
    assert any(
        "1 EUR = 1.0 USD" in page.table.item(r, 0).text() and page.table.item(r, 2).text() == "Entered by you"
        for r in range(page.table.rowCount())
    )
    us = next(o for o in window.cases.editor.estimate_panel.shown if o.country == "US")
    therapy_after = next(i for i in us.items if i.key == "therapy").low
    assert therapy_after > therapy_before  # a dollar now costs one euro, not 0.86
    assert window.cases.editor.estimate.rates_as_of <= "2026-11-20"
    window.close()
    again = make_window(qtbot, data_dir)  # kept across a restart
    assert any(r.base == "EUR" and r.quote == "USD" and str(r.rate) == "1.0" for r in again.store.rates())
    again.close()


def test_appearance_switches_to_dark(window: MainWindow, qtbot) -> None:
    page = window.settings_page
    page.appearance.setCurrentIndex(page.appearance.findData("dark"))
    page.appearance.activated.emit(page.appearance.currentIndex())
    qtbot.waitUntil(lambda: window.palette().color(QPalette.ColorRole.Window).lightness() < 128)
    assert preferences_of(window.settings).load().appearance == "dark"
    page.appearance.setCurrentIndex(page.appearance.findData("light"))
    page.appearance.activated.emit(page.appearance.currentIndex())
    qtbot.waitUntil(lambda: window.palette().color(QPalette.ColorRole.Window).lightness() > 128)


def test_profile_name_is_recorded_with_changes(window: MainWindow, qtbot) -> None:
    page = window.settings_page
    page.name.clear()
    qtbot.keyClicks(page.name, "Olga Coordinator")
    qtbot.keyClick(page.name, Qt.Key.Key_Return)
    window.new_case()
    qtbot.keyClicks(window.cases.editor.fields["patient.full_name"].widget, "Profile Test")
    window.flush()
    history = window.cases_store.history(window.cases.editor.case.id)
    assert history[-1].who == "Olga Coordinator"


def test_an_assumption_changed_in_settings_changes_the_estimate(window: MainWindow, qtbot) -> None:
    window.cases.add_samples()
    row = next(r for r in window.cases.model.rows if "Anna" in r.full_name)  # Germany among the destinations
    window.cases.open_case(row.id)
    germany = next(o for o in window.cases.editor.estimate_panel.shown if o.country == "DE")
    evaluation = next(i for i in germany.items if i.key == "evaluation")
    page = window.settings_page
    table = page.costs
    target = next(r for r in range(table.rowCount()) if table.item(r, 0).data(0x0100) == ("DE", "evaluation"))
    table.item(target, 3).setText("9000")  # the pack says 5,000-12,000 EUR
    germany = next(o for o in window.cases.editor.estimate_panel.shown if o.country == "DE")
    changed = next(i for i in germany.items if i.key == "evaluation")
    assert changed.high == 9000 and changed.high < evaluation.high
    assert "changed by the coordinator" in changed.basis
    # a bad figure is refused, named, and the stored figure stays
    target = next(r for r in range(table.rowCount()) if table.item(r, 0).data(0x0100) == ("DE", "evaluation"))
    table.item(target, 2).setText("twelve")
    assert "low: must be an amount of 0 or more" in page.cost_errors.text()
    target = next(r for r in range(table.rowCount()) if table.item(r, 0).data(0x0100) == ("DE", "evaluation"))
    assert table.item(target, 2).text() == "5000" and table.item(target, 3).text() == "9000"
    # and back to the pack's figure
    table.selectRow(target)
    page.reset_selected_cost()
    germany = next(o for o in window.cases.editor.estimate_panel.shown if o.country == "DE")
    assert next(i for i in germany.items if i.key == "evaluation").high == evaluation.high
