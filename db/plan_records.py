"""One plan version read whole for comparing: its listed details, its number within the case, the frozen
document model and the snapshot of what it was made from (the case as typed, the rates and costs, and the
facts a comparison reads).

A case's versions are numbered 1, 2, … in the order they were made, as its timeline counts them; the store's
ids are unique across cases and are not shown."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from db.case_store import CaseStore, PlanVersion


@dataclass(frozen=True)
class PlanRecord:
    version: PlanVersion
    number: int
    """The version's number within its case (1 for the first plan made)."""
    model: dict[str, Any]
    snapshot: dict[str, Any]


def version_numbers(store: CaseStore, case_id: int) -> dict[int, int]:
    """The case's versions: their number within the case (1, 2, … oldest first) by store id."""
    ids = sorted(v.id for v in store.plan_versions(case_id))
    return {version_id: number for number, version_id in enumerate(ids, start=1)}


def plan_record(store: CaseStore, case_id: int, number: int) -> PlanRecord | None:
    """Version ``number`` (1 for the first) of case ``case_id`` (None when the case has no such version)."""
    versions = sorted(store.plan_versions(case_id), key=lambda v: v.id)
    if not 1 <= number <= len(versions):
        return None
    version = versions[number - 1]
    model, snapshot = store.db.execute(
        "SELECT model, snapshot FROM plan_versions WHERE id = ? AND case_id = ?", [version.id, case_id]
    ).fetchone()
    return PlanRecord(version, number, json.loads(model), json.loads(snapshot))
