"""The real main window, driven as a coordinator would: search, open, read the sources, compare."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QMessageBox

from desktop.library.destinations_model import COUNTRY, HEADERS, PACKAGE_COST, SORT_ROLE
from desktop.shell.main_window import MainWindow
from tests.conftest import bump_version, edit_json, zip_pack
from tests.desktop.conftest import make_window


def test_window_title_status_and_navigation(window: MainWindow) -> None:
    assert window.windowTitle() == "CarePlan Desk"
    assert "Knowledge pack" in window.pack_label.text()
    assert window.store.info().version in window.pack_label.text()
    labels = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert labels == ["Cases", "Library", "Destinations", "Settings"]
    assert window.search.isEnabled()


def test_type_in_search_and_open_a_therapy_with_the_keyboard(window: MainWindow, qtbot) -> None:
    window.nav.setCurrentRow(2)
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert window.search.hasFocus()
    qtbot.keyClicks(window.search, "kymr")
    assert window.search.results.isVisible()
    assert window.search.hits()[0] == ("therapy", "tisagenlecleucel")
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.library
    assert window.library.current == ("therapy", "tisagenlecleucel")
    text = window.library.view.toPlainText()
    assert "tisagenlecleucel" in text
    assert "Approvals" in text and "FDA" in text and "2017" in text
    assert "as of" in text  # every fact carries its date
    assert not window.search.results.isVisible()


def test_a_pasted_page_in_search_says_query_too_long(window: MainWindow, qtbot) -> None:
    """Thousands of words (or 1,200 Chinese characters) are refused at once: no SQLite error, no frozen window."""
    window.focus_search()
    for text in (" ".join(["lymphoma"] * 3_000), " ".join(["淋"] * 1_200)):
        window.search.setText(text)
        assert window.search.results.isVisible()
        assert window.search.hits() == [None]  # one line that opens nothing
        item = window.search.results.list.item(0)
        assert item.text() == "query too long (at most 16 words and 200 characters)"
    window.search.setText("kymr")
    assert window.search.hits()[0] == ("therapy", "tisagenlecleucel")


def test_arrow_keys_move_through_results(window: MainWindow, qtbot) -> None:
    window.focus_search()
    qtbot.keyClicks(window.search, "lymphoma")
    hits = window.search.hits()
    assert len(hits) >= 2
    qtbot.keyClick(window.search, Qt.Key.Key_Down)
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    kind, ref = hits[1]
    if kind == "destination":
        assert window.destinations.selected_code() == ref
    else:
        assert window.library.current == (kind, ref)


def test_source_link_shows_the_source_and_back_returns(window: MainWindow, qtbot) -> None:
    window.open_record("therapy", "satricabtagene")
    html = window.library.view.toHtml()
    assert "source:" in html
    source_id = html.split('href="source:')[1].split('"')[0]
    window.library.view.anchorClicked.emit(QUrl(f"source:{source_id}"))
    assert window.library.current == ("source", source_id)
    source = window.store.pack().sources[source_id]
    assert source.title in window.library.view.toPlainText()
    window.library.back()
    assert window.library.current == ("therapy", "satricabtagene")


def test_indication_shows_products_per_region_and_typical_criteria(window: MainWindow) -> None:
    window.open_record("indication", "mm")
    text = window.library.view.toPlainText()
    assert "Approved products by region" in text
    assert "ciltacabtagene" in text and "China" in text and "United States" in text
    assert "Typical eligibility criteria" in text
    assert "not a medical decision" in text


def test_destinations_table_has_every_country_and_column_and_sorts(window: MainWindow, qtbot) -> None:
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    page = window.destinations
    assert window.stack.currentWidget() is page
    proxy = page.proxy
    assert proxy.rowCount() == 4
    assert proxy.columnCount() == len(HEADERS) == 10
    countries = {proxy.index(r, COUNTRY).data() for r in range(4)}
    assert countries == {"China", "United States", "United Kingdom", "Germany"}
    for row in range(4):
        for column in range(proxy.columnCount()):
            assert proxy.index(row, column).data(), (row, column)
    page.table.sortByColumn(PACKAGE_COST, Qt.SortOrder.AscendingOrder)
    values = [proxy.index(r, PACKAGE_COST).data(SORT_ROLE) for r in range(4)]
    assert values == sorted(values)
    assert proxy.index(0, COUNTRY).data() == "China"
    assert proxy.index(0, PACKAGE_COST).data() == "$80,000"
    page.table.sortByColumn(PACKAGE_COST, Qt.SortOrder.DescendingOrder)
    assert proxy.index(0, COUNTRY).data() == "United States"
    page.table.selectRow(0)
    assert "List prices of the therapy" in page.detail.toPlainText()


def test_search_result_opens_a_destination(window: MainWindow, qtbot) -> None:
    window.focus_search()
    qtbot.keyClicks(window.search, "germany")
    qtbot.keyClick(window.search, Qt.Key.Key_Enter)
    assert window.stack.currentWidget() is window.destinations
    assert window.destinations.selected_code() == "DE"


def test_broken_pack_import_from_the_window_changes_nothing(window: MainWindow, qtbot, pack_copy: Path, tmp_path: Path):
    before = window.store.info()
    bump_version(pack_copy, "2099.1.0")
    edit_json(pack_copy / "therapies.json", lambda d: d[0].pop("maker"))
    archive = zip_pack(pack_copy, tmp_path / "broken.zip")
    window.import_pack(archive)
    qtbot.waitUntil(lambda: window.last_message is not None and window.last_message.isVisible(), timeout=10000)
    box = window.last_message
    assert "nothing changed" in box.text()
    assert "therapies.json: record #1 'tisagenlecleucel'" in box.informativeText()
    box.done(QMessageBox.StandardButton.Ok)
    assert window.store.info() == before
    assert window.import_action.isEnabled()


def test_newer_pack_import_from_the_window_is_applied(
    window: MainWindow, qtbot, pack_copy: Path, tmp_path: Path, monkeypatch
):
    bump_version(pack_copy, "2099.5.0")
    archive = zip_pack(pack_copy, tmp_path / "new.zip")
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda *args: shown.append(args[2]))
    window.import_pack(archive)
    qtbot.waitUntil(lambda: bool(shown), timeout=10000)
    assert "2099.5.0" in shown[0]
    assert "2099.5.0" in window.pack_label.text()


def test_geometry_is_remembered(qtbot, data_dir: Path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    first = make_window(qtbot, data_dir)
    first.resize(781, 561)  # within the offscreen screen (800 x 600)
    first.close()
    second = make_window(qtbot, data_dir)
    assert (second.width(), second.height()) == (781, 561)
    second.close()


def test_investigational_indication_lists_no_product_specific_criteria(window: MainWindow) -> None:
    window.open_record("indication", "sle")
    text = window.library.view.toPlainText()
    assert "Investigational" in text
    assert "tisa-cel" not in text and "liso-cel" not in text


def test_destinations_in_a_chosen_currency_with_a_chart(window: MainWindow) -> None:
    page = window.destinations
    window.open_destination("CN")
    combo = page.currency
    combo.setCurrentIndex(combo.findData("CNY"))
    proxy = page.proxy
    china = next(r for r in range(proxy.rowCount()) if proxy.index(r, COUNTRY).data() == "China")
    assert proxy.index(china, PACKAGE_COST).data() == "CN¥546,573"  # USD 80,000 x 7.9827 / 1.1684
    assert "CNY" in page.note.text()
    assert len(page.chart.rows) == 4 and all(row.marker is not None for row in page.chart.rows)
    combo.setCurrentIndex(combo.findData(None))  # as published
    assert proxy.index(china, PACKAGE_COST).data() == "$80,000"
    assert page.chart.isHidden()
