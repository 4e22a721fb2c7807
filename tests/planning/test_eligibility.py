"""Pre-screening against the pack's 34 structured criteria: one change at a time from a case that meets all.

Each indication has a complete baseline on which every approved product is a candidate in every region
where it is approved. Each row of the tables changes one thing (or two that belong together) and names
the exact verdict of the products it concerns, the region verdicts where labels differ, and the status
of the criterion that decides it. Screening is pure: the real bundled pack, no mocks.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from datetime import date
from typing import Any

import pytest

from planning.case import Case, empty_document, parse_case
from planning.eligibility import DISCLAIMER, VERDICTS, Screening, ask_for, screen
from planning.knowledge.pack import load_pack

TODAY = date(2026, 11, 26)
PACK = load_pack()
CODES = frozenset(i.code for i in PACK.indications)

TISA, AXI, BREXU, LISO = "tisagenlecleucel", "axicabtagene", "brexucabtagene", "lisocabtagene"
IDE, CILTA, OBE, RELMA = "idecabtagene", "ciltacabtagene", "obecabtagene", "relmacabtagene"
EQUE, INATI, ZEVOR, SATRI = "equecabtagene", "inaticabtagene", "zevorcabtagene", "satricabtagene"
C, N, X, INV = "candidate", "needs_information", "not_eligible", "investigational"
INVESTIGATIONAL = ("sle", "ms", "t1d", "nsclc", "hcc", "crc", "breast")


def born(age: int) -> str:
    """A date of birth that makes the patient exactly ``age`` on TODAY (birthday earlier in the year)."""
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
"""Every general criterion met."""

BASELINES: dict[str, dict[str, Any]] = {
    "lbcl": {"age": 56, "disease_status": "refractory", "prior_lines": 2, "prior_therapies": ["R-CHOP", "R-ICE"]},
    "fl": {"age": 61, "disease_status": "relapsed", "prior_lines": 2, "prior_therapies": ["BR", "R2"]},
    "mcl": {"age": 66, "disease_status": "relapsed", "prior_lines": 2, "prior_therapies": ["BR", "ibrutinib"]},
    "mm": {"age": 63, "disease_status": "refractory", "prior_lines": 3, "prior_therapies": ["VRd", "ASCT", "DPd"]},
    "cll": {"age": 70, "disease_status": "relapsed", "prior_lines": 2, "prior_therapies": ["FCR", "ibrutinib"]},
    "mzl": {"age": 68, "disease_status": "relapsed", "prior_lines": 2, "prior_therapies": ["BR", "R-CHOP"]},
    "b_all": {"age": 22, "disease_status": "relapsed", "prior_lines": 2, "prior_therapies": ["Hyper-CVAD"]},
    "gastric": {"age": 59, "disease_status": "refractory", "prior_lines": 2, "prior_therapies": ["FOLFOX"]},
    **{
        code: {"age": 40, "disease_status": "refractory", "prior_lines": 3, "prior_therapies": ["rituximab"]}
        for code in INVESTIGATIONAL
    },
}
"""Per indication: a case meeting every criterion of every product approved for it."""

APPROVED_REGIONS = {
    "lbcl": {TISA: ["US", "EU"], AXI: ["US", "EU", "CN"], LISO: ["US"], RELMA: ["CN"]},
    "fl": {TISA: ["US"], AXI: ["EU"], LISO: ["US"], RELMA: ["CN"]},
    "mcl": {BREXU: ["US"], LISO: ["US"]},
    "mm": {IDE: ["EU", "US"], CILTA: ["EU", "US", "CN"], EQUE: ["CN"], ZEVOR: ["CN"]},
    "cll": {LISO: ["US"]},
    "mzl": {LISO: ["US"]},
    "b_all": {TISA: ["US", "EU"], BREXU: ["US"], OBE: ["US", "GB"], INATI: ["CN"]},
    "gastric": {SATRI: ["CN"]},
}
"""Which products are screened for each approved indication, and where (first-approval order)."""


def document(indication: str | None, changes: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The baseline case document for ``indication``, with ``changes`` by field path applied."""
    doc = empty_document()
    base = BASELINES.get(indication or "", BASELINES["lbcl"])
    doc["patient"].update(date_of_birth=born(base["age"]), sex="female")
    doc["clinical"].update(ALL_WELL)
    doc["clinical"].update({k: copy.deepcopy(v) for k, v in base.items() if k != "age"}, indication=indication)
    for path, value in (changes or {}).items():
        section, key = path.split(".")
        if key == "age":
            key, value = "date_of_birth", born(value)
        doc[section][key] = value
    return doc


def make_case(indication: str | None, changes: Mapping[str, Any] | None = None) -> Case:
    return parse_case(document(indication, changes), CODES, today=TODAY)


def run(indication: str | None, changes: Mapping[str, Any] | None = None, today: date = TODAY) -> Screening:
    screening = screen(make_case(indication, changes), PACK, today=today)
    check_consistency(screening)
    return screening


def by_id(screening: Screening) -> dict[str, Any]:
    return {r.therapy: r for r in screening.results}


def statuses(screening: Screening, criterion: str) -> set[str]:
    """The status of ``criterion`` in every product it was weighed for (the same everywhere)."""
    return {f.status for r in screening.results for f in r.findings if f.criterion == criterion}


