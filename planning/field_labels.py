"""Every case field's name as the case editor labels it, for texts that name a field by its path
(the audit log's "Case edited" detail): "Diagnosis as reported", never ``clinical.diagnosis_text``.

The strings are the case editor's own form labels (desktop/cases/editor.py), so they share its
translations; tests/desktop/test_audit_dialog.py checks that the two agree."""

from __future__ import annotations

from planning.facts import MARKER_NAMES
from planning.i18n import N_, _

FIELD_NAMES = {
    "reference": N_("Reference"),
    "status": N_("Status"),
    "follow_up": N_("Follow-up"),
    "patient.full_name": N_("Full name"),
    "patient.date_of_birth": N_("Date of birth"),
    "patient.sex": N_("Sex"),
    "patient.nationality": N_("Nationality"),
    "patient.language": N_("Language of the plan"),
    "patient.email": N_("E-mail"),
    "patient.phone": N_("Phone"),
    "patient.home_city": N_("Home city"),
    "clinical.indication": N_("Indication"),
    "clinical.subtype": N_("Subtype"),
    "clinical.diagnosis_text": N_("Diagnosis as reported"),
    "clinical.disease_status": N_("Disease status"),
    "clinical.relapse_count": N_("Number of relapses"),
    "clinical.months_to_progression": N_("Months from last therapy to relapse"),
    "clinical.transplant_eligible": N_("Fit for a stem-cell transplant"),
    "clinical.prior_lines": N_("Prior lines of therapy"),
    "clinical.prior_therapies": N_("Prior therapies"),
    "clinical.refractory_to": N_("Refractory to"),
    "clinical.ecog": N_("ECOG performance status"),
    "clinical.karnofsky_lansky": N_("Karnofsky / Lansky score"),
    "clinical.cns_involvement": N_("CNS involvement"),
    "clinical.active_infection": N_("Active infection"),
    "clinical.hiv_hbv_hcv_active": N_("Active HIV, HBV or HCV"),
    "clinical.prior_allo_sct": N_("Prior allogeneic transplant"),
    "clinical.pregnant": N_("Pregnant or breastfeeding"),
    "clinical.creatinine_clearance_ml_min": N_("Creatinine clearance"),
    "clinical.lvef_percent": N_("LVEF"),
    "clinical.alt_x_uln": N_("ALT"),
    "clinical.bilirubin_x_uln": N_("Bilirubin"),
    "clinical.spo2_percent": N_("SpO₂ on room air"),
    "clinical.notes": N_("Notes"),
    "preferences.destinations": N_("Destinations"),
    "preferences.currency": N_("Currency"),
    "preferences.budget": N_("Budget"),
    "preferences.companions": N_("Companions travelling"),
    "preferences.insurance": N_("Insurance"),
    "coordinator.name": N_("Coordinator"),
    "coordinator.email": N_("Coordinator's e-mail"),
}
MARKER_PREFIX = "clinical.biomarkers."


def field_name(path: str) -> str:
    """A case field's label in the interface language; a path it does not know, as it is stored."""
    if path.startswith(MARKER_PREFIX):
        marker = path.removeprefix(MARKER_PREFIX)
        return _("{marker} test").format(marker=MARKER_NAMES.get(marker, marker.upper()))
    label = FIELD_NAMES.get(path)
    return _(label) if label else path
