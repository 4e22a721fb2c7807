"""26 fictional patients, written from the labels, with the verdicts the labels and trials give.

Each vignette is a whole case (everything a coordinator would have asked) and the verdicts expected
for the products and regions it is about. Used by test_vignettes.py; benchmarks and reviews can use
them too. The ages hold on SCREENED_ON.
"""

from __future__ import annotations

from datetime import date
from typing import Any

SCREENED_ON = date(2026, 12, 3)
WELL = {
    "ecog": 1,
    "cns_involvement": False,
    "active_infection": False,
    "hiv_hbv_hcv_active": False,
    "prior_allo_sct": False,
    "pregnant": False,
    "creatinine_clearance_ml_min": 85,
    "lvef_percent": 58,
    "alt_x_uln": 1.0,
    "bilirubin_x_uln": 0.8,
    "spo2_percent": 97,
}
C, N, R, X = "candidate", "needs_information", "centre_review", "not_eligible"


def case(age: int, sex: str = "female", **clinical: Any) -> dict[str, Any]:
    return {
        "format": "careplan-case",
        "version": 2,
        "patient": {"date_of_birth": f"{SCREENED_ON.year - age}-01-15", "sex": sex},
        "clinical": {**WELL, **clinical},
    }


def lbcl(age: int = 58, **clinical: Any) -> dict[str, Any]:
    return case(age, indication="lbcl", subtype="dlbcl", **clinical)