def check_consistency(screening: Screening) -> None:
    """What holds for every screening, whatever the case (module docstring of planning.eligibility)."""
    for result in screening.results:
        if not result.therapy:
            continue
        assert list(result.regions) == PACK.therapy(result.therapy).regions_for(screening.indication)
        for region, verdict in result.regions.items():
            here = [f.status for f in result.findings if not f.regions or region in f.regions]
            if "not_met" in here:
                assert verdict == X, (result.therapy, region)
            elif "unknown" in here:
                assert verdict == N, (result.therapy, region)  # never candidate on missing data
            else:
                assert verdict == C, (result.therapy, region)
        assert result.verdict == min(result.regions.values(), key=VERDICTS.index)
        for finding in result.findings:
            if finding.status == "unknown":
                assert finding.fields and set(finding.fields) <= set(screening.missing), finding
    if screening.results:
        assert screening.overall == min((r.verdict for r in screening.results), key=VERDICTS.index)


# --- the baselines ---------------------------------------------------------------------------------


@pytest.mark.parametrize("indication", sorted(APPROVED_REGIONS))
def test_baseline_is_a_candidate_for_every_product_everywhere(indication: str) -> None:
    screening = run(indication)
    assert screening.overall == C
    assert screening.indication == indication
    assert {r.therapy: list(r.regions) for r in screening.results} == APPROVED_REGIONS[indication]
    for result in screening.results:
        assert result.verdict == C
        if (indication, result.therapy) == ("b_all", OBE):
            # no age fits every B-ALL label: tisa-cel up to 25, obe-cel 26 or older in Great Britain
            assert dict(result.regions) == {"US": C, "GB": X}
            assert [f.criterion for f in result.findings_with("not_met")] == ["age_min26_obecel_eu_gb"]
            continue
        assert set(result.regions.values()) == {C}
        assert {f.status for f in result.findings} == {"met"}
        assert result.generic_name == PACK.therapy(result.therapy).generic_name
    assert screening.missing == ()
    assert screening.unrecognised_therapies == ()
    assert screening.screened_on == TODAY
    assert screening.disclaimer == DISCLAIMER


def test_gastric_is_satricel_in_china_only() -> None:
    screening = run("gastric")
    (result,) = screening.results
    assert (result.therapy, result.generic_name) == (SATRI, "satricabtagene autoleucel")
    assert dict(result.regions) == {"CN": C}
    assert statuses(screening, "gastric_satricel_lines") == {"met"}
    one_line = run("gastric", {"clinical.prior_lines": 1})
    assert dict(by_id(one_line)[SATRI].regions) == {"CN": X}
    assert statuses(one_line, "gastric_satricel_lines") == {"not_met"}


# --- one change at a time ------------------------------------------------------------------------

Expect = Mapping[str, "str | tuple[str | None, Mapping[str, str]]"]
"""Per product: its verdict, or (its verdict or None for "not asserted", {region: verdict})."""

