"""Rotating backups on real files: made, listed, rotated, due, restored; encrypted like the store."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from db import backups
from db.backups import KEEP, MAX_AGE_DAYS, due, list_backups, make_backup, newest_good, restore, rotate
from db.case_store import CaseStore
from db.crypto import WrongPassphrase, is_encrypted, key_for, new_key
from planning.case import empty_document

CODES = {"lbcl"}
NOW = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def add(store: CaseStore, name: str) -> str:
    document = empty_document()
    document["patient"]["full_name"] = name
    return store.create(document, "Desk One").reference


@pytest.fixture
def store_path(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "cases.sqlite"
    store = CaseStore.open(path, CODES)
    add(store, "Backup Tester")
    store.close()
    yield path


def test_a_backup_is_a_whole_sound_database_in_a_private_folder(store_path: Path) -> None:
    folder = backups.folder_for(store_path)
    assert folder == store_path.parent / "backups"
    assert folder.stat().st_mode & 0o777 == 0o700
    made = make_backup(store_path, folder, None, NOW)
    assert made.path.name == "cases-20261120-093000.sqlite"
    assert made.made_at == NOW and made.size == made.path.stat().st_size > 0
    assert made.path.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in folder.iterdir()) == [made.path.name]  # no .part, no -wal left
    with sqlite3.connect(made.path) as copy:
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert copy.execute("SELECT full_name FROM cases").fetchall() == [("Backup Tester",)]
    assert backups.problems(made.path, None) is None


def test_two_backups_in_the_same_second_are_both_kept_newest_first(store_path: Path) -> None:
    folder = backups.folder_for(store_path)
    first = make_backup(store_path, folder, None, NOW)
    second = make_backup(store_path, folder, None, NOW)
    third = make_backup(store_path, folder, None, NOW)
    assert (second.path.name, third.path.name) == ("cases-20261120-093000_2.sqlite", "cases-20261120-093000_3.sqlite")
    assert [b.path for b in list_backups(folder)] == [third.path, second.path, first.path]
    assert all(backups.problems(b.path, None) is None for b in (first, second, third))


def test_a_backup_taken_while_the_store_is_open_has_every_commit(store_path: Path) -> None:
    store = CaseStore.open(store_path, CODES)
    references = [add(store, f"Open Writer {n}") for n in range(25)]  # still in the WAL
    made = make_backup(store_path, backups.folder_for(store_path), None, NOW)
    store.close()
    copy = CaseStore.open(made.path, CODES)
    assert all(copy.by_reference(r) is not None for r in references)
    copy.close()


def test_list_is_newest_first_and_ignores_foreign_files(store_path: Path) -> None:
    folder = backups.folder_for(store_path)
    for hours in (5, 1, 3):
        make_backup(store_path, folder, None, NOW - timedelta(hours=hours))
    (folder / "cases-notadate.sqlite").write_bytes(b"x")
    (folder / "notes.txt").write_text("mine")
    found = list_backups(folder)
    assert [b.made_at for b in found] == [NOW - timedelta(hours=h) for h in (1, 3, 5)]


def test_rotate_keeps_the_newest_keep_and_nothing_older_than_max_age(store_path: Path) -> None:
    folder = backups.folder_for(store_path)
    for day in range(KEEP + 6):  # daily backups, the newest today
        make_backup(store_path, folder, None, NOW - timedelta(days=day))
    removed = rotate(folder, NOW)
    left = list_backups(folder)
    assert len(left) == KEEP and len(removed) == 6
    assert left[0].made_at == NOW and left[-1].made_at == NOW - timedelta(days=KEEP - 1)
    assert all(not path.exists() for path in removed)

    for backup in left[1:]:
        backup.path.unlink()
    make_backup(store_path, folder, None, NOW - timedelta(days=MAX_AGE_DAYS + 1))
    make_backup(store_path, folder, None, NOW - timedelta(days=MAX_AGE_DAYS - 1))
    rotate(folder, NOW)
    assert [b.made_at for b in list_backups(folder)] == [NOW, NOW - timedelta(days=MAX_AGE_DAYS - 1)]


def test_rotate_never_removes_the_newest_even_when_it_is_old(store_path: Path) -> None:
    folder = backups.folder_for(store_path)
    old = make_backup(store_path, folder, None, NOW - timedelta(days=MAX_AGE_DAYS * 3))
    older = make_backup(store_path, folder, None, NOW - timedelta(days=MAX_AGE_DAYS * 4))
    assert rotate(folder, NOW) == [older.path]
    assert [b.path for b in list_backups(folder)] == [old.path]


def test_a_daily_backup_is_due_when_none_exists_or_the_newest_is_a_day_old(store_path: Path) -> None:
    folder = backups.folder_for(store_path)
    assert due(folder, NOW)
    make_backup(store_path, folder, None, NOW)
    assert not due(folder, NOW + timedelta(hours=23, minutes=59))
    assert due(folder, NOW + timedelta(days=1))


def test_restore_puts_the_backup_in_place_and_keeps_the_old_file_aside(store_path: Path) -> None:
    folder = backups.folder_for(store_path)
    made = make_backup(store_path, folder, None, NOW)
    backup_digest = digest(made.path)
    store = CaseStore.open(store_path, CODES)
    later = add(store, "Added After The Backup")
    store.close()
    old_digest = digest(store_path)

    aside = restore(made.path, store_path, None, NOW + timedelta(hours=1))
    assert aside == store_path.with_name("cases.sqlite.replaced-20261120-103000")
    assert digest(aside) == old_digest  # nothing is thrown away
    assert digest(made.path) == backup_digest  # the backup itself is untouched
    assert not store_path.with_name(".cases.sqlite.restoring").exists()
    restored = CaseStore.open(store_path, CODES)
    assert restored.by_reference(later) is None
    assert [row.full_name for row in restored.all_rows()] == ["Backup Tester"]
    restored.close()


def test_a_bad_backup_raises_and_changes_nothing(store_path: Path) -> None:
    folder = backups.folder_for(store_path)
    made = make_backup(store_path, folder, None, NOW)
    with open(made.path, "r+b") as file:
        file.seek(2 * 4096)
        file.write(os.urandom(4096))
    before = {path: digest(path) for path in (made.path, store_path)}
    listing = sorted(p.name for p in store_path.parent.rglob("*"))
    with pytest.raises(ValueError, match=made.path.name):
        restore(made.path, store_path, None, NOW)
    assert {path: digest(path) for path in before} == before
    assert sorted(p.name for p in store_path.parent.rglob("*")) == listing
    assert newest_good(folder, None) is None


def test_checking_a_backup_never_writes_it(store_path: Path) -> None:
    made = make_backup(store_path, backups.folder_for(store_path), None, NOW)
    before = (digest(made.path), made.path.stat().st_mtime_ns)
    assert backups.problems(made.path, None) is None
    assert newest_good(made.path.parent, None) == made
    assert (digest(made.path), made.path.stat().st_mtime_ns) == before
    assert sorted(p.name for p in made.path.parent.iterdir()) == [made.path.name]


def test_newest_good_skips_a_damaged_newer_backup(store_path: Path) -> None:
    folder = backups.folder_for(store_path)
    good = make_backup(store_path, folder, None, NOW - timedelta(days=1))
    bad = make_backup(store_path, folder, None, NOW)
    with open(bad.path, "r+b") as file:
        file.write(os.urandom(4096))
    assert newest_good(folder, None) == good


def test_a_backup_of_an_encrypted_store_is_encrypted_and_opens_with_the_same_key(tmp_path: Path) -> None:
    key = new_key("correct horse battery")
    path = tmp_path / "cases.sqlite"
    store = CaseStore.open(path, CODES, key=key)
    reference = add(store, "Cipher Backup-Name")
    made = make_backup(path, backups.folder_for(path), key, NOW)
    store.close()
    assert is_encrypted(made.path)
    assert b"Cipher Backup-Name" not in made.path.read_bytes()
    assert key_for(made.path, "correct horse battery") == key  # same salt, same key
    with pytest.raises(sqlite3.DatabaseError, match="file is not a database"):
        sqlite3.connect(made.path).execute("SELECT count(*) FROM sqlite_master").fetchone()
    with pytest.raises(WrongPassphrase):
        backups.problems(made.path, key_for(made.path, "not the passphrase"))
    assert backups.problems(made.path, key) is None
    copy = CaseStore.open(made.path, CODES, key=key)
    assert copy.by_reference(reference).row.full_name == "Cipher Backup-Name"
    copy.close()

    restore(made.path, path, key, NOW)
    restored = CaseStore.open(path, CODES, key=key)
    assert restored.by_reference(reference) is not None
    restored.close()


def test_rekey_moves_a_backup_to_the_new_key(tmp_path: Path) -> None:
    old, path = new_key("first passphrase"), tmp_path / "cases.sqlite"
    CaseStore.open(path, CODES, key=old).close()
    made = make_backup(path, backups.folder_for(path), old, NOW)
    fresh = key_for(made.path, "second passphrase")
    backups.rekey(made.path, old, fresh)
    with pytest.raises(WrongPassphrase):
        backups.problems(made.path, old)
    assert backups.problems(made.path, fresh) is None
