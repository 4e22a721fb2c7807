"""The case list's search shows its rows at once and fits the columns to them once the rows settle: a fit
(a pass over the rows in view for each column) does not delay each keystroke's rows."""

from __future__ import annotations

from PySide6.QtWidgets import QSplitter

from desktop.cases.model import REFERENCE
from desktop.shared.column_fit import SETTLE_MS
from desktop.shell.main_window import MainWindow

LONG = "CP-IMPORTED-FROM-THE-OLD-SPREADSHEET-000001"


def test_the_columns_fit_the_found_rows_once_they_settle(window: MainWindow, qtbot) -> None:
    window.resize(1800, 900)
    page = window.cases
    page.findChild(QSplitter, "casesSplitter").setSizes([1300, 300])  # room for every column of the list
    store = window.cases_store
    store.create({"patient": {"full_name": "Short Reference"}}, "Test Coordinator")
    store.create({"reference": LONG, "patient": {"full_name": "Long Reference"}}, "Test Coordinator")
    page.search.setText("short")
    page.apply_filters()
    qtbot.wait(SETTLE_MS + 100)
    header = page.table.horizontalHeader()
    before = header.sectionSize(REFERENCE)
    page.search.setText("long")
    page.apply_filters()  # what the search field's timer runs
    qtbot.wait(10)
    assert page.model.rows[0].reference == LONG  # the rows are shown at once
    assert header.sectionSize(REFERENCE) == before  # the fit waits for them to settle
    qtbot.waitUntil(lambda: header.sectionSize(REFERENCE) > before, timeout=SETTLE_MS + 1000)
    assert header.sectionSize(REFERENCE) >= page.table.fontMetrics().horizontalAdvance(LONG)