ROWS: list[tuple[str, str, dict[str, Any], Expect, tuple[str, str] | None, str | None]] = [
    # (id, indication, changes, expected verdicts, (criterion, status), overall)
    # --- performance status
    ("lbcl ecog 1", "lbcl", {"clinical.ecog": 1}, {TISA: C, AXI: C, LISO: C, RELMA: C}, ("ecog_max1", "met"), C),
    (
        "lbcl ecog 2",
        "lbcl",
        {"clinical.ecog": 2},
        {LISO: C, AXI: (X, {"US": X, "EU": X, "CN": X}), TISA: X, RELMA: X},
        ("ecog_max1", "not_met"),
        C,
    ),
    ("lbcl ecog 2 liso", "lbcl", {"clinical.ecog": 2}, {LISO: C}, ("ecog_max2_lisocel", "met"), C),
    (
        "lbcl ecog 3",
        "lbcl",
        {"clinical.ecog": 3},
        {LISO: X, AXI: X, TISA: X, RELMA: X},
        ("ecog_max2_lisocel", "not_met"),
        X,
    ),
    ("lbcl ecog 4", "lbcl", {"clinical.ecog": 4}, {LISO: X, AXI: X, TISA: X, RELMA: X}, ("ecog_max1", "not_met"), X),
    ("mm ecog 2", "mm", {"clinical.ecog": 2}, {IDE: X, CILTA: X, EQUE: X, ZEVOR: X}, ("ecog_max1", "not_met"), X),
    ("mcl ecog 2", "mcl", {"clinical.ecog": 2}, {LISO: C, BREXU: X}, ("ecog_max1", "not_met"), C),
    ("cll ecog 2", "cll", {"clinical.ecog": 2}, {LISO: C}, ("ecog_max2_lisocel", "met"), C),
    ("cll ecog 3", "cll", {"clinical.ecog": 3}, {LISO: X}, ("ecog_max2_lisocel", "not_met"), X),
    ("b_all ecog 2", "b_all", {"clinical.ecog": 2}, {TISA: X, BREXU: X, OBE: X, INATI: X}, ("ecog_max1", "not_met"), X),
    ("gastric ecog 2", "gastric", {"clinical.ecog": 2}, {SATRI: X}, ("ecog_max1", "not_met"), X),
    # --- organ function boundaries
    (
        "crcl 59",
        "lbcl",
        {"clinical.creatinine_clearance_ml_min": 59},
        {TISA: X, AXI: X, LISO: X, RELMA: X},
        ("kidney_crcl_min60", "not_met"),
        X,
    ),
    (
        "crcl 60",
        "lbcl",
        {"clinical.creatinine_clearance_ml_min": 60},
        {TISA: C, AXI: C, LISO: C, RELMA: C},
        ("kidney_crcl_min60", "met"),
        C,
    ),
    (
        "crcl 59.5",
        "mm",
        {"clinical.creatinine_clearance_ml_min": 59.5},
        {IDE: X, CILTA: X},
        ("kidney_crcl_min60", "not_met"),
        X,
    ),
    ("lvef 49", "mm", {"clinical.lvef_percent": 49}, {IDE: X, CILTA: X}, ("heart_lvef_min50", "not_met"), X),
    ("lvef 50", "mm", {"clinical.lvef_percent": 50}, {IDE: C, CILTA: C}, ("heart_lvef_min50", "met"), C),
    ("alt 2.5", "lbcl", {"clinical.alt_x_uln": 2.5}, {AXI: C}, ("liver_alt_max2_5uln", "met"), C),
    ("alt 2.6", "lbcl", {"clinical.alt_x_uln": 2.6}, {AXI: X}, ("liver_alt_max2_5uln", "not_met"), X),
    ("bilirubin 1.5", "fl", {"clinical.bilirubin_x_uln": 1.5}, {TISA: C}, ("liver_bilirubin_max1_5", "met"), C),
    ("bilirubin 1.6", "fl", {"clinical.bilirubin_x_uln": 1.6}, {TISA: X}, ("liver_bilirubin_max1_5", "not_met"), X),
    ("spo2 92", "b_all", {"clinical.spo2_percent": 92}, {TISA: X, OBE: X}, ("lungs_spo2_above92", "not_met"), X),
    ("spo2 93", "b_all", {"clinical.spo2_percent": 93}, {TISA: C, OBE: C}, ("lungs_spo2_above92", "met"), C),
    # --- age, B-ALL: tisa-cel up to 25, obe-cel >= 26 in EU/GB (>= 18 in the US), brexu-cel >= 18
    (
        "b_all age 25",
        "b_all",
        {"patient.age": 25},
        {TISA: (C, {"US": C, "EU": C}), OBE: (C, {"US": C, "GB": X}), BREXU: C, INATI: C},
        ("age_min26_obecel_eu_gb", "not_met"),
        C,
    ),
    (
        "b_all age 25 tisa",
        "b_all",
        {"patient.age": 25},
        {TISA: C},
        ("age_max25_tisacel_b_all", "met"),
        C,
    ),
    (
        "b_all age 26",
        "b_all",
        {"patient.age": 26},
        {TISA: (X, {"US": X, "EU": X}), OBE: (C, {"US": C, "GB": C}), BREXU: C, INATI: C},
        ("age_max25_tisacel_b_all", "not_met"),
        C,
    ),
    (
        "b_all age 26 obe",
        "b_all",
        {"patient.age": 26},
        {OBE: (C, {"US": C, "GB": C})},
        ("age_min26_obecel_eu_gb", "met"),
        C,
    ),
    (
        "b_all age 17",
        "b_all",
        {"patient.age": 17},
        {TISA: C, BREXU: X, OBE: (X, {"US": X, "GB": X}), INATI: X},
        ("age_adult_brexucel_b_all", "not_met"),
        C,
    ),
    (
        "b_all age 18",
        "b_all",
        {"patient.age": 18},
        {TISA: C, BREXU: C, OBE: (C, {"US": C, "GB": X}), INATI: C},
        ("age_adult_inaticel_b_all", "met"),
        C,
    ),
    (
        "b_all age 5",
        "b_all",
        {"patient.age": 5},
        {TISA: C, BREXU: X, OBE: X, INATI: X},
        ("age_adult_obecel_us", "not_met"),
        C,
    ),
    # --- age, lymphoma and myeloma: adults
    (
        "lbcl age 17",
        "lbcl",
        {"patient.age": 17},
        {TISA: X, AXI: X, LISO: X, RELMA: X},
        ("age_adult_lymphoma_myeloma", "not_met"),
        X,
    ),
    (
        "lbcl age 18",
        "lbcl",
        {"patient.age": 18},
        {TISA: C, AXI: C, LISO: C, RELMA: C},
        ("age_adult_lymphoma_myeloma", "met"),
        C,
    ),
    ("mcl age 17", "mcl", {"patient.age": 17}, {BREXU: X, LISO: X}, ("age_adult_lymphoma_myeloma", "not_met"), X),
    ("mm age 17", "mm", {"patient.age": 17}, {IDE: X, CILTA: X}, ("age_adult_lymphoma_myeloma", "not_met"), X),
    ("mm age 90", "mm", {"patient.age": 90}, {IDE: C, CILTA: C}, ("age_adult_lymphoma_myeloma", "met"), C),
    # --- LBCL lines: axi-cel and liso-cel second line when refractory/relapsed; tisa-cel and China >= 2
    (
        "lbcl 0 lines refractory",
        "lbcl",
        {"clinical.prior_lines": 0, "clinical.prior_therapies": []},
        {TISA: X, AXI: (X, {"US": X, "EU": X, "CN": X}), LISO: X, RELMA: X},
        ("lbcl_at_least_one_line", "not_met"),
        X,
    ),
    (
        "lbcl 0 lines refractory 2l rule",
        "lbcl",
        {"clinical.prior_lines": 0, "clinical.prior_therapies": []},
        {AXI: X},
        ("lbcl_lines_2l_or_3l", "met"),
        X,
    ),
    (
        "lbcl 1 line refractory",
        "lbcl",
        {"clinical.prior_lines": 1, "clinical.prior_therapies": ["R-CHOP"]},
        {TISA: X, AXI: (C, {"US": C, "EU": C, "CN": X}), LISO: C, RELMA: X},
        ("lbcl_lines_2l_or_3l", "met"),
        C,
    ),
    (
        "lbcl 1 line relapsed",
        "lbcl",
        {"clinical.prior_lines": 1, "clinical.disease_status": "relapsed"},
        {TISA: X, AXI: (C, {"US": C, "EU": C, "CN": X}), LISO: C, RELMA: X},
        ("lbcl_lines_third_line_tisacel", "not_met"),
        C,
    ),
    (
        "lbcl 1 line relapsed china",
        "lbcl",
        {"clinical.prior_lines": 1, "clinical.disease_status": "relapsed"},
        {AXI: (C, {"CN": X}), RELMA: (X, {"CN": X})},
        ("lbcl_lines_third_line_cn", "not_met"),
        C,
    ),
    (
        "lbcl 1 line remission",
        "lbcl",
        {"clinical.prior_lines": 1, "clinical.disease_status": "remission"},
        {TISA: X, AXI: (X, {"US": X, "EU": X, "CN": X}), LISO: X, RELMA: X},
        ("lbcl_lines_2l_or_3l", "not_met"),
        X,
    ),
    (
        "lbcl 1 line newly diagnosed",
        "lbcl",
        {"clinical.prior_lines": 1, "clinical.disease_status": "newly_diagnosed"},
        {AXI: X, LISO: X},
        ("lbcl_lines_2l_or_3l", "not_met"),
        X,
    ),
    (
        "lbcl 2 lines relapsed",
        "lbcl",
        {"clinical.prior_lines": 2, "clinical.disease_status": "relapsed"},
        {TISA: C, AXI: (C, {"US": C, "EU": C, "CN": C}), LISO: C, RELMA: C},
        ("lbcl_lines_third_line_cn", "met"),
        C,
    ),
    (
        "lbcl 2 lines status unknown",
        "lbcl",
        {"clinical.prior_lines": 2, "clinical.disease_status": None},
        {TISA: N, AXI: N, LISO: N, RELMA: N},  # relapsed or refractory must be known (every label says so)
        ("lbcl_lines_2l_or_3l", "met"),  # any one condition suffices: two lines, whatever the status
        N,
    ),
    (
        "lbcl 3 lines refractory",
        "lbcl",
        {"clinical.prior_lines": 3, "clinical.prior_therapies": ["R-CHOP", "R-ICE", "R-GemOx"]},
        {TISA: C, AXI: C, LISO: C, RELMA: C},
        ("lbcl_lines_third_line_tisacel", "met"),
        C,
    ),
    # --- myeloma lines and classes: ide-cel US >= 2 + PI/IMiD/anti-CD38; cilta-cel US >= 1 + PI/IMiD; China >= 3
    (
        "mm 0 lines",
        "mm",
        {"clinical.prior_lines": 0, "clinical.prior_therapies": []},
        {IDE: (None, {"US": X}), CILTA: (None, {"US": X, "CN": X}), EQUE: X, ZEVOR: X},
        ("mm_ciltacel_us_lines", "not_met"),
        None,
    ),
    (
        "mm 1 line",
        "mm",
        {"clinical.prior_lines": 1},
        {IDE: (None, {"US": X}), CILTA: (C, {"US": C, "CN": X}), EQUE: X, ZEVOR: X},
        ("mm_idecel_us_lines", "not_met"),
        C,
    ),
    (
        "mm 1 line cilta",
        "mm",
        {"clinical.prior_lines": 1},
        {CILTA: (C, {"US": C, "CN": X})},
        ("mm_ciltacel_us_lines", "met"),
        C,
    ),
    (
        "mm 2 lines",
        "mm",
        {"clinical.prior_lines": 2},
        {IDE: (C, {"US": C}), CILTA: (C, {"US": C, "CN": X}), EQUE: X, ZEVOR: X},
        ("mm_cn_lines", "not_met"),
        C,
    ),
    (
        "mm 3 lines",
        "mm",
        {"clinical.prior_lines": 3},
        {IDE: (C, {"US": C, "EU": C}), CILTA: (C, {"US": C, "EU": C, "CN": C}), EQUE: C, ZEVOR: C},
        ("mm_cn_lines", "met"),
        C,
    ),
    (
        "mm no anti-CD38",
        "mm",
        {"clinical.prior_therapies": ["VRd", "ASCT", "Pd"]},
        {IDE: (None, {"US": X}), CILTA: (C, {"US": C, "CN": C}), EQUE: C, ZEVOR: C},
        ("mm_idecel_us_classes", "not_met"),
        C,
    ),
    (
        "mm no IMiD",
        "mm",
        {"clinical.prior_therapies": ["Velcade", "Darzalex"]},
        {IDE: (None, {"US": X}), CILTA: (None, {"US": X, "CN": X}), EQUE: X, ZEVOR: X},
        ("mm_ciltacel_us_classes", "not_met"),
        None,
    ),
    (
        "mm no IMiD china",
        "mm",
        {"clinical.prior_therapies": ["Velcade", "Darzalex"]},
        {EQUE: X},
        ("mm_cn_classes", "not_met"),
        None,
    ),
    (
        "mm brand names",
        "mm",
        {"clinical.prior_therapies": ["Velcade", "Revlimid", "Darzalex"]},
        {IDE: C, CILTA: C, EQUE: C, ZEVOR: C},
        ("mm_idecel_us_classes", "met"),
        C,
    ),
    (
        "mm unrecognised is unknown not not_met",
        "mm",
        {"clinical.prior_therapies": ["Velcade", "Darzalex", "Xyzomab"]},
        {IDE: (None, {"US": N}), CILTA: (None, {"US": N, "CN": N}), EQUE: N, ZEVOR: N},
        ("mm_ciltacel_us_classes", "unknown"),
        None,
    ),
    (
        "mm unrecognised ide-cel",
        "mm",
        {"clinical.prior_therapies": ["VRd", "Xyzomab"]},
        {IDE: (None, {"US": N}), CILTA: C, EQUE: C, ZEVOR: C},
        ("mm_idecel_us_classes", "unknown"),
        C,
    ),
    (
        "mm unrecognised but all classes there",
        "mm",
        {"clinical.prior_therapies": ["VRd", "DPd", "Xyzomab"]},
        {IDE: C, CILTA: C, EQUE: C, ZEVOR: C},
        ("mm_idecel_us_classes", "met"),
        C,
    ),
    # --- MCL: liso-cel needs a BTK inhibitor (and two lines)
    (
        "mcl no btki",
        "mcl",
        {"clinical.prior_therapies": ["BR", "R-DHAP"]},
        {LISO: (X, {"US": X}), BREXU: C},
        ("mcl_lisocel_btki", "not_met"),
        C,
    ),
    (
        "mcl btki brand",
        "mcl",
        {"clinical.prior_therapies": ["BR", "Brukinsa"]},
        {LISO: C, BREXU: C},
        ("mcl_lisocel_btki", "met"),
        C,
    ),
    (
        "mcl btki unrecognised entry",
        "mcl",
        {"clinical.prior_therapies": ["BR", "Xyzomab"]},
        {LISO: N, BREXU: N},
        ("mcl_lisocel_btki", "unknown"),
        N,
    ),
    ("mcl 1 line", "mcl", {"clinical.prior_lines": 1}, {LISO: X, BREXU: C}, ("mcl_lisocel_lines", "not_met"), C),
    # --- FL: tisa-cel and liso-cel (US) after two lines
    ("fl 1 line", "fl", {"clinical.prior_lines": 1}, {TISA: X, LISO: X}, ("fl_lines_tisacel", "not_met"), None),
    ("fl 1 line liso", "fl", {"clinical.prior_lines": 1}, {LISO: X}, ("fl_lines_lisocel", "not_met"), None),
    ("fl 2 lines", "fl", {"clinical.prior_lines": 2}, {TISA: C, LISO: C}, ("fl_lines_lisocel", "met"), C),
    # --- exclusions
    (
        "pregnant",
        "lbcl",
        {"clinical.pregnant": True},
        {TISA: X, AXI: X, LISO: X, RELMA: X},
        ("excl_pregnancy", "not_met"),
        X,
    ),
    (
        "pregnant mm",
        "mm",
        {"clinical.pregnant": True},
        {IDE: X, CILTA: X, EQUE: X, ZEVOR: X},
        ("excl_pregnancy", "not_met"),
        X,
    ),
    (
        "pregnancy unknown, male",
        "lbcl",
        {"patient.sex": "male", "clinical.pregnant": None},
        {TISA: C, AXI: C, LISO: C, RELMA: C},
        ("excl_pregnancy", "met"),
        C,
    ),
    (
        "pregnancy unknown, female",
        "lbcl",
        {"clinical.pregnant": None},
        {TISA: N, AXI: N, LISO: N, RELMA: N},
        ("excl_pregnancy", "unknown"),
        N,
    ),
    (
        "pregnancy unknown, sex unknown",
        "mm",
        {"patient.sex": "unknown", "clinical.pregnant": None},
        {IDE: N, CILTA: N},
        ("excl_pregnancy", "unknown"),
        N,
    ),
    (
        "active infection",
        "lbcl",
        {"clinical.active_infection": True},
        {TISA: X, AXI: X, LISO: X, RELMA: X},
        ("excl_active_infection", "not_met"),
        X,
    ),
    (
        "cns involvement",
        "b_all",
        {"clinical.cns_involvement": True},
        {TISA: X, BREXU: X, OBE: X, INATI: X},
        ("excl_cns_involvement", "not_met"),
        X,
    ),
    (
        "hiv hbv hcv",
        "mm",
        {"clinical.hiv_hbv_hcv_active": True},
        {IDE: X, CILTA: X, EQUE: X, ZEVOR: X},
        ("excl_hiv_hbv_hcv_active", "not_met"),
        X,
    ),
    (
        "lbcl prior allo-SCT excludes axi-cel only",
        "lbcl",
        {"clinical.prior_allo_sct": True},
        {AXI: (X, {"US": X, "EU": X, "CN": X}), TISA: C, LISO: C, RELMA: C},
        ("excl_prior_allo_sct_zuma", "not_met"),
        C,
    ),
    (
        "b_all prior allo-SCT",
        "b_all",
        {"clinical.prior_allo_sct": True},
        {TISA: C, BREXU: C, OBE: C, INATI: C},
        None,
        C,
    ),
    ("mm prior allo-SCT", "mm", {"clinical.prior_allo_sct": True}, {IDE: C, CILTA: C, EQUE: C, ZEVOR: C}, None, C),
    (
        "lbcl prior CAR-T",
        "lbcl",
        {"clinical.prior_therapies": ["R-CHOP", "Kymriah"]},
        {TISA: X, AXI: X, LISO: X, RELMA: X},
        ("excl_prior_cd19_or_car_t", "not_met"),
        X,
    ),
    (
        "lbcl prior blinatumomab",
        "lbcl",
        {"clinical.prior_therapies": ["R-CHOP", "2 cycles of blinatumomab"]},
        {TISA: X, AXI: X, LISO: X, RELMA: X},
        ("excl_prior_cd19_or_car_t", "not_met"),
        X,
    ),
    (
        "fl prior generic CAR-T",
        "fl",
        {"clinical.prior_therapies": ["BR", "CAR T"]},
        {TISA: X, AXI: X, LISO: X, RELMA: X},
        ("excl_prior_cd19_or_car_t", "not_met"),
        X,
    ),
    (
        "mcl prior tafasitamab",
        "mcl",
        {"clinical.prior_therapies": ["ibrutinib", "tafasitamab + lenalidomide"]},
        {BREXU: X, LISO: X},
        ("excl_prior_cd19_or_car_t", "not_met"),
        X,
    ),
    (
        "lbcl unrecognised prior therapy",
        "lbcl",
        {"clinical.prior_therapies": ["R-CHOP", "Xyzomab"]},
        {TISA: N, AXI: N, LISO: N, RELMA: N},
        ("excl_prior_cd19_or_car_t", "unknown"),
        N,
    ),
    (
        "lbcl no prior therapies listed",
        "lbcl",
        {"clinical.prior_therapies": []},
        {TISA: C, AXI: C, LISO: C, RELMA: C},
        ("excl_prior_cd19_or_car_t", "met"),
        C,
    ),
    ("b_all prior blinatumomab", "b_all", {"clinical.prior_therapies": ["blinatumomab"]}, {TISA: C, OBE: C}, None, C),
    ("mm prior BCMA CAR-T", "mm", {"clinical.prior_therapies": ["VRd", "DPd", "ide-cel"]}, {CILTA: C}, None, C),
    # --- single unknowns that only some products ask about
    (
        "lbcl lines unknown",
        "lbcl",
        {"clinical.prior_lines": None},
        {TISA: N, AXI: (N, {"US": N, "EU": N, "CN": N}), LISO: N, RELMA: N},
        ("lbcl_at_least_one_line", "unknown"),
        N,
    ),
    (
        "lbcl status unknown at second line",
        "lbcl",
        {"clinical.prior_lines": 1, "clinical.disease_status": None},
        {TISA: X, AXI: (N, {"US": N, "EU": N, "CN": X}), LISO: N, RELMA: X},
        ("lbcl_lines_2l_or_3l", "unknown"),
        N,
    ),
    (
        "lbcl status 'unknown' at second line",
        "lbcl",
        {"clinical.prior_lines": 1, "clinical.disease_status": "unknown"},
        {AXI: (N, {"US": N, "EU": N, "CN": X}), LISO: N},
        ("lbcl_lines_2l_or_3l", "unknown"),
        N,
    ),
    (
        "lbcl allo-SCT unknown",
        "lbcl",
        {"clinical.prior_allo_sct": None},
        {AXI: N, TISA: C, LISO: C, RELMA: C},
        ("excl_prior_allo_sct_zuma", "unknown"),
        C,
    ),
    (
        "lbcl prior therapies unknown",
        "lbcl",
        {"clinical.prior_therapies": None},
        {TISA: N, AXI: N, LISO: N, RELMA: N},
        ("excl_prior_cd19_or_car_t", "unknown"),
        N,
    ),
    (
        "mm lines unknown",
        "mm",
        {"clinical.prior_lines": None},
        {IDE: (None, {"US": N}), CILTA: (None, {"US": N, "CN": N}), EQUE: N, ZEVOR: N},
        ("mm_cn_lines", "unknown"),
        None,
    ),
    (
        "mm prior therapies unknown",
        "mm",
        {"clinical.prior_therapies": None},
        {IDE: (None, {"US": N}), CILTA: (None, {"US": N, "CN": N}), EQUE: N, ZEVOR: N},
        ("mm_idecel_us_classes", "unknown"),
        None,
    ),
    (
        "mcl lines unknown",
        "mcl",
        {"clinical.prior_lines": None},
        {LISO: N, BREXU: N},  # every approval is after earlier treatment
        ("mcl_lisocel_lines", "unknown"),
        N,
    ),
    (
        "mcl prior therapies unknown",
        "mcl",
        {"clinical.prior_therapies": None},
        {LISO: N, BREXU: N},
        ("mcl_lisocel_btki", "unknown"),
        N,
    ),
    (
        "fl lines unknown",
        "fl",
        {"clinical.prior_lines": None},
        {TISA: N, LISO: N},
        ("fl_lines_tisacel", "unknown"),
        None,
    ),
    (
        "gastric lines unknown",
        "gastric",
        {"clinical.prior_lines": None},
        {SATRI: N},
        ("gastric_satricel_lines", "unknown"),
        N,
    ),
    # --- the overall verdict is the best one
    (
        "overall: one needs information, others not eligible",
        "lbcl",
        {"clinical.ecog": 2, "clinical.lvef_percent": None},
        {LISO: N, AXI: X, TISA: X, RELMA: X},
        ("heart_lvef_min50", "unknown"),
        N,
    ),
    (
        "overall: one candidate beats not eligible and needs information",
        "lbcl",
        {"clinical.prior_lines": 1, "clinical.prior_allo_sct": None},
        {LISO: C, AXI: (N, {"US": N, "EU": N, "CN": X}), TISA: X, RELMA: X},
        ("excl_prior_allo_sct_zuma", "unknown"),
        C,
    ),
]


