"""`careplan` and patient data privacy, as a user runs it: real processes on a real (SQLCipher) file.

Encryption on a new data directory, the passphrase from the environment or a terminal prompt, a wrong
passphrase that never opens or changes the store, the audit log, GDPR export and erase, backups and
a damaged store's way back.
"""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import re
import sqlite3
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from db.case_store import CaseStore
from db.paths import cases_db_path
from db.vault import CaseVault
from tests.cli.runner import careplan as run_careplan

PASSPHRASE = "correct horse battery"
INDICATIONS = {"lbcl", "mm", "b_all"}
NAME = "Zebulon Quixotefield"
COORDINATOR = "Desk Zoë"
PDF = b"%PDF-1.4\n" + bytes(range(256)) * 30 + b"\n%%EOF"
NEEDED = "error: CAREPLAN_PASSPHRASE: needed to open the encrypted case store"


def careplan(data_dir: Path, *args: str, **options) -> subprocess.CompletedProcess:
    return run_careplan(data_dir, *args, CAREPLAN_COORDINATOR=COORDINATOR, **options)


def case_file(tmp_path: Path, name: str = NAME, notes: str = "call after six") -> Path:
    path = tmp_path / f"{name.replace(' ', '_')}.json"
    document = {
        "format": "careplan-case",
        "version": 1,
        "patient": {"full_name": name, "date_of_birth": "1970-05-01", "language": "en"},
        "clinical": {"indication": "lbcl", "notes": notes},
    }
    path.write_text(json.dumps(document, ensure_ascii=False), "utf-8")
    return path


