"""GUI fixtures: the real main window on a fresh data directory, with its store loaded."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from db.case_store import CaseStore
from db.knowledge_store import KnowledgeStore
from db.paths import cases_db_path, knowledge_db_path
from db.vault import CaseVault
from desktop.shared.tasks import TaskRunner
from desktop.shell.main_window import MainWindow
from desktop.shell.session import Session


def make_window(
    qtbot,
    base: Path,
    locale: str = "en",
    vault: CaseVault | None = None,
    check_later: bool = False,
    session: Session | None = None,
) -> MainWindow:
    """The real window; with ``vault`` the cases open through it (first start, unlock, damaged store).

    ``check_later``: as the app does, the full check and the start-up backup run after opening.
    """
    settings = QSettings(str(base / "settings.ini"), QSettings.Format.IniFormat)
    tasks = TaskRunner()
    if vault is None:

        def open_cases(codes):
            return CaseStore.open(cases_db_path(base), codes, check_same_thread=False)
    else:

        def open_cases(codes):
            return vault.open(codes, check_same_thread=False, check_later=check_later)

    window = MainWindow(
        settings,
        locale,
        tasks,
        lambda: KnowledgeStore.open(knowledge_db_path(base), check_same_thread=False),
        open_cases,
        base,
        "Test Coordinator",
        vault=vault,
        session=session,
    )
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.ready, timeout=20000):
        window.load_store()
    return window


@pytest.fixture
def window(qtbot, data_dir: Path) -> MainWindow:
    data_dir.mkdir(parents=True, exist_ok=True)
    win = make_window(qtbot, data_dir)
    yield win
    win.tasks.wait()