@pytest.mark.parametrize(
    ("indication", "changes", "expect", "criterion", "overall"), [row[1:] for row in ROWS], ids=[row[0] for row in ROWS]
)
def test_one_change_at_a_time(
    indication: str,
    changes: dict[str, Any],
    expect: Expect,
    criterion: tuple[str, str] | None,
    overall: str | None,
) -> None:
    screening = run(indication, changes)
    results = by_id(screening)
    for therapy, wanted in expect.items():
        verdict, regions = (wanted, {}) if isinstance(wanted, str) else wanted
        result = results[therapy]
        if verdict is not None:
            assert result.verdict == verdict, (therapy, dict(result.regions))
        for region, region_verdict in regions.items():
            assert result.regions[region] == region_verdict, (therapy, region, dict(result.regions))
    if criterion is not None:
        criterion_id, status = criterion
        assert statuses(screening, criterion_id) == {status}, criterion_id
    if overall is not None:
        assert screening.overall == overall


# --- never a candidate on missing data -------------------------------------------------------------

GENERAL_FIELDS = (
    "patient.date_of_birth",
    "clinical.ecog",
    "clinical.creatinine_clearance_ml_min",
    "clinical.lvef_percent",
    "clinical.alt_x_uln",
    "clinical.bilirubin_x_uln",
    "clinical.spo2_percent",
    "clinical.cns_involvement",
    "clinical.active_infection",
    "clinical.hiv_hbv_hcv_active",
    "clinical.pregnant",
)
"""Case fields every approved product is screened on (the date of birth: all but satri-cel)."""

