"""Pre-screening: label conditions per approval and region, firm exclusions, trial thresholds, five verdicts.

Each approved indication has a baseline case that meets every label, exclusion and trial criterion of
the products approved for it (where the labels allow: ages differ by region). Each row of the tables
changes one thing (or the few that belong together) and names the verdict of one product in one
region. The rows sit at the labels' boundaries: 12/13 months, 1/2/3 lines, each required class present
or missing, refractory yes/no/unknown, relapse count 1/2, age 25/26, Lansky 40/50/60, each biomarker.
Screening is pure: the real bundled pack, no mocks.
"""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest

from planning.case import parse_case
from planning.eligibility import VERDICTS, Finding, Screening, ask_for, best, region_verdict, screen
from planning.knowledge.pack import load_pack

TODAY = date(2026, 12, 3)
PACK = load_pack()
CODES = {i.code: [s.code for s in i.subtypes] for i in PACK.indications}

TISA, AXI, BREXU, LISO = "tisagenlecleucel", "axicabtagene", "brexucabtagene", "lisocabtagene"
IDE, CILTA, OBE, RELMA = "idecabtagene", "ciltacabtagene", "obecabtagene", "relmacabtagene"
EQUE, INATI, ZEVOR, SATRI = "equecabtagene", "inaticabtagene", "zevorcabtagene", "satricabtagene"
C, N, R, X, INV = "candidate", "needs_information", "centre_review", "not_eligible", "investigational"


def born(age: int) -> str:
    """A date of birth that makes the patient exactly ``age`` on TODAY."""
    return f"{TODAY.year - age}-06-01"


ALL_WELL = {
    "ecog": 0,
    "cns_involvement": False,
    "active_infection": False,
    "hiv_hbv_hcv_active": False,
    "prior_allo_sct": False,
    "pregnant": False,
    "creatinine_clearance_ml_min": 90,
    "lvef_percent": 60,
    "alt_x_uln": 1.0,
    "bilirubin_x_uln": 0.8,
    "spo2_percent": 97,
}

BASELINES: dict[str, dict[str, Any]] = {
    "lbcl": {
        "age": 56,
        "subtype": "dlbcl",
        "disease_status": "refractory",
        "prior_lines": 2,
        "prior_therapies": ["R-CHOP", "R-ICE"],
        "transplant_eligible": False,
    },
    "fl": {"age": 61, "disease_status": "refractory", "prior_lines": 3, "prior_therapies": ["BR", "R2", "R-CHOP"]},
    "mcl": {"age": 66, "disease_status": "relapsed", "prior_lines": 2, "prior_therapies": ["BR", "ibrutinib"]},
    "mm": {
        "age": 63,
        "disease_status": "refractory",
        "prior_lines": 3,
        "prior_therapies": ["VRd", "ASCT", "DPd"],
        "refractory_to": ["lenalidomide"],
    },
    "cll": {"age": 70, "disease_status": "relapsed", "prior_lines": 2, "prior_therapies": ["ibrutinib", "venetoclax"]},
    "mzl": {"age": 68, "disease_status": "relapsed", "prior_lines": 2, "prior_therapies": ["BR", "R-CHOP"]},
    "b_all": {
        "age": 30,
        "disease_status": "refractory",
        "prior_lines": 2,
        "prior_therapies": ["Hyper-CVAD"],
        "karnofsky_lansky": 90,
    },
    "gastric": {
        "age": 59,
        "subtype": "gastric",
        "disease_status": "refractory",
        "prior_lines": 2,
        "prior_therapies": ["FOLFOX"],
        "biomarkers": {"cldn18_2": "positive", "her2": "negative"},
    },
}
"""Per indication: a case meeting every criterion of the products approved for it."""

BASELINE_REGIONS = {
    "lbcl": {TISA: {"US": C, "EU": C}, AXI: {"US": C, "EU": C, "CN": C}, LISO: {"US": C, "EU": C}, RELMA: {"CN": C}},
    "fl": {TISA: {"US": C, "EU": C}, AXI: {"US": C, "EU": C}, LISO: {"US": C}, RELMA: {"CN": C}},
    "mcl": {BREXU: {"US": C, "EU": C}, LISO: {"US": C}},
    "mm": {IDE: {"US": C, "EU": C}, CILTA: {"US": C, "EU": C, "CN": C}, EQUE: {"CN": C}, ZEVOR: {"CN": C}},
    "cll": {LISO: {"US": C}},
    "mzl": {LISO: {"US": C}},
    # 30 years old: past tisa-cel's 25 everywhere; brexu-cel and obe-cel from 26 in the EU
    "b_all": {TISA: {"US": X, "EU": X}, BREXU: {"US": C, "EU": C}, OBE: {"US": C, "EU": C, "GB": C}, INATI: {"CN": C}},
    "gastric": {SATRI: {"CN": C}},
}


