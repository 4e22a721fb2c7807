"""Property: no estimate option, and no summary or cost section of the plan, names a product the
screening rules out where it would be given. A patient eligible nowhere gets no quote."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from planning.case import parse_case
from planning.eligibility import screen
from planning.estimate import estimate, regions_covering
from planning.knowledge.pack import load_pack
from planning.plan import Heading, Paragraph, Table, build_plan

TODAY = date(2026, 12, 3)
PACK = load_pack()
CODES = {i.code: [s.code for s in i.subtypes] for i in PACK.indications}
APPROVED = sorted({a.indication for t in PACK.therapies for a in t.approvals})
COUNTRIES = [d.code for d in PACK.destinations]
MAYBE_BOOL = st.sampled_from([None, True, False])


@st.composite
def documents(draw: st.DrawFn) -> dict:
    code = draw(st.sampled_from(APPROVED))
    subtypes = CODES[code]
    clinical = {
        "indication": code,
        "subtype": draw(st.sampled_from([None, *subtypes])) if subtypes else None,
        "disease_status": draw(st.sampled_from([None, "relapsed", "refractory", "remission", "newly_diagnosed"])),
        "relapse_count": draw(st.sampled_from([None, 0, 1, 2, 3])),
        "months_to_progression": draw(st.sampled_from([None, 3, 12, 13, 24, 25, 36])),
        "transplant_eligible": draw(MAYBE_BOOL),
        "prior_lines": draw(st.sampled_from([None, 0, 1, 2, 3, 4])),
        "prior_therapies": draw(
            st.sampled_from([None, [], ["R-CHOP"], ["VRd"], ["VRd", "DPd"], ["ibrutinib"], ["ibrutinib", "venetoclax"]])
        ),
        "refractory_to": draw(st.sampled_from([None, [], ["lenalidomide"], ["bortezomib"]])),
        "biomarkers": draw(
            st.sampled_from([None, {"cldn18_2": "positive", "her2": "negative"}, {"cldn18_2": "negative"}])
        ),
        "ecog": draw(st.sampled_from([None, 0, 1, 2, 3, 4])),
        "karnofsky_lansky": draw(st.sampled_from([None, 40, 50, 90])),
        "pregnant": draw(MAYBE_BOOL),
        "active_infection": draw(MAYBE_BOOL),
        "prior_allo_sct": draw(MAYBE_BOOL),
        "creatinine_clearance_ml_min": draw(st.sampled_from([None, 25, 45, 90])),
    }
    age = draw(st.sampled_from([None, 9, 17, 22, 25, 26, 40, 70]))
    return {
        "patient": {"date_of_birth": f"{TODAY.year - age}-01-01" if age is not None else None},
        "clinical": clinical,
        "preferences": {
            "destinations": draw(st.lists(st.sampled_from(COUNTRIES), min_size=1, max_size=4, unique=True)),
            "currency": "EUR",
        },
    }


def product_names(therapy_id: str) -> set[str]:
    therapy = PACK.therapy(therapy_id)
    return {therapy.generic_name, therapy.short_name, *(name for name, _region in therapy.brand_names)}


def section_texts(plan, start: str, stop: str) -> list[str]:
    texts, inside = [], False
    for block in plan.blocks:
        if isinstance(block, Heading) and block.level == 1:
            inside = block.text == start or (inside and block.text != stop)
            if block.text == stop:
                inside = False
            continue
        if inside and isinstance(block, Paragraph):
            texts.append(block.text)
        if inside and isinstance(block, Heading):
            texts.append(block.text)
        if inside and isinstance(block, Table):
            texts.extend(" ".join(row) for row in block.rows)
    return texts


@settings(deadline=None, max_examples=200)
@given(documents())
def test_no_option_or_summary_names_a_product_ruled_out_there(document: dict) -> None:
    case = parse_case(document, CODES, TODAY)
    screening = screen(case, PACK, today=TODAY)
    result = estimate(case, PACK, screening=screening, today=TODAY)
    code = case.clinical.indication
    for option in result.options:
        if not option.available:
            continue
        verdict = screening.result(option.therapy).verdict_in(
            regions_covering(option.country, PACK.therapy(option.therapy), code)
        )
        assert verdict not in (None, "not_eligible"), (option.country, option.therapy, verdict)

    plan = build_plan(case, PACK, "CP-TEST", "en", today=TODAY)
    ruled_out_everywhere = [r.therapy for r in screening.results if r.therapy and r.verdict == "not_eligible"]
    offered = {o.therapy for o in result.options if o.available}
    summary = " ".join(section_texts(plan, "Summary", "About the therapy"))
    # the products described under "About the therapy" (the disease's own description is general)
    generic = tuple(t.generic_name for t in PACK.therapies)
    about = " ".join(t for t in section_texts(plan, "About the therapy", "Pre-screening") if t.startswith(generic))
    costs = " ".join(section_texts(plan, "Cost estimate", "Next steps"))
    for therapy in ruled_out_everywhere:
        for name in product_names(therapy):
            if any(name in product_names(other) for other in offered):
                continue  # a brand shared with an offered product (none today) cannot be told apart
            assert name not in summary and name not in about and name not in costs, (therapy, name)
    if screening.overall == "not_eligible":
        assert not offered
        assert "none of the approved CAR-T products fits" in summary
        assert not any(isinstance(b, Heading) and b.text == "Cost estimate" for b in plan.blocks)
        assert any(isinstance(b, Heading) and b.text == "What you can do next" for b in plan.blocks)
