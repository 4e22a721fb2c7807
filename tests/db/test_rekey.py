"""Changing the store's key never drops a backup: plain -> encrypted -> new passphrase, with backups of
different ages; each is re-encrypted (and restorable with the current passphrase) or kept and reported."""

from __future__ import annotations

import errno
import hashlib
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from db import backups
from db.backups import DAMAGED, DISK_FULL, WRONG_KEY, KeptBackup, RekeyReport
from db.case_store import CaseStore
from db.crypto import WrongPassphrase, is_encrypted, key_for, new_key
from db.vault import CaseVault
from planning.case import empty_document

CODES = {"lbcl", "mm"}
FIRST, SECOND = "correct horse battery", "a brand new phrase"
START = datetime.now(UTC).replace(microsecond=0) - timedelta(days=3)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def add_case(store: CaseStore, name: str) -> str:
    document = empty_document()
    document["patient"]["full_name"] = name
    return store.create(document, "Desk One").reference


def with_backups(vault: CaseVault, count: int) -> tuple[CaseStore, dict[Path, list[str]]]:
    """An open store and ``count`` backups an hour apart, each holding one more case than the one
    before: backup path -> the references it holds."""
    store = CaseStore.open(vault.path, CODES, check_same_thread=False, key=vault.key)  # no start-up backup
    held: dict[Path, list[str]] = {}
    references: list[str] = []
    for number in range(count):
        references.append(add_case(store, f"Rekey Tester {number}"))
        store.db.conn.commit()
        made = backups.make_backup(vault.path, vault.backups_folder, vault.key, START + timedelta(hours=number))
        held[made.path] = list(references)
    return store, held


def assert_restorable(vault: CaseVault, held: dict[Path, list[str]], passphrase: str) -> None:
    """Every backup opens with ``passphrase``; restored in place of the store, it holds exactly its cases."""
    for number, (path, references) in enumerate(held.items()):
        assert path.exists(), path
        key = key_for(path, passphrase)
        assert key == vault.key  # the store's key and salt
        assert backups.problems(path, key) is None
        backups.restore(path, vault.path, key, START + timedelta(days=10, seconds=number))
        restored = CaseStore.open(vault.path, CODES, key=key)
        try:
            assert sorted(row.reference for row in restored.all_rows()) == sorted(references)
            assert restored.by_reference(references[-1]).row.full_name.startswith("Rekey Tester")
        finally:
            restored.close()


def test_encrypt_then_change_the_passphrase_keeps_every_backup_restorable(tmp_path: Path) -> None:
    vault = CaseVault(tmp_path / "cases.sqlite")
    vault.setup(None)
    store, held = with_backups(vault, 4)
    assert not any(is_encrypted(path) for path in held)

    report = vault.change_passphrase(store, "", FIRST)  # plain -> encrypted
    assert isinstance(report, RekeyReport) and report.complete
    assert sorted(report.reencrypted) == sorted(held) and report.kept == ()
    assert all(is_encrypted(path) for path in held)
    assert set(held) <= {b.path for b in vault.list_backups()}  # none vanished (and one new one)
    for path in held:
        assert b"Rekey Tester" not in path.read_bytes()
        assert path.stat().st_mode & 0o777 == 0o600
    held_now = dict(held)
    held_now[vault.list_backups()[0].path] = [row.reference for row in store.all_rows()]

    report = vault.change_passphrase(store, FIRST, SECOND)  # encrypted -> a new passphrase
    assert report.complete and sorted(report.reencrypted) == sorted(held_now)
    assert {b.path for b in vault.list_backups()} == set(held_now)
    for path in held_now:
        with pytest.raises(WrongPassphrase):
            backups.problems(path, key_for(path, FIRST))
    store.close()
    leftovers = [p.name for p in vault.backups_folder.iterdir() if not p.name.startswith("cases-")]
    assert leftovers == []  # no partial copy left behind

    assert_restorable(vault, held_now, SECOND)