UNKNOWN_ROWS = [
    (indication, field)
    for indication in sorted(APPROVED_REGIONS)
    for field in GENERAL_FIELDS
    if not (indication == "gastric" and field == "patient.date_of_birth")
]


@pytest.mark.parametrize(("indication", "field"), UNKNOWN_ROWS, ids=[f"{i} {f}" for i, f in UNKNOWN_ROWS])
def test_any_single_unknown_turns_a_candidate_into_needs_information(indication: str, field: str) -> None:
    before = run(indication)
    assert before.overall == C
    screening = run(indication, {field: None})
    assert screening.overall == N
    assert screening.missing == (field,)
    for was, result in zip(before.results, screening.results, strict=True):
        assert result.verdict == N, result.therapy
        for region, verdict in was.regions.items():
            if verdict == C:
                assert result.regions[region] == N, (result.therapy, region)
        unknown = result.findings_with("unknown")
        assert unknown, result.therapy
        assert all(f.fields == (field,) for f in unknown), result.therapy


@pytest.mark.parametrize("field", ["clinical.prior_lines", "clinical.prior_therapies", "clinical.disease_status"])
def test_unknowns_some_products_ask_about_are_listed_as_missing(field: str) -> None:
    changes = {field: None, "clinical.prior_lines": 1} if field == "clinical.disease_status" else {field: None}
    screening = run("lbcl", changes)
    assert screening.missing == (field,)
    assert C not in {r.verdict for r in screening.results}


