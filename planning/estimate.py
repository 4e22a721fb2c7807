"""The cost estimate and journey timeline, per destination and product, in the patient's currency.

Every line has a low-high range and a basis saying how it was worked out and where its figures come
from (a source, or a coordinator-editable estimate). Lines are rounded to the currency's digits one
by one, and the totals are their sums, so the items always add up. The source overview's package
figure is shown beside the list price, never silently chosen over it. Pure Python.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from planning.case import NO_RATE, Case
from planning.eligibility import Screening, screen
from planning.i18n import N_, _, format_money, ngettext
from planning.knowledge.models import CostDefault, Destination, Pack, Rate, Therapy, pick
from planning.money import Money, MoneyError, RateTable, reachable_currencies, round_amount

REGIONS_OF = {"US": {"US"}, "CN": {"CN"}, "GB": {"GB"}, "DE": {"EU", "DE"}}
"""The approval regions that cover each destination (Germany: EU approvals)."""
DEFAULT_CURRENCY = "USD"
BUDGET_FITS = ("within", "stretching", "over")
BUDGET_FIT_WORDS = {"within": N_("Within budget"), "stretching": N_("Stretches the budget"), "over": N_("Over budget")}
"""How a total compares with the patient's budget, in words (translate with ``_`` where shown)."""


@dataclass(frozen=True)
class Item:
    key: str
    label: str
    low: Decimal
    high: Decimal
    basis: str
    source: str | None = None
    estimate: bool = False
    unpriced: bool = False
    """No price is recorded for this line (a drug without a list price here): its amount is not in the
    total, which is then open ("ask the centre for a quote")."""


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    low_days: int
    high_days: int
    away: bool
    """Counts as time away from home."""
    basis: str
    estimate: bool = False


@dataclass(frozen=True)
class Option:
    country: str
    therapy: str | None
    therapy_name: str | None
    available: bool
    reason: str = ""
    items: tuple[Item, ...] = ()
    alternatives: tuple[Item, ...] = ()
    """Shown beside the items, not added to the totals (the source overview's package figure)."""
    timeline: tuple[Step, ...] = ()
    budget_fit: str | None = None
    insurance_note: str = ""
    ruled_out: bool = False
    """Unavailable because the screening rules out every product approved here (``reason`` names them)."""

    @property
    def total_low(self) -> Decimal:
        return sum((i.low for i in self.items), Decimal(0))

    @property
    def total_high(self) -> Decimal:
        return sum((i.high for i in self.items), Decimal(0))

    @property
    def total_open(self) -> bool:
        """A line has no recorded price: the total is a floor, not the whole cost."""
        return any(i.unpriced for i in self.items)

    @property
    def away_days(self) -> tuple[int, int]:
        steps = [s for s in self.timeline if s.away]
        return sum(s.low_days for s in steps), sum(s.high_days for s in steps)


@dataclass(frozen=True)
class Estimate:
    currency: str
    options: tuple[Option, ...]
    rates_used: tuple[Rate, ...]
    notes: tuple[str, ...] = field(default=())

    @property
    def rates_as_of(self) -> str | None:
        """The date of the oldest rate used (the estimate is as current as its oldest rate)."""
        dates = [r.sourced.as_of for r in self.rates_used]
        return min(dates) if dates else None

    def to_json(self) -> dict[str, Any]:
        def amount(value: Decimal) -> str:
            return str(value)

        return {
            "currency": self.currency,
            "rates_as_of": self.rates_as_of,
            "rates": [
                {
                    "base": r.base,
                    "quote": r.quote,
                    "rate": str(r.rate),
                    "as_of": r.sourced.as_of,
                    "source": r.sourced.source,
                    "outdated": r.outdated,
                }
                for r in self.rates_used
            ],
            "options": [
                {
                    "country": o.country,
                    "therapy": o.therapy_name,
                    "available": o.available,
                    **({"reason": o.reason} if not o.available else {}),
                    "total_low": amount(o.total_low),
                    "total_high": amount(o.total_high),
                    "total_open": o.total_open,
                    "items": [
                        {
                            "label": i.label,
                            "low": amount(i.low),
                            "high": amount(i.high),
                            "basis": i.basis,
                            "source": i.source,
                            "estimate": i.estimate,
                            "price_recorded": not i.unpriced,
                        }
                        for i in o.items
                    ],
                    "alternatives": [
                        {
                            "label": i.label,
                            "low": amount(i.low),
                            "high": amount(i.high),
                            "basis": i.basis,
                            "source": i.source,
                        }
                        for i in o.alternatives
                    ],
                    "timeline": [
                        {
                            "step": s.key,
                            "label": s.label,
                            "low_days": s.low_days,
                            "high_days": s.high_days,
                            "away": s.away,
                            "basis": s.basis,
                            "estimate": s.estimate,
                        }
                        for s in o.timeline
                    ],
                    "away_days": list(o.away_days),
                    "budget": o.budget_fit,
                    "insurance": o.insurance_note,
                }
                for o in self.options
            ],
            "notes": list(self.notes),
        }


