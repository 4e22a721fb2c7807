"""Migrations from an empty database, and the schema they produce."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from db.connection import open_db, schema_version
from db.knowledge_store import migrations


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
