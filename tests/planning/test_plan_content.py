"""The plan's content as a patient checks it: amounts that add up as shown, each destination's own journey,
the rates with their date, the budget, honest validity, no internal wording, no codes, the terms, the
glossary and who it comes from — for every sample case in every document language."""

from __future__ import annotations

import getpass
import json
import re
from dataclasses import replace
from datetime import date
from decimal import Decimal
from importlib import resources

import pytest
from babel.numbers import NumberFormatError, parse_decimal

from planning.case import parse_case
from planning.i18n import DOCUMENT_LOCALES, babel_locale
from planning.knowledge.models import Rate, Sourced
from planning.knowledge.pack import load_pack
from planning.plan import Heading, KeyValues, Paragraph, Plan, Table, Terms, build_plan
from planning.plan_sections import STALE_VALIDITY_DAYS, VALIDITY_DAYS
from services.plans import make_plan
from services.settings import Preferences

PACK = load_pack()
CODES = {i.code for i in PACK.indications}
SAMPLES = json.loads((resources.files("resources") / "samples" / "sample_cases.json").read_text("utf-8"))
TODAY = date(2026, 12, 3)


def plan_of(document: dict, locale: str = "en", **kwargs) -> Plan:
    return build_plan(parse_case(document, CODES, TODAY), PACK, "CP-1", locale, today=TODAY, **kwargs)


def texts(plan: Plan) -> list[str]:
    found: list[str] = [plan.title, plan.footer]
    for block in plan.blocks:
        if isinstance(block, Heading | Paragraph):
            found.append(block.text)
        elif isinstance(block, KeyValues):
            found.extend(f"{k} {v}" for k, v in block.pairs)
        elif isinstance(block, Table):
            found.extend(block.headers)
            found.extend(cell for row in block.rows for cell in row)
    return found


def amounts(text: str, locale: str) -> list[Decimal]:
    """The amounts in a money text as the locale writes them ("€1,027 – €3,081" -> 1027, 3081)."""
    found = []
    for part in re.findall(r"[\d][\d\s.,\u00a0\u202f\u066c\u066b]*", text):
        part = part.strip(" .,")
        if not part:
            continue
        try:
            found.append(parse_decimal(part.replace(" ", "\u00a0"), locale=babel_locale(locale), strict=False))
        except NumberFormatError:
            found.append(parse_decimal(part.replace("\u00a0", "").replace(" ", ""), locale=babel_locale(locale)))
    return found


def cost_tables(plan: Plan) -> list[Table]:
    return [b for b in plan.blocks if isinstance(b, Table) and b.numeric == (2,) and b.bold_last]


@pytest.mark.parametrize("locale", DOCUMENT_LOCALES)
@pytest.mark.parametrize("index", range(len(SAMPLES)))
def test_displayed_lines_add_up_to_the_displayed_total(index: int, locale: str) -> None:
    plan = plan_of(SAMPLES[index], locale)
    tables = cost_tables(plan)
    for table in tables:
        lows, highs = Decimal(0), Decimal(0)
        for row in table.rows[:-1]:
            values = amounts(row[-1], locale)
            if not values:
                continue  # "ask the centre for a quote"
            lows += values[0]
            highs += values[-1]
        total = amounts(table.rows[-1][-1], locale)
        assert total[0] == lows and total[1 if len(total) > 1 else 0] == highs, (table.rows, total)
    if SAMPLES[index]["clinical"]["indication"] in ("lbcl", "mm", "b_all"):
        assert tables, "an approved indication gets a cost table"


@pytest.mark.parametrize("index", range(len(SAMPLES)))
def test_each_destination_has_its_own_journey(index: int) -> None:
    plan = plan_of(SAMPLES[index])
    journey = [b for b in plan.blocks if isinstance(b, Table) and b.headers and b.headers[0] == "Step (days)"]
    compared = [b for b in plan.blocks if isinstance(b, Table) and b.headers[:1] == ("Destination",)]
    if not journey:
        assert not cost_tables(plan)
        return
    table = journey[0]
    places = table.headers[1:]
    assert len(set(places)) == len(places) >= 1
    if compared:
        days = {row[0]: row[3] for row in compared[0].rows}
        for column, place in enumerate(places, 1):
            assert table.rows[-1][column] == days[place]  # the column's own days, not the first destination's


def test_the_rates_their_date_and_a_stale_table_shorten_the_validity() -> None:
    plan = plan_of(SAMPLES[0])  # the pack's rates are from April 2026: stale on 3 December
    rates = [b for b in plan.blocks if isinstance(b, Table) and b.headers[:1] == ("Rate",)]
    assert rates and all(re.match(r"1 [A-Z]{3} = [\d.]+ [A-Z]{3}$", row[0]) for row in rates[0].rows)
    assert all(row[1] == "Apr 13, 2026" for row in rates[0].rows)
    valid = dict(plan.blocks[0].pairs)["Estimate valid until"]
    assert valid == "Dec 10, 2026" and STALE_VALIDITY_DAYS == 7
    assert any("234 days old" in t for t in texts(plan))

    fresh = [Rate(r.base, r.quote, r.rate, Sourced(r.sourced.source, "2026-11-20"), r.outdated) for r in PACK.rates]
    recent = plan_of(SAMPLES[0], rates=fresh)
    assert dict(recent.blocks[0].pairs)["Estimate valid until"] == "Jan 2, 2027" and VALIDITY_DAYS == 30
    assert not any("days old" in t for t in texts(recent))


