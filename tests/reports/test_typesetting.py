"""The plain-text typesetter (reports.text and the modules under it), tested as a reader sees the page:
Arabic lines fill the measure as drawn, amounts and bracketed titles keep their order in Arabic
sentences (read back from a PDF with poppler), Chinese lines obey the kinsoku rules at every width,
bold Chinese is a real bold face embedded as a subset, and the parsed-face cache changes nothing but
the time it takes."""

from __future__ import annotations

import itertools
import json
import os
import pickle
import re
import shutil
import subprocess
import sys
import unicodedata
from decimal import Decimal
from importlib import resources
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont as ToolsFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from planning.i18n import format_money, locale_scope
from reports import fontcache
from reports.direction import amounts, visual
from reports.fonts import CJK_BOLD_FILE, FONT_FILES, font_for, fonts_dir, is_cjk
from reports.linebreak import NO_END, NO_START
from reports.text import Style, Text, clean, draw_line, line_width, register_fonts, width, wrap

ARABIC = (
    "يستخدم العلاج بالخلايا التائية CAR-T الخلايا المناعية للمريض نفسه. تُجمع هذه الخلايا من الدم، وتُعدَّل "
    "في المختبر لكي تتعرف على المرض، ثم تُعاد إلى المريض عن طريق التسريب الوريدي. قد تحدث آثار جانبية "
    "خطيرة، مثل متلازمة إطلاق السيتوكين وتأثيرات على الجهاز العصبي، ولذلك يخضع المرضى لمراقبة دقيقة في "
    "المستشفى ويبقون بالقرب من المركز بعد ذلك. يقارن هذا الفرز الأولي معلوماتك بالمعايير المعتادة الواردة "
    "في النشرات الدوائية المعتمدة للمنتجات وفي التجارب السريرية، وهو معلومات استشارية وليس قرارًا طبيًا."
)
LATIN_RUN = re.compile(r"[A-Za-z0-9$¥€£,.\-–]+")


def chinese_paragraph() -> str:
    """Real answers of the knowledge pack in Chinese, and a sentence with what plans hold: amounts, a
    Latin product name, book-title marks, quotation marks, a fullwidth colon and an ellipsis."""
    faqs = json.loads((resources.files("resources") / "knowledge" / "faqs.json").read_text("utf-8"))
    answers = [faq["answer"]["zh_CN"] for faq in faqs if "zh_CN" in faq["answer"]][:5]
    return "".join(answers) + (
        "费用约为US$189,307–US$312,968（含CAR-T药物Kymriah）。患者须携带：护照、《知情同意书》和“病历摘要”，"
        "预算为¥1,200,000……请在2026年12月10日前回复！"
    )


@pytest.fixture(autouse=True)
def private_font_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Parsed faces go to a folder of the test session, never to the user's cache."""
    folder = tmp_path_factory.getbasetemp() / "font-cache"
    monkeypatch.setenv(fontcache.ENV_CACHE_DIR, str(folder))
    return folder


class Recorder:
    """A canvas stand-in that records where each run of text is drawn and how wide it is drawn."""

    def __init__(self) -> None:
        self.calls: list[tuple[float, float, float]] = []  # (x, y, drawn width)

    def setFillColorRGB(self, *_rgb: float) -> None:
        pass

    def beginText(self, x: float, y: float) -> Pen:
        return Pen(self, x, y)

    def drawText(self, _pen: Pen) -> None:
        pass


class Pen:
    """The text object a line is written with: runs one after the other, each as wide as its font's advances
    and its word spacing make it (what a PDF reader draws)."""

    def __init__(self, recorder: Recorder, x: float, y: float) -> None:
        self.recorder, self.x, self.y = recorder, x, y
        self.font, self.size, self.spacing = "", 0.0, 0.0

    def setFont(self, font: str, size: float) -> None:
        self.font, self.size = font, size

    def setWordSpace(self, spacing: float) -> None:
        self.spacing = spacing

    def textOut(self, text: str) -> None:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        drawn = stringWidth(text, self.font, self.size) + self.spacing * text.count(" ")
        self.recorder.calls.append((self.x, self.y, drawn))
        self.x += drawn


