"""The vault on real files: set up encrypted or plain, unlock, change the passphrase, encrypt a plain store."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import pytest

from db import backups
from db.case_store import CaseStore
from db.crypto import WrongPassphrase, is_encrypted, key_for
from db.vault import CaseVault, StoreDamaged
from planning.case import empty_document

CODES = {"lbcl", "mm"}
PASS = "correct horse battery"
NAME = "Zoë Vaulttest-Petrova"


def fingerprint(path: Path) -> tuple[str, int, bool, bool]:
    """The file's bytes, its mtime, and whether -wal and -shm exist."""
    wal, shm = path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns, wal.exists(), shm.exists()


def add_cases(store: CaseStore, count: int, name: str = NAME) -> list[str]:
    references = []
    for number in range(count):
        document = empty_document()
        document["patient"]["full_name"] = f"{name} {number}"
        references.append(store.create(document, "Desk One").reference)
    return references


@pytest.fixture
def vault(tmp_path: Path) -> CaseVault:
    vault = CaseVault(tmp_path / "cases.sqlite")
    vault.setup(PASS)
    return vault


def test_a_new_vault_is_new_and_set_up_encrypted(tmp_path: Path) -> None:
    vault = CaseVault(tmp_path / "cases.sqlite")
    assert vault.state() == "new"
    vault.setup(PASS)
    assert vault.state() == "encrypted" and vault.encrypted
    assert vault.key is not None and vault.matches(PASS) and not vault.matches("wrong passphrase")
    assert is_encrypted(vault.path)
    salt = vault.path.read_bytes()[:16]
    again = CaseVault(vault.path)
    assert again.setup(PASS) is False and again.key == vault.key  # set up already: it just unlocks
    with pytest.raises(WrongPassphrase):
        CaseVault(vault.path).setup("another passphrase")
    with pytest.raises(FileExistsError):
        CaseVault(vault.path).setup(None)  # never a plain store in place of an encrypted one
    assert vault.path.read_bytes()[:16] == salt  # never made again


def test_an_encrypted_store_is_unreadable_with_plain_sqlite(vault: CaseVault) -> None:
    store = vault.open(CODES)
    add_cases(store, 3)
    store.close()
    raw = vault.path.read_bytes()
    assert b"SQLite format 3" not in raw[:100]
    assert NAME.encode() not in raw and b"Vaulttest" not in raw
    with pytest.raises(sqlite3.DatabaseError, match="file is not a database"):
        sqlite3.connect(vault.path).execute("SELECT count(*) FROM cases").fetchone()
    for backup in vault.list_backups():
        assert b"Vaulttest" not in backup.path.read_bytes()
        with pytest.raises(sqlite3.DatabaseError, match="file is not a database"):
            sqlite3.connect(backup.path).execute("SELECT count(*) FROM sqlite_master").fetchone()


def test_a_plain_store_is_a_warned_choice_and_readable(tmp_path: Path) -> None:
    vault = CaseVault(tmp_path / "cases.sqlite")
    vault.setup(None)
    assert vault.state() == "plain" and not vault.encrypted and vault.key is None
    store = vault.open(CODES)
    add_cases(store, 2)
    store.close()
    with sqlite3.connect(vault.path) as plain:
        assert plain.execute("SELECT count(*) FROM cases").fetchone()[0] == 2


def test_a_wrong_passphrase_raises_and_leaves_the_file_as_it_was(vault: CaseVault) -> None:
    store = vault.open(CODES)
    add_cases(store, 5)
    store.close()
    before = fingerprint(vault.path)
    again = CaseVault(vault.path)
    for wrong in ("correct horse batterx", "", PASS.upper(), PASS + " "):
        with pytest.raises(WrongPassphrase):
            again.unlock(wrong)
    assert again.key is None
    assert fingerprint(vault.path) == before


