"""docs/screening-rules.md is the pack's rules in words, current, and follows the pack."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from tests.conftest import edit_json

ROOT = Path(__file__).resolve().parent.parent


def generator():
    spec = importlib.util.spec_from_file_location("screening_rules", ROOT / "scripts" / "screening_rules.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_page_is_current() -> None:
    assert generator().main(["--check"]) == 0, "run: python scripts/screening_rules.py"


def test_the_page_follows_the_pack(pack_copy: Path, tmp_path: Path) -> None:
    def younger(therapies: list) -> None:
        kymriah = next(t for t in therapies if t["id"] == "tisagenlecleucel")
        next(a for a in kymriah["approvals"] if a["indication"] == "b_all")["age_max"] = 23

    edit_json(pack_copy / "therapies.json", younger)
    page = tmp_path / "rules.md"
    rules = generator()
    assert rules.main([], pack_dir=pack_copy, page=page) == 0
    text = page.read_text("utf-8")
    assert "age 23 or younger" in text
    assert rules.main(["--check"], pack_dir=pack_copy) == 1  # the committed page no longer matches


def test_every_approval_and_trial_threshold_is_on_the_page() -> None:
    from planning.knowledge.pack import load_pack

    pack = load_pack()
    text = (ROOT / "docs" / "screening-rules.md").read_text("utf-8")
    for therapy in pack.therapies:
        assert f"## {therapy.generic_name} ({therapy.short_name};" in text
        for approval in therapy.approvals:
            assert f"**{approval.region}** — {approval.agency} {approval.date}" in text
    for criterion in pack.criteria:
        assert criterion.label["en"] in text