def test_missing_lists_each_field_once_in_order_and_ask_for_says_it_in_words() -> None:
    screening = run(
        "mm", {"clinical.lvef_percent": None, "patient.date_of_birth": None, "clinical.prior_therapies": None}
    )
    assert screening.missing == ("patient.date_of_birth", "clinical.prior_therapies", "clinical.lvef_percent")
    assert ask_for(screening) == ["date of birth", "the list of prior therapies", "LVEF (heart function)"]
    assert screening.overall == N


def test_a_male_patient_is_never_asked_about_pregnancy() -> None:
    screening = run("mm", {"patient.sex": "male", "clinical.pregnant": None, "clinical.lvef_percent": None})
    assert screening.missing == ("clinical.lvef_percent",)


def test_unrecognised_prior_therapies_are_reported() -> None:
    screening = run("mm", {"clinical.prior_therapies": ["VRd", "Xyzomab", "DPd", "zorbimab?"]})
    assert screening.unrecognised_therapies == ("Xyzomab", "zorbimab?")
    assert dict(screening.recognised_therapies) == {
        "VRd": ("imid", "proteasome_inhibitor"),
        "DPd": ("anti_cd38", "imid"),
    }
    assert screening.to_json()["unrecognised_prior_therapies"] == ["Xyzomab", "zorbimab?"]


