"""The cost estimate: properties over generated cases, then worked examples per destination and currency.

Everything runs on the frozen fixture pack (tests/fixtures/pack: the 2026.12.1 pack, trimmed), so a
new price, product or rate in the shipped pack breaks no worked figure; the generated-case invariants
and the sample cases also run on the shipped pack, which must keep them whatever it says.

Expected figures are computed here independently: prices and rates are read from the pack's JSON files
(rates.json, destinations.json, cost_defaults.json) and converted with exact fractions along the one
path the rate tree allows; which products are approved where comes from FACTS.md, typed in below.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections import deque
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from babel.numbers import get_currency_precision
from hypothesis import event, given, settings
from hypothesis import strategies as st

from planning.case import Case, empty_document, parse_case
from planning.eligibility import screen
from planning.estimate import BUDGET_FITS, Estimate, Option, estimate, regions_covering, timeline
from planning.knowledge.models import Pack, Rate, Sourced
from planning.knowledge.pack import bundled_pack_dir, load_pack, read_documents
from tests.fixtures import FIXTURE_PACK_DIR

Edges = dict[str, list[tuple[str, Fraction, dict[str, Any]]]]


@dataclasses.dataclass(frozen=True)
class PackData:
    """A pack as the app reads it, with its raw JSON for expectations worked out apart from the parser."""

    pack: Pack
    rates: list[dict[str, Any]]
    destinations: dict[str, dict[str, Any]]
    costs: dict[tuple[str, str], dict[str, Any]]
    therapies: list[dict[str, Any]]
    edges: Edges
    """An independent converter's graph over the raw rates: both directions, exact fractions."""

    @classmethod
    def read(cls, directory: Path) -> PackData:
        raw = read_documents(directory)
        edges: Edges = {}
        for rate in raw["rates"]:
            edges.setdefault(rate["base"], []).append((rate["quote"], Fraction(rate["rate"]), rate))
            edges.setdefault(rate["quote"], []).append((rate["base"], 1 / Fraction(rate["rate"]), rate))
        return cls(
            load_pack(directory),
            raw["rates"],
            {d["code"]: d for d in raw["destinations"]},
            {(c["country"], c["item"]): c for c in raw["cost_defaults"]},
            raw["therapies"],
            edges,
        )

    @property
    def codes(self) -> list[str]:
        return [i.code for i in self.pack.indications]

    def with_status(self, status: str) -> list[str]:
        return sorted(i.code for i in self.pack.indications if i.status == status)

    @property
    def countries(self) -> list[str]:
        return [d.code for d in self.pack.destinations]


FIXTURE = PackData.read(FIXTURE_PACK_DIR)
"""The frozen fixture pack: every worked example below pins its figures."""
SHIPPED = PackData.read(bundled_pack_dir())
"""The shipped pack: it must keep the invariants, whatever products, prices and rates it holds."""

PACK = FIXTURE.pack
CODES = FIXTURE.codes
APPROVED_CODES = FIXTURE.with_status("approved")
INVESTIGATIONAL_CODES = FIXTURE.with_status("investigational")
COUNTRIES = ["CN", "US", "GB", "DE"]
CURRENCIES = ["USD", "EUR", "CNY", "RUB", "SAR", "AED", "GBP", "MXN", "NGN", "INR", "TRY", "BRL", "KZT"]
"""The currencies the case editor lists first (desktop/cases/editor.py COMMON_CURRENCIES)."""
EXAMPLE_CURRENCIES = ["USD", "EUR", "CNY", "RUB", "SAR", "AED"]

RAW_RATES = FIXTURE.rates
RAW_DESTINATIONS = FIXTURE.destinations
RAW_COSTS = FIXTURE.costs
RAW_THERAPIES = FIXTURE.therapies

# --- an independent converter over the raw rates ------------------------------------------------

_EDGES = FIXTURE.edges


def route(source: str, target: str, data: PackData = FIXTURE) -> tuple[Fraction, list[dict[str, Any]]]:
    """The exact factor from ``source`` to ``target`` and the raw rate records on the way."""
    found: dict[str, tuple[Fraction, list[dict[str, Any]]]] = {source: (Fraction(1), [])}
    queue = deque([source])
    while queue:
        here = queue.popleft()
        for other, step, record in data.edges.get(here, []):
            if other not in found:
                found[other] = (found[here][0] * step, [*found[here][1], record])
                queue.append(other)
    return found[target]


def half_up(value: Fraction) -> Decimal:
    """``value`` in whole units, half up: the estimate is worked out in the whole units every view shows."""
    return Decimal(math.floor(value + Fraction(1, 2)))


