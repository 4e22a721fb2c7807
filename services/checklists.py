"""The call checklist of a case, once for both faces: screened and worded in the chosen language (the
patient's plan language by default, or the coordinator's interface language), with the organisation and
coordinator from the settings, drawn as a PDF by ``reports.checklist``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from planning.case import Case, parse_case_lenient
from planning.checklist import Checklist, build_checklist
from planning.eligibility import screen
from planning.i18n import DOCUMENT_LOCALES, locale_scope
from planning.knowledge.models import Pack
from services.plans import coordinator_of, document_locale
from services.settings import Preferences
from services.stores import CaseStore

__all__ = [
    "DOCUMENT_LOCALES",
    "MadeChecklist",
    "case_checklist",
    "checklist_locale",
    "make_checklist",
    "save_checklist",
]

AUDIT_DETAIL = "call checklist PDF ({locale})"
"""How a saved checklist is recorded in the audit log (action "exported": patient data left the store)."""


@dataclass(frozen=True)
class MadeChecklist:
    checklist: Checklist
    pdf: bytes
    case_id: int | None = None
    """The stored case it was made from (None: a case not in the store)."""


def checklist_locale(case: Case, chosen: str | None = None) -> str:
    """The checklist's language: the one chosen (a document language), else the patient's, else English."""
    return document_locale(case, chosen)


def make_checklist(
    case: Case,
    pack: Pack,
    reference: str,
    locale: str | None,
    preferences: Preferences,
    *,
    today: date | None = None,
    case_id: int | None = None,
) -> MadeChecklist:
    """The checklist of ``case`` in ``locale`` (None: the patient's language) and its PDF; ``case_id``: the
    stored case it is of (``save_checklist`` records it in the audit log). Pure: no store is touched, so it
    can run off the GUI thread.

    Raises ``planning.i18n.CatalogError`` (before any work) when the language has no complete catalog."""
    from reports.checklist import render

    today = today or date.today()
    chosen = checklist_locale(case, locale)
    with locale_scope(chosen):
        screening = screen(case, pack, today, chosen)
        checklist = build_checklist(
            case,
            screening,
            pack,
            chosen,
            reference=reference,
            today=today,
            organisation=preferences.organisation(),
            coordinator=coordinator_of(case, preferences),
        )
    return MadeChecklist(checklist, render(checklist), case_id)


def case_checklist(
    store: CaseStore,
    case_id: int,
    pack: Pack,
    locale: str | None,
    preferences: Preferences,
    *,
    today: date | None = None,
) -> MadeChecklist:
    """The checklist of a stored case as it is saved now (values that do not parse read as unknown, as the
    screening tab reads them); KeyError when the case is not in the store."""
    stored = store.get(case_id)
    if stored is None:
        raise KeyError(case_id)
    case = parse_case_lenient(stored.document, {i.code for i in pack.indications})
    return make_checklist(case, pack, stored.reference, locale, preferences, today=today, case_id=stored.id)


def save_checklist(made: MadeChecklist, target: Path, store: CaseStore | None = None, who: str = "") -> int:
    """Write the checklist's PDF whole or not at all (a temporary file, then renamed) and, for a stored case,
    record it in the audit log; returns its size. OSError when it cannot be written (nothing is recorded)."""
    from planning.files import write_atomic

    write_atomic(Path(target), made.pdf)
    if store is not None and made.case_id is not None:
        store.audit(who, "exported", made.case_id, AUDIT_DETAIL.format(locale=made.checklist.locale))
    return len(made.pdf)
