"""Crash safety with real processes: SIGKILL loses nothing that was typed and corrupts nothing."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from db.case_store import CaseStore
from db.paths import cases_db_path
from desktop.cases.editor import AUTOSAVE_MS
from tests.desktop.conftest import make_window

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent


def child(script: str, *args: str, data_dir: Path) -> subprocess.Popen:
    env = {**os.environ, "CAREPLAN_DATA_DIR": str(data_dir), "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, str(HERE / script), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )


def test_killed_app_shows_what_was_typed_after_restart(qtbot, data_dir: Path) -> None:
    typed = "Zoë Killtest-Ivanova"
    from db.vault import CaseVault

    data_dir.mkdir(parents=True, exist_ok=True)
    CaseVault(cases_db_path(data_dir)).setup(None)  # a store without a passphrase opens with no first-start panel
    process = child("crash_child.py", typed, data_dir=data_dir)
    try:
        line = process.stdout.readline()
        assert line.startswith("typed "), line + process.stderr.read()
        reference = line.split()[1]
        time.sleep(AUTOSAVE_MS / 1000 + 0.7)  # within the promise: saved in about a second
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL

    window = make_window(qtbot, data_dir)  # the restart
    stored = window.cases_store.by_reference(reference)
    assert stored is not None
    assert stored.document["patient"]["full_name"] == typed
    window.cases.open_case(stored.id)
    assert window.cases.editor.fields["patient.full_name"].widget.text() == typed
    assert any(typed in (window.cases.model.index(r, 0).data() or "") for r in range(window.cases.model.rowCount()))
    window.close()


def test_kill_during_a_burst_of_writes_loses_nothing_committed(data_dir: Path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    path = cases_db_path(data_dir)
    process = child("burst_child.py", str(path), data_dir=data_dir)
    committed = -1
    try:
        case_line = process.stdout.readline()
        assert case_line.startswith("case "), case_line + process.stderr.read()
        case_id = int(case_line.split()[1])
        while committed < 40:
            committed = int(process.stdout.readline())
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    with sqlite3.connect(path) as plain:
        assert plain.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    store = CaseStore.open(path, {"lbcl"})
    notes = store.get(case_id).document["clinical"]["notes"]
    assert int(notes.split()[1]) >= committed  # every commit reported before the kill survived
    assert len(store.history(case_id)) >= committed
    store.close()
