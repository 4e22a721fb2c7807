"""The call checklist as a PDF, read back: its title, the case, every open question and every document to
prepare; a drawn box per item; every locale with its fonts embedded, Arabic shaped and right to left, and
nothing outside the printable area, overlapping or in the header and footer bands; three pages at most."""

from __future__ import annotations

import io
import re
import unicodedata
from datetime import date
from typing import Any

import pytest
from pypdf import PdfReader

from planning.case import parse_case
from planning.checklist import Checklist, build_checklist
from planning.eligibility import screen
from planning.i18n import locale_scope
from planning.knowledge.pack import load_pack
from planning.plan import Organisation
from reports.checklist import page_model, render, write_checklist
from tests.reports import layout

PACK = load_pack()
CODES = {i.code for i in PACK.indications}
TODAY = date(2026, 12, 3)
LOCALES = ("en", "zh_CN", "ru", "ar", "es", "de")
ARABIC_FORMS = re.compile(r"[\ufb50-\ufdff\ufe70-\ufeff]")


def lymphoma_to_ask_about() -> dict[str, Any]:
    """A new LBCL case, nearly empty, four destinations: the longest checklist a call begins with."""
    return {
        "format": "careplan-case",
        "version": 2,
        "patient": {"full_name": "محمد عبد الله", "nationality": "SA"},
        "clinical": {"indication": "lbcl"},
        "preferences": {"destinations": ["CN", "DE", "US", "GB"]},
        "coordinator": {"name": "Olga Petrova"},
    }


def checklist_of(document: dict[str, Any], locale: str) -> Checklist:
    parsed = parse_case(document, CODES)
    with locale_scope(locale):
        screening = screen(parsed, PACK, TODAY, locale)
        return build_checklist(
            parsed,
            screening,
            PACK,
            locale,
            reference="CP-2026-00042",
            organisation=Organisation(name="Example Medical Travel Ltd"),
        )


def text_of(data: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return reader, unicodedata.normalize("NFKC", text).replace("\xa0", " ").replace("\u202f", " ")


def flat(text: str) -> str:
    """Without spaces and line breaks: a wrapped line reads as one."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def test_title_questions_and_documents_read_back() -> None:
    checklist = checklist_of(lymphoma_to_ask_about(), "en")
    assert checklist.questions and checklist.documents
    _reader, text = text_of(render(checklist))
    whole = flat(text)
    assert "Call checklist" in text
    assert "CP-2026-00042" in text
    assert flat(checklist.questions_heading) in whole
    assert flat(checklist.documents_heading) in whole
    for question in checklist.questions:
        assert flat(question.text) in whole, question.text
    for document in checklist.documents:
        assert flat(document.text) in whole, document.text


def test_every_item_has_a_drawn_box() -> None:
    checklist = checklist_of(lymphoma_to_ask_about(), "en")
    reader = PdfReader(io.BytesIO(render(checklist)))
    boxes = 0
    for page in reader.pages:
        content = page.get_contents()
        assert content is not None
        boxes += len(re.findall(rb"[\d.]+ [\d.]+ 9 9 re", content.get_data()))
    assert boxes == len(checklist.questions) + len(checklist.documents)


@pytest.mark.parametrize("locale", LOCALES)
def test_each_locale_renders_embedded_within_bounds_on_few_pages(locale: str) -> None:
    """Fifteen open questions with room for the answers, four destinations' visa papers and the pack's referral
    list (thirteen records to send): three pages at most."""
    checklist = checklist_of(lymphoma_to_ask_about(), locale)
    pdf = render(checklist)
    reader, text = text_of(pdf)
    assert 1 <= len(reader.pages) <= 3
    assert "CP-2026-00042" in text
    for page in reader.pages:  # every font embedded as a subset: no glyph left to the reader's fonts
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            assert font["/Subtype"] == "/TrueType", font
            assert "/FontFile2" in font["/FontDescriptor"].get_object()
            assert re.match(r"^/[A-Z]{6}\+", font["/BaseFont"])
    if locale == "zh_CN":
        assert re.search(r"[\u4e00-\u9fff]", text)
    if locale == "ru":
        assert re.search(r"[\u0400-\u04ff]", text)
    pages = layout.read(pdf)
    page = page_model(checklist)
    problems = [
        *layout.printable(pages),
        *layout.overlaps(pages),
        *layout.bands(pages, page.footer, page.page_label, layout.running_texts(page)),
        *layout.headings_at_foot(pages, [checklist.questions_heading, checklist.documents_heading]),
    ]
    assert problems == []


def test_arabic_is_shaped_and_right_to_left() -> None:
    checklist = checklist_of(lymphoma_to_ask_about(), "ar")
    assert checklist.rtl
    pdf = render(checklist)
    reader = PdfReader(io.BytesIO(pdf))
    raw = "".join(page.extract_text() for page in reader.pages)
    assert ARABIC_FORMS.search(raw)  # drawn as shaped presentation forms, not isolated letters
    fonts = {font.get_object()["/BaseFont"] for page in reader.pages for font in page["/Resources"]["/Font"].values()}
    assert any("NotoNaskhArabic" in str(name) for name in fonts)
    # right to left: the headings and the facts' labels end at the right margin, the boxes stand on the right
    pages = layout.read(pdf)
    first = pages[0]
    label = sorted(layout.normal(checklist.facts[0][0]))  # "المرجع" (reference), drawn in visual order
    word = next(w for w in first.words if sorted(layout.normal(w.text)) == label)
    assert word.right > first.width * 0.7
    content = reader.pages[0].get_contents()
    assert content is not None
    lefts = [float(x) for x in re.findall(rb"([\d.]+) [\d.]+ 9 9 re", content.get_data())]
    assert lefts and min(lefts) > first.width * 0.8


def test_case_text_is_drawn_as_written_never_as_markup(tmp_path) -> None:
    document = lymphoma_to_ask_about()
    document["patient"]["full_name"] = "<b>Ana</b> & <font size=40>Ruiz</font>"
    checklist = checklist_of(document, "en")
    target = tmp_path / "checklist.pdf"
    size = write_checklist(checklist, target)
    assert size == target.stat().st_size
    _reader, text = text_of(target.read_bytes())
    assert "<b>Ana</b> & <font size=40>Ruiz</font>" in text


def test_output_is_repeatable() -> None:
    checklist = checklist_of(lymphoma_to_ask_about(), "de")
    assert render(checklist) == render(checklist)
