"""The search finds the pack's journey, glossary, safety, centres and visa texts, in English and in the other
languages, each hit opening a page that exists."""

from __future__ import annotations

import pytest

from db.knowledge_store import KnowledgeStore


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    store = KnowledgeStore.open(tmp_path_factory.mktemp("search-journey") / "knowledge.sqlite")
    store.ensure_current()
    yield store
    store.close()


def refs(store: KnowledgeStore, query: str, locale: str = "en") -> list[tuple[str, str]]:
    return [(h.kind, h.ref) for h in store.search(query, locale)]


def test_journey_glossary_safety_centres_and_visas_are_found(store: KnowledgeStore) -> None:
    pack = store.pack()
    assert ("journey", "caregiver") in refs(store, "caregiver")
    assert ("glossary", "mrd") in refs(store, "MRD")
    assert ("therapy", "ciltacabtagene") in refs(store, "HLH")  # a boxed warning's words
    assert ("therapy", "ciltacabtagene") in refs(store, "parkinsonism")
    heidelberg = next(c for c in pack.centres if "Heidelberg" in c.name)
    assert ("destination", heidelberg.country) in refs(store, "Heidelberg")
    assert ("destination", "GB") in refs(store, "ETA")  # a visa rule's words
    for hit in store.search("caregiver", "en"):
        assert hit.title and hit.title != hit.ref  # shown by its name, not its id


def test_the_journey_is_found_in_other_languages(store: KnowledgeStore) -> None:
    pack = store.pack()
    topic = pack.journey_topic("after_return")
    assert topic is not None
    for locale in ("de", "zh_CN", "ar"):
        title = topic.title[locale]
        hits = store.search(title, locale)
        assert ("journey", topic.id) in [(h.kind, h.ref) for h in hits], (locale, title)
        assert next(h for h in hits if h.ref == topic.id).title == title
