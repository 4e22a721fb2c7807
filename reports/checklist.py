"""The call checklist (planning.checklist) as a PDF: the plan's letterhead, running header and footer band
(reports.document), the case at a glance, then the open questions and the documents to prepare, each with a
check box drawn as a square (never a glyph a font may lack) and a line to write the answer on, and ruled
lines for notes. Right-to-left documents are mirrored: the boxes stand on the right. Invariant output."""

from __future__ import annotations

import io
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable

from planning import plan as model
from planning.checklist import Checklist
from planning.files import write_atomic
from reports.document import (
    BODY_BOTTOM,
    BODY_TOP,
    SPACE_BEFORE,
    STYLES,
    TEXT_WIDTH,
    Body,
    KeepWithNext,
    Letterhead,
    build_letter,
    flowables,
)
from reports.logo import LogoError, read_logo
from reports.text import Style, Text, register_fonts

BOX = 9.0
"""The side of a check box, in points."""
INDENT = 18.0
"""Room for the box beside an item's text."""
ITEM_STYLE = Style(size=10, leading=13.5, space_after=0)
DETAIL_STYLE = Style(size=8.5, leading=10.5, space_after=0, colour=(0.3, 0.3, 0.3))
SOURCE_STYLE = Style(size=8, leading=10, space_after=0, colour=(0.42, 0.42, 0.42))
ANSWER_ROOM = 12.0
"""The height of the line under a question where its answer is written."""
NOTE_SPACING = 7 * mm
RULE = (0.62, 0.66, 0.72)


class CheckItem(Flowable):
    """A check box and, beside it, a text with smaller lines under it (why, where from); optionally a ruled
    line to write the answer on. Kept whole on a page."""

    def __init__(self, text: str, details: list[tuple[str, Style]], rtl: bool, answer: bool = False):
        super().__init__()
        self.rtl, self.answer = rtl, answer
        self.parts = [Text(text, ITEM_STYLE, rtl)] + [Text(d, style, rtl) for d, style in details if d.strip()]
        self.spaceAfter = 3.0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        inner = available_width - INDENT
        self.height = sum(part.wrap(inner, available_height)[1] for part in self.parts) + 1.0 * (len(self.parts) - 1)
        if self.answer:
            self.height += ANSWER_ROOM
        return available_width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        return []  # a few lines: moves whole to the next page

    def draw(self) -> None:
        canvas = self.canv
        first = self.parts[0]
        top = self.height
        box_y = top - first.style.size - 1.5  # the box sits on the first line, a little below its baseline
        box_x = self.width - BOX - 1.0 if self.rtl else 1.0
        canvas.saveState()
        canvas.setStrokeColorRGB(0.15, 0.15, 0.15)
        canvas.setLineWidth(0.8)
        canvas.rect(box_x, box_y, BOX, BOX, stroke=1, fill=0)
        canvas.restoreState()
        x = 0.0 if self.rtl else INDENT
        y = top
        for part in self.parts:
            y -= part.height
            part.drawOn(canvas, x, y)
            y -= 1.0
        if self.answer:
            canvas.saveState()
            canvas.setStrokeColorRGB(*RULE)
            canvas.setLineWidth(0.5)
            canvas.setDash(1, 2)
            line_y = 2.0
            canvas.line(x, line_y, x + self.width - INDENT, line_y)
            canvas.restoreState()


