"""Opening another case leaves nothing of the previous one: no text of it in the window, one row selected,
every form at its top; and "Mark as sent…" never pushes a sooner follow-up later."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktop.shell.main_window import PAGES, MainWindow

WHO = "Test Coordinator"


def add_case(window: MainWindow, name: str, email: str | None = None) -> int:
    document = {
        "format": "careplan-case",
        "version": 2,
        "patient": {"full_name": name, "email": email, "language": "en"},
        "clinical": {"indication": "lbcl"},
    }
    case_id = window.cases_store.create(document, WHO).id
    window.cases.apply_filters()
    return case_id


def selected_ids(window: MainWindow) -> list[int]:
    table = window.cases.table
    return [index.data(Qt.ItemDataRole.UserRole) for index in table.selectionModel().selectedRows()]


def painted_selected(window: MainWindow, case_ids: list[int]) -> list[int]:
    """The cases whose list row is painted in the highlight colour on the window's screen now."""
    page = window.cases
    shot = window.screen().grabWindow(window.winId()).toImage()  # what was painted, not a fresh render
    highlight = page.table.palette().color(page.table.palette().ColorRole.Highlight).name()
    painted = []
    for case_id in case_ids:
        rect = page.table.visualRect(page.model.index(page.model.row_of(case_id), 0))
        point = page.table.viewport().mapTo(window, rect.center())
        point.setX(point.x() + 40)  # in the row's background beside the name, not on its text
        if shot.pixelColor(point).name() == highlight:
            painted.append(case_id)
    return painted


def test_a_case_opened_from_the_global_search_is_the_only_one_selected(window: MainWindow, qtbot) -> None:
    ids = [add_case(window, f"Person {n:02d}") for n in range(12)]
    page = window.cases
    page.table.selectRow(page.model.row_of(ids[3]))
    qtbot.wait(50)
    assert page.editor.case is not None and page.editor.case.id == ids[3]
    assert painted_selected(window, ids) == [ids[3]]
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(window.search, "Person 08")
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    qtbot.wait(100)
    assert window.nav.currentRow() == PAGES.index("cases")
    assert page.editor.case is not None and page.editor.case.id == ids[8]
    rows = page.table.selectionModel().selectedRows()
    assert [index.row() for index in rows] == [page.model.row_of(ids[8])]
    assert page.table.selectionModel().currentIndex().row() == page.model.row_of(ids[8])
    assert painted_selected(window, ids) == [ids[8]]  # the row of the case left is no longer highlighted