class _Builder:
    """Works one estimate out: converts and rounds every figure, remembering the rates used."""

    def __init__(self, pack: Pack, table: RateTable, currency: str, locale: str, costs: Iterable[CostDefault] | None):
        self.pack, self.table, self.currency, self.locale = pack, table, currency, locale
        self.used: dict[tuple[str, str], Rate] = {}
        self.costs = {(c.country, c.item): c for c in (costs if costs is not None else pack.cost_defaults)}

    def money(self, amount: Decimal, currency: str) -> Decimal:
        converted, used = self.table.convert(Money(amount, currency), self.currency)
        for rate in used:
            self.used[(rate.base, rate.quote)] = rate
        return round_amount(converted.amount, self.currency)

    def show(self, amount: Decimal, currency: str) -> str:
        return format_money(amount, currency, self.locale)

    def default(self, country: str, key: str) -> CostDefault | None:
        return self.costs.get((country, key))

    def item(self, key: str, label: str, low: Decimal, high: Decimal, basis: str, cost: CostDefault | None) -> Item:
        return Item(
            key=key,
            label=label,
            low=low,
            high=high,
            basis=basis,
            source=cost.sourced.source if cost else None,
            estimate=cost.estimate if cost else False,
        )

    def basis(self, cost: CostDefault) -> str:
        if cost.sourced.source == "coordinator":
            flag = _("changed by the coordinator on {date}").format(date=cost.sourced.as_of)
        else:
            flag = _("estimate, editable") if cost.estimate else _("sourced")
        return f"{pick(cost.label, self.locale)} ({flag})"


def _span(notes: Iterable, low_default: int, high_default: int) -> tuple[int, int, bool]:
    spans = [n.days for n in notes if n.days]
    if not spans:
        return low_default, high_default, True
    return int(min(s.low for s in spans)), int(max(s.high for s in spans)), False


def timeline(
    pack: Pack,
    destination: Destination,
    therapy: Therapy | None,
    locale: str = "en",
    costs: Iterable[CostDefault] | None = None,
) -> tuple[Step, ...]:
    """The journey, step by step, with durations in days."""
    code = destination.code
    assumptions = {(c.country, c.item): c for c in (costs if costs is not None else pack.cost_defaults)}

    def days(key: str, low: int, high: int) -> tuple[int, int, bool, str]:
        cost = assumptions.get((code, key))
        if cost is None:
            return low, high, True, _("estimate")
        return int(cost.low), int(cost.high), cost.estimate, pick(cost.label, locale)

    o = destination.overview
    steps = [
        Step(
            "waiting",
            _("Waiting for a treatment slot (at home)"),
            int(o.waiting_months.low * 30),
            int(o.waiting_months.high * 30),
            False,
            _("Average waiting time from the source overview"),
        )
    ]
    for key, label, low, high in (
        ("evaluation_days", _("Evaluation and consultations at the centre"), 7, 14),
        ("collection_days", _("Cell collection (leukapheresis)"), 1, 2),
    ):
        lo, hi, estimate, basis = days(key, low, high)
        steps.append(Step(key.removesuffix("_days"), label, lo, hi, True, basis, estimate))
    product_notes = [
        n for n in (therapy.logistics if therapy else ()) if n.topic in ("vein_to_vein", "manufacturing") and n.days
    ]
    place_notes = destination.logistics_on("vein_to_vein")
    lo, hi, estimate = _span(product_notes or place_notes, 28, 42)
    steps.append(
        Step(
            "manufacturing",
            _("Manufacturing the cells (vein-to-vein), usually waiting near the centre"),
            lo,
            hi,
            True,
            pick((product_notes or place_notes)[0].text, locale) if (product_notes or place_notes) else _("estimate"),
            estimate,
        )
    )
    lo, hi, estimate, basis = days("lymphodepletion_days", 5, 10)
    steps.append(
        Step("lymphodepletion", _("Lymphodepleting chemotherapy, then the infusion"), lo, hi, True, basis, estimate)
    )
    hospital = destination.logistics_on("hospital_stay")
    lo, hi, estimate = _span(hospital, int(o.hospital_stay_weeks.low * 7), int(o.hospital_stay_weeks.high * 7))
    steps.append(
        Step(
            "hospital",
            _("Monitoring in hospital after the infusion"),
            lo,
            hi,
            True,
            _("Hospital stay as reported for this destination"),
            estimate,
        )
    )
    lo, hi, estimate, basis = days("near_centre_days", 14, 28)
    steps.append(
        Step("near_centre", _("Staying near the centre after leaving hospital"), lo, hi, True, basis, estimate)
    )
    steps.append(Step("return", _("Return home; follow-up with the home doctor"), 1, 2, True, _("estimate"), True))
    return tuple(steps)


