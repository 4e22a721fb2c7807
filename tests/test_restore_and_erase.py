"""A restore never discards unasked what only the current store holds, the store it replaced can be
brought back, and an erased patient leaves no file behind for longer than the backups keep it.

Real processes (the command line, a backup killed while it writes) on real files.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from db import backups
from db.crypto import key_for
from db.paths import cases_db_path
from db.vault import CaseVault
from planning.case import empty_document

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
PASS = "restore test passphrase"
CODES = {"lbcl"}


def careplan(data_dir: Path, *args: str, passphrase: str | None = PASS) -> subprocess.CompletedProcess:
    env = {**os.environ, "CAREPLAN_DATA_DIR": str(data_dir), "CAREPLAN_COORDINATOR": "Desk Restore"}
    env.pop("CAREPLAN_PASSPHRASE", None)
    if passphrase is not None:
        env["CAREPLAN_PASSPHRASE"] = passphrase
    result = subprocess.run([sys.executable, "-m", "cli", *args], capture_output=True, text=True, env=env, timeout=120)
    assert "Traceback" not in result.stderr
    return result


def case_file(folder: Path, name: str) -> Path:
    document = empty_document()
    document["patient"].update(full_name=name, date_of_birth="1971-02-03", language="en")
    document["clinical"].update(indication="lbcl", notes="restore notes")
    path = folder / f"{name.replace(' ', '_')}.json"
    path.write_text(json.dumps(document), "utf-8")
    return path


def imported(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, result.stderr
    return re.match(r"Imported case (\S+)", result.stdout).group(1)


def references(data_dir: Path) -> set[str]:
    listed = careplan(data_dir, "case", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    return {case["reference"] for case in json.loads(listed.stdout)}


def test_a_restore_that_would_discard_newer_cases_is_refused_naming_them(data_dir: Path, tmp_path: Path) -> None:
    first = imported(careplan(data_dir, "case", "import", str(case_file(tmp_path, "Olderta Patient"))))
    made = careplan(data_dir, "backup", "now")
    backup = Path(re.match(r"Backed up the case store to (\S+) \(", made.stdout).group(1))
    newer = [
        imported(careplan(data_dir, "case", "import", str(case_file(tmp_path, f"Newerta Patient {n}"))))
        for n in range(3)
    ]
    before = cases_db_path(data_dir).read_bytes()

    refused = careplan(data_dir, "backup", "restore", backup.name)
    assert refused.returncode == 2
    [line] = refused.stderr.splitlines()
    assert line.startswith("error: 3 cases in the case store are newer than in") and "--discard-newer" in line
    assert all(reference in line for reference in newer) and first not in line
    assert cases_db_path(data_dir).read_bytes() == before  # nothing changed
    assert references(data_dir) == {first, *newer}

    restored = careplan(data_dir, "backup", "restore", backup.name, "--discard-newer")
    assert restored.returncode == 0, restored.stderr
    aside = Path(re.search(r"kept as (\S+)$", restored.stdout.strip()).group(1))
    assert aside.name.startswith("cases.sqlite.replaced-")
    assert references(data_dir) == {first}

    listing = careplan(data_dir, "backup", "list")
    row = next(line for line in listing.stdout.splitlines() if aside.name in line)
    assert "replaced store" in row
    assert "A replaced store is the case store as it was when a restore replaced it" in listing.stdout

    back = careplan(data_dir, "backup", "restore", aside.name)  # the replaced store holds all the restored one does
    assert back.returncode == 0, back.stderr
    assert references(data_dir) == {first, *newer}


def test_a_restore_of_a_store_that_cannot_be_read_is_not_held_up(data_dir: Path, tmp_path: Path) -> None:
    """A damaged store cannot be compared: the restore the damage calls for goes ahead."""
    first = imported(careplan(data_dir, "case", "import", str(case_file(tmp_path, "Damageta Patient"))))
    backup = Path(
        re.match(r"Backed up the case store to (\S+) \(", careplan(data_dir, "backup", "now").stdout).group(1)
    )
    path = cases_db_path(data_dir)
    raw = bytearray(path.read_bytes())
    raw[16:4096] = b"\x55" * (4096 - 16)
    path.write_bytes(bytes(raw))
    restored = careplan(data_dir, "backup", "restore", backup.name)
    assert restored.returncode == 0, restored.stderr
    assert references(data_dir) == {first}


def test_two_restores_in_one_second_keep_both_replaced_stores(tmp_path: Path) -> None:
    vault = CaseVault(tmp_path / "cases.sqlite")
    vault.setup(None)
    store = vault.open(CODES)
    store.create(empty_document(), "Desk")
    store.close()
    made = vault.list_backups()[0]
    at = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    first = backups.restore(made.path, vault.path, None, at)
    second = backups.restore(made.path, vault.path, None, at)
    assert first is not None and second is not None and first != second
    assert first.exists() and second.exists()
    assert [r.path for r in vault.list_replaced()] == [second, first]
    assert all(r.replaced for r in vault.restorable() if r.path in (first, second))


def test_replaced_stores_age_out_with_the_backups(tmp_path: Path) -> None:
    vault = CaseVault(tmp_path / "cases.sqlite")
    vault.setup(None)
    vault.open(CODES).close()
    now = datetime.now(UTC)
    old = backups.restore(vault.list_backups()[0].path, vault.path, None, now - timedelta(days=31))
    recent = backups.restore(vault.list_backups()[0].path, vault.path, None, now - timedelta(days=29))
    old.with_name(old.name + "-wal").write_bytes(b"a log kept beside it")
    vault.backup(now)  # every backup rotates: backups and replaced stores older than MAX_AGE_DAYS go
    assert not old.exists() and not old.with_name(old.name + "-wal").exists()
    assert recent is not None and recent.exists()
    vault.backup(now + timedelta(days=2))
    assert not recent.exists() and vault.list_replaced() == []


def test_replaced_stores_are_encrypted_and_reencrypted_with_the_store(tmp_path: Path) -> None:
    vault = CaseVault(tmp_path / "cases.sqlite")
    vault.setup(None)
    store = vault.open(CODES)
    document = empty_document()
    document["patient"]["full_name"] = "Plainly Keptaside"
    store.create(document, "Desk")
    store.close()
    aside = vault.restore(vault.list_backups()[0].path)
    assert aside is not None and b"Keptaside" in aside.read_bytes()
    store = vault.open(CODES)
    vault.change_passphrase(store, "", PASS)  # a plain store encrypted: its replaced stores too
    store.close()
    assert b"Keptaside" not in aside.read_bytes()
    assert backups.problems(aside, key_for(aside, PASS)) is None
    store = vault.open(CODES)
    vault.change_passphrase(store, PASS, "another passphrase")
    store.close()
    assert backups.problems(aside, key_for(aside, "another passphrase")) is None


KILLED_BACKUP = """
import os, sys, time
from pathlib import Path
from db import backups
store = Path(sys.argv[1])

