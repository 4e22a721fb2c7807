"""The bundled pack says what FACTS.md says, and every fact is sourced and dated."""

from __future__ import annotations

import pytest

from planning.knowledge.models import Pack, pick
from planning.knowledge.pack import load_pack

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


@pytest.fixture(scope="module")
def pack() -> Pack:
    return load_pack()


def test_twelve_approved_products_newest_satri_cel(pack: Pack) -> None:
    assert len(pack.therapies) == 12
    first_approvals = {t.id: min(a.date for a in t.approvals) for t in pack.therapies}
    newest = max(first_approvals, key=first_approvals.get)
    assert newest == "satricabtagene"
    satri = pack.therapy("satricabtagene")
    (approval,) = satri.approvals
    assert (approval.agency, approval.region, approval.date, approval.indication) == (
        "NMPA",
        "CN",
        "2026-06-22",
        "gastric",
    )
    assert satri.target == "Claudin18.2"


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
    codes = {i.code for i in pack.indications}
    assert codes >= DESIGN_CODES
    for indication in pack.indications:
        approved = any(a.indication == indication.code for t in pack.therapies for a in t.approvals)
        assert (indication.status == "approved") == approved, indication.code
        assert (indication.code in INVESTIGATIONAL) == (indication.status == "investigational")
    gastric = pack.indication("gastric")
    regions = {a.region for t in pack.therapies for a in t.approvals if a.indication == "gastric"}
    assert gastric.status == "approved" and regions == {"CN"}


def test_six_locales_for_indication_names(pack: Pack) -> None:
    for indication in pack.indications:
        assert set(indication.name) >= {"en", "zh_CN", "es", "ru", "ar", "de"}, indication.code


def test_destinations_have_every_overview_column_and_both_price_kinds(pack: Pack) -> None:
    by_code = {d.code: d for d in pack.destinations}
    assert set(by_code) == {"CN", "US", "GB", "DE"}
    expected = {"CN": 80000, "US": 400000, "GB": 350000, "DE": 320000}
    for code, destination in by_code.items():
        o = destination.overview
        assert o.package_cost_usd == expected[code]
        assert o.sourced.source == "car_t_china_overview"
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
    for fact in facts:
        assert fact.source in pack.sources
        assert fact.as_of[:2] in ("19", "20")


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
