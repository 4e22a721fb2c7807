"""GDPR export and erase on a real SQLite file: one archive with everything, and nothing left after erase."""

from __future__ import annotations

import json
import os
import stat
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from db.case_store import CaseStore
from db.patient_export import erase_patient, export_patient, file_stem, outbox_files, pdf_name
from services.audit import write_audit_csv

INDICATIONS = {"lbcl", "mm", "b_all"}
WHO = "Desk One"
NAME = "Zebulon Quixotefield"
NOTES = "prefers calls after Marrakechtime"
PDF = b"%PDF-1.4\n" + NAME.encode() + bytes(range(256)) * 20 + b"\n%%EOF"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[CaseStore]:
    store = CaseStore.open(tmp_path / "cases.sqlite", INDICATIONS)
    yield store
    store.close()


def document(name: str = NAME, notes: str = NOTES) -> dict:
    return {
        "format": "careplan-case",
        "version": 1,
        "patient": {"full_name": name, "date_of_birth": "1970-05-01", "email": "zq@example.org"},
        "clinical": {"indication": "lbcl", "notes": notes},
    }


def add_plan(store: CaseStore, case_id: int, locale: str, pdf: bytes = PDF):
    return store.add_plan_version(
        case_id,
        WHO,
        locale,
        ["DE", "CN"],
        {"DE": "€1–€2"},
        "2026.11.6",
        {"case": document()},
        {"$type": "Plan", "patient": NAME},
        pdf,
    )


def full_case(store: CaseStore) -> int:
    case_id = store.create(document(), WHO).id
    changed = document()
    changed["patient"]["phone"] = "+49 30 1234567"
    store.save_document(case_id, changed, WHO)
    store.set_follow_up(case_id, date(2026, 12, 1), WHO)
    first = add_plan(store, case_id, "de")
    add_plan(store, case_id, "ru", PDF + b"ru")
    store.mark_sent(first.id, WHO, date(2026, 12, 10))
    store.audit(WHO, "viewed", case_id)
    return case_id


def test_export_holds_the_case_history_audit_and_every_pdf(store: CaseStore, tmp_path: Path) -> None:
    case_id = full_case(store)
    other = store.create(document("Someone Else", "theirs"), WHO).id
    stored = store.get(case_id)
    target = tmp_path / "export.zip"
    result = export_patient(store, case_id, target, "Exporter")
    assert result.path == target and result.plans == 2 and result.reference == stored.reference
    with zipfile.ZipFile(target) as archive:
        names = set(archive.namelist())
        versions = store.plan_versions(case_id)
        expected = {pdf_name(stored.reference, v.id, v.locale) for v in versions}
        assert names == {"README.txt", "patient.json", *expected}
        for version in versions:
            name = f"plans/{stored.reference}_v{version.id}_{version.locale}.pdf"
            assert archive.read(name) == store.plan_pdf(version.id)
        record = json.loads(archive.read("patient.json").decode("utf-8"))
        readme = archive.read("README.txt").decode("utf-8")
    assert record["format"] == "careplan-patient-export" and record["exported_by"] == "Exporter"
    assert record["reference"] == stored.reference
    assert record["case"] == stored.document and record["case"]["patient"]["full_name"] == NAME
    assert record["status"] == "plan_sent" and record["follow_up"] == "2026-12-10"
    assert record["created_at"] == stored.row.created_at and record["updated_at"] == stored.row.updated_at
    fields = [h["field"] for h in record["history"]]
    assert fields[0] == "case" and "patient.phone" in fields and "follow_up" in fields and fields.count("plan") == 2
    phone = next(h for h in record["history"] if h["field"] == "patient.phone")
    assert phone["old"] is None and phone["new"] == "+49 30 1234567" and phone["who"] == WHO
    actions = [a["action"] for a in record["audit"]]
    assert actions[0] == "created" and "viewed" in actions and "emailed" in actions
    assert actions.count("plan_generated") == 2
    plans = record["plans"]
    assert [p["locale"] for p in plans] == ["de", "ru"]
    assert plans[0]["sent_at"] is not None and plans[1]["sent_at"] is None
    assert plans[0]["destinations"] == ["DE", "CN"] and plans[0]["totals"] == {"DE": "€1–€2"}
    assert plans[0]["who"] == WHO and plans[0]["created_at"]
    assert stored.reference in readme and record["exported_at"] in readme
    # The other patient is not in the archive; the export is in the log.
    assert b"Someone Else" not in target.read_bytes()
    assert "Someone Else" not in json.dumps(record)
    assert store.audit_entries(case_id)[0].action == "data_exported"
    assert store.audit_entries(case_id)[0].who == "Exporter"
    assert store.audit_entries(other)[0].action == "created"


def test_export_file_is_private(store: CaseStore, tmp_path: Path) -> None:
    case_id = full_case(store)
    target = tmp_path / "export.zip"
    export_patient(store, case_id, target, WHO)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_export_to_a_missing_folder_writes_nothing_and_logs_nothing(store: CaseStore, tmp_path: Path) -> None:
    case_id = full_case(store)
    before = store.audit_entries(case_id)
    with pytest.raises(OSError):
        export_patient(store, case_id, tmp_path / "missing" / "export.zip", WHO)
    assert not (tmp_path / "missing").exists()
    assert store.audit_entries(case_id) == before


