"""`careplan estimate` as a user runs it: the JSON of DESIGN.md, every destination, clear errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from importlib import resources
from pathlib import Path


def careplan(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "CAREPLAN_DATA_DIR": str(data_dir)}
    return subprocess.run([sys.executable, "-m", "cli", *args], capture_output=True, text=True, env=env, timeout=60)


def sample(tmp_path: Path, index: int = 0, **preferences) -> Path:
    documents = json.loads((resources.files("resources") / "samples" / "sample_cases.json").read_text("utf-8"))
    document = documents[index]
    document["preferences"].update(preferences)
    path = tmp_path / "case.json"
    path.write_text(json.dumps(document), "utf-8")
    return path


def test_json_shape_and_items_adding_up(data_dir: Path, tmp_path: Path) -> None:
    result = careplan(
        data_dir,
        "estimate",
        str(sample(tmp_path, currency="RUB")),
        "--json",
        "--country",
        "DE",
        "--country",
        "FR",
        "--country",
        "CN",
    )
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["currency"] == "RUB"
    assert record["rates_as_of"] == "2026-03-04"  # the oldest rate used: the Bank of Russia's
    assert {(r["base"], r["quote"]) for r in record["rates"]} >= {("USD", "RUB")}
    countries = [o["country"] for o in record["options"]]
    assert set(countries) == {"DE", "FR", "CN"}  # every requested destination appears
    france = next(o for o in record["options"] if o["country"] == "FR")
    assert france["available"] is False and france["reason"]
    for option in record["options"]:
        if not option["available"]:
            continue
        assert isinstance(option["total_low"], str)
        assert Decimal(option["total_low"]) == sum(Decimal(i["low"]) for i in option["items"])
        assert Decimal(option["total_high"]) == sum(Decimal(i["high"]) for i in option["items"])
        for item in option["items"]:
            assert set(item) >= {"label", "low", "high", "basis"}
            assert Decimal(item["low"]) <= Decimal(item["high"])
        assert option["timeline"] and option["therapy"]
        assert any(a["label"].startswith("Package figure") for a in option["alternatives"])


def test_readable_table(data_dir: Path, tmp_path: Path) -> None:
    result = careplan(data_dir, "estimate", str(sample(tmp_path)), "--country", "US")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Estimate in EUR")
    assert "United States - tisagenlecleucel" in result.stdout
    assert "beside it, not in the total: Package figure" in result.stdout
    assert "days away from home" in result.stdout


def test_bad_options_and_case_exit_2_with_one_line_each(data_dir: Path, tmp_path: Path) -> None:
    path = sample(tmp_path, currency="XYZ", companions=99)
    result = careplan(data_dir, "estimate", str(path), "--country", "QQ")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert "error: --country: unknown country code QQ" in lines
    assert "error: preferences.currency: unknown code XYZ" in lines
    assert any(line.startswith("error: preferences.companions:") for line in lines)
    assert len(lines) == 3 and "Traceback" not in result.stderr


def test_no_qt_is_imported(data_dir: Path, tmp_path: Path) -> None:
    code = (
        f"import sys, cli.main as c; c.main(['estimate', {str(sample(tmp_path))!r}, '--json']); "
        "print('PySide6' in sys.modules, file=sys.stderr)"
    )
    env = {**os.environ, "CAREPLAN_DATA_DIR": str(data_dir)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert result.stderr.strip().endswith("False"), result.stderr


FRAME = (
    "Estimate in",
    "whole units",
    "exchange rates as of",
    "days away from home",
    "not available",
    "beside it",
    "to be quoted",
    "(estimate)",
    "ask the centre",
    "budget",
)
"""The command's own words around the items (the pack's texts are the pack's to translate)."""


def test_the_readable_estimate_speaks_one_language_throughout(data_dir: Path, tmp_path: Path) -> None:
    english = careplan(
        data_dir, "estimate", str(sample(tmp_path, budget="200000")), "--country", "US", "--country", "CN"
    )
    assert english.returncode == 0, english.stderr
    assert english.stdout.startswith("Estimate in ")
    for locale in ("de", "es", "ru", "ar", "zh_CN"):
        result = careplan(
            data_dir,
            "estimate",
            str(sample(tmp_path, budget="200000")),
            "--locale",
            locale,
            "--country",
            "US",
            "--country",
            "CN",
        )
        assert result.returncode == 0, result.stderr
        left = [words for words in FRAME if words in result.stdout]
        assert left == [], f"{locale}: English frame words {left}"