def stuck(descriptor):  # the copy is on disk, under its temporary name: killed here
    print("writing", flush=True)
    time.sleep(600)

os.fsync = stuck
backups.make_backup(store, backups.folder_for(store), None)  # a plain store
"""


def test_an_erase_removes_what_a_killed_backup_left_and_says_what_still_holds_the_patient(
    data_dir: Path, tmp_path: Path
) -> None:
    name = "Killedbackup Patientname"
    reference = imported(
        careplan(data_dir, "case", "import", "--no-encryption", str(case_file(tmp_path, name)), passphrase=None)
    )
    path = cases_db_path(data_dir)
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED_BACKUP, str(path)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert child.stdout.readline() == "writing\n"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    partials = [p for p in (data_dir / "backups").iterdir() if p.name.startswith(".cases-")]
    assert partials and any(name.encode() in p.read_bytes() for p in partials)  # the patient, in a leftover

    erased = careplan(data_dir, "case", "erase", reference, "--yes", passphrase=None)
    assert erased.returncode == 0, erased.stderr
    assert "1 unfinished backup files" in erased.stdout
    assert "the stores a restore replaced (cases.sqlite.replaced-*), still hold it until they age out" in erased.stdout
    assert not [p for p in (data_dir / "backups").iterdir() if p.name.startswith(".")]
    outside_backups = [p for p in data_dir.iterdir() if p.is_file()]
    assert not [p.name for p in outside_backups if name.encode() in p.read_bytes()]
