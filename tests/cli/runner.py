"""Running `careplan` as a user does, for the command-line tests: a new process on a data directory, the
passphrase only when given (never one inherited from the environment), no terminal unless text is typed in,
and never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def careplan(
    data_dir: Path, *args: str, passphrase: str | None = None, input_text: str | None = None, **env: str
) -> subprocess.CompletedProcess:
    """``careplan ARGS`` on ``data_dir``; ``env`` adds variables (e.g. CAREPLAN_COORDINATOR)."""
    environment = {k: v for k, v in os.environ.items() if k != "CAREPLAN_PASSPHRASE"}
    environment.update(CAREPLAN_DATA_DIR=str(data_dir), **env)
    if passphrase is not None:
        environment["CAREPLAN_PASSPHRASE"] = passphrase
    result = subprocess.run(
        [sys.executable, "-m", "cli", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        stdin=subprocess.DEVNULL if input_text is None else None,  # no terminal: nobody to ask for a passphrase
        input=input_text,
    )
    assert "Traceback" not in result.stderr + result.stdout
    return result
