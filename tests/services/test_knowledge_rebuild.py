"""A damaged knowledge store is rebuilt from the bundled pack: it holds no patient data, and what the
coordinator entered beside the pack (rates, changed assumptions) is kept where it can still be read."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from services.stores import KnowledgeRebuilt, knowledge_db_path, open_knowledge, prepare_knowledge
from tests.conftest import bump_version

PAGE = 4096


def with_own_figures(folder: Path) -> Path:
    """A sound knowledge store with one rate and one changed assumption of the coordinator's."""
    folder.mkdir(parents=True, exist_ok=True)
    store = open_knowledge(folder)
    try:
        store.set_rate("USD", "EUR", "0.91", "2026-01-05", "bank quote")
        store.set_cost("US", "meals_per_day", "10", "20")
    finally:
        store.close()
    return knowledge_db_path(folder)


def page_of(path: Path, table: str) -> int:
    """The last page number of ``table`` in the file (SQLite's dbstat)."""
    connection = sqlite3.connect(path)
    try:
        return connection.execute("SELECT max(pageno) FROM dbstat WHERE name = ?", [table]).fetchone()[0]
    except sqlite3.OperationalError:
        pytest.skip("this SQLite has no dbstat table")
    finally:
        connection.close()


def garbage_page(path: Path, page: int) -> None:
    with open(path, "r+b") as file:
        file.seek((page - 1) * PAGE)
        file.write(os.urandom(PAGE))


def own_figures(folder: Path) -> tuple[list, list]:
    store = open_knowledge(folder)
    try:
        rates = [(rate.base, rate.quote, str(rate.rate), note) for rate, note in store.coordinator_rates()]
        costs = [
            (c.country, c.item, str(c.low), str(c.high))
            for c in store.cost_defaults()
            if c.sourced.source == "coordinator"
        ]
        return rates, costs
    finally:
        store.close()


def aside(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".damaged-" in p.name)


def test_a_sound_store_is_left_as_it_is(data_dir: Path) -> None:
    path = with_own_figures(data_dir)
    before = path.read_bytes()
    assert prepare_knowledge(data_dir) is None
    assert path.read_bytes() == before
    assert aside(data_dir) == []


def test_garbage_bytes_rebuild_the_store_and_say_the_own_figures_are_lost(data_dir: Path) -> None:
    path = with_own_figures(data_dir)
    path.write_bytes(os.urandom(path.stat().st_size))
    rebuilt = prepare_knowledge(data_dir)
    assert isinstance(rebuilt, KnowledgeRebuilt)
    assert rebuilt.lost and rebuilt.rates == rebuilt.costs == 0
    assert rebuilt.damaged.name.startswith("knowledge.sqlite.damaged-") and rebuilt.damaged.exists()
    assert aside(data_dir) == [rebuilt.damaged.name]
    message = rebuilt.message()
    assert "rebuilt from the bundled knowledge pack" in message and rebuilt.damaged.name in message
    assert "could not all be read" in message
    store = open_knowledge(data_dir)
    try:
        assert store.info() is not None and store.origin() == "bundled"
        assert store.search("kymriah")
    finally:
        store.close()
    assert own_figures(data_dir) == ([], [])


def test_a_truncated_store_is_rebuilt(data_dir: Path) -> None:
    path = with_own_figures(data_dir)
    os.truncate(path, path.stat().st_size // 3)
    rebuilt = prepare_knowledge(data_dir)
    assert isinstance(rebuilt, KnowledgeRebuilt)
    assert prepare_knowledge(data_dir) is None  # sound again
    assert len(open_knowledge(data_dir).pack().therapies) == 12


def test_a_garbage_page_in_the_index_keeps_the_coordinators_figures(data_dir: Path) -> None:
    path = with_own_figures(data_dir)
    before = own_figures(data_dir)
    assert before == ([("USD", "EUR", "0.91", "bank quote")], [("US", "meals_per_day", "10", "20")])
    garbage_page(path, page_of(path, "search_grams_data"))
    rebuilt = prepare_knowledge(data_dir)
    assert isinstance(rebuilt, KnowledgeRebuilt)
    assert (rebuilt.rates, rebuilt.costs, rebuilt.lost) == (1, 1, False)
    assert "were kept" in rebuilt.message()
    assert own_figures(data_dir) == before


def test_a_garbage_page_of_the_rates_loses_only_them(data_dir: Path) -> None:
    path = with_own_figures(data_dir)
    garbage_page(path, page_of(path, "coordinator_rates"))
    rebuilt = prepare_knowledge(data_dir)
    assert isinstance(rebuilt, KnowledgeRebuilt)
    assert rebuilt.lost and rebuilt.rates == 0 and rebuilt.costs == 1
    assert own_figures(data_dir) == ([], [("US", "meals_per_day", "10", "20")])


def test_an_imported_pack_is_named_to_be_imported_again(data_dir: Path, pack_copy: Path) -> None:
    bump_version(pack_copy, "2099.1.0")
    data_dir.mkdir(parents=True)
    store = open_knowledge(data_dir)
    try:
        store.import_pack(pack_copy)
    finally:
        store.close()
    path = knowledge_db_path(data_dir)
    garbage_page(path, page_of(path, "search_words_data"))
    rebuilt = prepare_knowledge(data_dir)
    assert isinstance(rebuilt, KnowledgeRebuilt) and rebuilt.imported == pack_copy.name
    assert f"Import the knowledge pack {pack_copy.name} again" in rebuilt.message()


def test_open_knowledge_tells_its_notice(data_dir: Path, capsys) -> None:
    path = with_own_figures(data_dir)
    path.write_bytes(b"not a database at all" * 100)
    told: list[str] = []
    store = open_knowledge(data_dir, notice=told.append)
    store.close()
    assert len(told) == 1 and "rebuilt" in told[0]
    assert capsys.readouterr().err == ""
    path.write_bytes(b"not a database at all" * 100)
    open_knowledge(data_dir).close()  # by default: on stderr, the command line's way
    assert capsys.readouterr().err.startswith("warning: The knowledge store was damaged")


def test_trouble_that_is_no_damage_is_raised_and_nothing_moves(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    knowledge_db_path(data_dir).mkdir()  # a folder where the file belongs: unreadable, not damaged
    with pytest.raises(Exception) as raised:
        prepare_knowledge(data_dir)
    assert not isinstance(raised.value, AssertionError)
    assert aside(data_dir) == []
