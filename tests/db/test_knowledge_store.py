"""The knowledge store: built from the pack, rebuilt on a new version, imports validated whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from db.knowledge_store import KnowledgeStore
from planning.knowledge.pack import PackError, bundled_pack_dir, load_pack
from tests.conftest import bump_version, edit_json, zip_pack


@pytest.fixture
def store(tmp_path: Path):
    store = KnowledgeStore.open(tmp_path / "knowledge.sqlite")
    store.ensure_current()
    yield store
    store.close()


def snapshot(store: KnowledgeStore) -> tuple:
    return (
        store.info(),
        store.origin(),
        store.db.execute("SELECT kind, content FROM pack_documents ORDER BY kind").fetchall(),
        store.db.execute("SELECT count(*) FROM search_words").fetchone()[0],
    )


def test_first_open_builds_from_the_bundled_pack(store: KnowledgeStore) -> None:
    bundled = load_pack()
    assert store.info() == bundled.info
    assert store.origin() == "bundled"
    assert store.pack().therapies == bundled.therapies
    assert store.db.execute("SELECT count(*) FROM search_words").fetchone()[0] > 40


def test_second_open_does_not_rebuild(store: KnowledgeStore) -> None:
    assert store.ensure_current() is False


def test_newer_bundled_pack_rebuilds(store: KnowledgeStore, pack_copy: Path) -> None:
    bump_version(pack_copy, "2099.1.1")
    edit_json(pack_copy / "faqs.json", lambda d: d[0]["question"].update(en="Zyxwvut brand new question?"))
    for schema in (bundled_pack_dir() / "schema").glob("*.json"):
        (pack_copy / "schema").mkdir(exist_ok=True)
        (pack_copy / "schema" / schema.name).write_text(schema.read_text("utf-8"), "utf-8")
    assert store.ensure_current(pack_copy) is True
    assert store.info().version == "2099.1.1"
    assert [h.ref for h in store.search("zyxwvut")] == [store.pack().faqs[0].id]


def test_broken_bundled_pack_changes_nothing(store: KnowledgeStore, pack_copy: Path) -> None:
    before = snapshot(store)
    bump_version(pack_copy, "2099.1.1")
    edit_json(pack_copy / "therapies.json", lambda d: d[0].pop("approvals"))
    with pytest.raises(PackError):
        store.ensure_current(pack_copy)
    assert snapshot(store) == before


def test_import_newer_zip_is_applied(store: KnowledgeStore, pack_copy: Path, tmp_path: Path) -> None:
    bump_version(pack_copy, "2099.2.0")
    archive = zip_pack(pack_copy, tmp_path / "usb-pack.zip")
    info = store.import_pack(archive)
    assert info.version == "2099.2.0"
    assert store.info().version == "2099.2.0"
    assert store.origin() == "usb-pack.zip"
    # a restart keeps the imported pack: the bundled one is older
    assert store.ensure_current() is False


def test_import_of_older_or_same_version_is_refused(store: KnowledgeStore, pack_copy: Path) -> None:
    before = snapshot(store)
    bump_version(pack_copy, "2001.1.1")
    with pytest.raises(PackError) as caught:
        store.import_pack(pack_copy)
    assert "is not newer than the installed pack" in str(caught.value)
    assert snapshot(store) == before


def test_import_of_broken_pack_changes_nothing(store: KnowledgeStore, pack_copy: Path) -> None:
    before = snapshot(store)
    bump_version(pack_copy, "2099.3.0")
    edit_json(pack_copy / "destinations.json", lambda d: d[1]["overview"].update(insurance="maybe"))
    with pytest.raises(PackError) as caught:
        store.import_pack(pack_copy)
    assert "destinations.json: record #2 'US': overview.insurance" in str(caught.value)
    assert snapshot(store) == before


def test_failure_inside_the_transaction_rolls_back(store: KnowledgeStore, pack_copy: Path, monkeypatch) -> None:
    """Even a fault half-way through writing leaves the previous pack whole."""
    before = snapshot(store)
    bump_version(pack_copy, "2099.4.0")
    import db.knowledge_store as module

    def explode(_pack):
        yield ("therapy", "x", "en", "", "t", "b")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(module, "_documents_for_index", explode)
    with pytest.raises(OSError):
        store.import_pack(pack_copy)
    store._pack = None
    assert snapshot(store) == before


def test_a_coordinators_assumption_stays_within_what_a_pack_may_hold(store: KnowledgeStore) -> None:
    """The estimate relies on the same bounds for an edited assumption as for the pack's own."""
    from planning.money import RateError

    for item, low, high, field, words in (
        ("hospital_non_drug", "10", "1" + "0" * 400, "high", "must be at most 1,000,000,000"),
        ("evaluation_days", "7", "999999", "high", "must be at most 3,650"),
        ("contingency_percent", "150", "200", "low", "must be at most 100"),
    ):
        with pytest.raises(RateError) as caught:
            store.set_cost("US", item, low, high)
        assert (field, words) in [(p.field, p.message) for p in caught.value.problems]
    assert store.cost_defaults() == list(store.pack().cost_defaults)  # nothing stored
    store.set_cost("US", "evaluation_days", "7", "3650")
    assert store.cost_defaults() != list(store.pack().cost_defaults)


def test_the_currencies_a_case_may_name_follow_the_rates(store: KnowledgeStore) -> None:
    assert len(store.currencies()) == 13 and "JPY" not in store.currencies()
    store.set_rate("USD", "JPY", "155.2", "2026-11-20")
    assert "JPY" in store.currencies()
