"""The global search's list shows its rows whole: a name in Arabic script (a taller line) beside Latin ones
does not push the second result half out of the list."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktop.shell.main_window import MainWindow


def add_case(window: MainWindow, name: str, email: str) -> int:
    document = {"format": "careplan-case", "version": 2, "patient": {"full_name": name, "email": email}}
    return window.cases_store.create(document, "Test Coordinator").id


def test_two_results_of_different_scripts_are_both_shown_whole(window: MainWindow, qtbot) -> None:
    window.resize(1366, 768)
    add_case(window, "Ahmed Al-Mansouri أحمد منصوري", "ahmed.mansouri@mail.example.sa")
    add_case(window, "Aigerim Sadykova", "sadykova.family@mail.example.kz")
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(window.search, "mail.example")
    listing = window.search.results.list
    assert listing.count() >= 2
    viewport = listing.viewport().rect()
    for row in range(min(listing.count(), 8)):
        rect = listing.visualRect(listing.model().index(row, 0))
        assert viewport.contains(rect), (row, rect, viewport)
    assert not listing.verticalScrollBar().isVisible() and not listing.horizontalScrollBar().isVisible()