def document(code: str, **changes: Any) -> dict[str, Any]:
    clinical = {"indication": code, **ALL_WELL, **copy.deepcopy(BASELINES[code])}
    age = clinical.pop("age")
    for key, value in changes.items():
        if key == "age":
            age = value
        elif value is None:
            clinical.pop(key, None)
        else:
            clinical[key] = value
    return {"patient": {"date_of_birth": born(age), "sex": "female"}, "clinical": clinical}


def run(code: str, **changes: Any) -> Screening:
    return screen(parse_case(document(code, **changes), CODES, TODAY), PACK, today=TODAY)


def regions(result: Screening) -> dict[str, dict[str, str]]:
    return {r.therapy: dict(r.regions) for r in result.results}


@pytest.mark.parametrize("code", sorted(BASELINES))
def test_baseline_verdicts_per_product_and_region(code: str) -> None:
    result = run(code)
    assert regions(result) == BASELINE_REGIONS[code]
    for r in result.results:
        assert r.verdict == best(list(r.regions.values()))
        assert {f.kind for f in r.findings} <= {"label", "exclusion", "trial"}
    assert result.missing == ()


# (id, indication, changes, therapy, region, expected verdict in that region)
ROWS: list[tuple[str, str, dict[str, Any], str, str, str]] = [
    # LBCL second line: refractory, or relapse within 12 months of first-line therapy
    (
        "lbcl 2L relapse at 12 months",
        "lbcl",
        {"prior_lines": 1, "disease_status": "relapsed", "months_to_progression": 12},
        AXI,
        "US",
        C,
    ),
    (
        "lbcl 2L relapse at 13 months",
        "lbcl",
        {"prior_lines": 1, "disease_status": "relapsed", "months_to_progression": 13},
        AXI,
        "US",
        X,
    ),
    (
        "lbcl 2L relapse at 13 months EU",
        "lbcl",
        {"prior_lines": 1, "disease_status": "relapsed", "months_to_progression": 13},
        AXI,
        "EU",
        X,
    ),
    (
        "lbcl 2L relapse at 12 months CN",
        "lbcl",
        {"prior_lines": 1, "disease_status": "relapsed", "months_to_progression": 12},
        AXI,
        "CN",
        C,
    ),
    (
        "lbcl 2L relapse timing unknown",
        "lbcl",
        {"prior_lines": 1, "disease_status": "relapsed", "months_to_progression": None},
        AXI,
        "US",
        N,
    ),
    ("lbcl 2L refractory", "lbcl", {"prior_lines": 1, "disease_status": "refractory"}, AXI, "US", C),
    ("lbcl 2L is no third line", "lbcl", {"prior_lines": 1, "disease_status": "refractory"}, TISA, "US", X),
    (
        "lbcl 36-month relapse, fit for transplant",
        "lbcl",
        {"prior_lines": 1, "disease_status": "relapsed", "months_to_progression": 36, "transplant_eligible": True},
        LISO,
        "US",
        X,
    ),
    (
        "lbcl 36-month relapse, not fit for transplant",
        "lbcl",
        {"prior_lines": 1, "disease_status": "relapsed", "months_to_progression": 36, "transplant_eligible": False},
        LISO,
        "US",
        C,
    ),
    (
        "lbcl 36-month relapse, transplant fitness unknown",
        "lbcl",
        {"prior_lines": 1, "disease_status": "relapsed", "months_to_progression": 36, "transplant_eligible": None},
        LISO,
        "US",
        N,
    ),
    (
        "lbcl 36-month relapse axi",
        "lbcl",
        {"prior_lines": 1, "disease_status": "relapsed", "months_to_progression": 36, "transplant_eligible": False},
        AXI,
        "US",
        X,
    ),
    (
        "lbcl transplant-ineligible path is US only",
        "lbcl",
        {"prior_lines": 1, "disease_status": "relapsed", "months_to_progression": 36, "transplant_eligible": False},
        LISO,
        "EU",
        X,
    ),
    (
        "lbcl third line relapsed late",
        "lbcl",
        {"prior_lines": 2, "disease_status": "relapsed", "months_to_progression": 36},
        TISA,
        "US",
        C,
    ),
    ("lbcl no earlier line", "lbcl", {"prior_lines": 0}, AXI, "US", X),
    ("lbcl in remission", "lbcl", {"disease_status": "remission"}, AXI, "US", X),
    ("lbcl newly diagnosed", "lbcl", {"disease_status": "newly_diagnosed", "prior_lines": 0}, LISO, "US", X),
    ("lbcl disease status unknown", "lbcl", {"disease_status": None}, AXI, "US", N),
    ("lbcl adult only", "lbcl", {"age": 17}, AXI, "US", X),
    # subtypes named by the label (tisa-cel: not PMBCL; axi-cel EU second line: DLBCL and HGBL)
    ("lbcl PMBCL tisa US", "lbcl", {"subtype": "pmbcl"}, TISA, "US", X),
    ("lbcl PMBCL axi US", "lbcl", {"subtype": "pmbcl"}, AXI, "US", C),
    ("lbcl HGBL tisa US", "lbcl", {"subtype": "hgbl"}, TISA, "US", C),
    ("lbcl HGBL tisa EU", "lbcl", {"subtype": "hgbl"}, TISA, "EU", X),
    ("lbcl transformed FL tisa EU", "lbcl", {"subtype": "tfl"}, TISA, "EU", C),
    ("lbcl PMBCL axi EU second line", "lbcl", {"subtype": "pmbcl", "prior_lines": 1}, AXI, "EU", X),
    ("lbcl HGBL axi EU second line", "lbcl", {"subtype": "hgbl", "prior_lines": 1}, AXI, "EU", C),
    ("lbcl subtype unknown tisa", "lbcl", {"subtype": None}, TISA, "US", N),
    ("lbcl subtype unknown liso", "lbcl", {"subtype": None}, LISO, "US", C),
    # B-ALL: tisa-cel up to 25; refractory or second or later relapse (US); also relapse after transplant (EU)
    ("b_all first relapse US", "b_all", {"age": 9, "disease_status": "relapsed", "relapse_count": 1}, TISA, "US", X),
    (
        "b_all first relapse EU, no transplant",
        "b_all",
        {"age": 9, "disease_status": "relapsed", "relapse_count": 1},
        TISA,
        "EU",
        X,
    ),
    (
        "b_all first relapse EU after transplant",
        "b_all",
        {"age": 9, "disease_status": "relapsed", "relapse_count": 1, "prior_allo_sct": True},
        TISA,
        "EU",
        C,
    ),
    (
        "b_all first relapse US after transplant",
        "b_all",
        {"age": 9, "disease_status": "relapsed", "relapse_count": 1, "prior_allo_sct": True},
        TISA,
        "US",
        X,
    ),
    ("b_all second relapse", "b_all", {"age": 9, "disease_status": "relapsed", "relapse_count": 2}, TISA, "US", C),
    (
        "b_all relapse count unknown",
        "b_all",
        {"age": 9, "disease_status": "relapsed", "relapse_count": None},
        TISA,
        "US",
        N,
    ),
    ("b_all refractory child", "b_all", {"age": 9}, TISA, "US", C),
    ("b_all age 25", "b_all", {"age": 25}, TISA, "US", C),
    ("b_all age 26", "b_all", {"age": 26}, TISA, "EU", X),
    ("b_all brexu EU at 25", "b_all", {"age": 25}, BREXU, "EU", X),
    ("b_all brexu EU at 26", "b_all", {"age": 26}, BREXU, "EU", C),
    ("b_all obe GB licence from 18", "b_all", {"age": 19}, OBE, "GB", C),
    ("b_all obe EU from 26", "b_all", {"age": 19}, OBE, "EU", X),
    ("b_all Lansky 40", "b_all", {"age": 9, "karnofsky_lansky": 40}, TISA, "US", X),
    ("b_all Lansky 50", "b_all", {"age": 9, "karnofsky_lansky": 50}, TISA, "US", C),
    ("b_all Lansky 60", "b_all", {"age": 9, "karnofsky_lansky": 60}, TISA, "US", C),
    ("b_all child, no score, ECOG 0", "b_all", {"age": 9, "karnofsky_lansky": None}, TISA, "US", C),
    ("b_all child, no score, no ECOG", "b_all", {"age": 9, "karnofsky_lansky": None, "ecog": None}, TISA, "US", N),
    # myeloma
    (
        "mm cilta US after one line, lenalidomide-refractory",
        "mm",
        {"prior_lines": 1, "prior_therapies": ["VRd"], "refractory_to": ["lenalidomide"]},
        CILTA,
        "US",
        C,
    ),
    (
        "mm cilta US, refractory to bortezomib only",
        "mm",
        {"prior_lines": 1, "prior_therapies": ["VRd"], "refractory_to": ["bortezomib"]},
        CILTA,
        "US",
        X,
    ),
    (
        "mm cilta US, refractoriness unknown",
        "mm",
        {"prior_lines": 1, "prior_therapies": ["VRd"], "refractory_to": None},
        CILTA,
        "US",
        N,
    ),
    (
        "mm cilta US, never on lenalidomide",
        "mm",
        {"prior_lines": 1, "prior_therapies": ["VCd"], "refractory_to": ["bortezomib"]},
        CILTA,
        "US",
        X,
    ),
    (
        "mm cilta EU after one line",
        "mm",
        {"prior_lines": 1, "prior_therapies": ["VRd"], "refractory_to": ["lenalidomide"]},
        CILTA,
        "EU",
        C,
    ),
    ("mm cilta CN needs three lines", "mm", {"prior_lines": 2, "prior_therapies": ["VRd", "DPd"]}, CILTA, "CN", X),
    ("mm cilta CN at three lines", "mm", {"prior_lines": 3}, CILTA, "CN", C),
    ("mm ide US after one line", "mm", {"prior_lines": 1, "prior_therapies": ["D-VRd"]}, IDE, "US", X),
    ("mm ide EU after one line", "mm", {"prior_lines": 1, "prior_therapies": ["D-VRd"]}, IDE, "EU", X),
    (
        "mm ide US two lines, all three classes",
        "mm",
        {"prior_lines": 2, "prior_therapies": ["VRd", "DPd"]},
        IDE,
        "US",
        C,
    ),
    ("mm ide US two lines, no anti-CD38", "mm", {"prior_lines": 2, "prior_therapies": ["VRd", "Pd"]}, IDE, "US", X),
    (
        "mm ide US, an unrecognised therapy",
        "mm",
        {"prior_lines": 2, "prior_therapies": ["VRd", "Pd", "XYZ-123"]},
        IDE,
        "US",
        N,
    ),
    ("mm eque CN at two lines", "mm", {"prior_lines": 2}, EQUE, "CN", X),
    # CLL: two or more lines including a BTK inhibitor and a BCL-2 inhibitor
    ("cll BTK inhibitor only", "cll", {"prior_therapies": ["ibrutinib", "FCR"]}, LISO, "US", X),
    ("cll BTK and BCL-2", "cll", {"prior_therapies": ["ibrutinib", "venetoclax + obinutuzumab"]}, LISO, "US", C),
    ("cll one line", "cll", {"prior_lines": 1}, LISO, "US", X),
    # MCL: liso-cel US and brexu-cel EU need a BTK inhibitor among two or more lines
    ("mcl no BTK inhibitor", "mcl", {"prior_therapies": ["BR", "R-CHOP"]}, LISO, "US", X),
    ("mcl brexu EU no BTK inhibitor", "mcl", {"prior_therapies": ["BR", "R-CHOP"]}, BREXU, "EU", X),
    ("mcl brexu US needs no BTK inhibitor", "mcl", {"prior_therapies": ["BR", "R-CHOP"]}, BREXU, "US", C),
    # FL
    ("fl axi EU after two lines", "fl", {"prior_lines": 2}, AXI, "EU", X),
    ("fl axi EU after three lines", "fl", {"prior_lines": 3}, AXI, "EU", C),
    ("fl axi US after two lines", "fl", {"prior_lines": 2}, AXI, "US", C),
    ("fl tisa EU after one line", "fl", {"prior_lines": 1}, TISA, "EU", X),
    (
        "fl relma relapse at 24 months",
        "fl",
        {"disease_status": "relapsed", "months_to_progression": 24},
        RELMA,
        "CN",
        C,
    ),
    (
        "fl relma relapse at 25 months",
        "fl",
        {"disease_status": "relapsed", "months_to_progression": 25},
        RELMA,
        "CN",
        X,
    ),
    # gastric: CLDN18.2-positive, HER2-negative
    ("gastric CLDN18.2 not tested", "gastric", {"biomarkers": {"her2": "negative"}}, SATRI, "CN", N),
    (
        "gastric CLDN18.2 negative",
        "gastric",
        {"biomarkers": {"cldn18_2": "negative", "her2": "negative"}},
        SATRI,
        "CN",
        X,
    ),
    ("gastric HER2 positive", "gastric", {"biomarkers": {"cldn18_2": "positive", "her2": "positive"}}, SATRI, "CN", X),
    ("gastric one line", "gastric", {"prior_lines": 1}, SATRI, "CN", X),
    # firm exclusions
    ("pregnant", "lbcl", {"pregnant": True}, AXI, "US", X),
    ("active infection", "mm", {"active_infection": True}, CILTA, "US", X),
    ("ECOG 3", "lbcl", {"ecog": 3}, LISO, "US", X),
    ("ECOG 4", "mm", {"ecog": 4}, IDE, "US", X),
    ("Karnofsky 40 adult", "lbcl", {"ecog": None, "karnofsky_lansky": 40}, LISO, "US", X),
    # trial thresholds: the centre's call
    ("ECOG 2 axi", "lbcl", {"ecog": 2}, AXI, "US", R),
    ("ECOG 2 liso", "lbcl", {"ecog": 2}, LISO, "US", C),
    ("CrCl 59 axi", "lbcl", {"creatinine_clearance_ml_min": 59}, AXI, "US", R),
    ("CrCl 59 liso", "lbcl", {"creatinine_clearance_ml_min": 59}, LISO, "US", C),
    ("CrCl 30 liso", "lbcl", {"creatinine_clearance_ml_min": 30}, LISO, "US", R),
    ("CrCl 31 liso", "lbcl", {"creatinine_clearance_ml_min": 31}, LISO, "US", C),
    ("LVEF 45 axi", "lbcl", {"lvef_percent": 45}, AXI, "US", R),
    ("LVEF 45 liso", "lbcl", {"lvef_percent": 45}, LISO, "US", C),
    ("LVEF 39 liso", "lbcl", {"lvef_percent": 39}, LISO, "US", R),
    ("secondary CNS involvement axi", "lbcl", {"cns_involvement": True}, AXI, "US", R),
    ("secondary CNS involvement liso", "lbcl", {"cns_involvement": True}, LISO, "US", C),
    (
        "prior CD19 therapy is a trial matter, brexu-cel",
        "mcl",
        {"prior_therapies": ["BR", "ibrutinib", "tafasitamab"]},
        BREXU,
        "US",
        R,
    ),
    (
        "prior tafasitamab axi, no confirmed trial limit",
        "lbcl",
        {"prior_therapies": ["R-CHOP", "tafasitamab"]},
        AXI,
        "US",
        C,
    ),
    ("prior tafasitamab liso", "lbcl", {"prior_therapies": ["R-CHOP", "tafasitamab"]}, LISO, "US", C),
    ("myeloma CrCl 44", "mm", {"creatinine_clearance_ml_min": 44}, IDE, "US", R),
    ("myeloma CrCl 44 cilta", "mm", {"creatinine_clearance_ml_min": 44}, CILTA, "US", C),
    ("myeloma CrCl 39 cilta", "mm", {"creatinine_clearance_ml_min": 39}, CILTA, "US", R),
    ("myeloma prior teclistamab", "mm", {"prior_therapies": ["VRd", "ASCT", "DPd", "teclistamab"]}, CILTA, "US", R),
    ("active hepatitis", "lbcl", {"hiv_hbv_hcv_active": True}, LISO, "US", R),
    ("trial threshold unknown", "lbcl", {"creatinine_clearance_ml_min": None}, AXI, "US", N),
]


