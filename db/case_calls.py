"""The call journal: one record per call logged for a case (when, who, the note, the outcome and the
follow-up agreed), in the case store's ``case_calls`` table (migration m005). Erasing the case erases its
calls (the foreign key cascades); a patient's data export includes them.

Checking what was typed (length, outcome) is the service's (services/calls.py); this module stores it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from db import audit_log
from db.case_store import CaseStore, now


@dataclass(frozen=True)
class CallRecord:
    id: int
    case_id: int
    at: str
    """When it was logged (UTC, ISO 8601)."""
    who: str
    note: str
    outcome: str | None
    follow_up: str | None
    """The follow-up date set with the call (YYYY-MM-DD), or None."""


_COLUMNS = "id, case_id, at, who, note, outcome, follow_up"


def add_call(
    store: CaseStore, case_id: int, who: str, note: str, outcome: str | None = None, follow_up: date | None = None
) -> CallRecord:
    """Store a call in one transaction: the record, the case's follow-up when one is given (recorded in the
    case's history like an edit in the editor), and an audit entry ``call_logged`` (no note in the log).
    ``KeyError`` for an unknown case."""
    stamp = now()
    day = follow_up.isoformat() if follow_up else None
    with store.db.atomic():
        found = store.db.execute("SELECT reference FROM cases WHERE id = ?", [case_id]).fetchone()
        if found is None:
            raise KeyError(case_id)
        cursor = store.db.execute(
            "INSERT INTO case_calls (case_id, at, who, note, outcome, follow_up) VALUES (?, ?, ?, ?, ?, ?)",
            [case_id, stamp, who, note, outcome, day],
        )
        call_id = cursor.lastrowid
        assert call_id is not None
        store.db.execute("UPDATE cases SET updated_at = ? WHERE id = ?", [stamp, case_id])
        audit_log.record(store.db, stamp, who, "call_logged", case_id, found[0], f"call {call_id}")
        if follow_up is not None:
            store.set_follow_up(case_id, follow_up, who)
    return CallRecord(call_id, case_id, stamp, who, note, outcome, day)


def calls(store: CaseStore, case_id: int) -> list[CallRecord]:
    """A case's calls, newest first."""
    rows = store.db.execute(
        f"SELECT {_COLUMNS} FROM case_calls WHERE case_id = ? ORDER BY id DESC", [case_id]
    ).fetchall()
    return [CallRecord(*row) for row in rows]


def call_count(store: CaseStore, case_id: int) -> int:
    return store.db.execute("SELECT count(*) FROM case_calls WHERE case_id = ?", [case_id]).fetchone()[0]
