"""What a case says about each fact screening asks about, as values and in words.

Facts are case fields (``clinical.ecog``) or derived from them: ``age_years`` (from the date of birth
on the screening day), ``prior_therapy_classes`` and ``refractory_classes`` (the free-text therapy
lists matched to the pack's drug classes), ``performance_poor`` (ECOG 3-4, or Karnofsky/Lansky below
50) and ``biomarker.<marker>``. ``None`` always means unknown, never "no".
"""

from __future__ import annotations

from datetime import date
from typing import Any

from planning.case import Case
from planning.drugs import Classified, dictionary
from planning.i18n import N_, _, format_number
from planning.knowledge.models import Condition, Pack, pick

FIELD_LABELS = {
    "age_years": N_("date of birth"),
    "clinical.indication": N_("diagnosis (indication)"),
    "clinical.subtype": N_("the exact subtype of the disease"),
    "clinical.ecog": N_("ECOG performance status"),
    "clinical.karnofsky_lansky": N_("Karnofsky or Lansky score"),
    "performance_poor": N_("performance status (ECOG, or Karnofsky/Lansky)"),
    "clinical.prior_lines": N_("number of prior lines of therapy"),
    "clinical.disease_status": N_("disease status (relapsed or refractory)"),
    "clinical.relapse_count": N_("how many times the disease has relapsed"),
    "clinical.months_to_progression": N_("months from the end of the last therapy to the relapse"),
    "clinical.transplant_eligible": N_("whether a stem-cell transplant is an option (fit for it)"),
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
    "refractory_classes": N_("which therapies the disease stopped responding to (refractory to)"),
    "biomarker.cd19": N_("CD19 test result"),
    "biomarker.bcma": N_("BCMA test result"),
    "biomarker.cldn18_2": N_("Claudin 18.2 (CLDN18.2) test result"),
    "biomarker.her2": N_("HER2 test result"),
}
CASE_FIELD = {
    "age_years": "patient.date_of_birth",
    "prior_therapy_classes": "clinical.prior_therapies",
    "refractory_classes": "clinical.refractory_to",
    "performance_poor": "clinical.ecog",
    "biomarker.cd19": "clinical.biomarkers.cd19",
    "biomarker.bcma": "clinical.biomarkers.bcma",
    "biomarker.cldn18_2": "clinical.biomarkers.cldn18_2",
    "biomarker.her2": "clinical.biomarkers.her2",
}
"""The case field to ask for when a derived fact is unknown."""

STATUS_WORDS = {
    "relapsed": N_("relapsed"),
    "refractory": N_("refractory"),
    "newly_diagnosed": N_("newly diagnosed"),
    "remission": N_("in remission"),
}
MARKER_NAMES = {"cd19": "CD19", "bcma": "BCMA", "cldn18_2": "CLDN18.2", "her2": "HER2"}
RESULT_WORDS = {"positive": N_("positive"), "negative": N_("negative")}
UNITS = {
    "clinical.creatinine_clearance_ml_min": (N_("Creatinine clearance"), "{value} mL/min"),
    "clinical.lvef_percent": (N_("LVEF"), "{value} %"),
    "clinical.alt_x_uln": (N_("ALT"), "{value} × ULN"),
    "clinical.bilirubin_x_uln": (N_("Bilirubin"), "{value} × ULN"),
    "clinical.spo2_percent": (N_("SpO₂"), "{value} %"),
}


def _compare(op: str, value: Any, wanted: Any) -> bool:
    return {
        "<=": value <= wanted,
        ">=": value >= wanted,
        "<": value < wanted,
        ">": value > wanted,
        "==": value == wanted,
        "!=": value != wanted,
    }[op]