@pytest.mark.parametrize(
    ("code", "changes", "therapy", "region", "expected"), [r[1:] for r in ROWS], ids=[r[0] for r in ROWS]
)
def test_one_change_at_a_time(code: str, changes: dict[str, Any], therapy: str, region: str, expected: str) -> None:
    result = run(code, **changes)
    assert regions(result)[therapy][region] == expected
    screened = result.result(therapy)
    if expected == X:
        assert screened.reasons(region), "a product ruled out names why"
        assert all(f.kind in ("label", "exclusion") for f in screened.reasons(region))
    if expected == R:
        outside = [f for f in screened.findings if f.status == "not_met"]
        assert outside and all(f.kind == "trial" for f in outside)
    if expected == N:
        assert result.missing, "what is unknown is asked for"


def test_an_infection_is_said_to_rule_out_only_until_resolved() -> None:
    finding = next(
        f
        for f in run("mm", active_infection=True).results[0].findings
        if f.kind == "exclusion" and f.status == "not_met"
    )
    assert "until resolved" in finding.detail


def test_the_ask_list_names_the_facts_the_labels_turn_on() -> None:
    result = run("b_all", age=9, disease_status="relapsed", relapse_count=None, prior_allo_sct=None)
    assert "clinical.relapse_count" in result.missing
    assert "clinical.prior_allo_sct" in result.missing
    result = run("gastric", biomarkers=None)
    assert result.missing[:2] == ("clinical.biomarkers.cldn18_2", "clinical.biomarkers.her2")
    assert any("CLDN18.2" in words for words in ask_for(result))
    result = run("lbcl", prior_lines=1, disease_status="relapsed", months_to_progression=None, transplant_eligible=None)
    assert {"clinical.months_to_progression", "clinical.transplant_eligible"} <= set(result.missing)
    result = run("mm", prior_lines=1, prior_therapies=["VRd"], refractory_to=None)
    assert "clinical.refractory_to" in result.missing


