"""Comparing two plan versions says the totals each version's PDF printed: for each destination the total of
the option the plan shows there (the best verdict, then the lowest total), never another product's, for
versions made now and for versions stored before (whose facts took the last option listed); and versions
are numbered within their case, as the timeline counts them, whatever other cases hold.

Real plans of the real knowledge pack (a lymphoma case with several approved products in China, Germany
and the United States, in Saudi riyals), stored in a real SQLite case store, the PDFs read back with pypdf."""

from __future__ import annotations

import copy
import io
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from db.case_store import CaseStore
from planning.case import parse_case
from planning.i18n import _, country_name, locale_scope
from planning.knowledge.pack import load_pack
from planning.plan import money_range, plan_to_json
from planning.plan_diff import FACTS_KEY, Total, describe, listed_totals, plan_facts
from planning.plan_diff import version_label as label
from reports.document import render
from services.plan_compare import UnknownVersion, compare_versions
from services.plans import make_plan
from services.settings import Preferences
from services.timeline import case_timeline

PACK = load_pack()
TODAY = date(2026, 12, 3)
WHO = "Desk Zoë"
CASE: dict[str, Any] = {
    "format": "careplan-case",
    "version": 2,
    "patient": {"full_name": "Ahmed Test", "date_of_birth": "1970-05-01", "sex": "male", "language": "ar"},
    "clinical": {"indication": "lbcl", "disease_status": "relapsed", "prior_lines": 2, "ecog": 1, "pregnant": False},
    "preferences": {"destinations": ["CN", "DE"], "currency": "SAR", "budget": 2000000, "companions": 1},
    "coordinator": {"name": WHO},
}


def with_destinations(*countries: str) -> dict[str, Any]:
    document = copy.deepcopy(CASE)
    document["preferences"]["destinations"] = list(countries)
    return document


def old_facts(made) -> dict[str, Any]:
    """The facts as versions stored them before: every available option written over the one before it
    (the last product listed for each destination, one the plan may not show); the verdicts as codes."""
    whole = Decimal(1)
    return {
        "currency": made.estimate.currency,
        "totals": {
            o.country: {"low": str(o.total_low.quantize(whole)), "high": str(o.total_high.quantize(whole)),
                        "open": o.total_open}
            for o in made.estimate.options
            if o.available
        },
        "verdicts": {r.generic_name or "": r.verdict for r in made.screening.results},
        "overall": made.screening.overall,
    }  # fmt: skip


def add_version(store: CaseStore, case_id: int, document: dict[str, Any], locale: str, *, old: bool = False):
    """A version stored as the Plan tab stores one (``old``: as it stored one before the fix); its PDF's text."""
    case = parse_case(document, {i.code for i in PACK.indications}, TODAY)
    made = make_plan(case, PACK, "CP-1", locale, Preferences(), rates=PACK.rates, costs=PACK.cost_defaults, today=TODAY)
    if old:
        facts = old_facts(made)
        listed = {c: f"{t['low']}–{t['high']}" for c, t in facts["totals"].items()}
    else:
        facts = plan_facts(made.estimate, made.screening, PACK)
        listed = listed_totals(facts)
    pdf = render(made.plan)
    store.add_plan_version(
        case_id, WHO, locale, [o.country for o in made.estimate.options], listed, PACK.info.version,
        {"case": document, FACTS_KEY: facts}, plan_to_json(made.plan), pdf,
    )  # fmt: skip
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return made, " ".join(text.split())


@pytest.fixture
def store(tmp_path: Path):
    opened = CaseStore.open(tmp_path / "cases.sqlite", {i.code for i in PACK.indications})
    yield opened
    opened.close()


def printed(total: Total, currency: str, locale: str) -> str:
    """A total as the plan prints it (``planning.plan.total_text``), spaces as pypdf reads them."""
    amount = money_range(total.low, total.high, currency, locale)
    if total.open:
        with locale_scope(locale):
            amount = _("{amount} + the drug (price to be quoted)").format(amount=amount)
    return " ".join(amount.split())