class CaseFacts:
    """The facts of one case on one day, with the pack's drug dictionary applied to its therapy lists."""

    def __init__(self, case: Case, pack: Pack, today: date):
        self.case, self.today = case, today
        words = dictionary(pack)
        entries = case.clinical.prior_therapies
        self.therapies: Classified | None = words.classify(entries) if entries is not None else None
        refractory = case.clinical.refractory_to
        self.refractory: Classified | None = words.classify(refractory) if refractory is not None else None

    def value(self, name: str) -> Any:
        clinical = self.case.clinical
        if name == "age_years":
            return self.case.age_on(self.today)
        if name == "prior_therapy_classes":
            # a drug the disease was refractory to was also given
            given = set(self.therapies.classes) if self.therapies is not None else None
            if self.refractory is not None and self.refractory.classes:
                given = (given or set()) | set(self.refractory.classes)
            return frozenset(given) if given is not None else None
        if name == "refractory_classes":
            return self.refractory.classes if self.refractory is not None else None
        if name == "performance_poor":
            ecog, score = clinical.ecog, clinical.karnofsky_lansky
            if (ecog is not None and ecog >= 3) or (score is not None and score < 50):
                return True
            if ecog is not None or score is not None:
                return False
            return None
        if name.startswith("biomarker."):
            return clinical.biomarker(name.split(".", 1)[1])
        section, key = name.split(".")
        value = getattr(getattr(self.case, section), key)
        if name == "clinical.pregnant" and value is None and self.case.patient.sex == "male":
            return False  # does not apply
        return None if value == "unknown" else value

    def unsure(self, name: str) -> bool:
        """Whether an unrecognised entry in the list behind ``name`` could be the class asked about."""
        listed = self.refractory if name == "refractory_classes" else self.therapies
        return bool(listed and listed.unrecognised)

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
            return _compare(op, value, wanted)
        if op == "in":
            return value in wanted
        if op == "not_in":
            return value not in wanted
        # the therapy classes: an entry the dictionary does not know may be the missing class
        wanted_set = set(wanted)
        unsure = self.unsure(condition.field)
        if op == "includes_all":
            return True if wanted_set <= value else (None if unsure else False)
        if op == "includes_any":
            return True if wanted_set & value else (None if unsure else False)
        if op == "excludes_any":
            return False if wanted_set & value else (None if unsure else True)
        raise ValueError(f"unknown operator {op}")

    def class_names(self, pack: Pack, classes: set[str] | frozenset[str], locale: str) -> str:
        labels = {d.id: pick(d.label, locale) for d in pack.drug_classes}
        return ", ".join(sorted(labels.get(c, c) for c in classes))

    def describe(self, name: str, pack: Pack, locale: str) -> str:
        """What the case says about ``name``, in words: "ECOG 3", "Age 9", "CLDN18.2 not tested"."""
        value = self.value(name)
        label = _(FIELD_LABELS[name])
        if value is None:
            if name == "clinical.disease_status":
                return _("Disease status not recorded")
            return _("{what}: not recorded").format(what=label[:1].upper() + label[1:])
        clinical = self.case.clinical
        if name == "age_years":
            return _("Age {age}").format(age=value)
        if name == "clinical.ecog":
            return _("ECOG {value}").format(value=value)
        if name == "clinical.karnofsky_lansky":
            return _("Karnofsky/Lansky {value}").format(value=value)
        if name == "performance_poor":
            parts = []
            if clinical.ecog is not None:
                parts.append(_("ECOG {value}").format(value=clinical.ecog))
            if clinical.karnofsky_lansky is not None:
                parts.append(_("Karnofsky/Lansky {value}").format(value=clinical.karnofsky_lansky))
            return ", ".join(parts)
        if name == "clinical.prior_lines":
            return _("{count} prior lines").format(count=value) if value != 1 else _("1 prior line")
        if name == "clinical.relapse_count":
            return _("Relapses: {count}").format(count=value)
        if name == "clinical.months_to_progression":
            return _("Relapse {months} months after the last therapy").format(months=format_number(value, locale))
        if name == "clinical.transplant_eligible":
            return _("Fit for a stem-cell transplant") if value else _("Not fit for a stem-cell transplant")
        if name == "clinical.disease_status":
            return _("Disease status: {status}").format(status=_(STATUS_WORDS.get(str(value), str(value))))
        if name == "clinical.subtype":
            indication = pack.indication(clinical.indication or "")
            names = {s.code: pick(s.name, locale) for s in indication.subtypes} if indication else {}
            return _("Subtype: {subtype}").format(subtype=names.get(value, value))
        if name.startswith("biomarker."):
            marker = MARKER_NAMES[name.split(".", 1)[1]]
            return f"{marker} {_(RESULT_WORDS[value])}"
        if isinstance(value, bool):
            answer = _("yes") if value else _("no")
            return f"{label[:1].upper()}{label[1:]}: {answer}"
        if name in ("prior_therapy_classes", "refractory_classes"):
            found = self.class_names(pack, value, locale) or _("none of the classes asked about")
            listed = self.refractory if name == "refractory_classes" else self.therapies
            template = (
                _("Refractory to: {classes}")
                if name == "refractory_classes"
                else _("Prior therapies include: {classes}")
            )
            text = template.format(classes=found)
            if listed and listed.unrecognised:
                text += "; " + _("not recognised: {entries}").format(entries=", ".join(listed.unrecognised))
            return text
        short, unit = UNITS[name]
        return f"{_(short)} {unit.format(value=format_number(value, locale))}"
