"""A plan in a language whose catalog is missing is refused with a typed error, before any work."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest

import services.plans
from planning.case import parse_case
from planning.catalogs import MISSING, CatalogError
from planning.knowledge.pack import load_pack
from services.plans import make_plan
from services.settings import Preferences


def test_make_plan_raises_catalog_error_before_screening(no_catalogs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pack = load_pack()
    documents = json.loads((resources.files("resources") / "samples" / "sample_cases.json").read_text("utf-8"))
    case = parse_case(documents[0], {i.code for i in pack.indications})

    def never(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("screened although the plan cannot be written")

    with monkeypatch.context() as patched, pytest.raises(CatalogError) as raised:
        patched.setattr(services.plans, "screen", never)
        make_plan(case, pack, "CP-1", "de", Preferences(), rates=pack.rates, costs=pack.cost_defaults)
    assert raised.value.problem == MISSING and raised.value.locale == "de"
    assert str(raised.value) == (
        f"The German catalog is missing ({no_catalogs / 'de' / 'LC_MESSAGES' / 'careplan.po'}): "
        "reinstall CarePlan Desk."
    )
    # English needs no catalog
    made = make_plan(case, pack, "CP-1", "en", Preferences(), rates=pack.rates, costs=pack.cost_defaults)
    assert made.plan.title == "Treatment plan and cost estimate"
