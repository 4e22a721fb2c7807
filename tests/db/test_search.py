"""Full-text search: prefixes, ranking, the UI locale with English fallback, Chinese by any part."""

from __future__ import annotations

import pytest

from db.knowledge_store import KnowledgeStore


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    store = KnowledgeStore.open(tmp_path_factory.mktemp("search") / "knowledge.sqlite")
    store.ensure_current()
    yield store
    store.close()


def refs(hits) -> list[tuple[str, str]]:
    return [(h.kind, h.ref) for h in hits]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("tisa", ("therapy", "tisagenlecleucel")),
        ("Kymr", ("therapy", "tisagenlecleucel")),
        ("yikaida", ("therapy", "axicabtagene")),
        ("carvykti", ("therapy", "ciltacabtagene")),
        ("satri", ("therapy", "satricabtagene")),
        ("lupus", ("indication", "sle")),
        ("myeloma", ("indication", "mm")),
        ("germany", ("destination", "DE")),
    ],
)
def test_prefix_finds_the_record_first(store: KnowledgeStore, query: str, expected) -> None:
    assert refs(store.search(query))[0] == expected


def test_every_word_must_match(store: KnowledgeStore) -> None:
    hits = store.search("large lymphoma")
    assert ("indication", "lbcl") in refs(hits)
    assert store.search("lymphoma zzzzqqq") == []


def test_quotes_and_operators_are_plain_text(store: KnowledgeStore) -> None:
    for query in ('"', "AND", "NOT OR", "a*", "(", "tisa) OR (", "NEAR(x y)", "-", "'; DROP TABLE pack_meta; --"):
        store.search(query)  # never raises
    assert store.info() is not None


def test_english_fallback_in_another_locale(store: KnowledgeStore) -> None:
    # therapies have English texts; a Russian user still finds them, shown once
    hits = store.search("tisagenlecleucel", locale="ru")
    assert refs(hits).count(("therapy", "tisagenlecleucel")) == 1


def test_results_prefer_the_ui_locale(store: KnowledgeStore) -> None:
    hits = store.search("lupus", locale="zh_CN")
    sle = next(h for h in hits if h.ref == "sle")
    assert sle.locale == "zh_CN"
    assert sle.title != "Systemic lupus erythematosus"


def test_chinese_found_by_any_part_of_a_word(store: KnowledgeStore) -> None:
    name = store.pack().indication("mm").name["zh_CN"]  # e.g. 多发性骨髓瘤
    assert len(name) >= 4
    for part in (name, name[1:4], name[-3:], name[1:3], name[-1]):
        assert ("indication", "mm") in refs(store.search(part, locale="zh_CN")), part


def test_empty_and_blank_queries(store: KnowledgeStore) -> None:
    assert store.search("") == []
    assert store.search("   ") == []
    assert store.search("!!!") == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("AML", "aml"),
        ("acute myeloid leukaemia", "aml"),
        ("T-cell lymphoma", "t_cell"),
        ("T-ALL", "t_cell"),
        ("Hodgkin lymphoma", "hodgkin"),
        ("glioblastoma", "glioblastoma"),
        ("brain tumour", "glioblastoma"),
        ("neuroblastoma", "neuroblastoma"),
        ("B-ALL", "b_all"),
        ("diffuse large B-cell lymphoma", "lbcl"),
    ],
)
def test_diseases_without_an_approved_car_t_are_found_as_themselves(
    store: KnowledgeStore, query: str, expected: str
) -> None:
    """A disease people ask about is found as its own "trials only" entry, not as a B-cell disease that
    shares a word with it."""
    first = store.search(query, "en")[0]
    assert (first.kind, first.ref) == ("indication", expected)