# --- ages are counted on the screening day ---------------------------------------------------------


def test_the_screening_day_decides_the_age_on_a_birthday() -> None:
    case = make_case("b_all", {"patient.date_of_birth": "2000-11-26"})
    before = screen(case, PACK, today=date(2026, 11, 25))
    on = screen(case, PACK, today=date(2026, 11, 26))
    assert (by_id(before)[TISA].verdict, dict(by_id(before)[OBE].regions)) == (C, {"US": C, "GB": X})
    assert (by_id(on)[TISA].verdict, dict(by_id(on)[OBE].regions)) == (X, {"US": C, "GB": C})
    assert (before.screened_on, on.screened_on) == (date(2026, 11, 25), date(2026, 11, 26))


# --- indications without an approved product, and none at all --------------------------------------


@pytest.mark.parametrize("indication", INVESTIGATIONAL)
def test_investigational_indications(indication: str) -> None:
    screening = run(indication)
    assert screening.overall == INV
    (result,) = screening.results
    assert (result.therapy, result.generic_name, result.verdict, dict(result.regions)) == ("", None, INV, {})
    assert {f.status for f in result.findings} == {"met"}  # the general criteria, for information
    assert screening.research_notes
    for note in screening.research_notes:
        assert note.sourced.source in PACK.sources and note.sourced.as_of
        assert note.text.get("en")
    assert screening.to_json()["results"][0]["therapy"] is None
    assert PACK.indication(indication).status == "investigational"


def test_investigational_stays_investigational_whatever_the_case() -> None:
    screening = run("sle", {"clinical.ecog": 4, "clinical.lvef_percent": None})
    assert screening.overall == INV
    assert screening.results[0].verdict == INV
    assert screening.missing == ("clinical.lvef_percent",)


def test_indications_without_a_product_are_exactly_the_investigational_ones() -> None:
    approved = {a.indication for t in PACK.therapies for a in t.approvals}
    assert CODES - approved == set(INVESTIGATIONAL)
    assert approved == set(APPROVED_REGIONS)


def test_no_indication_needs_the_diagnosis_first() -> None:
    screening = run(None)
    assert screening.indication is None
    assert screening.overall == N
    assert screening.results == ()
    assert screening.missing == ("clinical.indication",)
    assert ask_for(screening) == ["diagnosis (indication)"]
    assert screening.to_json()["results"] == []


def test_verdict_order_best_first() -> None:
    assert VERDICTS == (C, N, X, INV)


# --- the JSON of the command line -------------------------------------------------------------------


