"""`careplan screen` as a user runs it: real processes, JSON and table output, exit codes, bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import unicodedata
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from planning.case import parse_case
from planning.eligibility import DISCLAIMER, screen
from planning.knowledge.pack import load_pack

SCREENED_ON = "2026-11-26"
PACK = load_pack()
CODES = frozenset(i.code for i in PACK.indications)


def careplan(data_dir: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "CAREPLAN_DATA_DIR": str(data_dir), "PYTHONIOENCODING": "utf-8", **env}
    result = subprocess.run([sys.executable, "-m", "cli", *args], capture_output=True, env=environment, timeout=60)
    encoding = environment["PYTHONIOENCODING"]
    return subprocess.CompletedProcess(
        result.args, result.returncode, result.stdout.decode(encoding), result.stderr.decode("utf-8", "replace")
    )


def samples() -> list[dict[str, Any]]:
    return json.loads((resources.files("resources") / "samples" / "sample_cases.json").read_text("utf-8"))


def write(path: Path, document: Any) -> Path:
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2), "utf-8")
    return path


def no_traceback(result: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in result.stderr
    assert "Traceback" not in result.stdout


def columns(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in line)


def b_all_case(date_of_birth: str) -> dict[str, Any]:
    document = samples()[2]  # the B-ALL sample
    document["patient"]["date_of_birth"] = date_of_birth
    return document


# --- JSON ----------------------------------------------------------------------------------------


def test_json_for_the_first_sample_case(data_dir: Path, tmp_path: Path) -> None:
    source = write(tmp_path / "anna.json", samples()[0])
    result = careplan(data_dir, "screen", str(source), "--json", "--date", SCREENED_ON)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    record = json.loads(result.stdout)
    assert list(record) == [
        "indication",
        "overall",
        "results",
        "missing",
        "unrecognised_prior_therapies",
        "screened_on",
        "disclaimer",
    ]
    assert (record["indication"], record["overall"], record["screened_on"]) == ("lbcl", "candidate", SCREENED_ON)
    assert [(r["therapy"], r["verdict"], r["regions"]) for r in record["results"]] == [
        ("tisagenlecleucel", "candidate", {"US": "candidate", "EU": "candidate"}),
        ("axicabtagene ciloleucel", "candidate", {"US": "candidate", "EU": "candidate", "CN": "candidate"}),
        ("lisocabtagene maraleucel", "candidate", {"US": "candidate", "EU": "candidate"}),
        ("relmacabtagene autoleucel", "candidate", {"CN": "candidate"}),
    ]
    tisa = record["results"][0]
    assert [f["criterion"] for f in tisa["findings"]][:3] == ["label_us", "label_eu", "label_relapsed_or_refractory"]
    for result_record in record["results"]:
        for finding in result_record["findings"]:
            assert set(finding) == {"criterion", "kind", "status", "detail", "source", "as_of", "regions"}
            assert finding["kind"] in ("label", "exclusion", "trial")
            assert finding["status"] == "met"
            assert finding["source"] in PACK.sources and finding["as_of"]
    label = tisa["findings"][0]  # the US label: its conditions and what the case says about them
    assert label["detail"].startswith("Subtype: Diffuse large B-cell lymphoma, not otherwise specified; Age 58; ")
    assert "age 18 or older" in label["detail"] and "at least 2 prior lines" in label["detail"]
    us_lbcl = next(a for a in PACK.therapy("tisagenlecleucel").approvals if (a.region, a.indication) == ("US", "lbcl"))
    assert (label["kind"], label["source"], label["regions"]) == ("label", us_lbcl.sourced.source, ["US"])
    assert record["missing"] == []
    assert record["unrecognised_prior_therapies"] == []
    assert record["disclaimer"] == DISCLAIMER


def test_json_is_the_screening_of_the_same_case_in_process(data_dir: Path, tmp_path: Path) -> None:
    for index, document in enumerate(samples()):
        source = write(tmp_path / f"sample{index}.json", document)
        result = careplan(data_dir, "screen", str(source), "--json", "--date", SCREENED_ON)
        assert result.returncode == 0, result.stderr
        expected = screen(parse_case(document, CODES), PACK, today=date(2026, 11, 26)).to_json()
        assert json.loads(result.stdout) == expected, document["clinical"]["indication"]


def test_json_of_a_case_with_gaps(data_dir: Path, tmp_path: Path) -> None:
    document = samples()[1]  # myeloma; performance status and kidney function not received
    document["clinical"].update(ecog=None, creatinine_clearance_ml_min=None)
    source = write(tmp_path / "dmitri.json", document)
    record = json.loads(careplan(data_dir, "screen", str(source), "--json", "--date", SCREENED_ON).stdout)
    assert record["overall"] == "needs_information"
    assert record["missing"] == ["clinical.ecog", "clinical.creatinine_clearance_ml_min"]
    assert {r["verdict"] for r in record["results"]} == {"needs_information"}


def test_json_keeps_non_ascii_text(data_dir: Path, tmp_path: Path) -> None:
    source = write(tmp_path / "anna.json", samples()[0])
    result = careplan(data_dir, "screen", str(source), "--json", "--date", SCREENED_ON)
    assert "SpO₂" in result.stdout and "\\u" not in result.stdout
    assert result.stdout.endswith("}\n")


def test_investigational_and_not_eligible_still_exit_0(data_dir: Path, tmp_path: Path) -> None:
    lupus = write(tmp_path / "lucia.json", samples()[3])
    record = json.loads(careplan(data_dir, "screen", str(lupus), "--json", "--date", SCREENED_ON).stdout)
    assert record["overall"] == "investigational"
    assert [(r["therapy"], r["verdict"], r["regions"]) for r in record["results"]] == [(None, "investigational", {})]
    assert record["unrecognised_prior_therapies"] == []  # rituximab and cyclophosphamide are both known
    document = samples()[0]
    document["clinical"]["ecog"] = 4
    frail = write(tmp_path / "frail.json", document)
    result = careplan(data_dir, "screen", str(frail), "--json", "--date", SCREENED_ON)
    assert result.returncode == 0
    assert json.loads(result.stdout)["overall"] == "not_eligible"


def test_a_case_without_an_indication(data_dir: Path, tmp_path: Path) -> None:
    source = write(tmp_path / "new.json", {"patient": {"full_name": "Ольга Петрова"}})
    result = careplan(data_dir, "screen", str(source), "--json")
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert (record["indication"], record["overall"], record["results"]) == (None, "needs_information", [])
    assert record["missing"] == ["clinical.indication"]
    assert record["screened_on"] == date.today().isoformat()  # without --date: today
    table = careplan(data_dir, "screen", str(source))
    assert table.returncode == 0
    assert "Ask the patient for: diagnosis (indication)" in table.stdout


# --- the readable table ------------------------------------------------------------------------------


def test_table_shows_products_marks_and_the_disclaimer(data_dir: Path, tmp_path: Path) -> None:
    document = samples()[1]
    document["clinical"].update(creatinine_clearance_ml_min=None, refractory_to=None)
    source = write(tmp_path / "dmitri.json", document)
    result = careplan(data_dir, "screen", str(source), "--date", SCREENED_ON)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    lines = out.rstrip("\n").splitlines()
    assert lines[0] == "Indication: Multiple myeloma (MM) — overall: Candidate"  # eque-cel and zevor-cel
    assert SCREENED_ON in lines[1]
    for name in ("idecabtagene vicleucel", "ciltacabtagene autoleucel", "equecabtagene autoleucel", "zevor-cel"):
        assert name in out
    assert "ciltacabtagene autoleucel (cilta-cel): Needs information — US, EU, CN: Needs information" in lines
    marked = [line for line in lines if line.startswith("    ") and not line.startswith("     ")]
    assert any(line.startswith("    ✓ Label in United States (FDA): Age 67;") for line in marked)
    # the EU label asks whether the disease is refractory to lenalidomide
    assert any(line.startswith("    ? Label in European Union (EMA): Age 67;") for line in marked)
    assert any(line.startswith("    ? Trial: Creatinine clearance") for line in marked)
    assert any(line.startswith("    ✓ Exclusion: ECOG 1 — ") for line in marked)
    assert all(line[4] in "✓✗?" for line in marked)
    ask = out[out.index("Ask the patient for:") :]
    for words in ("creatinine clearance", "refractory to"):
        assert words in ask
    assert " ".join(" ".join(lines[-2:]).split()) == DISCLAIMER
    assert max(columns(line) for line in lines) <= 100


def test_table_marks_what_is_not_met_and_region_verdicts(data_dir: Path, tmp_path: Path) -> None:
    source = write(tmp_path / "layla.json", samples()[2])  # B-ALL, 22 on the screening day, second relapse
    out = careplan(data_dir, "screen", str(source), "--date", SCREENED_ON).stdout
    assert "obecabtagene autoleucel (obe-cel): Candidate — US, GB: Candidate; EU: Not eligible" in out
    assert "    ✗ Label in European Union (EMA): Age 22; Disease status: relapsed — ✗ EMA 2025: age 26 or" in out
    assert "tisagenlecleucel (tisa-cel): Candidate — US, EU: Candidate" in out
    document = samples()[2]
    document["clinical"]["relapse_count"] = 1  # a first relapse: not within the US label (EU: after a transplant)
    out = careplan(data_dir, "screen", str(write(tmp_path / "first.json", document)), "--date", SCREENED_ON).stdout
    assert "tisagenlecleucel (tisa-cel): Candidate — EU: Candidate; US: Not eligible" in out


def test_table_for_an_investigational_indication_shows_research(data_dir: Path, tmp_path: Path) -> None:
    source = write(tmp_path / "lucia.json", samples()[3])
    out = careplan(data_dir, "screen", str(source), "--date", SCREENED_ON).stdout
    assert "overall: Investigational: clinical trials only" in out.splitlines()[0]
    assert "No approved product for this indication" in out
    assert "Erlangen" in out and "[nat_med_2022_sle, 2022]" in out
    assert "not recognised" not in out
    assert "Creatinine clearance" not in out  # no oncology criteria for a disease without an approved product


def test_table_in_another_locale(data_dir: Path, tmp_path: Path) -> None:
    source = write(tmp_path / "wang.json", samples()[4])  # gastric, satri-cel in China
    result = careplan(data_dir, "screen", str(source), "--date", SCREENED_ON, "--locale", "zh_CN")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "胃癌及胃食管结合部癌 [gastric]" in lines[0] and not lines[0].startswith("Indication")  # translated
    assert "satricabtagene autoleucel (satri-cel)" in result.stdout
    assert max(columns(line) for line in lines) <= 100


def test_table_on_a_terminal_without_unicode_does_not_crash(data_dir: Path, tmp_path: Path) -> None:
    source = write(tmp_path / "dmitri.json", samples()[1])
    result = careplan(data_dir, "screen", str(source), "--date", SCREENED_ON, PYTHONIOENCODING="ascii")
    assert result.returncode == 0, result.stderr
    no_traceback(result)
    assert "    + Label in United States (FDA): Age 67" in result.stdout
    assert "    + Exclusion: ECOG 1" in result.stdout
    assert "✓" not in result.stdout


# --- --date decides ages -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("on", "tisa", "obe_regions"),
    [
        ("2026-11-25", "candidate", {"US": "candidate", "EU": "not_eligible", "GB": "candidate"}),  # aged 25
        ("2026-11-26", "not_eligible", {"US": "candidate", "EU": "candidate", "GB": "candidate"}),  # 26 today
    ],
    ids=["aged 25", "aged 26"],
)
def test_date_changes_the_age_based_result(
    data_dir: Path, tmp_path: Path, on: str, tisa: str, obe_regions: dict[str, str]
) -> None:
    source = write(tmp_path / "b_all.json", b_all_case("2000-11-26"))
    result = careplan(data_dir, "screen", str(source), "--json", "--date", on)
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    by_name = {r["therapy"]: r for r in record["results"]}
    assert by_name["tisagenlecleucel"]["verdict"] == tisa
    assert by_name["obecabtagene autoleucel"]["regions"] == obe_regions
    assert by_name["brexucabtagene autoleucel"]["verdict"] == "candidate"
    assert record["screened_on"] == on


# --- bad input -----------------------------------------------------------------------------------


def test_invalid_case_is_refused_with_one_line_per_problem(data_dir: Path, tmp_path: Path) -> None:
    document = samples()[0]
    document["patient"].update(sex="f", date_of_birth="1968-13-01")
    document["clinical"].update(indication="zzz", ecog=7, prior_therapies="R-CHOP")
    document["hobby"] = "chess"
    source = write(tmp_path / "bad.json", document)
    result = careplan(data_dir, "screen", str(source), "--json")
    assert result.returncode == 2
    no_traceback(result)
    assert result.stdout == ""
    assert sorted(result.stderr.strip().splitlines()) == sorted(
        [
            "error: hobby: unknown field",
            "error: patient.date_of_birth: must be a date as YYYY-MM-DD",
            "error: patient.sex: must be one of female, male, other, unknown",
            "error: clinical.indication: unknown code zzz",
            "error: clinical.prior_therapies: must be a list of texts",
            "error: clinical.ecog: must be 0-4",
        ]
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        (b'{"clinical": {"ecog": 1,}}', "not valid JSON (line 1: Expecting property name enclosed in double quotes)"),
        (b"\xff\xfe{\x00}\x00", "not UTF-8"),
        (b'["a", "list"]', "a case must be a JSON object"),
    ],
    ids=["missing", "json syntax", "utf-16", "list"],
)
def test_unreadable_case_file_is_one_clear_line(
    data_dir: Path, tmp_path: Path, content: bytes | None, message: str
) -> None:
    source = tmp_path / "case.json"
    if content is not None:
        source.write_bytes(content)
    result = careplan(data_dir, "screen", str(source))
    assert result.returncode == 2
    no_traceback(result)
    assert result.stdout == ""
    assert result.stderr.strip() == f"error: {source}: {message}"


def test_bad_options_are_one_line_each_with_the_case_problems(data_dir: Path, tmp_path: Path) -> None:
    document = samples()[0]
    document["clinical"]["ecog"] = 9
    source = write(tmp_path / "bad.json", document)
    result = careplan(data_dir, "screen", str(source), "--date", "26.11.2026", "--locale", "xx_YY")
    assert result.returncode == 2
    no_traceback(result)
    assert result.stderr.strip().splitlines() == [
        "error: --date: must be a date as YYYY-MM-DD, not '26.11.2026'",
        "error: --locale: unknown language code xx_YY",
        "error: clinical.ecog: must be 0-4",
    ]
    impossible = careplan(data_dir, "screen", str(write(tmp_path / "ok.json", samples()[0])), "--date", "2026-02-30")
    assert impossible.returncode == 2
    assert impossible.stderr.strip() == "error: --date: must be a date as YYYY-MM-DD, not '2026-02-30'"


def test_a_screening_day_before_the_birth_is_refused(data_dir: Path, tmp_path: Path) -> None:
    source = write(tmp_path / "b_all.json", b_all_case("2004-02-18"))
    result = careplan(data_dir, "screen", str(source), "--date", "2003-01-01")
    assert result.returncode == 2
    no_traceback(result)
    assert result.stderr.strip() == "error: patient.date_of_birth: after the screening date 2003-01-01"


def test_screen_needs_a_case_file(data_dir: Path) -> None:
    result = careplan(data_dir, "screen")
    assert result.returncode == 2
    no_traceback(result)
    assert "CASE.json" in result.stderr


def test_screen_never_imports_qt(data_dir: Path, tmp_path: Path) -> None:
    source = write(tmp_path / "anna.json", samples()[0])
    code = (
        "import sys, cli.main as c; "
        f"codes = [c.main(['screen', {str(source)!r}, '--json']), c.main(['screen', {str(source)!r}])]; "
        "print(codes, 'PySide6' in sys.modules, file=sys.stderr)"
    )
    env = {**os.environ, "CAREPLAN_DATA_DIR": str(data_dir), "PYTHONIOENCODING": "utf-8"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert result.stderr.strip().endswith("[0, 0] False"), result.stderr