def test_nothing_is_asked_for_a_product_already_ruled_out() -> None:
    result = run(
        "lbcl",
        prior_lines=1,
        disease_status="relapsed",
        months_to_progression=36,
        transplant_eligible=True,
        creatinine_clearance_ml_min=None,
    )
    assert result.overall == X
    assert result.missing == ()


def test_missing_data_is_never_a_candidate() -> None:
    for code in BASELINES:
        bare = screen(parse_case({"clinical": {"indication": code}}, CODES, TODAY), PACK, today=TODAY)
        assert all(r.verdict in (N, X) for r in bare.results), code
        assert bare.overall in (N, X)


@pytest.mark.parametrize(
    "code",
    ["sle", "ms", "t1d", "nsclc", "hcc", "crc", "breast", "aml", "t_cell", "hodgkin", "glioblastoma", "neuroblastoma"],
)
def test_indications_without_an_approved_product_run_no_oncology_criteria(code: str) -> None:
    result = screen(
        parse_case({"clinical": {"indication": code, "ecog": 4, "prior_lines": 0}}, CODES, TODAY), PACK, today=TODAY
    )
    assert result.overall == INV
    assert [r.findings for r in result.results] == [()]
    assert result.missing == ()


def finding(kind: str, status: str) -> Finding:
    return Finding("c", status, "l", "v", "d", kind, (), (), "s", "2026")


