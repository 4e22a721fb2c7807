"""Case file validation: every rule of parse_case at its edges, every problem at once, unknown kept apart.

Tables first: a document with one bad value gives exactly one problem (its field path and message);
a document with one good value parses to the expected typed value. Then the cross-cutting rules.
"""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from planning.case import (
    CASE_STATUSES,
    Case,
    CaseError,
    Problem,
    case_problems,
    case_to_document,
    empty_document,
    flatten,
    parse_case,
)

INDICATIONS = {"lbcl", "mm", "b_all"}
TODAY = date(2026, 11, 26)

BOOLEANS = ("cns_involvement", "active_infection", "hiv_hbv_hcv_active", "prior_allo_sct", "pregnant")


def parse(document: Any) -> Case:
    return parse_case(document, INDICATIONS, today=TODAY)


def problems(document: Any) -> list[tuple[str, str]]:
    with pytest.raises(CaseError) as caught:
        parse(document)
    return [(p.field, p.message) for p in caught.value.problems]


def one(section: str, key: str, value: Any) -> dict[str, Any]:
    """A minimal case document with one field set."""
    return {"format": "careplan-case", "version": 1, section: {key: value}}


def get(case: Case, path: str) -> Any:
    value: Any = case
    for part in path.split("."):
        value = getattr(value, part)
    return value


MUST_BE_BOOL = "must be true, false or null (unknown)"
BAD_REFERENCE = "letters, digits, '.', '_' or '-', at most 64 characters"
BAD_DATE = "must be a date as YYYY-MM-DD"