def imported(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, result.stderr
    match = re.match(r"Imported case (CP-\d{4}-\d{5})", result.stdout)
    assert match, result.stdout
    return match.group(1)


def open_store(data_dir: Path, passphrase: str | None = PASSPHRASE) -> CaseStore:
    """The store as the app opens it (through the vault), to add what the command line cannot."""
    vault = CaseVault(cases_db_path(data_dir))
    if passphrase is not None:
        vault.unlock(passphrase)
    return vault.open(INDICATIONS, check_same_thread=True, startup_backup=False)


def add_plans(data_dir: Path, reference: str, passphrase: str | None = PASSPHRASE) -> list[int]:
    store = open_store(data_dir, passphrase)
    try:
        case_id = store.by_reference(reference).id
        ids = []
        for locale, pdf in (("de", PDF), ("ru", PDF + b"ru")):
            version = store.add_plan_version(
                case_id, "Desk One", locale, ["DE"], {"DE": "€1–€2"}, "1", {"case": {}}, {"$type": "Plan"}, pdf
            )
            ids.append(version.id)
        return ids
    finally:
        store.close()


def store_files(data_dir: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in data_dir.iterdir() if p.name.startswith("cases.sqlite")}


# --- encryption and the passphrase ------------------------------------------------------------------


def test_new_data_dir_with_a_passphrase_gets_an_encrypted_store(data_dir: Path, tmp_path: Path) -> None:
    reference = imported(careplan(data_dir, "case", "import", str(case_file(tmp_path)), passphrase=PASSPHRASE))
    path = cases_db_path(data_dir)
    assert path.read_bytes()[:16] != b"SQLite format 3\x00"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(path).execute("select * from sqlite_master").fetchall()
    raw = b"".join(store_files(data_dir).values())
    assert NAME.encode() not in raw and reference.encode() not in raw
    for backup in (data_dir / "backups").iterdir():
        with pytest.raises(sqlite3.DatabaseError):
            sqlite3.connect(backup).execute("select * from sqlite_master").fetchall()
    listed = careplan(data_dir, "case", "list", "--json", passphrase=PASSPHRASE)
    assert listed.returncode == 0, listed.stderr
    assert [(c["reference"], c["full_name"]) for c in json.loads(listed.stdout)] == [(reference, NAME)]


def test_encrypted_store_without_a_passphrase_exits_2_with_one_line(data_dir: Path, tmp_path: Path) -> None:
    imported(careplan(data_dir, "case", "import", str(case_file(tmp_path)), passphrase=PASSPHRASE))
    before = store_files(data_dir)
    for args in (("case", "list"), ("audit",), ("case", "export", "CP-2026-00001", "-o", "-"), ("backup", "now")):
        result = careplan(data_dir, *args)
        assert result.returncode == 2, args
        assert result.stderr.splitlines() == [NEEDED]
        assert result.stdout == ""
    assert store_files(data_dir) == before


def test_wrong_passphrase_exits_2_and_leaves_the_file_as_it_was(data_dir: Path, tmp_path: Path) -> None:
    reference = imported(careplan(data_dir, "case", "import", str(case_file(tmp_path)), passphrase=PASSPHRASE))
    before = store_files(data_dir)
    backups_before = sorted(p.name for p in (data_dir / "backups").iterdir())
    for args in (("case", "list"), ("case", "erase", reference, "--yes"), ("case", "import", str(case_file(tmp_path)))):
        result = careplan(data_dir, *args, passphrase="not the passphrase")
        assert result.returncode == 2
        assert len(result.stderr.splitlines()) == 1
        assert result.stderr.startswith("error: CAREPLAN_PASSPHRASE: the passphrase does not open")
    assert store_files(data_dir) == before
    assert sorted(p.name for p in (data_dir / "backups").iterdir()) == backups_before
    listed = careplan(data_dir, "case", "list", passphrase=PASSPHRASE)
    assert listed.returncode == 0 and reference in listed.stdout and NAME in listed.stdout


def test_a_too_short_passphrase_on_a_new_store_is_refused_and_creates_nothing(data_dir: Path, tmp_path: Path) -> None:
    result = careplan(data_dir, "case", "import", str(case_file(tmp_path)), passphrase="short")
    assert result.returncode == 2
    assert result.stderr.splitlines() == ["error: CAREPLAN_PASSPHRASE: must be at least 8 characters"]
    assert not cases_db_path(data_dir).exists()


@pytest.mark.parametrize(
    "command",
    [
        ("case", "list"),
        ("case", "list", "--json"),
        ("audit",),
        ("backup", "list"),
        ("backup", "now"),
        ("case", "export", "CP-2026-00001", "-o", "-"),
        ("case", "export-data", "CP-2026-00001", "-o", "{tmp}/out.zip"),
        ("case", "erase", "CP-2026-00001", "--yes"),
    ],
    ids=lambda command: "-".join(part for part in command if not part.startswith(("{", "CP-", "-"))),
)
@pytest.mark.parametrize("passphrase", [None, PASSPHRASE], ids=["no-passphrase", "passphrase"])
def test_a_command_that_only_reads_creates_no_store_on_a_new_data_folder(
    data_dir: Path, tmp_path: Path, command: tuple[str, ...], passphrase: str | None
) -> None:
    result = careplan(data_dir, *(part.format(tmp=tmp_path) for part in command), passphrase=passphrase)
    assert result.returncode == 2, result.stdout + result.stderr
    assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith("error: no case store yet;")
    assert not cases_db_path(data_dir).exists() and not (data_dir / "backups").exists()
    assert not (tmp_path / "out.zip").exists()


def test_a_new_store_is_encrypted_or_plain_only_on_request(data_dir: Path, tmp_path: Path) -> None:
    refused = careplan(data_dir, "case", "import", str(case_file(tmp_path)))
    assert refused.returncode == 2 and len(refused.stderr.splitlines()) == 1
    assert "CAREPLAN_PASSPHRASE" in refused.stderr and "--no-encryption" in refused.stderr
    assert not cases_db_path(data_dir).exists()
    both = careplan(data_dir, "case", "import", "--no-encryption", str(case_file(tmp_path)), passphrase=PASSPHRASE)
    assert both.returncode == 2 and len(both.stderr.splitlines()) == 1
    assert not cases_db_path(data_dir).exists()

    reference = imported(careplan(data_dir, "case", "import", "--no-encryption", str(case_file(tmp_path))))
    path = cases_db_path(data_dir)
    assert path.read_bytes()[:16] == b"SQLite format 3\x00"
    assert not CaseVault(path).plain_chosen()  # made by the command line: the app warns before using it
    listed = careplan(data_dir, "case", "list", passphrase=PASSPHRASE)  # a passphrase does not change it...
    assert listed.returncode == 0 and reference in listed.stdout
    lines = listed.stderr.splitlines()  # ...and says so, on one line
    assert len(lines) == 1 and lines[0].startswith("warning: the case store") and "not encrypted" in lines[0]
    assert "CAREPLAN_PASSPHRASE was not used" in lines[0]
    assert path.read_bytes()[:16] == b"SQLite format 3\x00"
    quiet = careplan(data_dir, "case", "list")
    assert quiet.returncode == 0 and quiet.stderr == ""


def test_the_passphrase_is_asked_for_on_a_terminal(data_dir: Path, tmp_path: Path) -> None:
    reference = imported(careplan(data_dir, "case", "import", str(case_file(tmp_path)), passphrase=PASSPHRASE))
    environment = {k: v for k, v in os.environ.items() if k != "CAREPLAN_PASSPHRASE"}
    environment["CAREPLAN_DATA_DIR"] = str(data_dir)
    pid, fd = pty.fork()
    if pid == 0:  # the child: a real terminal as its controlling terminal
        os.execve(sys.executable, [sys.executable, "-m", "cli", "case", "list"], environment)
    output = b""
    deadline = time.monotonic() + 60
    try:
        while b"Passphrase for the case store" not in output and time.monotonic() < deadline:
            output += os.read(fd, 1024)
        assert b"Passphrase for the case store" in output
        os.write(fd, PASSPHRASE.encode() + b"\n")
        while time.monotonic() < deadline:
            try:
                chunk = os.read(fd, 1024)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0, output
    assert reference.encode() in output and NAME.encode() in output
    assert PASSPHRASE.encode() not in output  # not echoed


# --- audit log ------------------------------------------------------------------------------------


def test_audit_table_and_csv(data_dir: Path, tmp_path: Path) -> None:
    first = imported(careplan(data_dir, "case", "import", str(case_file(tmp_path)), passphrase=PASSPHRASE))
    second = imported(
        careplan(data_dir, "case", "import", str(case_file(tmp_path, "Other Person")), passphrase=PASSPHRASE)
    )
    out = tmp_path / "case.json"
    assert careplan(data_dir, "case", "export", first, "-o", str(out), passphrase=PASSPHRASE).returncode == 0
    table = careplan(data_dir, "audit", passphrase=PASSPHRASE)
    assert table.returncode == 0, table.stderr
    lines = table.stdout.splitlines()
    assert lines[0].split() == ["AT", "(UTC)", "WHO", "ACTION", "REFERENCE", "DETAIL"]
    assert len(lines) == 1 + 5  # created+imported twice, exported once
    assert "exported" in lines[-1] and first in lines[-1] and COORDINATOR in lines[-1]
    assert NAME not in table.stdout  # references only, never patient content

    target = tmp_path / "audit.csv"
    result = careplan(data_dir, "audit", "--csv", str(target), passphrase=PASSPHRASE)
    assert result.returncode == 0 and result.stdout.strip() == f"Wrote 5 audit entries to {target}"
    rows = list(csv.reader(io.StringIO(target.read_text("utf-8-sig"))))
    assert rows[0] == ["at", "who", "action", "reference", "detail"]
    assert [(r[2], r[3]) for r in rows[1:]] == [
        ("created", first),
        ("imported", first),
        ("created", second),
        ("imported", second),
        ("exported", first),
    ]
    assert all(r[1] == COORDINATOR for r in rows[1:])
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")

    one = tmp_path / "one.csv"
    result = careplan(data_dir, "audit", "--case", second, "--csv", str(one), passphrase=PASSPHRASE)
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO(one.read_text("utf-8-sig"))))
    assert [(r[2], r[3]) for r in rows[1:]] == [("created", second), ("imported", second)]

    missing = careplan(data_dir, "audit", "--case", "CP-1999-99999", passphrase=PASSPHRASE)
    assert missing.returncode == 2 and missing.stderr.splitlines() == ["error: CP-1999-99999: no such case"]
    nowhere = careplan(data_dir, "audit", "--csv", str(tmp_path / "no" / "a.csv"), passphrase=PASSPHRASE)
    assert nowhere.returncode == 2 and "--csv: no such folder" in nowhere.stderr