BREXIT = "2021-01"
"""EU authorisations granted before 2021 were converted into UK (Great Britain) authorisations."""


def covers(approval_region: str, approval_date: str, country: str) -> bool:
    """Whether an approval in ``approval_region`` holds in ``country``."""
    if approval_region in REGIONS_OF.get(country, {country}):
        return True
    return country == "GB" and approval_region == "EU" and approval_date < BREXIT


def _approved_here(therapy: Therapy, code: str, country: str) -> bool:
    return any(a.indication == code and covers(a.region, a.date, country) for a in therapy.approvals)


def _may_receive(screening: Screening, therapy: Therapy, country: str, code: str) -> bool:
    """Whether the screening leaves ``therapy`` open in ``country`` (any verdict but not_eligible)."""
    result = screening.result(therapy.id)
    if result is None:
        return False
    verdict = result.verdict_in(regions_covering(country, therapy, code))
    return verdict is not None and verdict != "not_eligible"


def _therapy_prices(destination: Destination, therapy: Therapy, code: str) -> list:
    specific = [p for p in destination.list_prices if p.therapy == therapy.id and p.indication in ("", code)]
    if specific:
        return specific
    # A country-wide range covers only the products of its year: not a product approved after it.
    first = min((a.date for a in therapy.approvals if a.region in REGIONS_OF.get(destination.code, ())), default="")
    return [p for p in destination.list_prices if not p.therapy and (not first or p.year[:4] >= first[:4])]


