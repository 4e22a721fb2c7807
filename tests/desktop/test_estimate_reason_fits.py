"""A destination where no product fits says why in a column of a bounded width (the reason wraps), so the
destinations that fit stay in sight at 1366x768."""

from __future__ import annotations

from desktop.shell.main_window import MainWindow


def test_a_long_reason_wraps_in_its_column_beside_the_fitting_destination(window: MainWindow, qtbot) -> None:
    window.resize(1366, 768)
    document = {
        "format": "careplan-case",
        "version": 2,
        "patient": {"full_name": "Aigerim Sadykova", "date_of_birth": "2012-06-21", "nationality": "KZ"},
        "clinical": {"indication": "b_all", "disease_status": "relapsed", "relapse_count": 2},
        "preferences": {"destinations": ["CN", "US"], "currency": "USD"},
    }
    case_id = window.cases_store.create(document, "Test Coordinator").id
    window.cases.open_case(case_id)
    editor = window.cases.editor
    panel = editor.estimate_panel
    editor.tabs.setCurrentIndex(editor.estimate_tab)
    qtbot.waitUntil(lambda: panel.table.columnCount() == 2, timeout=10000)
    unavailable = [o for o in panel.shown if not o.available]
    available = [o for o in panel.shown if o.available]
    assert unavailable and available, "the case must have a destination where no product fits and one where one does"
    table = panel.table
    column = panel.shown.index(unavailable[0])
    reason = unavailable[0].reason
    assert len(reason) > 60 and table.item(0, column).text() == reason  # whole, wrapped
    average = table.fontMetrics().averageCharWidth()
    assert table.columnWidth(column) <= average * 32
    assert table.rowHeight(0) > table.fontMetrics().height() * 2  # wrapped onto lines
    other = panel.shown.index(available[0])
    right = table.columnViewportPosition(other) + table.columnWidth(other)
    assert right <= table.viewport().width(), (right, table.viewport().width())  # in sight, no sideways scrolling
