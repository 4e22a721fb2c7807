"""Duplicating a case from the Cases page's menu, and comparing two plan versions in the Plan tab, as a
coordinator does them in the real window."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QItemSelectionModel, QTimer
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QApplication, QLabel

from desktop.cases.model import ID_ROLE
from desktop.plan.compare import CompareDialog
from desktop.shell.main_window import MainWindow
from planning.i18n import country_name


def open_sample(window: MainWindow, name_part: str) -> None:
    window.cases.add_samples()
    row = next(r for r in window.cases.model.rows if name_part in r.full_name)
    window.cases.open_case(row.id)


def generate(window: MainWindow, qtbot) -> None:
    panel = window.cases.plan_panel
    before = panel.versions.count()
    panel.generate_button.click()
    qtbot.waitUntil(lambda: not panel.busy and panel.versions.count() == before + 1, timeout=60000)
    qtbot.waitUntil(lambda: panel.document.status() == QPdfDocument.Status.Ready, timeout=10000)


def test_duplicate_from_the_menu_opens_the_new_case_with_a_new_reference(window: MainWindow, qtbot) -> None:
    open_sample(window, "Anna")
    page, editor = window.cases, window.cases.editor
    original = editor.case
    store = window.cases_store
    page._status_changed(original.id, "plan_sent")
    page._follow_up_changed(original.id, date(2026, 12, 24))
    notes = editor.fields["clinical.notes"]
    qtbot.keyClicks(notes.widget, " Typed just now.")  # not saved yet: the copy takes it as typed
    assert page.duplicate_action.isEnabled() and page.duplicate_action in page.case_menu.actions()
    assert "new reference" in page.duplicate_action.toolTip()

    page.duplicate_action.trigger()

    copied = editor.case
    assert copied.id != original.id and copied.reference != original.reference
    assert copied.row.status == "new" and copied.row.follow_up is None
    assert editor.fields["patient.full_name"].value() == store.get(original.id).row.full_name
    assert "Typed just now." in editor.fields["clinical.notes"].value()
    stored_original = store.get(original.id).document
    for section in ("patient", "clinical", "preferences"):
        assert store.get(copied.id).document[section] == stored_original[section]
    current = page.table.selectionModel().currentIndex()
    assert current.data(ID_ROLE) == copied.id  # selected in the list
    assert (
        page.notice.isVisible() and copied.reference in page.notice.text() and original.reference in page.notice.text()
    )
    assert store.plan_versions(copied.id) == [] and page.plan_panel.versions.count() == 0
    assert [e.action for e in store.audit_entries(copied.id)][-1] == "created"


def test_two_versions_with_a_destination_added_compare_with_it_listed(window: MainWindow, qtbot) -> None:
    open_sample(window, "Anna")
    other = next(r.id for r in window.cases.model.rows if "Anna" not in r.full_name)
    for _version in range(2):  # another case's versions come first: the store's ids are not the numbers shown
        window.cases_store.add_plan_version(other, "Desk", "en", ["CN"], {}, "1", {}, {}, b"%PDF")
    panel = window.cases.plan_panel
    destinations = window.cases.editor.fields["preferences.destinations"]
    generate(window, qtbot)
    assert not panel.compare_button.isEnabled()  # one version: nothing to compare it with
    added = next(code for code, box in destinations.boxes.items() if not box.isChecked())
    destinations.boxes[added].setChecked(True)
    generate(window, qtbot)
    assert panel.compare_button.isEnabled()

    seen: list[CompareDialog] = []

    def read_and_close() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, CompareDialog)
        seen.append(dialog)
        dialog.reject()

    QTimer.singleShot(0, read_and_close)
    panel.compare_button.click()  # the newest version shown: compared with the one before it
    assert seen, "no comparison was shown"
    text = seen[0].text()
    assert f"Destinations added: {country_name(added, 'en')}" in text
    assert f"Total for {country_name(added, 'en')}: none → " in text
    versions = window.cases_store.plan_versions(window.cases.editor.case.id)
    assert (seen[0].diff.old.id, seen[0].diff.new.id) == (versions[1].id, versions[0].id)
    assert (seen[0].diff.old.number, seen[0].diff.new.number) == (1, 2)  # as the case's timeline counts
    heading = seen[0].findChild(QLabel, "planCompareHeading").text()
    assert "(version 1)" in heading and "(version 2)" in heading, heading

    # two selected (Ctrl+click): the same two, whichever is current
    selection = panel.versions.selectionModel()
    for row in (1, 0):
        selection.select(panel.versions.model().index(row, 0), QItemSelectionModel.SelectionFlag.Select)
    assert len(panel.versions.selectedItems()) == 2
    QTimer.singleShot(0, read_and_close)
    panel.compare_button.click()
    assert len(seen) == 2 and seen[1].text() == text