def last_listed(made, country: str) -> Total:
    """The total of the last product listed for the destination (what Compare used to say)."""
    option = [o for o in made.estimate.options if o.country == country and o.available][-1]
    whole = Decimal(1)
    return Total(option.total_low.quantize(whole), option.total_high.quantize(whole), option.total_open)


@pytest.mark.parametrize("old", [False, True], ids=["stored-now", "stored-before"])
@pytest.mark.parametrize("locale", ["en", "de"])
def test_compared_totals_are_the_totals_each_pdf_printed(store, old: bool, locale: str) -> None:
    earlier = store.create(with_destinations("CN"), WHO).id  # another case's versions come first
    add_version(store, earlier, with_destinations("CN"), locale)
    add_version(store, earlier, with_destinations("CN"), locale)
    case_id = store.create(with_destinations("CN", "DE"), WHO).id
    _first, first_pdf = add_version(store, case_id, with_destinations("CN", "DE"), locale, old=old)
    second, second_pdf = add_version(store, case_id, with_destinations("CN", "DE", "US"), locale, old=old)
    for country in ("DE", "US"):  # several products approved: the last listed is not the one the plan shows
        assert printed(last_listed(second, country), "SAR", locale) not in second_pdf

    diff = compare_versions(store, case_id, 1, 2)

    assert (diff.old.number, diff.new.number) == (1, 2)
    for facts, pdf in ((diff.old, first_pdf), (diff.new, second_pdf)):
        assert facts.totals is not None and set(facts.totals) == set(facts.totals_text)
        for country, total in facts.totals.items():
            assert printed(total, "SAR", locale) in pdf  # the very figure the patient read
            assert " ".join(facts.totals_text[country].split()) in pdf
    assert set(diff.old.totals or {}) == {"CN", "DE"} and set(diff.new.totals or {}) == {"CN", "DE", "US"}
    assert [(c.subject, c.old) for c in diff.of_kind("total")] == [("US", None)]  # China, Germany: as they were
    us = diff.of_kind("total")[0].new
    with locale_scope(locale):
        lines = describe(diff, locale)
        expected = _("Total for {country}: {old} → {new}").format(
            country=country_name("US", locale), old=_("none"), new=money_range(us.low, us.high, "SAR", locale)
        )
    assert expected in lines, lines


def test_versions_are_numbered_within_their_case_as_the_timeline_counts(store) -> None:
    other = store.create(with_destinations("CN"), WHO).id
    for _version in range(3):
        add_version(store, other, with_destinations("CN"), "en")
    case_id = store.create(with_destinations("CN", "DE"), WHO).id
    add_version(store, case_id, with_destinations("CN", "DE"), "en")
    add_version(store, case_id, with_destinations("CN", "DE", "US"), "en")

    diff = compare_versions(store, case_id, 2, 1)

    assert (diff.old.number, diff.new.number) == (1, 2)
    assert diff.old.id > 3  # the store's ids run across cases; they are not shown
    assert label(diff.old).endswith("(version 1)") and label(diff.new).endswith("(version 2)")
    made = [
        e.title.replace("\u2068", "").replace("\u2069", "") for e in case_timeline(store, case_id) if e.kind == "plan"
    ]
    assert made == ["Plan version 2 made in English", "Plan version 1 made in English"]
    with pytest.raises(UnknownVersion):
        compare_versions(store, case_id, 1, 3)  # the other case's versions are not this one's


@pytest.mark.parametrize("locale", ["ar", "zh_CN", "ru", "es"])
def test_an_older_version_in_any_language_compares_by_the_totals_it_printed(store, locale: str) -> None:
    case_id = store.create(with_destinations("CN", "DE", "US"), WHO).id
    made, _pdf = add_version(store, case_id, with_destinations("CN", "DE", "US"), locale, old=True)
    add_version(store, case_id, with_destinations("CN", "DE", "US"), locale)  # the same plan, stored now

    diff = compare_versions(store, case_id, 1, 2)

    assert diff.old.totals == diff.new.totals and set(diff.old.totals or {}) == {"CN", "DE", "US"}
    assert diff.identical  # the older version's own facts (the last product listed) are not believed
    for country in ("DE", "US"):
        assert (diff.old.totals or {})[country] != last_listed(made, country)
