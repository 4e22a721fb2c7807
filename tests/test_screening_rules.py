"""docs/screening-rules.md is the pack's rules in words: current, and it follows the pack."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from tests.conftest import edit_json

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "screening_rules.py"


def generator() -> ModuleType:
    """scripts/screening_rules.py, imported by path (scripts/ is not a package)."""
    module = sys.modules.get("screening_rules")
    if module is None:
        spec = importlib.util.spec_from_file_location("screening_rules", SCRIPT)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        sys.modules["screening_rules"] = module
    return module


def test_the_committed_page_is_current() -> None:
    assert generator().check(), "docs/screening-rules.md is out of date: run python scripts/screening_rules.py"


def test_check_reports_an_out_of_date_page(tmp_path: Path, capsys) -> None:
    page = tmp_path / "rules.md"
    page.write_text("# stale\n", "utf-8")
    assert generator().main(["--check"], page=page) == 1
    assert "is out of date: run python scripts/screening_rules.py" in capsys.readouterr().err


def test_the_page_follows_the_pack(pack_copy: Path, tmp_path: Path) -> None:
    def older_limit(therapies: list) -> None:
        kymriah = next(t for t in therapies if t["id"] == "tisagenlecleucel")
        next(a for a in kymriah["approvals"] if a["indication"] == "b_all")["age_max"] = 23

    rules = generator()
    before = rules.generate(pack_copy)
    assert "age 25 or younger" in before and "age 23" not in before
    edit_json(pack_copy / "therapies.json", older_limit)
    after = rules.generate(pack_copy)
    assert after != before
    assert "age 23 or younger" in after
    page = tmp_path / "rules.md"
    assert rules.main([], pack_dir=pack_copy, page=page) == 0
    assert page.read_text("utf-8") == after
    assert rules.main(["--check"], pack_dir=pack_copy, page=page) == 0


def test_every_product_approval_and_criterion_is_on_the_page() -> None:
    from planning.knowledge.pack import load_pack

    pack = load_pack()
    text = generator().generate()
    for therapy in pack.therapies:
        assert f"## {therapy.generic_name} ({therapy.short_name};" in text
        for approval in therapy.approvals:
            assert f"**{approval.region}**: {approval.agency}, {approval.date}, pathway: {approval.pathway}" in text
    for criterion in pack.criteria:
        assert f"`{criterion.id}`" in text
    for indication in pack.indications:
        if indication.status != "approved":
            assert f"`{indication.code}`: {indication.name['en']}, status: {indication.status}" in text
    assert "not medical advice" in text