def expected(amount: str | int | Decimal, source: str, target: str, data: PackData = FIXTURE) -> Decimal:
    """``amount`` in ``source`` shown in ``target``: exact conversion, then half up to whole units."""
    return half_up(Fraction(str(amount)) * route(source, target, data)[0])


def expected_rates(sources: set[str], target: str) -> set[tuple[str, str]]:
    return {(r["base"], r["quote"]) for s in sources for r in route(s, target)[1]}


def _shortest_paths(source: str) -> dict[str, int]:
    """How many shortest routes lead from ``source`` to each currency."""
    depth, count = {source: 0}, {source: 1}
    queue = deque([source])
    while queue:
        here = queue.popleft()
        for other, _step, _record in _EDGES.get(here, []):
            if other not in depth:
                depth[other], count[other] = depth[here] + 1, count[here]
                queue.append(other)
            elif depth[other] == depth[here] + 1:
                count[other] += count[here]
    return count


def test_each_conversion_has_one_shortest_path() -> None:
    """The expectations above rely on it: with one shortest route, it is the route the app must take."""
    currencies = set(_EDGES)
    assert len({(r["base"], r["quote"]) for r in RAW_RATES}) == len(RAW_RATES)
    for source in currencies:
        assert set(_shortest_paths(source).values()) == {1}, source
    for currency in currencies:
        route("EUR", currency)  # reachable: a KeyError otherwise
    assert set(CURRENCIES) <= currencies


# --- cases ----------------------------------------------------------------------------------------


def make_case(
    indication: str | None = "lbcl",
    currency: str | None = "USD",
    companions: int | None = 1,
    budget: Decimal | str | None = None,
    destinations: list[str] | None = None,
    nationality: str | None = "SA",
    data: PackData = FIXTURE,
) -> Case:
    doc = empty_document()
    doc["patient"]["nationality"] = nationality
    doc["clinical"].update(indication=indication, disease_status="relapsed", prior_lines=2)
    doc["preferences"].update(
        currency=currency,
        companions=companions,
        budget=None if budget is None else str(budget),
        destinations=destinations,
    )
    return parse_case(doc, data.codes)


# --- invariants -----------------------------------------------------------------------------------


def walk(node: Any, path: str = "estimate"):
    """Every leaf of a tree of dataclasses, tuples, lists and dicts, with its path."""
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        for f in dataclasses.fields(node):
            yield from walk(getattr(node, f.name), f"{path}.{f.name}")
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from walk(value, f"{path}.{key}")
    elif isinstance(node, list | tuple):
        for index, value in enumerate(node):
            yield from walk(value, f"{path}[{index}]")
    else:
        yield path, node


def json_amount(text: Any, currency: str) -> Decimal:
    assert isinstance(text, str), text
    try:
        value = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the assertion below says what was wrong
        pytest.fail(f"not a decimal string: {text!r}")
    assert value.is_finite()
    assert value == value.to_integral_value(), text  # whole units, as every view shows them
    assert -value.as_tuple().exponent <= get_currency_precision(currency), text
    return value


def approved_products(indication: str | None, country: str, data: PackData = FIXTURE) -> set[str]:
    """From the raw therapies: approvals for the indication in a region covering the destination."""
    regions = {"US": {"US"}, "CN": {"CN"}, "GB": {"GB"}, "DE": {"EU", "DE"}}.get(country, {country})

    def holds(approval: dict[str, Any]) -> bool:  # EU approvals before 2021 became UK authorisations
        pre_brexit_eu = country == "GB" and approval["region"] == "EU" and approval["date"] < "2021"
        return approval["region"] in regions or pre_brexit_eu

    return {t["id"] for t in data.therapies if any(a["indication"] == indication and holds(a) for a in t["approvals"])}


def offered_products(case: Case, country: str, data: PackData = FIXTURE) -> set[str]:
    """Approved there, and not ruled out by the screening in a region that covers the destination."""
    screening = screen(case, data.pack)
    offered = set()
    for therapy in approved_products(case.clinical.indication, country, data):
        result = screening.result(therapy)
        verdict = result.verdict_in(regions_covering(country, data.pack.therapy(therapy), case.clinical.indication))
        if verdict != "not_eligible":
            offered.add(therapy)
    return offered