def test_export_over_an_existing_file_replaces_it_whole(store: CaseStore, tmp_path: Path) -> None:
    case_id = full_case(store)
    target = tmp_path / "export.zip"
    target.write_bytes(b"old")
    export_patient(store, case_id, target, WHO)
    with zipfile.ZipFile(target) as archive:
        assert archive.testzip() is None
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary file left


def test_export_of_an_unknown_case_is_a_key_error(store: CaseStore, tmp_path: Path) -> None:
    with pytest.raises(KeyError):
        export_patient(store, 999, tmp_path / "x.zip", WHO)
    assert not (tmp_path / "x.zip").exists()


def test_erase_removes_case_history_plans_and_outbox_files(store: CaseStore, tmp_path: Path) -> None:
    case_id = full_case(store)
    other = store.create(document("Someone Else"), WHO)
    reference = store.get(case_id).reference
    versions = [v.id for v in store.plan_versions(case_id)]
    outbox = tmp_path / "outbox"
    outbox.mkdir()
    mine = [outbox / f"{reference}_email.eml", outbox / f"{reference}_Zebulon_Quixotefield_2026-11-26.pdf"]
    theirs = [outbox / f"{other.reference}_email.eml", outbox / f"{reference}0_email.eml", outbox / "notes.txt"]
    for path in mine + theirs:
        path.write_bytes(b"x")
    result = erase_patient(store, case_id, "Eraser", outbox)
    assert result.reference == reference and result.plans == 2
    assert sorted(result.files) == sorted(mine)
    assert not any(p.exists() for p in mine) and all(p.exists() for p in theirs)
    assert store.get(case_id) is None and store.by_reference(reference) is None
    assert store.history(case_id) == [] and store.plan_versions(case_id) == []
    for version in versions:
        assert store.db.execute("SELECT count(*) FROM plan_versions WHERE id = ?", [version]).fetchone()[0] == 0
    assert store.get(other.id) is not None


def test_after_erase_the_audit_log_names_neither_case_nor_patient(store: CaseStore, tmp_path: Path) -> None:
    case_id = full_case(store)
    reference = store.get(case_id).reference
    count = len(store.audit_entries(case_id))
    erase_patient(store, case_id, "Eraser", None)
    assert store.audit_entries(case_id) == []
    entries = store.audit_entries()
    assert entries[0].action == "erased" and entries[0].who == "Eraser" and entries[0].case_id is None
    assert entries[0].reference is None and reference not in entries[0].detail
    kept = [e for e in entries if e.case_id is None and e.action != "erased"]
    assert len(kept) == count
    assert all(e.reference is None and e.detail == "" for e in kept)
    csv_file = tmp_path / "audit.csv"
    write_audit_csv(store, csv_file)
    text = csv_file.read_text("utf-8-sig")
    assert reference not in text and NAME not in text and "patient.phone" not in text


def test_erased_patient_is_gone_from_the_raw_file_bytes(tmp_path: Path) -> None:
    path = tmp_path / "cases.sqlite"
    store = CaseStore.open(path, INDICATIONS)
    try:
        case_id = full_case(store)
        for n in range(30):  # neighbours on the same pages, so pages are rewritten rather than dropped
            store.create(document(f"Neighbour Number{n}", "other notes"), WHO)
        reference = store.get(case_id).reference
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

        def raw() -> bytes:
            return b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("cases.sqlite"))

        before = raw()
        # The test can fail: the name, the notes and the PDF are there before the erase.
        assert NAME.encode() in before and NOTES.encode() in before and b"zebulon" in before
        assert b"+49 30 1234567" in before
        erase_patient(store, case_id, WHO, None)
        after = raw()
    finally:
        store.close()
    for secret in (NAME, "Zebulon", "Quixotefield", "zebulon", "quixotefield", NOTES, "Marrakechtime", "marrakechtime"):
        assert secret.encode() not in after, secret
    assert b"+49 30 1234567" not in after
    assert reference.encode() not in after
    assert b"Neighbour Number29" in after  # the others are untouched


def test_erase_of_an_unknown_case_changes_nothing(store: CaseStore, tmp_path: Path) -> None:
    case_id = full_case(store)
    with pytest.raises(KeyError):
        erase_patient(store, case_id + 100, WHO, tmp_path)
    assert store.get(case_id) is not None


def test_outbox_match_follows_the_file_names_the_app_makes(tmp_path: Path) -> None:
    assert file_stem("CP-2026-00001") == "CP-2026-00001"
    assert file_stem("ab/c d") == "ab_c_d"
    (tmp_path / "ab_c_d_email.eml").write_bytes(b"")
    (tmp_path / "ab_c_dx_email.eml").write_bytes(b"")
    os.mkdir(tmp_path / "ab_c_d_folder")
    assert outbox_files(tmp_path, "ab/c d") == [tmp_path / "ab_c_d_email.eml"]
    assert outbox_files(tmp_path / "missing", "ab/c d") == []
    assert outbox_files(None, "ab/c d") == []
