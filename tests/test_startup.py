"""Start-up smoke test: the installed GUI entry point starts in a real process and becomes usable."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path


def test_gui_starts_and_reports_ready(data_dir: Path) -> None:
    entry = shutil.which("careplan-desk", path=str(Path(sys.executable).parent))
    command = [entry] if entry else [sys.executable, "-m", "desktop.app"]
    env = {
        **os.environ,
        "CAREPLAN_DATA_DIR": str(data_dir),
        "CAREPLAN_EXIT_WHEN_READY": "1",
        "QT_QPA_PLATFORM": "offscreen",
    }
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ready "), result.stdout + result.stderr
    assert (data_dir / "knowledge.sqlite").exists()
    assert "Traceback" not in result.stderr
