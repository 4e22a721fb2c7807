"""The layout checker run on real plans: every document language × the sample cases × hostile cases (a
300-character letterhead, 200-character Arabic and Chinese names, mixed scripts, very long free text and
tall table cells, a long table, a logo). Each plan is rendered, read back and checked page by page
(tests/reports/layout.py says what each check means). The last tests show that every check fails on a
page that breaks its rule."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

import pytest
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import PageBreak, SimpleDocTemplate
from reportlab.platypus import Table as RLTable

from planning.i18n import DOCUMENT_LOCALES
from planning.plan import Coordinator, Heading, KeyValues, Organisation, Paragraph, Plan, Table
from reports.document import render
from reports.text import register_fonts
from tests.reports import layout
from tests.reports.test_plan_pdf import SAMPLES, plan_for

FILLER = {
    "en": "The centre confirms the schedule in writing once the medical records have been reviewed.",
    "zh_CN": "医疗记录审核完毕后，治疗中心将以书面形式确认日程安排和费用。",
    "es": "El centro confirma el calendario por escrito una vez revisada la historia clínica.",
    "ru": "Центр письменно подтверждает график после изучения медицинских документов.",
    "ar": "يؤكد المركز الجدول الزمني كتابيا بعد مراجعة السجلات الطبية للمريض.",
    "de": "Das Zentrum bestätigt den Zeitplan schriftlich, sobald die Unterlagen geprüft sind.",
}


def text_of(locale: str, length: int) -> str:
    """About ``length`` characters of ordinary sentences in the locale's script."""
    sentence = FILLER[locale] + " "
    return (sentence * (length // len(sentence) + 1))[:length].strip()


@pytest.fixture(scope="module")
def logo(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A small PNG logo, wider than high."""
    path = tmp_path_factory.mktemp("logo") / "logo.png"
    image = Image.new("RGB", (240, 90), (20, 70, 140))
    image.paste((240, 180, 40), (20, 20, 70, 70))
    image.save(path, "PNG")
    return str(path)


def with_name(document: dict, name: str) -> dict:
    changed = json.loads(json.dumps(document))
    changed["patient"]["full_name"] = name
    return changed


def long_letterhead(locale: str, logo: str) -> Plan:
    organisation = Organisation(
        name=("Internationale Gesellschaft für medizinische Reisebegleitung und Patientenkoordination " * 4)[:300],
        contact=("+49 30 555 0100 · coordination@medizinische-reisebegleitung.example · " * 5)[:300],
        logo=logo,
        address=("Friedrichstraße 123, Hinterhaus, 3. Etage\n10117 Berlin\nDeutschland " * 5)[:300],
        registration=("Amtsgericht Charlottenburg HRB 123456 B · USt-IdNr. DE123456789 · " * 5)[:300],
    )
    return replace(plan_for(SAMPLES[0], locale), organisation=organisation)


def realistic_letterhead(locale: str, logo: str) -> Plan:
    organisation = Organisation(
        name="MedTravel Partners GmbH",
        contact="+49 30 5550 1234 · care@medtravel-partners.example · www.medtravel-partners.example",
        logo=logo,
        address="Friedrichstraße 123\n10117 Berlin, Germany",
        registration="Amtsgericht Charlottenburg HRB 123456 B · VAT DE123456789",
    )
    plan = plan_for(SAMPLES[1], locale)
    return replace(
        plan, organisation=organisation, coordinator=Coordinator("Olga Petrova", "olga@example.org", "+49 30 1")
    )


def arabic_name(locale: str, logo: str) -> Plan:
    name = ("عبد الرحمن محمد بن سلمان آل عبد العزيز " * 6)[:200].strip()
    return plan_for(with_name(SAMPLES[2], name), locale)


def chinese_name(locale: str, logo: str) -> Plan:
    name = ("欧阳慕容司马上官诸葛东方皇甫尉迟公孙长孙宇文" * 10)[:200]
    return plan_for(with_name(SAMPLES[4], name), locale)


def mixed_scripts(locale: str, logo: str) -> Plan:
    plan = plan_for(with_name(SAMPLES[3], "Мария 王芳 ليلى Smith-García (Ана) 李 «Юлия»"), locale)
    organisation = Organisation(
        name="Клиника 医疗 مركز Partners", contact="+7 495 000 · 电话 · هاتف", address="Москва\n北京\nدبي"
    )
    return replace(plan, organisation=organisation)


def long_free_text(locale: str, logo: str) -> Plan:
    """Very long free text everywhere the model allows it: a paragraph of 4,000 characters, a note, key-value
    pairs of 600 characters and a table whose cell is taller than a whole page."""
    plan = plan_for(SAMPLES[0], locale)
    extra = (
        Heading("§1 " + text_of(locale, 120)),
        Paragraph(text_of(locale, 4000)),
        Paragraph(text_of(locale, 900), "note"),
        KeyValues(tuple((text_of(locale, 40), text_of(locale, 600)) for _ in range(3))),
        Heading("§2 " + text_of(locale, 30), 2),
        Table(
            ("Alpha " + text_of(locale, 12), "Beta " + text_of(locale, 20), "Gamma"),
            (
                ("A1 " + text_of(locale, 60), "B1 " + text_of(locale, 7000), "1"),
                ("A2 " + text_of(locale, 30), "B2 " + text_of(locale, 200), "2"),
                ("A3 " + text_of(locale, 30), "B3 " + text_of(locale, 300), "3"),
            ),
            (0.25, 0.6, 0.15),
            numeric=(2,),
        ),
        Paragraph(text_of(locale, 80), "small"),
    )
    return replace(plan, blocks=plan.blocks + extra)


def many_rows(locale: str, logo: str) -> Plan:
    """A table of 70 rows, some of several lines (a long treatment history), to split over pages."""
    plan = plan_for(SAMPLES[1], locale)
    rows = tuple(
        (f"{n:02d} · {text_of(locale, 18 + (n * 7) % 40)}", text_of(locale, 12 + (n * 13) % 90), str(2000 + n % 25))
        for n in range(70)
    )
    headers = ("Alpha " + text_of(locale, 9), "Beta " + text_of(locale, 14), "Gamma")
    extra = (Heading("§3 " + text_of(locale, 25)), Table(headers, rows, (0.35, 0.5, 0.15), numeric=(2,)))
    return replace(plan, blocks=plan.blocks[:6] + extra + plan.blocks[6:])


def long_footer(locale: str, logo: str) -> Plan:
    """A footer and a page label far longer than any translation: they take lines of their own."""
    plan = plan_for(SAMPLES[3], locale)
    return replace(plan, footer=text_of(locale, 170), page_label=text_of(locale, 45) + " {page} / {pages}")


HOSTILE: dict[str, Callable[[str, str], Plan]] = {
    "long-letterhead": long_letterhead,
    "realistic-letterhead": realistic_letterhead,
    "arabic-name": arabic_name,
    "chinese-name": chinese_name,
    "mixed-scripts": mixed_scripts,
    "long-free-text": long_free_text,
    "many-rows": many_rows,
    "long-footer": long_footer,
}
CASES = [(locale, f"sample{i}") for locale in DOCUMENT_LOCALES for i in range(len(SAMPLES))] + [
    (locale, name) for locale in DOCUMENT_LOCALES for name in HOSTILE
]


def plan_of(locale: str, case: str, logo: str = "") -> Plan:
    if case.startswith("sample"):
        return plan_for(SAMPLES[int(case.removeprefix("sample"))], locale)
    return HOSTILE[case](locale, logo)


@pytest.mark.parametrize(("locale", "case"), CASES, ids=[f"{locale}-{case}" for locale, case in CASES])
def test_the_layout_holds(locale: str, case: str, logo: str) -> None:
    plan = plan_of(locale, case, logo)
    problems = layout.check(plan, render(plan))
    assert not problems, "\n".join(problems[:25])


def test_the_letterhead_and_running_header_are_on_the_pages(logo: str) -> None:
    """What the checks take for granted: page 1 carries the organisation, later pages the reference."""
    plan = realistic_letterhead("en", logo)
    pages = layout.read(render(plan))
    first = " ".join(w.text for w in pages[0].words)
    assert "MedTravel Partners GmbH" in first and "HRB 123456 B" in first and "10117 Berlin, Germany" in first
    assert "care@medtravel-partners.example" in first
    assert "olga@example.org" in first  # a coordinator the model does not show: printed under the letterhead
    footers = [" ".join(w.text for w in p.words if w.bottom > p.height - layout.FOOTER_BAND) for p in pages]
    assert all("medtravel" not in f for f in footers)  # the contact is in the letterhead, not the footer
    for page in pages[1:]:
        top = " ".join(w.text for w in page.words if w.top < layout.HEADER_BAND)
        assert plan.reference in top and "MedTravel" in top


def test_the_metadata_are_the_plan_s(logo: str) -> None:
    from pypdf import PdfReader

    plan = realistic_letterhead("zh_CN", logo)
    data = render(plan)
    reader = PdfReader(io.BytesIO(data))
    info = reader.metadata
    assert info is not None
    assert (info.title, info.author) == (plan.title, "MedTravel Partners GmbH")
    assert info.subject == (plan.subject or plan.reference)
    assert reader.trailer["/Root"]["/Lang"] == "zh-CN"
    assert info["/CreationDate"] == info["/ModDate"] == "D:20261126000000+00'00'"
    assert render(plan) == data  # the plan's date, not the time of drawing: the same bytes
    older = replace(plan, created="", language="", subject="", organisation=Organisation())
    reader = PdfReader(io.BytesIO(render(older)))
    assert reader.metadata is not None
    assert reader.metadata.subject == plan.reference and reader.metadata.author == ""
    assert reader.metadata["/CreationDate"] != "D:20261126000000+00'00'"  # as before: ReportLab's invariant date
    assert reader.trailer["/Root"]["/Lang"] == "zh-CN"  # from the locale


def test_the_minimum_sizes() -> None:
    from reports.charts import LABEL_SIZE, SMALL_SIZE, TICK_SIZE
    from reports.document import FOOTER_SIZE, HEADER_SIZE, STYLES

    assert all(STYLES[name].size >= 10 for name in ("body", "note", "warning", "h1", "h2", "title"))
    assert STYLES["cell"].size >= 9 and STYLES["cell-bold"].size >= 9
    assert min(STYLES["small"].size, FOOTER_SIZE, HEADER_SIZE, SMALL_SIZE, LABEL_SIZE) >= 8
    assert TICK_SIZE >= 7.5
    assert all(style.leading >= style.size * 1.25 for style in STYLES.values())


def test_no_organisation_means_no_sender_name() -> None:
    plan = replace(plan_for(SAMPLES[0], "en"), organisation=Organisation(name="CarePlan Desk"))
    pages = layout.read(render(plan))
    assert not any("CarePlan" in w.text for p in pages for w in p.words)


# --- each check fails on a page that breaks its rule ------------------------------------------------------


def drawn(*pages: Callable[[Canvas], None]) -> list[layout.Page]:
    """PDF pages drawn by hand, read back."""
    register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, initialFontName="CarePlan-Sans")
    for draw in pages:
        canvas.setFont("CarePlan-Sans", 10)
        draw(canvas)
        canvas.showPage()
    canvas.save()
    return layout.read(buffer.getvalue())


def body(canvas: Canvas, lines: int = 5, size: float = 10) -> None:
    canvas.setFont("CarePlan-Sans", size)
    for n in range(lines):
        canvas.drawString(60, 700 - n * 14, f"Body line {n} of the plan, set in the text column.")


def footer(canvas: Canvas, page: int = 1, pages: int = 1) -> None:
    canvas.setFont("CarePlan-Sans", 8)
    canvas.drawString(51, 25, "Counseling information.")
    canvas.drawRightString(544, 25, f"Page {page} of {pages}")


def test_printable_catches_text_off_the_paper() -> None:
    assert not layout.printable(drawn(body))
    pages = drawn(lambda c: c.drawString(540, 400, "Organisation contact running off the paper"))
    assert layout.printable(pages)


def test_overlaps_catch_overprinted_text() -> None:
    assert not layout.overlaps(drawn(body))

    def overprint(canvas: Canvas) -> None:
        footer(canvas)
        canvas.drawString(480, 25, "+49 30 555 0100 · info@clinic.example")

    assert layout.overlaps(drawn(overprint))


def test_bands_catch_anything_but_the_footer_and_the_running_header() -> None:
    def good(page: int) -> Callable[[Canvas], None]:
        def draw(canvas: Canvas) -> None:
            body(canvas)
            footer(canvas, page, 2)
            if page == 2:
                canvas.drawString(51, 815, "Clinic   CP-1 · Anna")

        return draw

    def spilled(canvas: Canvas) -> None:
        good(2)(canvas)
        canvas.drawString(51, 45, "A table row drawn into the footer band")

    def crowded_header(canvas: Canvas) -> None:
        good(2)(canvas)
        canvas.drawString(300, 815, "Body text")

    def check(*pages: Callable[[Canvas], None]) -> list[str]:
        return layout.bands(
            drawn(*pages), "Counseling information.", "Page {page} of {pages}", ["Clinic", "CP-1 · Anna"]
        )

    assert not check(good(1), good(2))
    assert "footer band holds more" in check(good(1), spilled)[0]
    assert "header band holds more" in check(good(1), crowded_header)[0]


def test_body_lines_catch_a_stray_last_line() -> None:
    assert not layout.body_lines(drawn(body, body))
    assert layout.body_lines(drawn(body, lambda c: body(c, lines=1)))


def _table_pdf(repeat: bool, shift: float = 0) -> tuple[list[layout.Page], list]:
    rows = [[f"Treatment{n:02d} and its details", f"€{n * 7},000 (2026)", f"{n * 100} EUR"] for n in range(70)]
    header = ["Item", "Figure used", "Amount"]
    register_fonts()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4)
    style = [("FONTNAME", (0, 0), (-1, -1), "CarePlan-Sans"), ("FONTSIZE", (0, 0), (-1, -1), 9)]
    if shift:  # the continuation drawn at other column widths, shifted
        first = RLTable([header, *rows[:40]], colWidths=[200, 150, 100], style=style)
        rest = RLTable([header, *rows[40:]], colWidths=[200 - shift, 150, 100], style=style, hAlign="LEFT")
        story = [first, PageBreak(), rest]
    else:
        story = [RLTable([header, *rows], colWidths=[200, 150, 100], repeatRows=1 if repeat else 0, style=style)]
    document.build(story)
    model = Table(tuple(header), tuple(tuple(r) for r in rows), (0.4, 0.4, 0.2))
    plan = replace(plan_for(SAMPLES[0], "en"), blocks=(model,))
    return layout.read(buffer.getvalue()), layout.tables_of(plan)


def test_table_headers_catch_a_continued_table_without_its_header() -> None:
    pages, tables = _table_pdf(repeat=True)
    assert len(pages) > 1 and not layout.table_headers(pages, tables)
    pages, tables = _table_pdf(repeat=False)
    assert any("without its header" in p for p in layout.table_headers(pages, tables))


def test_table_headers_catch_a_shifted_continuation() -> None:
    pages, tables = _table_pdf(repeat=True, shift=40)
    assert any("not where it was" in p for p in layout.table_headers(pages, tables))


def test_headings_at_foot_catch_an_orphaned_heading() -> None:
    def page(heading_last: bool) -> Callable[[Canvas], None]:
        def draw(canvas: Canvas) -> None:
            body(canvas)
            canvas.drawString(60, 600 if heading_last else 720, "Cost estimate")

        return draw

    assert not layout.headings_at_foot(drawn(page(False), body), ["Cost estimate"])
    assert layout.headings_at_foot(drawn(page(True), body), ["Cost estimate"])


def test_sizes_catch_small_text() -> None:
    text = "Body line 0 of the plan, set in the text column."
    roles = {"body": [text], "cell": [], "small": []}
    assert not layout.sizes(drawn(body), roles)
    assert layout.sizes(drawn(lambda c: body(c, size=9.5)), roles)  # body text under 10 pt
    assert layout.sizes(drawn(lambda c: body(c, size=7)), {"body": [], "cell": [], "small": []})  # under the floor


# --- the charts -------------------------------------------------------------------------------------------

LONG_PLACE = "Vereinigte Staaten von Amerika (Bundesstaat Pennsylvania, Philadelphia)"


@pytest.mark.parametrize("locale", ["en", "ar", "zh_CN", "de"])
@pytest.mark.parametrize("budget", [None, Decimal(120_000), Decimal(2_400_000)])
def test_charts_keep_inside_their_box_without_overlaps(locale: str, budget: Decimal | None) -> None:
    """Long labels, amounts in the millions, a budget below or far above every bar: every word of a chart is
    drawn inside the box it asked for, and no two words overlap."""
    from planning.i18n import format_money, format_number, is_rtl
    from planning.plan import RangeChart, TimelineChart, money_range
    from reports.charts import RangeChart as RangeFlowable
    from reports.charts import TimelineChart as TimelineFlowable

    rtl = is_rtl(locale)
    ranges = RangeChart(
        text_of(locale, 50),
        ((LONG_PLACE, Decimal(1_250_000), Decimal(1_480_000)), ("China", Decimal(180_000), Decimal(260_000))),
        budget,
        text_of(locale, 30) if budget is not None else "",
    )
    steps = tuple((text_of(locale, 20 + 9 * n) + f" {n}", 5 + n, 20 + 3 * n) for n in range(7))
    timeline = TimelineChart(text_of(locale, 40), ((LONG_PLACE, steps), ("China", steps[:4])), text_of(locale, 8))
    charts = [
        RangeFlowable(
            ranges, rtl, lambda lo, hi: money_range(lo, hi, "SAR", locale), lambda a: format_money(a, "SAR", locale)
        ),
        TimelineFlowable(timeline, rtl, lambda days: format_number(days, locale)),
    ]
    for chart in charts:
        boxes: list[tuple[float, float, float, float]] = []

        def draw(canvas: Canvas, chart=chart, boxes=boxes) -> None:
            width, height = chart.wrapOn(canvas, 480, 700)
            chart.drawOn(canvas, 60, 100)
            boxes.append((60, A4[1] - 100 - height, 60 + width, A4[1] - 100))

        pages = drawn(draw)
        left, top, right, bottom = boxes[0]
        outside = [
            w.text
            for w in pages[0].words
            if w.left < left - 0.5 or w.right > right + 0.5 or w.top < top - 0.5 or w.bottom > bottom + 0.5
        ]
        assert not outside, (type(chart).__name__, outside)
        assert not layout.overlaps(pages), layout.overlaps(pages)[:5]
