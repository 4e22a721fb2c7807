"""Several processes on one data folder at once, as happens when the app and commands run together:
imports, first runs and backups all succeed, and an erase is reported done only when no file holds the
patient. Real processes on real files; nothing is mocked.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from db import backups
from db.crypto import key_for
from db.paths import cases_db_path
from db.vault import CaseVault
from planning.case import empty_document

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
PASS = "concurrency test passphrase"
CODES = {"lbcl"}


def environment(data_dir: Path, passphrase: str | None = PASS) -> dict[str, str]:
    env = {**os.environ, "CAREPLAN_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT), "CAREPLAN_COORDINATOR": "Desk"}
    env.pop("CAREPLAN_PASSPHRASE", None)
    if passphrase is not None:
        env["CAREPLAN_PASSPHRASE"] = passphrase
    return env


def case_file(folder: Path, name: str) -> Path:
    document = empty_document()
    document["patient"].update(full_name=name, date_of_birth="1970-05-01", language="en")
    document["clinical"].update(indication="lbcl", notes="n" * 500)
    path = folder / f"{name.replace(' ', '_')}.json"
    path.write_text(json.dumps(document), "utf-8")
    return path


IMPORTS = """
import sys
from cli.main import main
failures = []
for path in sys.argv[1:]:
    code = main(["case", "import", path])
    if code != 0:
        failures.append(path)
print("failed", len(failures), flush=True)
"""


def test_two_processes_importing_a_hundred_cases_each_at_once_all_succeed(data_dir: Path, tmp_path: Path) -> None:
    data_dir.mkdir(parents=True)
    first = subprocess.run(
        [sys.executable, "-m", "cli", "case", "import", str(case_file(tmp_path, "First Patient"))],
        capture_output=True,
        text=True,
        env=environment(data_dir),
        timeout=120,
    )
    assert first.returncode == 0, first.stderr
    files = {side: [case_file(tmp_path, f"Patient {side} {n}") for n in range(100)] for side in ("A", "B")}
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", IMPORTS, *map(str, files[side])],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=environment(data_dir),
        )
        for side in ("A", "B")
    ]
    outputs = [run.communicate(timeout=600) for run in runs]
    for run, (out, err) in zip(runs, outputs, strict=True):
        assert run.returncode == 0 and out.strip().splitlines()[-1] == "failed 0", out[-2000:] + err
        assert "locked" not in err and "busy" not in err, err
    listed = subprocess.run(
        [sys.executable, "-m", "cli", "case", "list", "--json"],
        capture_output=True,
        text=True,
        env=environment(data_dir),
        timeout=120,
    )
    names = {case["full_name"] for case in json.loads(listed.stdout)}
    assert len(names) == 201 and {f"Patient {s} {n}" for s in "AB" for n in range(100)} <= names


def test_commands_starting_at_once_on_a_new_data_folder_all_accept_the_one_passphrase(tmp_path: Path) -> None:
    """Thirty rounds; in each two commands create the store of a new data folder at the same moment. One
    sets it up, the other finds it and unlocks it: never a second salt, never a rejected passphrase."""
    rounds = 30
    started = []
    for number in range(rounds):
        folder = tmp_path / f"data{number}"
        folder.mkdir()
        sources = [case_file(tmp_path, f"Round {number} Side {side}") for side in "AB"]
        started.append(
            (
                folder,
                [
                    subprocess.Popen(
                        [sys.executable, "-m", "cli", "case", "import", str(source)],
                        stdout=subprocess.PIPE,
                        stderr=subprocess.PIPE,
                        text=True,
                        env=environment(folder),
                    )
                    for source in sources
                ],
            )
        )
        if len(started) % 3 == 0:  # a few rounds at a time: two CPUs are shared
            for run in started[-3:]:
                for process in run[1]:
                    process.wait(timeout=300)
    failed = []
    for folder, processes in started:
        for process in processes:
            _out, err = process.communicate(timeout=300)
            if process.returncode != 0:
                failed.append((folder.name, err.strip()))
    assert failed == []
    for folder, _processes in started:
        vault = CaseVault(cases_db_path(folder))
        vault.unlock(PASS)
        store = vault.open(CODES, startup_backup=False)
        try:
            assert sum(1 for _ in store.all_rows()) == 2, folder.name
        finally:
            store.close()


BACKUPS = """
import sys
from datetime import datetime
from pathlib import Path
from db import backups
from db.crypto import key_for
store = Path(sys.argv[1])
at = datetime.fromisoformat(sys.argv[2])
key = key_for(store, sys.argv[3])
made = [backups.make_backup(store, backups.folder_for(store), key, at).path.name for _ in range(int(sys.argv[4]))]
print(" ".join(made), flush=True)
"""


def test_fifty_backups_in_one_second_all_succeed_and_none_replaces_another(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    vault = CaseVault(cases_db_path(data_dir))
    vault.setup(PASS)
    store = vault.open(CODES)
    for number in range(30):
        document = empty_document()
        document["patient"]["full_name"] = f"Backed Up {number}"
        store.create(document, "Desk")
    store.close()
    before = {b.path.name for b in vault.list_backups()}
    at = datetime(2026, 11, 20, 9, 30, 0, tzinfo=UTC)  # one second for all of them
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", BACKUPS, str(vault.path), at.isoformat(), PASS, "10"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=environment(data_dir),
        )
        for _ in range(5)
    ]
    made: list[str] = []
    for run in runs:
        out, err = run.communicate(timeout=300)
        assert run.returncode == 0, err
        made += out.split()
    assert len(made) == 50 and len(set(made)) == 50  # fifty names, none shared
    found = {b.path.name: b for b in backups.list_backups(vault.backups_folder) if b.made_at == at}
    assert set(found) == set(made) and not set(made) & before
    key = key_for(vault.path, PASS)
    assert all(backups.problems(b.path, key) is None for b in found.values())  # each one whole
    assert not [p.name for p in vault.backups_folder.iterdir() if p.name.startswith(".")]  # no temporary left


READER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN")
conn.execute("SELECT count(*) FROM cases").fetchone()  # a read transaction held open: a snapshot of the -wal
print("reading", flush=True)
sys.stdin.readline()
conn.execute("COMMIT")
conn.close()
print("closed", flush=True)
"""

