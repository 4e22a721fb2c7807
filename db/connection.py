"""One way to open a database, for the app and the tests alike: pragmas, then pending migrations."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database, Migrations


def connect(path: Path | str, *, check_same_thread: bool = True, durable: bool = False) -> Database:
    """A sqlite-utils Database on ``path`` with WAL, foreign keys and a busy timeout.

    ``durable``: every commit reaches the disk before it returns (synchronous=FULL), so a power cut
    loses nothing committed; for patient data.
    """
    conn = sqlite3.connect(str(path), check_same_thread=check_same_thread, timeout=5.0)
    db = Database(conn)
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA busy_timeout = 5000")
    if str(path) != ":memory:":
        db.execute("PRAGMA journal_mode = WAL")
        db.execute(f"PRAGMA synchronous = {'FULL' if durable else 'NORMAL'}")
    return db


def open_db(
    path: Path | str, migrations: Migrations, *, check_same_thread: bool = True, durable: bool = False
) -> Database:
    """Open ``path`` and apply ``migrations`` (each atomically, with its record)."""
    db = connect(path, check_same_thread=check_same_thread, durable=durable)
    if migrations.pending(db):
        migrations.apply(db)
    return db


def schema_version(db: Database, migrations: Migrations) -> int:
    """How many migrations of the set are applied: the schema version."""
    return len(migrations.applied(db))