class NoteLines(Flowable):
    """Ruled lines across the text width for handwritten notes: as many as the rest of the page holds, up to
    ``most``; fewer than ``least`` there, and they start on the next page."""

    def __init__(self, most: int, least: int = 2):
        super().__init__()
        self.most, self.least = most, least
        self.count = most

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.count = max(self.least, min(self.most, int(available_height // NOTE_SPACING)))
        self.width, self.height = available_width, self.count * NOTE_SPACING
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        fits = min(self.most, int(available_height // NOTE_SPACING))
        if fits < self.least:
            return []
        return [NoteLines(fits, fits), NoteLines(0, 0)]  # two parts: a heading kept with it stays on this page

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setStrokeColorRGB(*RULE)
        canvas.setLineWidth(0.5)
        for line in range(self.count):
            y = self.height - (line + 1) * NOTE_SPACING + 1.0
            canvas.line(0, y, self.width, y)
        canvas.restoreState()


def page_model(checklist: Checklist) -> model.Plan:
    """The checklist's title, case facts and page furniture as a plan document model: the plan's letterhead,
    running header, footer band and key-value table draw them the same way."""
    return model.Plan(
        locale=checklist.locale,
        rtl=checklist.rtl,
        title=checklist.title,
        organisation=checklist.organisation,
        blocks=(model.KeyValues(checklist.facts),),
        footer=checklist.footer,
        page_label=checklist.page_label,
        reference=checklist.reference,
        patient_name=checklist.patient_name,
        currency="",
        coordinator=checklist.coordinator,
        language=checklist.language,
        created=checklist.created,
        subject=f"{checklist.patient_name} · {checklist.reference}",
    )


def _heading(text: str, rtl: bool) -> Body:
    heading = Body(text, STYLES["h1"], rtl)
    heading.spaceBefore = SPACE_BEFORE[1]
    return heading


def _section(heading: str, items: list[Flowable], rtl: bool) -> list[Flowable]:
    """A heading kept with its first item."""
    if not items:
        return [_heading(heading, rtl)]
    return [KeepWithNext([_heading(heading, rtl)], items[0]), *items[1:]]


def checklist_flowables(checklist: Checklist) -> list[Flowable]:
    rtl = checklist.rtl
    story = flowables(page_model(checklist), TEXT_WIDTH, BODY_TOP - BODY_BOTTOM)
    questions: list[Flowable] = [
        CheckItem(
            q.text,
            [(checklist.criteria_label.format(criteria="; ".join(q.criteria)), DETAIL_STYLE)] if q.criteria else [],
            rtl,
            answer=True,
        )
        for q in checklist.questions
    ] or [Body(checklist.no_questions, STYLES["body"], rtl)]
    story += _section(checklist.questions_heading, questions, rtl)
    cited = dict(checklist.sources)
    documents: list[Flowable] = []
    listed: list[str] = []  # the sources of one-line documents (the referral list): named once, after them
    for document in checklist.documents:
        details = [(document.detail, DETAIL_STYLE)]
        if document.source in cited and document.detail:
            details.append((checklist.source_label.format(source=cited[document.source]), SOURCE_STYLE))
        elif document.source in cited and cited[document.source] not in listed:
            listed.append(cited[document.source])
        documents.append(CheckItem(document.text, details, rtl))
    if listed:
        documents.append(Body(checklist.source_label.format(source="; ".join(listed)), SOURCE_STYLE, rtl))
    documents.append(Body(checklist.documents_note, STYLES["small"], rtl))
    story += _section(checklist.documents_heading, documents, rtl)
    story += _section(checklist.notes_heading, [NoteLines(checklist.note_lines)], rtl)
    return story


def _logo(path: str) -> ImageReader | None:
    if not path:
        return None
    try:
        return ImageReader(io.BytesIO(read_logo(path)))
    except (LogoError, OSError, ValueError):
        return None


def render(checklist: Checklist) -> bytes:
    """The checklist as PDF bytes (A4, the plan's letterhead on page 1, running header on later pages)."""
    register_fonts()
    page = page_model(checklist)
    buffer = io.BytesIO()
    letterhead = Letterhead(page, _logo(checklist.organisation.logo))
    build_letter(
        buffer,
        page,
        letterhead,
        lambda _body_height: checklist_flowables(checklist),
        title=f"{checklist.title} · {checklist.reference}" if checklist.reference else checklist.title,
        subject=page.subject,
        lang=checklist.language,
    )
    return buffer.getvalue()


def write_checklist(checklist: Checklist, target: Path) -> int:
    """Render and write the checklist whole or not at all; returns its size in bytes."""
    data = render(checklist)
    write_atomic(Path(target), data)
    return len(data)