def test_a_currency_peg_never_makes_the_rates_stale() -> None:
    """A US plan in Saudi riyals uses only the riyal's peg to the dollar (3.75 since 1986, confirmed 2020):
    no stale warning, the full validity; a Chinese destination adds the ECB's April rates: stale again."""
    document = json.loads(json.dumps(SAMPLES[1]))
    document["preferences"].update(currency="SAR", destinations=["US"], budget=None)
    plan = plan_of(document)
    used = plan.rates_used
    assert used and all(r.fixed for r in used) and {(r.base, r.quote) for r in used} == {("USD", "SAR")}
    assert dict(plan.blocks[0].pairs)["Estimate valid until"] == "Jan 2, 2027"
    assert not any("days old" in t for t in texts(plan))
    document["preferences"]["destinations"] = ["US", "CN"]
    both = plan_of(document)
    assert dict(both.blocks[0].pairs)["Estimate valid until"] == "Dec 10, 2026"


def test_the_budget_is_stated_beside_the_verdict_on_it() -> None:
    plan = plan_of(SAMPLES[0])
    joined = "\n".join(texts(plan))
    assert "Your budget, as you told us: €350,000." in joined
    assert "Compared with your budget of €350,000: Over budget." in joined


@pytest.mark.parametrize("locale", DOCUMENT_LOCALES)
@pytest.mark.parametrize("index", range(len(SAMPLES)))
def test_no_region_codes_and_no_internal_wording(index: int, locale: str) -> None:
    joined = "\n".join(texts(plan_of(SAMPLES[index], locale)))
    assert not re.search(r"\b(US|EU|CN|GB):", joined)
    for internal in ("CarePlan", "this pack", "fact sheet", "the project", "careplan_defaults", "not_eligible"):
        assert internal not in joined


def test_an_investigational_plan_has_no_cost_section() -> None:
    plan = plan_of(SAMPLES[3])  # lupus: clinical trials only
    headings = [b.text for b in plan.blocks if isinstance(b, Heading)]
    assert "Cost estimate" not in headings and "Exchange rates used" not in headings
    assert "Payment, cancellation and validity" not in headings
    assert not any("Exchange rates as of" in t or "valid until" in t.lower() for t in texts(plan))
    assert not any("visa" in t.lower() for t in texts(plan))
    sources = texts(plan)[texts(plan).index("Sources") + 1 :]
    assert any("Nature Medicine" in t for t in sources)  # the trial reports the plan quotes
    assert not any("European Central Bank" in t for t in sources)  # no amount shown: no rate to cite


def test_needs_information_reasons_are_plain_words() -> None:
    document = json.loads(json.dumps(SAMPLES[0]))
    for key in ("disease_status", "months_to_progression", "ecog"):
        document["clinical"].pop(key, None)
    plan = plan_of(document)
    table = next(b for b in plan.blocks if isinstance(b, Table) and b.headers[:1] == ("Therapy",))
    for _therapy, result, why in table.rows:
        assert result == "Needs information"
        assert why.startswith("Still needed: ") and "disease status" in why
        for jargon in ("Label ·", "Trial ·", "Exclusion ·", "unknown", " — ", "not recorded"):
            assert jargon not in why


def test_terms_from_settings_or_the_default() -> None:
    default = "\n".join(texts(plan_of(SAMPLES[0])))
    assert "Deposit and payment: to be agreed with the centre." in default
    given = Terms(payment="30% deposit on acceptance; the rest before admission.", cancellation="Free until 14 days.")
    custom = "\n".join(texts(plan_of(SAMPLES[0], terms=given)))
    assert given.payment in custom and given.cancellation in custom
    assert "to be agreed with the centre" not in custom


def test_the_glossary_and_the_patients_date_of_birth() -> None:
    plan = plan_of(SAMPLES[0])
    pairs = dict(plan.blocks[0].pairs)
    assert pairs["Date of birth"]
    glossary_at = next(
        i for i, b in enumerate(plan.blocks) if isinstance(b, Heading) and b.text == "Words used in this plan"
    )
    glossary = plan.blocks[glossary_at + 1]
    assert isinstance(glossary, Table) and any(row[0] == "Leukapheresis" for row in glossary.rows)


def test_no_login_name_and_no_product_name_as_the_sender() -> None:
    document = json.loads(json.dumps(SAMPLES[0]))
    document.pop("coordinator", None)
    case = parse_case(document, CODES, TODAY)
    made = make_plan(case, PACK, "CP-1", "en", Preferences(), rates=PACK.rates, costs=PACK.cost_defaults, today=TODAY)
    plan = made.plan
    assert plan.organisation.name == ""
    assert dict(plan.blocks[0].pairs)["Your coordinator"] == "—"
    assert getpass.getuser() not in "\n".join(texts(plan))
    profile = Preferences(coordinator_name="Olga Petrova", coordinator_email="olga@example.org")
    made = make_plan(case, PACK, "CP-1", "en", profile, rates=PACK.rates, costs=PACK.cost_defaults, today=TODAY)
    assert dict(made.plan.blocks[0].pairs)["Your coordinator"] == "Olga Petrova · olga@example.org"


@pytest.mark.parametrize("locale", DOCUMENT_LOCALES)
def test_metadata_fields(locale: str) -> None:
    plan = plan_of(SAMPLES[0], locale)
    assert plan.language == locale.replace("_", "-") and plan.created == "2026-12-03"
    assert plan.subject.endswith("CP-1")
    assert replace(plan) == plan
