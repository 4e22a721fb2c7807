"""Money and the offline rate table: Decimal only, one currency per sum, every conversion says its rates.

The rates are the frozen fixture pack's (tests/fixtures/pack: the 2026.12.1 pack's rates, FACTS.md
"Exchange rates"), so a rate update in the shipped pack breaks none of the worked figures below; the
shipped pack's rates are checked for what every pack must hold in test_pack_content.py. Small hand-made
tables cover what the pack does not have (a 0-digit currency, a disconnected currency, a direct cross rate).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from babel.numbers import get_currency_precision
from hypothesis import given, settings
from hypothesis import strategies as st

from planning.knowledge.models import Rate, Sourced
from planning.money import Money, MoneyError, RateTable, digits, round_amount
from tests.fixtures import fixture_pack

PACK_RATES = fixture_pack().rates
TABLE = RateTable.of(PACK_RATES)
CURRENCIES = sorted(TABLE.currencies())
PROPERTY = settings(deadline=None, max_examples=150)


def rate(base: str, quote: str, value: str, as_of: str = "2026-04-13", outdated: bool = False) -> Rate:
    return Rate(base, quote, Decimal(value), Sourced("test_rates", as_of), outdated)


def pair(used: tuple[Rate, ...]) -> list[str]:
    return [f"{r.base}/{r.quote}" for r in used]


def unit(currency: str) -> Decimal:
    """One unit of the currency's last digit: 0.01 for USD, 1 for JPY."""
    return Decimal(1).scaleb(-get_currency_precision(currency))


# --- Money -------------------------------------------------------------------------------------


@pytest.mark.parametrize("amount", [1.5, 0.1, float("nan"), 100.0])
def test_money_refuses_floats(amount: float) -> None:
    with pytest.raises(TypeError, match="Decimal"):
        Money(amount, "USD")  # type: ignore[arg-type]


@pytest.mark.parametrize("amount", [1, "1.50", None])
def test_money_refuses_anything_but_a_decimal(amount: object) -> None:
    with pytest.raises(TypeError):
        Money(amount, "USD")  # type: ignore[arg-type]


@pytest.mark.parametrize("factor", [0.1, 2.0, True, "2"])
def test_times_refuses_a_float_factor(factor: object) -> None:
    with pytest.raises(TypeError):
        Money(Decimal("100.00"), "USD").times(factor)  # type: ignore[arg-type]


def test_times_keeps_decimal_exact() -> None:
    assert Money(Decimal("185"), "USD").times(3) == Money(Decimal("555"), "USD")
    assert Money(Decimal("0.10"), "EUR").times(Decimal("3")).amount == Decimal("0.30")


def test_adding_same_currency_adds() -> None:
    total = Money(Decimal("0.10"), "EUR") + Money(Decimal("0.20"), "EUR")
    assert total == Money(Decimal("0.30"), "EUR")
    assert isinstance(total.amount, Decimal)


@pytest.mark.parametrize(("a", "b"), [("USD", "EUR"), ("EUR", "USD"), ("CNY", "RUB"), ("USD", "usd")])
def test_adding_different_currencies_raises(a: str, b: str) -> None:
    with pytest.raises(MoneyError, match="cannot add"):
        Money(Decimal(1), a) + Money(Decimal(1), b)


def test_money_error_is_a_value_error() -> None:
    assert issubclass(MoneyError, ValueError)


def test_comparing_different_currencies_is_refused() -> None:
    with pytest.raises((MoneyError, TypeError)):
        _ = Money(Decimal(1), "USD") < Money(Decimal(2), "EUR")


# --- rounding ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        ("1.005", "USD", "1.01"),  # half up, not half even (which gives 1.00)
        ("1.015", "USD", "1.02"),
        ("1.0049999", "USD", "1.00"),
        ("2.5", "JPY", "3"),  # 0 digits; half even would give 2
        ("3.5", "JPY", "4"),
        ("1504.0025", "JPY", "1504"),
        ("1.0005", "KWD", "1.001"),  # 3 digits
        ("28948268.9", "RUB", "28948268.90"),
        ("0", "EUR", "0.00"),
    ],
)
def test_round_amount_uses_the_currency_digits_half_up(amount: str, currency: str, expected: str) -> None:
    result = round_amount(Decimal(amount), currency)
    assert result == Decimal(expected)
    assert str(result) == expected  # the exponent is the currency's: "1.00", not "1"; "3", not "3.0"


def test_digits_come_from_babel() -> None:
    for currency in [*CURRENCIES, "JPY", "KWD", "CLP"]:
        assert digits(currency) == get_currency_precision(currency)
    assert (digits("JPY"), digits("USD"), digits("KWD")) == (0, 2, 3)