# (document, field path, message): each document has exactly this one problem.
BAD: list[tuple[str, Any, str, str]] = [
    # the document itself
    ("not an object", ["a", "list"], "", "a case must be a JSON object"),
    ("text, not an object", "case", "", "a case must be a JSON object"),
    ("format wrong", {"format": "careplan-plan"}, "format", 'must be "careplan-case"'),
    ("version 3", {"version": 3}, "version", "unsupported version 3 (this app reads versions 1 and 2)"),
    ("version as text", {"version": "1"}, "version", "unsupported version '1' (this app reads versions 1 and 2)"),
    ("unknown top-level field", {"patients": {}}, "patients", "unknown field"),
    ("section not an object", {"patient": ["Anna"]}, "patient", "must be an object"),
    ("section is text", {"clinical": "lbcl"}, "clinical", "must be an object"),
    ("unknown patient field", one("patient", "age", 54), "patient.age", "unknown field"),
    ("unknown clinical field", one("clinical", "ecog_score", 1), "clinical.ecog_score", "unknown field"),
    ("unknown preferences field", one("preferences", "hotel", "x"), "preferences.hotel", "unknown field"),
    ("unknown coordinator field", one("coordinator", "phone", "1"), "coordinator.phone", "unknown field"),
    # reference
    ("reference with spaces", {"reference": "CP 2026 1"}, "reference", BAD_REFERENCE),
    ("reference too long", {"reference": "A" * 65}, "reference", BAD_REFERENCE),
    ("reference starts with a dash", {"reference": "-CP-1"}, "reference", BAD_REFERENCE),
    ("reference a number", {"reference": 12}, "reference", BAD_REFERENCE),
    # patient
    ("name not text", one("patient", "full_name", 42), "patient.full_name", "must be text"),
    (
        "name too long",
        one("patient", "full_name", "x" * 201),
        "patient.full_name",
        "too long (201 characters; at most 200)",
    ),
    ("dob day first", one("patient", "date_of_birth", "01.05.1970"), "patient.date_of_birth", BAD_DATE),
    ("dob 30 February", one("patient", "date_of_birth", "2026-02-30"), "patient.date_of_birth", BAD_DATE),
    ("dob month 13", one("patient", "date_of_birth", "1970-13-01"), "patient.date_of_birth", BAD_DATE),
    ("dob without dashes", one("patient", "date_of_birth", "19700501"), "patient.date_of_birth", BAD_DATE),
    ("dob not text", one("patient", "date_of_birth", 19700501), "patient.date_of_birth", "must be text"),
    (
        "dob with a time",
        one("patient", "date_of_birth", "1970-05-01T00:00"),
        "patient.date_of_birth",
        "too long (16 characters; at most 10)",
    ),
    ("dob tomorrow", one("patient", "date_of_birth", "2026-11-27"), "patient.date_of_birth", "in the future"),
    (
        "dob 121 years ago",
        one("patient", "date_of_birth", "1905-11-25"),
        "patient.date_of_birth",
        "more than 120 years ago",
    ),
    ("sex abbreviated", one("patient", "sex", "f"), "patient.sex", "must be one of female, male, other, unknown"),
    ("sex capitalised", one("patient", "sex", "Female"), "patient.sex", "must be one of female, male, other, unknown"),
    ("nationality XX", one("patient", "nationality", "XX"), "patient.nationality", "unknown country code XX"),
    (
        "nationality alpha-3",
        one("patient", "nationality", "DEU"),
        "patient.nationality",
        "too long (3 characters; at most 2)",
    ),
    ("language xx_YY", one("patient", "language", "xx_YY"), "patient.language", "unknown language code xx_YY"),
    ("email without domain", one("patient", "email", "anna@"), "patient.email", "not an e-mail address"),
    ("email with a space", one("patient", "email", "anna k@example.com"), "patient.email", "not an e-mail address"),
    ("email two @", one("patient", "email", "a@b@example.com"), "patient.email", "not an e-mail address"),
    ("phone words", one("patient", "phone", "call me"), "patient.phone", "not a phone number"),
    ("phone four digits", one("patient", "phone", "12-34"), "patient.phone", "not a phone number"),
    ("phone a number", one("patient", "phone", 4915112345), "patient.phone", "must be text"),
    # clinical
    ("indication unknown", one("clinical", "indication", "xyz"), "clinical.indication", "unknown code xyz"),
    ("indication upper case", one("clinical", "indication", "LBCL"), "clinical.indication", "unknown code LBCL"),
    (
        "indication not in this pack",
        one("clinical", "indication", "gastric"),
        "clinical.indication",
        "unknown code gastric",
    ),
    (
        "disease status",
        one("clinical", "disease_status", "relapse"),
        "clinical.disease_status",
        "must be one of relapsed, refractory, newly_diagnosed, remission, unknown",
    ),
    (
        "diagnosis text too long",
        one("clinical", "diagnosis_text", "d" * 2001),
        "clinical.diagnosis_text",
        "too long (2001 characters; at most 2000)",
    ),
    ("prior lines -1", one("clinical", "prior_lines", -1), "clinical.prior_lines", "must be from 0 to 30"),
    ("prior lines 31", one("clinical", "prior_lines", 31), "clinical.prior_lines", "must be from 0 to 30"),
    (
        "prior lines 2.5",
        one("clinical", "prior_lines", 2.5),
        "clinical.prior_lines",
        "must be a whole number from 0 to 30",
    ),
    (
        "prior lines true",
        one("clinical", "prior_lines", True),
        "clinical.prior_lines",
        "must be a whole number from 0 to 30",
    ),
    (
        "prior lines text",
        one("clinical", "prior_lines", "2"),
        "clinical.prior_lines",
        "must be a whole number from 0 to 30",
    ),
    ("ecog -1", one("clinical", "ecog", -1), "clinical.ecog", "must be 0-4"),
    ("ecog 5", one("clinical", "ecog", 5), "clinical.ecog", "must be 0-4"),
    ("ecog text", one("clinical", "ecog", "2"), "clinical.ecog", "must be a whole number from 0 to 4"),
    ("ecog true", one("clinical", "ecog", True), "clinical.ecog", "must be a whole number from 0 to 4"),
    ("ecog false", one("clinical", "ecog", False), "clinical.ecog", "must be a whole number from 0 to 4"),
    ("ecog 1.5", one("clinical", "ecog", 1.5), "clinical.ecog", "must be a whole number from 0 to 4"),
    *[(f"{key} yes", one("clinical", key, "yes"), f"clinical.{key}", MUST_BE_BOOL) for key in BOOLEANS],
    ("boolean as 1", one("clinical", "pregnant", 1), "clinical.pregnant", MUST_BE_BOOL),
    ("boolean as 0", one("clinical", "cns_involvement", 0), "clinical.cns_involvement", MUST_BE_BOOL),
    ("boolean as 'false'", one("clinical", "prior_allo_sct", "false"), "clinical.prior_allo_sct", MUST_BE_BOOL),
    (
        "creatinine 301",
        one("clinical", "creatinine_clearance_ml_min", 301),
        "clinical.creatinine_clearance_ml_min",
        "must be from 0 to 300 mL/min",
    ),
    (
        "creatinine negative",
        one("clinical", "creatinine_clearance_ml_min", -0.5),
        "clinical.creatinine_clearance_ml_min",
        "must be from 0 to 300 mL/min",
    ),
    (
        "creatinine text",
        one("clinical", "creatinine_clearance_ml_min", "90"),
        "clinical.creatinine_clearance_ml_min",
        "must be a number",
    ),
    ("lvef 4", one("clinical", "lvef_percent", 4), "clinical.lvef_percent", "must be from 5 to 90 %"),
    ("lvef 91", one("clinical", "lvef_percent", 91), "clinical.lvef_percent", "must be from 5 to 90 %"),
    ("lvef true", one("clinical", "lvef_percent", True), "clinical.lvef_percent", "must be a number"),
    ("alt 101", one("clinical", "alt_x_uln", 101), "clinical.alt_x_uln", "must be from 0 to 100 x ULN"),
    ("bilirubin -1", one("clinical", "bilirubin_x_uln", -1), "clinical.bilirubin_x_uln", "must be from 0 to 100 x ULN"),
    ("spo2 49", one("clinical", "spo2_percent", 49), "clinical.spo2_percent", "must be from 50 to 100 %"),
    ("spo2 101", one("clinical", "spo2_percent", 101), "clinical.spo2_percent", "must be from 50 to 100 %"),
    ("spo2 NaN", one("clinical", "spo2_percent", math.nan), "clinical.spo2_percent", "must be a number"),
    ("spo2 text", one("clinical", "spo2_percent", "97 %"), "clinical.spo2_percent", "must be a number"),
    (
        "prior therapies not a list",
        one("clinical", "prior_therapies", "R-CHOP"),
        "clinical.prior_therapies",
        "must be a list of texts",
    ),
    (
        "prior therapies with a number",
        one("clinical", "prior_therapies", ["R-CHOP", 2]),
        "clinical.prior_therapies",
        "must be a list of texts",
    ),
    (
        "prior therapies an object",
        one("clinical", "prior_therapies", {"first": "R-CHOP"}),
        "clinical.prior_therapies",
        "must be a list of texts",
    ),
    (
        "prior therapy too long",
        one("clinical", "prior_therapies", ["t" * 201]),
        "clinical.prior_therapies",
        "an entry is too long (at most 200 characters)",
    ),
    (
        "notes too long",
        one("clinical", "notes", "n" * 100_001),
        "clinical.notes",
        "too long (100001 characters; at most 100000)",
    ),
    # preferences
    (
        "destination XX",
        one("preferences", "destinations", ["CN", "XX"]),
        "preferences.destinations",
        "unknown country code XX",
    ),
    (
        "destinations not a list",
        one("preferences", "destinations", "CN"),
        "preferences.destinations",
        "must be a list of texts",
    ),
    ("currency XYZ", one("preferences", "currency", "XYZ"), "preferences.currency", "unknown code XYZ"),
    (
        "currency too long",
        one("preferences", "currency", "EURO"),
        "preferences.currency",
        "too long (4 characters; at most 3)",
    ),
    ("currency a number", one("preferences", "currency", 978), "preferences.currency", "must be text"),
    ("budget -1", one("preferences", "budget", -1), "preferences.budget", "must be an amount of 0 or more"),
    (
        "budget -0.01 text",
        one("preferences", "budget", "-0.01"),
        "preferences.budget",
        "must be an amount of 0 or more",
    ),
    (
        "budget abc",
        one("preferences", "budget", "abc"),
        "preferences.budget",
        "must be an amount written with digits and an optional decimal point, e.g. 12000.50",
    ),
    ("budget true", one("preferences", "budget", True), "preferences.budget", "must be an amount of 0 or more"),
    ("budget a list", one("preferences", "budget", [1000]), "preferences.budget", "must be an amount of 0 or more"),
    ("budget infinite", one("preferences", "budget", math.inf), "preferences.budget", "must be an amount of 0 or more"),
    (
        "budget NaN text",
        one("preferences", "budget", "NaN"),
        "preferences.budget",
        "must be an amount written with digits and an optional decimal point, e.g. 12000.50",
    ),
    (
        "budget Infinity text",
        one("preferences", "budget", "Infinity"),
        "preferences.budget",
        "must be an amount written with digits and an optional decimal point, e.g. 12000.50",
    ),
    ("companions 11", one("preferences", "companions", 11), "preferences.companions", "must be from 0 to 10"),
    ("companions -1", one("preferences", "companions", -1), "preferences.companions", "must be from 0 to 10"),
    (
        "companions 1.5",
        one("preferences", "companions", 1.5),
        "preferences.companions",
        "must be a whole number from 0 to 10",
    ),
    (
        "insurance",
        one("preferences", "insurance", "some"),
        "preferences.insurance",
        "must be one of none, partial, full, unknown",
    ),
    # coordinator
    ("coordinator email", one("coordinator", "email", "desk"), "coordinator.email", "not an e-mail address"),
    (
        "coordinator name too long",
        one("coordinator", "name", "k" * 201),
        "coordinator.name",
        "too long (201 characters; at most 200)",
    ),
]


