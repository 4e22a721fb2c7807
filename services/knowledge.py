"""The knowledge a plan, a screening or an estimate is made from, for both faces: the installed pack and the
rates and assumptions in force.

A store that is ready is read with sqlite3 alone (db.knowledge_reader); only one that must first be built,
updated or rebuilt is opened through services.stores, with sqlite-utils and the migrations (imported then:
they would cost every command a tenth of a second at start)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from db.knowledge_reader import Knowledge, read_ready
from planning.knowledge.pack import bundled_version
from services.paths import knowledge_db_path

__all__ = ["Knowledge", "read_knowledge"]


def read_knowledge(folder: Path | None = None, *, notice: Callable[[str], object] | None = None) -> Knowledge:
    """The knowledge of a data directory, the bundled pack installed first if it is newer; a damaged store is
    rebuilt first and ``notice`` told so (see services.stores.open_knowledge)."""
    version = bundled_version()
    ready = read_ready(knowledge_db_path(folder), version) if version is not None else None
    if ready is not None:
        return ready
    from services.stores import open_knowledge

    store = open_knowledge(folder, notice=notice)
    try:
        return Knowledge(store.pack(), tuple(store.rates()), tuple(store.cost_defaults()))
    finally:
        store.close()
