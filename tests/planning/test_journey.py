"""The practical journey from the pack reaches the plan and the call checklist: the referral papers for the
patient's disease, what results to expect, the caregiver and life after return for the chosen destinations, the
visa for the patient's nationality, each with its source; unconfirmed claims and estimates say so; the
glossary comes from the pack in the plan's language. Built on the frozen fixture pack."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from importlib import resources

import pytest

from planning.case import parse_case
from planning.checklist import build_checklist
from planning.eligibility import screen
from planning.i18n import locale_scope
from planning.knowledge.models import Sourced
from planning.plan import Heading, Paragraph, Plan, Table, build_plan
from tests.fixtures import fixture_pack

PACK = fixture_pack()
TODAY = date(2026, 12, 3)
SAMPLES = json.loads((resources.files("resources") / "samples" / "sample_cases.json").read_text("utf-8"))
CODES = {i.code for i in PACK.indications}


def sample(indication: str, **patient) -> dict:
    document = json.loads(json.dumps(next(s for s in SAMPLES if s["clinical"]["indication"] == indication)))
    document["patient"].update(patient)
    return document


def plan_of(document: dict, locale: str = "en") -> Plan:
    return build_plan(parse_case(document, CODES, TODAY), PACK, "CP-1", locale, today=TODAY)


def section(plan: Plan, heading: str) -> list[str]:
    """The paragraphs under ``heading`` up to the next heading of the same or a higher level."""
    blocks = list(plan.blocks)
    start = next(i for i, b in enumerate(blocks) if isinstance(b, Heading) and b.text == heading)
    level = blocks[start].level  # type: ignore[union-attr]
    found = []
    for block in blocks[start + 1 :]:
        if isinstance(block, Heading) and block.level <= level:
            break
        if isinstance(block, Paragraph):
            found.append(block.text)
    return found


def source_lines(plan: Plan) -> list[str]:
    return section(plan, "Sources")


def test_the_documents_to_send_follow_the_disease() -> None:
    myeloma = section(plan_of(sample("mm")), "Documents to prepare")
    assert "• The latest bone-marrow and MRD reports." in myeloma
    assert "• A referral letter from the treating specialist." in myeloma
    assert not any("CLDN18.2" in line or "CD19" in line for line in myeloma)
    gastric = section(plan_of(sample("gastric")), "Documents to prepare")
    assert "• The pathology report with the CLDN18.2 and HER2 results." in gastric
    assert not any("bone-marrow" in line for line in gastric)
    assert gastric[0] == "• Passport (and the passports of companions)."


def test_what_results_to_expect_is_the_patients_disease_only() -> None:
    myeloma = plan_of(sample("mm"))
    assert section(myeloma, "What results to expect")[0] == (
        "• Myeloma is not cured by CAR-T: most patients relapse eventually."
    )
    lymphoma = plan_of(sample("lbcl"))
    assert any("ZUMA-1" in line for line in section(lymphoma, "What results to expect"))
    assert not any("Myeloma" in line for line in section(lymphoma, "What results to expect"))
    assert any("Lancet" in line or "Berdeja" in line or "Ciltacabtagene" in line for line in source_lines(myeloma))


def test_before_and_after_gives_the_points_of_the_chosen_destinations() -> None:
    document = sample("mm")
    document["preferences"]["destinations"] = ["US"]
    plan = plan_of(document)
    blocks = section(plan, "Before and after the treatment")
    assert "• In the United States, stay near the centre for at least 2 weeks after the infusion." in blocks
    assert "• Do not donate blood, organs, tissues or cells." in blocks
    assert not any("UK centre" in line for line in blocks)  # a GB point, GB not chosen
    assert "• Estimate: Centres ask for a deposit before admission." in blocks  # an estimate says so
    headings = [b.text for b in plan.blocks if isinstance(b, Heading) and b.level == 2]
    assert {"A caregiver", "After you return home", "When you can fly home", "Money matters"} <= set(headings)


def test_the_visa_follows_the_patients_nationality() -> None:
    spanish = sample("lbcl", nationality="ES")
    spanish["preferences"]["destinations"] = ["DE"]
    kazakh = sample("lbcl", nationality="KZ")
    kazakh["preferences"]["destinations"] = ["DE"]
    for document, group, words in ((spanish, "EU, EEA and Swiss citizens", "No visa."), (kazakh, "Other", "Schengen")):
        plan = plan_of(document)
        if not [o for o in plan.blocks if isinstance(o, Heading) and o.text == "Visa"]:
            pytest.skip("no product available in Germany for this sample in the fixture pack")
        lines = section(plan, "Visa")
        assert any(line.startswith(f"Germany ({group}") and words in line for line in lines), lines


def test_the_checklist_asks_for_the_referral_papers_with_their_source() -> None:
    case = parse_case(sample("mm"), CODES, TODAY)
    with locale_scope("en"):
        screening = screen(case, PACK, TODAY, "en")
        checklist = build_checklist(case, screening, PACK, "en", today=TODAY)
    marrow = next(d for d in checklist.documents if d.text == "The latest bone-marrow and MRD reports.")
    assert marrow.source == "careplan_defaults" and marrow.as_of == "2026-11"
    assert "careplan_defaults" in dict(checklist.sources)


def test_an_unconfirmed_claim_is_said_to_be_one() -> None:
    from planning.journey import claim

    assert claim("Waiting 1-2 months.", Sourced("x", "2026", unverified=True)) == (
        "Reported, not confirmed: Waiting 1-2 months."
    )
    assert claim("USD 100.", Sourced("x", "2026", estimate=True)) == "Estimate: USD 100."
    assert claim("Fact.", Sourced("x", "2026")) == "Fact."


def test_the_glossary_is_the_packs_in_the_plans_language() -> None:
    for locale in ("en", "de"):
        plan = plan_of(sample("mm"), locale)
        headings = [i for i, b in enumerate(plan.blocks) if isinstance(b, Table) and not b.headers]
        rows = plan.blocks[headings[-1]].rows  # type: ignore[union-attr]
        assert [r[0] for r in rows] == [g.term[locale] for g in PACK.glossary]


def test_a_pack_without_journey_falls_back_to_the_general_list() -> None:
    bare = replace(PACK, journey=(), glossary=())
    plan = build_plan(parse_case(sample("mm"), CODES, TODAY), bare, "CP-1", "en", today=TODAY)
    documents = section(plan, "Documents to prepare")
    assert any(line.startswith("• Medical records") for line in documents)
    assert not [b for b in plan.blocks if isinstance(b, Heading) and b.text == "Words used in this plan"]