def drawn_lines(text: str, style: Style, available: float, rtl: bool) -> list[tuple[float, float]]:
    """The left and right edge of each line of a Text drawn ``available`` points wide."""
    flowable = Text(text, style, rtl)
    flowable.wrap(available, 10_000)
    recorder = Recorder()
    flowable.canv = recorder  # type: ignore[assignment]  # only the calls Text.draw makes
    flowable.draw()
    edges: dict[float, tuple[float, float]] = {}
    for x, y, drawn in recorder.calls:
        left, right = edges.get(y, (x, x))
        edges[y] = (min(left, x), max(right, x + drawn))
    return [edges[y] for y in sorted(edges, reverse=True)]


# --- 1. Arabic fills the measure ------------------------------------------------------------------


@pytest.mark.parametrize("measure", [250.0, 330.0, 420.0, 493.0])
def test_arabic_lines_fill_the_measure_and_never_pass_it(measure: float) -> None:
    register_fonts()
    style = Style(size=9.5, leading=13)
    lines = drawn_lines(ARABIC, style, measure, rtl=True)
    assert len(lines) >= 3
    for left, right in lines:
        assert left >= -1e-6 and right <= measure + 1e-6  # right-aligned, never past the left margin
    for left, right in lines[:-1]:
        assert right - left >= 0.85 * measure, (measure, right - left)


def test_every_arabic_line_is_as_full_as_the_next_word_allows() -> None:
    register_fonts()
    for measure in range(120, 500, 7):
        lines = wrap(ARABIC, 9.5, measure)
        assert " ".join(lines).split() == ARABIC.split()  # nothing lost, nothing doubled
        for line, following in itertools.pairwise(lines):
            assert line_width(line, 9.5, True) <= measure + 1e-6
            longer = f"{line} {following.split(' ')[0]}"
            assert line_width(longer, 9.5, True) > measure, (measure, line)  # the next word did not fit


def test_a_line_is_drawn_as_wide_as_it_was_measured(tmp_path: Path) -> None:
    """Spaces between Arabic words are drawn in the Arabic run (one run, not one per word) with word spacing
    that gives them the width they were measured with: read back, each right-aligned line spans exactly
    its measured width."""
    if not shutil.which("pdftotext"):
        pytest.skip("poppler's pdftotext is not installed")
    register_fonts()
    target = tmp_path / "lines.pdf"
    canvas = Canvas(str(target), invariant=1, initialFontName="CarePlan-Sans")
    lines = wrap(ARABIC, 10, 330.0)
    for number, line in enumerate(lines):
        draw_line(canvas, line, 560, 800 - 24 * number, 10, True, "right")
    canvas.save()
    boxes = subprocess.run(["pdftotext", "-bbox", str(target), "-"], capture_output=True, text=True, check=True)
    spans: dict[float, tuple[float, float]] = {}
    for left, top, right in re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)"', boxes.stdout):
        low, high = spans.get(round(float(top)), (float(left), float(right)))
        spans[round(float(top))] = (min(low, float(left)), max(high, float(right)))
    drawn = [spans[top] for top in sorted(spans)]
    assert len(drawn) == len(lines)
    for (left, right), line in zip(drawn, lines, strict=True):
        assert right == pytest.approx(560, abs=0.05)
        assert left == pytest.approx(560 - line_width(line, 10, True), abs=0.05), line


def test_words_are_shaped_as_arabic_reshaper_shapes_them() -> None:
    import arabic_reshaper

    from reports.direction import shaped

    for word in [*ARABIC.split(), "الله", "لا", "مُستشفى"]:
        assert shaped(word) == arabic_reshaper.reshape(word)


def test_an_arabic_word_is_measured_in_its_joined_forms() -> None:
    register_fonts()
    word = "المستشفى"
    isolated = sum(width(c, 10) for c in word)  # every letter in its isolated form: what was measured before
    assert width(word, 10) == pytest.approx(line_width(word, 10, True))
    assert width(word, 10) < 0.9 * isolated


