"""Pre-screening: a case against every product approved for its indication, per region.

Three kinds of criteria (DESIGN.md "Screening"):

- **label**: the approval's own conditions in that region (subtype, age, biomarkers, lines of therapy,
  required prior drug classes, refractoriness, relapse timing and count, transplant ineligibility),
  kept as structured data on each approval in the pack (:mod:`planning.label`);
- **exclusion**: firm contraindications that guidance shares (pregnancy, active uncontrolled
  infection, very poor performance status); temporary ones say "until resolved";
- **trial**: the typical inclusion thresholds of the product's own pivotal trial.

A product's verdict in a region: a label or exclusion finding ``not_met`` -> ``not_eligible``; else any
``unknown`` -> ``needs_information`` (never ``candidate`` on missing data); else a trial finding
``not_met`` -> ``centre_review`` (fits the label, outside the trial's typical criteria: the treating
centre decides); else ``candidate``. The product's verdict is its best region's. An indication with
no approved product is ``investigational`` and runs no oncology criteria. This is counseling
information, never a medical decision.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from planning.case import Case
from planning.facts import CASE_FIELD, FIELD_LABELS, CaseFacts
from planning.i18n import N_, _, country_name
from planning.knowledge.models import Criterion, Note, Pack, Therapy, pick
from planning.label import label_finding_parts

VERDICTS = ("candidate", "needs_information", "centre_review", "not_eligible", "investigational")
"""Best first: ``overall`` is the best verdict of any product for the patient."""
VERDICT_WORDS = {
    "candidate": N_("Candidate"),
    "needs_information": N_("Needs information"),
    "centre_review": N_("Centre review: outside typical trial criteria"),
    "not_eligible": N_("Not eligible"),
    "investigational": N_("Investigational: clinical trials only"),
}
"""The verdicts in words (translate with ``_`` where shown)."""
KIND_WORDS = {"label": N_("Label"), "exclusion": N_("Exclusion"), "trial": N_("Trial")}
STATUS_MARKS = {"met": "✓", "not_met": "✗", "unknown": "?"}
"""A finding's status as one mark (the screening panel, the command line)."""
VERDICT_MARKS = {
    "candidate": "✓",
    "needs_information": "?",
    "centre_review": "!",
    "not_eligible": "✗",
    "investigational": "·",
}
"""A verdict as one mark, beside a region's name."""


def verdict_words(verdict: str) -> str:
    """A verdict in the interface language."""
    return _(VERDICT_WORDS[verdict]) if verdict in VERDICT_WORDS else verdict


STATUSES = ("met", "not_met", "unknown")
KINDS = ("label", "exclusion", "trial")

DISCLAIMER = N_(
    "Pre-screening against the label conditions and typical trial criteria: counseling information, not a "
    "medical decision. The treating centre decides who is eligible."
)
CENTRE_REVIEW = N_(
    "Fits the label; outside the typical trial criteria for {product} ({criteria}): the treating centre decides."
)
UNTIL_RESOLVED = N_("until resolved")


@dataclass(frozen=True)
class Finding:
    criterion: str
    status: str
    label: str
    value: str
    """What the case says, in words: "ECOG 3"."""
    detail: str
    """The value and what the label or trial required, in words."""
    kind: str
    """label, exclusion or trial."""
    regions: tuple[str, ...]
    fields: tuple[str, ...]
    """Case fields whose absence left this finding unknown (what to ask the patient for)."""
    source: str
    as_of: str
    reason: str = ""
    """For a finding not met, what rules out, in a few words ("at least 3 prior lines")."""

    @property
    def typical(self) -> bool:
        """A typical trial threshold, not a condition of the label."""
        return self.kind == "trial"


