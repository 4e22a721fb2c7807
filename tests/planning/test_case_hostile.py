"""Hostile or careless input refused by the case parser, the one rule every face uses: one e-mail address,
no control characters in single-line fields, a strict budget grammar, currencies the rate table reaches,
lists of a sane length."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from planning.case import (
    MAX_ENTRIES,
    CaseError,
    Problem,
    case_problems,
    email_address,
    parse_case,
    parse_case_lenient,
)
from planning.knowledge.models import Rate, Sourced
from planning.money import reachable_currencies

INDICATIONS = {"lbcl", "mm", "b_all"}
TODAY = date(2026, 11, 26)
AMOUNT = "must be an amount written with digits and an optional decimal point, e.g. 12000.50"


def one(section: str, key: str, value: Any) -> dict[str, Any]:
    return {section: {key: value}}


def problems(document: Any, **kwargs: Any) -> list[tuple[str, str]]:
    return [(p.field, p.message) for p in case_problems(document, INDICATIONS, TODAY, **kwargs)]


# --- e-mail ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "address"),
    [
        ("anna@example.org", "anna@example.org"),
        ("anna@example.org\n", "anna@example.org"),
        ("\t anna@example.org \r\n", "anna@example.org"),
        ("anna.k+travel@mail.example.co.uk", "anna.k+travel@mail.example.co.uk"),
        ("jöran@bücher.de", "jöran@bücher.de"),
        ("o'brien@example.ie", "o'brien@example.ie"),
    ],
)
def test_an_address_is_stripped_and_kept(typed: str, address: str) -> None:
    assert parse_case(one("patient", "email", typed), INDICATIONS, TODAY).patient.email == address
    assert email_address(typed) == address


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("anna@example.org\r\nBcc: all@example.org", "contains an invisible control character (U+000D); remove it"),
        ("anna@exam\nple.org", "contains an invisible control character (U+000A); remove it"),
        ("anna@example.org\x00", "contains an invisible control character (U+0000); remove it"),
        ("anna@example.org, olga@example.org", "one e-mail address only"),
        ("anna@example.org;olga@example.org", "one e-mail address only"),
        ("anna@example.org olga@example.org", "one e-mail address only"),
        ("Anna <anna@example.org>", "not an e-mail address"),
        ("anna@", "not an e-mail address"),
        ("anna@example", "not an e-mail address"),
        ("anna@example.o", "not an e-mail address"),
        ("anna@-example.org", "not an e-mail address"),
        ("anna..k@example.org", "not an e-mail address"),
        (".anna@example.org", "not an e-mail address"),
        ("a" * 65 + "@example.org", "not an e-mail address"),
        ("anna@" + "x" * 250 + ".org", "too long (259 characters; at most 200)"),
    ],
)
def test_anything_but_one_address_is_refused(typed: str, message: str) -> None:
    assert problems(one("patient", "email", typed)) == [("patient.email", message)]
    assert problems(one("coordinator", "email", typed)) == [("coordinator.email", message)]
    assert email_address(typed) is None


def test_the_draft_reads_the_address_through_the_same_rule() -> None:
    assert email_address(None) is None
    assert email_address(42) is None
    assert email_address("   ") is None
    lenient = parse_case_lenient(one("patient", "email", "a@example.org\r\nBcc: x@example.org"), INDICATIONS, TODAY)
    assert lenient.patient.email is None


# --- control characters ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("section", "key"),
    [
        ("patient", "full_name"),
        ("patient", "home_city"),
        ("patient", "phone"),
        ("coordinator", "name"),
    ],
)
@pytest.mark.parametrize(
    ("hidden", "code"),
    [
        ("\n", "U+000A"),
        ("\t", "U+0009"),
        ("\x1b", "U+001B"),
        ("\x7f", "U+007F"),
        ("\x9b", "U+009B"),
        ("\u2028", "U+2028"),
        ("\u202e", "U+202E"),
        ("\u2066", "U+2066"),
    ],
)
def test_single_line_fields_refuse_control_characters(section: str, key: str, hidden: str, code: str) -> None:
    typed = f"+49 30{hidden}555 0100" if key == "phone" else f"Anna{hidden}Beispiel"
    assert problems(one(section, key, typed)) == [
        (f"{section}.{key}", f"contains an invisible control character ({code}); remove it")
    ]


def test_multi_line_fields_keep_tabs_and_line_breaks_but_no_other_control() -> None:
    notes = "First call:\r\n\tasked about costs\nsecond line"
    case = parse_case({"clinical": {"notes": notes, "diagnosis_text": "DLBCL\nrelapsed"}}, INDICATIONS, TODAY)
    assert case.clinical.notes == notes
    assert problems(one("clinical", "notes", "ok\x1b[2J")) == [
        ("clinical.notes", "contains an invisible control character (U+001B); remove it")
    ]


def test_list_entries_refuse_control_characters() -> None:
    assert problems(one("clinical", "prior_therapies", ["R-CHOP", "R-DHAP\x1b[31m"])) == [
        ("clinical.prior_therapies", "contains an invisible control character (U+001B); remove it")
    ]


def test_names_in_any_script_are_kept() -> None:
    for name in ("José García", "王小明", "Ольга Петрова", "محمد عبد الله", "Zoë O'Neill-Smith"):
        assert parse_case(one("patient", "full_name", name), INDICATIONS, TODAY).patient.full_name == name


def test_the_problem_is_localized_with_its_code() -> None:
    (problem,) = case_problems(one("patient", "full_name", "A\x1bB"), INDICATIONS, TODAY)
    assert isinstance(problem, Problem) and dict(problem.params) == {"code": "U+001B"}
    assert problem.localized() == problem.message  # English catalog: the same words


# --- budget ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1_000", AMOUNT),
        ("-0", AMOUNT),
        ("-0.0", AMOUNT),
        (-0.0, AMOUNT),
        ("1e5", AMOUNT),
        ("1E+5", AMOUNT),
        ("12 000", AMOUNT),
        ("12,000", AMOUNT),
        ("+12000", AMOUNT),
        ("12000.", AMOUNT),
        (".5", AMOUNT),
        ("0x10", AMOUNT),
        ("١٢٣", AMOUNT),  # Arabic-Indic digits: Decimal reads them, the format does not
        ("-5", "must be an amount of 0 or more"),
        ("-0.01", "must be an amount of 0 or more"),
        (-1, "must be an amount of 0 or more"),
        ("1" + "0" * 19, "must be an amount of 0 or more"),
    ],
)
def test_budget_grammar_is_strict(typed: Any, message: str) -> None:
    assert problems(one("preferences", "budget", typed)) == [("preferences.budget", message)]


@pytest.mark.parametrize(
    ("typed", "amount"),
    [("12000", Decimal(12000)), ("12000.50", Decimal("12000.50")), (" 250000 ", Decimal(250000)), (0, Decimal(0))],
)
def test_budget_digits_with_an_optional_decimal_point(typed: Any, amount: Decimal) -> None:
    assert parse_case(one("preferences", "budget", typed), INDICATIONS, TODAY).preferences.budget == amount


# --- currencies ----------------------------------------------------------------------------------


def rate(base: str, quote: str, value: str) -> Rate:
    return Rate(base, quote, Decimal(value), Sourced("test", "2026-11-01"))


def test_only_currencies_the_rate_table_reaches(fixture_pack) -> None:
    reachable = reachable_currencies(fixture_pack.rates)
    assert len(reachable) == 13 and {"USD", "EUR", "CNY", "KZT"} <= reachable
    assert problems(one("preferences", "currency", "jpy"), currencies=reachable) == [
        ("preferences.currency", "no exchange rate for JPY; add one in Settings")
    ]
    assert problems(one("preferences", "currency", "XYZ"), currencies=reachable) == [
        ("preferences.currency", "unknown code XYZ")
    ]
    case = parse_case(one("preferences", "currency", "kzt"), INDICATIONS, TODAY, currencies=reachable)
    assert case.preferences.currency == "KZT"
    # a rate the coordinator adds makes the currency reachable
    more = reachable_currencies([*fixture_pack.rates, rate("USD", "JPY", "155.2")])
    assert problems(one("preferences", "currency", "JPY"), currencies=more) == []


def test_reachable_currencies_follow_chains_and_ignore_broken_rates() -> None:
    rates = [
        rate("EUR", "USD", "1.1"),
        rate("EUR", "GBP", "0.87"),
        rate("GBP", "INR", "110"),
        rate("CHF", "JPY", "170"),
    ]
    assert reachable_currencies(rates) == {"USD", "EUR", "GBP", "INR"}
    assert reachable_currencies([rate("USD", "JPY", "0")]) == {"USD"}
    assert reachable_currencies([]) == {"USD"}


def test_an_unreachable_currency_gives_the_estimate_one_clear_note(fixture_pack) -> None:
    from planning.estimate import estimate

    case = parse_case(
        {"clinical": {"indication": "lbcl"}, "preferences": {"currency": "JPY", "destinations": ["DE"]}},
        {i.code for i in fixture_pack.indications},
        TODAY,
    )
    result = estimate(case, fixture_pack, today=TODAY)
    assert "no exchange rate for JPY; add one in Settings" in result.notes
    assert all(not o.available and o.reason == "no exchange rate for JPY; add one in Settings" for o in result.options)


# --- list sizes ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("section", "key", "entry"),
    [
        ("clinical", "prior_therapies", "R-CHOP"),
        ("clinical", "refractory_to", "lenalidomide"),
        ("preferences", "destinations", "DE"),
    ],
)
def test_lists_are_capped(section: str, key: str, entry: str) -> None:
    assert problems(one(section, key, [entry] * MAX_ENTRIES)) == []
    assert problems(one(section, key, [entry] * (MAX_ENTRIES + 1))) == [
        (f"{section}.{key}", f"too many entries ({MAX_ENTRIES + 1}; at most {MAX_ENTRIES})")
    ]
    with pytest.raises(CaseError):
        parse_case(one(section, key, [entry] * 100_000), INDICATIONS, TODAY)
