"""What "Mark as sent…" asks: which plan is marked sent and which follow-up the case will have, saying so
when a follow-up set before stays (sooner than the usual one) or is replaced (planning/follow_up.py)."""

from __future__ import annotations

from datetime import date

from babel.dates import format_date

from planning.follow_up import FOLLOW_UP_DAYS, SentFollowUp
from planning.i18n import _, babel_locale, isolate


def medium_date(day: date) -> str:
    return format_date(day, "medium", locale=babel_locale())


def sent_question(when: str, language: str, follow_up: SentFollowUp) -> str:
    """The confirmation's text under "Has this plan been sent to the patient?"."""
    if follow_up.kept:
        text = _(
            "Confirm only once the e-mail has left your mail program. The plan of {when} ({language}) is then "
            "marked as sent, and the case becomes “Plan sent”; its follow-up stays on {date}, as set before "
            "(sooner than the usual {days} days)."
        )
    elif follow_up.replaced is not None:
        text = _(
            "Confirm only once the e-mail has left your mail program. The plan of {when} ({language}) is then "
            "marked as sent, and the case becomes “Plan sent” with a follow-up on {date}, replacing the "
            "follow-up set for {earlier}."
        )
    else:
        text = _(
            "Confirm only once the e-mail has left your mail program. The plan of {when} ({language}) is then "
            "marked as sent, and the case becomes “Plan sent” with a follow-up on {date}."
        )
    earlier = isolate(medium_date(follow_up.replaced)) if follow_up.replaced is not None else ""
    day = isolate(medium_date(follow_up.day))  # a date kept whole in a right-to-left sentence
    return text.format(when=when, language=language, date=day, days=FOLLOW_UP_DAYS, earlier=earlier)
