"""The data directory is the user's alone: every folder 0700, every file 0600, -wal and -shm included.

Made by the real parts: db.paths.data_dir(), the app's start-up (secure_data_dir, setup_logging), the
vault and its backups, the knowledge store, the window with a plan e-mailed to the outbox.
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtPdf import QPdfDocument

from db import paths
from db.knowledge_store import KnowledgeStore
from db.paths import cases_db_path, knowledge_db_path, secure_data_dir
from db.vault import CaseVault
from desktop.shell import app_log
from desktop.shell.app_log import setup_logging
from planning.case import empty_document
from tests.desktop.conftest import make_window

PASS = "file modes passphrase"


def modes(base: Path) -> dict[str, str]:
    """Every path under ``base`` (and ``base``) with its permission bits, e.g. {"backups": "0o700"}."""
    found = {".": oct(base.stat().st_mode & 0o777)}
    for path in base.rglob("*"):
        found[str(path.relative_to(base))] = oct(path.lstat().st_mode & 0o777)
    return found


def wrong_modes(base: Path) -> dict[str, str]:
    wrong = {}
    for name, mode in modes(base).items():
        path = base / name
        expected = "0o700" if path.is_dir() else "0o600"
        if not path.is_symlink() and mode != expected:
            wrong[name] = mode
    return wrong


@pytest.fixture
def app_start(data_dir: Path) -> Iterator[Path]:
    """What the app's main() does before anything else: the data dir, private, and the log."""
    base = paths.data_dir()  # CAREPLAN_DATA_DIR, created here
    assert base == data_dir
    secure_data_dir(base)
    handler = setup_logging(base)
    logging.getLogger("desktop.test").info("started")
    yield base
    logging.getLogger().removeHandler(handler)
    handler.close()
    logging.captureWarnings(False)


def test_the_vault_its_backups_the_knowledge_store_and_the_log_are_private(app_start: Path) -> None:
    base = app_start
    vault = CaseVault(cases_db_path(base))
    vault.setup(PASS)
    store = vault.open({"lbcl"})  # left open: its -wal and -shm exist now
    document = empty_document()
    document["patient"]["full_name"] = "Private Modes"
    store.create(document, "Desk One")
    vault.backup()
    knowledge = KnowledgeStore.open(knowledge_db_path(base))
    try:
        names = set(modes(base))
        for expected in (
            "cases.sqlite",
            "cases.sqlite-wal",
            "cases.sqlite-shm",
            "backups",
            "knowledge.sqlite",
            "settings.ini",
            "logs",
            "logs/careplan.log",
        ):
            assert expected in names
        assert len(vault.list_backups()) >= 1
        assert wrong_modes(base) == {}
    finally:
        knowledge.close()
        store.close()
    assert wrong_modes(base) == {}


def test_settings_written_by_qt_stay_private(app_start: Path) -> None:
    settings = QSettings(str(app_start / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue("profile/name", "Desk One")
    settings.sync()
    settings.setValue("ui/locale", "de")
    settings.sync()
    assert "Desk One" in (app_start / "settings.ini").read_text("utf-8")
    assert wrong_modes(app_start) == {}


def test_the_window_with_a_plan_e_mailed_to_the_outbox_leaves_everything_private(qtbot, app_start: Path) -> None:
    base = app_start
    window = make_window(qtbot, base)
    window.cases.add_samples()
    row = next(r for r in window.cases.model.rows if "Anna" in r.full_name)
    window.cases.open_case(row.id)
    panel = window.cases.plan_panel
    before = panel.versions.count()
    panel.generate_button.click()
    qtbot.waitUntil(lambda: not panel.busy and panel.versions.count() == before + 1, timeout=60000)
    qtbot.waitUntil(lambda: panel.document.status() == QPdfDocument.Status.Ready, timeout=10000)
    opened: list[Path] = []
    panel.opener = opened.append
    draft = panel.email()
    assert draft is not None and draft.parent == base / "outbox"
    window.flush()
    window.settings.sync()
    assert {"outbox", "logs", "settings.ini", "cases.sqlite-wal"} <= set(modes(base))
    assert wrong_modes(base) == {}
    window.close()
    window.tasks.wait()
    assert wrong_modes(base) == {}


def test_secure_data_dir_repairs_an_older_install_and_follows_no_link(tmp_path: Path) -> None:
    base = tmp_path / "data"
    (base / "backups").mkdir(parents=True, mode=0o755)
    (base / "outbox").mkdir(mode=0o777)
    os.chmod(base / "outbox", 0o777)
    for name in ("cases.sqlite", "settings.ini", "backups/cases-20260101-000000.sqlite", "outbox/x.eml"):
        (base / name).write_bytes(b"x")
        os.chmod(base / name, 0o644)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o755)
    os.chmod(elsewhere, 0o755)
    (base / "linked").symlink_to(elsewhere)
    secure_data_dir(base)
    assert wrong_modes(base) == {}
    assert stat.S_IMODE(elsewhere.stat().st_mode) == 0o755  # not ours: left alone


def test_a_new_settings_file_is_created_private(tmp_path: Path) -> None:
    base = tmp_path / "fresh"
    secure_data_dir(base)
    assert (base / "settings.ini").exists()
    assert wrong_modes(base) == {}
    assert app_log.PRIVATE_FILE == 0o600 and app_log.PRIVATE_FOLDER == 0o700
