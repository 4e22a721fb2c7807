"""A case's timeline, for both faces: one list, newest first, of what happened to the case.

It reads the case store's history (fields changed, status and follow-up), the calls logged and the plan
versions, and says each in the interface language: fields by their labels (planning/field_labels.py),
dates in the locale's medium format (each date, status and language a bidi isolate, so it keeps its order in
a right-to-left sentence). A run of edits by one person (the editor saves as you type, every
moment of typing) is one entry naming the fields changed.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from db.case_calls import calls
from db.case_store import CaseStore, HistoryEntry
from planning.field_labels import field_name
from planning.i18n import (
    N_,
    _,
    babel_locale,
    current_locale,
    format_local_time,
    isolate,
    language_name,
    ngettext,
)
from services.calls import outcome_label

CREATED, CALL, CHANGED, STATUS, FOLLOW_UP, PLAN, PLAN_SENT = (
    "created",
    "call",
    "changed",
    "status",
    "follow_up",
    "plan",
    "plan_sent",
)
KINDS = (CREATED, CALL, CHANGED, STATUS, FOLLOW_UP, PLAN, PLAN_SENT)
"""What an entry is about (the faces may show each kind with its own mark)."""

STATUS_NAMES = {
    "new": N_("New"),
    "counseling": N_("Counseling"),
    "plan_sent": N_("Plan sent"),
    "follow_up": N_("Follow-up"),
    "closed": N_("Closed"),
}
"""The case statuses in words: the case list's own labels (desktop/cases/model.py), so the same translations."""

EDIT_RUN = timedelta(minutes=10)
"""Edits by the same person less than this apart are one entry."""
MAX_FIELDS_NAMED = 8
"""An edit entry names at most this many fields, then says how many more."""
_COLUMNS = ("status", "follow_up")
_SKIPPED = ("case", "plan")
"""History rows told from elsewhere: the creation (its own entry) and plans (from the plan versions)."""


@dataclass(frozen=True)
class TimelineEntry:
    """One thing that happened to the case, in words of the interface language."""

    at: str
    """When (UTC, ISO 8601, as stored): the order of the timeline."""
    when: str
    """The same moment on this computer's clock, as the locale writes it (medium date, short time)."""
    kind: str
    """One of KINDS."""
    who: str
    title: str
    detail: str = ""
    """More, as plain text (a call's note may have several lines)."""


def medium_date(value: str | None) -> str:
    """A stored day (YYYY-MM-DD) as the interface's locale writes it in its medium format: "Dec 10, 2026"."""
    from babel.dates import format_date

    if not value:
        return ""
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return value
    return format_date(day, "medium", locale=babel_locale())


def _entry(at: str, kind: str, who: str, title: str, detail: str = "") -> TimelineEntry:
    minute = datetime.fromisoformat(at).replace(second=0, microsecond=0).isoformat()
    return TimelineEntry(at, _when(minute, current_locale()), kind, who, title, detail)


@lru_cache(maxsize=4096)
def _when(minute: str, _locale: str) -> str:
    """A moment as the timeline shows it (to the minute), remembered per language: Babel takes a tenth
    of a millisecond for each, and a busy case has thousands of entries."""
    return format_local_time(minute)


def _moment(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp)


def _edits(run: list[HistoryEntry]) -> TimelineEntry:
    """A run of edits as one entry: how many fields, and their labels in the order first changed."""
    paths = list(dict.fromkeys(h.field for h in run))
    labels = [field_name(p) for p in paths]
    named = ", ".join(labels[:MAX_FIELDS_NAMED])
    if len(labels) > MAX_FIELDS_NAMED:
        more = len(labels) - MAX_FIELDS_NAMED
        named = ngettext("{fields} and {count} more", "{fields} and {count} more", more).format(
            fields=named, count=more
        )
    if len(paths) == 1:
        title = _("Changed {field}").format(field=labels[0])
        return _entry(run[-1].at, CHANGED, run[-1].who, title)
    title = ngettext("Changed {count} field", "Changed {count} fields", len(paths)).format(count=len(paths))
    return _entry(run[-1].at, CHANGED, run[-1].who, title, named)


def _history(
    rows: list[HistoryEntry], call_days: set[tuple[str, str]], events: Sequence[str] = ()
) -> list[TimelineEntry]:
    """The case's history as entries: edits of one sitting are one entry, but never across ``events`` (the
    moments of calls and plans), so edits typed before a plan are told before it and those after, after."""
    entries: list[TimelineEntry] = []
    moments = sorted(events)
    run: list[HistoryEntry] = []

    def close_run() -> None:
        if run:
            entries.append(_edits(run))
            run.clear()

    for row in rows:
        if row.field == "case":
            close_run()
            if row.new == "created":
                entries.append(_entry(row.at, CREATED, row.who, _("Case created")))
            continue
        if row.field in _SKIPPED:
            continue
        if row.field in _COLUMNS:
            close_run()
            if row.field == "status":
                old, new = (isolate(_(STATUS_NAMES.get(s, s))) if s else "" for s in (row.old, row.new))
                title = _("Status changed to {status}").format(status=new)
                entries.append(_entry(row.at, STATUS, row.who, title, _("was {status}").format(status=old)))
            elif (row.who, str(row.new)) not in call_days:  # a call's follow-up is told with the call
                if row.new:
                    title = _("Follow-up set for {date}").format(date=isolate(medium_date(row.new)))
                else:
                    title = _("Follow-up cleared")
                was = _("was {date}").format(date=isolate(medium_date(row.old))) if row.old else ""
                entries.append(_entry(row.at, FOLLOW_UP, row.who, title, was))
            continue
        if run and (
            row.who != run[-1].who
            or _moment(row.at) - _moment(run[-1].at) > EDIT_RUN
            or bisect_right(moments, run[-1].at) < bisect_right(moments, row.at)  # a call or plan between them
        ):
            close_run()
        run.append(row)
    close_run()
    return entries


def case_timeline(store: CaseStore, case_id: int) -> list[TimelineEntry]:
    """Everything that happened to the case, newest first, in the interface language (``KeyError`` for
    an unknown case)."""
    if store.get(case_id) is None:
        raise KeyError(case_id)
    entries: list[TimelineEntry] = []
    logged = calls(store, case_id)
    for call in logged:
        parts = [outcome_label(call.outcome), call.note]
        if call.follow_up:
            parts.append(_("Next follow-up: {date}").format(date=isolate(medium_date(call.follow_up))))
        entries.append(_entry(call.at, CALL, call.who, _("Call logged"), "\n".join(p for p in parts if p)))
    call_days = {(c.who, c.follow_up) for c in logged if c.follow_up}
    versions = sorted(store.plan_versions(case_id), key=lambda v: v.id)
    events = [c.at for c in logged] + [v.created_at for v in versions] + [v.sent_at for v in versions if v.sent_at]
    entries += _history(store.history(case_id), call_days, events)
    senders = {e.detail: e.who for e in store.audit_entries(case_id) if e.action == "emailed"}
    for number, version in enumerate(versions, start=1):
        language = isolate(language_name(version.locale, babel_locale()))
        title = _("Plan version {number} made in {language}").format(number=number, language=language)
        entries.append(_entry(version.created_at, PLAN, version.who, title))
        if version.sent_at:
            sent = _("Plan version {number} sent").format(number=number)
            who = senders.get(f"version {version.id}", version.who)
            entries.append(_entry(version.sent_at, PLAN_SENT, who, sent))
    order = {kind: place for place, kind in enumerate(KINDS)}
    entries.sort(key=lambda e: (e.at, order[e.kind]), reverse=True)
    return entries
