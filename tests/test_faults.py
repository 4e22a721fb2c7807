"""Fault tests with real processes and real files: killed mid-burst, disk full, damaged file, wrong passphrase.

Each fault is made the way it happens: a child process is SIGKILLed while it writes, a child process
runs out of file space (RLIMIT_FSIZE, so its writes fail in the kernel), bytes of the database file
are overwritten. The parent then opens the store again with the real code and checks what survived.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import resource
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from db import backups
from db.crypto import WrongPassphrase
from db.paths import cases_db_path
from db.vault import CaseVault, StoreDamaged
from planning.case import empty_document
from planning.files import write_atomic

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
PASS = "fault test passphrase"
CODES = {"lbcl"}
FULL_DISK = ("database or disk is full", "disk I/O error")
"""SQLite's words for a write the file system refused (ENOSPC, or EFBIG past RLIMIT_FSIZE)."""
SAID_FULL = "The disk is full. Free some space and try again; nothing was lost."
SAID_IO = "The disk could not be read or written (an input/output error)."
"""What both faces say instead (services.faults): RLIMIT_FSIZE reaches SQLite as an I/O error."""

BURST = """
import itertools, os, sys
from db.vault import CaseVault
from planning.case import empty_document
vault = CaseVault(sys.argv[1])
if vault.encrypted:
    vault.unlock(os.environ["CAREPLAN_PASSPHRASE"])
store = vault.open({"lbcl"}, startup_backup=False)
print("open", flush=True)
document = empty_document()
for number in itertools.count():
    document["patient"]["full_name"] = f"Burst Patient {sys.argv[2]}-{number}"
    document["clinical"]["notes"] = f"note {number} " + "z" * 3000
    print(store.create(document, "burst").reference, flush=True)  # only after the commit returned
"""

FILL = """
import os, resource, sys
from db.vault import CaseVault
from planning.case import empty_document
vault = CaseVault(sys.argv[1])
vault.unlock(os.environ["CAREPLAN_PASSPHRASE"])
store = vault.open({"lbcl"}, startup_backup=False)
limit = int(sys.argv[2])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))  # from here on the files cannot grow past limit
document = empty_document()
try:
    for number in range(100_000):
        document["patient"]["full_name"] = f"Full Disk {number}"
        document["clinical"]["notes"] = f"note {number} " + "y" * 20_000
        print(store.create(document, "fill").reference, flush=True)
except Exception as exc:
    print("failed", type(exc).__name__, exc, flush=True)
    sys.exit(3)
"""

ATOMIC = """
import sys
from pathlib import Path
from planning.files import write_atomic
try:
    write_atomic(Path(sys.argv[1]), b"n" * 1_000_000)
except OSError as exc:
    print("failed", exc.errno, flush=True)
    sys.exit(3)
"""


def environment(data_dir: Path, passphrase: str | None = PASS) -> dict[str, str]:
    env = {**os.environ, "CAREPLAN_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    env.pop("CAREPLAN_PASSPHRASE", None)
    if passphrase is not None:
        env["CAREPLAN_PASSPHRASE"] = passphrase
    return env


def python(code: str, *args: str, data_dir: Path, passphrase: str | None = PASS, **kwargs) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment(data_dir, passphrase),
        **kwargs,
    )


def careplan(*args: str, data_dir: Path, passphrase: str | None = PASS, fsize: int | None = None):
    """The real command line in its own process; ``fsize`` caps how large any file it writes may grow."""

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a refused write is an error, not a killed process
        resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

    return subprocess.run(
        [sys.executable, "-m", "cli", *args],
        capture_output=True,
        text=True,
        env=environment(data_dir, passphrase),
        preexec_fn=limit if fsize is not None else None,
        timeout=120,
    )


def fingerprint(path: Path) -> dict[str, str | bool | None]:
    """sha256 of the store and of its -wal (None when absent), the store's mtime, whether -shm exists.

    The -shm is SQLite's shared-memory index of the -wal (no data): any reader may update it.
    """
    found: dict[str, str | bool | None] = {"mtime": str(path.stat().st_mtime_ns)}
    for suffix in ("", "-wal"):
        file = path.with_name(path.name + suffix)
        found[suffix or "db"] = hashlib.sha256(file.read_bytes()).hexdigest() if file.exists() else None
    found["-shm"] = path.with_name(path.name + "-shm").exists()
    return found