@pytest.mark.parametrize(
    ("findings", "expected"),
    [
        ([("label", "met"), ("exclusion", "met"), ("trial", "met")], C),
        ([("label", "not_met"), ("trial", "met")], X),
        ([("exclusion", "not_met"), ("label", "met")], X),
        ([("label", "unknown"), ("trial", "not_met")], N),
        ([("trial", "unknown"), ("trial", "not_met")], N),
        ([("trial", "not_met"), ("label", "met")], R),
        ([("label", "not_met"), ("label", "unknown")], X),
        ([("exclusion", "unknown")], N),
        ([], C),
    ],
)
def test_kind_and_status_decide_the_verdict(findings: list[tuple[str, str]], expected: str) -> None:
    assert region_verdict([finding(k, s) for k, s in findings]) == expected


def test_the_best_verdict_wins_in_the_order_of_design() -> None:
    assert VERDICTS == (C, N, R, X, INV)
    assert best([X, R]) == R
    assert best([R, N]) == N
    assert best([X, INV]) == X


def test_json_names_the_kind_of_every_finding() -> None:
    data = run("lbcl", ecog=2).to_json()
    kinds = {f["kind"] for r in data["results"] for f in r["findings"]}
    assert kinds == {"label", "exclusion", "trial"}
    assert {r["verdict"] for r in data["results"]} <= set(VERDICTS)