# --- GDPR export and erase ----------------------------------------------------------------------------


def test_export_data_writes_one_zip_with_everything(data_dir: Path, tmp_path: Path) -> None:
    reference = imported(careplan(data_dir, "case", "import", str(case_file(tmp_path)), passphrase=PASSPHRASE))
    versions = add_plans(data_dir, reference)
    target = tmp_path / f"{reference}_data.zip"
    result = careplan(data_dir, "case", "export-data", reference, "-o", str(target), passphrase=PASSPHRASE)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"Exported all data of case {reference} (2 plan PDFs) to {target}"
    store = open_store(data_dir)
    try:
        with zipfile.ZipFile(target) as archive:
            record = json.loads(archive.read("patient.json"))
            assert "README.txt" in archive.namelist()
            for version_id, locale in zip(versions, ("de", "ru"), strict=True):
                assert archive.read(f"plans/{reference}_v{version_id}_{locale}.pdf") == store.plan_pdf(version_id)
        assert record["reference"] == reference and record["case"]["patient"]["full_name"] == NAME
        assert record["status"] == "new" and record["created_at"] and record["updated_at"]
        assert record["history"][0]["field"] == "case"
        assert [p["id"] for p in record["plans"]] == versions
        assert [a["action"] for a in record["audit"]][:2] == ["created", "imported"]
        latest = store.audit_entries(store.by_reference(reference).id)[0]
        assert (latest.action, latest.who) == ("data_exported", COORDINATOR)
    finally:
        store.close()
    assert stat.S_IMODE(target.stat().st_mode) == 0o600

    for bad, message in (
        (("CP-1999-99999", "-o", str(tmp_path / "x.zip")), "error: CP-1999-99999: no such case"),
        ((reference, "-o", str(tmp_path / "no" / "x.zip")), f"error: -o: no such folder {tmp_path / 'no'}"),
    ):
        result = careplan(data_dir, "case", "export-data", *bad, passphrase=PASSPHRASE)
        assert result.returncode == 2 and result.stderr.splitlines() == [message]
    assert not (tmp_path / "x.zip").exists()


