"""The call checklist's content: the open questions are exactly the answers screening still needs (and go
when they are given), each with the criteria waiting for it; the documents follow the indication and the
destinations from the pack's own records, each with its source, then the general ones."""

from __future__ import annotations

from typing import Any

import pytest

from planning.case import parse_case
from planning.checklist import QUESTIONS, build_checklist, question_text
from planning.eligibility import screen
from planning.i18n import locale_scope
from planning.journey import GENERAL_RECORDS, INSURANCE, PASSPORT
from planning.knowledge.pack import load_pack
from tests.planning.vignettes import SCREENED_ON, WELL, case

PACK = load_pack()
CODES = {i.code for i in PACK.indications}

GENERAL = [
    PASSPORT,
    *([p.text["en"] for p in PACK.journey_points("referral") if not p.indications] or list(GENERAL_RECORDS)),
    INSURANCE,
]
"""The documents every case is asked for: the passport, the referral papers of the pack every disease needs (a
general word on the records when the pack lists none), insurance papers."""


def checklist_of(document: dict[str, Any], locale: str = "en"):
    parsed = parse_case(document, CODES)
    with locale_scope(locale):
        screening = screen(parsed, PACK, SCREENED_ON, locale)
        return screening, build_checklist(parsed, screening, PACK, locale, reference="CP-2026-00007")


def bare(**clinical: Any) -> dict[str, Any]:
    """A case with the date of birth and only the clinical facts given (nothing of WELL)."""
    return {"format": "careplan-case", "version": 2, "patient": {"date_of_birth": "1975-01-15"}, "clinical": clinical}


def gastric(**clinical: Any) -> dict[str, Any]:
    return case(61, "male", indication="gastric", subtype="gastric", **clinical)


def test_questions_are_the_missing_answers_in_order() -> None:
    screening, checklist = checklist_of(bare(indication="gastric"))
    assert screening.missing  # an almost empty case leaves much unknown
    assert checklist.question_fields() == list(screening.missing)
    assert "clinical.biomarkers.cldn18_2" in checklist.question_fields()
    cldn = next(q for q in checklist.questions if q.field == "clinical.biomarkers.cldn18_2")
    assert cldn.text == QUESTIONS["clinical.biomarkers.cldn18_2"]
    assert cldn.criteria  # the label that waits for it, by its label
    assert any("NMPA" in label for label in cldn.criteria)


def test_an_answer_given_takes_its_question_away() -> None:
    _screening, before = checklist_of(gastric(prior_lines=2, disease_status="refractory"))
    assert "clinical.biomarkers.cldn18_2" in before.question_fields()
    answered = gastric(prior_lines=2, disease_status="refractory", biomarkers={"cldn18_2": "positive"})
    _screening, after = checklist_of(answered)
    assert "clinical.biomarkers.cldn18_2" not in after.question_fields()
    assert set(after.question_fields()) < set(before.question_fields())


def test_a_case_with_every_answer_has_no_open_question() -> None:
    whole = gastric(
        **WELL,
        prior_lines=2,
        disease_status="refractory",
        biomarkers={"cldn18_2": "positive", "her2": "negative"},
    )
    screening, checklist = checklist_of(whole)
    assert screening.missing == ()
    assert checklist.questions == ()
    assert checklist.no_questions


def test_each_question_lists_the_criteria_waiting_for_it() -> None:
    _screening, checklist = checklist_of(bare(indication="lbcl", subtype="dlbcl"))
    ecog = next(q for q in checklist.questions if q.field == "clinical.ecog")
    ecog_labels = {c.label["en"] for c in PACK.criteria if any(x.field == "clinical.ecog" for x in c.conditions)}
    assert set(ecog.criteria) & ecog_labels
    assert question_text("clinical.ecog") == ecog.text


def test_unrecognised_prior_therapies_become_a_question() -> None:
    _screening, checklist = checklist_of(case(50, indication="lbcl", prior_therapies=["Zorblatinib"]))
    assert any("Zorblatinib" in q.text for q in checklist.questions)


def test_documents_follow_the_indication() -> None:
    _s, stomach = checklist_of(gastric())
    texts = [d.text for d in stomach.documents]
    assert "The CLDN18.2 test report." in texts
    assert "The HER2 test report." in texts
    cldn = next(d for d in stomach.documents if d.text == "The CLDN18.2 test report.")
    satri = PACK.therapy("satricabtagene")
    assert satri is not None
    approval = next(a for a in satri.approvals if a.indication == "gastric")
    assert cldn.source == approval.sourced.source  # from the approval's own record
    assert "positive" in cldn.detail

    _s, lymphoma = checklist_of(case(50, indication="lbcl"))
    lymphoma_texts = [d.text for d in lymphoma.documents]
    assert "The CLDN18.2 test report." not in lymphoma_texts
    assert "The pathology report, naming the exact subtype." in lymphoma_texts
    assert any("transplant" in t for t in lymphoma_texts)  # the LBCL labels turn on it (indication asks)

    _s, lupus = checklist_of(case(30, indication="sle"))
    # investigational: the passport, the pack's referral papers every disease needs, insurance papers
    assert [d.text for d in lupus.documents] == GENERAL


def test_every_sourced_document_cites_a_source_of_the_pack_and_the_general_ones_none() -> None:
    _s, checklist = checklist_of(gastric())
    general = {PASSPORT, INSURANCE, *GENERAL_RECORDS}
    for document in checklist.documents:
        if document.text in general:
            assert document.source == ""
        else:
            assert document.source in PACK.sources
    assert {source for source, _words in checklist.sources} == {d.source for d in checklist.documents if d.source}


@pytest.mark.parametrize(
    ("nationality", "destinations", "visas"),
    [
        ("ES", ["DE", "CN"], ["China"]),  # free movement in the EU: no German visa
        ("CN", ["CN", "US"], ["United States"]),  # no visa for the own country
        (None, ["GB"], ["United Kingdom"]),
    ],
)
def test_visa_documents_follow_the_destinations(nationality, destinations, visas) -> None:
    document = case(50, indication="mm")
    document["patient"]["nationality"] = nationality
    document["preferences"] = {"destinations": destinations}
    _s, checklist = checklist_of(document)
    visa = [d for d in checklist.documents if d.text.startswith("Visa for")]
    assert [d.text.split(":")[0].removeprefix("Visa for ") for d in visa] == visas
    for item in visa:
        assert item.source in PACK.sources and item.detail


def test_the_checklist_is_in_the_chosen_language() -> None:
    _s, checklist = checklist_of(gastric(), "de")
    assert checklist.locale == "de" and not checklist.rtl
    facts = dict(checklist.facts)
    assert "CP-2026-00007" in facts.values()
    assert "Documents to prepare" not in checklist.documents_heading  # translated (an existing text)
    indication = PACK.indication("gastric")
    assert indication is not None
    assert indication.name["de"] in facts.values()
    _s, arabic = checklist_of(gastric(), "ar")
    assert arabic.rtl and arabic.language == "ar"


def test_a_new_case_without_a_diagnosis_asks_for_it_first() -> None:
    empty = {"format": "careplan-case", "version": 2, "patient": {"full_name": "Ana Ruiz"}}
    screening, checklist = checklist_of(empty)
    assert screening.missing == ("clinical.indication",)
    assert [q.text for q in checklist.questions] == [QUESTIONS["clinical.indication"]]
    assert dict(checklist.facts)["Indication"] == "not recorded yet"
    assert [d.text for d in checklist.documents] == GENERAL  # no indication, no destination: general