def test_a_backup_the_old_key_does_not_open_is_kept_and_reported(tmp_path: Path) -> None:
    vault = CaseVault(tmp_path / "cases.sqlite")
    vault.setup(FIRST)
    store, held = with_backups(vault, 3)
    stranger = sorted(held)[1]
    other = new_key("someone else's passphrase")
    backups.rekey(stranger, vault.key, other)  # e.g. left from an earlier, interrupted change
    before = digest(stranger)

    report = vault.change_passphrase(store, FIRST, SECOND)
    store.close()
    assert not report.complete
    assert [(kept.path, kept.reason) for kept in report.kept] == [(stranger, WRONG_KEY)]
    assert sorted(report.reencrypted) == sorted(set(held) - {stranger})
    assert digest(stranger) == before  # exactly as it was: its own passphrase still opens it
    assert backups.problems(stranger, key_for(stranger, "someone else's passphrase")) is None
    del held[stranger]
    assert_restorable(vault, held, SECOND)


def test_a_damaged_backup_is_kept_as_it_was_and_reported(tmp_path: Path) -> None:
    vault = CaseVault(tmp_path / "cases.sqlite")
    vault.setup(FIRST)
    store, held = with_backups(vault, 3)
    for number in range(40):  # pages enough for a middle one past the schema
        add_case(store, f"Filler {number}")
    store.db.conn.commit()
    damaged = backups.make_backup(vault.path, vault.backups_folder, vault.key, START + timedelta(hours=10)).path
    with open(damaged, "r+b") as file:
        file.seek((damaged.stat().st_size // 2) // 4096 * 4096)
        file.write(b"\x5a" * 4096)
    before = digest(damaged)

    report = vault.change_passphrase(store, FIRST, SECOND)
    store.close()
    assert [(kept.path, kept.reason) for kept in report.kept] == [(damaged, DAMAGED)]
    assert report.kept[0].detail  # SQLite's own words, for the log
    assert digest(damaged) == before
    assert sorted(report.reencrypted) == sorted(held)
    assert_restorable(vault, held, SECOND)


def test_a_damaged_plain_backup_is_kept_when_the_store_is_encrypted(tmp_path: Path) -> None:
    vault = CaseVault(tmp_path / "cases.sqlite")
    vault.setup(None)
    store, held = with_backups(vault, 2)
    broken = sorted(held)[0]
    with open(broken, "r+b") as file:
        file.write(os.urandom(100))  # the header: not a database any more
    before = digest(broken)

    report = vault.change_passphrase(store, "", FIRST)
    store.close()
    assert report.kept == (KeptBackup(broken, DAMAGED, report.kept[0].detail),)
    assert digest(broken) == before and broken.exists()
    assert report.reencrypted == (sorted(held)[1],)
    assert vault.state() == "encrypted"
    del held[broken]
    assert_restorable(vault, held, FIRST)


def test_a_failed_write_leaves_the_backup_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    vault = CaseVault(tmp_path / "cases.sqlite")
    vault.setup(FIRST)
    store, held = with_backups(vault, 2)
    before = {path: digest(path) for path in held}
    copy = backups._copy

    def full_disk(source, partial, key, **options):
        copy(source, partial, key, **options)  # a partial copy exists...
        raise OSError(errno.ENOSPC, "No space left on device")  # ...when the disk fills up

    monkeypatch.setattr(backups, "_copy", full_disk)
    report = vault.change_passphrase(store, FIRST, SECOND)
    store.close()
    assert sorted(kept.path for kept in report.kept) == sorted(held)
    assert {kept.reason for kept in report.kept} == {DISK_FULL}
    assert report.reencrypted == ()
    assert {path: digest(path) for path in held} == before  # each still opens with the old passphrase
    assert sorted(p.name for p in vault.backups_folder.iterdir()) == sorted(p.name for p in held)
    for path in held:
        assert backups.problems(path, key_for(path, FIRST)) is None


def test_rekey_of_one_backup_replaces_it_only_when_the_new_copy_is_sound(tmp_path: Path) -> None:
    old = new_key(FIRST)
    path = tmp_path / "cases.sqlite"
    store = CaseStore.open(path, CODES, key=old)
    reference = add_case(store, "Single Rekey")
    store.close()
    made = backups.make_backup(path, backups.folder_for(path), old, START)
    fresh = key_for(made.path, SECOND)
    backups.rekey(made.path, old, fresh)
    with pytest.raises(WrongPassphrase):  # twice: the old key no longer opens it, nothing is changed
        backups.rekey(made.path, old, fresh)
    copy = CaseStore.open(made.path, CODES, key=fresh)
    try:
        assert copy.by_reference(reference) is not None
    finally:
        copy.close()
