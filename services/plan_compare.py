"""Comparing two plan versions of a case, for both faces: what changed in destinations, totals, language,
screening verdicts, exchange rates and the knowledge pack (``planning.plan_diff`` does the comparing)."""

from __future__ import annotations

from db.plan_records import PlanRecord, plan_record
from planning.i18n import N_, _
from planning.plan_diff import PlanDiff, VersionFacts, compare, version_facts
from services.stores import CaseStore

NO_SUCH_VERSION = N_("version {number}: no such plan version of case {reference}")


class UnknownVersion(LookupError):
    """A version number that is not one of the case's plan versions."""

    def __init__(self, number: int, reference: str):
        self.number, self.reference = number, reference
        super().__init__(_(NO_SUCH_VERSION).format(number=number, reference=reference))


def _facts(record: PlanRecord) -> VersionFacts:
    version = record.version
    return version_facts(
        version.id,
        version.created_at,
        version.locale,
        version.destinations,
        version.totals,
        version.pack_version,
        record.model,
        record.snapshot,
    )


def compare_versions(store: CaseStore, case_id: int, first: int, second: int) -> PlanDiff:
    """What changed from the older of versions ``first`` and ``second`` of case ``case_id`` to the newer;
    UnknownVersion when either is not a version of that case."""
    records = []
    for number in (first, second):
        record = plan_record(store, case_id, number)
        if record is None:
            stored = store.get(case_id)
            raise UnknownVersion(number, stored.reference if stored else str(case_id))
        records.append(record)
    older, newer = sorted(records, key=lambda r: r.version.id)
    return compare(_facts(older), _facts(newer))


def previous_version(store: CaseStore, case_id: int, version_id: int) -> int | None:
    """The version made just before ``version_id`` (None for the first one)."""
    ids = sorted(v.id for v in store.plan_versions(case_id))
    earlier = [number for number in ids if number < version_id]
    return earlier[-1] if earlier else None
