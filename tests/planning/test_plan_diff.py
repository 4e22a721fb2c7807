"""Comparing two plan versions: each version is a real plan of the fixture pack, frozen as a version is
(the document model as JSON, the facts in its snapshot), and the comparison says what a coordinator asks
about: destinations added or removed, totals, language, verdicts, rates, the pack."""

from __future__ import annotations

import copy
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from planning.case import parse_case
from planning.eligibility import VERDICT_WORDS, screen
from planning.estimate import estimate
from planning.i18n import format_money, locale_scope
from planning.knowledge.models import Pack
from planning.plan import build_plan, plan_to_json
from planning.plan_diff import (
    FACTS_KEY,
    Total,
    VersionFacts,
    compare,
    describe,
    listed_totals,
    plan_facts,
    version_facts,
)

TODAY = date(2026, 12, 3)
CASE: dict[str, Any] = {
    "format": "careplan-case",
    "version": 2,
    "patient": {"full_name": "José García", "date_of_birth": "1970-05-01", "sex": "male", "language": "es"},
    "clinical": {"indication": "lbcl", "disease_status": "relapsed", "prior_lines": 2, "ecog": 1, "pregnant": False},
    "preferences": {"destinations": ["CN", "DE"], "currency": "EUR", "budget": "120000", "companions": 1},
    "coordinator": {"name": "Desk Zoë"},
}


def changed(**sections: dict[str, Any]) -> dict[str, Any]:
    document = copy.deepcopy(CASE)
    for section, values in sections.items():
        document[section].update(values)
    return document


def version(
    pack: Pack, document: dict[str, Any], locale: str = "en", number: int = 1, *, facts: bool = True, rates=None
) -> VersionFacts:
    """A version as the Plan tab stores it, read back as a comparison reads it."""
    case = parse_case(document, {i.code for i in pack.indications}, TODAY)
    with locale_scope(locale):
        screening = screen(case, pack, TODAY, locale)
        made = estimate(
            case,
            pack,
            None,
            list(rates or pack.rates),
            locale,
            list(pack.cost_defaults),
            screening=screening,
            today=TODAY,
        )
        plan = build_plan(case, pack, "CP-1", locale, today=TODAY, estimated=made, screening=screening)
    stored = plan_facts(made, screening, pack)
    totals = listed_totals(stored)
    snapshot = {"case": document, FACTS_KEY: stored} if facts else {"case": document}
    return version_facts(
        number,
        f"2026-12-0{number}T10:00:00+00:00",
        locale,
        [o.country for o in made.options],
        totals,
        pack.info.version,
        plan_to_json(plan),
        snapshot,
    )


def test_identical_versions_have_no_differences(fixture_pack) -> None:
    first, second = version(fixture_pack, CASE), version(fixture_pack, CASE, number=2)
    diff = compare(first, second)
    assert diff.identical and diff.changes == ()
    assert describe(diff, "en") == [
        "No differences: both plans show the same destinations, totals, language and verdicts."
    ]


def test_a_destination_added_is_listed_with_its_total(fixture_pack) -> None:
    first = version(fixture_pack, CASE)
    second = version(fixture_pack, changed(preferences={"destinations": ["CN", "DE", "US"]}), number=2)
    diff = compare(first, second)
    assert [c.subject for c in diff.of_kind("destination_added")] == ["US"]
    assert diff.of_kind("destination_removed") == []
    total = next(c for c in diff.of_kind("total") if c.subject == "US")
    assert total.old is None and isinstance(total.new, Total)
    assert [c.subject for c in diff.of_kind("total")] == ["US"]  # China and Germany cost what they did
    lines = describe(diff, "en")
    assert "Destinations added: United States" in lines
    us = format_money(total.new.low, "EUR", "en")
    assert any(line.startswith("Total for United States: none → " + us) for line in lines), lines


def test_a_destination_removed_is_listed(fixture_pack) -> None:
    first = version(fixture_pack, CASE)
    second = version(fixture_pack, changed(preferences={"destinations": ["CN"]}), number=2)
    diff = compare(first, second)
    assert [c.subject for c in diff.of_kind("destination_removed")] == ["DE"]
    assert "Destinations removed: Germany" in describe(diff, "en")
    assert next(c for c in diff.of_kind("total") if c.subject == "DE").new is None


def test_changed_totals_show_old_and_new_amounts_in_the_plan_currency(fixture_pack) -> None:
    first = version(fixture_pack, CASE)
    second = version(fixture_pack, changed(preferences={"companions": 3}), number=2)  # two more people travel
    diff = compare(first, second)
    totals = {c.subject: c for c in diff.of_kind("total")}
    assert set(totals) == {"CN", "DE"}
    china = totals["CN"]
    assert china.new.high > china.old.high
    line = next(line for line in describe(diff, "de") if line.startswith("Total for China"))
    # the amounts as German writes euros: "203.499 €"
    expected = f"{format_money(china.old.low, 'EUR', 'de')} – {format_money(china.old.high, 'EUR', 'de')} → "
    assert expected in line and "€" in line and "." in line
    assert diff.of_kind("destination_added") == diff.of_kind("destination_removed") == []


