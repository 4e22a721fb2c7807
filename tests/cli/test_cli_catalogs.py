"""`careplan plan` in a language whose catalog is missing: one line, exit status 1, nothing written."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest

from cli.main import main


def test_a_missing_catalog_is_one_line_and_no_plan(
    data_dir: Path, tmp_path: Path, no_catalogs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    documents = json.loads((resources.files("resources") / "samples" / "sample_cases.json").read_text("utf-8"))
    case = tmp_path / "case.json"
    case.write_text(json.dumps(documents[2]), "utf-8")  # an Arabic-speaking patient
    target = tmp_path / "plan.pdf"
    assert main(["plan", str(case), "-o", str(target)]) == 1
    out, err = capsys.readouterr()
    po = no_catalogs / "ar" / "LC_MESSAGES" / "careplan.po"
    assert err == f"error: The Arabic catalog is missing ({po}): reinstall CarePlan Desk.\n"
    assert out == "" and not target.exists()