def check_invariants(
    result: Estimate,
    case: Case,
    requested: list[str],
    rates: tuple[Rate, ...] | None = None,
    data: PackData = FIXTURE,
) -> None:
    rates = data.pack.rates if rates is None else rates
    currency = case.preferences.currency or "USD"
    assert result.currency == currency
    places = get_currency_precision(currency)

    for path, leaf in walk(result):
        assert not isinstance(leaf, float), path
    for option in result.options:
        for item in (*option.items, *option.alternatives):
            for amount in (item.low, item.high):
                assert type(amount) is Decimal, item
                assert amount.is_finite() and amount >= 0, item
                assert amount == amount.to_integral_value(), item  # whole units: the lines add up as shown
                assert -amount.as_tuple().exponent <= places, item
            assert item.low <= item.high, item
        assert type(option.total_low) is Decimal and type(option.total_high) is Decimal
        assert option.total_low == sum((i.low for i in option.items), Decimal(0))
        assert option.total_high == sum((i.high for i in option.items), Decimal(0))
        assert option.total_low <= option.total_high
        assert "package" not in [i.key for i in option.items]  # the package figure is never summed
        assert all(i.key == "package" for i in option.alternatives)
        for step in option.timeline:
            assert type(step.low_days) is int and type(step.high_days) is int, step
            assert 0 <= step.low_days <= step.high_days, step
        away = [s for s in option.timeline if s.away]
        assert option.away_days == (sum(s.low_days for s in away), sum(s.high_days for s in away))

        if not option.available:
            assert option.reason.strip()
            assert option.items == () and option.timeline == ()
            assert option.therapy is None and option.budget_fit is None
            assert option.total_low == option.total_high == 0
        else:
            assert option.items and option.items[0].key == "therapy"
            assert option.timeline
            assert option.therapy in approved_products(case.clinical.indication, option.country, data)
            budget = case.preferences.budget
            if budget is None:
                assert option.budget_fit is None
            elif option.total_open and budget >= option.total_low:
                assert option.budget_fit is None  # the drug's price is not known: no fit can be claimed
            else:
                assert option.budget_fit in BUDGET_FITS
                if option.budget_fit == "within":
                    assert option.total_high <= budget
                elif option.budget_fit == "stretching":
                    assert option.total_low <= budget < option.total_high
                else:
                    assert budget < option.total_low

    # every requested destination appears, in the order asked, with every product approved there
    assert list(dict.fromkeys(o.country for o in result.options)) == list(dict.fromkeys(requested))
    for country in dict.fromkeys(requested):
        options = [o for o in result.options if o.country == country]
        products = offered_products(case, country, data)
        if country not in data.countries:
            assert len(options) == 1 and not options[0].available
        elif products:
            assert {o.therapy for o in options} == products
            assert all(o.available for o in options)
        else:
            assert len(options) == 1 and not options[0].available

    # rates: each used rate is the pack's; the date is the oldest, a currency peg's only when nothing else was
    # used (a peg holds on any day); outdated ones are noted
    assert len({(r.base, r.quote) for r in result.rates_used}) == len(result.rates_used)
    assert set(result.rates_used) <= set(rates)
    dates = [r.sourced.as_of for r in result.rates_used if not r.fixed]
    pegs = [r.sourced.as_of for r in result.rates_used if r.fixed]
    assert result.rates_as_of == (min(dates) if dates else max(pegs) if pegs else None)
    outdated_note = any("outdated" in n for n in result.coordinator_notes)  # for the coordinator, not the plan
    assert outdated_note == any(r.outdated for r in result.rates_used)
    assert not any("outdated" in n for n in result.notes)

    # the JSON says the same, with amounts as decimal strings
    document = result.to_json()
    json.dumps(document)  # plain JSON types only
    for path, leaf in walk(document, "json"):
        assert not isinstance(leaf, float | Decimal), path
    assert document["currency"] == currency
    assert document["rates_as_of"] == result.rates_as_of
    assert [(r["base"], r["quote"], Decimal(r["rate"])) for r in document["rates"]] == [
        (r.base, r.quote, r.rate) for r in result.rates_used
    ]
    assert len(document["options"]) == len(result.options)
    for entry, option in zip(document["options"], result.options, strict=True):
        assert entry["country"] == option.country
        assert entry["available"] is option.available
        assert ("reason" in entry) is (not option.available)
        lows = [json_amount(i["low"], currency) for i in entry["items"]]
        highs = [json_amount(i["high"], currency) for i in entry["items"]]
        assert all(low <= high for low, high in zip(lows, highs, strict=True))
        assert json_amount(entry["total_low"], currency) == sum(lows, Decimal(0)) == option.total_low
        assert json_amount(entry["total_high"], currency) == sum(highs, Decimal(0)) == option.total_high
        for alternative in entry["alternatives"]:
            assert json_amount(alternative["low"], currency) <= json_amount(alternative["high"], currency)
        assert entry["away_days"] == list(option.away_days)
        assert entry["budget"] == option.budget_fit


# --- properties -----------------------------------------------------------------------------------


