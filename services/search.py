"""Looking things up, for both faces: one search of the knowledge pack and of the cases, and one refusal of
a query too long to be a search (QueryTooLong: each face words it, the command line in English, the GUI
through ``localized()``).

``search_everything`` is the global search (the GUI's Ctrl+K box and ``careplan search``): therapies,
indications, questions and destinations from the pack, and cases by name, reference, phone number, e-mail
address or notes. Cases found by their reference, their exact phone number or e-mail address, or their name
come first, then the pack's records (best first), then the cases found by another field.
"""

from __future__ import annotations

from db.case_search import (
    EXACT_CONTACT,
    EXACT_REFERENCE,
    MATCHED_FIELDS,
    NAME_START,
    NAME_WORDS,
    OTHER,
    CaseHit,
    is_connected,
    search_cases,
)
from db.case_store import CaseStore
from db.knowledge_store import (
    MAX_QUERY_CHARS,
    MAX_QUERY_WORDS,
    KnowledgeStore,
    QueryTooLong,
    SearchHit,
    query_words,
)

__all__ = [
    "EXACT_CONTACT",
    "EXACT_REFERENCE",
    "MATCHED_FIELDS",
    "MAX_QUERY_CHARS",
    "MAX_QUERY_WORDS",
    "NAME_START",
    "NAME_WORDS",
    "OTHER",
    "CaseHit",
    "Hit",
    "QueryTooLong",
    "SearchHit",
    "check_query",
    "search",
    "search_everything",
]

Hit = SearchHit | CaseHit
"""One result of the global search: a record of the pack, or a case."""

CASES = 8
"""The most cases the global search lists (the case list finds them all)."""


def check_query(query: str) -> None:
    """QueryTooLong when ``query`` is beyond MAX_QUERY_CHARS characters or MAX_QUERY_WORDS distinct words."""
    query_words(query)


def search(store: KnowledgeStore, query: str, locale: str = "en", limit: int = 20) -> list[SearchHit]:
    """Records matching every word of ``query``, best first, in ``locale`` or English; QueryTooLong when the
    query has more than MAX_QUERY_CHARS characters or MAX_QUERY_WORDS distinct words."""
    return store.search(query, locale=locale, limit=limit)


def search_everything(
    knowledge: KnowledgeStore,
    cases: CaseStore | None,
    query: str,
    locale: str = "en",
    limit: int = 20,
    case_limit: int = CASES,
) -> list[Hit]:
    """The pack's records and the cases matching ``query``, at most ``limit`` in all: up to ``case_limit``
    cases, the pack's records in the rest, ranked as the module says. ``cases`` is None where there is no
    case store (or it is locked); a store whose connection is released for re-encryption is left out for
    that moment. QueryTooLong as ``search``, before anything is searched."""
    check_query(query)  # a pasted page is refused before either store is asked
    records = search(knowledge, query, locale, limit)
    found = search_cases(cases, query, min(case_limit, limit)) if cases is not None and is_connected(cases) else []
    first = [hit for hit in found if hit.rank <= NAME_WORDS]
    later = [hit for hit in found if hit.rank > NAME_WORDS]
    return [*first, *records[: max(limit - len(found), 0)], *later]
