"""One plan version read whole for comparing: its listed details, the frozen document model and the snapshot
of what it was made from (the case as typed, the rates and costs, and the facts a comparison reads)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from db.case_store import CaseStore, PlanVersion


@dataclass(frozen=True)
class PlanRecord:
    version: PlanVersion
    model: dict[str, Any]
    snapshot: dict[str, Any]


def plan_record(store: CaseStore, case_id: int, version_id: int) -> PlanRecord | None:
    """Version ``version_id`` of case ``case_id`` (None when the case has no such version)."""
    version = next((v for v in store.plan_versions(case_id) if v.id == version_id), None)
    if version is None:
        return None
    model, snapshot = store.db.execute(
        "SELECT model, snapshot FROM plan_versions WHERE id = ? AND case_id = ?", [version_id, case_id]
    ).fetchone()
    return PlanRecord(version, json.loads(model), json.loads(snapshot))