@st.composite
def cases(draw: st.DrawFn, data: PackData = FIXTURE) -> tuple[Case, list[str]]:
    destinations = draw(st.lists(st.sampled_from(data.countries), min_size=1, max_size=4, unique=True))
    currency = draw(st.sampled_from(CURRENCIES))
    indications = [*data.with_status("approved"), *data.with_status("investigational")]
    fields = {
        "indication": draw(st.sampled_from([*indications, None])),
        "currency": currency,
        "companions": draw(st.integers(min_value=0, max_value=10)),
        "destinations": destinations,
        "nationality": draw(st.sampled_from([None, *data.countries])),
        "data": data,
    }
    kind = draw(st.sampled_from(["none", "any", "near a total"]))
    if kind == "none":
        return make_case(budget=None, **fields), destinations
    # any amount of the size of the totals: USD 0-2 million in the patient's currency, cents or not
    usd = Decimal(draw(st.integers(min_value=0, max_value=2000)) * 1000 + draw(st.integers(0, 99_999)))
    budget = expected(usd.scaleb(-2) if draw(st.booleans()) else usd, "USD", currency, data)
    totals = [
        total
        for option in estimate(make_case(budget=None, **fields), data.pack).options
        for total in (option.total_low, option.total_high)
        if option.available
    ]
    if kind == "near a total" and totals:  # at, just under or just over a total, or between two
        cent = Decimal("0.01")
        budget = max(
            draw(st.sampled_from(totals)) + draw(st.sampled_from([-cent, Decimal(0), cent])),
            Decimal(0),
        )
        if draw(st.booleans()):
            budget = (budget + draw(st.sampled_from(totals))) / 2
    return make_case(budget=budget, **fields), destinations


@settings(deadline=None, max_examples=150)
@given(cases())
def test_generated_cases_keep_every_invariant(generated: tuple[Case, list[str]]) -> None:
    case, destinations = generated
    result = estimate(case, PACK)
    check_invariants(result, case, destinations)
    for option in result.options:  # shown by --hypothesis-show-statistics: the cases reach every branch
        event(f"budget fit: {option.budget_fit}" if option.available else "unavailable option")


@settings(deadline=None, max_examples=60)
@given(cases(SHIPPED))
def test_the_shipped_pack_keeps_every_invariant(generated: tuple[Case, list[str]]) -> None:
    """Whatever a pack update brings (products, prices, rates), every estimate keeps the invariants."""
    case, destinations = generated
    check_invariants(estimate(case, SHIPPED.pack), case, destinations, data=SHIPPED)


@settings(deadline=None, max_examples=40)
@given(cases(), st.lists(st.sampled_from(COUNTRIES), min_size=1, max_size=4, unique=True))
def test_countries_argument_overrides_the_case(generated: tuple[Case, list[str]], countries: list[str]) -> None:
    case, _ = generated
    check_invariants(estimate(case, PACK, countries=countries), case, countries)


def test_budget_fit_at_its_edges() -> None:
    case = make_case("lbcl", "EUR", destinations=COUNTRIES)
    base = [o for o in estimate(case, PACK).options if o.available]
    assert base
    assert any(o.total_open for o in base)  # e.g. liso-cel in Germany: no price recorded
    for option in base:
        cent = Decimal("0.01")
        if option.total_open:  # only "over" can be said, below the known part of the total
            for budget, fit in (
                (option.total_low - cent, "over"),
                (option.total_low, None),
                (option.total_high * 10, None),
            ):
                again = estimate(make_case("lbcl", "EUR", budget=budget, destinations=COUNTRIES), PACK)
                (same,) = [o for o in again.options if (o.country, o.therapy) == (option.country, option.therapy)]
                assert same.budget_fit == fit, (option.country, option.therapy, budget)
            continue
        low, high = option.total_low, option.total_high
        for budget, fit in (
            (low - cent, "over"),
            (low, "stretching"),
            ((low + high) / 2, "stretching"),
            (high - cent, "stretching"),
            (high, "within"),
            (high * 10, "within"),
            (Decimal(0), "over"),
        ):
            with_budget = make_case("lbcl", "EUR", budget=budget, destinations=COUNTRIES)
            again = estimate(with_budget, PACK)
            (same,) = [o for o in again.options if (o.country, o.therapy) == (option.country, option.therapy)]
            assert (same.total_low, same.total_high) == (low, high)  # the budget changes no amount
            assert same.budget_fit == fit, (option.country, option.therapy, budget)


def test_the_sample_cases_keep_every_invariant() -> None:
    """The shipped sample cases with the shipped pack (they ship together)."""
    samples = json.loads((bundled_pack_dir().parent / "samples" / "sample_cases.json").read_text("utf-8"))
    assert samples
    for document in samples:
        case = parse_case(document, SHIPPED.codes)
        requested = list(case.preferences.destinations or SHIPPED.countries)
        check_invariants(estimate(case, SHIPPED.pack), case, requested, data=SHIPPED)


# --- worked examples: large B-cell lymphoma, relapsed, 2 prior lines, 1 companion -----------------

