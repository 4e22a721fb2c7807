"""Comparing two plan versions of a case, for both faces: what changed in destinations, totals, language,
screening verdicts, exchange rates and the knowledge pack (``planning.plan_diff`` does the comparing).

Versions are given and named by their number within the case (1 for its first plan), as its timeline
counts them."""

from __future__ import annotations

from db.plan_records import PlanRecord, plan_record, version_numbers
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
        record.number,
    )


def compare_versions(store: CaseStore, case_id: int, first: int, second: int) -> PlanDiff:
    """What changed from the older of versions ``first`` and ``second`` (numbers within the case: 1 for its
    first plan) of case ``case_id`` to the newer; UnknownVersion when either is not a version of that case."""
    records = []
    for number in (first, second):
        record = plan_record(store, case_id, number)
        if record is None:
            stored = store.get(case_id)
            raise UnknownVersion(number, stored.reference if stored else str(case_id))
        records.append(record)
    older, newer = sorted(records, key=lambda r: r.number)
    return compare(_facts(older), _facts(newer))


def case_version_numbers(store: CaseStore, case_id: int) -> dict[int, int]:
    """The number within the case (1, 2, …) of each of its versions, by store id (what the faces list)."""
    return version_numbers(store, case_id)


def previous_version(store: CaseStore, case_id: int, number: int) -> int | None:
    """The number of the version made just before version ``number`` of the case (None for the first)."""
    return number - 1 if number > 1 and number - 1 <= len(store.plan_versions(case_id)) else None
