"""`careplan duplicate` and `careplan plan-diff` as a user runs them, on a real encrypted (SQLCipher) store,
and the use cases under them (services.case_copy, services.plan_compare) on a plain one."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from db.case_store import CaseStore
from planning.case import parse_case
from planning.knowledge.pack import load_pack
from planning.plan import plan_to_json
from planning.plan_diff import FACTS_KEY, plan_facts
from reports.document import render
from services.case_copy import duplicate_case
from services.plan_compare import UnknownVersion, case_version_numbers, compare_versions
from services.plans import make_plan
from services.settings import Preferences
from tests.cli.test_cli_security import (
    COORDINATOR,
    NAME,
    PASSPHRASE,
    careplan,
    case_file,
    imported,
    open_store,
)

PACK = load_pack()
TODAY = date(2026, 12, 3)


def full_case() -> dict[str, Any]:
    return {
        "format": "careplan-case",
        "version": 2,
        "patient": {
            "full_name": "José García",
            "date_of_birth": "1970-05-01",
            "sex": "male",
            "nationality": "ES",
            "language": "es",
            "email": "jose@example.org",
            "phone": "+34 600 000 000",
            "home_city": "Valencia",
        },
        "clinical": {
            "indication": "lbcl",
            "disease_status": "relapsed",
            "prior_lines": 2,
            "ecog": 1,
            "pregnant": False,
            "notes": "call after six",
        },
        "preferences": {"destinations": ["CN", "DE"], "currency": "EUR", "budget": 120000, "companions": 1},
        "coordinator": {"name": "Another Coordinator", "email": "other@example.org"},
    }


def add_version(store: CaseStore, case_id: int, document: dict[str, Any], locale: str = "en") -> int:
    """A plan version stored as the Plan tab stores one (the frozen model, the snapshot with its facts)."""
    case = parse_case(document, {i.code for i in PACK.indications}, TODAY)
    made = make_plan(case, PACK, "CP-1", locale, Preferences(), rates=PACK.rates, costs=PACK.cost_defaults, today=TODAY)
    countries = [o.country for o in made.estimate.options]
    snapshot = {"case": document, FACTS_KEY: plan_facts(made.estimate, made.screening, PACK)}
    version = store.add_plan_version(
        case_id, COORDINATOR, locale, countries, {}, PACK.info.version, snapshot, plan_to_json(made.plan),
        render(made.plan),
    )  # fmt: skip
    return case_version_numbers(store, case_id)[version.id]  # its number within the case, as shown


# --- the use cases ---------------------------------------------------------------------------------------


@pytest.fixture
def store(tmp_path: Path):
    opened = CaseStore.open(tmp_path / "cases.sqlite", {i.code for i in PACK.indications})
    yield opened
    opened.close()


def test_a_duplicate_copies_the_case_but_not_its_reference_status_follow_up_history_or_plans(store) -> None:
    original = store.create(full_case(), "Desk One")
    store.set_status(original.id, "plan_sent", "Desk One")
    store.set_follow_up(original.id, date(2026, 12, 24), "Desk One")
    add_version(store, original.id, full_case())

    copied = duplicate_case(store, original.id, COORDINATOR)

    assert copied.reference != original.reference and copied.reference.startswith("CP-")
    assert copied.row.status == "new" and copied.row.follow_up is None
    document = copied.document
    for section in ("patient", "clinical", "preferences"):
        assert document[section] == original.document[section]
    assert document["coordinator"] == {"name": COORDINATOR, "email": None}  # who made the copy
    assert store.plan_versions(copied.id) == []
    assert [(h.field, h.new) for h in store.history(copied.id)] == [("case", "created")]
    audit = store.audit_entries(copied.id)
    assert [(e.action, e.who, e.reference) for e in audit] == [("created", COORDINATOR, copied.reference)]
    assert store.get(original.id).row.status == "plan_sent"  # the original is as it was
    with pytest.raises(KeyError):
        duplicate_case(store, 9999, COORDINATOR)


def test_two_versions_compare_with_what_changed(store) -> None:
    case_id = store.create(full_case(), "Desk One").id
    first = add_version(store, case_id, full_case())
    more = copy.deepcopy(full_case())
    more["preferences"]["destinations"] = ["CN", "DE", "US"]
    second = add_version(store, case_id, more, "de")

    diff = compare_versions(store, case_id, second, first)  # any order: the older one is "old"
    assert (diff.old.number, diff.new.number) == (first, second) == (1, 2)
    assert [c.subject for c in diff.of_kind("destination_added")] == ["US"]
    assert [(c.old, c.new) for c in diff.of_kind("language")] == [("en", "de")]
    other = store.create(full_case(), "Desk One").id
    with pytest.raises(UnknownVersion):
        compare_versions(store, other, first, second)  # versions of another case


# --- the command line ------------------------------------------------------------------------------------


def test_duplicate_on_an_encrypted_store(data_dir: Path, tmp_path: Path) -> None:
    reference = imported(careplan(data_dir, "case", "import", str(case_file(tmp_path)), passphrase=PASSPHRASE))

    refused = careplan(data_dir, "duplicate", reference)
    assert refused.returncode == 2
    assert refused.stderr.strip() == "error: CAREPLAN_PASSPHRASE: needed to open the encrypted case store"

    result = careplan(data_dir, "duplicate", reference, passphrase=PASSPHRASE)
    assert result.returncode == 0, result.stderr
    copy_reference = result.stdout.split()[-1]
    assert result.stdout.strip() == f"Duplicated case {reference} as {copy_reference}"
    assert copy_reference != reference

    store = open_store(data_dir)
    try:
        original, copied = store.by_reference(reference), store.by_reference(copy_reference)
        assert copied is not None and copied.row.full_name == NAME
        assert copied.document["clinical"] == original.document["clinical"]
        assert copied.document["coordinator"]["name"] == COORDINATOR
        assert [e.action for e in store.audit_entries(copied.id)] == ["created"]
    finally:
        store.close()

    missing = careplan(data_dir, "duplicate", "CP-1999-99999", passphrase=PASSPHRASE)
    assert missing.returncode == 2 and missing.stderr.strip() == "error: CP-1999-99999: no such case"


def test_plan_diff_on_an_encrypted_store(data_dir: Path, tmp_path: Path) -> None:
    reference = imported(careplan(data_dir, "case", "import", str(case_file(tmp_path)), passphrase=PASSPHRASE))
    store = open_store(data_dir)
    try:
        case_id = store.by_reference(reference).id
        other = store.create(full_case(), COORDINATOR).id  # another case's versions: stored first
        add_version(store, other, full_case())
        add_version(store, other, full_case())
        document = full_case()
        first = add_version(store, case_id, document)
        too_few = careplan(data_dir, "plan-diff", reference, passphrase=PASSPHRASE)
        document["preferences"]["destinations"] = ["CN"]
        second = add_version(store, case_id, document)
        third = add_version(store, case_id, document)
    finally:
        store.close()
    assert (
        too_few.returncode == 2
        and too_few.stderr.strip() == f"error: {reference} has 1 plan version; compare needs two"
    )

    newest = careplan(data_dir, "plan-diff", reference, passphrase=PASSPHRASE)  # the two newest: the same plan
    assert newest.returncode == 0, newest.stderr
    lines = newest.stdout.splitlines()
    assert (first, second, third) == (1, 2, 3)  # numbered within the case, as its timeline counts
    assert lines[0].startswith(f"{reference}: ") and f"(version {second})" in lines[0]
    assert f"(version {third})" in lines[0]
    assert lines[1:] == ["  No differences: both plans show the same destinations, totals, language and verdicts."]

    given = careplan(data_dir, "plan-diff", reference, str(first), str(third), passphrase=PASSPHRASE)
    assert given.returncode == 0, given.stderr
    assert "  Destinations removed: Germany" in given.stdout.splitlines()
    assert any(
        line.startswith("  Total for Germany: €") and line.endswith("→ none") for line in given.stdout.splitlines()
    )

    one = careplan(data_dir, "plan-diff", reference, str(second), passphrase=PASSPHRASE)  # with the one before
    assert one.returncode == 0 and "Destinations removed: Germany" in one.stdout

    wrong = careplan(data_dir, "plan-diff", reference, str(first), "999", passphrase=PASSPHRASE)
    assert wrong.returncode == 2
    assert wrong.stderr.strip() == (
        f"error: version 999: no such plan version of case {reference}; its versions: {first}, {second}, {third}"
    )
