"""One way to open a database, for the app and the tests alike: pragmas, then pending migrations.

Several processes may use one store at once (the app, commands, a second window): every write
transaction starts with ``BEGIN IMMEDIATE``, so it takes the write lock first and waits for it (the
busy timeout) instead of failing when a read inside it would have to become a write after another
process wrote ("database is locked"), and pending migrations are applied by one connection only.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from sqlite_utils import Database, Migrations

from db.crypto import Key, WrongPassphrase
from db.faults import is_not_a_database
from db.paths import PRIVATE_FILE

BUSY_TIMEOUT_MS = 5000
"""How long a connection waits for another one's lock before SQLite reports it locked."""


class StoreDatabase(Database):
    """A sqlite-utils Database whose outermost ``atomic()`` is ``BEGIN IMMEDIATE``: the transaction holds
    the write lock from its first statement (waiting for it up to the busy timeout), so reading and
    then writing inside it never fails because another connection wrote meanwhile. Nested blocks are
    savepoints, as in sqlite-utils."""

    @contextmanager
    def atomic(self) -> Iterator[Database]:
        if self.conn.in_transaction:
            with super().atomic():
                yield self
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            self.rollback()
            raise
        else:
            try:
                self.conn.execute("COMMIT")
            except BaseException:
                self.rollback()
                raise


def create_private(path: Path | str) -> None:
    """Create ``path`` empty and readable by the user only, if it does not exist yet.

    SQLite gives its -wal and -shm files the mode of the database file, so they are private too.
    """
    if str(path) == ":memory:":
        return
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, PRIVATE_FILE)
    os.close(fd)


def connect(
    path: Path | str,
    *,
    check_same_thread: bool = True,
    durable: bool = False,
    key: Key | None = None,
    read_only: bool = False,
    journal: str = "WAL",
) -> Database:
    """A sqlite-utils Database on ``path`` with WAL, foreign keys and a busy timeout.

    ``durable``: every commit reaches the disk before it returns (synchronous=FULL), so a power cut
    loses nothing committed; for patient data. ``key``: the store is encrypted with SQLCipher; a key
    that does not open it raises WrongPassphrase and leaves the file as it was. ``read_only``: for
    checks and copies; the file is never written (nor created, nor switched to WAL). ``journal``: the
    journal mode of a writable connection (a copy being written uses DELETE: no -wal beside it).
    """
    target, uri = str(path), False
    if read_only:
        target, uri = f"file:{quote(os.fspath(path))}?mode=ro", True
    else:
        create_private(path)
    if key is None:
        conn = sqlite3.connect(target, check_same_thread=check_same_thread, timeout=BUSY_TIMEOUT_MS / 1000, uri=uri)
    else:
        if not read_only and str(path) != ":memory:" and os.path.getsize(path) > 0:
            _check_key(path, key)
        conn = _cipher_connection(target, key, check_same_thread, uri)
    db = StoreDatabase(conn)
    db.execute("PRAGMA foreign_keys = ON")
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    if str(path) != ":memory:" and not read_only:
        db.execute(f"PRAGMA journal_mode = {journal}")
        db.execute(f"PRAGMA synchronous = {'FULL' if durable else 'NORMAL'}")
    return db


def _check_key(path: Path | str, key: Key) -> None:
    """Raise WrongPassphrase unless ``key`` decrypts the first page of the file at ``path``.

    Read through a read-only connection: it sees the -wal (page 1 may be there only, e.g. just after a
    re-key) but never checkpoints or removes it, as closing a normal connection with a wrong key would
    do with what a killed process left in the -wal. (It may update SQLite's -shm index, not data.)
    """
    import sqlcipher3

    conn = sqlcipher3.connect(f"file:{quote(os.fspath(path))}?mode=ro", uri=True)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = {key.pragma()}")
        conn.execute("PRAGMA user_version").fetchone()  # reads page 1 only
    except sqlcipher3.DatabaseError as exc:
        if is_not_a_database(exc):
            raise WrongPassphrase("the passphrase does not open the case store") from None
    finally:
        conn.close()


def _cipher_connection(target: str, key: Key, check_same_thread: bool, uri: bool = False):
    import sqlcipher3

    conn = sqlcipher3.connect(target, check_same_thread=check_same_thread, timeout=BUSY_TIMEOUT_MS / 1000, uri=uri)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")  # a wrong key is our message, not SQLCipher's log line
        conn.execute(f"PRAGMA key = {key.pragma()}")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.DatabaseError as exc:
        conn.close()
        if is_not_a_database(exc):
            raise WrongPassphrase("the passphrase does not open the case store") from None
        raise
    return conn


def open_db(
    path: Path | str,
    migrations: Migrations,
    *,
    check_same_thread: bool = True,
    durable: bool = False,
    key: Key | None = None,
) -> Database:
    """Open ``path`` and apply ``migrations`` (each atomically, with its record).

    Pending migrations are applied inside one ``BEGIN IMMEDIATE`` transaction and looked up again in
    it: of two processes opening a new store at once, one applies them and the other, once it has the
    lock, finds none pending (without it both would create the same tables).
    """
    db = connect(path, check_same_thread=check_same_thread, durable=durable, key=key)
    if migrations.pending(db):
        with db.atomic():
            if migrations.pending(db):
                migrations.apply(db)
    return db


def schema_version(db: Database, migrations: Migrations) -> int:
    """How many migrations of the set are applied: the schema version."""
    return len(migrations.applied(db))


def encrypted_copy(source: Path | str, target: Path | str, key: Key) -> None:
    """Write an encrypted copy of the plain database ``source`` to the new file ``target``
    (SQLCipher's ``sqlcipher_export``: schema, data and indexes, the key's salt in the header)."""
    import sqlcipher3

    create_private(target)
    exporter = sqlcipher3.connect(str(source))
    try:
        exporter.execute(f"ATTACH DATABASE ? AS encrypted KEY {key.pragma()}", [str(target)])
        exporter.execute("SELECT sqlcipher_export('encrypted')")
        exporter.execute("DETACH DATABASE encrypted")
    finally:
        exporter.close()
