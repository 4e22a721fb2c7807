"""The practical journey from the pack, for one case: what to send, what results to expect, the caregiver,
bridging, money, when to fly home, life after return and the visa, each point with its source.

Shared by the plan (``planning.plan_practical``), the call checklist and the Library.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from planning.i18n import N_, _
from planning.knowledge.models import JourneyPoint, Pack, Sourced, VisaRule, pick

PLAN_TOPICS = ("caregiver", "bridging", "financial", "fly_home", "after_return")
"""The topics the plan's "Before and after the treatment" section gives, in this order."""

UNVERIFIED = N_("Reported, not confirmed: {text}")
ESTIMATE = N_("Estimate: {text}")


def claim(text: str, sourced: Sourced) -> str:
    """``text`` as it may be said: an unconfirmed claim or an estimate says so."""
    if sourced.unverified:
        return _(UNVERIFIED).format(text=text)
    if sourced.estimate:
        return _(ESTIMATE).format(text=text)
    return text


@dataclass(frozen=True)
class Said:
    """A point in the reader's language, with where it comes from."""

    text: str
    source: str
    as_of: str


def say(points: Iterable[JourneyPoint], locale: str) -> list[Said]:
    return [Said(claim(pick(p.text, locale), p.sourced), p.sourced.source, p.sourced.as_of) for p in points]


def referral(pack: Pack, indication: str | None, destinations: Iterable[str] = ()) -> list[JourneyPoint]:
    """The records to send for ``indication`` (None: those every referral needs)."""
    points = pack.journey_points("referral", indication, tuple(destinations))
    if indication is None:
        points = [p for p in points if not p.indications]
    return points


PASSPORT = N_("Passport (and the passports of companions).")
INSURANCE = N_("Insurance documents, if any.")
GENERAL_RECORDS = (
    N_("Medical records: the diagnosis, pathology report and the treatments so far, with dates."),
    N_("Recent blood tests, including kidney and liver values, and heart tests (echocardiogram)."),
    N_("Recent scans (for example PET-CT) with their reports."),
)
"""What the list says of the medical records when the pack has no referral list."""


def documents_to_send(pack: Pack, indication: str | None, destinations: Iterable[str], locale: str) -> list[Said]:
    """The passport, the records the pack's referral list asks for with this disease (or a general word on
    the records), and insurance papers."""
    records = say(referral(pack, indication, destinations), locale)
    if not records:
        records = [Said(_(text), "", "") for text in GENERAL_RECORDS]
    return [Said(_(PASSPORT), "", ""), *records, Said(_(INSURANCE), "", "")]


def efficacy(pack: Pack, indication: str | None) -> list[JourneyPoint]:
    """What the trials found for ``indication``: only points written for it (no general ones)."""
    if not indication:
        return []
    return [p for p in pack.journey_points("efficacy", indication) if indication in p.indications]


def topic_title(pack: Pack, kind: str, locale: str) -> str:
    topic = pack.journey_topic(kind)
    return pick(topic.title, locale) if topic else ""


def visa_rules_for(pack: Pack, destinations: Iterable[str], nationality: str | None) -> list[tuple[str, VisaRule]]:
    """The rule for the patient's nationality in each destination that has rules: (destination code, rule)."""
    found: list[tuple[str, VisaRule]] = []
    for code in destinations:
        rule = pack.visa_rule(code, nationality)
        if rule is not None:
            found.append((code, rule))
    return found
