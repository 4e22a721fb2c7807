"""Making a plan, once for both faces: the case's screening and estimate in the document's language, the
letterhead, the coordinator and the terms from the settings, the knowledge pack's rates and costs (or the
coordinator's own), and the document model drawn as a PDF by ``reports``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from planning.case import Case
from planning.eligibility import Screening, screen
from planning.estimate import Estimate, estimate
from planning.i18n import document_locale_named, locale_scope
from planning.knowledge.models import CostDefault, Pack, Rate
from planning.plan import Coordinator, Plan, build_plan
from services.settings import Preferences


@dataclass(frozen=True)
class MadePlan:
    plan: Plan
    estimate: Estimate
    screening: Screening | None = None
    """The screening the plan shows (made once, for the estimate and the plan)."""


def document_locale(case: Case, chosen: str | None = None) -> str:
    """The language of a plan: the one chosen, else the patient's, else English (a tag such as "zh" or
    "ar_SA" read as ``document_locale_named`` reads it)."""
    return document_locale_named(chosen or "") or document_locale_named(case.patient.language or "") or "en"


def coordinator_of(case: Case, preferences: Preferences) -> Coordinator:
    """Who the patient deals with: the case's coordinator, with the contact details from the settings when
    they are the same person (or the case names none); never the computer's login name."""
    profile = preferences.coordinator()
    named = (case.coordinator.name or "").strip()
    if not named or named == profile.name:
        return profile
    return Coordinator(named, case.coordinator.email or "")


def make_plan(
    case: Case,
    pack: Pack,
    reference: str,
    locale: str,
    preferences: Preferences,
    *,
    rates: Sequence[Rate],
    costs: Sequence[CostDefault],
    countries: Sequence[str] | None = None,
    today: date | None = None,
) -> MadePlan:
    """The plan of ``case`` in ``locale`` and the estimate it shows.

    Raises ``planning.i18n.CatalogError`` (before any work) when ``locale`` has no complete catalog: its
    message says which language, where its catalog belongs and what to do, in the current language."""
    today = today or date.today()
    with locale_scope(locale):
        screening = screen(case, pack, today, locale)  # once, for the estimate and the plan
        made = estimate(
            case,
            pack,
            list(countries) if countries else None,
            list(rates),
            locale,
            list(costs),
            screening=screening,
            today=today,
        )
        plan = build_plan(
            case,
            pack,
            reference,
            locale,
            today=today,
            organisation=preferences.organisation(),
            coordinator=coordinator_of(case, preferences),
            terms=preferences.terms(locale),
            estimated=made,
            screening=screening,
        )
    return MadePlan(plan, made, screening)