# --- 2. Amounts and brackets in Arabic sentences ---------------------------------------------------


def ar_money(amount: int, currency: str) -> str:
    with locale_scope("ar"):
        return format_money(Decimal(amount), currency, "ar")


def ar_range(low: int, high: int, currency: str) -> str:
    return f"{ar_money(low, currency)} – {ar_money(high, currency)}"  # as planning.plan writes a range


AMOUNTS = [
    pytest.param(ar_range(189_307, 312_968, "USD"), id="ar-USD-range"),
    pytest.param(ar_money(1_200_000, "CNY"), id="ar-CNY"),
    pytest.param(ar_range(48_000, 57_000, "EUR"), id="ar-EUR-range"),
    pytest.param(ar_money(9_500, "GBP"), id="ar-GBP"),
    pytest.param(ar_money(1_200, "RUB"), id="ar-RUB-code"),  # no symbol in the locale: the code
    pytest.param("189,307 US$ – 312,968 US$", id="US$-range-spaced"),
    pytest.param("CN¥ 1,200,000", id="CN¥-before"),
    pytest.param("€48,000–€57,000", id="€-range"),
    pytest.param("£1,500", id="£"),
    pytest.param("US$189,307", id="US$-attached"),
    pytest.param("SAR1,200", id="code-attached"),
]


def readable(text: str) -> str:
    """Text as poppler reads it back, compared without spaces: base letters, no direction marks."""
    text = re.sub("[\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", unicodedata.normalize("NFKC", text))
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("amount", AMOUNTS)
def test_an_amount_is_one_left_to_right_unit_inside_an_arabic_sentence(amount: str) -> None:
    shown = clean(amount)
    line = f"التكلفة نحو {shown} إجمالا"
    assert amounts(line) == [(line.index(shown), line.index(shown) + len(shown))]
    words = [visual(w, True) for w in ("إجمالا", "نحو", "التكلفة")]
    assert visual(line, True) == f"{words[0]} {shown} {words[1]} {words[2]}"


def test_amounts_read_back_from_the_pdf_as_written(tmp_path: Path) -> None:
    if not shutil.which("pdftotext"):
        pytest.skip("poppler's pdftotext is not installed")
    register_fonts()
    target = tmp_path / "amounts.pdf"
    canvas = Canvas(str(target), invariant=1, initialFontName="CarePlan-Sans")
    lines = [f"التكلفة نحو {amount.values[0]} إجمالا للعلاج" for amount in AMOUNTS]
    for number, line in enumerate(lines):
        draw_line(canvas, line, 560, 800 - 24 * number, 11, True, "right")
    canvas.save()
    text = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True, check=True).stdout
    read = [readable(line) for line in text.splitlines() if line.strip()]
    assert read == [readable(clean(line)) for line in lines]


def test_an_amount_in_arabic_letters_reads_right_to_left_with_the_sentence() -> None:
    amount = clean(ar_money(1_797_898, "SAR"))  # ر.س.: no left-to-right unit to keep
    assert amounts(f"نحو {amount}") == []
    shown = visual(f"نحو {amount}", True)
    assert shown.index("1,797,898") > shown.index(visual("ر.س.", True)[-1])  # the number first, on the right


def test_a_latin_title_in_parentheses_keeps_them() -> None:
    line = "راجع (Kymriah label) للتفاصيل"
    assert visual(line, True) == f"{visual('للتفاصيل', True)} (Kymriah label) {visual('راجع', True)}"


def test_a_source_with_an_arabic_date_keeps_its_parentheses_in_place() -> None:
    source = "FDA, EMA: Approved indications of the CAR-T products (FDA and EMA labels) (يونيو 2026)"
    shown = visual(source, True)
    assert shown.endswith("FDA, EMA: Approved indications of the CAR-T products (FDA and EMA labels)")
    assert shown.startswith(f"(2026 {visual('يونيو', True)})")  # its own brackets, mirrored, on the left


