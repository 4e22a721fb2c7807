"""`careplan checklist REFERENCE --out FILE [--language L]` as a user runs it: a real process on a real
case store, the PDF read back, one line per problem and nothing written on bad input."""

from __future__ import annotations

import io
import json
import re
import unicodedata
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from tests.cli.runner import careplan

PASSPHRASE = "correct horse battery staple"


def gastric_case() -> dict[str, Any]:
    return {
        "format": "careplan-case",
        "version": 2,
        "patient": {"full_name": "Wang Shili", "date_of_birth": "1965-03-02", "nationality": "CN", "language": "de"},
        "clinical": {"indication": "gastric", "subtype": "gastric", "prior_lines": 2, "ecog": 1},
        "preferences": {"destinations": ["CN", "DE"]},
    }


def imported(data_dir: Path, tmp_path: Path, passphrase: str | None = None) -> str:
    source = tmp_path / "case.json"
    source.write_text(json.dumps(gastric_case()), "utf-8")
    args = ["case", "import", str(source)] + ([] if passphrase else ["--no-encryption"])
    result = careplan(data_dir, *args, passphrase=passphrase)
    assert result.returncode == 0, result.stderr
    found = re.search(r"Imported case (\S+)", result.stdout)
    assert found is not None, result.stdout
    return found.group(1)


def pdf_text(path: Path) -> str:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return unicodedata.normalize("NFKC", "\n".join(page.extract_text() for page in reader.pages))


def test_writes_the_checklist_in_the_patients_language_and_audits_it(data_dir: Path, tmp_path: Path) -> None:
    reference = imported(data_dir, tmp_path)
    target = tmp_path / "checklist.pdf"
    result = careplan(data_dir, "checklist", reference, "--out", str(target))
    assert result.returncode == 0, result.stderr
    assert f"Wrote {target}" in result.stdout and ", de;" in result.stdout  # the patient's language
    text = pdf_text(target)
    assert reference in text and "Wang Shili" in text
    assert "CLDN18.2" in text  # the open question and the test report the gastric label asks for
    flat = "".join(text.split())
    assert "Reisepass" in flat  # the general documents, in German
    audit_file = tmp_path / "audit.csv"
    audit = careplan(data_dir, "audit", "--case", reference, "--csv", str(audit_file))
    assert audit.returncode == 0, audit.stderr
    assert "call checklist PDF (de)" in audit_file.read_text("utf-8")


def test_the_language_chosen_wins_and_an_encrypted_store_opens_with_the_passphrase(
    data_dir: Path, tmp_path: Path
) -> None:
    reference = imported(data_dir, tmp_path, PASSPHRASE)
    target = tmp_path / "checklist-en.pdf"
    refused = careplan(data_dir, "checklist", reference, "-o", str(target))
    assert refused.returncode == 2 and "CAREPLAN_PASSPHRASE" in refused.stderr
    assert not target.exists()
    result = careplan(data_dir, "checklist", reference, "-o", str(target), "--language", "en", passphrase=PASSPHRASE)
    assert result.returncode == 0, result.stderr
    text = pdf_text(target)
    assert "Call checklist" in text and "Documents to prepare" in text
    assert "Passport (and the passports of companions)." in " ".join(text.split())


def test_bad_input_is_one_line_and_writes_nothing(data_dir: Path, tmp_path: Path) -> None:
    reference = imported(data_dir, tmp_path)
    target = tmp_path / "out.pdf"
    for args, words in (
        (["checklist", reference, "-o", str(target), "--language", "fr"], "--language"),
        (["checklist", "CP-1999-99999", "-o", str(target)], "CP-1999-99999: no such case"),
        (["checklist", reference, "-o", str(tmp_path / "missing" / "out.pdf")], "no such folder"),
        (["checklist", reference, "-o", str(tmp_path)], "is a folder"),
    ):
        result = careplan(data_dir, *args)
        assert result.returncode == 2, (args, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: ") and words in lines[0], result.stderr
        assert "Traceback" not in result.stderr
    assert not target.exists()
