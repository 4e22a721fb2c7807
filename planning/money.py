"""Money: Decimal amounts with a currency, never floats; conversion through an offline rate table.

A rate table holds rates as published (1 base = rate quote, dated and sourced). Two currencies convert
through the fewest published rates that connect them (CNY -> EUR -> USD; GBP -> EUR -> USD -> SAR);
every conversion says which rates it used, so a plan can record them. Amounts are rounded to the
currency's own digits (Babel), or to whole units where they are estimates (``round_whole``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache

from planning.case import Problem
from planning.i18n import N_
from planning.knowledge.models import Rate


class MoneyError(ValueError):
    pass


@dataclass(frozen=True)
class Money:
    """An amount in one currency. Amounts in different currencies are neither added nor compared."""

    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal):
            raise TypeError(f"amount must be a Decimal, not {type(self.amount).__name__}")

    def __add__(self, other: Money) -> Money:
        if other.currency != self.currency:
            raise MoneyError(f"cannot add {other.currency} to {self.currency}")
        return Money(self.amount + other.amount, self.currency)

    def times(self, factor: Decimal | int) -> Money:
        if isinstance(factor, bool) or not isinstance(factor, Decimal | int):
            raise TypeError(f"factor must be a Decimal or an int, not {type(factor).__name__}")
        return Money(self.amount * Decimal(factor), self.currency)

    def rounded(self) -> Money:
        return Money(round_amount(self.amount, self.currency), self.currency)


@cache
def digits(currency: str) -> int:
    """How many decimals the currency uses (JPY 0, USD 2, ...)."""
    from babel.numbers import get_currency_precision

    return get_currency_precision(currency)


MAX_AMOUNT = Decimal("1e15")
"""No amount an estimate shows comes near this; beyond it a figure is refused (MoneyError) rather than
rounded, since rounding it could exceed the precision of decimal arithmetic."""


def round_amount(amount: Decimal, currency: str) -> Decimal:
    if not amount.is_finite() or abs(amount) > MAX_AMOUNT:
        raise MoneyError(f"amount out of range: {amount:.3E} {currency}")
    return amount.quantize(Decimal(1).scaleb(-digits(currency)), rounding=ROUND_HALF_UP)


def round_whole(amount: Decimal, currency: str) -> Decimal:
    """``amount`` in whole units of ``currency``, half up (no cents, kopecks or fils): the cost estimate is
    worked out in the units every view shows, so its lines add up to its totals wherever they are shown."""
    if not amount.is_finite() or abs(amount) > MAX_AMOUNT:
        raise MoneyError(f"amount out of range: {amount:.3E} {currency}")
    return amount.quantize(Decimal(1), rounding=ROUND_HALF_UP)


def reachable_currencies(rates: Iterable[Rate], start: str = "USD") -> frozenset[str]:
    """The currencies ``rates`` connect to ``start`` (itself included), directly or through others: those an
    estimate can be made in (its package figures are in US dollars). Rates of 0 or less connect nothing."""
    links: dict[str, set[str]] = {}
    for rate in rates:
        if rate.rate.is_finite() and rate.rate > 0:
            links.setdefault(rate.base, set()).add(rate.quote)
            links.setdefault(rate.quote, set()).add(rate.base)
    found, frontier = {start}, [start]
    while frontier:
        frontier = [other for currency in frontier for other in links.get(currency, ()) if other not in found]
        found.update(frontier)
    return frozenset(found)


@dataclass(frozen=True)
class RateTable:
    """Published rates; converts between any currencies they connect, directly or through others."""

    rates: tuple[Rate, ...]

    @classmethod
    def of(cls, rates: Iterable[Rate]) -> RateTable:
        latest: dict[tuple[str, str], Rate] = {}
        for rate in rates:
            if rate.rate <= 0:
                raise MoneyError(f"{rate.base}/{rate.quote}: a rate must be more than 0")
            latest[(rate.base, rate.quote)] = rate  # later entries (the coordinator's) replace earlier ones
        return cls(tuple(latest.values()))

    def currencies(self) -> set[str]:
        return {r.base for r in self.rates} | {r.quote for r in self.rates}

    def _direct(self, source: str, target: str) -> tuple[Decimal, Rate] | None:
        for rate in self.rates:
            if rate.base == source and rate.quote == target:
                return rate.rate, rate
            if rate.base == target and rate.quote == source:
                return Decimal(1) / rate.rate, rate
        return None

    def path(self, source: str, target: str) -> tuple[Decimal, tuple[Rate, ...]]:
        """The factor from ``source`` to ``target`` and the published rates it comes from (fewest steps)."""
        return _path(self, source, target)

    def _search(self, source: str, target: str) -> tuple[Decimal, tuple[Rate, ...]]:
        if source == target:
            return Decimal(1), ()
        frontier: list[tuple[str, Decimal, tuple[Rate, ...]]] = [(source, Decimal(1), ())]
        seen = {source}
        while frontier:
            following = []
            for currency, factor, used in frontier:
                for other in sorted(self.currencies() - seen):
                    step = self._direct(currency, other)
                    if step is None:
                        continue
                    if other == target:
                        return factor * step[0], (*used, step[1])
                    following.append((other, factor * step[0], (*used, step[1])))
            seen.update(currency for currency, _factor, _used in following)
            frontier = following
        raise MoneyError(f"no exchange rate connects {source} and {target}")

    def __hash__(self) -> int:
        """Hashed once: the table is the key of every cached path lookup, thousands per estimate."""
        cached = self.__dict__.get("_hash")
        if cached is None:
            cached = hash(self.rates)
            object.__setattr__(self, "_hash", cached)
        return cached

    def convert(self, money: Money, target: str) -> tuple[Money, tuple[Rate, ...]]:
        """``money`` in ``target``, unrounded (round once, where the amount is shown or summed)."""
        factor, used = self.path(money.currency, target)
        return Money(money.amount * factor, target), used


class RateError(ValueError):
    """A rate or assumption that cannot be used; ``problems`` name each field and what is wrong."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


def rate_problems(base: str, quote: str, rate: str, as_of: str, today: date) -> list[Problem]:
    """Every problem of a rate typed by the coordinator (1 base = rate quote, as of a day)."""
    from babel.numbers import list_currencies

    known = list_currencies()
    problems: list[Problem] = []
    for field, code in (("base", base), ("quote", quote)):
        if code.strip().upper() not in known:
            problems.append(Problem.of(field, N_("unknown currency code {code}"), code=code.strip() or "(empty)"))
    if base.strip().upper() == quote.strip().upper() and base.strip():
        problems.append(Problem.of("quote", N_("must differ from the base currency")))
    try:
        value = Decimal(rate.strip())
        if not value.is_finite() or value <= 0 or value > Decimal("1e9"):
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        problems.append(Problem.of("rate", N_("must be a number more than 0, e.g. 1.1684")))
    try:
        day = date.fromisoformat(as_of.strip())
        if len(as_of.strip()) != 10:
            raise ValueError
        if day > today:
            problems.append(Problem.of("as_of", N_("in the future")))
    except ValueError:
        problems.append(Problem.of("as_of", N_("must be a date as YYYY-MM-DD")))
    return problems


@cache
def _path(table: RateTable, source: str, target: str) -> tuple[Decimal, tuple[Rate, ...]]:
    """Paths are searched once per table and pair (a table is immutable)."""
    return table._search(source, target)
