"""Finding cases from the global search and the list: name, reference, phone (by its digits), e-mail (by its
parts and whole) and notes, ranked; the step that adds phone and e-mail to the words of existing cases; the
list's search plan for a query that matches many cases far down the order, and its remembered counts."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

import db.case_store as case_store
from db.case_search import EXACT_CONTACT, EXACT_REFERENCE, NAME_START, OTHER, is_connected, search_cases
from db.case_store import CaseQuery, CaseStore, migrations, search_words
from db.contact_words import contact_texts, phone_words

INDICATIONS = {"lbcl", "mm"}
WHO = "Desk One"


def case(name: str, phone: str | None = None, email: str | None = None, notes: str = "") -> dict[str, Any]:
    return {
        "format": "careplan-case",
        "version": 2,
        "patient": {"full_name": name, "phone": phone, "email": email},
        "clinical": {"indication": "lbcl", "notes": notes},
    }


@pytest.fixture
def store(tmp_path: Path) -> Iterator[CaseStore]:
    store = CaseStore.open(tmp_path / "cases.sqlite", INDICATIONS)
    yield store
    store.close()


@pytest.fixture
def people(store: CaseStore) -> dict[str, int]:
    cases = {
        "Lucía Martínez": case("Lucía Martínez", "+34 600 123 456", "lucia.martinez@example.es", "prefers WhatsApp"),
        "Martin Lucas": case("Martin Lucas", "0049 30 1234567", "m.lucas@post.de"),
        "Olga Ivanova": case("Olga Ivanova", notes="call Lucía's daughter in the evening"),
        "Hans Weber": case("Hans Weber", "(030) 555-0199", notes="interpreter for German"),
    }
    return {name: store.create(document, WHO).id for name, document in cases.items()}


def global_hits(store: CaseStore, text: str) -> list[tuple[str, str]]:
    return [(hit.row.full_name, hit.matched) for hit in search_cases(store, text)]


def listed(store: CaseStore, text: str) -> set[str]:
    rows, _following = store.page(CaseQuery(text=text), limit=100)
    return {row.full_name for row in rows}


@pytest.mark.parametrize("typed", ["600 123", "600123", "600-123-456", "+34 600 123 456", "34600123456", "+34 600"])
def test_a_phone_number_is_found_by_its_digits_however_they_are_grouped(
    store: CaseStore, people: dict[str, int], typed: str
) -> None:
    assert global_hits(store, typed) == [("Lucía Martínez", "phone")]
    assert listed(store, typed) == {"Lucía Martínez"}  # the case list finds it the same way


def test_a_phone_number_with_an_international_or_trunk_prefix(store: CaseStore, people: dict[str, int]) -> None:
    assert global_hits(store, "+49 30 1234567") == [("Martin Lucas", "phone")]  # stored as 0049 30 ...
    assert global_hits(store, "301234") == [("Martin Lucas", "phone")]
    assert global_hits(store, "30 555 0199") == [("Hans Weber", "phone")]  # stored as (030) 555-0199
    assert global_hits(store, "5550199") == [("Hans Weber", "phone")]


def test_the_whole_phone_number_ranks_as_exact(store: CaseStore, people: dict[str, int]) -> None:
    [hit] = search_cases(store, "600 123 456")
    assert (hit.rank, hit.matched, hit.detail) == (EXACT_CONTACT, "phone", "+34 600 123 456")
    [part] = search_cases(store, "600 123")
    assert (part.rank, part.detail) == (OTHER, "+34 600 123 456")


@pytest.mark.parametrize("typed", ["lucia.martinez@example.es", "LUCIA.MARTINEZ@EXAMPLE.ES", "example.es", "examp"])
def test_an_email_address_is_found_whole_and_by_its_parts(store: CaseStore, people: dict[str, int], typed: str) -> None:
    [hit] = search_cases(store, typed)
    assert (hit.row.full_name, hit.matched, hit.detail) == ("Lucía Martínez", "email", "lucia.martinez@example.es")
    assert hit.rank == (EXACT_CONTACT if "@" in typed else OTHER)
    assert listed(store, typed) == {"Lucía Martínez"}


def test_notes_and_references_are_found(store: CaseStore, people: dict[str, int]) -> None:
    assert global_hits(store, "whatsapp") == [("Lucía Martínez", "notes")]
    assert global_hits(store, "interpreter germ") == [("Hans Weber", "notes")]
    reference = store.get(people["Martin Lucas"]).reference
    [hit] = search_cases(store, reference.lower())
    assert (hit.row.full_name, hit.rank, hit.matched) == ("Martin Lucas", EXACT_REFERENCE, "reference")


def test_ranked_exact_reference_then_name_start_then_other_fields(store: CaseStore, people: dict[str, int]) -> None:
    # "luc": Lucía's name begins with it, Martin Lucas has it as a later word, Olga's notes mention Lucía
    assert global_hits(store, "luc") == [
        ("Lucía Martínez", "name"),
        ("Martin Lucas", "name"),
        ("Olga Ivanova", "notes"),
    ]
    assert [hit.rank for hit in search_cases(store, "luc")][:1] == [NAME_START]
    # a case whose notes name another case's reference comes after that case
    target = store.get(people["Olga Ivanova"]).reference
    store.create(case("Zed Notes", notes=f"related to {target}"), WHO)
    assert global_hits(store, target) == [("Olga Ivanova", "reference"), ("Zed Notes", "notes")]


def test_typed_text_is_never_search_syntax_and_limits_hold(store: CaseStore, people: dict[str, int]) -> None:
    assert search_cases(store, 'NOT "luc*') == []
    assert search_cases(store, "  ,.;  ") == []
    assert len(search_cases(store, "luc", limit=1)) == 1
    for number in range(30):
        store.create(case(f"Lucas Number {number}"), WHO)
    assert len(search_cases(store, "lucas", limit=8)) == 8


def test_words_follow_the_phone_and_email_as_edited(store: CaseStore, people: dict[str, int]) -> None:
    case_id = people["Olga Ivanova"]
    document = store.get(case_id).document
    document["patient"]["phone"] = "+7 912 345 67 89"
    document["patient"]["email"] = "olga@example.ru"
    store.save_document(case_id, document, WHO)
    assert global_hits(store, "912 345") == [("Olga Ivanova", "phone")]
    assert global_hits(store, "olga@example.ru")[0] == ("Olga Ivanova", "email")
    document["patient"]["phone"] = None
    store.save_document(case_id, document, WHO)
    assert global_hits(store, "912 345") == []


def test_phone_words() -> None:
    assert phone_words("+34 600 123 456") == ["34600123456", "600123456", "123456"]
    assert phone_words("0049 30 1234567") == ["0049301234567", "49301234567", "301234567", "49"]
    assert phone_words("600123456") == []  # one group: already a word of its own
    assert contact_texts({"phone": " ", "email": 7}) == []


def test_a_released_connection_is_not_searched(tmp_path: Path) -> None:
    store = CaseStore.open(tmp_path / "cases.sqlite", INDICATIONS)
    assert is_connected(store)
    store.close()
    assert not is_connected(store)


# --- the migration step ---------------------------------------------------------------------------


def test_the_contact_words_step_recomputes_the_words_of_existing_cases(tmp_path: Path) -> None:
    path = tmp_path / "cases.sqlite"
    old = Database(path)
    migrations.apply(old, stop_before="m004_contact_words")  # a store as installs had it before the step
    documents = {
        "CP-2026-00001": case("Lucía Martínez", "+34 600 123 456", "lucia.martinez@example.es", "prefers WhatsApp"),
        "CP-2026-00002": case("Olga Ivanova", notes="no phone yet"),
        "CP-2026-00003": {"patient": "not an object"},  # stored as typed: the step leaves it
        "CP-2026-00004": {"patient": {"full_name": "Num Ber", "phone": 600123999, "email": "num@ber.example"}},
    }
    for reference, document in documents.items():
        document["reference"] = reference
        patient = document["patient"] if isinstance(document["patient"], dict) else {}
        name = patient.get("full_name") or ""
        notes = document.get("clinical", {}).get("notes", "")
        old.execute(
            "INSERT INTO cases (reference, full_name, name_key, notes, words, created_at, updated_at, document) "
            "VALUES (?, ?, ?, ?, ?, '2026-01-01', '2026-01-01', ?)",
            [
                reference,
                name,
                case_store.name_key(name),
                notes,
                search_words(name, reference, notes),
                json.dumps(document),
            ],
        )
    old.conn.commit()
    before = dict(old.execute("SELECT reference, words FROM cases").fetchall())
    old.conn.close()

    store = CaseStore.open(path, INDICATIONS)
    try:
        after = dict(store.db.execute("SELECT reference, words FROM cases").fetchall())
        assert after["CP-2026-00002"] == before["CP-2026-00002"]
        assert after["CP-2026-00003"] == before["CP-2026-00003"]
        # exactly the words a save computes today
        for reference in ("CP-2026-00001", "CP-2026-00004"):
            assert after[reference] == store._columns(store.by_reference(reference).document)["words"], reference
        assert after["CP-2026-00004"] == " num ber cp 2026 00004 example "  # a phone typed as a number: no text
        assert global_hits(store, "600123") == [("Lucía Martínez", "phone")]
        assert global_hits(store, "lucia.martinez@example.es") == [("Lucía Martínez", "email")]
        assert listed(store, "600 123") == {"Lucía Martínez"}
        assert store.db.execute("INSERT INTO cases_fts(cases_fts) VALUES ('integrity-check')") is not None
    finally:
        store.close()


# --- the list's search on many cases ----------------------------------------------------------------


@pytest.fixture
def numbered(tmp_path: Path) -> Iterator[CaseStore]:
    """300 cases; "needle" in the notes of the 60 oldest, so by last update they lie at the end."""
    store = CaseStore.open(tmp_path / "many.sqlite", INDICATIONS)
    for number in range(300):
        store.create(case(f"Person {number}", notes="needle" if number < 60 else "hay"), WHO)
    yield store
    store.close()


def plan(store: CaseStore, query: CaseQuery) -> list[str]:
    [(sql, params)] = store.page_statements(query, limit=10)
    return [row[-1] for row in store.db.execute(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()]


def test_a_search_with_many_matches_walks_the_sort_index_looking_each_up(
    numbered: CaseStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    query = CaseQuery(text="needle")
    narrow = [row.id for row in numbered.page(query, limit=100)[0]]
    assert len(narrow) == 60
    assert any("TEMP B-TREE" in step for step in plan(numbered, query))  # few matches: read them, sort them
    monkeypatch.setattr(case_store, "NARROW", 10)  # 60 matches are now "many"
    steps = plan(numbered, query)
    assert not any("TEMP B-TREE" in step for step in steps), steps  # no sort: the index gives the order
    assert any("cases_by_updated" in step for step in steps), steps
    statements = [sql for sql, _params in numbered.page_statements(query)]
    assert "+cases.id IN" in statements[0] and "instr(words" not in statements[0]
    assert [row.id for row in numbered.page(query, limit=100)[0]] == narrow
    rows, after = numbered.page(query, limit=25)
    more, _ = numbered.page(query, after, limit=100)
    assert [row.id for row in rows + more] == narrow


def test_counts_are_remembered_until_the_cases_change(numbered: CaseStore, tmp_path: Path) -> None:
    query = CaseQuery(text="needle")
    assert numbered.count(query) == 60
    executed: list[str] = []
    numbered.db.conn.set_trace_callback(executed.append)
    try:
        assert numbered.count(query) == 60
        assert numbered.due_count(date(2026, 1, 1)) == 0
        assert numbered.due_count(date(2026, 1, 1)) == 0
    finally:
        numbered.db.conn.set_trace_callback(None)
    assert not [sql for sql in executed if "cases_fts MATCH" in sql]  # the count was remembered
    assert len([sql for sql in executed if "count(*)" in sql]) == 1  # the due count once
    numbered.create(case("Another", notes="needle"), WHO)  # this connection writes
    assert numbered.count(query) == 61
    other = CaseStore.open(tmp_path / "many.sqlite", INDICATIONS)  # another connection writes
    try:
        other.create(case("Third", notes="needle"), WHO)
    finally:
        other.close()
    assert numbered.count(query) == 62
