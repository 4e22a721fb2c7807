"""The cost estimate and journey timeline, per destination and product, in the patient's currency.

Every line has a low-high range, a basis saying how it was worked out and where its figures come
from (a source, or a coordinator-editable estimate), and its figure as sourced, in its own currency
with its year. Lines are rounded to whole units of the patient's currency one by one (every view shows
whole units), and the totals are their sums, so the items add up wherever they are shown. The source
overview's package figure is shown beside the list price, never silently chosen over it.

Travel follows the patient: no flights, visa or interpreter for treatment in the patient's own country,
no interpreter where the patient speaks the language of care, and the visa the patient's nationality and
length of stay call for. The case records a nationality but no residence: the home country is taken to
be the country of nationality, and the lines say so. Flights are priced by the band from the patient's home
region to the destination's (planning.travel_regions). Pure Python.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from planning.case import NO_RATE, Case
from planning.eligibility import Screening, screen
from planning.i18n import N_, _, country_name, format_money, language_name, ngettext
from planning.knowledge.models import CostDefault, Destination, Pack, Price, Rate, Sourced, Therapy, pick
from planning.money import Money, MoneyError, RateTable, reachable_currencies, round_whole
from planning.travel_regions import BAND_WORDS, band_item, flight_band, region_of

REGIONS_OF = {"US": {"US"}, "CN": {"CN"}, "GB": {"GB"}, "DE": {"EU", "DE"}}
"""The approval regions that cover each destination (Germany: EU approvals)."""
DEFAULT_CURRENCY = "USD"
OUTDATED_RATE_NOTE = N_("An exchange rate used is outdated: update it before quoting.")
"""For the coordinator (Estimate.coordinator_notes); the patient's plan words it for the patient."""
BUDGET_FITS = ("within", "stretching", "over")
BUDGET_FIT_WORDS = {"within": N_("Within budget"), "stretching": N_("Stretches the budget"), "over": N_("Over budget")}
"""How a total compares with the patient's budget, in words (translate with ``_`` where shown)."""

