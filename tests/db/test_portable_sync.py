"""No POSIX-only call on the data path: every fsync is made through a handle opened for writing (Windows
refuses a read-only one with EBADF), a folder is synced only where folders can be, and file modes are set
only where they keep other users out.

Windows is imitated: ``os.fsync`` refuses descriptors opened read-only, and folders are not synced."""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest

import db.paths
import planning.files
from db import backups
from db.case_store import CaseStore
from db.crypto import new_key
from planning.case import empty_document
from planning.files import sync_folder, write_atomic

fcntl = pytest.importorskip("fcntl")  # reads a descriptor's access mode (POSIX: where these tests run)

NOW = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
CODES = {"lbcl"}


@dataclass
class Syncs:
    written: list[int] = field(default_factory=list)
    refused: list[int] = field(default_factory=list)


@pytest.fixture
def windows_fsync(monkeypatch: pytest.MonkeyPatch) -> Iterator[Syncs]:
    real = os.fsync
    syncs = Syncs()

    def fsync(fd: int) -> None:
        fd = fd if isinstance(fd, int) else fd.fileno()
        if fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_ACCMODE == os.O_RDONLY:
            syncs.refused.append(fd)
            raise OSError(errno.EBADF, "Bad file descriptor")
        syncs.written.append(fd)
        real(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(planning.files, "SYNC_FOLDERS", False)
    yield syncs


def store(path: Path, key=None) -> Path:
    cases = CaseStore.open(path, CODES, key=key)
    document = empty_document()
    document["patient"]["full_name"] = "Portable Tester"
    cases.create(document, "Desk One")
    cases.close()
    return path


def test_a_backup_and_its_restore_sync_through_write_handles(tmp_path: Path, windows_fsync: Syncs) -> None:
    path = store(tmp_path / "cases.sqlite")
    made = backups.make_backup(path, backups.folder_for(path), None, NOW)
    assert backups.problems(made.path, None) is None
    backups.restore(made.path, path, None, NOW)
    assert windows_fsync.written and windows_fsync.refused == []


def test_rekeying_plain_and_encrypted_backups_syncs_through_write_handles(tmp_path: Path, windows_fsync: Syncs) -> None:
    path = store(tmp_path / "cases.sqlite")
    plain = backups.make_backup(path, backups.folder_for(path), None, NOW)
    first = new_key("first passphrase")
    backups.rekey(plain.path, None, first)  # a plain backup is encrypted by export, then synced
    backups.rekey(plain.path, first, new_key("second passphrase"))  # an encrypted one by the backup API
    assert len(windows_fsync.written) >= 3 and windows_fsync.refused == []


def test_an_atomic_write_syncs_through_its_write_handle(tmp_path: Path, windows_fsync: Syncs) -> None:
    write_atomic(tmp_path / "settings.json", b"{}")
    assert (tmp_path / "settings.json").read_bytes() == b"{}"
    assert len(windows_fsync.written) == 1 and windows_fsync.refused == []


def test_a_folder_is_synced_where_it_can_be_and_skipped_elsewhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, windows_fsync: Syncs
) -> None:
    opened: list[str] = []
    real_open = os.open
    monkeypatch.setattr(os, "open", lambda path, *args: opened.append(str(path)) or real_open(path, *args))
    sync_folder(tmp_path)  # as on Windows: the folder is not even opened
    assert opened == []
    monkeypatch.setattr(planning.files, "SYNC_FOLDERS", True)
    sync_folder(tmp_path)  # POSIX: opened and synced; a file system that refuses is no error
    assert opened == [str(tmp_path)]


def test_file_modes_are_set_only_where_they_keep_other_users_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = tmp_path / "data"
    base.mkdir()
    (base / "cases.sqlite").write_bytes(b"")
    os.chmod(base / "cases.sqlite", 0o644)
    changed: list[str] = []
    real_chmod = os.chmod
    monkeypatch.setattr(os, "chmod", lambda path, mode, **kw: changed.append(os.fspath(path)) or real_chmod(path, mode))
    monkeypatch.setattr(db.paths, "POSIX_MODES", False)
    db.paths.secure_data_dir(base)  # as on Windows: the profile's access list does the work
    assert changed == [] and (base / "settings.ini").exists()
    monkeypatch.setattr(db.paths, "POSIX_MODES", True)
    db.paths.secure_data_dir(base)
    assert str(base / "cases.sqlite") in changed
    assert (base / "cases.sqlite").stat().st_mode & 0o777 == 0o600
