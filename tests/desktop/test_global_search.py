"""The global search box finds cases, in the real window on an encrypted store: typed into with the keyboard,
a case opened with Enter in the Cases page."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktop.shell.main_window import PAGES, MainWindow
from services.stores import reconnect, release

WHO = "Test Coordinator"


def add_case(window: MainWindow, name: str, phone: str | None = None, email: str | None = None, notes: str = "") -> int:
    document = {
        "format": "careplan-case",
        "version": 2,
        "patient": {"full_name": name, "phone": phone, "email": email},
        "clinical": {"indication": "lbcl", "notes": notes},
    }
    return window.cases_store.create(document, WHO).id


def type_in_search(window: MainWindow, qtbot, text: str) -> None:
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert window.search.hasFocus()
    qtbot.keyClicks(window.search, text)
    assert window.search.results.isVisible()


def row_texts(window: MainWindow) -> list[str]:
    listing = window.search.results.list
    return [listing.item(i).text() for i in range(listing.count())]


def test_a_case_found_by_its_phone_opens_with_enter(encrypted_window: MainWindow, qtbot) -> None:
    window = encrypted_window
    lucia = add_case(window, "Lucía Martínez", "+34 600 123 456", "lucia@example.es")
    add_case(window, "Martin Lucas", "+49 30 1234567")
    reference = window.cases_store.get(lucia).reference
    window.nav.setCurrentRow(PAGES.index("library"))
    type_in_search(window, qtbot, "600 123")
    assert window.search.hits() == [("case", str(lucia))]
    assert row_texts(window) == [f"Lucía Martínez · {reference}\nCase · New · Phone +34 600 123 456"]
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.cases
    assert window.nav.currentRow() == PAGES.index("cases")
    assert window.cases.editor.case is not None and window.cases.editor.case.id == lucia
    assert not window.search.results.isVisible()


def test_names_rank_first_and_the_arrow_keys_choose_the_case(encrypted_window: MainWindow, qtbot) -> None:
    window = encrypted_window
    first = add_case(window, "Lucía Martínez", email="lucia@example.es")
    second = add_case(window, "Martin Lucas")
    by_notes = add_case(window, "Olga Ivanova", notes="call Lucía's daughter")
    type_in_search(window, qtbot, "luc")
    hits = window.search.hits()
    assert hits[:2] == [("case", str(first)), ("case", str(second))]  # the name that begins with it first
    assert hits[-1] == ("case", str(by_notes))  # found in the notes: after the pack's records
    assert row_texts(window)[-1].endswith("Case · New · Found in the notes")
    qtbot.keyClick(window.search, Qt.Key.Key_Down)
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    assert window.cases.editor.case.id == second


def test_the_reference_and_the_email_find_the_case_beside_the_pack(encrypted_window: MainWindow, qtbot) -> None:
    window = encrypted_window
    case_id = add_case(window, "Ana Ruiz", email="ana.ruiz@example.es", notes="asked about Kymriah")
    reference = window.cases_store.get(case_id).reference
    type_in_search(window, qtbot, reference.lower())
    assert window.search.hits()[0] == ("case", str(case_id))
    window.search.clear()
    qtbot.keyClicks(window.search, "ana.ruiz@example.es")
    assert window.search.hits() == [("case", str(case_id))]
    assert row_texts(window)[0].endswith("E-mail ana.ruiz@example.es")
    window.search.clear()
    qtbot.keyClicks(window.search, "kymriah")
    assert window.search.hits()[0] == ("therapy", "tisagenlecleucel")  # the pack's record before a note
    assert ("case", str(case_id)) in window.search.hits()


def test_a_name_is_shown_as_plain_text(encrypted_window: MainWindow, qtbot) -> None:
    window = encrypted_window
    add_case(window, "<b>Bold</b> Person")
    type_in_search(window, qtbot, "bold")
    item = window.search.results.list.item(0)
    assert item.text().startswith("<b>Bold</b> Person · ")
    assert "<b>" not in item.toolTip() and "&lt;b&gt;" in item.toolTip()


def test_while_the_store_is_released_the_box_still_searches_the_pack(encrypted_window: MainWindow, qtbot) -> None:
    window = encrypted_window
    case_id = add_case(window, "Kymberly Stone")
    release(window.cases_store)  # what a passphrase change does while it re-encrypts
    type_in_search(window, qtbot, "kym")
    assert window.search.hits()[0] == ("therapy", "tisagenlecleucel")
    assert ("case", str(case_id)) not in window.search.hits()
    reconnect(window.cases_store, window.vault)
    window.search.clear()
    qtbot.keyClicks(window.search, "kym")
    assert ("case", str(case_id)) in window.search.hits()


def test_page_down_and_up_move_through_a_long_list(encrypted_window: MainWindow, qtbot) -> None:
    window = encrypted_window
    ids = [add_case(window, f"Lucas Number {number}") for number in range(8)]
    type_in_search(window, qtbot, "lucas")
    assert {ref for _kind, ref in window.search.hits()} == {str(i) for i in ids}
    listing = window.search.results.list
    qtbot.keyClick(window.search, Qt.Key.Key_PageDown)
    assert listing.currentRow() > 1
    qtbot.keyClick(window.search, Qt.Key.Key_PageDown)
    qtbot.keyClick(window.search, Qt.Key.Key_PageDown)
    assert listing.currentRow() == listing.count() - 1
    qtbot.keyClick(window.search, Qt.Key.Key_PageUp)
    qtbot.keyClick(window.search, Qt.Key.Key_PageUp)
    qtbot.keyClick(window.search, Qt.Key.Key_PageUp)
    assert listing.currentRow() == 0
    assert window.search.hasFocus()
