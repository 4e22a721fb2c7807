"""`careplan pack audit` and `careplan pack recheck` on the installed pack, and the stale-rate warning of
`careplan estimate`: run as a user runs them."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from tests.cli.runner import careplan
from tests.conftest import bump_version, edit_json


def test_the_shipped_pack_audits_clean(data_dir: Path) -> None:
    result = careplan(data_dir, "pack", "audit")
    assert result.returncode == 0, result.stdout[-3000:]
    assert "clean" in result.stdout
    assert json.loads(careplan(data_dir, "pack", "audit", "--json").stdout) == []


def test_a_pack_with_debts_lists_them_and_exits_1(data_dir: Path, pack_copy: Path) -> None:
    bump_version(pack_copy, "2099.1.0")

    def debts(sources: list) -> None:
        first = next(s for s in sources if s.get("kind") != "own")
        first["url"] = "https://www.fda.gov/"

    edit_json(pack_copy / "sources.json", debts)
    edit_json(pack_copy / "indications.json", lambda indications: indications[0]["description"].pop("ar"))
    assert careplan(data_dir, "pack", "import", str(pack_copy)).returncode == 0
    result = careplan(data_dir, "pack", "audit")
    assert result.returncode == 1
    assert "Links to a home page, not to the page itself (1)" in result.stdout
    assert "Texts missing a language (" in result.stdout
    assert ".description: ar" in result.stdout
    rows = json.loads(careplan(data_dir, "pack", "audit", "--json").stdout)
    assert {"home_page_link", "missing_translation"} <= {row["category"] for row in rows}


def test_recheck_lists_the_old_facts_oldest_first(data_dir: Path) -> None:
    rows = json.loads(careplan(data_dir, "pack", "recheck", "--months", "24", "--json").stdout)
    assert rows and all(row["months"] > 24 for row in rows)
    assert [row["months"] for row in rows] == sorted((row["months"] for row in rows), reverse=True)
    assert careplan(data_dir, "pack", "recheck", "--months", "600").stdout.startswith("0 facts")
    bad = careplan(data_dir, "pack", "recheck", "--months", "0")
    assert bad.returncode == 2 and "--months" in bad.stderr


def test_estimate_warns_of_stale_rates(data_dir: Path, tmp_path: Path) -> None:
    samples = json.loads((Path(__file__).parents[2] / "resources" / "samples" / "sample_cases.json").read_text())
    case = tmp_path / "case.json"
    case.write_text(json.dumps(samples[1]), "utf-8")
    record = json.loads(careplan(data_dir, "estimate", str(case), "--json").stdout)
    as_of = date.fromisoformat(record["rates_as_of"])
    stale = (date.today() - as_of).days > 60
    assert (record["rates_stale_days"] is not None) is stale
    text = careplan(data_dir, "estimate", str(case)).stdout
    assert ("Warning: The exchange rates are from" in text) is stale
