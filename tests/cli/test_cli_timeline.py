"""`careplan timeline REFERENCE` as a user runs it: a real process on a real store, plain or encrypted."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

from db.case_store import CaseStore
from db.paths import cases_db_path
from db.vault import CaseVault
from services.calls import log_call
from tests.cli.runner import careplan

PASSPHRASE = "correct horse battery"


def store_with_a_call(data_dir: Path, passphrase: str | None = None) -> str:
    """A case store set up as the app sets it up, with one case that had edits and a call."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = cases_db_path(data_dir)
    CaseVault(path).setup(passphrase)
    vault = CaseVault(path)
    if passphrase is not None:
        vault.unlock(passphrase)
    store: CaseStore = vault.open(frozenset({"lbcl"}))
    try:
        stored = store.create({"patient": {"full_name": "Ana"}}, "Desk One")
        store.save_document(stored.id, {"patient": {"full_name": "Ana Ruiz"}, "clinical": {"diagnosis_text": "x"}}, "D")
        follow_up = date.today() + timedelta(days=7)
        log_call(store, stored.id, "Desk Two", "Wants the plan in Spanish.\nCall back Monday.", "reached", follow_up)
        return stored.reference
    finally:
        store.close()


def test_timeline_prints_the_case_s_story_newest_first(data_dir: Path) -> None:
    reference = store_with_a_call(data_dir)
    result = careplan(data_dir, "timeline", reference)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    titles = [line for line in lines if not line.startswith("    ")]
    assert titles[0].endswith(" · Call logged · Desk Two")
    assert titles[1].endswith(" · Changed 2 fields · D")
    assert titles[2].endswith(" · Case created · Desk One") and len(titles) == 3
    assert "    Spoke with the patient" in lines and "    Wants the plan in Spanish." in lines
    assert "    Call back Monday." in lines
    assert "    Diagnosis as reported, Full name" in lines


def test_timeline_as_json_in_another_language(data_dir: Path) -> None:
    reference = store_with_a_call(data_dir)
    result = careplan(data_dir, "timeline", reference, "--json", "--locale", "es")
    assert result.returncode == 0, result.stderr
    entries = json.loads(result.stdout)
    assert [e["kind"] for e in entries] == ["call", "changed", "created"]
    assert entries[0]["detail"].splitlines()[1:3] == ["Wants the plan in Spanish.", "Call back Monday."]
    assert entries[1]["detail"] == "Diagnóstico según lo indicado, Nombre completo"
    assert entries[2]["title"] == "Caso creado" and entries[2]["at"] < entries[0]["at"]
    assert set(entries[0]) == {"at", "when", "kind", "who", "title", "detail"}


def test_timeline_of_an_encrypted_store_needs_the_passphrase(data_dir: Path) -> None:
    reference = store_with_a_call(data_dir, PASSPHRASE)
    refused = careplan(data_dir, "timeline", reference)
    assert refused.returncode != 0 and "CAREPLAN_PASSPHRASE" in refused.stderr and "Traceback" not in refused.stderr
    opened = careplan(data_dir, "timeline", reference, passphrase=PASSPHRASE)
    assert opened.returncode == 0, opened.stderr
    assert "Wants the plan in Spanish." in opened.stdout


def test_timeline_of_an_unknown_case_or_language_is_one_line(data_dir: Path) -> None:
    store_with_a_call(data_dir)
    missing = careplan(data_dir, "timeline", "CP-1999-00001")
    assert missing.returncode == 2 and missing.stderr.strip() == "error: CP-1999-00001: no such case"
    language = careplan(data_dir, "timeline", "CP-1999-00001", "--locale", "xx-nowhere")
    assert language.returncode == 2 and language.stderr.strip() == "error: --locale: unknown language code xx-nowhere"
