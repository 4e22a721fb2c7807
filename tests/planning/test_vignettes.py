"""The 26 fictional patients of tests/planning/vignettes.py: every verdict as the labels and trials give it,
and what the estimate then offers for each destination."""

from __future__ import annotations

from typing import Any

import pytest

from planning.case import parse_case
from planning.eligibility import screen
from planning.estimate import estimate
from planning.knowledge.pack import load_pack
from tests.planning.vignettes import SCREENED_ON, VIGNETTES

PACK = load_pack()
CODES = {i.code: [s.code for s in i.subtypes] for i in PACK.indications}
WHERE = {"US": "US", "EU": "DE", "GB": "GB", "CN": "CN"}


def test_there_are_26_vignettes_covering_every_approved_indication() -> None:
    assert len(VIGNETTES) == 26
    covered = {document["clinical"]["indication"] for _w, document, _o, _e in VIGNETTES}
    assert covered == {a.indication for t in PACK.therapies for a in t.approvals} - {"mzl"}


@pytest.mark.parametrize(("document", "overall", "expected"), [v[1:] for v in VIGNETTES], ids=[v[0] for v in VIGNETTES])
def test_vignette(document: dict[str, Any], overall: str, expected: dict[tuple[str, str], str]) -> None:
    case = parse_case(document, CODES, SCREENED_ON)
    result = screen(case, PACK, today=SCREENED_ON)
    assert result.overall == overall
    for (therapy, region), verdict in expected.items():
        assert result.result(therapy).regions[region] == verdict, (therapy, region)
    # the estimate offers a product in a destination exactly when it is not ruled out there
    offered = estimate(case, PACK, countries=list(WHERE.values()), screening=result, today=SCREENED_ON)
    for (therapy, region), verdict in expected.items():
        country = WHERE[region]
        options = [o.therapy for o in offered.options if o.country == country and o.available]
        assert (therapy in options) is (verdict != "not_eligible"), (therapy, country, verdict)
