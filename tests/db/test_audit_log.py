"""The audit log in the case store: who did what and when, reduced on erase, exported as CSV."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from db.audit_log import ACTIONS
from db.case_store import CaseStore
from planning.case import empty_document

CODES = {"lbcl"}
NAME = "Xanthe Auditcase-Okonkwo"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[CaseStore]:
    store = CaseStore.open(tmp_path / "cases.sqlite", CODES)
    yield store
    store.close()


def new_case(store: CaseStore, who: str = "Desk One") -> int:
    document = empty_document()
    document["patient"]["full_name"] = NAME
    document["patient"]["email"] = "xanthe@example.invalid"
    return store.create(document, who).id


def add_plan(store: CaseStore, case_id: int) -> int:
    return store.add_plan_version(
        case_id, "Desk Two", "en", ["CN"], {"CN": ["1", "2"]}, "2026.1", {"rates": {}}, {"x": 1}, b"%PDF-1.7 fake"
    ).id


def actions(store: CaseStore, case_id: int | None = None) -> list[str]:
    return [entry.action for entry in reversed(store.audit_entries(case_id))]


def test_create_edit_plan_and_mail_are_recorded_with_who_and_reference(store: CaseStore) -> None:
    case_id = new_case(store)
    reference = store.get(case_id).reference
    document = store.get(case_id).document
    document["clinical"]["ecog"] = 1
    document["patient"]["phone"] = "+49 30 1234"
    store.save_document(case_id, document, "Desk Two")
    version = add_plan(store, case_id)
    store.mark_sent(version, "Desk Two", date(2026, 12, 1))
    store.audit("Desk One", "viewed", case_id)
    store.audit("Desk One", "printed", case_id, f"version {version}")

    entries = list(reversed(store.audit_entries(case_id)))
    assert [e.action for e in entries] == [
        "created",
        "edited",
        "plan_generated",
        "emailed",
        "edited",  # status: plan sent
        "edited",  # follow-up date
        "viewed",
        "printed",
    ]
    assert all(e.reference == reference and e.case_id == case_id for e in entries)
    assert [e.who for e in entries][:3] == ["Desk One", "Desk Two", "Desk Two"]
    assert entries[1].detail == "clinical.ecog, patient.phone"  # which fields, never their values
    assert entries[2].detail == f"version {version} (en)"
    assert [e.detail for e in entries[4:6]] == ["status", "follow_up"]
    assert all(e.at for e in entries) and entries == sorted(entries, key=lambda e: (e.at, e.id))
    assert store.audit_entries(limit=2) == list(reversed(entries))[:2]


def test_entries_hold_no_patient_content(store: CaseStore) -> None:
    case_id = new_case(store)
    document = store.get(case_id).document
    document["clinical"]["notes"] = "Secret note about Xanthe"
    store.save_document(case_id, document, "Desk One")
    add_plan(store, case_id)
    for entry in store.audit_entries():
        text = " ".join(str(v) for v in vars(entry).values())
        assert "Xanthe" not in text and "example.invalid" not in text and "Secret" not in text


def test_an_unknown_action_is_refused_and_nothing_is_written(store: CaseStore) -> None:
    case_id = new_case(store)
    before = store.audit_entries()
    with pytest.raises(ValueError, match="deleted"):
        store.audit("Desk One", "deleted", case_id)
    with pytest.raises(sqlite3.IntegrityError):  # the table refuses it too
        store.db.execute("INSERT INTO audit (at, who, action) VALUES ('now', 'me', 'deleted')")
    assert store.audit_entries() == before
    assert len(set(ACTIONS)) == len(ACTIONS)


def test_erase_forgets_the_case_in_its_entries_and_keeps_the_others(store: CaseStore) -> None:
    erased_id, kept_id = new_case(store), new_case(store)
    erased_reference = store.get(erased_id).reference
    kept_reference = store.get(kept_id).reference
    add_plan(store, erased_id)
    store.audit("Desk One", "viewed", erased_id, "Patient tab")
    kept_before = store.audit_entries(kept_id)

    assert store.erase(erased_id, "Desk Three") == erased_reference
    assert store.get(erased_id) is None
    assert store.audit_entries(erased_id) == []
    assert store.audit_entries(kept_id) == kept_before
    anonymous = [e for e in store.audit_entries() if e.case_id is None]
    assert [e.action for e in reversed(anonymous)] == ["created", "plan_generated", "viewed", "erased"]
    assert all(e.reference is None for e in anonymous)
    assert all(e.detail == "" for e in anonymous[1:])  # what was done stays, to which case does not
    assert anonymous[0].who == "Desk Three" and anonymous[0].detail == "1 case, 1 plan versions"
    assert (
        erased_reference
        not in store.db.execute("SELECT group_concat(coalesce(reference, ''), ' ') FROM audit").fetchone()[0]
    )
    assert kept_reference in {e.reference for e in store.audit_entries()}
    with pytest.raises(KeyError):
        store.erase(erased_id, "Desk Three")


def test_erase_leaves_nothing_of_the_patient_in_the_file(tmp_path: Path) -> None:
    path = tmp_path / "cases.sqlite"
    store = CaseStore.open(path, CODES)
    case_id = new_case(store)
    add_plan(store, case_id)
    store.erase(case_id, "Desk One")
    store.close()
    raw = path.read_bytes()
    assert b"Auditcase" not in raw and b"auditcase" not in raw and b"xanthe" not in raw.lower()
