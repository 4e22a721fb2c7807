"""The plan's practical sections, from the pack's journey: what results to expect, before and after the
treatment (caregiver, bridging, money, flying home, life after return, the visa), and what to send.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from planning import journey
from planning.i18n import _, country_name
from planning.knowledge.models import pick
from planning.plan import Block, Heading, Paragraph

if TYPE_CHECKING:
    from planning.plan_sections import Context


def _destinations(context: Context) -> list[str]:
    """The destinations the plan is about: where a product is available, else every destination asked for."""
    return [o.country for o in context.available] or list(context.case.preferences.destinations or ())


def results(context: Context) -> list[Block]:
    """What the pivotal trials found for the patient's disease, in plain words."""
    if context.nowhere:
        return []
    said = journey.say(journey.efficacy(context.pack, context.case.clinical.indication), context.locale)
    if not said:
        return []
    blocks: list[Block] = [Heading(_("What results to expect"))]
    blocks += [Paragraph(f"• {s.text}") for s in said]
    blocks.append(
        Paragraph(
            _("These are results of groups of patients in trials; nobody can say in advance how one person will do."),
            "small",
        )
    )
    return blocks


def practical(context: Context) -> list[Block]:
    """Before and after the treatment: the pack's points for this disease and these destinations."""
    if not context.available:
        return []
    pack, locale = context.pack, context.locale
    indication = context.case.clinical.indication
    places = _destinations(context)
    blocks: list[Block] = []
    for kind in journey.PLAN_TOPICS:
        said = journey.say(pack.journey_points(kind, indication, places), locale)
        if said:
            blocks.append(Heading(journey.topic_title(pack, kind, locale), 2))
            blocks += [Paragraph(f"• {s.text}") for s in said]
    rules = journey.visa_rules_for(pack, places, context.case.patient.nationality)
    if rules:
        blocks.append(Heading(_("Visa"), 2))
        for code, rule in rules:
            destination = pack.destination(code)
            place = pick(destination.name, locale) if destination else country_name(code, locale)
            blocks.append(
                Paragraph(
                    _("{country} ({group}): {patient}").format(
                        country=place,
                        group=pick(rule.group, locale),
                        patient=journey.claim(pick(rule.patient, locale), rule.sourced),
                    )
                )
            )
            blocks.append(Paragraph(_("Companion: {text}").format(text=pick(rule.companion, locale)), "small"))
    if not blocks:
        return []
    return [Heading(_("Before and after the treatment")), *blocks]


def documents(context: Context) -> list[str]:
    """The records to send, from the pack's referral list for this disease (empty without one)."""
    points = journey.referral(context.pack, context.case.clinical.indication, _destinations(context))
    return [s.text for s in journey.say(points, context.locale)]


def cited(context: Context) -> list[str]:
    """The sources of every point the practical sections and the document list print."""
    pack = context.pack
    indication = context.case.clinical.indication
    places = _destinations(context)
    ids: list[str] = []
    if not context.nowhere:
        ids += [p.sourced.source for p in journey.efficacy(pack, indication)]
    if context.available:
        for kind in journey.PLAN_TOPICS:
            ids += [p.sourced.source for p in pack.journey_points(kind, indication, places)]
        ids += [r.sourced.source for _code, r in journey.visa_rules_for(pack, places, context.case.patient.nationality)]
    if not context.nowhere:
        ids += [p.sourced.source for p in journey.referral(pack, indication, places)]
    return ids
