"""The audit log: who did what to which case, and when; no patient content, only references and fields.

It lives in the case store (so it is encrypted with it). Erasing a patient reduces their entries to a
non-identifying record: the action and time stay, the case and its reference are removed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlite_utils import Database

ACTIONS = (
    "created",
    "viewed",
    "edited",
    "imported",
    "exported",
    "plan_generated",
    "plan_saved",
    "printed",
    "emailed",
    "data_exported",
    "erased",
    "backup_restored",
    "passphrase_changed",
    "encryption_enabled",
    "call_logged",
)
"""Every action the log knows; the GUI shows each in words. The table's CHECK list is frozen in the
case store's migrations: a new action needs a new migration step there."""

CSV_COLUMNS = ("at", "who", "action", "reference", "detail")


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: str
    who: str
    action: str
    case_id: int | None
    reference: str | None
    detail: str


def record(
    db: Database, at: str, who: str, action: str, case_id: int | None = None, reference: str | None = None, detail=""
) -> None:
    """Add one entry (inside the caller's transaction, if any)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    db.execute(
        "INSERT INTO audit (at, who, action, case_id, reference, detail) VALUES (?, ?, ?, ?, ?, ?)",
        [at, who, action, case_id, reference, detail],
    )


def entries(db: Database, case_id: int | None = None, limit: int | None = None) -> list[AuditEntry]:
    """Entries newest first, for one case or all."""
    where, params = ("WHERE case_id = ?", [case_id]) if case_id is not None else ("", [])
    tail = f" LIMIT {int(limit)}" if limit else ""
    rows = db.execute(
        f"SELECT id, at, who, action, case_id, reference, detail FROM audit {where} ORDER BY id DESC{tail}", params
    ).fetchall()
    return [AuditEntry(*row) for row in rows]


def _all(db: Database) -> Iterator[tuple]:
    yield from db.execute("SELECT at, who, action, coalesce(reference, ''), detail FROM audit ORDER BY id")


def forget_case(db: Database, case_id: int) -> None:
    """After an erase: the case's entries keep only action, time and who (no case, no reference, no detail)."""
    db.execute("UPDATE audit SET case_id = NULL, reference = NULL, detail = '' WHERE case_id = ?", [case_id])
