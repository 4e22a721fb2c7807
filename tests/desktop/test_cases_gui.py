"""Cases in the real window: create, type, tab, pick, see validation, see autosave land in the database."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop.cases.editor import AUTOSAVE_MS
from desktop.cases.model import NAME, REFERENCE
from desktop.shell.main_window import MainWindow
from planning.case import empty_document


def saved_document(window: MainWindow, case_id: int) -> dict:
    return window.cases_store.get(case_id).document


def wait_saved(qtbot, window: MainWindow, case_id: int, path: str, expected) -> None:
    section, key = path.split(".")
    qtbot.waitUntil(lambda: saved_document(window, case_id)[section][key] == expected, timeout=AUTOSAVE_MS * 10)


def test_first_start_offers_fictional_samples(window: MainWindow, qtbot) -> None:
    page = window.cases
    assert window.stack.currentWidget() is page
    assert page.stack.currentWidget() is page.empty
    qtbot.mouseClick(page.empty.findChild(type(page.new_button), "addSamples"), Qt.MouseButton.LeftButton)
    assert page.stack.currentIndex() == 1
    assert page.model.rowCount() == 5
    assert all(row.sample for row in page.model.rows)
    assert all("sample" in page.model.index(r, NAME).data() for r in range(5))
    assert page.editor.case is not None
    assert "fictional sample" in page.editor.title.text()


def test_type_tab_pick_validate_and_autosave(window: MainWindow, qtbot) -> None:
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    editor = window.cases.editor
    case_id = editor.case.id
    name = editor.fields["patient.full_name"].widget
    assert name.hasFocus()
    qtbot.keyClicks(name, "Maria Testova")
    wait_saved(qtbot, window, case_id, "patient.full_name", "Maria Testova")
    history = window.cases_store.history(case_id)
    assert any(
        h.field == "patient.full_name" and h.new == "Maria Testova" and h.who == "Test Coordinator" for h in history
    )

    # the tab order follows the form
    order = ["patient.date_of_birth", "patient.sex", "patient.nationality", "patient.language", "patient.email"]
    for path in order:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        focused = QApplication.focusWidget()
        assert focused is editor.fields[path].widget or editor.fields[path].widget.isAncestorOf(focused), path

    # pick from a list with the keyboard
    sex = editor.fields["patient.sex"].widget
    sex.setFocus()
    qtbot.keyClicks(sex, "F")
    assert editor.fields["patient.sex"].value() == "female"
    wait_saved(qtbot, window, case_id, "patient.sex", "female")

    # inline validation: the message names what is wrong; what was typed is kept and saved
    email = editor.fields["patient.email"].widget
    qtbot.keyClicks(email, "maria@")
    error = editor.errors["patient.email"]
    assert error.isVisible() and error.text() == "not an e-mail address"
    assert editor.summary.isVisible()
    wait_saved(qtbot, window, case_id, "patient.email", "maria@")
    qtbot.keyClicks(email, "example.org")
    assert not error.isVisible()
    wait_saved(qtbot, window, case_id, "patient.email", "maria@example.org")
    assert window.cases_store.get(case_id).row.problems == 0


def test_the_form_checks_the_case_rules_as_typed(window: MainWindow, qtbot) -> None:
    """The form validates through the case parser: a pasted control character, two addresses and a currency
    the rates do not reach are named at the field, in the same words the command line uses."""
    window.new_case()
    editor = window.cases.editor
    editor.apply("patient.full_name", "Maria\u202eavoseT")  # as pasted, then treated as an edit
    assert editor.errors["patient.full_name"].text() == "contains an invisible control character (U+202E); remove it"
    editor.apply("patient.full_name", "Maria Testova")
    assert not editor.errors["patient.full_name"].isVisible()
    editor.apply("patient.email", "maria@example.org, olga@example.org")
    assert editor.errors["patient.email"].text() == "one e-mail address only"
    editor.apply("preferences.currency", "JPY")
    assert editor.errors["preferences.currency"].text() == "no exchange rate for JPY; add one in Settings"
    editor.apply("preferences.currency", "EUR")
    assert not editor.errors["preferences.currency"].isVisible()


def test_unknown_stays_distinct_from_no_and_zero(window: MainWindow, qtbot) -> None:
    window.new_case()
    editor = window.cases.editor
    case_id = editor.case.id
    editor.tabs.setCurrentIndex(1)
    assert editor.fields["clinical.prior_lines"].value() is None
    assert editor.fields["clinical.cns_involvement"].value() is None
    lines = editor.fields["clinical.prior_lines"].widget
    lines.setFocus()
    qtbot.keyClick(lines, Qt.Key.Key_Up)  # from "—" (unknown) to 0
    assert editor.fields["clinical.prior_lines"].value() == 0
    cns = editor.fields["clinical.cns_involvement"].widget
    cns.setFocus()
    qtbot.keyClicks(cns, "N")
    wait_saved(qtbot, window, case_id, "clinical.cns_involvement", False)
    saved = saved_document(window, case_id)["clinical"]
    assert saved["prior_lines"] == 0 and saved["cns_involvement"] is False and saved["ecog"] is None


def test_undo_and_redo_across_the_form(window: MainWindow, qtbot) -> None:
    window.new_case()
    editor = window.cases.editor
    case_id = editor.case.id
    name, city = editor.fields["patient.full_name"].widget, editor.fields["patient.home_city"].widget
    qtbot.keyClicks(name, "Ivan")
    qtbot.keyClicks(city, "Almaty")
    qtbot.keyClick(city, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # from inside a field
    assert city.text() == ""
    assert name.text() == "Ivan"
    editor.undo_action.trigger()
    assert name.text() == ""
    editor.redo_action.trigger()
    editor.redo_action.trigger()
    assert (name.text(), city.text()) == ("Ivan", "Almaty")
    wait_saved(qtbot, window, case_id, "patient.home_city", "Almaty")
    assert saved_document(window, case_id)["patient"]["full_name"] == "Ivan"


def test_possible_duplicate_is_pointed_out(window: MainWindow, qtbot) -> None:
    window.cases.add_samples()
    sample = window.cases_store.get(window.cases.model.rows[-1].id)
    window.new_case()
    editor = window.cases.editor
    assert not editor.banner.isVisible()
    qtbot.keyClicks(editor.fields["patient.full_name"].widget, sample.row.full_name.upper())
    qtbot.keyClicks(editor.fields["patient.date_of_birth"].edit, sample.row.date_of_birth.replace("-", ""))
    assert editor.banner.isVisible()
    assert sample.reference in editor.banner.text()


def test_status_and_follow_up_are_saved_and_due_shows(window: MainWindow, qtbot) -> None:
    window.cases.add_samples()
    editor = window.cases.editor
    case_id = editor.case.id
    status = editor.status.widget
    status.setCurrentIndex(status.findData("counseling"))
    status.activated.emit(status.currentIndex())
    yesterday = date.today() - timedelta(days=1)
    qtbot.keyClicks(editor.follow_up.edit, yesterday.isoformat())
    row = window.cases_store.get(case_id).row
    assert (row.status, row.follow_up) == ("counseling", yesterday.isoformat())
    assert "(1)" in window.cases.due_filter.text()
    window.cases.due_filter.setChecked(True)
    assert [r.id for r in window.cases.model.rows] == [case_id]


def test_list_search_filter_and_sort(window: MainWindow, qtbot) -> None:
    page = window.cases
    page.add_samples()
    qtbot.keyClicks(page.search, "lay")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    assert "Layla" in page.model.index(0, NAME).data()
    page.search.clear()
    qtbot.waitUntil(lambda: page.model.rowCount() == 5)
    page.table.sortByColumn(REFERENCE, Qt.SortOrder.AscendingOrder)
    references = [page.model.index(r, REFERENCE).data() for r in range(5)]
    assert references == sorted(references)
    page.table.sortByColumn(REFERENCE, Qt.SortOrder.DescendingOrder)
    assert [page.model.index(r, REFERENCE).data() for r in range(5)] == sorted(references, reverse=True)
    page.status_filter.setCurrentIndex(page.status_filter.findData("closed"))
    assert page.model.rowCount() == 0
    assert page.count_label.text() == "0 cases"


def test_import_valid_and_invalid_files(window: MainWindow, qtbot, tmp_path: Path) -> None:
    document = empty_document()
    document["patient"].update(full_name="Imported Person", date_of_birth="1970-01-02")
    document["clinical"].update(indication="mm", ecog=1)
    good = tmp_path / "good.json"
    good.write_text(json.dumps(document), "utf-8")
    assert window.import_case(good)
    assert window.cases.editor.fields["patient.full_name"].value() == "Imported Person"

    before = window.cases_store.count(window.cases.current_query())
    document["clinical"]["ecog"] = 7
    document["preferences"]["currency"] = "XYZ"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(document), "utf-8")
    assert not window.import_case(bad)
    box = window.last_message
    assert "nothing was created" in box.text()
    assert "clinical.ecog: must be 0-4" in box.informativeText()
    assert "preferences.currency: unknown code XYZ" in box.informativeText()
    box.done(QMessageBox.StandardButton.Ok)
    assert window.cases_store.count(window.cases.current_query()) == before


def test_the_same_case_imported_twice_names_the_case_it_already_is(window: MainWindow, qtbot, tmp_path: Path) -> None:
    """The GUI imports through the services' one rule: no silent duplicate, and a currency without a rate
    is refused in the words the command line uses."""
    document = empty_document()
    document["patient"].update(full_name="Twice Imported", date_of_birth="1970-01-02")
    path = tmp_path / "twice.json"
    path.write_text(json.dumps(document), "utf-8")
    assert window.import_case(path)
    first = window.cases.editor.case.reference
    before = window.cases_store.count(window.cases.current_query())
    assert not window.import_case(path)
    box = window.last_message
    assert box.informativeText() == f"{path}: already imported: case {first} has the same name and date of birth"
    box.done(QMessageBox.StandardButton.Ok)
    document["patient"]["full_name"] = "Yen Patient"
    document["preferences"]["currency"] = "JPY"
    path.write_text(json.dumps(document), "utf-8")
    assert not window.import_case(path)
    assert (
        "preferences.currency: no exchange rate for JPY; add one in Settings" in window.last_message.informativeText()
    )
    window.last_message.done(QMessageBox.StandardButton.Ok)
    assert window.cases_store.count(window.cases.current_query()) == before


def test_drop_a_case_file_on_the_window(window: MainWindow, qtbot, tmp_path: Path) -> None:
    document = empty_document()
    document["patient"]["full_name"] = "Dropped Patient"
    path = tmp_path / "dropped.json"
    path.write_text(json.dumps(document), "utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(
        QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    window.dropEvent(event)
    assert window.cases.editor.fields["patient.full_name"].value() == "Dropped Patient"


def test_export_writes_the_case_file(window: MainWindow, qtbot, tmp_path: Path) -> None:
    window.new_case()
    editor = window.cases.editor
    qtbot.keyClicks(editor.fields["patient.full_name"].widget, "Export Person")
    target = tmp_path / "case.json"
    assert window.export_case(target)  # saves what was just typed first
    exported = json.loads(target.read_text("utf-8"))
    assert exported["format"] == "careplan-case" and exported["version"] == 2
    assert exported["patient"]["full_name"] == "Export Person"
    assert exported["reference"] == editor.case.reference
    assert not any(p.name.endswith(".part") for p in tmp_path.iterdir())


def test_export_to_a_missing_folder_fails_cleanly(window: MainWindow, tmp_path: Path, monkeypatch) -> None:
    window.new_case()
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: warnings.append(args[2]))
    assert not window.export_case(tmp_path / "missing" / "case.json")
    assert warnings and "could not be saved" in warnings[0]


def test_closing_saves_what_was_typed(qtbot, data_dir: Path) -> None:
    from tests.desktop.conftest import make_window

    data_dir.mkdir(parents=True, exist_ok=True)
    first = make_window(qtbot, data_dir)
    first.new_case()
    case_id = first.cases.editor.case.id
    qtbot.keyClicks(first.cases.editor.fields["patient.full_name"].widget, "Closed Quickly")
    first.close()  # before the autosave timer fires
    second = make_window(qtbot, data_dir)
    assert second.cases_store.get(case_id).document["patient"]["full_name"] == "Closed Quickly"
    second.close()


@pytest.mark.parametrize("count", [250])
def test_model_pages_and_never_loads_everything(tmp_path: Path, count: int) -> None:
    from db.case_store import CaseQuery, CaseStore
    from desktop.cases.model import PAGE, CasesModel
    from planning.knowledge.pack import load_pack

    pack = load_pack()
    store = CaseStore.open(tmp_path / "cases.sqlite", {i.code for i in pack.indications})
    for number in range(count):
        document = empty_document()
        document["patient"]["full_name"] = f"Person {number:03d}"
        store.create(document, "t")
    model = CasesModel(store, pack, "en")
    model.set_query(CaseQuery(sort="name", descending=False))
    assert model.rowCount() == PAGE and model.total == count
    assert model.canFetchMore()
    while model.canFetchMore():
        model.fetchMore()
    names = [model.index(r, NAME).data() for r in range(model.rowCount())]
    assert names == sorted(names) and len(names) == count


def test_dates_are_typed_with_the_keyboard(window: MainWindow, qtbot) -> None:
    window.new_case()
    editor = window.cases.editor
    case_id = editor.case.id
    born = editor.fields["patient.date_of_birth"]
    qtbot.keyClicks(born.edit, "19700315")
    wait_saved(qtbot, window, case_id, "patient.date_of_birth", "1970-03-15")
    assert not editor.errors["patient.date_of_birth"].isVisible()
    born.edit.clear()
    qtbot.keyClicks(born.edit, "2999-01-01")
    assert editor.errors["patient.date_of_birth"].text() == "in the future"
    wait_saved(qtbot, window, case_id, "patient.date_of_birth", "2999-01-01")  # kept as typed, flagged
    born.edit.clear()
    qtbot.keyClicks(born.edit, "15.03.1970")
    assert editor.errors["patient.date_of_birth"].text() == "must be a date as YYYY-MM-DD"


def test_continuous_typing_is_saved_while_it_goes_on(window: MainWindow, qtbot) -> None:
    """The save does not wait for a pause: a keystroke is in the store AUTOSAVE_MS after it was typed,
    even when the next keystrokes follow faster than that (a crash then loses only that moment)."""
    page = window.cases
    page.new_case()
    case_id = page.editor.case.id
    field = page.editor.fields["clinical.notes"].widget
    field.setFocus()
    seen_while_typing = []
    for char in "Daughter translates; prefers calls after six. " * 2:
        qtbot.keyClicks(field, char)
        qtbot.wait(AUTOSAVE_MS // 4)  # faster than the save interval, never a pause
        seen_while_typing.append((saved_document(window, case_id)["clinical"] or {}).get("notes") or "")
    typed = field.toPlainText()
    partial = [text for text in seen_while_typing if text and text != typed]
    assert partial, "nothing reached the store until typing stopped"
    assert all(typed.startswith(text) for text in partial)
    # never more than about one save interval behind what was typed
    lag = [len(field_text) - len(saved) for field_text, saved in zip(_prefixes(typed), seen_while_typing, strict=True)]
    assert max(lag[len(lag) // 2 :]) <= 8
    wait_saved(qtbot, window, case_id, "clinical.notes", typed)


def _prefixes(text: str) -> list[str]:
    return [text[: n + 1] for n in range(len(text))]


def test_an_over_long_name_never_pushes_the_form_away(window: MainWindow, qtbot) -> None:
    """15,000 characters typed into the name (a review typed for three minutes) once made the case title a
    wall of text that pushed the tabs out of reach: the title stays one line, cut in its middle so the
    reference stays in view, with the whole text on hover."""
    window.resize(1280, 820)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    editor = window.cases.editor
    qtbot.waitUntil(lambda: editor.title.text() != "")
    tabs_at, title_height = editor.tabs.mapTo(window, editor.tabs.rect().topLeft()).y(), editor.title.height()
    name = editor.fields["patient.full_name"].widget
    QApplication.clipboard().setText("Wang Shili " * 1400)
    name.setFocus()
    name.paste()  # as a coordinator would: an edit, not a programmatic change
    qtbot.waitUntil(lambda: "Wang Shili Wang" in editor.title.text())
    QApplication.processEvents()
    assert editor.title.height() == title_height
    moved = editor.tabs.mapTo(window, editor.tabs.rect().topLeft()).y() - tabs_at
    assert moved <= 2 * editor.fontMetrics().height()  # one line of "Check: Full name", not a wall of text
    assert editor.case.reference in editor.title.text() and editor.title.whole.cut()
    assert "Wang Shili Wang Shili" in editor.title.toolTip()
