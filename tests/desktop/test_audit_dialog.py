"""The audit log viewer: its table model (without a window), translated actions, filter, paging, CSV export."""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt

from db.audit_log import ACTIONS
from db.case_store import CaseStore
from db.vault import CaseVault
from desktop.security.audit_dialog import ACTION_LABELS, AuditDialog, AuditModel, action_label
from planning.i18n import format_local_time as local_time
from planning.i18n import locale_scope, pseudo

CODES = {"lbcl", "mm", "b_all"}


@pytest.fixture
def store(data_dir: Path) -> Iterator[CaseStore]:
    data_dir.mkdir(parents=True)
    vault = CaseVault(data_dir / "cases.sqlite")
    vault.setup("a passphrase")
    store = vault.open(CODES)
    first = store.create({"patient": {"full_name": "Alma Test"}}, "Desk One")
    second = store.create({"patient": {"full_name": "Bruno Test"}}, "Desk Two")
    store.audit("Desk One", "viewed", first.id)
    store.audit("Desk Two", "printed", second.id, "version 1")
    store.audit("Desk One", "passphrase_changed")
    yield store
    store.close()


def texts(model: AuditModel, column: int) -> list[str]:
    return [model.data(model.index(row, column)) for row in range(model.rowCount())]


def test_every_action_has_words() -> None:
    assert set(ACTION_LABELS) == set(ACTIONS)
    assert len(set(ACTION_LABELS.values())) == len(ACTIONS)
    assert action_label("plan_generated") == "Plan generated"


def test_the_model_shows_entries_newest_first(store: CaseStore) -> None:
    model = AuditModel(store, "en")
    assert model.rowCount() == 5 and model.columnCount() == 5
    assert model.headerData(AuditModel.ACTION, Qt.Orientation.Horizontal) == "What"
    assert texts(model, AuditModel.ACTION) == [
        "Passphrase changed",
        "Plan printed",
        "Case viewed",
        "Case created",
        "Case created",
    ]
    assert texts(model, AuditModel.WHO) == ["Desk One", "Desk Two", "Desk One", "Desk Two", "Desk One"]
    references = texts(model, AuditModel.REFERENCE)
    assert references[0] == "" and references[1] and references[1] == references[3]
    assert texts(model, AuditModel.DETAIL)[1] == "version 1"
    newest = store.audit_entries(limit=1)[0]
    assert model.data(model.index(0, AuditModel.WHEN)) == local_time(newest.at, "en", seconds=True)
    assert model.data(model.index(0, AuditModel.WHEN)).endswith(("AM", "PM"))  # the local clock, in words
    assert "Alma" not in " ".join(" ".join(texts(model, c)) for c in range(5))  # no patient content


def test_actions_are_shown_in_the_interface_language(store: CaseStore) -> None:
    with locale_scope("pseudo"):
        model = AuditModel(store, "pseudo")
        shown = texts(model, AuditModel.ACTION)
    assert shown[0] == pseudo("Passphrase changed") != "Passphrase changed"
    assert shown[1] == pseudo("Plan printed")


def test_the_filter_finds_a_reference_or_a_coordinator_in_the_whole_log(store: CaseStore) -> None:
    reference = store.audit_entries()[1].reference
    for n in range(30):
        store.audit("Desk Three", "viewed", None, f"filler {n}")
    model = AuditModel(store, "en", page=10)
    assert model.rowCount() == 10 and model.canFetchMore(QModelIndex())
    model.set_filter(reference.lower())
    assert model.rowCount() == 2 and not model.canFetchMore(QModelIndex())  # beyond the first page
    assert set(texts(model, AuditModel.REFERENCE)) == {reference}
    model.set_filter("desk two")
    assert texts(model, AuditModel.WHO) == ["Desk Two", "Desk Two"]
    model.set_filter("")
    assert model.rowCount() == 10


def test_the_log_is_read_a_page_at_a_time(store: CaseStore, qtbot) -> None:
    for n in range(1200):
        store.audit("Desk Three", "viewed", None, f"filler {n}")
    model = AuditModel(store, "en")
    assert model.rowCount() == 500 and model.canFetchMore(QModelIndex())
    assert model.data(model.index(0, AuditModel.DETAIL)) == "filler 1199"
    with qtbot.waitSignal(model.rowsInserted):
        model.fetchMore(QModelIndex())
    assert model.rowCount() == 1000
    assert model.data(model.index(999, AuditModel.DETAIL)) == "filler 200"
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 1205 and not model.canFetchMore(QModelIndex())
    model.set_filter("")
    model.show_all()
    assert model.rowCount() == 1205


