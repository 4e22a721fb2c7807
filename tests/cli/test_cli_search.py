"""`careplan search` finds cases too, as a user runs it: real processes on a real (SQLCipher) case store."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.runner import careplan

PASSPHRASE = "correct horse battery"
NAME = "Zebulon Quixotefield"
PHONE = "+34 600 123 456"
EMAIL = "zebulon.q@example.es"


def import_case(data_dir: Path, tmp_path: Path, *extra: str, passphrase: str | None = PASSPHRASE) -> str:
    path = tmp_path / "case.json"
    document = {
        "format": "careplan-case",
        "version": 2,
        "patient": {"full_name": NAME, "date_of_birth": "1970-05-01", "phone": PHONE, "email": EMAIL},
        "clinical": {"indication": "lbcl", "notes": "asked about Kymriah in Germany"},
    }
    path.write_text(json.dumps(document), "utf-8")
    result = careplan(data_dir, "case", "import", str(path), *extra, passphrase=passphrase)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()[2]  # "Imported case CP-...."


def test_an_encrypted_store_is_searched_with_the_passphrase(data_dir: Path, tmp_path: Path) -> None:
    reference = import_case(data_dir, tmp_path)
    assert b"Zebulon" not in (data_dir / "cases.sqlite").read_bytes()  # encrypted at rest
    for typed in ("600123", "600 123", "zebulon.q@example.es", "quixote", reference.lower()):
        result = careplan(data_dir, "search", typed, "--json", passphrase=PASSPHRASE)
        assert result.returncode == 0, result.stderr
        hits = json.loads(result.stdout)
        assert hits[0]["kind"] == "case", typed
        assert (hits[0]["ref"], hits[0]["title"], hits[0]["status"]) == (reference, NAME, "new")
    by_phone = json.loads(careplan(data_dir, "search", "600 123", "--json", passphrase=PASSPHRASE).stdout)
    assert (by_phone[0]["matched"], by_phone[0]["detail"]) == ("phone", PHONE)


def test_the_table_lists_the_case_beside_the_pack(data_dir: Path, tmp_path: Path) -> None:
    reference = import_case(data_dir, tmp_path)
    result = careplan(data_dir, "search", "kymriah", passphrase=PASSPHRASE)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["KIND", "REFERENCE", "TITLE"]
    therapy = next(i for i, line in enumerate(lines) if line.startswith("therapy "))
    case = next(i for i, line in enumerate(lines) if line.startswith("case "))
    assert therapy < case  # found by its notes: after the pack's records
    assert lines[case].split() == ["case", reference, "Zebulon", "Quixotefield", "·", "new", "·", "notes"]
    phone = careplan(data_dir, "search", "+34 600 123 456", passphrase=PASSPHRASE).stdout.splitlines()
    assert len(phone) == 2 and phone[1].split()[:2] == ["case", reference]
    assert phone[1].endswith(f"phone {PHONE}")
    assert result.stderr == ""


def test_without_the_passphrase_the_pack_is_searched_and_stderr_says_the_cases_were_not(
    data_dir: Path, tmp_path: Path
) -> None:
    import_case(data_dir, tmp_path)
    result = careplan(data_dir, "search", "kymriah", "--json")
    assert result.returncode == 0
    assert "case" not in {hit["kind"] for hit in json.loads(result.stdout)}
    assert json.loads(result.stdout)[0]["kind"] == "therapy"
    assert result.stderr.strip() == (
        "note: cases were not searched: the case store is encrypted; set CAREPLAN_PASSPHRASE to search them too"
    )
    assert NAME not in result.stdout


def test_a_wrong_passphrase_is_one_line_and_nothing_is_listed(data_dir: Path, tmp_path: Path) -> None:
    import_case(data_dir, tmp_path)
    result = careplan(data_dir, "search", "quixote", passphrase="not the passphrase")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        "error: CAREPLAN_PASSPHRASE: the passphrase does not open the encrypted case store; nothing was changed"
    ]


def test_no_cases_and_no_store(data_dir: Path, tmp_path: Path) -> None:
    none_yet = careplan(data_dir, "search", "quixote")
    assert (none_yet.returncode, none_yet.stdout.strip(), none_yet.stderr) == (0, "No results.", "")
    assert not (data_dir / "cases.sqlite").exists()  # searching creates no store
    import_case(data_dir, tmp_path)
    skipped = careplan(data_dir, "search", "quixote", "--no-cases", passphrase=PASSPHRASE)
    assert (skipped.returncode, skipped.stdout.strip(), skipped.stderr) == (0, "No results.", "")


def test_a_plain_store_needs_no_passphrase(data_dir: Path, tmp_path: Path) -> None:
    reference = import_case(data_dir, tmp_path, "--no-encryption", passphrase=None)
    result = careplan(data_dir, "search", "600123", "--json")
    assert result.returncode == 0, result.stderr
    assert [(hit["kind"], hit["ref"]) for hit in json.loads(result.stdout)] == [("case", reference)]
