"""The knowledge store read with sqlite3 alone: what KnowledgeStore gives for a store that is ready, and
nothing (so that KnowledgeStore makes it ready first) for one that is not."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from db.knowledge_reader import MIGRATIONS, read_ready
from db.knowledge_store import KnowledgeStore, migrations
from planning.knowledge.pack import bundled_version


@pytest.fixture
def path(tmp_path: Path) -> Path:
    """A ready store with a rate and an assumption of the coordinator's own."""
    path = tmp_path / "knowledge.sqlite"
    store = KnowledgeStore.open(path)
    try:
        store.ensure_current()
        store.set_rate("USD", "EUR", "0.91", "2026-01-05", "bank quote")
        store.set_cost("US", "meals_per_day", "10", "20")
    finally:
        store.close()
    return path


def current() -> str:
    version = bundled_version()
    assert version is not None
    return version


def change(path: Path, statement: str) -> None:
    connection = sqlite3.connect(path)
    with connection:
        connection.execute(statement)
    connection.close()


def test_a_ready_store_reads_as_the_knowledge_store_reads_it(path: Path) -> None:
    read = read_ready(path, current())
    store = KnowledgeStore.open(path)
    try:
        assert read is not None
        assert read.pack == store.pack()
        assert list(read.rates) == store.rates()
        assert list(read.costs) == store.cost_defaults()
    finally:
        store.close()
    assert any(rate.sourced.source == "coordinator" for rate in read.rates)
    assert any(cost.sourced.source == "coordinator" for cost in read.costs)


def test_reading_never_writes_the_file(path: Path) -> None:
    before = path.read_bytes()
    assert read_ready(path, current()) is not None
    assert path.read_bytes() == before


def test_the_reader_knows_every_migration() -> None:
    blank = sqlite3.connect(":memory:")
    assert [m.name for m in migrations.pending(Database(blank))] == list(MIGRATIONS)


@pytest.mark.parametrize(
    "damage",
    [
        "DELETE FROM _sqlite_migrations WHERE name = 'm003_coordinator_costs'",
        "UPDATE pack_meta SET value = '0' WHERE key = 'index_format'",
        "DELETE FROM pack_meta WHERE key = 'version'",
        "DELETE FROM pack_documents WHERE kind = 'faqs'",
        "UPDATE pack_documents SET content = '{not json' WHERE kind = 'faqs'",
        "DROP TABLE coordinator_rates",
    ],
)
def test_a_store_that_is_not_ready_is_left_to_the_knowledge_store(path: Path, damage: str) -> None:
    change(path, damage)
    assert read_ready(path, current()) is None


def test_an_older_pack_than_the_bundled_one_is_not_ready(path: Path) -> None:
    assert read_ready(path, "2999.1.1") is None


def test_no_store_garbage_or_an_empty_file_is_not_ready(tmp_path: Path) -> None:
    missing = tmp_path / "knowledge.sqlite"
    assert read_ready(missing, current()) is None
    missing.write_bytes(b"")
    assert read_ready(missing, current()) is None
    missing.write_bytes(b"not a database at all, " * 200)
    assert read_ready(missing, current()) is None
