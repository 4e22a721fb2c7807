"""The call journal on a real SQLite file: calls stored with the case's follow-up and an audit entry,
erased with the case, exported with the patient's data, and the step that adds them (m005) on an
existing store."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlite_utils import Database

from db.case_calls import add_call, call_count, calls
from db.case_store import CaseStore
from db.case_store import migrations as case_migrations
from db.patient_export import erase_patient, export_patient

INDICATIONS = {"lbcl", "mm"}
WHO = "Desk Two"
NOTE = "Spoke with daughter Quillonia; PET scan report comes by Friday."


@pytest.fixture
def store(tmp_path: Path) -> Iterator[CaseStore]:
    store = CaseStore.open(tmp_path / "cases.sqlite", INDICATIONS)
    yield store
    store.close()


def new_case(store: CaseStore, name: str = "Ottoline Varga") -> int:
    return store.create({"patient": {"full_name": name}, "clinical": {"indication": "lbcl"}}, WHO).id


def test_a_call_is_stored_sets_the_follow_up_and_is_audited_without_its_note(store: CaseStore) -> None:
    case_id = new_case(store)
    other = new_case(store, "Someone Else")
    first = add_call(store, case_id, WHO, "No answer at 10:00", "no_answer")
    second = add_call(store, case_id, "Desk Three", NOTE, "reached", date(2026, 12, 24))
    assert [c.id for c in calls(store, case_id)] == [second.id, first.id]  # newest first
    stored = calls(store, case_id)[0]
    assert (stored.who, stored.note, stored.outcome, stored.follow_up) == ("Desk Three", NOTE, "reached", "2026-12-24")
    assert stored.at == second.at and calls(store, other) == [] and call_count(store, case_id) == 2
    assert calls(store, case_id)[1].follow_up is None
    row = store.get(case_id).row
    assert row.follow_up == "2026-12-24"  # as the editor's follow-up field sets it
    assert row.updated_at >= second.at
    follow = [h for h in store.history(case_id) if h.field == "follow_up"]
    assert [(h.old, h.new, h.who) for h in follow] == [(None, "2026-12-24", "Desk Three")]
    logged = [e for e in store.audit_entries(case_id) if e.action == "call_logged"]
    assert [(e.who, e.detail) for e in logged] == [("Desk Three", f"call {second.id}"), (WHO, f"call {first.id}")]
    assert all("Quillonia" not in e.detail for e in store.audit_entries())


def test_a_call_for_an_unknown_case_stores_nothing(store: CaseStore) -> None:
    case_id = new_case(store)
    with pytest.raises(KeyError):
        add_call(store, case_id + 10, WHO, NOTE, None, date(2026, 12, 24))
    assert store.db.execute("SELECT count(*) FROM case_calls").fetchone()[0] == 0
    assert not [e for e in store.audit_entries() if e.action == "call_logged"]


def test_erasing_the_patient_erases_their_calls_from_table_and_file(tmp_path: Path) -> None:
    path = tmp_path / "cases.sqlite"
    store = CaseStore.open(path, INDICATIONS)
    try:
        case_id = new_case(store)
        kept = new_case(store, "Neighbour Kept")
        add_call(store, case_id, WHO, NOTE, "reached", date(2026, 12, 24))
        add_call(store, kept, WHO, "the neighbour's own call", None)
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

        def raw() -> bytes:
            return b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("cases.sqlite"))

        assert b"Quillonia" in raw()  # the test can fail: the note is in the file before the erase
        erase_patient(store, case_id, WHO)
        assert calls(store, case_id) == []
        assert store.db.execute("SELECT count(*) FROM case_calls WHERE case_id = ?", [case_id]).fetchone()[0] == 0
        assert [c.note for c in calls(store, kept)] == ["the neighbour's own call"]
        after = raw()
    finally:
        store.close()
    assert b"Quillonia" not in after and b"PET scan report" not in after
    assert b"the neighbour's own call" in after


def test_the_patient_export_holds_the_calls(store: CaseStore, tmp_path: Path) -> None:
    case_id = new_case(store)
    other = new_case(store, "Someone Else")
    add_call(store, case_id, WHO, "first call", "left_message")
    add_call(store, case_id, WHO, NOTE, "reached", date(2026, 12, 24))
    add_call(store, other, WHO, "not this patient's call")
    target = tmp_path / "export.zip"
    export_patient(store, case_id, target, WHO)
    with zipfile.ZipFile(target) as archive:
        record = json.loads(archive.read("patient.json").decode("utf-8"))
        readme = archive.read("README.txt").decode("utf-8")
    assert [(c["note"], c["outcome"], c["follow_up"], c["who"]) for c in record["calls"]] == [
        ("first call", "left_message", None, WHO),
        (NOTE, "reached", "2026-12-24", WHO),
    ]  # oldest first, like the history
    assert all(c["at"] for c in record["calls"])
    assert "not this patient's call" not in json.dumps(record)
    assert "calls logged" in readme


def test_the_step_adding_calls_keeps_an_existing_audit_log_and_allows_the_new_action(tmp_path: Path) -> None:
    path = tmp_path / "cases.sqlite"
    old = Database(path)
    case_migrations.apply(old, stop_before="m005_calls")  # a store as installs had it before this step
    d = "2026-01-01"
    old.execute("INSERT INTO cases (reference, created_at, updated_at, document) VALUES ('CP-1', ?, ?, '{}')", [d, d])
    old.execute("INSERT INTO audit (at, who, action, case_id, reference) VALUES (?, 'Old', 'created', 1, 'CP-1')", [d])
    old.execute("INSERT INTO audit (at, who, action, detail) VALUES ('2026-01-02', 'Old', 'erased', '1 case')")
    old.conn.commit()
    with pytest.raises(sqlite3.IntegrityError):  # the old CHECK list did not know it
        old.execute("INSERT INTO audit (at, who, action) VALUES ('', '', 'call_logged')")
    old.conn.close()
    store = CaseStore.open(path, INDICATIONS)
    try:
        entries = store.audit_entries()
        assert [(e.id, e.action, e.reference, e.detail) for e in entries] == [
            (2, "erased", None, "1 case"),
            (1, "created", "CP-1", ""),
        ]
        call = add_call(store, 1, WHO, NOTE)
        assert store.audit_entries(1)[0].action == "call_logged" and store.audit_entries(1)[0].id == 3
        assert calls(store, 1) == [call]
        indexes = {row[1] for row in store.db.execute("PRAGMA index_list(audit)")}
        assert "audit_by_case" in indexes
        assert store.db.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        store.close()
