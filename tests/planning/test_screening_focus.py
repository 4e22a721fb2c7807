"""The screening results for the patient's destinations lead; the products approved only elsewhere are folded."""

from __future__ import annotations

from planning.case import parse_case
from planning.eligibility import screen
from planning.knowledge.pack import load_pack
from planning.screening_focus import chosen_regions, focus

PACK = load_pack()
CODES = {i.code: [s.code for s in i.subtypes] for i in PACK.indications}


def lymphoma(destinations: list[str] | None) -> dict:
    return {
        "format": "careplan-case",
        "version": 2,
        "patient": {"date_of_birth": "1970-03-15"},
        "clinical": {"indication": "lbcl"},
        "preferences": {"destinations": destinations},
    }


def test_products_for_china_lead_and_the_others_are_folded() -> None:
    result = screen(parse_case(lymphoma(["CN"]), CODES), PACK)
    split = focus(result, PACK, ["CN"])
    assert {r.therapy for r in split.lead} == {"axicabtagene", "relmacabtagene"}
    assert {r.therapy for r in split.others} == {"tisagenlecleucel", "lisocabtagene"}
    assert split.regions == ("CN",)
    assert len(split.lead) + len(split.others) == len(result.results)


def test_germany_reaches_eu_approvals_and_no_destination_shows_all() -> None:
    result = screen(parse_case(lymphoma(["DE"]), CODES), PACK)
    split = focus(result, PACK, ["DE"])
    assert {r.therapy for r in split.lead} == {"axicabtagene", "tisagenlecleucel", "lisocabtagene"}
    assert [r.therapy for r in split.others] == ["relmacabtagene"]
    assert split.regions == ("EU",)
    everything = focus(result, PACK, None)
    assert everything.lead == result.results and not everything.others
    assert focus(result, PACK, []).lead == result.results
    assert chosen_regions(["GB", "US"], ["EU", "US", "GB"]) == ("GB", "US")  # no EU approval after Brexit


def test_the_trials_only_result_is_never_folded() -> None:
    case = lymphoma(["CN"])
    case["clinical"]["indication"] = "sle"
    result = screen(parse_case(case, CODES), PACK)
    split = focus(result, PACK, ["CN"])
    assert split.lead == result.results and not split.others