def test_to_json_shape() -> None:
    record = run("b_all", {"patient.age": 25, "clinical.lvef_percent": None}).to_json()
    assert list(record) == [
        "indication",
        "overall",
        "results",
        "missing",
        "unrecognised_prior_therapies",
        "screened_on",
        "disclaimer",
    ]
    assert (record["indication"], record["overall"], record["screened_on"]) == ("b_all", N, "2026-11-26")
    assert [r["therapy"] for r in record["results"]] == [
        "tisagenlecleucel",
        "brexucabtagene autoleucel",
        "obecabtagene autoleucel",
        "inaticabtagene autoleucel",
    ]
    obe = record["results"][2]
    assert set(obe) == {"therapy", "verdict", "regions", "findings"}
    assert obe["regions"] == {"US": N, "GB": X}
    for finding in obe["findings"]:
        assert set(finding) == {"criterion", "status", "detail", "source", "as_of", "regions"}
    (age26,) = [f for f in obe["findings"] if f["criterion"] == "age_min26_obecel_eu_gb"]
    assert age26["status"] == "not_met"
    assert age26["regions"] == ["EU", "GB"]
    assert age26["detail"].startswith("Age 25 — ")
    assert record["missing"] == ["clinical.lvef_percent"]


def test_findings_in_another_locale_use_its_labels() -> None:
    screening = screen(make_case("lbcl"), PACK, today=TODAY, locale="zh_CN")
    labels = {f.criterion: f.label for r in screening.results for f in r.findings}
    assert labels["ecog_max1"] == "活动完全正常或仅剧烈活动受限（ECOG 0-1分）"


# --- traceability: every finding names an existing criterion, its source and its date ---------------

TRACE_CASES = [(row[1], row[2]) for row in ROWS] + [(code, {}) for code in BASELINES] + [(None, {})]


def test_every_finding_is_traceable_to_a_criterion_and_a_source() -> None:
    criteria = {c.id: c for c in PACK.criteria}
    seen: set[str] = set()
    for indication, changes in TRACE_CASES:
        for result in run(indication, changes).results:
            for finding in result.findings:
                assert finding.criterion in criteria, finding.criterion
                criterion = criteria[finding.criterion]
                assert finding.source in PACK.sources, (finding.criterion, finding.source)
                assert finding.source == criterion.sourced.source
                assert finding.as_of and finding.as_of == criterion.sourced.as_of
                assert finding.regions == criterion.regions
                assert finding.kind == criterion.kind
                seen.add(finding.criterion)
    assert seen == set(criteria), f"criteria no case reaches: {sorted(set(criteria) - seen)}"


def test_every_criterion_in_the_pack_has_a_source_and_a_date() -> None:
    assert len(PACK.criteria) == 36
    for criterion in PACK.criteria:
        assert criterion.sourced.source, criterion.id
        assert criterion.sourced.source in PACK.sources, (criterion.id, criterion.sourced.source)
        assert criterion.sourced.as_of, criterion.id
        assert criterion.label.get("en") and criterion.detail.get("en"), criterion.id
        assert criterion.kind in ("inclusion", "exclusion"), criterion.id


def test_every_criterion_names_products_approved_for_its_indications() -> None:
    """A criterion for a product in an indication where it has no approval would never be weighed."""
    for criterion in PACK.criteria:
        codes = [c for c in criterion.indications if c != "*"]
        for therapy_id in criterion.therapies:
            therapy = PACK.therapy(therapy_id)
            assert therapy is not None, (criterion.id, therapy_id)
            if codes:
                assert any(therapy.regions_for(code) for code in codes), (criterion.id, therapy_id)
            if criterion.regions and codes:
                regions = {r for code in codes for r in therapy.regions_for(code)}
                assert regions & set(criterion.regions), (criterion.id, therapy_id)


# --- known gaps (pack data and drugs.py): these must fail until fixed --------------------------------


def test_an_unknown_drug_inside_a_combination_makes_class_criteria_unknown() -> None:
    # "daratumamab" is a typo for daratumumab (anti-CD38): ide-cel's US classes cannot be ruled out.
    screening = run("mm", {"clinical.prior_therapies": ["VRd", "pomalidomide + daratumamab"]})
    assert "daratumamab" in screening.unrecognised_therapies
    assert statuses(screening, "mm_idecel_us_classes") == {"unknown"}
    assert by_id(screening)[IDE].regions["US"] == N


NOT_RELAPSED = [
    ("b_all", TISA, {"clinical.prior_lines": 0, "clinical.disease_status": "newly_diagnosed"}),
    ("mcl", BREXU, {"clinical.prior_lines": 0, "clinical.disease_status": "newly_diagnosed"}),
    ("mm", IDE, {"clinical.prior_lines": 0, "clinical.disease_status": "newly_diagnosed"}),
    ("mm", CILTA, {"clinical.prior_lines": 0, "clinical.disease_status": "newly_diagnosed"}),
    ("fl", AXI, {"clinical.prior_lines": 0, "clinical.disease_status": "newly_diagnosed"}),
    ("fl", RELMA, {"clinical.prior_lines": 0, "clinical.disease_status": "newly_diagnosed"}),
    ("cll", LISO, {"clinical.prior_lines": 0, "clinical.disease_status": "newly_diagnosed"}),
    ("mzl", LISO, {"clinical.prior_lines": 0, "clinical.disease_status": "newly_diagnosed"}),
    ("lbcl", TISA, {"clinical.prior_lines": 2, "clinical.disease_status": "remission"}),
    ("mm", EQUE, {"clinical.prior_lines": 3, "clinical.disease_status": "remission"}),
]


@pytest.mark.parametrize(
    ("indication", "therapy", "changes"),
    NOT_RELAPSED,
    ids=[f"{i} {t} {c['clinical.disease_status']}" for i, t, c in NOT_RELAPSED],
)
def test_a_patient_without_relapsed_or_refractory_disease_is_never_a_candidate(
    indication: str, therapy: str, changes: dict[str, Any]
) -> None:
    assert by_id(run(indication, changes))[therapy].verdict != C
