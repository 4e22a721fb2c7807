"""Which screening results concern the patient's chosen destinations: those lead, the others are folded away.

A product leads when one of its approvals for the indication holds in a chosen destination (Germany: an EU
approval; the United Kingdom: also an EU approval from before it left), as the estimate reads it. The result
without a product (an investigational indication) always leads. With no destination chosen, all lead."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from planning.eligibility import Screening, TherapyScreening
from planning.estimate import covers
from planning.knowledge.models import Pack


@dataclass(frozen=True)
class Focus:
    lead: tuple[TherapyScreening, ...]
    """The results for the chosen destinations (every result when none is chosen), in screening order."""
    others: tuple[TherapyScreening, ...]
    """The products approved only elsewhere."""
    regions: tuple[str, ...]
    """The approval regions the chosen destinations reach (e.g. DE -> EU), in the order of the destinations."""


def chosen_regions(destinations: Iterable[str], approval_regions: Iterable[str]) -> tuple[str, ...]:
    """The ``approval_regions`` that hold in one of ``destinations``, destinations' order first."""
    known = list(dict.fromkeys(approval_regions))
    found: list[str] = []
    for country in destinations:
        for region in known:
            if region not in found and covers(region, "9999", country):  # today's approvals, not pre-Brexit
                found.append(region)
    return tuple(found)


def _held_in(result: TherapyScreening, pack: Pack, indication: str | None, destinations: Sequence[str]) -> bool:
    therapy = pack.therapy(result.therapy) if result.therapy else None
    if therapy is None:  # the trials-only result, or a product the pack no longer has: never hidden
        return True
    approvals = [a for a in therapy.approvals if a.indication == indication]
    return any(covers(a.region, a.date, country) for a in approvals for country in destinations)


def focus(screening: Screening, pack: Pack, destinations: Sequence[str] | None) -> Focus:
    """Split ``screening``'s results into those for ``destinations`` and the others."""
    chosen = [d.upper() for d in destinations or () if isinstance(d, str) and d.strip()]
    if not chosen:
        return Focus(tuple(screening.results), (), ())
    lead: list[TherapyScreening] = []
    others: list[TherapyScreening] = []
    for result in screening.results:
        (lead if _held_in(result, pack, screening.indication, chosen) else others).append(result)
    regions = chosen_regions(chosen, (r for result in screening.results for r in result.regions))
    return Focus(tuple(lead), tuple(others), regions)
