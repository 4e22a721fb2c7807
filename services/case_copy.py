"""Duplicating a case, for both faces: the same patient's new episode.

The new case copies the patient, the clinical details and the preferences (destinations, currency, budget)
as they are typed now; it gets a new reference from the store, the status New, no follow-up date, and none
of the original's change history, calls or plan versions. The coordinator is the one who duplicates it (as
for any new case). Stored and audited like any case created."""

from __future__ import annotations

import copy
from typing import Any

from planning.i18n import N_
from services.stores import CaseStore, StoredCase

WHAT_IS_COPIED = N_(
    "A new case for the same patient (a new episode): copies the patient, clinical details and preferences; "
    "gets a new reference, the status New, and no follow-up, history or plans"
)


def copied_document(document: dict[str, Any], who: str) -> dict[str, Any]:
    """The document of the duplicate: everything but the reference; the coordinator is ``who`` when known
    (another coordinator's e-mail is not kept with ``who``'s name)."""
    copied = copy.deepcopy(document)
    copied.pop("reference", None)
    found = copied.get("coordinator")
    coordinator = dict(found) if isinstance(found, dict) else {}
    if who and coordinator.get("name") != who:
        coordinator.update(name=who, email=None)
        copied["coordinator"] = coordinator
    return copied


def duplicate_case(store: CaseStore, case_id: int, who: str) -> StoredCase:
    """A new case from case ``case_id`` (see the module); KeyError when there is no such case."""
    original = store.get(case_id)
    if original is None:
        raise KeyError(case_id)
    return store.create(copied_document(original.document, who), who)
