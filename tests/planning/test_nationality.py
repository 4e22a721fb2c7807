"""What a patient's nationality suggests (planning.nationality): the plan's language and the estimate's
currency, from Babel's data, limited to the plan languages and to the currencies the rate table reaches."""

from __future__ import annotations

from datetime import date

import pytest

from planning.i18n import DOCUMENT_LOCALES
from planning.money import reachable_currencies
from planning.nationality import suggested_currency, suggested_language


@pytest.fixture(scope="module")
def reachable(fixture_pack) -> frozenset[str]:
    return reachable_currencies(fixture_pack.rates)


@pytest.mark.parametrize(
    ("country", "language", "currency"),
    [
        ("ES", "es", "EUR"),
        ("DE", "de", "EUR"),
        ("SA", "ar", "SAR"),
        ("CN", "zh_CN", "CNY"),
        ("RU", "ru", "RUB"),
        ("US", "en", "USD"),
        ("GB", "en", "GBP"),
        ("KZ", "ru", "KZT"),  # Russian: spoken by 72 %, before Kazakh (64 %), and a plan language
    ],
)
def test_a_nationality_suggests_its_language_and_currency(reachable, country, language, currency):
    assert suggested_language(country) == language
    assert suggested_currency(country, reachable) == currency


@pytest.mark.parametrize(
    "country",
    [
        "BE",  # Dutch and French first (no plan language); German is spoken by 22 %
        "IN",  # Hindi first; English by 19 %
        "UA",  # Ukrainian first; Russian by 46 %
        "TW",  # Traditional Chinese: the plans are in Simplified Chinese
        "FR",  # French: no plan language
        "AQ",  # no official language at all
    ],
)
def test_no_language_when_the_country_s_own_is_no_plan_language(country):
    assert suggested_language(country) is None


def test_every_suggested_language_is_a_plan_language():
    from babel import Locale

    countries = [c for c in Locale.parse("en").territories if len(c) == 2 and c.isalpha()]
    suggested = {suggested_language(c) for c in countries} - {None}
    assert suggested == set(DOCUMENT_LOCALES)  # each plan language is some country's


def test_only_a_currency_the_rates_reach():
    assert suggested_currency("SA", frozenset({"USD", "EUR"})) is None  # no SAR rate: nothing suggested
    assert suggested_currency("CH", frozenset({"USD", "EUR"})) is None  # Swiss francs unreachable; EUR isn't theirs
    assert suggested_currency("ES", frozenset({"EUR"})) == "EUR"


def test_legal_tender_of_the_day():
    # Croatia adopted the euro on 1 January 2023: the kuna before, the euro since
    reachable = frozenset({"EUR", "HRK", "USD"})
    assert suggested_currency("HR", reachable, on=date(2022, 6, 1)) == "HRK"
    assert suggested_currency("HR", reachable, on=date(2024, 6, 1)) == "EUR"


@pytest.mark.parametrize("country", [None, "", "E", "ESP", "1A", "QQ", 34, "é1"])
def test_anything_else_than_a_country_suggests_nothing(country):
    assert suggested_language(country) is None
    assert suggested_currency(country, frozenset({"EUR", "USD"})) is None


def test_lower_case_and_spaces_are_read():
    assert suggested_language(" es ") == "es"
