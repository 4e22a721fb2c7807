"""`careplan plan` as a user runs it: a PDF in the patient's language, or exit 2 and nothing written."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib import resources
from pathlib import Path

from pypdf import PdfReader


def careplan(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "CAREPLAN_DATA_DIR": str(data_dir)}
    return subprocess.run([sys.executable, "-m", "cli", *args], capture_output=True, text=True, env=env, timeout=120)


def sample(tmp_path: Path, index: int) -> Path:
    documents = json.loads((resources.files("resources") / "samples" / "sample_cases.json").read_text("utf-8"))
    path = tmp_path / f"case{index}.json"
    path.write_text(json.dumps(documents[index]), "utf-8")
    return path


def test_plan_in_the_patients_language_by_default(data_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "plan.pdf"
    result = careplan(data_dir, "plan", str(sample(tmp_path, 2)), "-o", str(target))  # Layla: Arabic
    assert result.returncode == 0, result.stderr
    assert ", ar)" in result.stdout
    reader = PdfReader(target)
    assert len(reader.pages) >= 2
    assert any(
        "NotoNaskhArabic" in str(f)
        for p in reader.pages
        for f in p["/Resources"]["/Font"].values()
        for f in [f.get_object()["/BaseFont"]]
    )


def test_locale_and_countries_override(data_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "plan.pdf"
    result = careplan(
        data_dir, "plan", str(sample(tmp_path, 0)), "-o", str(target), "--locale", "en", "--country", "CN"
    )
    assert result.returncode == 0, result.stderr
    text = "".join(page.extract_text() for page in PdfReader(target).pages)
    assert "China" in text and "Germany —" not in text


def test_bad_input_exits_2_and_writes_nothing(data_dir: Path, tmp_path: Path) -> None:
    case = tmp_path / "bad.json"
    case.write_text(json.dumps({"clinical": {"ecog": 9}}), "utf-8")
    target = tmp_path / "plan.pdf"
    result = careplan(data_dir, "plan", str(case), "-o", str(target), "--locale", "tlh", "--country", "ZZ")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert "error: clinical.ecog: must be 0-4" in lines
    assert any(line.startswith("error: --locale:") for line in lines)
    assert "error: --country: unknown country code ZZ" in lines
    assert "Traceback" not in result.stderr
    assert not target.exists() and list(tmp_path.glob("*.part")) == []


def test_missing_folder_is_refused(data_dir: Path, tmp_path: Path) -> None:
    result = careplan(data_dir, "plan", str(sample(tmp_path, 0)), "-o", str(tmp_path / "no" / "plan.pdf"))
    assert result.returncode == 2
    assert "no such folder" in result.stderr


def test_a_plan_loads_no_store_module_once_the_knowledge_store_is_built(data_dir: Path, tmp_path: Path) -> None:
    """A command that reads only a case file and the knowledge pack imports neither sqlite-utils nor the case
    store (a tenth of a second of every start): the knowledge store, once built, is read with sqlite3 alone."""
    case, target = sample(tmp_path, 4), tmp_path / "plan.pdf"
    assert careplan(data_dir, "plan", str(case), "-o", str(target)).returncode == 0  # builds the knowledge store
    code = (
        "import sys, cli.main as c; "
        f"status = c.main(['plan', {str(case)!r}, '-o', {str(target)!r}]); "
        "print(status, sorted(m for m in ('sqlite_utils', 'db.case_store', 'db.knowledge_store', 'cli.cases') "
        "if m in sys.modules))"
    )
    env = {**os.environ, "CAREPLAN_DATA_DIR": str(data_dir)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert result.stdout.strip().splitlines()[-1] == "0 []", result.stdout + result.stderr


def test_the_help_still_names_every_command(data_dir: Path) -> None:
    from cli.main import COMMANDS

    result = careplan(data_dir, "--help")
    assert result.returncode == 0, result.stderr
    assert all(f"    {command} " in result.stdout for command in COMMANDS), result.stdout


def test_a_language_typed_as_people_type_it(data_dir: Path, tmp_path: Path) -> None:
    """ "zh" or "zh-CN" is the Chinese plan, "AR_sa" the Arabic one: the tag is read, not matched letter for letter."""
    for typed, font, said in (("zh", "NotoSansCJKsc", ", zh_CN)"), ("AR-sa", "NotoNaskhArabic", ", ar)")):
        target = tmp_path / f"plan-{typed}.pdf"
        result = careplan(data_dir, "plan", str(sample(tmp_path, 0)), "-o", str(target), "--locale", typed)
        assert result.returncode == 0, result.stderr
        assert said in result.stdout
        fonts = {
            str(f.get_object()["/BaseFont"]) for p in PdfReader(target).pages for f in p["/Resources"]["/Font"].values()
        }
        assert any(font in name for name in fonts), fonts


def test_document_locale_named() -> None:
    from planning.i18n import document_locale_named

    assert document_locale_named("zh") == document_locale_named("zh-cn") == "zh_CN"
    assert document_locale_named("de_AT") == "de" and document_locale_named(" EN ") == "en"
    assert document_locale_named("fr") is None and document_locale_named("") is None
    assert document_locale_named("tlh") is None