@pytest.mark.parametrize(("document", "field", "message"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_one_bad_value_gives_exactly_one_problem(document: Any, field: str, message: str) -> None:
    assert problems(document) == [(field, message)]


# (document, path in the Case, expected value): each document is valid.
GOOD: list[tuple[str, Any, str, Any]] = [
    ("empty document", {}, "reference", None),
    ("format and version", {"format": "careplan-case", "version": 1}, "patient.full_name", None),
    ("reference kept", {"reference": "CP-2026-00001"}, "reference", "CP-2026-00001"),
    ("reference of 64", {"reference": "R" * 64}, "reference", "R" * 64),
    ("name trimmed", one("patient", "full_name", "  Anna Ivanova "), "patient.full_name", "Anna Ivanova"),
    ("name of 200", one("patient", "full_name", "x" * 200), "patient.full_name", "x" * 200),
    ("dob today", one("patient", "date_of_birth", "2026-11-26"), "patient.date_of_birth", date(2026, 11, 26)),
    ("dob leap day", one("patient", "date_of_birth", "2024-02-29"), "patient.date_of_birth", date(2024, 2, 29)),
    ("dob 120 years", one("patient", "date_of_birth", "1906-11-27"), "patient.date_of_birth", date(1906, 11, 27)),
    ("sex", one("patient", "sex", "other"), "patient.sex", "other"),
    ("nationality lower case", one("patient", "nationality", "de"), "patient.nationality", "DE"),
    ("nationality CN", one("patient", "nationality", "CN"), "patient.nationality", "CN"),
    ("language zh_CN", one("patient", "language", "zh_CN"), "patient.language", "zh_CN"),
    ("language ru", one("patient", "language", "ru"), "patient.language", "ru"),
    ("email", one("patient", "email", " anna@example.com "), "patient.email", "anna@example.com"),
    ("phone", one("patient", "phone", "+7 (495) 123-45-67"), "patient.phone", "+7 (495) 123-45-67"),
    ("indication", one("clinical", "indication", "mm"), "clinical.indication", "mm"),
    ("disease status", one("clinical", "disease_status", "refractory"), "clinical.disease_status", "refractory"),
    ("prior lines 0", one("clinical", "prior_lines", 0), "clinical.prior_lines", 0),
    ("prior lines 30", one("clinical", "prior_lines", 30), "clinical.prior_lines", 30),
    ("prior lines 2.0", one("clinical", "prior_lines", 2.0), "clinical.prior_lines", 2),
    ("ecog 0", one("clinical", "ecog", 0), "clinical.ecog", 0),
    ("ecog 4", one("clinical", "ecog", 4), "clinical.ecog", 4),
    *[(f"{key} true", one("clinical", key, True), f"clinical.{key}", True) for key in BOOLEANS],
    *[(f"{key} false", one("clinical", key, False), f"clinical.{key}", False) for key in BOOLEANS],
    *[(f"{key} null", one("clinical", key, None), f"clinical.{key}", None) for key in BOOLEANS],
    ("creatinine 0", one("clinical", "creatinine_clearance_ml_min", 0), "clinical.creatinine_clearance_ml_min", 0),
    (
        "creatinine 300",
        one("clinical", "creatinine_clearance_ml_min", 300),
        "clinical.creatinine_clearance_ml_min",
        300,
    ),
    ("lvef 5", one("clinical", "lvef_percent", 5), "clinical.lvef_percent", 5),
    ("lvef 90", one("clinical", "lvef_percent", 90), "clinical.lvef_percent", 90),
    ("alt 2.5", one("clinical", "alt_x_uln", 2.5), "clinical.alt_x_uln", 2.5),
    ("spo2 50", one("clinical", "spo2_percent", 50), "clinical.spo2_percent", 50),
    ("spo2 100", one("clinical", "spo2_percent", 100), "clinical.spo2_percent", 100),
    ("spo2 97.5", one("clinical", "spo2_percent", 97.5), "clinical.spo2_percent", 97.5),
    (
        "prior therapies trimmed, blanks dropped",
        one("clinical", "prior_therapies", [" R-CHOP ", "", "  ", "ASCT"]),
        "clinical.prior_therapies",
        ("R-CHOP", "ASCT"),
    ),
    ("prior therapies empty list", one("clinical", "prior_therapies", []), "clinical.prior_therapies", ()),
    ("notes of 100000", one("clinical", "notes", "n" * 100_000), "clinical.notes", "n" * 100_000),
    (
        "destinations lower case, duplicates removed",
        one("preferences", "destinations", ["cn", "DE", "CN", "de", "us"]),
        "preferences.destinations",
        ("CN", "DE", "US"),
    ),
    ("currency usd", one("preferences", "currency", "usd"), "preferences.currency", "USD"),
    ("budget decimal text", one("preferences", "budget", "12000.50"), "preferences.budget", Decimal("12000.50")),
    ("budget whole number", one("preferences", "budget", 12000), "preferences.budget", Decimal(12000)),
    ("budget 0", one("preferences", "budget", 0), "preferences.budget", Decimal(0)),
    ("budget 0.1 stays exact", one("preferences", "budget", 0.1), "preferences.budget", Decimal("0.1")),
    ("companions 0", one("preferences", "companions", 0), "preferences.companions", 0),
    ("companions 10", one("preferences", "companions", 10), "preferences.companions", 10),
    ("insurance", one("preferences", "insurance", "partial"), "preferences.insurance", "partial"),
    ("coordinator email", one("coordinator", "email", "desk@example.org"), "coordinator.email", "desk@example.org"),
]


@pytest.mark.parametrize(("document", "path", "expected"), [g[1:] for g in GOOD], ids=[g[0] for g in GOOD])
def test_good_value_parses_to_its_typed_value(document: Any, path: str, expected: Any) -> None:
    value = get(parse(document), path)
    assert value == expected
    assert type(value) is type(expected)  # True is not 1, 2 is not 2.0, "" is not None
    assert case_problems(document, INDICATIONS, TODAY) == []


def test_budget_keeps_its_decimal_places() -> None:
    budget = parse(one("preferences", "budget", "12000.50")).preferences.budget
    assert str(budget) == "12000.50"


def test_ecog_5_message_is_exact() -> None:
    with pytest.raises(CaseError) as caught:
        parse(one("clinical", "ecog", 5))
    assert [str(p) for p in caught.value.problems] == ["clinical.ecog: must be 0-4"]
    assert str(caught.value) == "clinical.ecog: must be 0-4"


@pytest.mark.parametrize(
    ("section", "key"),
    [
        ("patient", "full_name"),
        ("patient", "date_of_birth"),
        ("patient", "sex"),
        ("patient", "nationality"),
        ("patient", "language"),
        ("patient", "email"),
        ("patient", "phone"),
        ("clinical", "indication"),
        ("clinical", "disease_status"),
        ("clinical", "prior_lines"),
        ("clinical", "ecog"),
        ("clinical", "pregnant"),
        ("clinical", "spo2_percent"),
        ("clinical", "notes"),
        ("preferences", "currency"),
        ("preferences", "budget"),
        ("preferences", "companions"),
        ("preferences", "insurance"),
        ("coordinator", "email"),
    ],
)
@pytest.mark.parametrize("blank", ["", "   ", "\t\n"])
def test_empty_text_means_unknown(section: str, key: str, blank: str) -> None:
    case = parse(one(section, key, blank))
    assert getattr(getattr(case, section), key) is None


def test_every_problem_is_reported_at_once_with_its_field_path() -> None:
    document = {
        "format": "careplan-case",
        "version": 1,
        "patient": {"full_name": "Anna Ivanova", "date_of_birth": "2026-02-30", "nationality": "XX"},
        "clinical": {"indication": "lbcl", "ecog": 5, "pregnant": "no"},
        "preferences": {"currency": "XYZ", "budget": 5000},
        "coordinator": {"name": "Desk"},
    }
    assert problems(document) == [
        ("patient.date_of_birth", BAD_DATE),
        ("patient.nationality", "unknown country code XX"),
        ("clinical.ecog", "must be 0-4"),
        ("clinical.pregnant", MUST_BE_BOOL),
        ("preferences.currency", "unknown code XYZ"),
    ]


def test_problems_in_every_section_and_at_the_top_come_together() -> None:
    document = {
        "format": "something",
        "version": 3,
        "extra": 1,
        "reference": "has space",
        "patient": {"sex": "x"},
        "clinical": {"ecog": -1},
        "preferences": {"insurance": "all"},
        "coordinator": {"email": "nope"},
    }
    fields = [field for field, _ in problems(document)]
    assert sorted(fields) == sorted(
        [
            "extra",
            "format",
            "version",
            "reference",
            "patient.sex",
            "clinical.ecog",
            "preferences.insurance",
            "coordinator.email",
        ]
    )


def test_case_problems_lists_what_parse_case_raises() -> None:
    document = {"clinical": {"ecog": 9, "prior_lines": -2}}
    assert case_problems(document, INDICATIONS, TODAY) == [
        Problem("clinical.prior_lines", "must be from 0 to 30"),
        Problem("clinical.ecog", "must be 0-4"),
    ]
    assert case_problems({}, INDICATIONS, TODAY) == []


def test_unknown_false_and_zero_stay_distinct() -> None:
    unknown = parse({"clinical": {"cns_involvement": None, "prior_lines": None}})
    absent = parse({"clinical": {}})
    no = parse({"clinical": {"cns_involvement": False, "prior_lines": 0}})
    assert unknown.clinical.cns_involvement is None
    assert absent.clinical.cns_involvement is None
    assert no.clinical.cns_involvement is False
    assert unknown.clinical.prior_lines is None
    assert no.clinical.prior_lines == 0
    assert type(no.clinical.prior_lines) is int
    assert unknown != no
    # and so in the document written back
    assert case_to_document(unknown)["clinical"]["cns_involvement"] is None
    assert case_to_document(no)["clinical"]["cns_involvement"] is False
    assert case_to_document(unknown)["clinical"]["prior_lines"] is None
    assert case_to_document(no)["clinical"]["prior_lines"] == 0


def full_document() -> dict[str, Any]:
    return {
        "format": "careplan-case",
        "version": 1,
        "reference": "CP-2026-00042",
        "patient": {
            "full_name": " José García ",
            "date_of_birth": "1970-05-01",
            "sex": "male",
            "nationality": "es",
            "language": "zh_CN",
            "email": "jose@example.com",
            "phone": "+34 600 123 456",
            "home_city": "",
        },
        "clinical": {
            "indication": "lbcl",
            "diagnosis_text": "DLBCL, relapsed after two lines",
            "disease_status": "relapsed",
            "prior_lines": 2,
            "prior_therapies": ["R-CHOP", " R-ICE ", ""],
            "ecog": 1,
            "cns_involvement": False,
            "active_infection": None,
            "pregnant": False,
            "creatinine_clearance_ml_min": 85.5,
            "lvef_percent": 55,
            "spo2_percent": 97,
            "notes": "Prefers a morning call.",
        },
        "preferences": {
            "destinations": ["cn", "DE", "CN"],
            "currency": "eur",
            "budget": "12000.50",
            "companions": 1,
            "insurance": "none",
        },
        "coordinator": {"name": "Desk One", "email": "desk@example.org"},
    }


def normalised_full_document() -> dict[str, Any]:
    """The version-1 full document as it is written back: version 2, the treatment-history facts unknown."""
    return {
        "format": "careplan-case",
        "version": 2,
        "reference": "CP-2026-00042",
        "patient": {
            "full_name": "José García",
            "date_of_birth": "1970-05-01",
            "sex": "male",
            "nationality": "ES",
            "language": "zh_CN",
            "email": "jose@example.com",
            "phone": "+34 600 123 456",
            "home_city": None,
        },
        "clinical": {
            "indication": "lbcl",
            "subtype": None,
            "diagnosis_text": "DLBCL, relapsed after two lines",
            "disease_status": "relapsed",
            "relapse_count": None,
            "months_to_progression": None,
            "transplant_eligible": None,
            "prior_lines": 2,
            "prior_therapies": ["R-CHOP", "R-ICE"],
            "refractory_to": None,
            "biomarkers": {"cd19": None, "bcma": None, "cldn18_2": None, "her2": None},
            "ecog": 1,
            "karnofsky_lansky": None,
            "cns_involvement": False,
            "active_infection": None,
            "hiv_hbv_hcv_active": None,
            "prior_allo_sct": None,
            "pregnant": False,
            "creatinine_clearance_ml_min": 85.5,
            "lvef_percent": 55,
            "alt_x_uln": None,
            "bilirubin_x_uln": None,
            "spo2_percent": 97,
            "notes": "Prefers a morning call.",
        },
        "preferences": {
            "destinations": ["CN", "DE"],
            "currency": "EUR",
            "budget": 12000.5,
            "companions": 1,
            "insurance": "none",
        },
        "coordinator": {"name": "Desk One", "email": "desk@example.org"},
    }


def test_round_trip_gives_the_normalised_document() -> None:
    case = parse(full_document())
    document = case_to_document(case)
    assert document == normalised_full_document()
    assert parse(document) == case  # and reading it back changes nothing
    assert case_to_document(parse(document)) == document


def test_round_trip_of_a_minimal_document_fills_every_field_with_null() -> None:
    document = case_to_document(parse({"patient": {"full_name": "Anna"}}))
    leaves = flatten(document)
    assert leaves.pop("format") == "careplan-case"
    assert leaves.pop("version") == 2
    assert leaves.pop("patient.full_name") == "Anna"
    assert leaves and all(value is None for value in leaves.values())


def test_empty_document_is_valid_and_all_unknown() -> None:
    document = empty_document()
    assert document == case_to_document(Case())
    assert parse(document) == Case()
    leaves = flatten(document)
    assert {key for key, value in leaves.items() if value is not None} == {"format", "version"}
    assert "clinical.ecog" in leaves
    assert "preferences.budget" in leaves


def test_flatten_gives_field_paths() -> None:
    assert flatten({"a": 1, "patient": {"full_name": "x", "nested": {"deep": None}}, "list": [1, 2]}) == {
        "a": 1,
        "patient.full_name": "x",
        "patient.nested.deep": None,
        "list": [1, 2],
    }


def test_age_on_counts_whole_years() -> None:
    case = parse(one("patient", "date_of_birth", "1970-11-27"))
    assert case.age_on(date(2026, 11, 26)) == 55
    assert case.age_on(date(2026, 11, 27)) == 56
    assert Case().age_on(TODAY) is None


def test_today_defaults_to_the_real_date() -> None:
    with pytest.raises(CaseError):
        parse_case(one("patient", "date_of_birth", "2999-01-01"), INDICATIONS)


def test_case_statuses_start_with_new() -> None:
    assert CASE_STATUSES[0] == "new"
    assert "closed" in CASE_STATUSES


# --- defects found in review, fixed: these keep them fixed ---


@pytest.mark.parametrize("value", [math.inf, -math.inf, math.nan])
def test_non_finite_whole_number_is_a_problem_not_a_crash(value: float) -> None:
    assert problems(one("clinical", "ecog", value)) == [("clinical.ecog", "must be a whole number from 0 to 4")]


def test_reference_with_a_trailing_newline_is_refused() -> None:
    assert problems({"reference": "CP-1\n"}) == [("reference", BAD_REFERENCE)]


def test_iso_week_date_is_not_a_date_of_birth() -> None:
    assert problems(one("patient", "date_of_birth", "2026-W01-1")) == [("patient.date_of_birth", BAD_DATE)]


def test_born_120_years_and_10_months_ago_is_more_than_120_years() -> None:
    assert problems(one("patient", "date_of_birth", "1906-01-01")) == [
        ("patient.date_of_birth", "more than 120 years ago")
    ]


def test_version_true_is_refused() -> None:
    assert [field for field, _ in problems({"version": True})] == ["version"]


def test_exported_budget_keeps_every_digit() -> None:
    document = case_to_document(parse(one("preferences", "budget", "12345678901234567.89")))
    assert Decimal(str(document["preferences"]["budget"])) == Decimal("12345678901234567.89")


def test_empty_reference_means_unknown() -> None:
    assert parse_case({"reference": ""}, INDICATIONS, TODAY).reference is None
