"""Where CarePlan Desk keeps its data: the user's data directory, never beside the code."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "CarePlanDesk"
ENV_DATA_DIR = "CAREPLAN_DATA_DIR"


def data_dir() -> Path:
    """The data directory (``CAREPLAN_DATA_DIR`` overrides it), created private to the user."""
    override = os.environ.get(ENV_DATA_DIR)
    if override:
        path = Path(override).expanduser()
    else:
        from platformdirs import user_data_path

        path = user_data_path(APP_NAME, appauthor=False)
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def knowledge_db_path(base: Path | None = None) -> Path:
    """The knowledge store: reference data built from the pack, no patient data in it."""
    return (base or data_dir()) / "knowledge.sqlite"


def cases_db_path(base: Path | None = None) -> Path:
    """Patient data: cases, their history and plans. Never beside the code."""
    return (base or data_dir()) / "cases.sqlite"


def outbox_path(base: Path | None = None) -> Path:
    """E-mail drafts with the plan attached (private, tidied after some days; erasing a patient removes theirs)."""
    return (base or data_dir()) / "outbox"
