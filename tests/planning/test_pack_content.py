"""The bundled pack says what FACTS.md says, and every fact is sourced and dated.

This audits the shipped pack, so it must survive pack updates: dated facts (an approval by an agency
on a day, a figure from a source) are checked exactly, because an update adds facts but does not
change those; what an update may add to (products, destinations, rates, indications) is checked as a
property of every record (sourced, dated, usable by the app), never as an exact count or closed set.
The logic tests that pin figures run on the frozen fixture pack instead (tests/fixtures/pack).
"""

from __future__ import annotations

import ast
import json
import re
from decimal import Decimal
from importlib import resources
from pathlib import Path

import pytest
from babel.numbers import get_currency_precision, list_currencies

from planning.case import empty_document, flatten, parse_case
from planning.knowledge.models import Pack, Sourced, pick
from planning.knowledge.pack import load_pack
from planning.money import MoneyError, RateTable

DESIGN_CODES = {
    "b_all",
    "lbcl",
    "fl",
    "mcl",
    "mm",
    "cll",
    "gastric",
    "sle",
    "ms",
    "t1d",
    "nsclc",
    "hcc",
    "crc",
    "breast",
}
INVESTIGATIONAL = {"sle", "ms", "t1d", "nsclc", "hcc", "crc", "breast"}
"""Investigational when the design was written; one may be approved later (then a therapy says so)."""
STATUSES = {"approved", "investigational", "trials_only"}
FACTS_PRODUCTS = {
    "tisagenlecleucel",
    "axicabtagene",
    "brexucabtagene",
    "lisocabtagene",
    "idecabtagene",
    "ciltacabtagene",
    "obecabtagene",
    "relmacabtagene",
    "equecabtagene",
    "inaticabtagene",
    "zevorcabtagene",
    "satricabtagene",
}
"""The twelve products of FACTS.md (2026.12.1); later packs may add more, none may go missing."""
DESIGN_DESTINATIONS = {"CN", "US", "GB", "DE"}
ESTIMATE_ITEMS = {
    "hospital_non_drug",
    "evaluation",
    "lodging_per_night",
    "meals_per_day",
    "flight_return",
    "visa",
    "interpreter_per_week",
    "contingency_percent",
    "evaluation_days",
    "collection_days",
    "lymphodepletion_days",
    "near_centre_days",
}
"""The cost defaults planning/estimate.py reads for every destination (else it falls back to a rough guess)."""
PARTIAL_DATE = re.compile(r"^(19|20)\d\d(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
CATALOG_LOCALES = {p.parent.parent.name for p in Path(str(resources.files("translations"))).glob("*/LC_MESSAGES/*.po")}


@pytest.fixture(scope="module")
def pack() -> Pack:
    return load_pack()


def editor_currencies() -> tuple[str, ...]:
    """The currencies the case editor lists first (COMMON_CURRENCIES in desktop/cases/editor.py), read
    from its source: tests/planning run without Qt."""
    source = Path(__file__).resolve().parents[2] / "desktop" / "cases" / "editor.py"
    for node in ast.parse(source.read_text("utf-8")).body:
        if isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == ["COMMON_CURRENCIES"]:
            return tuple(ast.literal_eval(node.value))
    raise AssertionError(f"COMMON_CURRENCIES is no longer a literal in {source}: update this test")


def converts(table: RateTable, source: str, target: str) -> bool:
    """True when the rate table connects the two currencies (the estimate can show one in the other)."""
    try:
        factor, _used = table.path(source, target)
    except MoneyError:
        return False
    return factor > 0


def test_the_facts_products_are_there_and_every_product_is_approved_somewhere_known(pack: Pack) -> None:
    """Was: exactly 12 products, the newest satri-cel. A new product must not break the audit, so: the
    twelve of FACTS.md are all there, satri-cel's first approval is what the NMPA record says, and every
    product (old or new) is approved by an agency in a region (a country code or EU), no later than the pack."""
    ids = [t.id for t in pack.therapies]
    assert len(ids) == len(set(ids))
    assert set(ids) >= FACTS_PRODUCTS
    satri = pack.therapy("satricabtagene")
    first = min(satri.approvals, key=lambda a: a.date)
    assert (first.agency, first.region, first.date, first.indication) == ("NMPA", "CN", "2026-06-22", "gastric")
    assert satri.target == "Claudin18.2"
    for therapy in pack.therapies:
        assert therapy.approvals, therapy.id
        assert therapy.generic_name and therapy.short_name and therapy.target, therapy.id
        for approval in therapy.approvals:
            assert approval.agency and re.fullmatch(r"[A-Z]{2}", approval.region), (therapy.id, approval.region)
            assert PARTIAL_DATE.match(approval.date), (therapy.id, approval.date)
            assert approval.date <= pack.info.as_of, (therapy.id, approval.date)  # no approval from the future


def test_key_approvals(pack: Pack) -> None:
    def has(therapy: str, agency: str, date_prefix: str, indication: str) -> bool:
        return any(
            a.agency == agency and a.date.startswith(date_prefix) and a.indication == indication
            for a in pack.therapy(therapy).approvals
        )

    assert has("tisagenlecleucel", "FDA", "2017-08", "b_all")
    assert has("axicabtagene", "NMPA", "2021-06-22", "lbcl")
    assert has("ciltacabtagene", "NMPA", "2024-08-27", "mm")
    assert has("obecabtagene", "FDA", "2024-11-08", "b_all")
    assert has("lisocabtagene", "FDA", "2024-05-30", "mcl")
    assert next(a.age_max for a in pack.therapy("tisagenlecleucel").approvals if a.indication == "b_all") == 25


def test_indications_cover_the_design_codes(pack: Pack) -> None:
    codes = [i.code for i in pack.indications]
    assert len(codes) == len(set(codes))
    assert set(codes) >= DESIGN_CODES
    for indication in pack.indications:
        approved = any(a.indication == indication.code for t in pack.therapies for a in t.approvals)
        assert indication.status in STATUSES, indication.code
        assert (indication.status == "approved") == approved, indication.code
        if indication.code in INVESTIGATIONAL:  # investigational at design time: later approved, never less
            assert indication.status in ("investigational", "approved"), indication.code
        else:
            assert indication.status != "investigational" or indication.research_notes, indication.code
    gastric = pack.indication("gastric")
    regions = {a.region for t in pack.therapies for a in t.approvals if a.indication == "gastric"}
    assert gastric.status == "approved" and "CN" in regions


def test_every_indication_the_case_editor_offers_asks_only_for_case_fields(pack: Pack) -> None:
    """The editor offers every indication of the pack and moves the fields it ``asks`` for to the top."""
    fields = set(flatten(empty_document()))
    for indication in pack.indications:
        assert pick(indication.name), indication.code
        for name in indication.asks:
            assert f"clinical.{name}" in fields, (indication.code, name)
    subtypes = {i.code: {s.code for s in i.subtypes} for i in pack.indications}
    asked = {name for i in pack.indications for name in i.asks}
    assert all(subtypes[i.code] for i in pack.indications if "subtype" in i.asks)  # asked, so offered
    assert asked  # the labels' questions are in the pack, not in the code


def test_every_sample_case_names_an_indication_of_the_pack(pack: Pack) -> None:
    samples = json.loads((resources.files("resources") / "samples" / "sample_cases.json").read_text("utf-8"))
    codes = {i.code: [s.code for s in i.subtypes] for i in pack.indications}
    for document in samples:
        case = parse_case(document, codes)
        assert pack.indication(case.clinical.indication), case.clinical.indication
        assert set(case.preferences.destinations or ()) <= {d.code for d in pack.destinations}


def test_six_locales_for_indication_names(pack: Pack) -> None:
    assert set(pack.info.locales) >= {"en", "zh_CN", "es", "ru", "ar", "de"} | CATALOG_LOCALES
    for indication in pack.indications:
        assert set(indication.name) >= {"en", "zh_CN", "es", "ru", "ar", "de"}, indication.code
        assert set(indication.name) >= set(pack.info.locales), indication.code
    for destination in pack.destinations:
        assert set(destination.name) >= set(pack.info.locales), destination.code


def test_destinations_have_every_overview_column_and_both_price_kinds(pack: Pack) -> None:
    by_code = {d.code: d for d in pack.destinations}
    assert len(by_code) == len(pack.destinations)
    assert set(by_code) >= DESIGN_DESTINATIONS  # a pack may add destinations; these four stay
    expected = {"CN": 80000, "US": 400000, "GB": 350000, "DE": 320000}  # the source overview's figures
    for code in DESIGN_DESTINATIONS:
        assert by_code[code].overview.package_cost_usd == expected[code]
        assert by_code[code].overview.sourced.source == "car_t_china_overview"
    for code, destination in by_code.items():
        o = destination.overview
        assert o.package_cost_usd > 0 and o.sourced.source in pack.sources, code
        assert o.hospital_stay_weeks.low <= o.hospital_stay_weeks.high
        assert o.waiting_months.low <= o.waiting_months.high
        assert o.insurance and o.local_biotech and o.research
        assert destination.list_prices, code  # list prices beside the package figure
        assert all(p.sourced.source != "car_t_china_overview" for p in destination.list_prices)
    # the China package figure is far below list prices: both kept, the note says so
    assert by_code["CN"].overview.package_cost_note
    assert max(p.high for p in by_code["CN"].list_prices if p.currency == "CNY") >= 999000


def test_every_fact_has_a_known_source_and_date(pack: Pack) -> None:
    facts = []
    for t in pack.therapies:
        facts += [t.sourced, *(a.sourced for a in t.approvals), *(w.sourced for w in t.boxed_warnings)]
        facts += [n.sourced for n in t.logistics]
    for i in pack.indications:
        facts += [i.sourced, *(n.sourced for n in i.research_notes)]
    facts += [c.sourced for c in pack.criteria] + [f.sourced for f in pack.faqs]
    for d in pack.destinations:
        facts += [d.overview.sourced, *(p.sourced for p in d.list_prices), *(p.sourced for p in d.other_costs)]
        facts += [n.sourced for n in d.logistics]
    assert len(facts) > 200
    facts += [r.sourced for r in pack.rates] + [c.sourced for c in pack.cost_defaults]
    facts += [c.sourced for c in pack.drug_classes] + [r.sourced for r in pack.regimens]
    for fact in facts:
        assert isinstance(fact, Sourced)
        assert fact.source in pack.sources, fact
        assert PARTIAL_DATE.match(fact.as_of), fact  # a year, a month or a day: 2017, 2017-08, 2017-08-30
        assert fact.as_of <= pack.info.as_of, fact  # nothing is true "as of" after the pack was made
    for source in pack.sources.values():
        assert source.title and source.publisher, source.id
        assert source.date == "undated" or PARTIAL_DATE.match(source.date), (source.id, source.date)


def test_every_rate_is_positive_dated_and_converts_the_offered_currencies(pack: Pack) -> None:
    """Rates may be added or updated; each is a positive rate between two ISO currencies, and every
    currency the case editor offers first converts to every other (else its estimates say "no rate")."""
    known = set(list_currencies())
    pairs = [(r.base, r.quote) for r in pack.rates]
    assert len(pairs) == len(set(pairs))
    for rate in pack.rates:
        assert rate.base in known and rate.quote in known and rate.base != rate.quote, rate
        assert isinstance(rate.rate, Decimal) and rate.rate.is_finite() and rate.rate > 0, rate
        assert rate.sourced.source in pack.sources and PARTIAL_DATE.match(rate.sourced.as_of), rate
    table = RateTable.of(pack.rates)
    offered = editor_currencies()
    assert "USD" in offered and len(offered) >= 5
    for currency in offered:
        assert converts(table, "USD", currency), currency
    prices = [p for d in pack.destinations for p in (*d.list_prices, *d.other_costs)]
    for price in prices:  # every recorded price converts to the patient's currency
        assert converts(table, price.currency, "USD"), price


def test_every_destination_has_every_cost_the_estimate_reads(pack: Pack) -> None:
    table = RateTable.of(pack.rates)
    for destination in pack.destinations:
        for item in sorted(ESTIMATE_ITEMS):
            cost = pack.cost_default(destination.code, item)
            assert cost is not None, (destination.code, item)
            assert 0 <= cost.low <= cost.high, (destination.code, item)
            assert pick(cost.label), (destination.code, item)
            if cost.currency != "-":  # money, not days or a percentage
                assert converts(table, cost.currency, "USD"), (destination.code, item)
                assert -cost.low.as_tuple().exponent <= get_currency_precision(cost.currency), cost
    assert {c.country for c in pack.cost_defaults} <= {d.code for d in pack.destinations}


def test_no_unverified_fact_reaches_the_pack(pack: Pack) -> None:
    prices = [p.amount for d in pack.destinations for p in d.list_prices]
    assert 555300 not in prices  # Carvykti's later US price is unverified in FACTS.md
    assert all(pick(a.wording).lower().find("unverified") < 0 for t in pack.therapies for a in t.approvals)


def test_criteria_are_structured_and_traceable(pack: Pack) -> None:
    assert {c.kind for c in pack.criteria} == {"label", "exclusion", "trial"}
    fields = {cond.field for c in pack.criteria for cond in c.conditions}
    assert {
        "clinical.ecog",
        "clinical.prior_lines",
        "clinical.creatinine_clearance_ml_min",
        "performance_poor",
    } <= fields
    for criterion in pack.criteria:
        assert criterion.sourced.source in pack.sources
        assert pick(criterion.detail)
    # firm exclusions are shared by every product (no product list); trial thresholds name their products
    assert all(not c.therapies for c in pack.criteria if c.kind == "exclusion")


def test_every_approval_carries_its_label_conditions(pack: Pack) -> None:
    for therapy in pack.therapies:
        for approval in therapy.approvals:
            assert approval.sourced.source in pack.sources
            # the label says for which disease course: a path, or at least a minimum of lines
            assert approval.paths or approval.min_prior_lines is not None, (therapy.id, approval.region)
            assert all(
                path.disease_status or path.min_relapse_count or path.after_allo_sct for path in approval.paths
            ), (therapy.id, approval.region)


def test_faqs_rewrite_the_source_questions(pack: Pack) -> None:
    assert len(pack.faqs) >= 9
    for faq in pack.faqs:
        assert "zh_CN" in faq.question and "zh_CN" in faq.answer
