"""Soak: the installed app, started as a process, takes 3,000 keystrokes and is still alive, all saved."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from db.case_store import CaseStore
from db.paths import cases_db_path
from db.vault import CaseVault

HERE = Path(__file__).resolve().parent
EDITS = 3000


@pytest.mark.slow
def test_three_thousand_edits_leave_the_app_alive_and_everything_saved(data_dir: Path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    CaseVault(cases_db_path(data_dir)).setup(None)  # opens with no first-start panel
    # the binding bare: the app's safety net for a leaking binding (desktop.shell.none_guard) stays off
    env = {
        **os.environ,
        "CAREPLAN_DATA_DIR": str(data_dir),
        "QT_QPA_PLATFORM": "offscreen",
        "CAREPLAN_NONE_GUARD": "off",
    }
    env.pop("PYTHONPATH", None)  # the installed package, as a user runs it
    process = subprocess.Popen(
        [sys.executable, str(HERE / "soak_child.py"), str(EDITS)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=data_dir,
    )
    try:
        line = process.stdout.readline()
        alive = process.poll() is None
    finally:
        process.send_signal(signal.SIGKILL)
        _out, err = process.communicate(timeout=60)
    assert line.startswith("done "), f"the app ended early ({process.returncode}): {line}{err[-2000:]}"
    assert alive
    assert "none_dealloc" not in err and "Fatal Python error" not in err
    _done, reference, drift = line.split()
    assert int(drift) <= 16, f"None lost {drift} references during the soak"

    store = CaseStore.open(cases_db_path(data_dir), {"lbcl"})
    try:
        stored = store.by_reference(reference)
        assert stored is not None
        clinical, patient = stored.document["clinical"], stored.document["patient"]
        # exactly what the child typed, field by field (60 keystrokes a turn, a correction every 17th)
        expected = typed_text(EDITS)
        assert patient["full_name"] == expected["patient.full_name"]
        assert clinical["diagnosis_text"] == expected["clinical.diagnosis_text"]
        assert clinical["notes"] == expected["clinical.notes"]
    finally:
        store.close()


def typed_text(edits: int) -> dict[str, str]:
    """What each field holds after the child's keystrokes (the same rule the child follows)."""
    fields = {
        "patient.full_name": "María José Soak-Testová ",
        "clinical.diagnosis_text": "DLBCL, relapsed after R-CHOP; ",
        "clinical.notes": "Called twice; daughter translates. 患者说明 ",
    }
    order = list(fields)
    held = dict.fromkeys(fields, "")
    for sent in range(edits):
        path = order[(sent // 60) % len(order)]
        text = fields[path]
        held[path] = held[path][:-1] if sent % 17 == 16 else held[path] + text[sent % len(text)]
    return held
