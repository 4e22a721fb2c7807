"""GUI fixtures: the real main window on a fresh data directory, with its store loaded."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from db.case_store import CaseStore
from db.knowledge_store import KnowledgeStore
from db.paths import cases_db_path, knowledge_db_path
from desktop.main_window import MainWindow
from desktop.tasks import TaskRunner


def make_window(qtbot, base: Path, locale: str = "en") -> MainWindow:
    settings = QSettings(str(base / "settings.ini"), QSettings.Format.IniFormat)
    tasks = TaskRunner()
    window = MainWindow(
        settings,
        locale,
        tasks,
        lambda: KnowledgeStore.open(knowledge_db_path(base), check_same_thread=False),
        lambda codes: CaseStore.open(cases_db_path(base), codes, check_same_thread=False),
        base,
        "Test Coordinator",
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