@dataclass(frozen=True)
class TherapyScreening:
    therapy: str
    """The product's id in the pack ("" for the investigational result)."""
    generic_name: str | None
    verdict: str
    regions: Mapping[str, str]
    """Where it is approved for the indication, and the verdict there."""
    findings: tuple[Finding, ...]

    def findings_with(self, status: str) -> list[Finding]:
        return [f for f in self.findings if f.status == status]

    def verdict_in(self, regions: set[str] | frozenset[str]) -> str | None:
        """The best verdict among ``regions`` where the product is approved; None where it is not."""
        here = [v for r, v in self.regions.items() if r in regions]
        return best(here) if here else None

    def reasons(self, region: str | None = None) -> list[Finding]:
        """The label and exclusion findings that rule the product out (in ``region``, or anywhere)."""
        return [
            f
            for f in self.findings
            if f.status == "not_met"
            and f.kind in ("label", "exclusion")
            and (region is None or not f.regions or region in f.regions)
        ]


@dataclass(frozen=True)
class Screening:
    indication: str | None
    overall: str
    results: tuple[TherapyScreening, ...]
    missing: tuple[str, ...]
    """Case fields whose absence left a finding unknown: what to ask the patient for."""
    recognised_therapies: tuple[tuple[str, tuple[str, ...]], ...]
    unrecognised_therapies: tuple[str, ...]
    research_notes: tuple[Note, ...]
    screened_on: date
    disclaimer: str = field(default="")

    def result(self, therapy: str) -> TherapyScreening | None:
        return next((r for r in self.results if r.therapy == therapy), None)

    def to_json(self) -> dict[str, Any]:
        """The command line's JSON (DESIGN.md), with the regions, what is missing and the disclaimer."""
        return {
            "indication": self.indication,
            "overall": self.overall,
            "results": [
                {
                    "therapy": r.generic_name,
                    "verdict": r.verdict,
                    "regions": dict(r.regions),
                    "findings": [
                        {
                            "criterion": f.criterion,
                            "kind": f.kind,
                            "status": f.status,
                            "detail": f.detail,
                            "source": f.source,
                            "as_of": f.as_of,
                            "regions": list(f.regions),
                        }
                        for f in r.findings
                    ],
                }
                for r in self.results
            ],
            "missing": list(self.missing),
            "unrecognised_prior_therapies": list(self.unrecognised_therapies),
            "screened_on": self.screened_on.isoformat(),
            "disclaimer": self.disclaimer,
        }


def best(verdicts: list[str]) -> str:
    return min(verdicts, key=VERDICTS.index)


def region_verdict(findings: list[Finding]) -> str:
    """The verdict from one region's findings (DESIGN.md "Screening")."""
    if any(f.status == "not_met" and f.kind in ("label", "exclusion") for f in findings):
        return "not_eligible"
    if any(f.status == "unknown" for f in findings):
        return "needs_information"
    if any(f.status == "not_met" for f in findings):
        return "centre_review"
    return "candidate"


def _criterion_finding(criterion: Criterion, facts: CaseFacts, pack: Pack, locale: str) -> Finding:
    results = [facts.holds(c) for c in criterion.conditions]
    if any(r is True for r in results):
        holds: bool | None = True
    elif all(r is False for r in results):
        holds = False
    else:
        holds = None
    if holds is None:
        status = "unknown"
    elif criterion.excludes:
        status = "not_met" if holds else "met"
    else:
        status = "met" if holds else "not_met"
    names = list(dict.fromkeys(c.field for c in criterion.conditions))
    value = "; ".join(facts.describe(n, pack, locale) for n in names)
    unknown_fields = tuple(
        dict.fromkeys(
            CASE_FIELD.get(c.field, c.field)
            for c, r in zip(criterion.conditions, results, strict=True)
            if r is None or facts.value(c.field) is None
        )
    )
    detail = pick(criterion.detail, locale)
    if criterion.temporary and status == "not_met":
        detail = f"{detail} ({_(UNTIL_RESOLVED)})"
    return Finding(
        criterion=criterion.id,
        status=status,
        label=pick(criterion.label, locale),
        value=value,
        detail=f"{value} — {detail}",
        kind=criterion.kind,
        regions=criterion.regions,
        fields=unknown_fields if status == "unknown" else (),
        source=criterion.sourced.source,
        as_of=criterion.sourced.as_of,
        reason=value if status == "not_met" else "",
    )


