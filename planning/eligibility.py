"""Pre-screening: a case against the typical criteria of every product approved for its indication.

Each criterion of the pack becomes a finding — met, not_met or unknown — with what the case says,
what trials and labels required, and the source. A product's verdict:

- any criterion not met (an inclusion not reached, or an exclusion present) -> ``not_eligible``;
- else any criterion unknown -> ``needs_information`` (never ``candidate`` on missing data);
- else ``candidate``.

Criteria that hold only in some regions (labels differ between the US, the EU and China) are
weighed per region; a product's verdict is its best region's, and every region's is reported.
An indication with no approved product is ``investigational``, with the research notes.
This is counseling information, never a medical decision: the treating centre decides.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from planning.case import Case
from planning.drugs import Classified, dictionary
from planning.i18n import N_, _, format_number
from planning.knowledge.models import Condition, Criterion, Note, Pack, Therapy, pick

VERDICTS = ("candidate", "needs_information", "not_eligible", "investigational")
"""Best first: ``overall`` is the best verdict of any product for the patient."""
STATUSES = ("met", "not_met", "unknown")

DISCLAIMER = N_(
    "Pre-screening against typical label and trial criteria: counseling information, not a medical "
    "decision. The treating centre decides who is eligible."
)

FIELD_LABELS = {
    "age_years": N_("date of birth"),
    "clinical.indication": N_("diagnosis (indication)"),
    "clinical.ecog": N_("ECOG performance status"),
    "clinical.prior_lines": N_("number of prior lines of therapy"),
    "clinical.disease_status": N_("disease status (relapsed or refractory)"),
    "clinical.cns_involvement": N_("whether the disease involves the brain or spinal cord (CNS)"),
    "clinical.active_infection": N_("whether there is an active infection"),
    "clinical.hiv_hbv_hcv_active": N_("HIV, hepatitis B and C status"),
    "clinical.prior_allo_sct": N_("whether there was an allogeneic stem-cell transplant"),
    "clinical.pregnant": N_("pregnancy or breastfeeding"),
    "clinical.creatinine_clearance_ml_min": N_("creatinine clearance (kidney function)"),
    "clinical.lvef_percent": N_("LVEF (heart function)"),
    "clinical.alt_x_uln": N_("ALT (liver function)"),
    "clinical.bilirubin_x_uln": N_("bilirubin (liver function)"),
    "clinical.spo2_percent": N_("oxygen saturation on room air"),
    "prior_therapy_classes": N_("the list of prior therapies"),
}
CASE_FIELD = {"age_years": "patient.date_of_birth", "prior_therapy_classes": "clinical.prior_therapies"}


@dataclass(frozen=True)
class Finding:
    criterion: str
    status: str
    label: str
    value: str
    """What the case says, in words: "ECOG 3"."""
    detail: str
    """The value and what trials and labels required: "ECOG 3 — trials enrolled ECOG 0–1 ..."."""
    kind: str
    regions: tuple[str, ...]
    fields: tuple[str, ...]
    source: str
    as_of: str
    typical: bool


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


@dataclass(frozen=True)
class Screening:
    indication: str | None
    overall: str
    results: tuple[TherapyScreening, ...]
    missing: tuple[str, ...]
    """Case fields whose absence left a criterion unknown: what to ask the patient for."""
    recognised_therapies: tuple[tuple[str, tuple[str, ...]], ...]
    unrecognised_therapies: tuple[str, ...]
    research_notes: tuple[Note, ...]
    screened_on: date
    disclaimer: str = field(default="")

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


def _verdict(findings: list[Finding]) -> str:
    statuses = {f.status for f in findings}
    if "not_met" in statuses:
        return "not_eligible"
    if "unknown" in statuses:
        return "needs_information"
    return "candidate"


class _Facts:
    """What the case says about each criterion field."""

    def __init__(self, case: Case, pack: Pack, today: date):
        self.case, self.today = case, today
        entries = case.clinical.prior_therapies
        self.therapies: Classified | None = dictionary(pack).classify(entries) if entries is not None else None

    def value(self, name: str) -> Any:
        if name == "age_years":
            return self.case.age_on(self.today)
        if name == "prior_therapy_classes":
            return self.therapies.classes if self.therapies is not None else None
        section, key = name.split(".")
        value = getattr(getattr(self.case, section), key)
        if name == "clinical.pregnant" and value is None and self.case.patient.sex == "male":
            return False  # does not apply
        return None if value == "unknown" else value

    def holds(self, condition: Condition) -> bool | None:
        value = self.value(condition.field)
        if value is None:
            return None
        op, wanted = condition.operator, condition.value
        if op == "is_true":
            return value is True
        if op == "is_false":
            return value is False
        if op in ("<=", ">=", "<", ">", "==", "!="):
            return {
                "<=": value <= wanted,
                ">=": value >= wanted,
                "<": value < wanted,
                ">": value > wanted,
                "==": value == wanted,
                "!=": value != wanted,
            }[op]
        if op == "in":
            return value in wanted
        if op == "not_in":
            return value not in wanted
        # the prior-therapy classes: an entry the dictionary does not know may be the missing class
        wanted_set = set(wanted)
        unsure = bool(self.therapies and self.therapies.unrecognised)
        if op == "includes_all":
            return True if wanted_set <= value else (None if unsure else False)
        if op == "includes_any":
            return True if wanted_set & value else (None if unsure else False)
        if op == "excludes_any":
            return False if wanted_set & value else (None if unsure else True)
        raise ValueError(f"unknown operator {op}")

    def describe(self, name: str, pack: Pack, locale: str) -> str:
        value = self.value(name)
        label = _(FIELD_LABELS[name])
        if value is None:
            if name == "clinical.disease_status":
                return _("Disease status not recorded")
            return _("{what}: not recorded").format(what=label[:1].upper() + label[1:])
        if name == "age_years":
            return _("Age {age}").format(age=value)
        if name == "clinical.ecog":
            return _("ECOG {value}").format(value=value)
        if name == "clinical.prior_lines":
            return _("{count} prior lines").format(count=value) if value != 1 else _("1 prior line")
        if name == "clinical.disease_status":
            statuses = {
                "relapsed": N_("relapsed"),
                "refractory": N_("refractory"),
                "newly_diagnosed": N_("newly diagnosed"),
                "remission": N_("in remission"),
            }
            return _("Disease status: {status}").format(status=_(statuses.get(str(value), str(value))))
        if isinstance(value, bool):
            answer = _("yes") if value else _("no")
            return f"{label[:1].upper()}{label[1:]}: {answer}"
        if name == "prior_therapy_classes":
            labels = {d.id: pick(d.label, locale) for d in pack.drug_classes}
            found = ", ".join(sorted(labels.get(c, c) for c in value)) or _("none of the classes asked about")
            text = _("Prior therapies include: {classes}").format(classes=found)
            if self.therapies and self.therapies.unrecognised:
                text += "; " + _("not recognised: {entries}").format(entries=", ".join(self.therapies.unrecognised))
            return text
        units = {
            "clinical.creatinine_clearance_ml_min": "{value} mL/min",
            "clinical.lvef_percent": "{value} %",
            "clinical.alt_x_uln": "{value} × ULN",
            "clinical.bilirubin_x_uln": "{value} × ULN",
            "clinical.spo2_percent": "{value} %",
        }
        short = {
            "clinical.creatinine_clearance_ml_min": N_("Creatinine clearance"),
            "clinical.lvef_percent": N_("LVEF"),
            "clinical.alt_x_uln": N_("ALT"),
            "clinical.bilirubin_x_uln": N_("Bilirubin"),
            "clinical.spo2_percent": N_("SpO₂"),
        }
        return f"{_(short[name])} {units[name].format(value=format_number(value, locale))}"


def _finding(criterion: Criterion, facts: _Facts, pack: Pack, locale: str) -> Finding:
    results = [facts.holds(c) for c in criterion.conditions]
    if any(r is True for r in results):
        holds: bool | None = True
    elif all(r is False for r in results):
        holds = False
    else:
        holds = None
    if holds is None:
        status = "unknown"
    elif criterion.kind == "inclusion":
        status = "met" if holds else "not_met"
    else:
        status = "not_met" if holds else "met"
    names = list(dict.fromkeys(c.field for c in criterion.conditions))
    value = "; ".join(facts.describe(n, pack, locale) for n in names)
    unknown_fields = tuple(
        dict.fromkeys(
            CASE_FIELD.get(c.field, c.field)
            for c, r in zip(criterion.conditions, results, strict=True)
            if r is None or facts.value(c.field) is None
        )
    )
    return Finding(
        criterion=criterion.id,
        status=status,
        label=pick(criterion.label, locale),
        value=value,
        detail=f"{value} — {pick(criterion.detail, locale)}",
        kind=criterion.kind,
        regions=criterion.regions,
        fields=unknown_fields if status == "unknown" else (),
        source=criterion.sourced.source,
        as_of=criterion.sourced.as_of,
        typical=criterion.typical,
    )


def applicable(pack: Pack, code: str, therapy: Therapy | None) -> list[Criterion]:
    """The criteria for ``therapy`` (None: general criteria only) in indication ``code``."""
    return [
        c
        for c in pack.criteria
        if (code in c.indications or "*" in c.indications)
        and ((therapy is not None and therapy.id in c.therapies) or not c.therapies)
    ]


def screen(case: Case, pack: Pack, today: date | None = None, locale: str = "en") -> Screening:
    """Screen ``case`` against every product approved for its indication (pure; no side effects)."""
    today = today or date.today()
    code = case.clinical.indication
    facts = _Facts(case, pack, today)
    results: list[TherapyScreening] = []
    notes: tuple[Note, ...] = ()
    if code is None:
        overall = "needs_information"
        missing: list[str] = ["clinical.indication"]
    else:
        approved = [t for t in pack.therapies if any(a.indication == code for a in t.approvals)]
        for therapy in approved:
            regions = therapy.regions_for(code)
            findings = [
                _finding(c, facts, pack, locale)
                for c in applicable(pack, code, therapy)
                if not c.regions or set(c.regions) & set(regions)
            ]
            by_region = {r: _verdict([f for f in findings if not f.regions or r in f.regions]) for r in regions}
            results.append(
                TherapyScreening(
                    therapy.id, therapy.generic_name, best(list(by_region.values())), by_region, tuple(findings)
                )
            )
        if not approved:
            indication = pack.indication(code)
            notes = indication.research_notes if indication else ()
            findings = [_finding(c, facts, pack, locale) for c in applicable(pack, code, None)]
            results.append(TherapyScreening("", None, "investigational", {}, tuple(findings)))
        overall = best([r.verdict for r in results])
        missing = list(dict.fromkeys(f for r in results for finding in r.findings for f in finding.fields))
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


def ask_for(screening: Screening) -> list[str]:
    """What to ask the patient for, in words."""
    labels = {CASE_FIELD.get(k, k): v for k, v in FIELD_LABELS.items()}
    return [_(labels.get(path, path)) for path in screening.missing]