def _option(build: _Builder, case: Case, destination: Destination, therapy: Therapy | None) -> Option:
    pack, country, loc = build.pack, destination.code, build.locale
    code = case.clinical.indication
    companions = case.preferences.companions or 0
    people = 1 + companions
    overview = destination.overview
    package = Item(
        "package",
        _("Package figure from the source overview"),
        build.money(overview.package_cost_usd, "USD"),
        build.money(overview.package_cost_usd, "USD"),
        _(
            "{amount} for the whole treatment in {country}, as the source overview gives it; it may include more "
            "than the drug and is far from list prices in some countries"
        ).format(amount=build.show(overview.package_cost_usd, "USD"), country=pick(destination.name, loc)),
        overview.sourced.source,
    )
    if therapy is None:
        return Option(country, None, None, False, "", alternatives=(package,))
    steps = timeline(pack, destination, therapy, loc, build.costs.values())
    away_low = sum(s.low_days for s in steps if s.away)
    away_high = sum(s.high_days for s in steps if s.away)
    hospital = next(s for s in steps if s.key == "hospital")
    items: list[Item] = []

    prices = _therapy_prices(destination, therapy, code or "")
    if prices:
        low = min(build.money(p.amount, p.currency) for p in prices)
        high = max(build.money(p.high, p.currency) for p in prices)
        described = "; ".join(
            f"{pick(p.label, loc)}: {build.show(p.amount, p.currency)}"
            + (f"–{build.show(p.amount_high, p.currency)}" if p.amount_high else "")
            for p in prices
        )
        items.append(
            Item(
                "therapy",
                _("{product}: list price, drug only").format(product=therapy.short_name),
                low,
                high,
                described,
                prices[0].sourced.source,
            )
        )
        alternatives = (package,)
    else:  # the source overview's package figure is never a drug price: the total stays open
        items.append(
            Item(
                "therapy",
                _("{product}: price not recorded here").format(product=therapy.short_name),
                Decimal(0),
                Decimal(0),
                _(
                    "No list price is recorded for this product in {country}: ask the centre for a written quote."
                ).format(country=pick(destination.name, loc)),
                None,
                False,
                True,
            )
        )
        alternatives = (package,)

    for key, label in (
        ("hospital_non_drug", _("Hospital care outside the drug")),
        ("evaluation", _("Pre-treatment evaluation")),
    ):
        cost = build.default(country, key)
        if cost is not None:
            items.append(
                build.item(
                    key,
                    label,
                    build.money(cost.low, cost.currency),
                    build.money(cost.high, cost.currency),
                    build.basis(cost),
                    cost,
                )
            )

    lodging, meals = build.default(country, "lodging_per_night"), build.default(country, "meals_per_day")
    if lodging is not None and meals is not None:

        def stay(days_away: int, hospital_days: int, night: Decimal, meal: Decimal) -> Decimal:
            outside = max(days_away - hospital_days, 0)
            nights = days_away if companions else outside
            meal_days = outside + companions * days_away
            return build.money(night * nights, lodging.currency) + build.money(meal * meal_days, meals.currency)

        items.append(
            Item(
                "stay",
                _("Accommodation and meals near the centre"),
                stay(away_low, hospital.low_days, lodging.low, meals.low),
                stay(away_high, hospital.high_days, lodging.high, meals.high),
                ngettext(
                    "{nights} nights outside hospital ({companions} companion stays throughout) at {lodging} a "
                    "night, meals {meals} a day per person; {source}",
                    "{nights} nights outside hospital ({companions} companions stay throughout) at {lodging} a "
                    "night, meals {meals} a day per person; {source}",
                    companions,
                ).format(
                    nights=f"{max(away_low - hospital.low_days, 0)}–{max(away_high - hospital.high_days, 0)}",
                    companions=companions,
                    lodging=build.show(lodging.low, lodging.currency),
                    meals=f"{build.show(meals.low, meals.currency)}–{build.show(meals.high, meals.currency)}",
                    source=build.basis(lodging),
                ),
                lodging.sourced.source,
                lodging.estimate or meals.estimate,
            )
        )

    def per_person(key: str, label: str, cost: CostDefault) -> Item:
        low, high = build.money(cost.low * people, cost.currency), build.money(cost.high * people, cost.currency)
        return build.item(key, label, low, high, build.basis(cost), cost)

    flight = build.default(country, "flight_return")
    if flight is not None:
        items.append(per_person("flights", _("Return flights for {people} people").format(people=people), flight))
    visa = build.default(country, "visa")
    if visa is not None:
        if case.patient.nationality == country:
            items.append(Item("visa", _("Visa"), Decimal(0), Decimal(0), _("Not needed: the patient is a citizen")))
        else:
            items.append(per_person("visa", _("Visas for {people} people").format(people=people), visa))
    interpreter = build.default(country, "interpreter_per_week")
    if interpreter is not None:
        weeks_low, weeks_high = math.ceil(away_low / 7), math.ceil(away_high / 7)
        items.append(
            build.item(
                "interpreter",
                _("Interpreter and local coordination ({low}–{high} weeks)").format(low=weeks_low, high=weeks_high),
                build.money(interpreter.low * weeks_low, interpreter.currency),
                build.money(interpreter.high * weeks_high, interpreter.currency),
                build.basis(interpreter),
                interpreter,
            )
        )
    contingency = build.default(country, "contingency_percent")
    if contingency is not None:
        low = round_amount(sum((i.low for i in items), Decimal(0)) * contingency.low / 100, build.currency)
        high = round_amount(sum((i.high for i in items), Decimal(0)) * contingency.high / 100, build.currency)
        items.append(
            build.item(
                "contingency",
                _("Contingency ({low}–{high} %)").format(low=contingency.low, high=contingency.high),
                low,
                high,
                build.basis(contingency),
                contingency,
            )
        )

    option = Option(country, therapy.id, therapy.generic_name, True, "", tuple(items), alternatives, steps)
    budget = case.preferences.budget
    fit = None
    if budget is not None:
        fit = "within" if option.total_high <= budget else ("stretching" if option.total_low <= budget else "over")
        if option.total_open and fit != "over":
            fit = None  # the drug's price is not known: the budget cannot be judged yet
    coverage = {"available": _("available"), "partial": _("partial"), "limited": _("limited"), "none": _("none")}
    note = _(
        "Insurance coverage in {country}: {level} (source overview). No amount is assumed to be covered; "
        "ask the insurer for a written confirmation."
    ).format(country=pick(destination.name, loc), level=coverage[overview.insurance])
    return Option(country, therapy.id, therapy.generic_name, True, "", tuple(items), alternatives, steps, fit, note)


