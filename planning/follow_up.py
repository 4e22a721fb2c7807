"""The follow-up a case gets when its plan is confirmed sent: the usual one, never later than one already set.

A coordinator who set a follow-up for today or a day soon (a call logged a moment ago, "call back on
Friday") expects it to stay: sending the plan does not push it later. A follow-up already past, or later
than the usual one, gives way to the usual one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

FOLLOW_UP_DAYS = 14
"""The usual follow-up after a plan was sent: this many days later."""


@dataclass(frozen=True)
class SentFollowUp:
    day: date
    """The follow-up the case will have."""
    kept: bool
    """The follow-up already set stays (it is sooner than the usual one)."""
    replaced: date | None
    """The follow-up set before that ``day`` replaces (past, or later than the usual one); None when there was
    none or it is kept."""


def follow_up_when_sent(current: str | date | None, today: date, days: int = FOLLOW_UP_DAYS) -> SentFollowUp:
    """The case's follow-up once its plan was sent, given the one set now (an ISO date, a date, or none)."""
    usual = today + timedelta(days=days)
    if isinstance(current, str):
        try:
            current = date.fromisoformat(current.strip()) if current.strip() else None
        except ValueError:
            current = None  # not a date: nothing to keep
    if current is None or current == usual:
        return SentFollowUp(usual, kept=False, replaced=None)
    if today <= current < usual:
        return SentFollowUp(current, kept=True, replaced=None)
    return SentFollowUp(usual, kept=False, replaced=current)