def test_brackets_around_arabic_text_are_still_mirrored() -> None:
    word = visual("مرشح", True)
    assert visual("مرشح (US: مرشح)", True) == f"({word} :US) {word}"
    assert visual("الأوروبي (EMA) — خارج", True) == f"{visual('خارج', True)} — (EMA) {visual('الأوروبي', True)}"


def test_a_date_or_count_is_no_amount() -> None:
    assert amounts("في 2024 FDA وافقت") == []
    assert amounts("من 56–104 أيام") == []
    assert amounts("احتياطي الطوارئ (10–15 %)") == []
    assert amounts("سلبي HER2 و CD19") == []


# --- 3. Chinese line breaking ----------------------------------------------------------------------


def kinsoku_problems(lines: tuple[str, ...]) -> list[str]:
    problems = []
    for number, line in enumerate(lines):
        if number and line[:1] in NO_START:
            problems.append(f"line {number} starts with {line[0]}")
        if number < len(lines) - 1 and line[-1:] in NO_END:
            problems.append(f"line {number} ends with {line[-1]}")
    return problems


@pytest.mark.parametrize(("size", "bold"), [(9.5, False), (8.5, False), (13.0, True)])
def test_chinese_lines_keep_the_kinsoku_rules_at_every_width(size: float, bold: bool) -> None:
    register_fonts()
    paragraph = chinese_paragraph()
    # a Latin word or number with the marks bound to it (a closing mark after it, an opening one before)
    bound = re.compile(f"[{re.escape(''.join(NO_END))}]*{LATIN_RUN.pattern}[{re.escape(''.join(NO_START))}]*")
    runs_ = set(bound.findall(paragraph))
    for measure in range(60, 401):
        lines = wrap(paragraph, size, measure, bold)
        assert "".join(lines) == paragraph  # no character lost (the paragraph has no spaces)
        assert kinsoku_problems(lines) == [], measure
        for line in lines:
            assert line_width(line, size, False, bold) <= measure + 1e-6, (measure, line)
        for run in runs_:  # a Latin word or number that fits is never cut
            if width(run, size, bold) <= measure:
                assert any(run in line for line in lines), (measure, run)


def test_a_closing_mark_takes_the_character_before_it_to_the_next_line() -> None:
    register_fonts()
    measure = width("一二三四五", 10)
    assert wrap("一二三四五。六七八", 10, measure) == ("一二三四", "五。六七八")
    assert wrap("一二三四五：六七八", 10, measure)[0] == "一二三四"


def test_an_opening_mark_goes_down_with_what_it_opens() -> None:
    register_fonts()
    measure = width("一二三四（", 10)
    assert wrap("一二三四（五六）七八", 10, measure)[0] == "一二三四"
    assert wrap("一二三四“五六”七八", 10, width("一二三四“", 10))[0] == "一二三四"


def test_a_latin_word_in_chinese_moves_whole() -> None:
    register_fonts()
    lines = wrap("我们使用Tisagenlecleucel疗法", 10, width("我们使用Tisagenlec", 10))
    assert lines[0] == "我们使用"
    assert lines[1].startswith("Tisagenlecleucel")


# --- 4. Bold Chinese ---------------------------------------------------------------------------------