def test_the_right_passphrase_unlocks_and_opens_every_case(vault: CaseVault) -> None:
    store = vault.open(CODES)
    references = add_cases(store, 5)
    store.close()
    again = CaseVault(vault.path)
    again.unlock(PASS)
    assert again.key == vault.key and again.matches(PASS)
    store = again.open(CODES)
    assert all(store.by_reference(r) is not None for r in references)
    store.close()


def test_change_passphrase_rekeys_the_store_and_its_backups(vault: CaseVault) -> None:
    store = vault.open(CODES)
    references = add_cases(store, 4)
    vault.backup()
    made = vault.list_backups()
    assert made
    with pytest.raises(WrongPassphrase):
        vault.change_passphrase(store, "not the passphrase", "a brand new phrase")
    vault.change_passphrase(store, PASS, "a brand new phrase")
    references += add_cases(store, 1)  # the open store goes on working
    store.close()

    old = CaseVault(vault.path)
    with pytest.raises(WrongPassphrase):
        old.unlock(PASS)
    new = CaseVault(vault.path)
    new.unlock("a brand new phrase")
    reopened = new.open(CODES)
    assert all(reopened.by_reference(r) is not None for r in references)
    reopened.close()
    for backup in made:
        assert backup.path.exists()
        with pytest.raises(WrongPassphrase):
            backups.problems(backup.path, key_for(backup.path, PASS))
        assert backups.problems(backup.path, key_for(backup.path, "a brand new phrase")) is None


def test_a_plain_store_becomes_encrypted_with_every_case(tmp_path: Path) -> None:
    vault = CaseVault(tmp_path / "cases.sqlite")
    vault.setup(None)
    store = vault.open(CODES)
    references = add_cases(store, 60)
    store.save_document(store.by_reference(references[0]).id, empty_document(), "Desk One")
    history = store.history(store.by_reference(references[0]).id)
    vault.change_passphrase(store, "", PASS)
    assert vault.state() == "encrypted"
    assert not vault.path.with_name(f".{vault.path.name}.encrypting").exists()
    assert store.by_reference(references[-1]) is not None  # the open store now reads the encrypted file
    store.close()
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(vault.path).execute("SELECT count(*) FROM cases").fetchone()
    for backup in vault.list_backups():  # plain backups are replaced by encrypted ones
        assert is_encrypted(backup.path)

    again = CaseVault(vault.path)
    again.unlock(PASS)
    reopened = again.open(CODES)
    assert [reopened.by_reference(r) is not None for r in references] == [True] * 60
    assert reopened.history(reopened.by_reference(references[0]).id) == history
    assert reopened.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    reopened.close()


def test_a_store_whose_first_page_is_damaged_offers_the_backup_and_restores_with_the_passphrase(
    vault: CaseVault,
) -> None:
    store = vault.open(CODES)
    references = add_cases(store, 20)
    store.close()
    good = vault.backup()
    with open(vault.path, "r+b") as file:
        file.seek(200)
        file.write(os.urandom(300))

    again = CaseVault(vault.path)
    with pytest.raises(StoreDamaged) as damaged:
        again.unlock(PASS)
    assert damaged.value.backup is not None and damaged.value.backup.path == good.path
    with pytest.raises(WrongPassphrase):  # a wrong passphrase is still only wrong
        CaseVault(vault.path).unlock("not the passphrase")
    aside = again.restore(damaged.value.backup.path)
    assert aside is not None and aside.exists()
    store = again.open(CODES)
    assert all(store.by_reference(r) is not None for r in references)
    store.close()


def test_after_a_change_the_new_passphrase_unlocks_while_the_store_is_still_open(vault: CaseVault) -> None:
    store = vault.open(CODES)
    references = add_cases(store, 3)
    vault.change_passphrase(store, PASS, "a brand new phrase")  # the re-keyed pages are still in the -wal
    other = CaseVault(vault.path)
    with pytest.raises(WrongPassphrase):
        other.unlock(PASS)
    other.unlock("a brand new phrase")
    second = CaseStore.open(vault.path, CODES, key=other.key)
    assert all(second.by_reference(r) is not None for r in references)
    second.close()
    store.close()