def test_a_jpy_rate_in_a_test_table_rounds_to_whole_yen() -> None:
    table = RateTable.of([*PACK_RATES, rate("USD", "JPY", "150.25")])
    converted, used = table.convert(Money(Decimal("10.01"), "USD"), "JPY")
    assert converted == Money(Decimal("1504.0025"), "JPY")  # convert does not round
    assert converted.rounded() == Money(Decimal("1504"), "JPY")
    assert str(converted.rounded().amount) == "1504"
    assert pair(used) == ["USD/JPY"]
    via_euro, used = table.convert(Money(Decimal("1000"), "EUR"), "JPY")
    assert pair(used) == ["EUR/USD", "USD/JPY"]
    assert via_euro.rounded().amount == Decimal("175552")  # 1000 * 1.1684 * 150.25 = 175552.1


# --- the table ---------------------------------------------------------------------------------


def test_fixture_table_holds_the_facts_rates() -> None:
    assert {f"{r.base}/{r.quote}": r.rate for r in TABLE.rates} == {
        "EUR/USD": Decimal("1.1684"),
        "EUR/GBP": Decimal("0.87058"),
        "EUR/CNY": Decimal("7.9827"),
        "EUR/TRY": Decimal("52.2478"),
        "EUR/BRL": Decimal("5.8740"),
        "EUR/INR": Decimal("109.047"),
        "EUR/MXN": Decimal("20.3203"),
        "USD/RUB": Decimal("77.6093"),
        "EUR/RUB": Decimal("90.3098"),
        "USD/NGN": Decimal("1358"),
        "USD/SAR": Decimal("3.75"),
        "USD/AED": Decimal("3.6725"),
        "USD/KZT": Decimal("444.32"),
    }
    outdated = {f"{r.base}/{r.quote}" for r in TABLE.rates if r.outdated}
    assert outdated == {"USD/KZT"}


def test_cny_to_usd_goes_through_the_euro() -> None:
    factor, used = TABLE.path("CNY", "USD")
    assert pair(used) == ["EUR/CNY", "EUR/USD"]
    assert [r.sourced.as_of for r in used] == ["2026-04-13", "2026-04-13"]
    assert abs(Fraction(factor) - Fraction("1.1684") / Fraction("7.9827")) < Fraction(1, 10**24)
    converted, used_again = TABLE.convert(Money(Decimal("1200000"), "CNY"), "USD")
    assert used_again == used
    assert converted.currency == "USD"
    assert converted.rounded().amount == Decimal("175639.82")  # 1,200,000 / 7.9827 * 1.1684 = 175639.8211...


def test_gbp_to_sar_uses_three_rates() -> None:
    factor, used = TABLE.path("GBP", "SAR")
    assert pair(used) == ["EUR/GBP", "EUR/USD", "USD/SAR"]
    expected = Fraction("1.1684") * Fraction("3.75") / Fraction("0.87058")
    assert abs(Fraction(factor) - expected) < Fraction(1, 10**24)


def test_direct_and_inverse_rates() -> None:
    assert TABLE.path("EUR", "USD") == (Decimal("1.1684"), (TABLE.rates[0],))
    factor, used = TABLE.path("USD", "EUR")
    assert pair(used) == ["EUR/USD"]
    assert factor == Decimal(1) / Decimal("1.1684")
    assert TABLE.path("RUB", "RUB") == (Decimal(1), ())
    same, used = TABLE.convert(Money(Decimal("12.34"), "RUB"), "RUB")
    assert same == Money(Decimal("12.34"), "RUB")
    assert used == ()


def test_fewest_steps_wins_over_a_longer_path() -> None:
    # Bank of Russia publishes RUB per CNY too; with it, CNY -> RUB takes one rate, not two
    assert pair(TABLE.path("CNY", "RUB")[1]) == ["EUR/CNY", "EUR/RUB"]
    table = RateTable.of([*PACK_RATES, rate("CNY", "RUB", "11.2210", "2026-03-04")])
    factor, used = table.path("CNY", "RUB")
    assert pair(used) == ["CNY/RUB"]
    assert factor == Decimal("11.2210")
    factor, used = table.path("RUB", "CNY")
    assert pair(used) == ["CNY/RUB"]
    assert factor == Decimal(1) / Decimal("11.2210")


def test_a_later_rate_replaces_an_earlier_one() -> None:
    table = RateTable.of([*PACK_RATES, rate("EUR", "USD", "1.2000", "2026-05-01")])
    factor, (used,) = table.path("EUR", "USD")
    assert factor == Decimal("1.2000")
    assert used.sourced.as_of == "2026-05-01"
    assert len(table.rates) == len(TABLE.rates)


@pytest.mark.parametrize("value", ["0", "-1.1684"])
def test_a_rate_must_be_positive(value: str) -> None:
    with pytest.raises(MoneyError, match="more than 0"):
        RateTable.of([rate("EUR", "USD", value)])