def new_vault(data_dir: Path, passphrase: str | None = PASS, cases: int = 0) -> tuple[CaseVault, list[str]]:
    data_dir.mkdir(parents=True, exist_ok=True)
    vault = CaseVault(cases_db_path(data_dir))
    vault.setup(passphrase)
    store = vault.open(CODES)
    references = []
    for number in range(cases):
        document = empty_document()
        document["patient"]["full_name"] = f"Kept Patient {number}"
        document["clinical"]["notes"] = "k" * 2000
        references.append(store.create(document, "setup").reference)
    store.close()
    return vault, references


def reopen(path: Path, passphrase: str | None = PASS):
    vault = CaseVault(path)
    if passphrase is not None:
        vault.unlock(passphrase)
    return vault, vault.open(CODES, check_same_thread=True, startup_backup=False)


def kill(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL


# --- (a) SIGKILL during a burst of writes ---------------------------------------------------------


@pytest.mark.parametrize("passphrase", [PASS, None], ids=["encrypted", "plain"])
def test_kill_during_a_burst_of_writes_loses_no_committed_case(data_dir: Path, passphrase: str | None) -> None:
    vault, kept = new_vault(data_dir, passphrase, cases=3)
    printed: list[str] = []
    for round_number in range(3):  # killed three times, at whatever point each burst had reached
        process = python(BURST, str(vault.path), str(round_number), data_dir=data_dir, passphrase=passphrase)
        try:
            assert process.stdout.readline() == "open\n", process.stderr.read()
            for _ in range(40 + 17 * round_number):
                line = process.stdout.readline().strip()
                assert line.startswith("CP-"), line + process.stderr.read()
                printed.append(line)
        finally:
            kill(process)
    assert vault.path.with_name(vault.path.name + "-wal").exists()  # killed with commits only in the WAL

    _, store = reopen(vault.path, passphrase)
    try:
        assert store.db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        missing = [r for r in kept + printed if store.by_reference(r) is None]
        assert missing == []
        found = store.by_reference(printed[-1])
        assert found.document["clinical"]["notes"].endswith("z" * 3000)
        audit = {e.reference for e in store.audit_entries() if e.action == "created"}
        assert set(printed) <= audit  # each case and its audit entry were one transaction
    finally:
        store.close()
    if passphrase is not None:
        assert b"Burst Patient" not in vault.path.read_bytes()


def test_a_wrong_passphrase_after_a_kill_leaves_the_unrecovered_wal_alone(data_dir: Path) -> None:
    vault, _ = new_vault(data_dir)
    process = python(BURST, str(vault.path), "w", data_dir=data_dir)
    printed = []
    try:
        assert process.stdout.readline() == "open\n", process.stderr.read()
        printed = [process.stdout.readline().strip() for _ in range(30)]
    finally:
        kill(process)
    before = fingerprint(vault.path)
    assert before["-wal"] is not None
    for wrong in ("fault test passphrasE", "not it at all"):
        with pytest.raises(WrongPassphrase):
            CaseVault(vault.path).unlock(wrong)
    assert fingerprint(vault.path) == before
    _, store = reopen(vault.path)
    assert all(store.by_reference(r) is not None for r in printed)
    store.close()


# --- (b) disk full ----------------------------------------------------------------------------------


def test_disk_full_during_writes_fails_clearly_and_keeps_every_commit(data_dir: Path) -> None:
    vault, kept = new_vault(data_dir, cases=5)
    limit = vault.path.stat().st_size + 150_000  # room for a few cases, then every write is refused
    process = python(FILL, str(vault.path), str(limit), data_dir=data_dir)
    out, err = process.communicate(timeout=120)
    lines = out.splitlines()
    assert process.returncode == 3, out + err
    printed = [line for line in lines if line.startswith("CP-")]
    failure = lines[-1]
    assert failure.startswith("failed OperationalError"), out + err
    assert any(words in failure for words in FULL_DISK), failure
    assert printed, "some cases fit before the disk was full"

    _, store = reopen(vault.path)
    try:
        assert store.db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert [r for r in kept + printed if store.by_reference(r) is None] == []
        stored = {row.full_name for row in store.all_rows() if row.full_name.startswith("Full Disk")}
        assert len(stored) == len(printed)  # the refused case was rolled back whole
    finally:
        store.close()


def test_the_command_line_on_a_full_disk_prints_one_clear_line_and_changes_nothing(
    data_dir: Path, tmp_path: Path
) -> None:
    small, big = tmp_path / "small.json", tmp_path / "big.json"
    document = empty_document()
    document["patient"]["full_name"] = "Disk Roomy"
    small.write_text(json.dumps(document), "utf-8")
    document["patient"]["full_name"] = "Disk Overflow"
    document["clinical"]["notes"] = "o" * 90_000
    big.write_text(json.dumps(document), "utf-8")

    first = careplan("case", "import", str(small), data_dir=data_dir)  # a new store, its passphrase from the env
    assert first.returncode == 0, first.stderr
    store_path = cases_db_path(data_dir)
    assert CaseVault(store_path).encrypted
    fsize = store_path.stat().st_size + 20_000
    before = careplan("case", "list", "--json", data_dir=data_dir)
    assert before.returncode == 0, before.stderr

    full = careplan("case", "import", str(big), data_dir=data_dir, fsize=fsize)
    assert full.returncode != 0
    assert "Traceback" not in full.stderr
    lines = full.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:"), full.stderr
    assert SAID_FULL in lines[0] or SAID_IO in lines[0], lines[0]
    assert "damaged" not in lines[0] and "restore" not in lines[0]
    assert "Disk Overflow" not in full.stderr + full.stdout

    after = careplan("case", "list", "--json", data_dir=data_dir)
    assert after.returncode == 0, after.stderr
    assert after.stdout == before.stdout
    _, store = reopen(store_path)
    assert store.db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    store.close()


def test_write_atomic_refused_by_the_file_system_keeps_the_old_file_and_no_part(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    target = data_dir / "plan.pdf"
    target.write_bytes(b"the old plan")

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (64_000, 64_000))

    process = python(ATOMIC, str(target), data_dir=data_dir, preexec_fn=limit)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 3, out + err
    assert out.split() == ["failed", str(errno.EFBIG)]
    assert target.read_bytes() == b"the old plan"
    assert sorted(p.name for p in data_dir.iterdir()) == ["plan.pdf"]


@pytest.mark.parametrize("where", ["write", "fsync"])
def test_write_atomic_on_enospc_keeps_the_old_file_and_no_part(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    target = tmp_path / "audit.csv"
    target.write_bytes(b"old,contents\n")

    def no_space(*_args) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    if where == "fsync":
        monkeypatch.setattr(os, "fsync", no_space)
    else:
        real_fdopen = os.fdopen

        def fdopen(fd, *args, **kwargs):
            handle = real_fdopen(fd, *args, **kwargs)

            class Full:  # the file object whose write the kernel refuses
                def __enter__(self):
                    return self

                def __exit__(self, *exc):
                    handle.close()

                def write(self, _data):
                    no_space()

                def __getattr__(self, name):
                    return getattr(handle, name)

            return Full()

        monkeypatch.setattr(os, "fdopen", fdopen)
    with pytest.raises(OSError) as raised:
        write_atomic(target, b"new contents that do not fit")
    assert raised.value.errno == errno.ENOSPC
    assert target.read_bytes() == b"old,contents\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["audit.csv"]


# --- (c) a damaged database file -------------------------------------------------------------------


def damage(path: Path, where: str) -> None:
    """Overwrite bytes of the closed store: in its middle pages, or in page 1."""
    size = path.stat().st_size
    with open(path, "r+b") as file:
        if where == "page 1":
            file.seek(40)
            file.write(b"\xa5" * 800)
        else:
            file.seek((size // 2) // 4096 * 4096)
            file.write(b"\x5a" * 4096 * 3)


@pytest.mark.parametrize("where", ["middle pages", "page 1"])
@pytest.mark.parametrize("passphrase", [PASS, None], ids=["encrypted", "plain"])
def test_a_damaged_store_names_the_newest_good_backup_and_restoring_it_gives_back_the_cases(
    data_dir: Path, where: str, passphrase: str | None
) -> None:
    vault, references = new_vault(data_dir, passphrase, cases=150)
    older = vault.backup(backups.list_backups(vault.backups_folder)[0].made_at - timedelta(hours=2))
    newest = vault.backup()
    assert [b.path for b in vault.list_backups()][:1] == [newest.path] and older.path.exists()
    damage(vault.path, where)
    damaged = fingerprint(vault.path)

    again = CaseVault(vault.path)
    with pytest.raises(StoreDamaged) as raised:
        if passphrase is not None:
            again.unlock(passphrase)
        again.open(CODES)
    assert raised.value.backup is not None and raised.value.backup.path == newest.path
    assert raised.value.problem
    after = fingerprint(vault.path)
    assert (after["db"], after["mtime"]) == (damaged["db"], damaged["mtime"])  # never replaced nor emptied
    assert again.list_backups()[0].path == newest.path  # no backup was made of the damaged file

    aside = again.restore(raised.value.backup.path)
    assert aside is not None and hashlib.sha256(aside.read_bytes()).hexdigest() == damaged["db"]
    _, store = reopen(vault.path, passphrase)
    try:
        assert store.db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert [r for r in references if store.by_reference(r) is None] == []
    finally:
        store.close()


def test_a_damaged_newest_backup_is_skipped_for_the_one_before(data_dir: Path) -> None:
    vault, _ = new_vault(data_dir, cases=40)
    good = vault.backup(backups.list_backups(vault.backups_folder)[0].made_at - timedelta(hours=2))
    bad = vault.backup()
    damage(bad.path, "middle pages")
    damage(vault.path, "page 1")
    expected = next(b for b in vault.list_backups() if b.path != bad.path)  # the start-up one, or ``good``
    assert good.path in [b.path for b in vault.list_backups()]
    with pytest.raises(StoreDamaged) as raised:
        CaseVault(vault.path).unlock(PASS)
    assert raised.value.backup.path == expected.path


def test_the_command_line_names_the_backup_and_restores_it(data_dir: Path) -> None:
    vault, references = new_vault(data_dir, cases=30)
    newest = vault.backup()
    damage(vault.path, "page 1")

    listed = careplan("case", "list", "--json", data_dir=data_dir)
    assert listed.returncode == 2
    assert "Traceback" not in listed.stderr and len(listed.stderr.strip().splitlines()) == 1
    assert str(newest.path) in listed.stderr

    restored = careplan("backup", "restore", newest.path.name, data_dir=data_dir)
    assert restored.returncode == 0, restored.stderr
    listed = careplan("case", "list", "--json", data_dir=data_dir)
    assert listed.returncode == 0, listed.stderr
    assert set(references) <= {case["reference"] for case in json.loads(listed.stdout)}


# --- (d) a wrong passphrase never opens or damages -------------------------------------------------


def test_a_wrong_passphrase_never_opens_nor_changes_the_store_while_another_process_has_it_open(
    data_dir: Path,
) -> None:
    vault, references = new_vault(data_dir, cases=10)
    holder = python(BURST, str(vault.path), "h", data_dir=data_dir, stdin=subprocess.PIPE)
    try:
        assert holder.stdout.readline() == "open\n", holder.stderr.read()
        written = [holder.stdout.readline().strip() for _ in range(5)]
        holder.send_signal(signal.SIGSTOP)  # the other process holds the store open, with its -wal
        before = fingerprint(vault.path)
        assert before["-wal"] is not None and before["-shm"]
        for wrong in ("", "fault test", PASS[:-1], PASS + "!"):
            with pytest.raises(WrongPassphrase):
                CaseVault(vault.path).unlock(wrong)
        attempt = careplan("case", "list", data_dir=data_dir, passphrase="definitely wrong")
        assert attempt.returncode == 2 and "nothing was changed" in attempt.stderr
        assert "Kept Patient" not in attempt.stdout + attempt.stderr
        assert fingerprint(vault.path) == before
    finally:
        holder.send_signal(signal.SIGCONT)
        kill(holder)
    _, store = reopen(vault.path)
    assert all(store.by_reference(r) is not None for r in references + written)
    store.close()


def test_a_wrong_passphrase_on_a_closed_store_changes_no_byte_and_creates_no_file(data_dir: Path) -> None:
    vault, _ = new_vault(data_dir, cases=5)
    before = fingerprint(vault.path)
    assert before["-wal"] is None and not before["-shm"]
    listing = sorted(str(p) for p in data_dir.rglob("*"))
    backup_digests = {b.path: hashlib.sha256(b.path.read_bytes()).hexdigest() for b in vault.list_backups()}
    attempt = careplan("case", "list", data_dir=data_dir, passphrase="definitely wrong")
    assert attempt.returncode == 2, attempt.stderr
    with pytest.raises(WrongPassphrase):
        CaseVault(vault.path).unlock("definitely wrong")
    assert fingerprint(vault.path) == before
    assert sorted(str(p) for p in data_dir.rglob("*") if "knowledge" not in p.name) == [
        p for p in listing if "knowledge" not in p
    ]
    assert {b.path: hashlib.sha256(b.path.read_bytes()).hexdigest() for b in vault.list_backups()} == backup_digests


# --- (b2) a really full disk and a read-only data folder: named so, and no restore offered ----------


def test_on_a_really_full_disk_the_command_line_says_so_and_the_store_stays(tmp_path: Path) -> None:
    from tests.real_faults import fill, small_disk

    # 16 MiB: room for the knowledge store (4.4 MB with the pack in six languages and its search index, about
    # twice that while it is built, with its write-ahead log), then the disk is filled to the last byte before
    # the import that must fail
    with small_disk(tmp_path / "disk", 16384) as data_dir:
        document = empty_document()
        document["patient"].update(full_name="Roomy Patient", date_of_birth="1970-05-01")
        document["clinical"]["indication"] = "lbcl"
        small = tmp_path / "small.json"
        small.write_text(json.dumps(document), "utf-8")
        assert careplan("case", "import", str(small), data_dir=data_dir).returncode == 0
        before = careplan("case", "list", "--json", data_dir=data_dir)
        fill(data_dir)
        document["patient"]["full_name"] = "Overflow Patient"
        document["clinical"]["notes"] = "o" * 300_000
        big = tmp_path / "big.json"
        big.write_text(json.dumps(document), "utf-8")

        for command in (("case", "import", str(big)), ("case", "list"), ("backup", "now")):
            full = careplan(*command, data_dir=data_dir)  # (with no room, SQLite cannot even read: no -shm)
            assert full.returncode == 1, full.stdout + full.stderr
            assert full.stderr.strip().splitlines() == [f"error: {SAID_FULL}"], command
        assert not [p for p in (data_dir / "backups").iterdir() if p.name.startswith(".")]  # no partial left
        (data_dir / "filler").unlink()  # space freed: everything is there, and nothing needed restoring
        after = careplan("case", "list", "--json", data_dir=data_dir)
        assert after.returncode == 0 and after.stdout == before.stdout
        vault = CaseVault(cases_db_path(data_dir))
        vault.unlock(PASS)
        vault.open(CODES, startup_backup=False).close()  # no StoreDamaged


def test_a_read_only_data_folder_is_named_so_and_no_restore_is_offered(data_dir: Path) -> None:
    from tests.real_faults import read_only_folder

    vault, references = new_vault(data_dir, cases=5)
    before = fingerprint(vault.path)
    with read_only_folder(data_dir):
        listed = careplan("case", "list", data_dir=data_dir)
        with pytest.raises(Exception) as raised:
            again = CaseVault(vault.path)
            again.unlock(PASS)
            again.open(CODES, startup_backup=False)
    assert not isinstance(raised.value, StoreDamaged)
    assert listed.returncode == 1, listed.stdout + listed.stderr
    assert listed.stderr.strip().splitlines() == [
        f"error: The data folder {data_dir} is read-only, so nothing could be saved. Nothing was lost: make the "
        "folder writable and try again."
    ]
    assert fingerprint(vault.path)["db"] == before["db"]
    _, store = reopen(vault.path)
    assert all(store.by_reference(r) is not None for r in references)
    store.close()
