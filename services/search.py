"""Looking things up in the knowledge pack, for both faces: one search, and one refusal of a query too long
to be a search (QueryTooLong: each face words it, the command line in English, the GUI through
``localized()``)."""

from __future__ import annotations

from db.knowledge_store import MAX_QUERY_CHARS, MAX_QUERY_WORDS, KnowledgeStore, QueryTooLong, SearchHit

__all__ = ["MAX_QUERY_CHARS", "MAX_QUERY_WORDS", "QueryTooLong", "SearchHit", "search"]


def search(store: KnowledgeStore, query: str, locale: str = "en", limit: int = 20) -> list[SearchHit]:
    """Records matching every word of ``query``, best first, in ``locale`` or English; QueryTooLong when the
    query has more than MAX_QUERY_CHARS characters or MAX_QUERY_WORDS distinct words."""
    return store.search(query, locale=locale, limit=limit)
