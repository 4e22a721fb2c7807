"""Logging a call, for both faces: the note as plain text (length-limited), an optional outcome and an
optional next follow-up date, checked whole before anything is stored; stored in one transaction with the
case's follow-up and an audit entry (db/case_calls.py)."""

from __future__ import annotations

import re
from datetime import date

from db.case_calls import CallRecord, add_call, calls
from db.case_store import CaseStore
from planning.case import CaseError, Problem
from planning.i18n import N_, _, format_number

__all__ = [
    "NOTE_MAX",
    "OUTCOMES",
    "OUTCOME_LABELS",
    "CallRecord",
    "call_problems",
    "calls",
    "clean_note",
    "log_call",
    "outcome_label",
]

NOTE_MAX = 2000
"""The longest note a call may have, in characters (about a page of typing: a call's gist, not a record)."""

OUTCOME_LABELS = {
    "reached": N_("Spoke with the patient"),
    "relative": N_("Spoke with a relative"),
    "no_answer": N_("No answer"),
    "left_message": N_("Left a message"),
    "call_back": N_("Asked to call back"),
}
OUTCOMES = tuple(OUTCOME_LABELS)
"""What came of a call; stored as the code, shown in words."""

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
"""Control characters other than tab and line feed: never part of a typed note."""


def outcome_label(code: str | None) -> str:
    """An outcome in the interface language; an unknown code as it is stored."""
    if not code:
        return ""
    label = OUTCOME_LABELS.get(code)
    return _(label) if label else code


def clean_note(note: str) -> str:
    """A note as it is stored: line ends as \\n, no control characters, no blank space around it."""
    return _CONTROL.sub("", note.replace("\r\n", "\n").replace("\r", "\n")).strip()


def call_problems(note: str, outcome: str | None, follow_up: date | None, today: date) -> list[Problem]:
    """What is wrong with a call as typed (empty when nothing is): each problem names its field."""
    problems: list[Problem] = []
    text = clean_note(note)
    if not text and not outcome:
        problems.append(Problem.of("note", N_("Write what was said, or choose an outcome")))
    if len(text) > NOTE_MAX:
        problems.append(
            Problem.of(
                "note",
                N_("The note is {count} characters long; a call's note holds at most {most}. Shorten it."),
                count=format_number(len(text)),
                most=format_number(NOTE_MAX),
            )
        )
    if outcome is not None and outcome not in OUTCOMES:
        problems.append(Problem.of("outcome", N_("must be one of {choices}"), choices=", ".join(OUTCOMES)))
    if follow_up is not None and follow_up < today:
        problems.append(
            Problem.of(
                "follow_up",
                N_("The next follow-up {date} has already passed; choose today or a later day"),
                date=follow_up.isoformat(),
            )
        )
    return problems


def log_call(
    store: CaseStore,
    case_id: int,
    who: str,
    note: str,
    outcome: str | None = None,
    follow_up: date | None = None,
    today: date | None = None,
) -> CallRecord:
    """Store a call for the case: refused whole (CaseError naming the field) when something is wrong.
    A follow-up date becomes the case's follow-up, as setting it in the case editor does."""
    problems = call_problems(note, outcome, follow_up, today or date.today())
    if problems:
        raise CaseError(problems)
    return add_call(store, case_id, who, clean_note(note), outcome or None, follow_up)