def test_a_plain_store_with_a_damaged_header_is_found_damaged_not_asked_for_a_passphrase(tmp_path: Path) -> None:
    vault = CaseVault(tmp_path / "cases.sqlite")
    vault.setup(None)
    store = vault.open(CODES)  # the start-up backup: plain, like the store
    references = add_cases(store, 3)
    store.close()
    vault.backup()
    with open(vault.path, "r+b") as file:
        file.write(os.urandom(16))  # the "SQLite format 3" header is gone
    again = CaseVault(vault.path)
    assert is_encrypted(vault.path)  # by its header it could be an encrypted store...
    assert again.state() == "plain"  # ...but its backups are plain, so it is a damaged plain store
    with pytest.raises(StoreDamaged) as raised:
        again.open(CODES)
    assert raised.value.backup is not None and raised.value.backup.path == again.list_backups()[0].path
    again.restore(raised.value.backup.path)
    store = again.open(CODES)
    try:
        assert [r for r in references if store.by_reference(r) is None] == []
    finally:
        store.close()


def test_an_encrypted_store_with_encrypted_backups_still_asks_for_its_passphrase(vault: CaseVault) -> None:
    vault.open(CODES).close()  # an encrypted start-up backup
    assert CaseVault(vault.path).state() == "encrypted"


def test_a_check_left_for_later_then_backs_up_once_when_asked(vault: CaseVault) -> None:
    store = vault.open(CODES, check_later=True)
    try:
        assert vault.pending_check and vault.list_backups() == []  # opening made none
        made = vault.check_and_back_up()
        assert made is not None and [b.path for b in vault.list_backups()] == [made.path]
        assert vault.check_and_back_up() is None and len(vault.list_backups()) == 1
    finally:
        store.close()


def test_damage_found_later_makes_no_backup_and_every_later_opening_checks_first(vault: CaseVault) -> None:
    store = vault.open(CODES)  # a good start-up backup
    add_cases(store, 60)
    store.close()
    good = vault.list_backups()[0]
    size = vault.path.stat().st_size
    with open(vault.path, "r+b") as file:  # a middle page: the schema still reads
        file.seek((size // 2) // 4096 * 4096)
        file.write(b"\x5a" * 4096)
    vault.open(CODES, check_later=True).close()  # opens: only the schema is read
    with pytest.raises(StoreDamaged) as raised:
        vault.check_and_back_up()
    assert raised.value.backup.path == good.path and [b.path for b in vault.list_backups()] == [good.path]
    assert vault.suspect
    with pytest.raises(StoreDamaged):
        vault.open(CODES, check_later=True)  # now it checks before opening


def test_an_old_passphrase_that_opens_only_a_backup_kept_under_it_is_wrong_not_damage(vault: CaseVault) -> None:
    """A backup that could not be re-encrypted keeps the former passphrase; typing that one later must
    not make the healthy store look damaged (and offer the old backup in its place)."""
    store = vault.open(CODES)
    add_cases(store, 2)
    kept = vault.backup().path
    vault.change_passphrase(store, PASS, "the new passphrase")
    store.close()
    backups.rekey(kept, vault.key, key_for(kept, PASS))  # as if it had been kept under the old passphrase
    assert backups.problems(kept, key_for(kept, PASS)) is None
    before = fingerprint(vault.path)
    with pytest.raises(WrongPassphrase):
        CaseVault(vault.path).unlock(PASS)
    assert fingerprint(vault.path) == before
    CaseVault(vault.path).unlock("the new passphrase")


def test_a_damaged_first_page_with_the_right_passphrase_is_damage(vault: CaseVault) -> None:
    store = vault.open(CODES)
    add_cases(store, 20)
    store.close()
    with open(vault.path, "r+b") as file:
        file.seek(100)
        file.write(b"\xa5" * 500)
    with pytest.raises(StoreDamaged):
        CaseVault(vault.path).unlock(PASS)
    with pytest.raises(WrongPassphrase):
        CaseVault(vault.path).unlock("not the passphrase at all")
