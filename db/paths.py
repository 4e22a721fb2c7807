"""Where CarePlan Desk keeps its data: the user's data directory, never beside the code.

Privacy by platform. POSIX (Linux, macOS): every folder 0700 and every file 0600, set here and where files
are made. Windows: file modes do not restrict other users (chmod sets only the read-only flag); the data is
private because platformdirs puts it in the user's own profile (``%LOCALAPPDATA%\\CarePlanDesk``), whose
access list admits only the user, administrators and SYSTEM, and everything made inside inherits that list.
A ``CAREPLAN_DATA_DIR`` outside the profile gets the access list of wherever it points.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "CarePlanDesk"
PRIVATE_FOLDER, PRIVATE_FILE = 0o700, 0o600
"""Everything in the data directory is the user's alone."""
ENV_DATA_DIR = "CAREPLAN_DATA_DIR"
POSIX_MODES = os.name != "nt"
"""Whether file modes keep other users out here (see the module's docstring for Windows)."""


def data_dir() -> Path:
    """The data directory (``CAREPLAN_DATA_DIR`` overrides it), created private to the user."""
    override = os.environ.get(ENV_DATA_DIR)
    if override:
        path = Path(override).expanduser()
    else:
        from platformdirs import user_data_path

        path = user_data_path(APP_NAME, appauthor=False)
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_FOLDER)
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


def secure_data_dir(base: Path, settings_file: str = "settings.ini") -> None:
    """Make the data directory user-only: every folder 0700, every file 0600 (older installs included);
    on Windows only the settings file is made (see the module's docstring).

    The settings file is created private before QSettings first writes it: Qt keeps the mode of an
    existing file, but would create a new one world-readable. Chosen over ``os.umask(0o077)``, which
    is process-wide and would also make private what the coordinator saves elsewhere on purpose.
    """
    base = Path(base)
    base.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
    descriptor = os.open(base / settings_file, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE)
    os.close(descriptor)
    if not POSIX_MODES:  # Windows: the profile folder's access list keeps the data private
        return
    for folder, folders, files in os.walk(base):
        for name, mode in [(".", PRIVATE_FOLDER)] + [(f, PRIVATE_FILE) for f in files]:
            path = os.path.join(folder, name)
            if not os.path.islink(path) and os.stat(path).st_mode & 0o777 != mode:
                os.chmod(path, mode)
        folders[:] = [f for f in folders if not os.path.islink(os.path.join(folder, f))]
