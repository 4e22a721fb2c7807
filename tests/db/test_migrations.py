"""Migrations from an empty database, and the schema they produce: frozen, whatever the live constants say."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

import planning.case
from db import audit_log, case_store
from db.case_store import migrations as cases
from db.connection import open_db, schema_version
from db.knowledge_store import migrations
from planning.case import CASE_STATUSES


def test_empty_database_migrates_to_the_latest_schema(tmp_path: Path) -> None:
    path = tmp_path / "knowledge.sqlite"
    db = open_db(path, migrations)
    assert schema_version(db, migrations) == len(migrations._migrations) >= 1
    assert not migrations.pending(db)
    tables = set(db.table_names())
    assert {"pack_meta", "pack_documents", "search_words", "search_grams", "_sqlite_migrations"} <= tables
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    db.conn.close()


def test_reopening_applies_nothing_twice(tmp_path: Path) -> None:
    path = tmp_path / "knowledge.sqlite"
    open_db(path, migrations).conn.close()
    db = open_db(path, migrations)
    rows = db.execute("SELECT name FROM _sqlite_migrations").fetchall()
    assert len(rows) == len({r[0] for r in rows}) == len(migrations._migrations)
    db.conn.close()


def test_file_is_a_real_sqlite_database(tmp_path: Path) -> None:
    path = tmp_path / "knowledge.sqlite"
    open_db(path, migrations).conn.close()
    with sqlite3.connect(path) as plain:
        assert plain.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


# --- frozen schemas: what every install gets, whatever the code's constants say now ----------------

SCHEMA = Path(__file__).resolve().parent / "schema"
"""The schema each migration set creates, as shipped installs have it (one file per set). A change to
a migration that would alter it fails here: it must come as a new step, and the file grows with it."""


def schema_sql(db) -> str:
    """Every table, index and trigger the migrations wrote, in a stable order; SQLite's own FTS shadow
    tables and sqlite-utils' migrations table are left out (they follow their library's version)."""
    shadow = {row[1] for row in db.execute("PRAGMA table_list") if row[2] == "shadow"}
    rows = db.execute("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type, name")
    return "".join(
        f"{sql};\n\n" for _kind, name, sql in rows if name not in shadow and "_sqlite_migrations" not in name
    )


def migrated_schema(path: Path, migration_set) -> str:
    db = open_db(path, migration_set)
    try:
        return schema_sql(db)
    finally:
        db.conn.close()


def expected_schema(name: str) -> str:
    return (SCHEMA / f"{name}.sql").read_text("utf-8").rstrip("\n") + "\n\n"


@pytest.mark.parametrize(("name", "migration_set"), [("careplan-cases", cases), ("careplan-knowledge", migrations)])
def test_a_fresh_file_gets_exactly_the_frozen_schema(tmp_path: Path, name: str, migration_set) -> None:
    assert migration_set.name == name
    assert migrated_schema(tmp_path / "fresh.sqlite", migration_set) == expected_schema(name)


def test_the_case_schema_does_not_follow_the_live_constants(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A status, an audit action or a sort added (or removed) in the code does not change what the
    shipped migrations create: that needs a new step."""
    unpatched = migrated_schema(tmp_path / "before.sqlite", cases)
    changed_statuses = ("new", "waiting", "closed")
    monkeypatch.setattr(planning.case, "CASE_STATUSES", changed_statuses)
    monkeypatch.setattr(case_store, "CASE_STATUSES", changed_statuses)
    monkeypatch.setattr(audit_log, "ACTIONS", ("created", "archived"))
    monkeypatch.setattr(case_store, "SORTS", {"updated": "updated_at", "notes": "lower(notes)"})
    patched = migrated_schema(tmp_path / "after.sqlite", cases)
    assert patched == unpatched == expected_schema("careplan-cases")
    assert "waiting" not in patched and "archived" not in patched and "lower(notes)" not in patched


def test_every_live_status_and_action_is_allowed_by_the_frozen_schema(tmp_path: Path) -> None:
    """The other half: a status or action added to the code without a migration fails here."""
    db = open_db(tmp_path / "cases.sqlite", cases)
    try:
        with db.atomic():
            for number, status in enumerate(CASE_STATUSES):
                db.execute(
                    "INSERT INTO cases (reference, status, created_at, updated_at, document) "
                    "VALUES (?, ?, '', '', '{}')",
                    [f"CP-{number}", status],
                )
            for action in audit_log.ACTIONS:
                db.execute("INSERT INTO audit (at, who, action) VALUES ('', '', ?)", [action])
        with pytest.raises(sqlite3.IntegrityError):
            db.execute("INSERT INTO audit (at, who, action) VALUES ('', '', 'archived')")
    finally:
        db.conn.close()


def test_every_sort_has_its_index_in_the_frozen_schema() -> None:
    """A sort added to SORTS needs its index from a new migration step (the paging tests then check
    that page() seeks on it)."""
    schema = expected_schema("careplan-cases")
    for name, expression in case_store.SORTS.items():
        assert f"CREATE INDEX cases_by_{name} ON cases ({expression}, id);" in schema, name