FREE_MOVEMENT = frozenset(
    {
        # the 27 member states of the European Union
        *("AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE"),
        *("IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"),
        # the other states of the European Economic Area
        *("IS", "LI", "NO"),
        # Switzerland (its free movement agreement with the EU)
        "CH",
    }
)
"""Citizens of these countries stay in any of them without a visa, however long (free movement)."""
DESTINATION_LANGUAGES = {"US": ("en",), "GB": ("en",), "DE": ("de",), "CN": ("zh",)}
"""The languages care is given in at each destination (the language part of a locale code, zh_CN -> zh):
a patient who speaks one needs no interpreter."""
SCHENGEN_SHORT_STAY_DAYS = 90
"""A Schengen short-stay visa covers up to 90 days; a longer stay in Germany needs a national (D) visa."""
UK_VISITOR_SHORT_DAYS = 180
"""The UK Standard Visitor visa's lower fee covers up to 6 months, counted as 180 days (the shortest 6
months, so a stay that may run longer is quoted at the 6-11 month fee)."""


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
    original: str = ""
    """The figure as sourced, in its own currency with its year, in the document's language:
    "€48,000–€57,000 (2024)", "US$185 × 2 people (2026)"; empty where the line has no figure."""
    origin: str = ""
    """Where the line's journey starts, in the document's language: the patient's home region ("Western
    Europe") on a flights line priced by region; empty otherwise."""


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
    not_charged: tuple[str, ...] = ()
    """Travel costs left out for this patient, each with why ("No visa: ..."): shown beside the items."""

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
    """Notes for everyone who reads the estimate, the patient's plan included."""
    coordinator_notes: tuple[str, ...] = field(default=())
    """Notes for the coordinator only (the Estimate tab, the command line), never printed in the patient's
    plan: what to do before quoting (an outdated rate to update in Settings)."""

    @property
    def outdated_rates(self) -> tuple[Rate, ...]:
        """The rates used that the rate table marks as outdated."""
        return tuple(r for r in self.rates_used if r.outdated)

    @property
    def rates_as_of(self) -> str | None:
        """The date of the oldest rate used (the estimate is as current as its oldest rate); a currency peg
        holds on any day, so it counts only when nothing else was used."""
        dates = [r.sourced.as_of for r in self.rates_used if not r.fixed]
        pegs = [r.sourced.as_of for r in self.rates_used if r.fixed]
        return min(dates) if dates else (max(pegs) if pegs else None)

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
                            "original": i.original,
                            **({"from_region": i.origin} if i.origin else {}),
                        }
                        for i in o.items
                    ],
                    "not_charged": list(o.not_charged),
                    "alternatives": [
                        {
                            "label": i.label,
                            "low": amount(i.low),
                            "high": amount(i.high),
                            "basis": i.basis,
                            "source": i.source,
                            "original": i.original,
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
            "notes": [*self.notes, *self.coordinator_notes],
        }


class _Builder:
    """Works one estimate out: converts and rounds every figure, remembering the rates used."""

    def __init__(self, pack: Pack, table: RateTable, currency: str, locale: str, costs: Iterable[CostDefault] | None):
        self.pack, self.table, self.currency, self.locale = pack, table, currency, locale
        self.used: dict[tuple[str, str], Rate] = {}
        self.costs = {(c.country, c.item): c for c in (costs if costs is not None else pack.cost_defaults)}

    def convert(self, amount: Decimal, currency: str) -> Decimal:
        """``amount`` in the patient's currency, unrounded (round once per line, with ``money``)."""
        converted, used = self.table.convert(Money(amount, currency), self.currency)
        for rate in used:
            self.used[(rate.base, rate.quote)] = rate
        return converted.amount

    def money(self, amount: Decimal, currency: str) -> Decimal:
        """``amount`` in the patient's currency, in whole units: one line of the estimate."""
        return round_whole(self.convert(amount, currency), self.currency)

    def show(self, amount: Decimal, currency: str) -> str:
        return format_money(amount, currency, self.locale)

    def span(self, low: Decimal, high: Decimal, currency: str) -> str:
        """A range in its own currency: "€48,000–€57,000", or one figure."""
        text = self.show(low, currency)
        return text if low == high else f"{text}–{self.show(high, currency)}"

    def original(self, cost: CostDefault, people: int = 1, per: str = "") -> str:
        """An assumption's figure as recorded, with its year: "€250–€700 a week (2026)", "US$185 × 2 people (2026)".
        ``per`` is a text with ``{amount}`` ("{amount} a week")."""
        figure = self.span(cost.low, cost.high, cost.currency)
        if per:
            figure = per.format(amount=figure)
        if people > 1:
            figure = ngettext("{figure} × {people} person", "{figure} × {people} people", people).format(
                figure=figure, people=people
            )
        return dated(figure, cost.sourced)

    def default(self, country: str, key: str) -> CostDefault | None:
        return self.costs.get((country, key))

    def item(
        self,
        key: str,
        label: str,
        low: Decimal,
        high: Decimal,
        basis: str,
        cost: CostDefault | None,
        original: str = "",
    ) -> Item:
        return Item(
            key=key,
            label=label,
            low=low,
            high=high,
            basis=basis,
            source=cost.sourced.source if cost else None,
            estimate=cost.estimate if cost else False,
            original=original,
        )

    def basis(self, cost: CostDefault) -> str:
        if cost.sourced.source == "coordinator":
            flag = _("changed by the coordinator on {date}").format(date=cost.sourced.as_of)
        else:
            flag = _("estimate, editable") if cost.estimate else _("sourced")
        return f"{pick(cost.label, self.locale)} ({flag})"


def dated(figure: str, sourced: Sourced) -> str:
    """A figure with the year it is from: "€48,000–€57,000 (2024)"."""
    return _("{figure} ({year})").format(figure=figure, year=sourced.as_of[:4])


def _price_text(build: _Builder, price: Price) -> str:
    """A list price as sourced, with its year (or years): "CN¥999,000–CN¥1,290,000 (2025)"."""
    return _("{figure} ({year})").format(figure=build.span(price.amount, price.high, price.currency), year=price.year)


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
            _("Waiting time claimed by the source overview, not confirmed")
            if o.sourced.unverified
            else _("Average waiting time from the source overview"),
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


def _language_part(language: str | None) -> str:
    """The language of a locale code: zh_CN, zh-CN and zh -> zh."""
    return (language or "").replace("-", "_").split("_")[0].lower()


def _home_basis(home: str | None, locale: str) -> str:
    """Where the patient travels from, and why it is taken to be so."""
    if home is None:
        return _("nationality not recorded: assumed the patient travels from abroad")
    return _(
        "from {home}: the home country is taken to be the country of nationality (the case records no residence)"
    ).format(home=country_name(home, locale))


def _visa_kind(country: str, days: int) -> tuple[str, str, int | None]:
    """The visa a stay of up to ``days`` days in ``country`` needs: the cost assumption holding its fee, its
    name, and (for a long-stay visa) the longest stay of the short-stay one."""
    if country == "DE":
        if days > SCHENGEN_SHORT_STAY_DAYS:
            return "visa_long_stay", _("German national visa (D), stays over 90 days"), SCHENGEN_SHORT_STAY_DAYS
        return "visa", _("Schengen short-stay visa"), None
    if country == "GB":
        if days > UK_VISITOR_SHORT_DAYS:
            name = _("UK Standard Visitor visa (private medical treatment), stays over 6 months")
            return "visa_long_stay", name, UK_VISITOR_SHORT_DAYS
        return "visa", _("UK Standard Visitor visa (private medical treatment)"), None
    if country == "US":
        return "visa", _("US B-2 visitor visa"), None
    if country == "CN":
        return "visa", _("Chinese S2 visa (or L/M), with the hospital's invitation letter"), None
    return "visa", _("Visa"), None


def _visa(build: _Builder, case: Case, destination: Destination, people: int, days: int) -> Item | str | None:
    """The visa line for the patient and companions, or why none is charged (a text), or None (no fee known)."""
    country, home, loc = destination.code, case.patient.nationality, build.locale
    if home is not None and home in FREE_MOVEMENT and country in FREE_MOVEMENT:
        return _(
            "No visa: as a citizen of {home}, the patient may stay in {country} without one, however long (free "
            "movement in the EU, the EEA and Switzerland)."
        ).format(home=country_name(home, loc), country=pick(destination.name, loc))
    key, name, short_days = _visa_kind(country, days)
    cost = build.default(country, key)
    fallback = ""
    if cost is None and key != "visa":
        cost = build.default(country, "visa")
        fallback = _("no fee is recorded for stays over {days} days: the short-stay fee is shown").format(
            days=short_days
        )
    if cost is None:
        return None
    parts = [build.basis(cost)]
    if home is None:
        parts.append(_("nationality not recorded: assumed a visa is needed"))
    else:
        parts.append(
            _(
                "for a citizen of {home} away from home up to {days} days (the home country is taken to be the "
                "country of nationality: the case records no residence)"
            ).format(home=country_name(home, loc), days=days)
        )
    if people > 1:
        parts.append(_("companions are assumed to share the patient's nationality and need the same visa"))
    if fallback:
        parts.append(fallback)
    return build.item(
        "visa",
        ngettext("{visa}, for {people} person", "{visa}, for {people} people", people).format(visa=name, people=people),
        build.money(cost.low * people, cost.currency),
        build.money(cost.high * people, cost.currency),
        "; ".join(parts),
        cost,
        build.original(cost, people),
    )


def _interpreter(build: _Builder, case: Case, destination: Destination, weeks: tuple[int, int]) -> Item | str | None:
    """The interpreter line, or why none is charged (a text), or None (no fee known)."""
    country, loc = destination.code, build.locale
    language = _language_part(case.patient.language)
    if language and language in DESTINATION_LANGUAGES.get(country, ()):
        return _("No interpreter: the patient speaks {language}, the language of care in {country}.").format(
            language=language_name(language, loc), country=pick(destination.name, loc)
        )
    cost = build.default(country, "interpreter_per_week")
    if cost is None:
        return None
    basis = build.basis(cost)
    if not language:
        basis += "; " + _("language not recorded: assumed an interpreter is needed")
    low, high = weeks
    return build.item(
        "interpreter",
        _("Interpreter and local coordination ({low}–{high} weeks)").format(low=low, high=high),
        build.money(cost.low * low, cost.currency),
        build.money(cost.high * high, cost.currency),
        basis,
        cost,
        build.original(cost, per=_("{amount} a week")),
    )


def _travel(
    build: _Builder, case: Case, destination: Destination, people: int, away: tuple[int, int]
) -> tuple[list[Item], list[str]]:
    """Flights, visas and an interpreter, each only where this patient needs it, and why any is left out."""
    country, home, loc = destination.code, case.patient.nationality, build.locale
    if home == country:
        return [], [
            _(
                "No flights, visa or interpreter: treatment in {country}, the patient's country of nationality, "
                "taken to be home."
            ).format(country=pick(destination.name, loc))
        ]
    items: list[Item] = []
    left_out: list[str] = []
    flight = _flights(build, home, destination, people)
    if flight is not None:
        items.append(flight)
    for line in (
        _visa(build, case, destination, people, away[1]),
        _interpreter(build, case, destination, (math.ceil(away[0] / 7), math.ceil(away[1] / 7))),
    ):
        if isinstance(line, Item):
            items.append(line)
        elif line:
            left_out.append(line)
    return items, left_out


def _flights(build: _Builder, home: str | None, destination: Destination, people: int) -> Item | None:
    """Return flights from the patient's home region to ``destination``, at the fare of their band (within
    the region, neighbouring, long-haul, very long-haul: planning.travel_regions); at the pack's one fare
    from anywhere where the home region or the band's fare is not known. None where no fare is recorded."""
    country, loc = destination.code, build.locale
    region, band = region_of(home), flight_band(home, country)
    flight = build.default(country, band_item(band)) if band else None
    if flight is None or region is None or band is None:
        flight = build.default(country, "flight_return")
        if flight is None:
            return None
        basis = [build.basis(flight), _home_basis(home, loc)]
        if home is not None:
            basis.append(_("no fare by region is recorded for this journey: one fare from anywhere is used"))
        label = ngettext("Return flights for {people} person", "Return flights for {people} people", people)
        return build.item(
            "flights",
            label.format(people=people),
            build.money(flight.low * people, flight.currency),
            build.money(flight.high * people, flight.currency),
            "; ".join(basis),
            flight,
            build.original(flight, people),
        )
    there = region_of(country)
    route = _("{home} to {destination}: {band}").format(
        home=_(region.name),
        destination=_(there.name) if there else pick(destination.name, loc),
        band=_(BAND_WORDS[band]),
    )
    label = ngettext(
        "Return flights for {people} person from {region}", "Return flights for {people} people from {region}", people
    )
    line = build.item(
        "flights",
        label.format(people=people, region=_(region.name)),
        build.money(flight.low * people, flight.currency),
        build.money(flight.high * people, flight.currency),
        "; ".join((build.basis(flight), route, _home_basis(home, loc))),
        flight,
        build.original(flight, people),
    )
    return replace(line, origin=_(region.name))


def _option(build: _Builder, case: Case, destination: Destination, therapy: Therapy | None) -> Option:
    pack, country, loc = build.pack, destination.code, build.locale
    code = case.clinical.indication
    companions = case.preferences.companions or 0
    people = 1 + companions
    overview = destination.overview
    package = Item(
        "package",
        _("Package figure claimed by the source overview, not confirmed")
        if overview.sourced.unverified
        else _("Package figure from the source overview"),
        build.money(overview.package_cost_usd, "USD"),
        build.money(overview.package_cost_usd, "USD"),
        _(
            "{amount} for the whole treatment in {country}, as the source overview gives it; it may include more "
            "than the drug and is far from list prices in some countries"
        ).format(amount=build.show(overview.package_cost_usd, "USD"), country=pick(destination.name, loc)),
        overview.sourced.source,
        original=dated(build.show(overview.package_cost_usd, "USD"), overview.sourced),
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
                original="; ".join(_price_text(build, p) for p in prices),
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
                    build.original(cost),
                )
            )

    lodging, meals = build.default(country, "lodging_per_night"), build.default(country, "meals_per_day")
    if lodging is not None and meals is not None:

        def stay(days_away: int, hospital_days: int, night: Decimal, meal: Decimal) -> Decimal:
            outside = max(days_away - hospital_days, 0)
            nights = days_away if companions else outside
            meal_days = outside + companions * days_away
            rooms, food = (
                build.convert(night * nights, lodging.currency),
                build.convert(meal * meal_days, meals.currency),
            )
            return round_whole(rooms + food, build.currency)

        night_text = _("{amount} a night").format(amount=build.span(lodging.low, lodging.high, lodging.currency))
        meal_text = _("{amount} a day").format(amount=build.span(meals.low, meals.high, meals.currency))
        if lodging.sourced.as_of[:4] == meals.sourced.as_of[:4]:
            original = dated(_("{lodging}, {meals}").format(lodging=night_text, meals=meal_text), lodging.sourced)
        else:
            original = _("{lodging}, {meals}").format(
                lodging=dated(night_text, lodging.sourced), meals=dated(meal_text, meals.sourced)
            )
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
                    lodging=build.span(lodging.low, lodging.high, lodging.currency),
                    meals=build.span(meals.low, meals.high, meals.currency),
                    source=build.basis(lodging),
                ),
                lodging.sourced.source,
                lodging.estimate or meals.estimate,
                original=original,
            )
        )

    travel, not_charged = _travel(build, case, destination, people, (away_low, away_high))
    items += travel
    contingency = build.default(country, "contingency_percent")
    if contingency is not None:  # a share of the lines as shown (whole units), itself in whole units
        low = round_whole(sum((i.low for i in items), Decimal(0)) * contingency.low / 100, build.currency)
        high = round_whole(sum((i.high for i in items), Decimal(0)) * contingency.high / 100, build.currency)
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
    return Option(
        country,
        therapy.id,
        therapy.generic_name,
        True,
        "",
        tuple(items),
        alternatives,
        steps,
        fit,
        note,
        not_charged=tuple(not_charged),
    )


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
    to_coordinator = [_(OUTDATED_RATE_NOTE)] if any(r.outdated for r in used) else []
    return Estimate(currency, tuple(options), used, tuple(notes), tuple(to_coordinator))
