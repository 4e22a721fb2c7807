"""Database errors told apart by SQLite's result code and the driver's exception type, on real files:
damaged (garbage, truncated, a garbage page in the middle), locked, read-only, full; plain and SQLCipher."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlcipher3

from db import backups, faults
from db.backups import BadBackup
from db.case_store import CaseStore
from db.connection import connect
from db.crypto import Key, WrongPassphrase, new_key
from db.vault import CaseVault, StoreDamaged
from planning.case import empty_document

CODES = {"lbcl"}
KEY = new_key("correct horse battery")
INSERT = "INSERT INTO audit (at, who, action) VALUES ('2026-11-20', 'Desk One', 'viewed')"


@pytest.fixture(params=["sqlite3", "sqlcipher3"])
def key(request: pytest.FixtureRequest) -> Key | None:
    """No key: a plain store read with sqlite3; a key: an encrypted store read with sqlcipher3."""
    return None if request.param == "sqlite3" else KEY


def store_file(path: Path, key: Key | None, cases: int = 200) -> Path:
    """A real case store with enough cases for many pages, checkpointed into the main file."""
    store = CaseStore.open(path, CODES, key=key)
    for number in range(cases):
        document = empty_document()
        document["patient"]["full_name"] = f"Fault Tester {number}"
        document["clinical"]["notes"] = "n" * 400
        store.create(document, "Desk One")
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return path


def raised(action: Callable[[], object]) -> BaseException:
    with pytest.raises(Exception) as caught:
        action()
    return caught.value


def read_everything(path: Path, key: Key | None) -> None:
    db = connect(path, key=key, read_only=True)
    try:
        db.execute("SELECT count(*), sum(length(document)) FROM cases").fetchone()
        db.execute("SELECT count(*) FROM case_history").fetchone()
    finally:
        db.conn.close()


def driver(key: Key | None):
    return sqlite3 if key is None else sqlcipher3


def assert_only(exc: BaseException, kind: Callable[[BaseException], bool]) -> None:
    """``exc`` is a driver error of exactly one kind."""
    kinds = [faults.is_damage, faults.is_locked, faults.is_disk_full, faults.is_read_only]
    assert faults.is_database_error(exc), repr(exc)
    assert [k.__name__ for k in kinds if k(exc)] == [kind.__name__], repr(exc)


# --- damage ------------------------------------------------------------------------------------


def test_a_garbage_file_is_damage(tmp_path: Path, key: Key | None) -> None:
    path = tmp_path / "garbage.sqlite"
    path.write_bytes(os.urandom(3 * 4096))
    conn = driver(key).connect(str(path))
    if key is not None:
        conn.execute(f"PRAGMA key = {key.pragma()}")
    exc = raised(lambda: conn.execute("SELECT count(*) FROM sqlite_master").fetchone())
    conn.close()
    assert isinstance(exc, driver(key).DatabaseError)
    assert_only(exc, faults.is_damage)
    assert faults.is_not_a_database(exc) and faults.error_code(exc) == faults.SQLITE_NOTADB


def test_a_truncated_file_is_damage(tmp_path: Path, key: Key | None) -> None:
    path = store_file(tmp_path / "cases.sqlite", key)
    with open(path, "r+b") as file:
        file.truncate(path.stat().st_size // 3)
    exc = raised(lambda: read_everything(path, key))
    assert_only(exc, faults.is_damage)
    assert faults.error_code(exc) == faults.SQLITE_CORRUPT
    assert backups.problems(path, key) is not None


def test_a_garbage_page_in_the_middle_is_damage(tmp_path: Path, key: Key | None) -> None:
    path = store_file(tmp_path / "cases.sqlite", key)
    with open(path, "r+b") as file:
        file.seek((path.stat().st_size // 2) // 4096 * 4096)
        file.write(b"\x5a" * 4096)
    connect(path, key=key, read_only=True).conn.close()  # page 1 and the schema still read
    exc = raised(lambda: read_everything(path, key))
    assert_only(exc, faults.is_damage)
    assert faults.error_code(exc) == faults.SQLITE_CORRUPT and not faults.is_not_a_database(exc)
    assert backups.problems(path, key) is not None


def test_a_wrong_key_is_no_damage_but_a_wrong_passphrase(tmp_path: Path) -> None:
    path = store_file(tmp_path / "cases.sqlite", KEY, cases=1)
    with pytest.raises(WrongPassphrase):
        connect(path, key=new_key("not the passphrase"))
    conn = sqlcipher3.connect(str(path))
    conn.execute(f"PRAGMA key = {new_key('not the passphrase').pragma()}")
    exc = raised(lambda: conn.execute("SELECT count(*) FROM sqlite_master").fetchone())
    conn.close()
    assert faults.is_not_a_database(exc)  # SQLCipher cannot tell a wrong key from a foreign file


# --- passing trouble: never damage ---------------------------------------------------------------


def test_a_database_locked_by_another_connection_is_locked_not_damage(tmp_path: Path, key: Key | None) -> None:
    path = store_file(tmp_path / "cases.sqlite", key, cases=1)
    holder = connect(path, key=key)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute(INSERT)
    other = connect(path, key=key)
    other.execute("PRAGMA busy_timeout = 0")
    try:
        exc = raised(lambda: other.execute(INSERT))
    finally:
        holder.conn.rollback()
        holder.conn.close()
        other.conn.close()
    assert isinstance(exc, driver(key).OperationalError)
    assert_only(exc, faults.is_locked)
    assert faults.error_code(exc) == faults.SQLITE_BUSY


def test_writing_a_read_only_database_is_read_only_not_damage(tmp_path: Path, key: Key | None) -> None:
    path = store_file(tmp_path / "cases.sqlite", key, cases=1)
    db = connect(path, key=key, read_only=True)
    try:
        exc = raised(lambda: db.execute(INSERT))
    finally:
        db.conn.close()
    assert_only(exc, faults.is_read_only)


def test_a_file_without_write_permission_is_read_only_not_damage(tmp_path: Path, key: Key | None) -> None:
    probe = tmp_path / "probe"
    probe.write_bytes(b"")
    probe.chmod(0o400)
    try:
        probe.open("ab").close()
        pytest.skip("this user writes read-only files (root)")
    except PermissionError:
        pass
    path = store_file(tmp_path / "cases.sqlite", key, cases=1)
    db = connect(path, key=key)  # WAL: the -wal and -shm exist while it is open
    path.chmod(0o400)
    try:
        reader = driver(key).connect(str(path))
        if key is not None:
            reader.execute(f"PRAGMA key = {key.pragma()}")
        reader.execute("PRAGMA journal_mode").fetchone()
        exc = raised(lambda: reader.execute(INSERT))
        reader.close()
    finally:
        path.chmod(0o600)
        db.conn.close()
    assert_only(exc, faults.is_read_only)


def test_a_full_database_is_full_not_damage(tmp_path: Path, key: Key | None) -> None:
    path = store_file(tmp_path / "cases.sqlite", key, cases=1)
    db = connect(path, key=key)
    try:
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        db.execute(f"PRAGMA max_page_count = {pages}")  # SQLite's own SQLITE_FULL, as on a full disk

        def fill() -> None:
            for _ in range(100):
                db.execute("INSERT INTO audit (at, who, action, detail) VALUES ('', '', 'viewed', ?)", ["d" * 4000])

        exc = raised(fill)
    finally:
        db.conn.close()
    assert_only(exc, faults.is_disk_full)


def test_a_missing_file_opened_for_reading_is_no_damage(tmp_path: Path, key: Key | None) -> None:
    exc = raised(lambda: connect(tmp_path / "missing.sqlite", key=key, read_only=True))
    assert faults.is_database_error(exc) and not faults.is_damage(exc)
    with pytest.raises(type(exc)):  # raised as it is: a missing file says nothing about its content
        backups.problems(tmp_path / "missing.sqlite", key)


# --- by type and code, never by text -------------------------------------------------------------


def test_messages_alone_classify_nothing() -> None:
    assert not faults.is_damage(ValueError("file is not a database"))
    assert not faults.is_damage(sqlite3.DatabaseError("database disk image is malformed"))  # no code
    assert not faults.is_locked(RuntimeError("database is locked"))
    assert faults.error_code(OSError(28, "No space left on device")) is None


def test_store_damaged_is_damage() -> None:
    assert faults.is_damage(StoreDamaged("the case store cannot be read", None))


# --- the db code acting on the classification -----------------------------------------------------


def test_newest_good_passes_over_a_backup_it_cannot_open(tmp_path: Path, key: Key | None) -> None:
    path = store_file(tmp_path / "cases.sqlite", key, cases=1)
    folder = backups.folder_for(path)
    good = backups.make_backup(path, folder, key)
    (folder / "cases-29991231-000000.sqlite").mkdir()  # newest by name, and no file at all
    found = backups.newest_good(folder, key)
    assert found is not None and found.path == good.path


def test_a_bad_backup_is_refused_by_its_damage(tmp_path: Path, key: Key | None) -> None:
    path = store_file(tmp_path / "cases.sqlite", key)
    made = backups.make_backup(path, backups.folder_for(path), key)
    with open(made.path, "r+b") as file:
        file.seek((made.size // 2) // 4096 * 4096)
        file.write(b"\x5a" * 4096)
    with pytest.raises(BadBackup):
        backups.restore(made.path, path, key)


def test_a_damaged_header_is_damage_though_sqlite_names_it_only_an_error(tmp_path: Path) -> None:
    """Bytes over the header's fixed fields: SQLite says "unsupported file format" with its generic
    SQLITE_ERROR; the header itself shows the damage, and the vault offers the backup."""
    vault = CaseVault(tmp_path / "cases.sqlite")
    vault.setup(None)
    vault.open(CODES).close()  # a good start-up backup
    path = store_file(vault.path, None, cases=20)
    assert faults.header_damage(path) is None
    with open(path, "r+b") as file:
        file.seek(40)
        file.write(b"\xa5" * 800)
    exc = raised(lambda: read_everything(path, None))
    assert faults.error_code(exc) == sqlite3.SQLITE_ERROR and not faults.is_damage(exc)
    assert "schema format" in (faults.header_damage(path) or "")
    assert "header is damaged" in (backups.problems(path, None) or "")
    for check_later in (False, True):
        with pytest.raises(StoreDamaged) as damaged:
            CaseVault(path).open(CODES, check_later=check_later)
        assert damaged.value.backup is not None and damaged.value.backup.path == vault.list_backups()[0].path
