"""Every plan read back from its PDF: one full stop where a sentence ends with a value that ends with its
own ("ر.س." then the sentence's ".", a Russian date ending "г." then "."), and the outdated-rate sentence
worded for the patient, not as an instruction to the coordinator."""

from __future__ import annotations

import io
import json
import re
import unicodedata
from datetime import date
from importlib import resources

import pytest
from pypdf import PdfReader

from planning.case import parse_case
from planning.i18n import DOCUMENT_LOCALES, single_stops
from planning.knowledge.pack import load_pack
from planning.plan import Paragraph, Plan, build_plan
from reports.document import render

PACK = load_pack()
CODES = {i.code for i in PACK.indications}
SAMPLES = json.loads((resources.files("resources") / "samples" / "sample_cases.json").read_text("utf-8"))
TODAY = date(2026, 12, 3)  # the pack's rates (April 2026) are stale: the plan says until when it is valid
DOUBLE_STOP = re.compile(r"(?<![.\u3002\u06d4])[.\u3002\u06d4][.\u3002\u06d4](?![.\u3002\u06d4])")


def case_in(currency: str) -> dict:
    document = json.loads(json.dumps(SAMPLES[2]))  # Layla Mithal: a budget, three destinations
    document["preferences"]["currency"] = currency
    return document


def plan_of(document: dict, locale: str) -> Plan:
    return build_plan(parse_case(document, CODES, TODAY), PACK, "CP-1", locale, today=TODAY, coordinator="Olga")


SOURCES_HEADING = {"en": "\nSources\n", "ru": "\nИсточники\n"}
"""The heading of the plan's last section, the list of sources, as the PDF's text has it."""


def pdf_text(plan: Plan) -> str:
    reader = PdfReader(io.BytesIO(render(plan)))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return unicodedata.normalize("NFKC", text).replace("\xa0", " ").replace("\u202f", " ")


def test_single_stops_keeps_the_value_s_own_stop_and_every_ellipsis() -> None:
    assert single_stops("Budget: 1,200,000 ر.س..") == "Budget: 1,200,000 ر.س."
    assert single_stops("до 10 дек. 2026 г.. Это не") == "до 10 дек. 2026 г. Это не"
    assert single_stops("截至 Inc.。") == "截至 Inc."
    for kept in ("Wait... then", "Wait…", "../notes", "1.5 kg.", "v1..v2", "A. B."):
        assert single_stops(kept) == kept


@pytest.mark.parametrize("locale", DOCUMENT_LOCALES)
@pytest.mark.parametrize("currency", ["SAR", "RUB", "KZT"])
def test_no_sentence_ends_with_two_stops_in_any_locale(currency: str, locale: str) -> None:
    plan = plan_of(case_in(currency), locale)
    raw = "".join(
        c for b in plan.blocks if isinstance(b, Paragraph) for c in b.text + "\n" if c.isprintable() or c == "\n"
    )
    text = pdf_text(plan)
    assert not DOUBLE_STOP.search(text), DOUBLE_STOP.findall(text)
    assert "г.." not in text and "ر.س.." not in text and "..ﺱ.ﺭ" not in text
    if locale == "ar" and currency == "SAR":  # the case the QA saw: the value's own stop, then the sentence's
        assert DOUBLE_STOP.search(raw)
    if locale == "ru":
        assert "г.." in raw  # "действительна до 10 дек. 2026 г.." before the drawing: drawn with one stop


def test_the_outdated_rate_is_explained_to_the_patient_not_given_as_an_order() -> None:
    for locale in ("en", "ru"):
        plan = plan_of(case_in("KZT"), locale)
        text = pdf_text(plan)
        warnings = [b.text for b in plan.blocks if isinstance(b, Paragraph) and "USD/KZT" in b.text]
        assert len(warnings) == 1, warnings
        # what the plan says to the patient, without the sources' own titles (a gov.uk page is "... updates")
        said = text.split(SOURCES_HEADING[locale])[0]
        assert "update" not in said.lower() or "ask us for an update" in said  # the stale-table sentence asks
        assert "before quoting" not in text
        assert "обновите" not in text.lower() and "перед расчётом предложения" not in text
    english = pdf_text(plan_of(case_in("KZT"), "en"))
    joined = " ".join(english.split())
    assert "known to be out of date (USD/KZT)" in joined
    assert "the centre's quote in its own currency decides the final amount" in joined


def test_the_coordinator_still_gets_the_order_to_update_the_rate() -> None:
    from planning.estimate import estimate

    result = estimate(parse_case(case_in("KZT"), CODES, TODAY), PACK, today=TODAY)
    assert any("update it before quoting" in n for n in result.coordinator_notes)
    assert not any("update it before quoting" in n for n in result.notes)  # notes are printed for the patient
    assert [f"{r.base}/{r.quote}" for r in result.outdated_rates] == ["USD/KZT"]
