"""A stored plan version keeps its document model as JSON: read back, it is the same plan and draws the same PDF."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from importlib import resources

import pytest

from planning.case import parse_case
from planning.knowledge.pack import load_pack
from planning.plan import build_plan, plan_from_json, plan_to_json
from reports.document import render

PACK = load_pack()
CODES = {i.code for i in PACK.indications}
SAMPLES = json.loads((resources.files("resources") / "samples" / "sample_cases.json").read_text("utf-8"))


@pytest.mark.parametrize(("index", "locale"), [(0, "de"), (1, "ru"), (2, "ar"), (3, "es"), (4, "zh_CN")])
def test_the_model_survives_json_and_draws_the_same_pdf(index: int, locale: str) -> None:
    plan = build_plan(parse_case(SAMPLES[index], CODES), PACK, "CP-2026-00042", locale, today=date(2026, 11, 26))
    stored = json.loads(json.dumps(plan_to_json(plan), ensure_ascii=False))
    again = plan_from_json(stored)
    assert again == plan
    assert render(again) == render(plan)


def test_every_value_keeps_its_type() -> None:
    """Decimal('0.25') == 0.25 in Python, so equality alone would not catch an amount turned into a float."""
    plan = build_plan(parse_case(SAMPLES[0], CODES), PACK, "CP-2026-00042", "en", today=date(2026, 11, 26))
    again = plan_from_json(json.loads(json.dumps(plan_to_json(plan))))
    before, after = list(_walk(plan)), list(_walk(again))
    assert [type(v) for v in after] == [type(v) for v in before]
    assert any(isinstance(v, Decimal) for v in after)


def _walk(value):
    if hasattr(value, "__dataclass_fields__"):
        for name in value.__dataclass_fields__:
            yield from _walk(getattr(value, name))
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _walk(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _walk(item)
    else:
        yield value
