"""Case format version 2: the treatment-history facts, each bad value named by its field; version 1 reads unchanged."""

from __future__ import annotations

from typing import Any

import pytest

from planning.case import CaseError, case_to_document, parse_case
from planning.knowledge.models import Pack


@pytest.fixture(scope="module")
def subtypes(fixture_pack: Pack) -> dict[str, list[str]]:
    """The frozen fixture pack's indications and subtypes: the messages below list lbcl's."""
    return {i.code: [s.code for s in i.subtypes] for i in fixture_pack.indications}


def clinical(**values: Any) -> dict[str, Any]:
    return {"format": "careplan-case", "version": 2, "clinical": {"indication": "lbcl", **values}}


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"subtype": "gej"}, "clinical.subtype", "must be one of dlbcl, pmbcl, hgbl, tfl"),
        ({"relapse_count": -1}, "clinical.relapse_count", "must be from 0 to 30"),
        ({"relapse_count": 1.5}, "clinical.relapse_count", "must be a whole number from 0 to 30"),
        ({"months_to_progression": -2}, "clinical.months_to_progression", "must be from 0 to 600 months"),
        ({"months_to_progression": "soon"}, "clinical.months_to_progression", "must be a number"),
        ({"transplant_eligible": "no"}, "clinical.transplant_eligible", "must be true, false or null (unknown)"),
        ({"refractory_to": "lenalidomide"}, "clinical.refractory_to", "must be a list of texts"),
        ({"biomarkers": ["cd19"]}, "clinical.biomarkers", "must be an object of markers (cd19, bcma, cldn18_2, her2)"),
        (
            {"biomarkers": {"cldn18_2": "pos"}},
            "clinical.biomarkers.cldn18_2",
            "must be one of positive, negative, unknown",
        ),
        ({"biomarkers": {"egfr": "positive"}}, "clinical.biomarkers.egfr", "unknown field"),
        ({"karnofsky_lansky": 110}, "clinical.karnofsky_lansky", "must be from 0 to 100"),
    ],
)
def test_each_bad_value_is_named_by_its_field(
    values: dict[str, Any], field: str, message: str, subtypes: dict[str, list[str]]
) -> None:
    with pytest.raises(CaseError) as caught:
        parse_case(clinical(**values), subtypes)
    assert [(p.field, p.message) for p in caught.value.problems] == [(field, message)]


def test_an_indication_without_subtypes_takes_none(subtypes: dict[str, list[str]]) -> None:
    document = clinical(subtype="dlbcl")
    document["clinical"]["indication"] = "mm"
    with pytest.raises(CaseError) as caught:
        parse_case(document, subtypes)
    assert [(p.field, p.message) for p in caught.value.problems] == [
        ("clinical.subtype", "the indication mm has no subtypes")
    ]


def test_the_facts_round_trip_and_unknown_markers_stay_unknown(subtypes: dict[str, list[str]]) -> None:
    document = clinical(
        subtype="tfl",
        relapse_count=2,
        months_to_progression=7.5,
        transplant_eligible=False,
        refractory_to=["R-ICE"],
        biomarkers={"cd19": "positive", "her2": "unknown", "bcma": None},
        karnofsky_lansky=70,
    )
    case = parse_case(document, subtypes)
    assert case.clinical.biomarker("cd19") == "positive" and case.clinical.biomarker("her2") is None
    written = case_to_document(case)
    assert written["version"] == 2
    assert written["clinical"]["biomarkers"] == {"cd19": "positive", "bcma": None, "cldn18_2": None, "her2": None}
    assert parse_case(written, subtypes) == case


def test_a_version_1_file_reads_with_the_new_facts_unknown(subtypes: dict[str, list[str]]) -> None:
    case = parse_case(
        {"format": "careplan-case", "version": 1, "clinical": {"indication": "mm", "prior_lines": 3}}, subtypes
    )
    assert case.clinical.prior_lines == 3
    assert (case.clinical.relapse_count, case.clinical.refractory_to, case.clinical.biomarkers) == (None, None, None)