VIGNETTES: list[tuple[str, dict[str, Any], str, dict[tuple[str, str], str]]] = [
    # (what, case, overall, {(product, region): verdict})
    (
        "DLBCL relapsing 36 months after R-CHOP, fit for a transplant",
        lbcl(
            disease_status="relapsed",
            prior_lines=1,
            prior_therapies=["R-CHOP"],
            months_to_progression=36,
            transplant_eligible=True,
        ),
        X,
        {
            ("axicabtagene", "US"): X,
            ("lisocabtagene", "US"): X,
            ("axicabtagene", "CN"): X,
            ("tisagenlecleucel", "US"): X,
        },
    ),
    (
        "DLBCL relapsing 36 months after R-CHOP, 78 and not fit for a transplant",
        lbcl(
            78,
            disease_status="relapsed",
            prior_lines=1,
            prior_therapies=["R-CHOP"],
            months_to_progression=36,
            transplant_eligible=False,
        ),
        C,
        {("lisocabtagene", "US"): C, ("lisocabtagene", "EU"): X, ("axicabtagene", "US"): X},
    ),
    (
        "DLBCL refractory to R-CHOP",
        lbcl(disease_status="refractory", prior_lines=1, prior_therapies=["R-CHOP"], transplant_eligible=True),
        C,
        {
            ("axicabtagene", "US"): C,
            ("axicabtagene", "EU"): C,
            ("lisocabtagene", "US"): C,
            ("tisagenlecleucel", "US"): X,
        },
    ),
    (
        "DLBCL relapsing 8 months after R-CHOP",
        lbcl(
            disease_status="relapsed",
            prior_lines=1,
            prior_therapies=["R-CHOP"],
            months_to_progression=8,
            transplant_eligible=True,
        ),
        C,
        {("axicabtagene", "CN"): C, ("relmacabtagene", "CN"): X, ("tisagenlecleucel", "EU"): X},
    ),
    (
        "DLBCL after two lines",
        lbcl(
            disease_status="relapsed",
            prior_lines=2,
            prior_therapies=["R-CHOP", "R-ICE"],
            months_to_progression=5,
            transplant_eligible=False,
        ),
        C,
        {
            ("tisagenlecleucel", "US"): C,
            ("axicabtagene", "EU"): C,
            ("lisocabtagene", "US"): C,
            ("relmacabtagene", "CN"): C,
        },
    ),
    (
        "B-ALL, 9 years old, first relapse, no transplant",
        case(9, indication="b_all", disease_status="relapsed", relapse_count=1, prior_lines=1, karnofsky_lansky=90),
        X,
        {("tisagenlecleucel", "US"): X, ("tisagenlecleucel", "EU"): X},
    ),
    (
        "B-ALL, 9 years old, second relapse",
        case(9, indication="b_all", disease_status="relapsed", relapse_count=2, prior_lines=2, karnofsky_lansky=90),
        C,
        {("tisagenlecleucel", "US"): C, ("tisagenlecleucel", "EU"): C, ("brexucabtagene", "US"): X},
    ),
    (
        "B-ALL, 9 years old, first relapse after an allogeneic transplant",
        case(
            9,
            indication="b_all",
            disease_status="relapsed",
            relapse_count=1,
            prior_lines=2,
            prior_allo_sct=True,
            karnofsky_lansky=80,
        ),
        C,
        {("tisagenlecleucel", "US"): X, ("tisagenlecleucel", "EU"): C},
    ),
    (
        "B-ALL, 30 years old, refractory",
        case(30, indication="b_all", disease_status="refractory", prior_lines=2),
        C,
        {
            ("tisagenlecleucel", "US"): X,
            ("brexucabtagene", "EU"): C,
            ("obecabtagene", "GB"): C,
            ("inaticabtagene", "CN"): C,
        },
    ),
    (
        "B-ALL, 20 years old, refractory",
        case(20, indication="b_all", disease_status="refractory", prior_lines=2),
        C,
        {
            ("obecabtagene", "GB"): C,
            ("obecabtagene", "EU"): X,
            ("brexucabtagene", "EU"): X,
            ("tisagenlecleucel", "EU"): C,
        },
    ),
    (
        "Myeloma after one line, never on lenalidomide",
        case(
            64,
            "male",
            indication="mm",
            disease_status="relapsed",
            prior_lines=1,
            prior_therapies=["VCd", "ASCT"],
            refractory_to=["bortezomib"],
        ),
        X,
        {
            ("ciltacabtagene", "US"): X,
            ("ciltacabtagene", "EU"): X,
            ("ciltacabtagene", "CN"): X,
            ("idecabtagene", "EU"): X,
        },
    ),
    (
        "Myeloma after one line of VRd, lenalidomide-refractory",
        case(
            61,
            "male",
            indication="mm",
            disease_status="refractory",
            prior_lines=1,
            prior_therapies=["VRd"],
            refractory_to=["lenalidomide"],
        ),
        C,
        {
            ("ciltacabtagene", "US"): C,
            ("ciltacabtagene", "EU"): C,
            ("ciltacabtagene", "CN"): X,
            ("idecabtagene", "US"): X,
        },
    ),
    (
        "Myeloma after two lines (VRd, then DPd), refractoriness not asked",
        case(66, indication="mm", disease_status="relapsed", prior_lines=2, prior_therapies=["VRd", "DPd"]),
        C,
        {("idecabtagene", "US"): C, ("idecabtagene", "EU"): C, ("ciltacabtagene", "US"): N},
    ),
    (
        "Myeloma after three lines and teclistamab",
        case(
            70,
            indication="mm",
            disease_status="refractory",
            prior_lines=3,
            prior_therapies=["VRd", "DPd", "teclistamab"],
            refractory_to=["lenalidomide", "pomalidomide"],
        ),
        C,
        {
            ("ciltacabtagene", "US"): R,
            ("idecabtagene", "US"): R,
            ("equecabtagene", "CN"): C,
            ("zevorcabtagene", "CN"): C,
        },
    ),
    (
        "CLL after ibrutinib only",
        case(72, indication="cll", disease_status="relapsed", prior_lines=2, prior_therapies=["FCR", "ibrutinib"]),
        X,
        {("lisocabtagene", "US"): X},
    ),
    (
        "CLL after ibrutinib and venetoclax",
        case(
            72,
            indication="cll",
            disease_status="relapsed",
            prior_lines=2,
            prior_therapies=["ibrutinib", "venetoclax + obinutuzumab"],
        ),
        C,
        {("lisocabtagene", "US"): C},
    ),
    (
        "Follicular lymphoma after one line",
        case(
            55,
            indication="fl",
            disease_status="relapsed",
            prior_lines=1,
            prior_therapies=["BR"],
            months_to_progression=20,
        ),
        X,
        {("axicabtagene", "EU"): X, ("relmacabtagene", "CN"): X, ("tisagenlecleucel", "EU"): X},
    ),
    (
        "Follicular lymphoma after two lines, relapse at 30 months",
        case(
            60,
            indication="fl",
            disease_status="relapsed",
            prior_lines=2,
            prior_therapies=["BR", "R2"],
            months_to_progression=30,
        ),
        C,
        {
            ("axicabtagene", "US"): C,
            ("axicabtagene", "EU"): X,
            ("tisagenlecleucel", "EU"): C,
            ("relmacabtagene", "CN"): X,
        },
    ),
    (
        "Gastric cancer, CLDN18.2 never tested",
        case(
            59,
            "male",
            indication="gastric",
            subtype="gastric",
            disease_status="refractory",
            prior_lines=2,
            prior_therapies=["FOLFOX", "paclitaxel"],
            biomarkers={"her2": "negative"},
        ),
        N,
        {("satricabtagene", "CN"): N},
    ),
    (
        "Gastric cancer, CLDN18.2-positive, HER2-negative, after two lines",
        case(
            59,
            "male",
            indication="gastric",
            subtype="gej",
            disease_status="refractory",
            prior_lines=2,
            prior_therapies=["FOLFOX", "paclitaxel"],
            biomarkers={"cldn18_2": "positive", "her2": "negative"},
        ),
        C,
        {("satricabtagene", "CN"): C},
    ),
    (
        "Gastric cancer, HER2-positive",
        case(
            52,
            indication="gastric",
            subtype="gastric",
            disease_status="refractory",
            prior_lines=3,
            prior_therapies=["FOLFOX"],
            biomarkers={"cldn18_2": "positive", "her2": "positive"},
        ),
        X,
        {("satricabtagene", "CN"): X},
    ),
    (
        "Pregnant, DLBCL after two lines",
        lbcl(33, disease_status="refractory", prior_lines=2, prior_therapies=["R-CHOP", "R-ICE"], pregnant=True),
        X,
        {("axicabtagene", "US"): X, ("lisocabtagene", "EU"): X, ("relmacabtagene", "CN"): X},
    ),
    (
        "DLBCL after two lines, ECOG 2",
        lbcl(disease_status="refractory", prior_lines=2, prior_therapies=["R-CHOP", "R-ICE"], ecog=2),
        C,
        {("axicabtagene", "US"): R, ("tisagenlecleucel", "US"): R, ("lisocabtagene", "US"): C},
    ),
    (
        "DLBCL after two lines, kidney 40 mL/min and heart 45 %",
        lbcl(
            disease_status="refractory",
            prior_lines=2,
            prior_therapies=["R-CHOP", "R-ICE"],
            creatinine_clearance_ml_min=40,
            lvef_percent=45,
        ),
        C,
        {("lisocabtagene", "US"): C, ("axicabtagene", "US"): R, ("tisagenlecleucel", "US"): R},
    ),
    (
        "Mantle cell lymphoma after two lines including ibrutinib",
        case(
            67, "male", indication="mcl", disease_status="relapsed", prior_lines=2, prior_therapies=["BR", "ibrutinib"]
        ),
        C,
        {("lisocabtagene", "US"): C, ("brexucabtagene", "US"): C, ("brexucabtagene", "EU"): C},
    ),
    (
        "Mantle cell lymphoma after two lines without a BTK inhibitor",
        case(67, "male", indication="mcl", disease_status="relapsed", prior_lines=2, prior_therapies=["BR", "R-CHOP"]),
        C,
        {("lisocabtagene", "US"): X, ("brexucabtagene", "EU"): X, ("brexucabtagene", "US"): C},
    ),
]
