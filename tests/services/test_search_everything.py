"""The global search both faces use: the pack's records and the cases, ranked together, on real stores."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from services.search import (
    MAX_QUERY_CHARS,
    CaseHit,
    QueryTooLong,
    SearchHit,
    search,
    search_everything,
)
from services.stores import CaseStore, KnowledgeStore, open_knowledge, release

WHO = "Desk One"


@pytest.fixture(scope="module")
def knowledge(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KnowledgeStore]:
    store = open_knowledge(tmp_path_factory.mktemp("data"))
    yield store
    store.close()


@pytest.fixture
def cases(tmp_path: Path, knowledge: KnowledgeStore) -> Iterator[CaseStore]:
    store = CaseStore.open(tmp_path / "cases.sqlite", {i.code for i in knowledge.pack().indications})
    for name, phone, notes in (
        ("Lymphoma Lopez", "+34 600 123 456", ""),  # a name that begins like a pack record
        ("Ana Ruiz", "+34 611 222 333", "asked about lymphoma trials in Germany"),
    ):
        store.create({"patient": {"full_name": name, "phone": phone}, "clinical": {"notes": notes}}, WHO)
    yield store
    store.close()


def kinds(hits: list) -> list[str]:
    return [hit.matched if isinstance(hit, CaseHit) else hit.kind for hit in hits]


def names(hits: list) -> list[str]:
    return [hit.row.full_name for hit in hits if isinstance(hit, CaseHit)]


def test_cases_found_by_name_come_first_those_found_by_notes_after_the_pack(
    knowledge: KnowledgeStore, cases: CaseStore
) -> None:
    hits = search_everything(knowledge, cases, "lymphoma")
    records = search(knowledge, "lymphoma")
    assert records  # the pack has lymphomas
    assert isinstance(hits[0], CaseHit) and hits[0].row.full_name == "Lymphoma Lopez"
    assert isinstance(hits[-1], CaseHit) and (hits[-1].row.full_name, hits[-1].matched) == ("Ana Ruiz", "notes")
    middle = hits[1:-1]
    assert all(isinstance(hit, SearchHit) for hit in middle)
    assert [(h.kind, h.ref) for h in middle] == [(h.kind, h.ref) for h in records][: len(middle)]


def test_a_phone_number_finds_its_case_and_nothing_of_the_pack(knowledge: KnowledgeStore, cases: CaseStore) -> None:
    hits = search_everything(knowledge, cases, "611 222")
    assert names(hits) == ["Ana Ruiz"] and len(hits) == 1
    assert hits[0].detail == "+34 611 222 333"


def test_the_limit_keeps_room_for_the_cases(knowledge: KnowledgeStore, cases: CaseStore) -> None:
    hits = search_everything(knowledge, cases, "lymphoma", limit=3)
    assert len(hits) == 3
    assert names(hits) == ["Lymphoma Lopez", "Ana Ruiz"]
    assert isinstance(hits[1], SearchHit)
    assert len(search_everything(knowledge, cases, "lymphoma", limit=20, case_limit=1)) <= 20
    assert names(search_everything(knowledge, cases, "lymphoma", case_limit=1)) == ["Lymphoma Lopez"]


def test_without_a_case_store_it_is_the_pack_search(knowledge: KnowledgeStore) -> None:
    assert search_everything(knowledge, None, "kymriah") == search(knowledge, "kymriah")


def test_a_store_released_for_re_encryption_is_left_out(knowledge: KnowledgeStore, cases: CaseStore) -> None:
    assert names(search_everything(knowledge, cases, "lopez")) == ["Lymphoma Lopez"]
    release(cases)
    assert names(search_everything(knowledge, cases, "lopez")) == []


def test_a_query_too_long_is_refused_before_either_store_is_asked(knowledge: KnowledgeStore, cases: CaseStore) -> None:
    executed: list[str] = []
    cases.db.conn.set_trace_callback(executed.append)
    with pytest.raises(QueryTooLong):
        search_everything(knowledge, cases, "x" * (MAX_QUERY_CHARS + 1))
    cases.db.conn.set_trace_callback(None)
    assert executed == []