PEOPLE = 2
LBCL_PRODUCTS = {  # the fixture pack, as FACTS.md "Approved products" said in 2026.12.1 (Germany: EU
    # approvals; GB: MHRA approvals and the EU approvals granted before 2021, which became UK
    # authorisations; NICE appraised both products)
    "US": {"tisagenlecleucel", "axicabtagene", "lisocabtagene"},
    "CN": {"axicabtagene", "relmacabtagene"},
    "DE": {"tisagenlecleucel", "axicabtagene", "lisocabtagene"},
    "GB": {"tisagenlecleucel", "axicabtagene"},
}
LBCL_PRICES = {  # the fixture pack, as FACTS.md "Prices" said in 2026.12.1: list prices for large B-cell lymphoma
    ("US", "tisagenlecleucel"): ("373000", "USD"),
    ("US", "axicabtagene"): ("373000", "USD"),
    ("US", "lisocabtagene"): ("487477", "USD"),
    ("CN", "axicabtagene"): ("1200000", "CNY"),
    ("CN", "relmacabtagene"): ("1300000", "CNY"),
    ("DE", "tisagenlecleucel"): ("320000", "EUR"),
    ("DE", "axicabtagene"): ("327000", "EUR"),
    ("GB", "tisagenlecleucel"): ("282000", "GBP"),
    ("GB", "axicabtagene"): ("280451", "GBP"),
}
PACKAGE_USD = {"CN": "80000", "US": "400000", "GB": "350000", "DE": "320000"}  # the source overview
PER_PERSON = ("flight_return", "visa")
ITEM_OF = {
    "hospital_non_drug": "hospital_non_drug",
    "evaluation": "evaluation",
    "flight_return": "flights",
    "visa": "visa",
}


def test_facts_figures_are_in_the_raw_pack() -> None:
    for (country, therapy), (amount, currency) in LBCL_PRICES.items():
        prices = [p for p in RAW_DESTINATIONS[country]["list_prices"] if p.get("therapy") == therapy]
        assert any(Decimal(p["amount"]) == Decimal(amount) and p["currency"] == currency for p in prices)
    for country, amount in PACKAGE_USD.items():
        assert Decimal(RAW_DESTINATIONS[country]["overview"]["package_cost_usd"]) == Decimal(amount)
    assert (RAW_COSTS[("US", "visa")]["low"], RAW_COSTS[("US", "visa")]["currency"]) == ("185", "USD")
    for country in COUNTRIES:
        assert approved_products("lbcl", country) == LBCL_PRODUCTS[country]
        assert {therapy for c, therapy in LBCL_PRICES if c == country} <= LBCL_PRODUCTS[country]


def lbcl(country: str, currency: str, nationality: str | None = "SA") -> Estimate:
    return estimate(make_case("lbcl", currency, 1, None, [country], nationality), PACK)


@pytest.mark.parametrize("currency", EXAMPLE_CURRENCIES)
@pytest.mark.parametrize("country", COUNTRIES)
def test_lbcl_example(country: str, currency: str) -> None:
    result = lbcl(country, currency)
    options = result.options
    package = expected(PACKAGE_USD[country], "USD", currency)

    if not LBCL_PRODUCTS[country]:
        (option,) = options
        assert not option.available and "approved" in option.reason
        (alternative,) = option.alternatives
        assert (alternative.low, alternative.high) == (package, package)
        sources = {"USD"}
    else:
        assert {o.therapy for o in options} == LBCL_PRODUCTS[country]
        sources = {"USD"} | {c["currency"] for (k, _i), c in RAW_COSTS.items() if k == country and c["currency"] != "-"}
        for option in options:
            items = {i.key: i for i in option.items}
            if (country, option.therapy) not in LBCL_PRICES:  # no price recorded: the total stays open
                drug = items["therapy"]
                assert drug.unpriced and drug.low == drug.high == 0 and option.total_open
                assert "quote" in drug.basis
                (alternative,) = option.alternatives  # the package figure beside it, never as its price
                assert (alternative.low, alternative.high) == (package, package)
                continue
            amount, price_currency = LBCL_PRICES[(country, option.therapy)]
            sources.add(price_currency)
            drug = items["therapy"]
            assert (drug.low, drug.high) == (expected(amount, price_currency, currency),) * 2
            assert "list price" in drug.label and not drug.estimate
            # the package figure stands beside the list price, labelled, and is not added
            (alternative,) = option.alternatives
            assert (alternative.low, alternative.high) == (package, package)
            assert "Package figure" in alternative.label and alternative.source == "car_t_china_overview"
            assert option.total_low == sum(i.low for i in option.items)
            for key in ("hospital_non_drug", "evaluation", *PER_PERSON):
                cost = RAW_COSTS[(country, key)]
                times = PEOPLE if key in PER_PERSON else 1
                low = expected(Decimal(cost["low"]) * times, cost["currency"], currency)
                high = expected(Decimal(cost["high"]) * times, cost["currency"], currency)
                assert (items[ITEM_OF[key]].low, items[ITEM_OF[key]].high) == (low, high), key
            if country == "US":  # B-2 visa: USD 185 per person, patient and companion
                assert items["visa"].low == items["visa"].high == expected(185 * PEOPLE, "USD", currency)
                near = next(s for s in option.timeline if s.key == "near_centre")
                assert (near.low_days, near.high_days) == (0, 14)
                assert "2 weeks" in near.basis and not near.estimate

    assert {(r.base, r.quote) for r in result.rates_used} == expected_rates(sources, currency)
    as_of = [r["as_of"] for r in RAW_RATES if (r["base"], r["quote"]) in expected_rates(sources, currency)]
    assert result.rates_as_of == (min(as_of) if as_of else None)
    assert [(r["base"], r["quote"]) for r in result.to_json()["rates"]] == sorted(expected_rates(sources, currency))
    assert result.notes == ()
    check_invariants(result, make_case("lbcl", currency, 1, None, [country]), [country])


