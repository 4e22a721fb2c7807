"""services.faults: each fault made for real and named for what it is, never "damaged" unless it is.

A full database (its page limit reached: SQLite's own SQLITE_FULL, as on a full disk), a write the
kernel refuses in a child process (RLIMIT_FSIZE), a read-only connection, a folder that refuses new
files, a lock another process holds, and real damage. The words are the ones both faces show.
"""

from __future__ import annotations

import errno
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from db.case_store import CaseStore
from db.connection import connect
from db.vault import CaseVault
from planning.case import empty_document
from services import faults
from services.faults import describe, kind
from services.stores import NoStore, StoreDamaged, WrongPassphrase
from tests.real_faults import read_only_folder

ROOT = Path(__file__).resolve().parents[2]
CODES = {"lbcl"}
FULL = "The disk is full. Free some space and try again; nothing was lost."


def store(path: Path, cases: int = 3) -> Path:
    opened = CaseStore.open(path, CODES)
    for number in range(cases):
        document = empty_document()
        document["patient"]["full_name"] = f"Words Tester {number}"
        opened.create(document, "Desk One")
    opened.close()
    return path


def failure(action) -> BaseException:
    with pytest.raises(Exception) as caught:
        action()
    return caught.value


def test_a_full_store_is_named_a_full_disk(tmp_path: Path) -> None:
    path = store(tmp_path / "cases.sqlite")
    opened = CaseStore.open(path, CODES)
    try:
        pages = opened.db.execute("PRAGMA page_count").fetchone()[0]
        opened.db.execute(f"PRAGMA max_page_count = {pages}")
        document = empty_document()
        document["clinical"]["notes"] = "f" * 200_000

        exc = failure(lambda: opened.create(document, "Desk One"))
    finally:
        opened.close()
    assert kind(exc, path) == faults.DISK_FULL and faults.is_passing(exc, path)
    assert describe(exc, path) == FULL


def test_a_file_the_kernel_refuses_to_grow_is_named_a_full_disk(tmp_path: Path) -> None:
    code = (
        "import sys, errno\n"
        "from services.faults import describe\n"
        "try:\n"
        "    open(sys.argv[1], 'wb').write(b'x' * 200_000)\n"
        "except OSError as exc:\n"
        "    print(exc.errno, describe(exc))\n"
    )

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (50_000, 50_000))

    result = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "big.bin")],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "CAREPLAN_DATA_DIR": str(tmp_path / "data")},
        preexec_fn=limit,
        timeout=60,
    )
    number, _, words = result.stdout.strip().partition(" ")
    assert int(number) == errno.EFBIG, result.stderr
    assert words == FULL


def test_a_write_sqlite_cannot_make_is_an_input_output_error_not_damage(tmp_path: Path) -> None:
    """RLIMIT_FSIZE in a child: SQLite reports SQLITE_IOERR (it cannot know why the kernel refused)."""
    path = store(tmp_path / "cases.sqlite")
    code = (
        "import sys, resource, signal\n"
        "from db.case_store import CaseStore\n"
        "from planning.case import empty_document\n"
        "from services.faults import describe, kind\n"
        "opened = CaseStore.open(sys.argv[1], {'lbcl'})\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "limit = int(sys.argv[2])\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))\n"
        "document = empty_document()\n"
        "document['clinical']['notes'] = 'i' * 400_000\n"
        "try:\n"
        "    opened.create(document, 'x')\n"
        "except Exception as exc:\n"
        "    print(kind(exc, opened.path()), describe(exc, opened.path()), sep='|')\n"
    )
    limit = path.stat().st_size + 50_000
    result = subprocess.run(
        [sys.executable, "-c", code, str(path), str(limit)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=60,
    )
    found, _, words = result.stdout.strip().partition("|")
    assert found in (faults.IO_ERROR, faults.DISK_FULL), result.stdout + result.stderr
    assert "damaged" not in words and "backup" not in words
    assert "nothing was lost" in words
    vault = CaseVault(path)
    vault.open(CODES, startup_backup=False).close()  # the store is sound: no damage, nothing offered


def test_a_read_only_connection_is_named_read_only(tmp_path: Path) -> None:
    path = store(tmp_path / "cases.sqlite")
    opened = CaseStore.open(path, CODES)
    opened.db.execute("PRAGMA query_only = 1")
    try:
        exc = failure(lambda: opened.create(empty_document(), "Desk One"))
    finally:
        opened.close()
    assert kind(exc, path) == faults.READ_ONLY
    assert describe(exc, path) == f"{path} is read-only, so nothing could be saved. Nothing was lost."


def test_a_folder_that_refuses_new_files_is_named_a_read_only_folder(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    vault = CaseVault(folder / "cases.sqlite")
    vault.setup(None)
    vault.open(CODES).close()
    with read_only_folder(folder):
        again = CaseVault(vault.path)
        exc = failure(lambda: again.open(CODES, startup_backup=False))  # SQLite cannot make its -wal and -shm
        found, said = kind(exc, vault.path), describe(exc, vault.path)
    assert not isinstance(exc, StoreDamaged)
    assert found == faults.READ_ONLY_FOLDER
    assert said == (
        f"The data folder {folder} is read-only, so nothing could be saved. Nothing was lost: make the folder "
        "writable and try again."
    )


def test_a_lock_another_process_holds_is_named_busy(tmp_path: Path) -> None:
    path = store(tmp_path / "cases.sqlite")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys\n"
            "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
            "c.execute('BEGIN IMMEDIATE')\n"
            "print('held', flush=True)\n"
            "sys.stdin.read()\n",
            str(path),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline() == "held\n"
        opened = CaseStore.open(path, CODES)
        opened.db.execute("PRAGMA busy_timeout = 200")  # the test need not wait the full timeout
        try:
            exc = failure(lambda: opened.create(empty_document(), "Desk One"))
        finally:
            opened.close()
    finally:
        holder.communicate("", timeout=30)
    assert kind(exc, path) == faults.LOCKED
    assert describe(exc, path).startswith("The case store is busy: another CarePlan Desk window or careplan command")


def test_real_damage_and_the_other_kinds_keep_their_names(tmp_path: Path) -> None:
    path = store(tmp_path / "cases.sqlite", cases=100)
    connect(path).execute("PRAGMA wal_checkpoint(TRUNCATE)")
    with open(path, "r+b") as file:
        file.seek(40)
        file.write(b"\xa5" * 800)
    vault = CaseVault(path)
    damaged = failure(lambda: vault.open(CODES))
    assert isinstance(damaged, StoreDamaged) and kind(damaged, path) == faults.DAMAGED
    assert describe(damaged, path).startswith("The case store is damaged")
    assert kind(WrongPassphrase("x")) == faults.WRONG_PASSPHRASE
    assert kind(NoStore(path)) == faults.NO_STORE
    assert describe(ValueError("something else\nsecond line")) == "something else"
    assert kind(OSError(errno.ENOSPC, "No space left on device")) == faults.DISK_FULL
    assert kind(OSError(errno.EROFS, "Read-only file system")) == faults.READ_ONLY_FOLDER
    assert kind(PermissionError(errno.EACCES, "Permission denied", str(path))) == faults.PERMISSION
    assert kind(OSError(errno.EIO, "Input/output error")) == faults.IO_ERROR
