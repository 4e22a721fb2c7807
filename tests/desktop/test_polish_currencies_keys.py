"""Issue 19: the currency pickers offer what the rate table reaches, and Ctrl+Tab is never trapped in a tab."""

from __future__ import annotations

import copy
from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop.cases.editor import T_NO_RATE_HINT, CurrencyField, current_currencies
from desktop.shell.main_window import MainWindow
from planning.money import reachable_currencies

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def open_sample(window: MainWindow, name_part: str) -> None:
    window.cases.add_samples()
    row = next(r for r in window.cases.model.rows if name_part in r.full_name)
    window.cases.open_case(row.id)


def items(combo) -> list[tuple[object, bool, str]]:
    """(code, enabled, tooltip) of every item but the "unknown" one and the separator."""
    model = combo.model()
    rows = []
    for i in range(1, combo.count()):
        code = combo.itemData(i)
        if code is None:  # the separator
            continue
        item = model.item(i)
        rows.append((code, item.isEnabled(), item.toolTip()))
    return rows


def test_the_case_currency_offers_the_reachable_ones_first(window: MainWindow) -> None:
    open_sample(window, "Anna")
    field = window.cases.editor.fields["preferences.currency"]
    assert isinstance(field, CurrencyField)
    reachable = reachable_currencies(window.store.rates(), "USD")
    assert 5 < len(reachable) < 40
    rows = items(field.widget)
    enabled = [code for code, on, _tip in rows if on]
    assert set(enabled) == reachable
    assert enabled == [code for code, _on, _tip in rows[: len(enabled)]]  # first
    assert enabled[:2] == ["USD", "EUR"]  # the common ones in their usual order
    greyed = {code: tip for code, on, tip in rows if not on}
    assert set(greyed) == current_currencies() - reachable
    assert "CHF" in greyed and "DEM" not in greyed  # current ISO currencies, not obsolete ones
    assert set(greyed.values()) == {T_NO_RATE_HINT}
    assert field.value() == "EUR"


def test_a_stored_currency_without_a_rate_still_shows(window: MainWindow) -> None:
    open_sample(window, "Anna")
    editor = window.cases.editor
    field = editor.fields["preferences.currency"]
    for code in ("CHF", "DEM"):  # greyed in the list; not listed at all (obsolete)
        document = copy.deepcopy(editor.case.document)
        document["preferences"]["currency"] = code
        editor.load(replace(editor.case, document=document))
        assert field.value() == code  # never silently changed
        assert f"({code})" in field.widget.currentText() and "no exchange rate" in field.widget.currentText()
        assert editor.errors["preferences.currency"].text() == f"no exchange rate for {code}; add one in Settings"
        assert editor.current_document()["preferences"]["currency"] == code
    # a case in a reachable currency: the mark goes with it
    document = copy.deepcopy(editor.case.document)
    document["preferences"]["currency"] = "EUR"
    editor.load(replace(editor.case, document=document))
    assert field.widget.currentText() == "Euro (EUR)"
    assert not any("no exchange rate" in field.widget.itemText(i) for i in range(field.widget.count()))


def test_ctrl_tab_leaves_the_estimate_table(window: MainWindow, qtbot) -> None:
    window.show()
    open_sample(window, "Anna")
    editor = window.cases.editor
    tabs = editor.tabs
    tabs.setCurrentIndex(editor.estimate_tab)
    table = editor.estimate_panel.table
    table.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is table)
    qtbot.keyClick(table, Qt.Key.Key_Tab, CTRL)
    assert tabs.tabText(tabs.currentIndex()) == "Plan"
    assert tabs.currentIndex() == editor.plan_tab
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Backtab, CTRL | SHIFT)
    assert tabs.currentIndex() == editor.estimate_tab
    table.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is table)
    qtbot.keyClick(table, Qt.Key.Key_Tab, CTRL | SHIFT)  # as some platforms send it
    assert tabs.currentIndex() == editor.estimate_tab - 1
    # a text box inside a tab (the notes) does not keep the keys either
    tabs.setCurrentIndex(1)
    notes = editor.fields["clinical.notes"].widget
    notes.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is notes)
    qtbot.keyClick(notes, Qt.Key.Key_Tab, CTRL)
    assert tabs.currentIndex() == 2
    assert "\t" not in (editor.fields["clinical.notes"].value() or "")


def test_a_rate_entered_in_settings_makes_its_currency_selectable(window: MainWindow, qtbot) -> None:
    open_sample(window, "Anna")
    field = window.cases.editor.fields["preferences.currency"]
    destinations = window.destinations.currency
    enabled = lambda: {code for code, on, _tip in items(field.widget) if on}  # noqa: E731
    assert "CHF" not in enabled() and destinations.findData("CHF") < 0
    assert {destinations.itemData(i) for i in range(1, destinations.count())} == enabled()
    page = window.settings_page
    qtbot.keyClicks(page.base, "chf")
    qtbot.keyClicks(page.quote, "usd")
    qtbot.keyClicks(page.rate, "1.1")
    qtbot.keyClicks(page.as_of.edit, "2026-11-20")
    assert page.enter_rate()
    assert "CHF" in enabled() and destinations.findData("CHF") > 0
    assert field.value() == "EUR"  # the case's choice untouched