def test_erase_needs_yes(data_dir: Path, tmp_path: Path) -> None:
    reference = imported(careplan(data_dir, "case", "import", str(case_file(tmp_path)), passphrase=PASSPHRASE))
    result = careplan(data_dir, "case", "erase", reference, passphrase=PASSPHRASE)
    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert line.startswith(f"error: case erase: add --yes to erase {reference}") and "30 days" in line
    assert reference in careplan(data_dir, "case", "list", passphrase=PASSPHRASE).stdout


def test_erase_removes_case_history_plans_and_outbox_files(data_dir: Path, tmp_path: Path) -> None:
    reference = imported(careplan(data_dir, "case", "import", str(case_file(tmp_path)), passphrase=PASSPHRASE))
    other = imported(
        careplan(data_dir, "case", "import", str(case_file(tmp_path, "Other Person")), passphrase=PASSPHRASE)
    )
    add_plans(data_dir, reference)
    outbox = data_dir / "outbox"
    outbox.mkdir(mode=0o700)
    mine = [outbox / f"{reference}_email.eml", outbox / f"{reference}_Zebulon_Quixotefield_2026-11-26.pdf"]
    theirs = outbox / f"{other}_email.eml"
    for path in [*mine, theirs]:
        path.write_bytes(b"draft")
    store = open_store(data_dir)
    case_id = store.by_reference(reference).id
    store.close()

    result = careplan(data_dir, "case", "erase", reference, "--yes", passphrase=PASSPHRASE)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Erased case {reference} (2 plan versions, 2 outbox files)")
    assert not any(p.exists() for p in mine) and theirs.exists()
    store = open_store(data_dir)
    try:
        assert store.by_reference(reference) is None and store.get(case_id) is None
        for table in ("case_history", "plan_versions"):
            assert store.db.execute(f"SELECT count(*) FROM {table} WHERE case_id = ?", [case_id]).fetchone()[0] == 0
        assert store.audit_entries(case_id) == []
        orphans = [e for e in store.audit_entries() if e.case_id is None]
        assert {e.action for e in orphans} >= {"created", "imported", "plan_generated", "erased"}
        assert all(e.reference is None for e in orphans)
        assert all(e.detail == "" for e in orphans if e.action != "erased")
        erased = store.audit_entries()[0]
        assert (erased.action, erased.who) == ("erased", COORDINATOR) and reference not in erased.detail
        assert store.by_reference(other) is not None
    finally:
        store.close()
    listed = careplan(data_dir, "case", "list", passphrase=PASSPHRASE)
    assert reference not in listed.stdout and other in listed.stdout
    audit = careplan(data_dir, "audit", passphrase=PASSPHRASE)
    assert reference not in audit.stdout and NAME not in audit.stdout
    again = careplan(data_dir, "case", "erase", reference, "--yes", passphrase=PASSPHRASE)
    assert again.returncode == 2 and again.stderr.splitlines() == [f"error: {reference}: no such case"]


