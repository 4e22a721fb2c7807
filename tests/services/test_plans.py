"""Making a plan for both faces: the case is screened once, for the estimate and the plan alike, and the
plan is the one build_plan makes on its own."""

from __future__ import annotations

import json
from datetime import date
from importlib import resources

import pytest

import planning.estimate
import planning.plan
import services.plans
from planning.case import parse_case
from planning.eligibility import screen
from planning.knowledge.pack import load_pack
from planning.plan import build_plan
from services.plans import make_plan
from services.settings import Preferences

TODAY = date(2026, 12, 3)


def test_a_case_is_screened_once_and_the_plan_is_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    pack = load_pack()
    documents = json.loads((resources.files("resources") / "samples" / "sample_cases.json").read_text("utf-8"))
    case = parse_case(documents[4], {i.code for i in pack.indications})
    calls = []

    def counted(*args, **kwargs):
        calls.append(args)
        return screen(*args, **kwargs)

    for module in (services.plans, planning.plan, planning.estimate):
        monkeypatch.setattr(module, "screen", counted)
    made = make_plan(
        case, pack, "CP-1", "zh_CN", Preferences(), rates=pack.rates, costs=pack.cost_defaults, today=TODAY
    )
    assert len(calls) == 1
    monkeypatch.undo()
    alone = build_plan(
        case, pack, "CP-1", "zh_CN", today=TODAY, coordinator=made.plan.coordinator, estimated=made.estimate
    )
    assert made.plan == alone