def gb2312_hanzi() -> set[str]:
    found = set()
    for row in range(0xB0, 0xF8):  # levels 1 and 2
        for cell in range(0xA1, 0xFF):
            try:
                found.add(bytes((row, cell)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return found


def test_the_bold_cjk_face_is_truetype_and_covers_gb2312_and_the_catalog() -> None:
    from babel.messages.pofile import read_po

    path = fonts_dir() / CJK_BOLD_FILE
    assert path.stat().st_size <= 4 * 1024 * 1024
    face = ToolsFont(path)
    assert "glyf" in face and "CFF " not in face
    cmap = face.getBestCmap()
    assert gb2312_hanzi() <= {chr(c) for c in cmap}
    assert {chr(c) for c in range(0xFF01, 0xFF5F)} <= {chr(c) for c in cmap}  # fullwidth forms
    assert all(chr(c) in {chr(k) for k in cmap} for c in range(0x3001, 0x3012))  # CJK punctuation
    catalog = Path(str(resources.files("translations"))) / "zh_CN" / "LC_MESSAGES" / "careplan.po"
    with catalog.open("rb") as handle:
        text = "".join(m.string for m in read_po(handle) if isinstance(m.string, str))
    assert {c for c in text if is_cjk(c)} <= {chr(c) for c in cmap}
    readme = (fonts_dir() / "README.txt").read_text("utf-8")
    assert CJK_BOLD_FILE in readme and "OFL" in readme


def test_bold_chinese_uses_the_bold_face_and_falls_back_to_the_regular_one() -> None:
    register_fonts()
    assert font_for("治", bold=True) == "CarePlan-CJK-Bold"
    assert font_for("治", bold=False) == "CarePlan-CJK"
    assert font_for("：", bold=True) == "CarePlan-CJK-Bold"
    assert "喆" not in gb2312_hanzi()  # a name character outside GB2312: drawn, in the regular face
    assert font_for("喆", bold=True) == "CarePlan-CJK"


def test_a_chinese_plan_embeds_a_subset_of_the_bold_face(tmp_path: Path) -> None:
    from reports.document import write_pdf
    from tests.reports.test_plan_pdf import SAMPLES, plan_for

    target = tmp_path / "plan.pdf"
    size = write_pdf(plan_for(SAMPLES[4], "zh_CN"), target)
    assert size <= 400 * 1024
    from pypdf import PdfReader

    bold = []
    for page in PdfReader(target).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            if "NotoSansCJKsc-Bold" in font["/BaseFont"]:
                bold.append(font)
    assert bold and all(re.match(r"^/[A-Z]{6}\+", f["/BaseFont"]) for f in bold)
    embedded = bold[0]["/FontDescriptor"].get_object()["/FontFile2"].get_data()
    subset = ToolsFont(__import__("io").BytesIO(embedded))
    assert "glyf" in subset and 1 < subset["maxp"].numGlyphs <= 257  # a subset, not the 7,000 glyphs
    if shutil.which("pdffonts"):
        listing = subprocess.run(["pdffonts", str(target)], capture_output=True, text=True, check=True).stdout
        row = next(line for line in listing.splitlines() if "NotoSansCJKsc-Bold" in line)
        assert row.split()[1:2] == ["TrueType"] and " yes yes yes " in row  # embedded, subset, unicode


def test_the_same_chinese_plan_gives_the_same_bytes() -> None:
    from reports.document import render
    from tests.reports.test_plan_pdf import SAMPLES, plan_for

    assert render(plan_for(SAMPLES[4], "zh_CN")) == render(plan_for(SAMPLES[4], "zh_CN"))


# --- 5. The parsed-face cache ------------------------------------------------------------------------


def same_face(cached: TTFont, fresh: TTFont) -> None:
    """Every attribute ReportLab set, equal; the big tables equal as the sequences and maps they stand for."""
    assert vars(cached).keys() == vars(fresh).keys()
    ours, theirs = vars(cached.face), vars(fresh.face)
    assert ours.keys() == theirs.keys()
    for key, value in theirs.items():
        if key == "_pdfScale":
            assert ours[key](1234) == value(1234)
        elif key in ("hmetrics", "glyphPos"):
            assert list(ours[key]) == value
            assert [type(a) for a, _b in ours[key]] == [type(a) for a, _b in value] if key == "hmetrics" else True
        elif key in ("charToGlyph", "glyphToChar"):
            assert dict(ours[key]) == value
        else:
            assert ours[key] == value, key


@pytest.mark.parametrize("name", sorted(FONT_FILES))
def test_a_face_from_the_cache_is_the_face_parsed(name: str, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(fontcache.ENV_CACHE_DIR, str(tmp_path))
    file = fonts_dir() / FONT_FILES[name]
    first = fontcache.load_font("T-" + name, file)  # parsed, then cached
    assert len(list((tmp_path / "fonts").glob("*.pickle"))) == 1
    cached = fontcache.load_font("T-" + name, file)
    assert isinstance(cached.face.charToGlyph, fontcache._CodeToGlyph)  # it did come from the cache
    fresh = TTFont("T-" + name, str(file))
    same_face(cached, fresh)
    same_face(first, fresh)
    codes = sorted(fresh.face.charToGlyph)[:: max(1, len(fresh.face.charToGlyph) // 200)][:200]
    assert cached.face.makeSubset(codes) == fresh.face.makeSubset(codes)  # the bytes that are embedded


def test_a_damaged_or_foreign_cache_file_is_ignored(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(fontcache.ENV_CACHE_DIR, str(tmp_path))
    file = fonts_dir() / FONT_FILES["Sans"]
    fontcache.load_font("T-Sans", file)
    (cached,) = (tmp_path / "fonts").glob("*.pickle")
    whole = cached.read_bytes()
    for broken in (whole[: len(whole) // 2], b"", b"not a pickle", pickle.dumps((os.system, ("echo owned",)))):
        cached.write_bytes(broken)
        font = fontcache.load_font("T-Sans", file)
        same_face(font, TTFont("T-Sans", str(file)))
        assert cached.read_bytes() == whole  # parsed again, and the cache written anew


def test_the_cache_refuses_to_build_anything_but_font_data() -> None:
    class Boom:
        def __reduce__(self):
            return (os.system, ("echo owned",))

    with pytest.raises(pickle.UnpicklingError):
        fontcache._plain(pickle.dumps(Boom()))


def test_an_unwritable_cache_costs_time_not_the_plan(tmp_path: Path, monkeypatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(fontcache.ENV_CACHE_DIR, str(blocker))
    file = fonts_dir() / FONT_FILES["Arabic"]
    same_face(fontcache.load_font("T-Arabic", file), TTFont("T-Arabic", str(file)))
    assert not any(p.suffix == ".pickle" for p in fonts_dir().iterdir())  # never beside the code


def test_a_cache_of_another_font_file_is_not_used(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(fontcache.ENV_CACHE_DIR, str(tmp_path))
    original = fonts_dir() / FONT_FILES["Sans"]
    copy = tmp_path / original.name
    copy.write_bytes(original.read_bytes())
    fontcache.load_font("T-Sans", copy)
    copy.write_bytes((fonts_dir() / FONT_FILES["Sans-Bold"]).read_bytes())  # same name, other content
    same_face(fontcache.load_font("T-Sans", copy), TTFont("T-Sans", str(copy)))
    assert len(list((tmp_path / "fonts").glob("*.pickle"))) == 1  # the stale entry was replaced


PLAN_SCRIPT = """
import sys
from tests.reports.test_plan_pdf import SAMPLES, plan_for
from reports.document import render
sys.stdout.buffer.write(render(plan_for(SAMPLES[4], "zh_CN")))
"""


@pytest.mark.slow
def test_a_chinese_plan_is_the_same_bytes_with_a_cold_a_warm_and_no_cache(tmp_path: Path) -> None:
    def plan(cache: Path) -> bytes:
        env = {**os.environ, fontcache.ENV_CACHE_DIR: str(cache)}
        root = Path(__file__).resolve().parents[2]
        done = subprocess.run(
            [sys.executable, "-c", PLAN_SCRIPT], capture_output=True, env=env, cwd=root, timeout=120, check=True
        )
        return done.stdout

    cold = plan(tmp_path / "cache")
    assert len(list((tmp_path / "cache" / "fonts").glob("*.pickle"))) >= 3  # Sans, Sans-Bold, CJK, CJK-Bold
    warm = plan(tmp_path / "cache")
    (tmp_path / "blocked").write_text("")
    none = plan(tmp_path / "blocked")
    assert cold == warm == none