IDLE = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
conn.execute("SELECT count(*) FROM cases").fetchone()  # connected, and no read left open
print("open", flush=True)
sys.stdin.readline()
conn.close()
"""


def _plain_store_with(data_dir: Path, tmp_path: Path, name: str) -> Path:
    data_dir.mkdir(parents=True)
    result = subprocess.run(
        [sys.executable, "-m", "cli", "case", "import", "--no-encryption", str(case_file(tmp_path, name))],
        capture_output=True,
        text=True,
        env=environment(data_dir, None),
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return cases_db_path(data_dir)


def _holder(code: str, path: Path) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-c", code, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert process.stdout.readline().strip() in ("reading", "open")
    return process


def _erase_first_case(data_dir: Path) -> subprocess.CompletedProcess:
    """`careplan case erase` of this year's first case, as a coordinator runs it."""
    return subprocess.run(
        [sys.executable, "-m", "cli", "case", "erase", "CP-" + str(datetime.now(UTC).year) + "-00001", "--yes"],
        capture_output=True,
        text=True,
        env=environment(data_dir, None),
        timeout=120,
    )


def test_an_erase_while_another_program_reads_is_not_reported_done(data_dir: Path, tmp_path: Path) -> None:
    name = "Wilhelmina Erasetestperson"
    path = _plain_store_with(data_dir, tmp_path, name)
    wal = path.with_name(path.name + "-wal")
    reader = _holder(READER, path)
    try:
        started = time.monotonic()
        erased = _erase_first_case(data_dir)
        waited = time.monotonic() - started
        assert erased.returncode == 1, erased.stdout + erased.stderr
        [line] = erased.stderr.splitlines()
        assert "is erased from the cases, but another program" in line and str(wal) in line
        assert "Erased case" not in erased.stdout
        assert waited >= 4  # SQLite waited for the reader (the busy timeout) before saying so
        assert wal.stat().st_size > 0  # the erase is only in the log: the store file still holds the patient
        assert name.encode() in path.read_bytes() + wal.read_bytes()  # the reason it is said
    finally:
        reader.stdin.write("\n")
        reader.stdin.flush()
        reader.communicate(timeout=30)
    assert not wal.exists() or name.encode() not in wal.read_bytes()  # the last one to close emptied it
    assert name.encode() not in path.read_bytes()


def test_an_erase_is_done_only_when_the_log_holds_nothing(data_dir: Path, tmp_path: Path) -> None:
    name = "Bartholomew Logtestperson"
    path = _plain_store_with(data_dir, tmp_path, name)
    idle = _holder(IDLE, path)  # another program has the store open (so the -wal stays), not reading
    try:
        erased = _erase_first_case(data_dir)
        assert erased.returncode == 0, erased.stderr
        assert erased.stdout.startswith("Erased case")
        wal = path.with_name(path.name + "-wal")
        assert not wal.exists() or wal.stat().st_size == 0
        raw = b"".join(p.read_bytes() for p in data_dir.iterdir() if p.name.startswith("cases.sqlite"))
        assert name.encode() not in raw
    finally:
        idle.communicate("\n", timeout=30)
