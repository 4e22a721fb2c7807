"""The call checklist of a case, once for both faces: screened and worded in the chosen language (the
patient's plan language by default, or the coordinator's interface language), with the organisation and
coordinator from the settings, drawn as a PDF by ``reports.checklist``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from planning.case import Case
from planning.checklist import Checklist, build_checklist
from planning.eligibility import screen
from planning.i18n import DOCUMENT_LOCALES, locale_scope
from planning.knowledge.models import Pack
from services.plans import coordinator_of, document_locale
from services.settings import Preferences

__all__ = ["DOCUMENT_LOCALES", "MadeChecklist", "checklist_locale", "make_checklist", "save_checklist"]


@dataclass(frozen=True)
class MadeChecklist:
    checklist: Checklist
    pdf: bytes


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
) -> MadeChecklist:
    """The checklist of ``case`` in ``locale`` (None: the patient's language) and its PDF.

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
    return MadeChecklist(checklist, render(checklist))


def save_checklist(made: MadeChecklist, target: Path) -> int:
    """Write the checklist's PDF whole or not at all (a temporary file, then renamed); returns its size."""
    from planning.files import write_atomic

    write_atomic(Path(target), made.pdf)
    return len(made.pdf)
