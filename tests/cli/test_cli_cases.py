"""`careplan case import/export/list` as a user runs it: real processes, exit codes, one line per problem."""

from __future__ import annotations

import getpass
import json
import os
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from cli.main import CliError, load_case_file, write_atomically
from db.case_store import CaseStore
from planning.case import Case

INDICATIONS = {"lbcl", "mm", "b_all"}
LIST_KEYS = {
    "reference",
    "full_name",
    "date_of_birth",
    "indication",
    "status",
    "follow_up",
    "created_at",
    "updated_at",
    "sample",
    "problems",
}


def careplan(data_dir: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    """The command line in its own process; an import may create a plain store (the tests of encryption
    are in test_cli_security.py)."""
    environment = {**os.environ, "CAREPLAN_DATA_DIR": str(data_dir), **env}
    environment.pop("CAREPLAN_PASSPHRASE", None)
    if args[:2] == ("case", "import"):
        args = (*args, "--no-encryption")
    return subprocess.run(
        [sys.executable, "-m", "cli", *args], capture_output=True, text=True, env=environment, timeout=60
    )


def valid_case() -> dict[str, Any]:
    return {
        "format": "careplan-case",
        "version": 1,
        "patient": {
            "full_name": "José García",
            "date_of_birth": "1970-05-01",
            "sex": "male",
            "nationality": "es",
            "language": "zh_CN",
        },
        "clinical": {"indication": "lbcl", "disease_status": "relapsed", "prior_lines": 2, "ecog": 1, "pregnant": None},
        "preferences": {"destinations": ["CN", "DE"], "currency": "EUR", "budget": "12000.50", "companions": 1},
        "coordinator": {"name": "Desk Zoë", "email": "desk@example.org"},
    }


def write(path: Path, document: Any) -> Path:
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2), "utf-8")
    return path


def imported_reference(result: subprocess.CompletedProcess, file: Path) -> str:
    assert result.returncode == 0, result.stderr
    match = re.fullmatch(r"Imported case (CP-\d{4}-\d{5}) \((.+)\)", result.stdout.strip())
    assert match, result.stdout
    assert match.group(2) == str(file)
    return match.group(1)