def test_the_dialog_exports_the_whole_log_as_csv(store: CaseStore, qtbot, tmp_path: Path) -> None:
    dialog = AuditDialog(store, "en")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.table.model().rowCount() == 5
    assert dialog.count.text() == "5 entries."
    assert not dialog.show_all_button.isVisibleTo(dialog)
    qtbot.keyClicks(dialog.filter, "desk two")
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 2, timeout=3000)
    assert dialog.count.text() == "2 entries."
    target = tmp_path / "audit.csv"
    assert dialog.export(target)  # the whole log, whatever the filter shows
    with open(target, encoding="utf-8-sig", newline="") as file:
        rows = list(csv.reader(file))
    assert rows[0] == ["at", "who", "action", "reference", "detail"]
    entries = list(reversed(store.audit_entries()))
    assert [row[1:3] for row in rows[1:]] == [[e.who, e.action] for e in entries]
    assert [row[3] for row in rows[1:]] == [e.reference or "" for e in entries]
    assert rows[4][4] == "version 1"
    assert str(target) in dialog.count.text()


def unwritable_folder(tmp_path: Path) -> Path:
    """A folder nobody may write in: a read-only one, or (for root, who may write anywhere) sysfs."""
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    if not os.access(folder, os.W_OK):
        return folder
    folder.chmod(0o700)
    try:
        probe = Path(tempfile.mkstemp(dir="/sys")[1])
    except PermissionError:
        return Path("/sys")
    except OSError:
        pass
    else:
        probe.unlink()
    pytest.skip("no folder here refuses writing")


@pytest.mark.parametrize("where", ["unwritable", "missing"])
def test_export_that_cannot_be_written_says_so_and_writes_nothing(
    store: CaseStore, qtbot, tmp_path: Path, where: str
) -> None:
    folder = unwritable_folder(tmp_path) if where == "unwritable" else tmp_path / "no such folder"
    before = sorted(folder.iterdir()) if folder.exists() else []
    try:
        dialog = AuditDialog(store, "en")
        qtbot.addWidget(dialog)
        target = folder / "audit.csv"
        assert not dialog.export(target)
        box = dialog.last_message
        assert box is not None and box.isVisible()
        reason = "Permission denied" if where == "unwritable" else "No such file or directory"
        assert box.text() == f"The audit log could not be saved to {target}: {reason}"
        assert "Nothing was written" in box.informativeText()
        assert not target.exists()
        assert (sorted(folder.iterdir()) if folder.exists() else []) == before  # no partial file left
    finally:
        if folder.is_relative_to(tmp_path) and folder.exists():
            folder.chmod(0o700)


def test_an_edit_names_the_fields_by_their_labels_not_their_paths(window, qtbot) -> None:
    """A coordinator edits a field and opens the audit log: the field's label, never its path."""
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    editor = window.cases.editor
    qtbot.keyClicks(editor.fields["clinical.diagnosis_text"].widget, "DLBCL, relapsed")
    qtbot.keyClicks(editor.fields["patient.home_city"].widget, "Almaty")
    editor.flush()
    edited = next(e for e in window.cases_store.audit_entries() if e.action == "edited")
    assert "clinical.diagnosis_text" in edited.detail  # stored as a path: the same in every language

    dialog = window.settings_page.security.open_audit_log()
    model = dialog.model
    row = next(r for r in range(model.rowCount()) if model.entries[r].id == edited.id)
    shown = model.data(model.index(row, AuditModel.DETAIL))
    assert "Diagnosis as reported" in shown and "Home city" in shown
    assert "clinical." not in shown and "patient." not in shown
    assert "clinical." not in model.data(model.index(row, AuditModel.DETAIL), Qt.ItemDataRole.ToolTipRole)
    dialog.close()

    with locale_scope("de"):
        german = AuditModel(window.cases_store, "de")
        row = next(r for r in range(german.rowCount()) if german.entries[r].id == edited.id)
        shown = german.data(german.index(row, AuditModel.DETAIL))
    assert "Diagnose laut Angabe" in shown and "clinical." not in shown


def test_every_case_field_has_a_label_and_it_is_the_editors(window, qtbot) -> None:
    from planning.case import empty_document, flatten
    from planning.field_labels import field_name

    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    editor = window.cases.editor
    assert editor.labels and all(field_name(path) == label for path, label in editor.labels.items())
    for path in [*flatten(empty_document()), "status", "follow_up"]:
        if path not in ("format", "version"):
            assert field_name(path) != path, path
    assert field_name("clinical.something_new") == "clinical.something_new"  # unknown: as stored


def test_other_details_and_the_csv_keep_what_is_stored(store: CaseStore, tmp_path: Path) -> None:
    store.set_status(store.audit_entries()[-1].case_id, "counseling", "Desk One")
    model = AuditModel(store, "en")
    assert texts(model, AuditModel.DETAIL)[0] == "Status"
    assert "version 1" in texts(model, AuditModel.DETAIL)  # not a field list: as stored
    target = tmp_path / "audit.csv"
    AuditDialog(store, "en").export(target)
    rows = list(csv.reader(target.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[-1][2] == "edited" and rows[-1][4] == "status"  # the CSV is for tools: paths, as stored
