"""The call checklist of a case: what to ask the patient and which documents to prepare, on one or two pages
the coordinator prints and ticks during the next call.

Pure data with every text already in the document's language (``reports.checklist`` draws it):

- the **open questions**: the facts screening could not judge because the case leaves them unknown (only
  those that can still change a verdict: ``Screening.missing``), each worded as a question, with the
  criteria (their labels) that wait for the answer;
- the **documents to prepare**: what the knowledge pack asks for this indication and these destinations
  (the subtype the labels name, the test results the labels require, the transplant assessment some
  labels turn on, the visa the destination's notes describe), each with its source, then the general
  documents every centre asks for (counseling text, no source: the centre says what it needs);
- room for notes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from planning.case import Case
from planning.eligibility import Finding, Screening, verdict_words
from planning.estimate import FREE_MOVEMENT
from planning.facts import CASE_FIELD, FIELD_LABELS, MARKER_NAMES, RESULT_WORDS
from planning.i18n import N_, _, country_name, format_partial_date, is_rtl
from planning.journey import claim, documents_to_send
from planning.knowledge.models import Pack, pick
from planning.plan import Coordinator, Organisation

QUESTIONS = {
    "patient.date_of_birth": N_("What is the patient's date of birth?"),
    "clinical.indication": N_("What is the diagnosis (the disease the patient is treated for)?"),
    "clinical.subtype": N_("What exact subtype does the pathology report name?"),
    "clinical.disease_status": N_(
        "Has the disease come back after treatment (relapsed), or not responded (refractory)?"
    ),
    "clinical.relapse_count": N_("How many times has the disease come back?"),
    "clinical.months_to_progression": N_(
        "How many months after the end of the last treatment did the disease come back or grow?"
    ),
    "clinical.transplant_eligible": N_("Is a stem-cell transplant an option (is the patient fit for one)?"),
    "clinical.prior_lines": N_("How many lines of treatment has the patient had so far?"),
    "clinical.prior_therapies": N_("Which treatments has the patient had so far (names and dates)?"),
    "clinical.refractory_to": N_("Which treatments did the disease stop responding to?"),
    "clinical.ecog": N_("What is the ECOG performance status (0-4)?"),
    "clinical.karnofsky_lansky": N_("What is the Karnofsky or Lansky score?"),
    "clinical.cns_involvement": N_("Does the disease involve the brain or spinal cord (CNS)?"),
    "clinical.active_infection": N_("Is there an active infection now?"),
    "clinical.hiv_hbv_hcv_active": N_("What are the HIV, hepatitis B and hepatitis C results?"),
    "clinical.prior_allo_sct": N_("Has the patient had an allogeneic (donor) stem-cell transplant?"),
    "clinical.pregnant": N_("Is the patient pregnant or breastfeeding?"),
    "clinical.creatinine_clearance_ml_min": N_("What is the latest creatinine clearance (kidney function)?"),
    "clinical.lvef_percent": N_("What is the latest LVEF (heart function, from an echocardiogram)?"),
    "clinical.alt_x_uln": N_("What is the latest ALT (liver function)?"),
    "clinical.bilirubin_x_uln": N_("What is the latest bilirubin (liver function)?"),
    "clinical.spo2_percent": N_("What is the oxygen saturation on room air?"),
    "clinical.biomarkers.cd19": N_("What is the CD19 test result?"),
    "clinical.biomarkers.bcma": N_("What is the BCMA test result?"),
    "clinical.biomarkers.cldn18_2": N_("What is the Claudin 18.2 (CLDN18.2) test result?"),
    "clinical.biomarkers.her2": N_("What is the HER2 test result?"),
}
"""The question to ask for each case field screening can leave unknown (the field's label otherwise)."""
NOTE_LINES = 7
"""Ruled lines for notes under the lists."""


@dataclass(frozen=True)
class Question:
    """One thing to ask: the question, the case field it fills, and the criteria that wait for it."""

    field: str
    text: str
    criteria: tuple[str, ...] = ()


@dataclass(frozen=True)
class Document:
    """One document to prepare: what, why (optional), and the pack source it comes from ("" for general
    counseling text that names no fact)."""

    text: str
    detail: str = ""
    source: str = ""
    as_of: str = ""


@dataclass(frozen=True)
class Checklist:
    locale: str
    rtl: bool
    language: str
    """The document's language as a BCP 47 tag (PDF metadata)."""
    title: str
    reference: str
    patient_name: str
    facts: tuple[tuple[str, str], ...]
    """The case at a glance: reference, patient, indication, screening result, destinations, date."""
    questions_heading: str
    questions: tuple[Question, ...]
    no_questions: str
    """Said instead of the list when nothing is open."""
    documents_heading: str
    documents: tuple[Document, ...]
    documents_note: str
    notes_heading: str
    note_lines: int
    footer: str
    page_label: str
    """With {page} and {pages}."""
    created: str
    """The date the checklist was made (ISO): the PDF's date too."""
    organisation: Organisation = field(default_factory=Organisation)
    coordinator: Coordinator = field(default_factory=Coordinator)
    sources: tuple[tuple[str, str], ...] = ()
    """(source id, "publisher: title (date)") of every source a document cites, in order of first use."""
    criteria_label: str = ""
    """"Needed for: {criteria}" with its placeholder (how a question's criteria are introduced)."""
    source_label: str = ""
    """"Source: {source}" with its placeholder."""

    def question_fields(self) -> list[str]:
        return [q.field for q in self.questions]


def question_text(path: str) -> str:
    """The question that fills the case field ``path`` (translated)."""
    if path in QUESTIONS:
        return _(QUESTIONS[path])
    labels = {CASE_FIELD.get(key, key): words for key, words in FIELD_LABELS.items()}
    return _("What is the {field}?").format(field=_(labels.get(path, path)))


def open_questions(screening: Screening) -> list[Question]:
    """The questions whose answers screening still needs, in the order screening asks for them, each with the
    labels of the criteria (of products and regions not already ruled out) that wait for it."""
    waiting: dict[str, list[str]] = {path: [] for path in screening.missing}
    for result in screening.results:
        open_regions = {region for region, verdict in result.regions.items() if verdict != "not_eligible"}
        for finding in result.findings:
            if finding.status != "unknown" or not _open(finding, open_regions):
                continue
            for path in finding.fields:
                if path in waiting and finding.label not in waiting[path]:
                    waiting[path].append(finding.label)
    questions = [Question(path, question_text(path), tuple(labels)) for path, labels in waiting.items()]
    if screening.unrecognised_therapies:
        questions.append(
            Question(
                "clinical.prior_therapies",
                _("What kind of medicine were these earlier treatments: {items}?").format(
                    items="; ".join(screening.unrecognised_therapies)
                ),
            )
        )
    return questions


def _open(finding: Finding, regions: set[str]) -> bool:
    return not finding.regions or bool(set(finding.regions) & regions)


def indication_documents(case: Case, pack: Pack, locale: str) -> list[Document]:
    """The documents the pack's records ask for with this indication: the subtype the labels name, the test
    results an approval requires, the transplant assessment a label turns on; each with its source."""
    code = case.clinical.indication
    indication = pack.indication(code) if code else None
    if indication is None:
        return []
    documents: list[Document] = []
    if indication.subtypes:
        narrow: dict[str, list[str]] = {}  # product -> agencies whose label covers only some subtypes
        sourced = indication.sourced
        for therapy in pack.therapies:
            for approval in therapy.approvals:
                if approval.indication == code and approval.subtypes:
                    if not narrow:
                        sourced = approval.sourced
                    agencies = narrow.setdefault(therapy.short_name, [])
                    if approval.agency not in agencies:
                        agencies.append(approval.agency)
        if narrow:
            products = ", ".join(f"{name} ({', '.join(agencies)})" for name, agencies in narrow.items())
            detail = _("Labels that cover only some subtypes: {products}.").format(products=products)
        else:
            detail = _("Subtypes: {subtypes}.").format(
                subtypes=", ".join(pick(s.name, locale) for s in indication.subtypes)
            )
        documents.append(
            Document(_("The pathology report, naming the exact subtype."), detail, sourced.source, sourced.as_of)
        )
    markers: dict[str, tuple[list[str], str, str]] = {}
    for therapy in pack.therapies:
        for approval in therapy.approvals:
            if approval.indication != code:
                continue
            for marker, result in approval.biomarkers:
                words, _source, _as_of = markers.setdefault(
                    marker, ([], approval.sourced.source, approval.sourced.as_of)
                )
                required = _("{product} ({agency}): {result}").format(
                    product=therapy.short_name, agency=approval.agency, result=_(RESULT_WORDS.get(result, result))
                )
                if required not in words:
                    words.append(required)
    for marker in [m.removeprefix("biomarkers.") for m in indication.asks if m.startswith("biomarkers.")]:
        markers.setdefault(marker, ([], indication.sourced.source, indication.sourced.as_of))
    for marker, (words, source, as_of) in markers.items():
        name = MARKER_NAMES.get(marker, marker)
        documents.append(
            Document(
                _("The {marker} test report.").format(marker=name),
                _("The label requires: {results}.").format(results="; ".join(words)) if words else "",
                source,
                as_of,
            )
        )
    if "transplant_eligible" in indication.asks:
        documents.append(
            Document(
                _("The treating doctor's assessment of whether a stem-cell transplant is an option."),
                _("Some labels for this disease depend on it."),
                indication.sourced.source,
                indication.sourced.as_of,
            )
        )
    return documents


def destination_documents(case: Case, pack: Pack, locale: str) -> list[Document]:
    """The visa papers for each chosen destination the patient needs a visa for (not their own country, not
    free movement in the EU, the EEA and Switzerland), with the destination's visa note from the pack."""
    home = case.patient.nationality
    documents: list[Document] = []
    for code in case.preferences.destinations or ():
        destination = pack.destination(code)
        if destination is None or code == home or (home in FREE_MOVEMENT and code in FREE_MOVEMENT):
            continue
        rule = pack.visa_rule(code, home)
        if rule is not None:
            detail = _("{patient} Companion: {companion}").format(
                patient=claim(pick(rule.patient, locale), rule.sourced), companion=pick(rule.companion, locale)
            )
            title = _("Visa for {country}: the papers the visa asks for.").format(
                country=pick(destination.name, locale)
            )
            documents.append(Document(title, detail, rule.sourced.source, rule.sourced.as_of))
            continue
        for note in destination.logistics_on("visa"):
            documents.append(
                Document(
                    _("Visa for {country}: the papers the visa asks for.").format(
                        country=pick(destination.name, locale)
                    ),
                    pick(note.text, locale),
                    note.sourced.source,
                    note.sourced.as_of,
                )
            )
    return documents


def general_documents(case: Case, pack: Pack, locale: str) -> list[Document]:
    """The passport, the records the pack's referral list asks for with this disease, and insurance papers,
    each record with its source."""
    said = documents_to_send(pack, case.clinical.indication, case.preferences.destinations or (), locale)
    return [Document(s.text, "", s.source, s.as_of) for s in said]


def build_checklist(
    case: Case,
    screening: Screening,
    pack: Pack,
    locale: str,
    *,
    reference: str = "",
    today: date | None = None,
    organisation: Organisation | None = None,
    coordinator: Coordinator | None = None,
) -> Checklist:
    """The call checklist of ``case`` in ``locale``: call it with that locale active (``locale_scope``) and a
    ``screening`` made in it, as ``services.checklists.make_checklist`` does."""
    today = today or screening.screened_on
    code = case.clinical.indication
    indication = pack.indication(code) if code else None
    name = case.patient.full_name or _("(name not given)")
    who = coordinator or Coordinator(case.coordinator.name or "", case.coordinator.email or "")
    facts: list[tuple[str, str]] = [
        (_("Reference"), reference or "—"),
        (_("Patient"), name),
        (_("Indication"), pick(indication.name, locale) if indication else _("not recorded yet")),
        (_("Pre-screening"), verdict_words(screening.overall)),
    ]
    destinations = [
        pick(d.name, locale) if (d := pack.destination(c)) else country_name(c, locale)
        for c in case.preferences.destinations or ()
    ]
    if destinations:
        facts.append((_("Destinations"), ", ".join(destinations)))
    if who.name:
        facts.append((_("Coordinator"), who.name))
    facts.append((_("Date"), format_partial_date(today.isoformat(), locale)))
    documents = indication_documents(case, pack, locale) + destination_documents(case, pack, locale)
    documents += general_documents(case, pack, locale)
    cited: dict[str, str] = {}
    for document in documents:
        source = pack.sources.get(document.source) if document.source else None
        if source is not None and source.id not in cited:
            when = _("undated") if source.date == "undated" else format_partial_date(source.date, locale)
            cited[source.id] = f"{source.publisher}: {source.title} ({when})"
    return Checklist(
        locale=locale,
        rtl=is_rtl(locale),
        language=locale.replace("_", "-"),
        title=_("Call checklist"),
        reference=reference,
        patient_name=name,
        facts=tuple(facts),
        questions_heading=_("Open questions from the pre-screening"),
        questions=tuple(open_questions(screening)),
        no_questions=_("Nothing is open: the pre-screening has every answer it asks for."),
        documents_heading=_("Documents to prepare"),
        documents=tuple(documents),
        documents_note=_(
            "Items with a source come from the knowledge pack; the others are general advice. The treating "
            "centre says which documents it needs."
        ),
        notes_heading=_("Notes"),
        note_lines=NOTE_LINES,
        footer=_("Counseling information, not a medical decision."),
        page_label=_("Page {page} of {pages}"),
        created=today.isoformat(),
        organisation=organisation or Organisation(),
        coordinator=who,
        sources=tuple(cited.items()),
        criteria_label=_("Needed for: {criteria}"),
        source_label=_("Source: {source}"),
    )
