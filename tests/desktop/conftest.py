"""GUI fixtures: the real main window on a fresh data directory, its case store opened through the
vault as desktop/app.py opens it (plain, or encrypted and unlocked with a passphrase), and a clock
that moves only when a test moves it."""

from __future__ import annotations

from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QSettings, Qt

from db.knowledge_store import KnowledgeStore
from db.paths import cases_db_path, knowledge_db_path
from db.vault import CaseVault
from desktop.security.access import UnlockForm
from desktop.shared.tasks import TaskRunner
from desktop.shell.main_window import MainWindow
from desktop.shell.session import Session
from services.settings import Settings, needs_setup

PASSPHRASE = "correct horse battery"
"""The passphrase of the ``encrypted_window`` fixture's store."""


class FakeClock:
    """Monotonic seconds that move only when ``advance`` is called: give it as the lock's or the unlock
    form's ``clock`` and no test sleeps through idle minutes or a wrong passphrase's wait."""

    def __init__(self, now: float = 1000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def _stop(window: MainWindow) -> None:
    """Before pytest-qt closes a window: no lock left filtering the application's input for the next
    test, and no background work (the start-up check and backup) still running in the data directory."""
    if not shiboken6.isValid(window):
        return
    if window.lock is not None:
        window.lock.disarm()
    window.tasks.wait()


def make_window(
    qtbot,
    base: Path,
    locale: str = "en",
    vault: CaseVault | None = None,
    check_later: bool = False,
    session: Session | None = None,
    passphrase: str | None = None,
    set_up: bool = True,
) -> MainWindow:
    """The real window, its case store opened through a CaseVault as desktop/app.py opens it.

    Without ``vault`` (the usual case) it is a start of the app: a new CaseVault on the data
    directory, holding no key, the cases opened through it with ``check_later`` as the app does (the
    full check and the start-up backup run in the background once the list is shown), and the window
    returned once the case list is shown. A new store is first set up as the first-start panel sets
    it up on the user's choice: plain ("Continue without encryption") when ``passphrase`` is None, else
    encrypted with it. An encrypted store is unlocked by typing ``passphrase`` into the unlock form.

    With ``vault`` (tests of the first start, unlocking and damaged stores) the window is returned
    once the knowledge store is loaded, with whatever the vault's panel shows; ``check_later`` as given.

    ``set_up``: the data directory's first-run set-up counts as done (skipped), so it does not cover the window;
    False leaves a new data directory as it is, and the set-up shows once the cases are open.
    """
    if set_up and needs_setup(Settings(base).load()):
        Settings(base).update(setup_done=True)
    settings = QSettings(str(base / "settings.ini"), QSettings.Format.IniFormat)
    tasks = TaskRunner()
    starting = vault is None
    if vault is None:
        base.mkdir(parents=True, exist_ok=True)
        path = cases_db_path(base)
        if CaseVault(path).state() == "new":
            CaseVault(path).setup(passphrase)  # the first-start choice: the call its panel makes
        vault = CaseVault(path)  # as desktop/app.py: a new vault at each start, holding no key
        check_later = True

    def open_cases(codes):
        return vault.open(codes, check_same_thread=True, check_later=check_later)

    window = MainWindow(
        settings,
        locale,
        tasks,
        lambda: KnowledgeStore.open(knowledge_db_path(base)),
        open_cases,
        base,
        "Test Coordinator",
        vault=vault,
        session=session,
    )
    qtbot.addWidget(window, before_close_func=_stop)
    opened: list[bool] = []
    window.cases_ready.connect(lambda: opened.append(True))
    window.show()
    with qtbot.waitSignal(window.ready, timeout=20000):
        window.load_store()
    if starting:
        form = window.gate.form
        if isinstance(form, UnlockForm):  # an encrypted store: typed in as a person would
            assert passphrase is not None, "the store is encrypted: give make_window its passphrase"
            qtbot.keyClicks(form.passphrase, passphrase)
            qtbot.keyClick(form.passphrase, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: bool(opened), timeout=20000)
    return window


@pytest.fixture
def window(qtbot, data_dir: Path) -> MainWindow:
    """The main window on a plain case store (the first-start choice "Continue without encryption")."""
    data_dir.mkdir(parents=True, exist_ok=True)
    win = make_window(qtbot, data_dir)
    yield win
    win.tasks.wait()


@pytest.fixture
def encrypted_window(qtbot, data_dir: Path) -> MainWindow:
    """The main window on a case store encrypted with ``PASSPHRASE``, unlocked through the unlock form."""
    data_dir.mkdir(parents=True, exist_ok=True)
    win = make_window(qtbot, data_dir, passphrase=PASSPHRASE)
    yield win
    win.tasks.wait()