def test_after_erase_the_name_is_nowhere_in_an_unencrypted_store(data_dir: Path, tmp_path: Path) -> None:
    notes = "Remarkablenoteword"
    reference = imported(careplan(data_dir, "case", "import", "--no-encryption", str(case_file(tmp_path, NAME, notes))))
    for n in range(20):
        imported(careplan(data_dir, "case", "import", str(case_file(tmp_path, f"Neighbour Number{n}", "x"))))
    add_plans(data_dir, reference, passphrase=None)

    def raw() -> bytes:
        return b"".join(store_files(data_dir).values())

    before = raw()
    assert NAME.encode() in before and notes.encode() in before  # the check below can fail
    result = careplan(data_dir, "case", "erase", reference, "--yes")
    assert result.returncode == 0, result.stderr
    after = raw()
    for secret in (NAME, "Zebulon", "zebulon", "Quixotefield", "quixotefield", notes, notes.lower(), reference):
        assert secret.encode() not in after, secret
    assert b"Neighbour Number19" in after


# --- backups and a damaged store ------------------------------------------------------------------


def test_backup_now_list_and_a_damaged_store_restored(data_dir: Path, tmp_path: Path) -> None:
    reference = imported(careplan(data_dir, "case", "import", str(case_file(tmp_path)), passphrase=PASSPHRASE))
    made = careplan(data_dir, "backup", "now", passphrase=PASSPHRASE)
    assert made.returncode == 0, made.stderr
    backup = Path(re.match(r"Backed up the case store to (\S+) \(", made.stdout).group(1))
    assert backup.is_file() and stat.S_IMODE(backup.stat().st_mode) == 0o600
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(backup).execute("select * from sqlite_master").fetchall()
    listed = careplan(data_dir, "backup", "list")  # needs no passphrase: only names, times and sizes
    assert listed.returncode == 0 and str(backup) in listed.stdout

    path = cases_db_path(data_dir)
    damaged = bytearray(path.read_bytes())
    damaged[8192:40960] = b"\x55" * (40960 - 8192)
    path.write_bytes(bytes(damaged))
    result = careplan(data_dir, "case", "list", passphrase=PASSPHRASE)
    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert line.startswith("error: the case store is damaged")
    assert f"the newest good backup is {backup}" in line
    assert line.endswith(f"restore it with: careplan backup restore {backup}")
    assert path.read_bytes() == bytes(damaged)  # never replaced silently

    wrong = careplan(data_dir, "backup", "restore", str(backup), passphrase="not the passphrase")
    assert wrong.returncode == 2 and "does not open the backup" in wrong.stderr
    assert path.read_bytes() == bytes(damaged)

    restored = careplan(data_dir, "backup", "restore", backup.name, passphrase=PASSPHRASE)
    assert restored.returncode == 0, restored.stderr
    assert restored.stdout.startswith(f"Restored the case store from {backup}")
    kept = re.search(r"kept as (\S+)$", restored.stdout.strip()).group(1)
    assert Path(kept).read_bytes() == bytes(damaged)
    listed = careplan(data_dir, "case", "list", passphrase=PASSPHRASE)
    assert listed.returncode == 0 and reference in listed.stdout
    audit = careplan(data_dir, "audit", passphrase=PASSPHRASE)
    assert "backup_restored" in audit.stdout.splitlines()[-1] and backup.name in audit.stdout


def test_restore_of_a_missing_or_bad_file_changes_nothing(data_dir: Path, tmp_path: Path) -> None:
    imported(careplan(data_dir, "case", "import", str(case_file(tmp_path)), passphrase=PASSPHRASE))
    before = store_files(data_dir)
    missing = careplan(data_dir, "backup", "restore", str(tmp_path / "nope.sqlite"), passphrase=PASSPHRASE)
    assert missing.returncode == 2 and missing.stderr.splitlines() == [
        f"error: {tmp_path / 'nope.sqlite'}: no such backup file"
    ]
    plain = tmp_path / "plain.sqlite"
    sqlite3.connect(plain).execute("create table t (x)")
    refused = careplan(data_dir, "backup", "restore", str(plain), passphrase=PASSPHRASE)
    assert refused.returncode == 2 and "unencrypted backup cannot replace the encrypted" in refused.stderr
    assert store_files(data_dir) == before


def test_command_line_runs_do_not_rotate_the_backups_away(data_dir: Path, tmp_path: Path) -> None:
    imported(careplan(data_dir, "case", "import", str(case_file(tmp_path)), passphrase=PASSPHRASE))
    for _ in range(3):
        assert careplan(data_dir, "case", "list", passphrase=PASSPHRASE).returncode == 0
    assert len(list((data_dir / "backups").glob("cases-*.sqlite"))) == 1  # the daily one only