def _label_finding(therapy: Therapy, code: str, region: str, facts: CaseFacts, pack: Pack, locale: str) -> Finding:
    approvals = [a for a in therapy.approvals if a.indication == code and a.region == region]
    status, value, detail, fields_, approval, reason = label_finding_parts(approvals, facts, pack, locale)
    agency = approval.agency
    where = country_name(region, locale)  # Babel names the EU too
    return Finding(
        criterion=f"label_{region.lower()}",
        status=status,
        label=_("Label in {region} ({agency})").format(region=where, agency=agency),
        value=value,
        detail=detail,
        kind="label",
        regions=(region,),
        fields=fields_ if status == "unknown" else (),
        source=approval.sourced.source,
        as_of=approval.sourced.as_of,
        reason=_("not within the label: {what}").format(what=reason) if reason else "",
    )


def applicable(pack: Pack, code: str, therapy: Therapy | None) -> list[Criterion]:
    """The criteria for ``therapy`` (None: general criteria only) in indication ``code``."""
    return [
        c
        for c in pack.criteria
        if (code in c.indications or "*" in c.indications)
        and ((therapy is not None and therapy.id in c.therapies) or not c.therapies)
    ]


def screen_therapy(therapy: Therapy, code: str, facts: CaseFacts, pack: Pack, locale: str) -> TherapyScreening:
    """One product for indication ``code``, region by region."""
    regions = therapy.regions_for(code)
    findings = [_label_finding(therapy, code, r, facts, pack, locale) for r in regions]
    findings += [
        _criterion_finding(c, facts, pack, locale)
        for c in applicable(pack, code, therapy)
        if not c.regions or set(c.regions) & set(regions)
    ]
    by_region = {r: region_verdict([f for f in findings if not f.regions or r in f.regions]) for r in regions}
    return TherapyScreening(
        therapy.id, therapy.generic_name, best(list(by_region.values())), by_region, tuple(findings)
    )


def screen(case: Case, pack: Pack, today: date | None = None, locale: str = "en") -> Screening:
    """Screen ``case`` against every product approved for its indication (pure; no side effects)."""
    today = today or date.today()
    code = case.clinical.indication
    facts = CaseFacts(case, pack, today)
    results: list[TherapyScreening] = []
    notes: tuple[Note, ...] = ()
    if code is None:
        overall = "needs_information"
        missing: list[str] = ["clinical.indication"]
    else:
        approved = [t for t in pack.therapies if any(a.indication == code for a in t.approvals)]
        results = [screen_therapy(t, code, facts, pack, locale) for t in approved]
        if not approved:  # trials only: no oncology criteria are run
            indication = pack.indication(code)
            notes = indication.research_notes if indication else ()
            results.append(TherapyScreening("", None, "investigational", {}, ()))
        overall = best([r.verdict for r in results])
        missing = _to_ask(results)
    return Screening(
        indication=code,
        overall=overall,
        results=tuple(results),
        missing=tuple(missing),
        recognised_therapies=facts.therapies.recognised if facts.therapies else (),
        unrecognised_therapies=facts.therapies.unrecognised if facts.therapies else (),
        research_notes=notes,
        screened_on=today,
        disclaimer=_(DISCLAIMER),
    )


def _to_ask(results: list[TherapyScreening]) -> list[str]:
    """The unknown facts that could still change a verdict: those of regions not already ruled out."""
    wanted: list[str] = []
    for result in results:
        for region, verdict in result.regions.items():
            if verdict == "not_eligible":
                continue
            for finding in result.findings:
                if not finding.regions or region in finding.regions:
                    wanted.extend(finding.fields)
    return list(dict.fromkeys(wanted))


def centre_review_note(result: TherapyScreening, pack: Pack) -> str:
    """The sentence for a product the centre must review: which typical trial criteria the case is outside."""
    therapy = pack.therapy(result.therapy)
    outside = [f.label for f in result.findings if f.kind == "trial" and f.status == "not_met"]
    return _(CENTRE_REVIEW).format(
        product=therapy.short_name if therapy else result.generic_name, criteria=", ".join(outside)
    )


def ask_for(screening: Screening) -> list[str]:
    """What to ask the patient for, in words."""
    labels = {CASE_FIELD.get(k, k): v for k, v in FIELD_LABELS.items()}
    return [_(labels.get(path, path)) for path in screening.missing]
