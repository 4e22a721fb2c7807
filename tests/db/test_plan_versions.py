"""Plan versions on a real SQLite file: kept newest first, the PDF byte for byte, sent marks the case."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from db.case_store import CaseStore, migrations
from db.connection import open_db

INDICATIONS = {"lbcl", "mm", "b_all"}
WHO = "Desk One"
PDF = b"%PDF-1.4\n" + bytes(range(256)) * 40 + b"\n%%EOF"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[CaseStore]:
    store = CaseStore.open(tmp_path / "cases.sqlite", INDICATIONS)
    yield store
    store.close()


def new_case(store: CaseStore) -> int:
    document = {"format": "careplan-case", "version": 1, "patient": {"full_name": "Anna Beispiel"}}
    return store.create(document, WHO).id


def add(store: CaseStore, case_id: int, locale: str = "de", pdf: bytes = PDF):
    return store.add_plan_version(
        case_id,
        WHO,
        locale,
        ["DE", "CN"],
        {"DE": "€1–€2", "CN": "€3–€4"},
        "2026.11.6",
        {"case": {"patient": {"full_name": "Anna Beispiel"}}},
        {"$type": "Plan", "title": "Behandlungsplan"},
        pdf,
    )


def test_versions_are_kept_newest_first_with_their_inputs(store: CaseStore) -> None:
    case_id = new_case(store)
    assert store.plan_versions(case_id) == []
    first = add(store, case_id, "de")
    second = add(store, case_id, "en", PDF + b"2")
    versions = store.plan_versions(case_id)
    assert [v.id for v in versions] == [second.id, first.id]
    assert first.locale == "de" and first.destinations == ("DE", "CN")
    assert first.totals == {"DE": "€1–€2", "CN": "€3–€4"} and first.pack_version == "2026.11.6"
    assert first.who == WHO and first.sent_at is None
    assert store.plan_pdf(first.id) == PDF and store.plan_pdf(second.id) == PDF + b"2"
    assert store.plan_model(first.id) == {"$type": "Plan", "title": "Behandlungsplan"}
    assert [h.field for h in store.history(case_id)].count("plan") == 2


def test_marking_sent_sets_status_follow_up_and_history(store: CaseStore) -> None:
    case_id = new_case(store)
    version = add(store, case_id)
    store.mark_sent(version.id, WHO, date(2026, 12, 10))
    assert store.plan_versions(case_id)[0].sent_at
    stored = store.get(case_id)
    assert stored.row.status == "plan_sent" and stored.row.follow_up == "2026-12-10"
    fields = [h.field for h in store.history(case_id)]
    assert "status" in fields and "follow_up" in fields


def test_a_version_needs_an_existing_case_and_a_failed_insert_leaves_nothing(store: CaseStore) -> None:
    case_id = new_case(store)
    with pytest.raises(sqlite3.IntegrityError):
        add(store, case_id + 999)
    with pytest.raises(sqlite3.IntegrityError):
        add(store, case_id, pdf=None)  # type: ignore[arg-type]
    assert store.plan_versions(case_id) == []
    assert [h.field for h in store.history(case_id)].count("plan") == 0


def test_an_older_file_gains_the_table_and_keeps_its_cases(tmp_path: Path) -> None:
    path = tmp_path / "cases.sqlite"
    store = CaseStore.open(path, INDICATIONS)
    case_id = new_case(store)
    store.close()
    db = open_db(path, migrations)
    db.execute("DROP TABLE plan_versions")
    db.execute("DELETE FROM _sqlite_migrations WHERE name = 'm002_plan_versions'")
    db.conn.commit()
    db.conn.close()
    again = CaseStore.open(path, INDICATIONS)
    assert again.get(case_id).row.full_name == "Anna Beispiel"
    assert add(again, case_id).case_id == case_id
    again.close()