@pytest.mark.parametrize(("source", "target"), [("USD", "JPY"), ("JPY", "EUR"), ("KRW", "JPY"), ("GBP", "XXX")])
def test_a_currency_no_rate_reaches_raises(source: str, target: str) -> None:
    with pytest.raises(MoneyError, match="no exchange rate"):
        TABLE.path(source, target)
    with pytest.raises(MoneyError, match="no exchange rate"):
        TABLE.convert(Money(Decimal("100"), source), target)


def test_two_islands_do_not_connect() -> None:
    table = RateTable.of([rate("EUR", "USD", "1.1684"), rate("JPY", "KRW", "9.2")])
    assert pair(table.path("KRW", "JPY")[1]) == ["JPY/KRW"]
    with pytest.raises(MoneyError):
        table.path("EUR", "KRW")
    with pytest.raises(MoneyError):
        RateTable.of([]).path("EUR", "USD")


# --- properties over every pair the fixture pack's table connects --------------------------------------

currencies = st.sampled_from(CURRENCIES)


@PROPERTY
@given(source=currencies, target=currencies)
def test_path_back_uses_the_same_rates_and_the_inverse_factor(source: str, target: str) -> None:
    there, used_there = TABLE.path(source, target)
    back, used_back = TABLE.path(target, source)
    assert used_back == tuple(reversed(used_there))
    assert len(used_there) <= 3  # the fixture's rates form a tree around EUR and USD: at most 3 steps
    assert len(used_there) == (0 if source == target else len(set(used_there)))
    assert abs(Fraction(there) * Fraction(back) - 1) < Fraction(1, 10**25)


@PROPERTY
@given(
    source=currencies,
    target=currencies,
    units=st.integers(min_value=0, max_value=10**11),
)
def test_converting_there_and_back_stays_within_rounding(source: str, target: str, units: int) -> None:
    """x, an amount with A's digits, converted to B and back.

    Unrounded, the factors are each other's inverse up to Decimal's 28 significant digits, so the round
    trip is x times (1 +- ~1e-27): for x < 1e12 that is off by < 1e-14, far below half a unit of A, and
    rounding to A's digits gives x back exactly.

    Rounded in B on the way (what a coordinator sees), the error in B is at most half a unit of B
    (uB/2); converted back it becomes uB/2 * f(B->A) in A, and the final rounding to A adds at most
    uA/2. So |result - x| <= uA/2 + f(B->A) * uB/2 (+ the negligible Decimal error). When B's unit is
    worth no more than A's (f(B->A) * uB <= uA), that is within one unit of A's last digit. When B is
    coarser (USD -> KZT -> USD: 0.01 KZT is worth 0.0000225 USD; KZT -> USD -> KZT: 0.01 USD is 4.44 KZT),
    the loss is B's, not the conversion's, and the bound grows with it.
    """
    ua, ub = unit(source), unit(target)
    x = Decimal(units) * ua
    there, _ = TABLE.convert(Money(x, source), target)
    back, _ = TABLE.convert(there, source)
    assert back.rounded().amount == x

    shown = there.rounded()
    returned, _ = TABLE.convert(shown, source)
    result = returned.rounded().amount
    factor_back, _ = TABLE.path(target, source)
    bound = ua / 2 + factor_back * ub / 2 + Decimal("1e-12")
    assert abs(result - x) <= bound
    if factor_back * ub <= ua:
        assert abs(result - x) <= ua


@PROPERTY
@given(
    source=currencies,
    target=currencies,
    amount=st.decimals(min_value=0, max_value=10**9, places=4, allow_nan=False, allow_infinity=False),
)
def test_convert_is_the_path_factor_times_the_amount(source: str, target: str, amount: Decimal) -> None:
    factor, used = TABLE.path(source, target)
    converted, used_again = TABLE.convert(Money(amount, source), target)
    assert converted == Money(amount * factor, target)
    assert isinstance(converted.amount, Decimal)
    assert used_again == used
    rounded = converted.rounded()
    assert -rounded.amount.as_tuple().exponent == get_currency_precision(target)
    assert abs(rounded.amount - converted.amount) <= unit(target) / 2


def test_an_amount_beyond_any_estimate_is_refused_not_rounded() -> None:
    """Rounding 10^30 to cents would exceed decimal precision (InvalidOperation); a MoneyError instead lets
    the estimate say the destination cannot be costed."""
    from planning.money import MAX_AMOUNT

    assert round_amount(MAX_AMOUNT, "USD") == MAX_AMOUNT
    for amount in (MAX_AMOUNT * 10, Decimal("1e30"), Decimal("-1e30"), Decimal("Infinity"), Decimal("NaN")):
        with pytest.raises(MoneyError):
            round_amount(amount, "EUR")