def test_the_language_changes(fixture_pack) -> None:
    diff = compare(version(fixture_pack, CASE, "en"), version(fixture_pack, CASE, "es", 2))
    assert [(c.old, c.new) for c in diff.of_kind("language")] == [("en", "es")]
    assert "Language of the plan: English → Spanish" in describe(diff, "en")
    assert diff.of_kind("verdict") == [] and diff.of_kind("total") == []  # the same plan in another language


def test_a_changed_verdict_is_named_per_product(fixture_pack) -> None:
    first = version(fixture_pack, CASE)
    second = version(fixture_pack, changed(clinical={"ecog": 3}), number=2)  # ECOG 3: a firm exclusion
    diff = compare(first, second)
    verdicts = {c.subject: (c.old, c.new) for c in diff.of_kind("verdict")}
    assert verdicts and all(new == "not_eligible" and old != "not_eligible" for old, new in verdicts.values())
    assert "tisagenlecleucel" in verdicts
    old = verdicts["tisagenlecleucel"][0]
    assert f"Screening of tisagenlecleucel: {VERDICT_WORDS[old]} → Not eligible" in describe(diff, "en")


def test_a_changed_exchange_rate_and_pack(fixture_pack) -> None:
    moved = [replace(r, rate=r.rate * Decimal("1.1")) if r.quote == "CNY" else r for r in fixture_pack.rates]
    first = version(fixture_pack, CASE)
    second = version(fixture_pack, CASE, number=2, rates=moved)
    second = replace(second, pack_version="2099.1.1")
    diff = compare(first, second)
    assert [c.subject for c in diff.of_kind("rate")] == ["EUR/CNY"]
    assert [(c.old, c.new) for c in diff.of_kind("pack")] == [(fixture_pack.info.version, "2099.1.1")]
    lines = describe(diff, "en")
    assert any(line.startswith("Exchange rate EUR/CNY: 1 EUR = ") for line in lines)
    assert f"Knowledge pack: {fixture_pack.info.version} → 2099.1.1" in lines


def test_an_older_version_without_facts_compares_what_it_kept(fixture_pack) -> None:
    first = version(fixture_pack, CASE, facts=False)
    second = version(fixture_pack, changed(preferences={"companions": 3}, clinical={"ecog": 3}), number=2)
    diff = compare(first, second)
    china = next(c for c in diff.of_kind("total") if c.subject == "CN")
    assert china.old == version(fixture_pack, CASE).totals["CN"]  # the total its document printed, read back
    assert not diff.verdicts_unknown  # read back from its Pre-screening table
    assert {c.subject for c in diff.of_kind("verdict")} == set(second.verdicts)
    same = compare(first, version(fixture_pack, CASE, number=2, facts=False))
    assert same.identical


@pytest.mark.parametrize("locale", ["en", "es", "ru", "zh_CN", "ar", "de"])
def test_verdicts_read_back_from_an_older_plan_in_any_language(fixture_pack, locale: str) -> None:
    for document in (CASE, changed(clinical={"ecog": 3}), changed(clinical={"indication": "sle"})):
        stored = version(fixture_pack, document, locale)
        read = version(fixture_pack, document, locale, facts=False)
        assert read.verdicts == stored.verdicts and read.verdicts


def test_verdicts_that_cannot_be_read_are_said_to_be_unknown(fixture_pack) -> None:
    first = version(fixture_pack, CASE, facts=False)
    first = replace(first, verdicts=None)  # as a version whose Pre-screening table cannot be read
    unreadable = version_facts(1, "2026-12-01T10:00:00+00:00", "en", ["CN"], {}, "1", {"$type": "Plan"}, {})
    assert unreadable.verdicts is None
    diff = compare(first, version(fixture_pack, changed(clinical={"ecog": 3}), number=2))
    assert diff.verdicts_unknown and diff.of_kind("verdict") == [] and not diff.identical
    expected = "Screening verdicts not compared: those of version 1 could not be read"
    assert any(expected in line for line in describe(diff, "en"))


def test_amounts_and_names_keep_their_direction_in_a_right_to_left_interface(fixture_pack) -> None:
    first = version(fixture_pack, CASE)
    diff = compare(first, version(fixture_pack, changed(preferences={"companions": 3}), number=2))
    assert not any("\u2068" in line for line in describe(diff, "en"))  # no invisible marks where none are needed
    with locale_scope("ar"):
        lines = describe(diff, "ar")
    china = next(c for c in diff.of_kind("total") if c.subject == "CN")
    amount = f"{format_money(china.old.low, 'EUR', 'ar')} – {format_money(china.old.high, 'EUR', 'ar')}"
    assert any(f"\u2068{amount}\u2069" in line for line in lines), lines  # each amount kept whole
