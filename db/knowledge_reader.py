"""The installed knowledge pack read with the standard library's sqlite3 alone.

A command that only reads the pack (``careplan plan``, ``screen``, ``estimate``) needs the pack and the
rates and assumptions in force. Opening the store through sqlite-utils, its plugins and the migrations costs
more than reading it (about a tenth of a second of every command), so a store that is ready is read here;
one that is not (new, older than the bundled pack, not migrated, damaged) is left to ``KnowledgeStore``,
which builds, updates or rebuilds it. The rules for what is in force live here, for both.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

from planning.knowledge import parse
from planning.knowledge.models import CostDefault, Pack, Rate, Sourced, version_key
from planning.knowledge.pack import KINDS

INDEX_FORMAT = "2"
"""Bumped when the way records are indexed changes: the index is then rebuilt from the stored pack."""
MIGRATION_SET = "careplan-knowledge"
MIGRATIONS = ("m001_knowledge_store", "m002_coordinator_rates", "m003_coordinator_costs")
"""The names of db.knowledge_store's migrations (a test keeps them equal): a store lacking one is not ready."""
COORDINATOR_SOURCE = "coordinator"
"""The source id of a rate the coordinator entered (shown as such, with its date)."""
WAIT_SECONDS = 5.0
"""How long a read waits for another connection's lock (db.connection's busy timeout)."""

OwnCosts = dict[tuple[str, str], tuple[Decimal, Decimal, str]]
"""The assumptions the coordinator changed: (country, item) -> (low, high, the day entered)."""


@dataclass(frozen=True)
class Knowledge:
    """What a plan, a screening or an estimate is made from: the installed pack and the rates and
    assumptions in force (the pack's, with the coordinator's in their place where entered)."""

    pack: Pack
    rates: tuple[Rate, ...]
    costs: tuple[CostDefault, ...]


def own_rates(connection: sqlite3.Connection) -> list[tuple[Rate, str]]:
    """The rates the coordinator entered, with their notes."""
    rows = connection.execute("SELECT base, quote, rate, as_of, note FROM coordinator_rates ORDER BY base, quote")
    return [
        (Rate(base, quote, Decimal(rate), Sourced(COORDINATOR_SOURCE, as_of)), note)
        for base, quote, rate, as_of, note in rows.fetchall()
    ]


def rates_in_force(pack: Pack, own: Iterable[Rate]) -> list[Rate]:
    """The pack's rates, then the coordinator's (which replace a pack rate of the same pair, in either direction)."""
    own = list(own)
    pairs = {frozenset((r.base, r.quote)) for r in own}
    return [r for r in pack.rates if frozenset((r.base, r.quote)) not in pairs] + own


def own_costs(connection: sqlite3.Connection) -> OwnCosts:
    """The assumptions the coordinator changed."""
    rows = connection.execute("SELECT country, item, low, high, entered_at FROM coordinator_costs")
    return {(country, item): (Decimal(low), Decimal(high), entered[:10]) for country, item, low, high, entered in rows}


def costs_in_force(pack: Pack, own: OwnCosts) -> list[CostDefault]:
    """The pack's assumptions, with the coordinator's low/high where they changed one."""
    result = []
    for cost in pack.cost_defaults:
        if (cost.country, cost.item) in own:
            low, high, day = own[(cost.country, cost.item)]
            cost = replace(cost, low=low, high=high, estimate=True, sourced=Sourced(COORDINATOR_SOURCE, day))
        result.append(cost)
    return result


def read_ready(path: Path, bundled_version: str) -> Knowledge | None:
    """The knowledge in the store at ``path`` when it is ready: sound (SQLite's quick check), migrated, indexed
    the current way and holding a pack with every kind that is not older than the bundled one (of version
    ``bundled_version``). None otherwise, or when it cannot be read: then ``KnowledgeStore`` (through
    services.stores.prepare_knowledge) makes it ready, or says why it cannot. Never writes the file."""
    if not path.is_file() or path.stat().st_size == 0:
        return None
    try:
        connection = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True, timeout=WAIT_SECONDS)
    except sqlite3.Error:
        return None
    try:
        connection.execute("BEGIN")  # one snapshot: a pack installed meanwhile is read whole or not at all
        if connection.execute("PRAGMA quick_check").fetchall() != [("ok",)]:
            return None
        applied = {
            name
            for (name,) in connection.execute(
                "SELECT name FROM _sqlite_migrations WHERE migration_set = ?", [MIGRATION_SET]
            )
        }
        if not applied.issuperset(MIGRATIONS):
            return None
        meta = dict(connection.execute("SELECT key, value FROM pack_meta").fetchall())
        if "version" not in meta or meta.get("index_format") != INDEX_FORMAT:
            return None
        installed, bundled = version_key(meta["version"]), version_key(bundled_version)
        rows = connection.execute("SELECT kind, content FROM pack_documents")
        documents = {kind: json.loads(content) for kind, content in rows}
        if not documents or bundled > installed or (set(KINDS) - set(documents) and bundled >= installed):
            return None
        pack = parse.pack(documents)
        rates = rates_in_force(pack, (rate for rate, _note in own_rates(connection)))
        costs = costs_in_force(pack, own_costs(connection))
    except (sqlite3.Error, ValueError):  # damage (JSON that is not, a number that is not) or a lock
        return None
    finally:
        connection.close()
    return Knowledge(pack, tuple(rates), tuple(costs))