def regions_covering(country: str, therapy: Therapy, code: str) -> set[str]:
    """The approval regions of ``therapy`` for ``code`` that hold in ``country``."""
    return {a.region for a in therapy.approvals if a.indication == code and covers(a.region, a.date, country)}


def _ruled_out_reason(pack: Pack, screening: Screening, therapies: list[Therapy], country: str, code: str) -> str:
    """Why none of the products approved in ``country`` can be offered: each product's first reason."""
    reasons = []
    for therapy in therapies:
        result = screening.result(therapy.id)
        if result is None:
            continue
        here = regions_covering(country, therapy, code)
        found = [f for region in sorted(here) for f in result.reasons(region)]
        if found:
            reasons.append(f"{therapy.short_name}: {found[0].reason or found[0].label}")
    return _("No product approved here fits this patient: {reasons}.").format(reasons="; ".join(reasons))


def estimate(
    case: Case,
    pack: Pack,
    countries: Sequence[str] | None = None,
    rates: Iterable[Rate] | None = None,
    locale: str = "en",
    costs: Iterable[CostDefault] | None = None,
    screening: Screening | None = None,
    today: date | None = None,
) -> Estimate:
    """Options for every requested destination (the case's, or all) and every product approved there
    that the screening does not rule out in that destination's region (``screening`` is made here
    when not given). A destination where no product fits says why."""
    currency = case.preferences.currency or DEFAULT_CURRENCY
    notes = [] if case.preferences.currency else [_("No currency chosen for the patient: amounts in USD.")]
    table = RateTable.of(rates if rates is not None else pack.rates)
    build = _Builder(pack, table, currency, locale, costs)
    no_rate = (
        "" if currency in reachable_currencies(table.rates, DEFAULT_CURRENCY) else _(NO_RATE).format(code=currency)
    )
    if no_rate:
        notes.append(no_rate)
    wanted = list(countries or case.preferences.destinations or [d.code for d in pack.destinations])
    code = case.clinical.indication
    indication = pack.indication(code) if code else None
    if screening is None:
        screening = screen(case, pack, today=today, locale=locale)
    options: list[Option] = []
    for country in dict.fromkeys(wanted):
        destination = pack.destination(country)
        if destination is None:
            options.append(Option(country, None, None, False, _("No sourced figures for this destination yet.")))
            continue
        name = pick(destination.name, locale)
        try:
            if code is None:
                base = _option(build, case, destination, None)
                options.append(
                    Option(
                        country,
                        None,
                        None,
                        False,
                        _("The indication is not recorded yet."),
                        alternatives=base.alternatives,
                    )
                )
                continue
            approved = [t for t in pack.therapies if _approved_here(t, code, country)]
            fitting = [t for t in approved if _may_receive(screening, t, country, code)]
            if not fitting:
                base = _option(build, case, destination, None)
                ruled_out = bool(approved)
                if approved:
                    reason = _ruled_out_reason(pack, screening, approved, country, code)
                elif indication is not None and indication.status != "approved":
                    reason = _(
                        "Investigational: no CAR-T product is approved for this indication; clinical trials only."
                    )
                else:
                    reason = _("No CAR-T product is approved in {country} for this indication.").format(country=name)
                options.append(
                    Option(country, None, None, False, reason, alternatives=base.alternatives, ruled_out=ruled_out)
                )
                continue
            options.extend(_option(build, case, destination, therapy) for therapy in fitting)
        except MoneyError as exc:
            options.append(Option(country, None, None, False, no_rate or str(exc)))
    used = tuple(sorted(build.used.values(), key=lambda r: (r.base, r.quote)))
    if any(r.outdated for r in used):
        notes.append(_("An exchange rate used is outdated: update it before quoting."))
    return Estimate(currency, tuple(options), used, tuple(notes))