def listed(data_dir: Path, *args: str) -> list[dict[str, Any]]:
    result = careplan(data_dir, "case", "list", "--json", *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def no_traceback(result: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in result.stderr
    assert "Traceback" not in result.stdout


# --- import, list, export ----------------------------------------------------------------------


def test_import_list_and_export_round_trip(data_dir: Path, tmp_path: Path) -> None:
    source = write(tmp_path / "jose.json", valid_case())
    reference = imported_reference(careplan(data_dir, "case", "import", str(source)), source)
    assert reference == f"CP-{datetime.now(UTC).year}-00001"

    (row,) = listed(data_dir)
    assert set(row) == LIST_KEYS
    assert row["reference"] == reference
    assert (row["full_name"], row["date_of_birth"], row["indication"]) == ("José García", "1970-05-01", "lbcl")
    assert (row["status"], row["follow_up"], row["sample"], row["problems"]) == ("new", None, False, 0)
    assert row["created_at"] == row["updated_at"]

    out = tmp_path / "export" / "case.json"
    out.parent.mkdir()
    result = careplan(data_dir, "case", "export", reference, "-o", str(out))
    assert result.returncode == 0, result.stderr
    raw = out.read_bytes()
    text = raw.decode("utf-8")
    assert text.endswith("}\n")
    assert "José García" in text  # UTF-8, not \u escapes
    exported = json.loads(text)
    assert exported == valid_case() | {"reference": reference, "version": 2}  # a version-1 file exports as 2
    assert list(exported)[:3] == ["format", "version", "reference"]
    assert sorted(p.name for p in out.parent.iterdir()) == ["case.json"]  # no temporary file left

    to_stdout = careplan(data_dir, "case", "export", reference, "-o", "-")
    assert to_stdout.returncode == 0, to_stdout.stderr
    assert json.loads(to_stdout.stdout) == exported
    assert to_stdout.stdout == text


def test_exported_file_imports_again_as_the_same_case(data_dir: Path, tmp_path: Path) -> None:
    source = write(tmp_path / "jose.json", valid_case() | {"reference": "EXT-7"})
    assert imported_reference_or_given(careplan(data_dir, "case", "import", str(source))) == "EXT-7"
    out = tmp_path / "again.json"
    assert careplan(data_dir, "case", "export", "EXT-7", "-o", str(out)).returncode == 0
    other = tmp_path / "other-data"
    again = careplan(other, "case", "import", str(out))
    assert again.returncode == 0, again.stderr
    assert listed(other)[0]["reference"] == "EXT-7"
    back = careplan(other, "case", "export", "EXT-7", "-o", "-")
    assert json.loads(back.stdout) == json.loads(out.read_text("utf-8"))


def imported_reference_or_given(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, result.stderr
    match = re.fullmatch(r"Imported case (\S+) \(.+\)", result.stdout.strip())
    assert match, result.stdout
    return match.group(1)


def test_import_records_the_coordinator_in_the_history(data_dir: Path, tmp_path: Path) -> None:
    source = write(tmp_path / "jose.json", valid_case())
    reference = imported_reference(
        careplan(data_dir, "case", "import", str(source), CAREPLAN_COORDINATOR="Desk Zoë"), source
    )
    store = CaseStore.open(data_dir / "cases.sqlite", INDICATIONS)
    try:
        stored = store.by_reference(reference)
        assert stored is not None
        assert [(h.who, h.field, h.new) for h in store.history(stored.id)] == [("Desk Zoë", "case", "created")]
    finally:
        store.close()


def test_import_without_a_coordinator_name_uses_the_login_name(data_dir: Path, tmp_path: Path) -> None:
    source = write(tmp_path / "jose.json", valid_case())
    env = {k: v for k, v in os.environ.items() if k != "CAREPLAN_COORDINATOR"}
    env.update(CAREPLAN_DATA_DIR=str(data_dir))
    result = subprocess.run(
        [sys.executable, "-m", "cli", "case", "import", "--no-encryption", str(source)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    reference = imported_reference(result, source)
    store = CaseStore.open(data_dir / "cases.sqlite", INDICATIONS)
    try:
        (entry,) = store.history(store.by_reference(reference).id)
        try:
            expected = getpass.getuser()
        except (OSError, KeyError):
            expected = "unknown"
        assert entry.who == expected
    finally:
        store.close()


def test_list_table_and_status_filter(data_dir: Path, tmp_path: Path) -> None:
    new = careplan(data_dir, "case", "list")  # no store yet, and listing creates none
    assert new.returncode == 2 and new.stderr.startswith("error: no case store yet;")
    assert not (data_dir / "cases.sqlite").exists()
    first = write(tmp_path / "a.json", valid_case())
    second = write(tmp_path / "b.json", {"patient": {"full_name": "Ольга Петрова"}})
    ref_a = imported_reference(careplan(data_dir, "case", "import", str(first)), first)
    ref_b = imported_reference(careplan(data_dir, "case", "import", str(second)), second)
    table = careplan(data_dir, "case", "list")
    assert table.returncode == 0, table.stderr
    lines = table.stdout.strip().splitlines()
    assert len(lines) == 3  # a header and one line per case, by reference
    assert lines[1].startswith(ref_a) and "José García" in lines[1] and " new " in lines[1]
    assert lines[2].startswith(ref_b) and "Ольга Петрова" in lines[2]
    assert datetime.now(UTC).date().isoformat() in lines[1]  # updated today
    assert [r["reference"] for r in listed(data_dir, "--status", "new")] == [ref_a, ref_b]
    assert listed(data_dir, "--status", "closed") == []
    closed = careplan(data_dir, "case", "list", "--status", "closed")
    assert closed.stdout.strip() == "No cases."
    wrong = careplan(data_dir, "case", "list", "--status", "finished")
    assert wrong.returncode == 2
    no_traceback(wrong)


# --- bad input ---------------------------------------------------------------------------------


def test_invalid_case_is_refused_with_one_line_per_problem(data_dir: Path, tmp_path: Path) -> None:
    document = valid_case()
    document["patient"].update(date_of_birth="2026-02-30", sex="f")
    document["clinical"].update(indication="zzz", ecog=5)
    document["preferences"]["currency"] = "XYZ"
    document["hobby"] = "chess"
    source = write(tmp_path / "bad.json", document)
    result = careplan(data_dir, "case", "import", str(source))
    assert result.returncode == 2
    no_traceback(result)
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert sorted(lines) == sorted(
        [
            "error: hobby: unknown field",
            "error: patient.date_of_birth: must be a date as YYYY-MM-DD",
            "error: patient.sex: must be one of female, male, other, unknown",
            "error: clinical.indication: unknown code zzz",
            "error: clinical.ecog: must be 0-4",
            "error: preferences.currency: unknown code XYZ",
        ]
    )
    assert not (data_dir / "cases.sqlite").exists()  # a file that cannot be imported creates no store


def test_a_taken_reference_is_refused_and_kept_beside_with_as_new(data_dir: Path, tmp_path: Path) -> None:
    source = write(tmp_path / "a.json", valid_case() | {"reference": "EXT-1"})
    assert careplan(data_dir, "case", "import", str(source)).returncode == 0
    again = careplan(data_dir, "case", "import", str(source))
    assert again.returncode == 2
    assert again.stderr.strip() == (
        f"error: {source}: already imported: case EXT-1 has the same reference; "
        "add --as-new to import it beside it as a new case"
    )
    assert len(listed(data_dir)) == 1
    both = careplan(data_dir, "case", "import", "--as-new", str(source))
    assert both.returncode == 0, both.stderr
    second = imported_reference(both, source)
    assert second != "EXT-1"
    assert sorted(r["reference"] for r in listed(data_dir)) == sorted(["EXT-1", second])


def test_the_same_patient_under_another_reference_is_refused(data_dir: Path, tmp_path: Path) -> None:
    """Same name (case and accents aside) and date of birth: the same patient, named in one line."""
    first = write(tmp_path / "a.json", valid_case())
    reference = imported_reference(careplan(data_dir, "case", "import", str(first)), first)
    document = valid_case() | {"reference": "OTHER-7"}
    document["patient"]["full_name"] = "JOSE GARCIA"
    second = write(tmp_path / "b.json", document)
    result = careplan(data_dir, "case", "import", str(second))
    assert result.returncode == 2
    no_traceback(result)
    (line,) = result.stderr.strip().splitlines()
    assert line == (
        f"error: {second}: already imported: case {reference} has the same name and date of birth; "
        "add --as-new to import it beside it as a new case"
    )
    assert len(listed(data_dir)) == 1
    assert careplan(data_dir, "case", "import", "--as-new", str(second)).returncode == 0
    assert len(listed(data_dir)) == 2


def test_a_currency_without_an_exchange_rate_is_refused(data_dir: Path, tmp_path: Path) -> None:
    """ISO 4217 knows JPY, but the rate table reaches no yen: the import says what to do."""
    document = valid_case()
    document["preferences"]["currency"] = "JPY"
    source = write(tmp_path / "yen.json", document)
    result = careplan(data_dir, "case", "import", str(source))
    assert result.returncode == 2
    assert result.stderr.strip() == "error: preferences.currency: no exchange rate for JPY; add one in Settings"
    assert listed(data_dir) == []


def test_a_repeated_key_is_one_line_naming_it(data_dir: Path, tmp_path: Path) -> None:
    source = tmp_path / "twice.json"
    source.write_text('{"patient": {"full_name": "Anna", "full_name": "Olga"}}', "utf-8")
    result = careplan(data_dir, "case", "import", str(source))
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f'error: {source}: not valid JSON (the key "full_name" appears twice in one object)'
    )


def test_control_characters_never_reach_the_terminal(data_dir: Path, tmp_path: Path) -> None:
    """A name typed with a line break or an escape sequence (the GUI keeps what is typed) is listed on its
    own line, its control characters shown as escapes; the audit table likewise."""
    data_dir.mkdir(parents=True, exist_ok=True)
    store = CaseStore.open(data_dir / "cases.sqlite", INDICATIONS)
    try:
        document = valid_case()
        document["patient"]["full_name"] = "Eve\nCP-2026-99999  Forged Row\x1b[2J\u202e"
        store.create(document, "Desk\rOne\x1b]0;title\x07")
    finally:
        store.close()
    table = careplan(data_dir, "case", "list")
    assert table.returncode == 0, table.stderr
    lines = table.stdout.strip().splitlines()
    assert len(lines) == 2  # the header and one case: no forged row
    assert "Eve CP-2026-99999 Forged Row\\x1b[2J" in lines[1]  # a line break is a space in a cell, ESC shown
    assert not any(c in table.stdout for c in "\x1b\r\u202e")
    audit = careplan(data_dir, "audit")
    assert audit.returncode == 0, audit.stderr
    assert len(audit.stdout.strip().splitlines()) == 2
    assert "Desk One\\x1b]0;title\\x07" in audit.stdout
    assert not any(c in audit.stdout for c in "\x1b\r\x07")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{\n  "patient": {\n    "full_name": \n}', "not valid JSON (line 4: Expecting value)"),
        (b"", "not valid JSON (line 1: Expecting value)"),
        (b"\xff\xfe{\x00}\x00", "not UTF-8"),
        ('{"patient": {"full_name": "Jos\xe9"}}'.encode("latin-1"), "not UTF-8"),
        (b'{"clinical": {"ecog": 1e400}}', "not valid JSON (number out of range: 1e400)"),
        (b'{"clinical": {"spo2_percent": NaN}}', "not valid JSON (NaN is not a JSON number)"),
        (b'{"preferences": {"budget": -Infinity}}', "not valid JSON (-Infinity is not a JSON number)"),
        (b'["a", "list"]', "a case must be a JSON object"),
        (b"[" * 100_000 + b"]" * 100_000, "not valid JSON (nested too deeply)"),
    ],
    ids=["json syntax", "empty", "utf-16", "latin-1", "huge number", "NaN", "infinity", "list", "deep nesting"],
)
def test_unreadable_case_file_is_one_clear_line(data_dir: Path, tmp_path: Path, content: bytes, message: str) -> None:
    source = tmp_path / "case.json"
    source.write_bytes(content)
    result = careplan(data_dir, "case", "import", str(source))
    assert result.returncode == 2
    no_traceback(result)
    assert result.stderr.strip() == f"error: {source}: {message}"
    assert not (data_dir / "cases.sqlite").exists()


def test_missing_case_file(data_dir: Path, tmp_path: Path) -> None:
    result = careplan(data_dir, "case", "import", str(tmp_path / "nope.json"))
    assert result.returncode == 2
    assert result.stderr.strip() == f"error: {tmp_path / 'nope.json'}: no such file"
    folder = careplan(data_dir, "case", "import", str(tmp_path))
    assert folder.returncode == 2
    assert folder.stderr.strip() == f"error: {tmp_path}: is a folder, not a case file"


def test_a_byte_order_mark_is_accepted(data_dir: Path, tmp_path: Path) -> None:
    source = tmp_path / "bom.json"
    source.write_bytes(b"\xef\xbb\xbf" + json.dumps(valid_case()).encode("utf-8"))
    imported_reference(careplan(data_dir, "case", "import", str(source)), source)


def test_export_of_an_unknown_reference(data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    imported_reference(
        careplan(data_dir, "case", "import", str(write(tmp_path / "a.json", valid_case()))), tmp_path / "a.json"
    )
    result = careplan(data_dir, "case", "export", "CP-2099-99999", "-o", str(out))
    assert result.returncode == 2
    assert result.stderr.strip() == "error: CP-2099-99999: no such case"
    no_traceback(result)
    assert not out.exists()


def test_export_into_a_missing_folder_writes_nothing(data_dir: Path, tmp_path: Path) -> None:
    source = write(tmp_path / "a.json", valid_case())
    reference = imported_reference(careplan(data_dir, "case", "import", str(source)), source)
    target = tmp_path / "missing" / "case.json"
    result = careplan(data_dir, "case", "export", reference, "-o", str(target))
    assert result.returncode != 0
    assert result.returncode == 1
    no_traceback(result)
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"error: {target}: cannot write")
    assert not target.parent.exists()


def test_export_onto_a_folder_leaves_no_temporary_file(data_dir: Path, tmp_path: Path) -> None:
    source = write(tmp_path / "a.json", valid_case())
    reference = imported_reference(careplan(data_dir, "case", "import", str(source)), source)
    folder = tmp_path / "out"
    (folder / "taken.json").mkdir(parents=True)
    result = careplan(data_dir, "case", "export", reference, "-o", str(folder / "taken.json"))
    assert result.returncode == 1
    no_traceback(result)
    assert result.stderr.strip() == f"error: {folder / 'taken.json'}: cannot write (is a folder); nothing written"
    assert [p.name for p in folder.iterdir()] == ["taken.json"]
    assert list((folder / "taken.json").iterdir()) == []


def test_export_replaces_an_existing_file_whole(data_dir: Path, tmp_path: Path) -> None:
    source = write(tmp_path / "a.json", valid_case())
    reference = imported_reference(careplan(data_dir, "case", "import", str(source)), source)
    target = tmp_path / "out.json"
    target.write_text("old content " * 10_000, "utf-8")
    assert careplan(data_dir, "case", "export", reference, "-o", str(target)).returncode == 0
    assert json.loads(target.read_text("utf-8"))["reference"] == reference


def test_export_needs_a_target(data_dir: Path) -> None:
    result = careplan(data_dir, "case", "export", "CP-2026-00001")
    assert result.returncode == 2
    assert "-o" in result.stderr
    no_traceback(result)


def test_case_commands_never_import_qt(data_dir: Path, tmp_path: Path) -> None:
    source = write(tmp_path / "a.json", valid_case() | {"reference": "EXT-1"})
    out = tmp_path / "out.json"
    code = (
        "import sys, cli.main as c; "
        f"codes = [c.main(['case', 'import', '--no-encryption', {str(source)!r}]), c.main(['case', 'list', '--json']), "
        f"c.main(['case', 'export', 'EXT-1', '-o', {str(out)!r}])]; "
        "print(codes, 'PySide6' in sys.modules)"
    )
    env = {**os.environ, "CAREPLAN_DATA_DIR": str(data_dir)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert result.stdout.strip().endswith("[0, 0, 0] False"), result.stdout + result.stderr
    assert out.exists()


# --- the shared reader for plan, screen and estimate ---------------------------------------------


def test_load_case_file_returns_the_typed_case(tmp_path: Path) -> None:
    case = load_case_file(write(tmp_path / "a.json", valid_case()), INDICATIONS)
    assert isinstance(case, Case)
    assert case.patient.nationality == "ES"
    assert case.clinical.ecog == 1
    assert case.clinical.pregnant is None
    assert str(case.preferences.budget) == "12000.50"


def test_load_case_file_lists_every_problem_as_one_line(tmp_path: Path) -> None:
    document = valid_case()
    document["clinical"].update(ecog=5, indication="mcl")  # mcl: not among these indications
    document["coordinator"]["email"] = "desk"
    with pytest.raises(CliError) as caught:
        load_case_file(write(tmp_path / "a.json", document), INDICATIONS)
    assert caught.value.status == 2
    assert caught.value.lines == [
        "error: clinical.indication: unknown code mcl",
        "error: clinical.ecog: must be 0-4",
        "error: coordinator.email: not an e-mail address",
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        (b"\xc3\x28", "not UTF-8"),
        (b'{"patient": {}}\n}', "not valid JSON (line 2: Extra data)"),
        (b"42", "a case must be a JSON object"),
    ],
)
def test_load_case_file_unreadable(tmp_path: Path, content: bytes | None, message: str) -> None:
    path = tmp_path / "case.json"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(CliError) as caught:
        load_case_file(path, INDICATIONS)
    assert caught.value.lines == [f"error: {path}: {message}"]


def test_write_atomically_leaves_nothing_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "plan.json"
    write_atomically(target, "first\n")
    write_atomically(target, "second ünïcode\n")
    assert target.read_bytes() == "second ünïcode\n".encode()
    with pytest.raises(CliError) as caught:
        write_atomically(tmp_path / "nowhere" / "plan.json", "x")
    assert caught.value.status == 1
    (tmp_path / "folder.json").mkdir()
    with pytest.raises(CliError):
        write_atomically(tmp_path / "folder.json", "x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder.json", "plan.json"]
