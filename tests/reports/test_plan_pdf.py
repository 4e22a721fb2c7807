"""The PDF plan read back: the right script, the patient's name and reference literally, amounts as
Babel writes them, every font embedded, page X of Y; hostile input; whole-or-nothing writes."""

from __future__ import annotations

import io
import json
import os
import re
import unicodedata
from datetime import date
from importlib import resources
from pathlib import Path

import pytest
from pypdf import PdfReader

from planning.case import parse_case
from planning.i18n import format_money, locale_scope
from planning.knowledge.pack import load_pack
from planning.plan import build_plan
from reports.document import render, write_pdf

PACK = load_pack()
CODES = {i.code for i in PACK.indications}
SAMPLES = json.loads((resources.files("resources") / "samples" / "sample_cases.json").read_text("utf-8"))
TODAY = date(2026, 11, 26)
LOCALES = ("en", "zh_CN", "es", "ru", "ar", "de")


def plan_for(document: dict, locale: str, reference: str = "CP-2026-00042"):
    return build_plan(parse_case(document, CODES), PACK, reference, locale, today=TODAY, coordinator="Olga")


def text_of(data: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return reader, unicodedata.normalize("NFKC", text).replace("\xa0", " ").replace("\u202f", " ")


def spaced(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace("\xa0", " ").replace("\u202f", " ").replace("\u200f", "")


def fonts(reader: PdfReader) -> list[dict]:
    found = []
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            found.append(font.get_object())
    return found


@pytest.mark.parametrize("locale", LOCALES)
def test_every_locale_renders_read_back(locale: str) -> None:
    document = SAMPLES[0]
    plan = plan_for(document, locale)
    reader, text = text_of(render(plan))
    pages = len(reader.pages)
    assert pages >= 2
    assert "CP-2026-00042" in text
    assert "Sample Patient Anna Beispiel" in text
    for font in fonts(reader):  # every font embedded as a subset, no standard Type 1 font
        assert font["/Subtype"] == "/TrueType", font
        descriptor = font["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor
        assert re.match(r"^/[A-Z]{6}\+", font["/BaseFont"])
    if locale == "zh_CN":
        assert re.search(r"[\u4e00-\u9fff]", text)  # Chinese characters, drawn with the CJK font
        assert any("DroidSansFallback" in f["/BaseFont"] for f in fonts(reader))
    if locale == "ar":
        assert re.search(r"[\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufeff]", text)
        assert any("NotoNaskhArabic" in f["/BaseFont"] for f in fonts(reader))
    if locale == "ru":
        assert re.search(r"[\u0400-\u04ff]", text)
    if locale != "ar":  # right-to-left lines are extracted in visual order
        case = parse_case(document, CODES)
        option = next(o for o in build_options(case, locale) if o.available)
        with locale_scope(locale):
            amount = format_money(option.total_low.quantize(1), option_currency(case), locale)
        assert spaced(amount) in text
        last = reader.pages[-1].extract_text()
        assert str(pages) in last


def build_options(case, locale):
    from planning.estimate import estimate

    with locale_scope(locale):
        return estimate(case, PACK, locale=locale).options


def option_currency(case) -> str:
    return case.preferences.currency or "USD"


def test_page_x_of_y_in_english() -> None:
    reader, _text = text_of(render(plan_for(SAMPLES[0], "en")))
    total = len(reader.pages)
    for number, page in enumerate(reader.pages, 1):
        assert f"Page {number} of {total}" in page.extract_text()


def test_same_input_gives_the_same_bytes() -> None:
    assert render(plan_for(SAMPLES[1], "ru")) == render(plan_for(SAMPLES[1], "ru"))


HOSTILE = [
    ("markup", "<b>Bold</b> & <para>Ann</para> <font name=x>", "<b>Bold</b> & <para>Ann</para>"),
    ("long word", "A" * 3000, "AAAAAAAAAA"),
    ("emoji and zero width", "Zoë\u200b\u200d 😀 Ivanova 👩\u200d⚕️", "Ivanova"),  # bidi overrides: refused
    ("thousands of words", " ".join(["Name"] * 4000), "Name Name Name"),
    ("mixed scripts", "Мария 王芳 ليلى Smith", "Smith"),
]


@pytest.mark.parametrize(("label", "name", "expected"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_names_render_literally_and_whole(label: str, name: str, expected: str) -> None:
    document = json.loads(json.dumps(SAMPLES[1]))
    document["patient"]["full_name"] = name[:200] if len(name) > 200 else name
    document["clinical"]["prior_therapies"] = ["<script>x</script>"]  # unknown: shown among the reasons
    _reader, text = text_of(render(plan_for(document, "en")))
    assert expected[:30] in text.replace("\n", "")
    assert "<script>x<" in text.replace("\n", "")  # literal (split at "/" like "VRd/ASCT"), never markup


def test_a_very_long_unrecognised_therapy_list_splits_across_pages() -> None:
    document = json.loads(json.dumps(SAMPLES[1]))
    from planning.case import MAX_ENTRIES  # the parser's cap on a list

    document["clinical"]["prior_therapies"] = [
        f"mysterydrug{n:04d} " + "with a very long unrecognised description " * 4 for n in range(MAX_ENTRIES)
    ]
    reader, text = text_of(render(plan_for(document, "de")))
    assert len(reader.pages) > 3
    assert f"mysterydrug{MAX_ENTRIES - 1:04d}" in text.replace("\n", "")


def test_a_failed_write_leaves_nothing(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "plan.pdf"
    target.write_bytes(b"the plan sent yesterday")

    def refuse(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError):
        write_pdf(plan_for(SAMPLES[0], "en"), target)
    assert target.read_bytes() == b"the plan sent yesterday"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.pdf"]


def test_a_written_plan_is_a_complete_pdf(tmp_path: Path) -> None:
    target = tmp_path / "plan.pdf"
    size = write_pdf(plan_for(SAMPLES[4], "zh_CN"), target)
    assert target.stat().st_size == size < 400 * 1024  # CJK embedded as a subset
    assert target.read_bytes().rstrip().endswith(b"%%EOF")


def test_brackets_are_mirrored_in_right_to_left_lines() -> None:
    from reports.text import visual

    assert visual("مرشح (US: مرشح)", rtl=True) == "(حشرم :US) حشرم".replace("حشرم", visual("مرشح", True))


@pytest.mark.parametrize(
    ("text", "document_rtl", "expected"),
    [
        ("90–180", True, True),  # numbers follow the document: read 90 first, from the right
        ("56–104 أيام", True, True),
        ("Tisa-cel is a one-time infusion.", True, False),  # a Latin sentence keeps its order
        ("سعر Kymriah", True, True),
        ("90–180", False, False),
    ],
)
def test_paragraph_direction_in_a_document(text: str, document_rtl: bool, expected: bool) -> None:
    from reports.text import runs_right_to_left

    assert runs_right_to_left(text, document_rtl) is expected