def test_us_tisa_cel_in_usd_worked_by_hand() -> None:
    """Every line of one option, worked out from FACTS.md on paper (77-125 days away, 15-35 in hospital)."""
    option = next(o for o in lbcl("US", "USD").options if o.therapy == "tisagenlecleucel")
    assert option.away_days == (77, 125)  # 7+1+48+5+15+0+1 and 14+2+48+10+35+14+2
    lines = {i.key: (i.low, i.high) for i in option.items}
    assert lines == {
        "therapy": (Decimal("373000.00"), Decimal("373000.00")),
        "hospital_non_drug": (Decimal("33535.00"), Decimal("41375.00")),
        "evaluation": (Decimal("8000.00"), Decimal("20000.00")),
        # a companion stays throughout: 77 nights at 110; meals (62 + 77) days at 68 ... (90 + 125) at 92
        "stay": (Decimal("17922.00"), Decimal("33530.00")),
        "flights": (Decimal("1200.00"), Decimal("3600.00")),
        "visa": (Decimal("370.00"), Decimal("370.00")),
        "interpreter": (Decimal("3300.00"), Decimal("16200.00")),  # 11-18 weeks at 300-900
        "contingency": (Decimal("43733"), Decimal("73211")),  # 10 % of 437,327; 15 % of 488,075, whole dollars
    }
    assert (option.total_low, option.total_high) == (Decimal("481060"), Decimal("561286"))
    json_option = lbcl("US", "USD").to_json()["options"][0]
    assert (json_option["total_low"], json_option["total_high"]) == ("481060", "561286")
    assert [list(map(Decimal, (i["low"], i["high"]))) for i in json_option["items"]] == [
        list(v) for v in lines.values()
    ]


@pytest.mark.parametrize(("country", "indication"), [("US", "lbcl"), ("CN", "lbcl"), ("DE", "lbcl"), ("GB", "b_all")])
def test_no_travel_costs_for_treatment_in_the_patients_own_country(country: str, indication: str) -> None:
    """No flights, visa or interpreter line at home, and a note says why (this test once expected a zero visa
    line beside charged flights and an interpreter: the defect)."""
    citizen = estimate(make_case(indication, "EUR", 1, None, [country], nationality=country), PACK)
    assert citizen.options
    for option in citizen.options:
        assert not {"flights", "visa", "interpreter"} & {i.key for i in option.items}
        (note,) = option.not_charged
        assert "country of nationality, taken to be home" in note
    foreign = estimate(make_case(indication, "EUR", 1, None, [country], nationality="SA"), PACK).options[0]
    assert {"flights", "visa", "interpreter"} <= {i.key for i in foreign.items} and foreign.not_charged == ()
    flight = RAW_COSTS[(country, "flight_return")]
    flights = next(i for i in foreign.items if i.key == "flights")
    assert (flights.low, flights.high) == (
        expected(Decimal(flight["low"]) * PEOPLE, flight["currency"], "EUR"),
        expected(Decimal(flight["high"]) * PEOPLE, flight["currency"], "EUR"),
    )
    travel = ("flights", "visa", "interpreter", "contingency")
    others = sum(i.high for i in foreign.items if i.key not in travel)
    assert others == sum(i.high for i in citizen.options[0].items if i.key not in travel)


