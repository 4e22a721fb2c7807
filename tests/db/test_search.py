"""Full-text search: prefixes, ranking, the UI locale with English fallback, Chinese by any part."""

from __future__ import annotations

import pytest

from db.knowledge_store import (
    MAX_QUERY_CHARS,
    MAX_QUERY_WORDS,
    KnowledgeStore,
    QueryTooLong,
    query_words,
    search_statement,
)


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


# --- a query too long to be a search -----------------------------------------------------------

REFUSAL = f"query too long (at most {MAX_QUERY_WORDS} words and {MAX_QUERY_CHARS} characters)"


@pytest.mark.parametrize(
    "query",
    [
        " ".join(["lymphoma"] * 3_000),
        " ".join(f"w{n}" for n in range(50_000)),
        " ".join(["淋"] * 1_200),  # 1,200 single Chinese characters: once an SQLite "expression tree too large"
        "淋" * 1_200,
        "x" * (MAX_QUERY_CHARS + 1),
        " ".join(f"w{n}" for n in range(MAX_QUERY_WORDS + 1)),
    ],
    ids=["3,000 words", "50,000 words", "1,200 Chinese words", "1,200 Chinese characters", "long word", "17 words"],
)
def test_a_query_beyond_the_caps_is_refused_with_a_typed_error(store: KnowledgeStore, query: str) -> None:
    with pytest.raises(QueryTooLong) as caught:
        store.search(query, locale="zh_CN" if "淋" in query else "en")
    assert str(caught.value) == REFUSAL
    assert caught.value.localized() == REFUSAL  # the GUI's words (English here)


def test_a_query_at_the_caps_is_searched(store: KnowledgeStore) -> None:
    chinese = " ".join("淋巴瘤骨髓多发性白血病肺癌乳腺胃肝"[:MAX_QUERY_WORDS])
    assert len(chinese.split()) == MAX_QUERY_WORDS
    store.search(chinese, locale="zh_CN")  # one LIKE per word: no SQLite error
    store.search(" ".join(["cell"] * 30 + ["lymphoma"] * 5))  # repeats count once: two words
    store.search("a" * MAX_QUERY_CHARS)


@pytest.mark.parametrize("count", [1, 2, 4, 8, MAX_QUERY_WORDS])
def test_the_statement_has_one_term_per_distinct_word(count: int) -> None:
    """The cost is linear in the words: each distinct word is one term (a MATCH phrase or one LIKE pair)."""
    chain = ["zh_CN", "zh", "en"]
    latin = [f"word{n}" for n in range(count)]
    sql, params = search_statement(latin, chain, 20)
    assert params[0].count('"*') == count and sql.count("?") == 1 + len(chain) + 1
    short_chinese = ["淋巴瘤骨髓多发性白血病肺癌乳腺胃肝"[n] for n in range(count)]
    sql, params = search_statement(short_chinese, chain, 20)
    assert sql.count("LIKE ?") == 2 * count and len(params) == len(chain) + 2 * count + 1
    assert query_words(" ".join(latin[:4] * 8)) == latin[:4]  # repeated words are one term each


def test_query_words_are_refused_before_the_query_is_split() -> None:
    with pytest.raises(QueryTooLong):
        query_words("a " * 1_000_000)  # refused by its length: never tokenised