def test_gb_counts_pre_2021_eu_approvals_and_obe_cel_for_b_all_without_a_recorded_price() -> None:
    assert {o.therapy for o in lbcl("GB", "GBP").options} == {"tisagenlecleucel", "axicabtagene"}
    (mm,) = estimate(make_case("mm", "GBP", destinations=["GB"]), PACK).options  # EU 2021 and later: not GB
    assert not mm.available and "United Kingdom" in mm.reason
    options = {o.therapy: o for o in estimate(make_case("b_all", "GBP", destinations=["GB"]), PACK).options}
    obe = options["obecabtagene"]
    assert obe.available
    drug = obe.items[0]
    assert drug.key == "therapy" and drug.unpriced and obe.total_open
    assert "price not recorded" in drug.label and drug.low == drug.high == 0
    (package,) = obe.alternatives  # the source overview's package figure, beside it, never its price
    assert package.low == package.high == expected("350000", "USD", "GBP")


def test_indication_specific_list_prices() -> None:
    """Kymriah costs USD 475,000 for B-ALL and USD 373,000 for LBCL; FL has no price: the total stays open."""
    b_all = {o.therapy: o for o in estimate(make_case("b_all", "USD", destinations=["US"]), PACK).options}
    assert set(b_all) == {"tisagenlecleucel", "brexucabtagene", "obecabtagene"}
    assert b_all["tisagenlecleucel"].items[0].low == Decimal("475000")
    assert b_all["brexucabtagene"].items[0].low == Decimal("373000")
    assert b_all["obecabtagene"].items[0].low == Decimal("525000")
    fl = {o.therapy: o for o in estimate(make_case("fl", "USD", destinations=["US"]), PACK).options}
    assert set(fl) == {"tisagenlecleucel", "axicabtagene", "lisocabtagene"}
    assert "price not recorded" in fl["tisagenlecleucel"].items[0].label
    assert fl["tisagenlecleucel"].items[0].low == 0 and fl["tisagenlecleucel"].total_open
    assert fl["lisocabtagene"].items[0].low == Decimal("487477")
    assert len(fl["lisocabtagene"].alternatives) == 1


def test_germany_uses_eu_approvals_and_never_the_package_as_a_drug_price() -> None:
    mm = {o.therapy: o for o in estimate(make_case("mm", "EUR", destinations=["DE"]), PACK).options}
    assert set(mm) == {"idecabtagene", "ciltacabtagene"}
    for option in mm.values():
        assert option.items[0].low == 0 and option.items[0].unpriced and option.total_open
        (package,) = option.alternatives
        assert package.low == expected("320000", "USD", "EUR")


def test_china_uses_the_range_of_the_negotiated_products_where_no_product_price_exists() -> None:
    case = make_case("mm", "CNY", destinations=["CN"])
    after_three = dataclasses.replace(case, clinical=dataclasses.replace(case.clinical, prior_lines=3))
    mm = {o.therapy: o for o in estimate(after_three, PACK).options}
    assert set(mm) == {"ciltacabtagene", "equecabtagene", "zevorcabtagene"}  # the Chinese labels need 3 lines
    (ruled_out,) = estimate(case, PACK).options  # after two lines none fits, and the option says why
    assert not ruled_out.available and "3 prior lines" in ruled_out.reason
    for option in mm.values():
        assert (option.items[0].low, option.items[0].high) == (Decimal("999000.00"), Decimal("1290000.00"))
        assert "2025" in option.items[0].basis


def test_cilta_cel_manufacturing_uses_its_own_sourced_weeks() -> None:
    cilta = PACK.therapy("ciltacabtagene")
    for country in COUNTRIES:
        steps = timeline(PACK, PACK.destination(country), cilta)
        manufacturing = next(s for s in steps if s.key == "manufacturing")
        assert (manufacturing.low_days, manufacturing.high_days) == (28, 35), country


def test_the_us_timeline() -> None:
    steps = {s.key: s for s in timeline(PACK, PACK.destination("US"), PACK.therapy("axicabtagene"))}
    assert list(steps) == [
        "waiting",
        "evaluation",
        "collection",
        "manufacturing",
        "lymphodepletion",
        "hospital",
        "near_centre",
        "return",
    ]
    assert not steps["waiting"].away and all(s.away for k, s in steps.items() if k != "waiting")
    assert (steps["waiting"].low_days, steps["waiting"].high_days) == (90, 180)  # 3-6 months
    assert (steps["manufacturing"].low_days, steps["manufacturing"].high_days) == (27, 38)
    assert (steps["hospital"].low_days, steps["hospital"].high_days) == (15, 35)
    assert (steps["near_centre"].low_days, steps["near_centre"].high_days) == (0, 14)


def test_investigational_indication_gives_trials_only_everywhere() -> None:
    for code in INVESTIGATIONAL_CODES:
        result = estimate(make_case(code, "EUR", destinations=COUNTRIES), PACK)
        assert [o.country for o in result.options] == COUNTRIES
        for option in result.options:
            assert not option.available and option.items == ()
            assert "clinical trials" in option.reason and "Investigational" in option.reason
            (alternative,) = option.alternatives
            assert alternative.low == expected(PACKAGE_USD[option.country], "USD", "EUR")
        for entry in result.to_json()["options"]:
            assert entry["available"] is False and "clinical trials" in entry["reason"]
            assert (entry["total_low"], entry["total_high"]) == ("0", "0")


def test_gastric_is_approved_only_in_china() -> None:
    result = estimate(make_case("gastric", "USD", destinations=COUNTRIES), PACK)
    by_country = {o.country: o for o in result.options}
    assert by_country["CN"].available and by_country["CN"].therapy == "satricabtagene"
    for country in ("US", "GB", "DE"):
        assert not by_country[country].available
        assert "No CAR-T product is approved" in by_country[country].reason


def test_no_indication_yet() -> None:
    result = estimate(make_case(None, "USD", destinations=["US", "CN"]), PACK)
    assert [o.available for o in result.options] == [False, False]
    assert all("not recorded" in o.reason for o in result.options)


@pytest.mark.parametrize("countries", [["FR"], ["US", "FR"], ["JP", "CN", "JP"]])
def test_an_unknown_country_gives_an_unavailable_option(countries: list[str]) -> None:
    case = make_case("lbcl", "EUR", destinations=["US"])
    result = estimate(case, PACK, countries=countries)
    assert list(dict.fromkeys(o.country for o in result.options)) == list(dict.fromkeys(countries))
    for option in result.options:
        if option.country not in COUNTRIES:
            assert not option.available and option.items == () and option.alternatives == ()
            assert "No sourced figures" in option.reason
    check_invariants(result, case, countries)


def test_no_destinations_means_every_destination_of_the_pack() -> None:
    result = estimate(make_case("lbcl", "EUR", destinations=None), PACK)
    assert list(dict.fromkeys(o.country for o in result.options)) == [d.code for d in PACK.destinations]


def test_an_outdated_rate_adds_a_note() -> None:
    result = estimate(make_case("lbcl", "KZT", destinations=["US", "DE"]), PACK)
    assert any("outdated" in note for note in result.coordinator_notes)
    assert any("outdated" in note for note in result.to_json()["notes"])
    assert result.rates_as_of == "2024-04-24"
    kzt = [r for r in result.to_json()["rates"] if r["quote"] == "KZT"]
    assert kzt == [
        {
            "base": "USD",
            "quote": "KZT",
            "rate": "444.32",
            "as_of": "2024-04-24",
            "source": "nbk_rates_2024_04_24",
            "outdated": True,
        }
    ]
    fresh = estimate(make_case("lbcl", "RUB", destinations=["US", "DE"]), PACK)
    assert not any("outdated" in note for note in fresh.notes + fresh.coordinator_notes)


def test_no_currency_means_usd_with_a_note() -> None:
    result = estimate(make_case("lbcl", None, destinations=["US"]), PACK)
    assert result.currency == "USD" and result.rates_used == ()
    assert any("USD" in note for note in result.notes)


def test_a_currency_no_rate_reaches_makes_options_unavailable_not_an_error() -> None:
    case = make_case("lbcl", "JPY", destinations=COUNTRIES)
    result = estimate(case, PACK)
    assert list(dict.fromkeys(o.country for o in result.options)) == COUNTRIES
    assert all(not o.available and "no exchange rate" in o.reason for o in result.options)
    assert set(COUNTRIES) <= {o.country for o in result.options}
    rates = (*PACK.rates, Rate("USD", "JPY", Decimal("150.25"), Sourced("t", "2026")))
    with_yen = estimate(case, PACK, rates=rates)
    for option in (o for o in with_yen.options if o.available):
        for item in option.items:
            assert item.low.as_tuple().exponent == 0 or item.low == 0  # whole yen
    check_invariants(with_yen, case, COUNTRIES, rates)


def test_coordinator_rates_replace_the_packs() -> None:
    case = make_case("lbcl", "EUR", destinations=["US"])
    newer = Rate("EUR", "USD", Decimal("1.25"), Sourced("coordinator", "2026-11-20"))
    result = estimate(case, PACK, rates=[*PACK.rates, newer])
    assert result.rates_used == (newer,) and result.rates_as_of == "2026-11-20"
    tisa = next(o for o in result.options if o.therapy == "tisagenlecleucel")
    assert tisa.items[0].low == Decimal("298400.00")  # 373,000 / 1.25


def test_option_properties_on_a_hand_built_option() -> None:
    option = Option("US", None, None, False, "why")
    assert (option.total_low, option.total_high, option.away_days) == (0, 0, (0, 0))
