"""Getting to the patient data at start: first start (encrypted or a warned plain choice), unlocking
with wrong tries slowed down, and a damaged store restored from its newest good backup."""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from db.case_store import CaseQuery
from db.paths import cases_db_path
from db.vault import CaseVault
from desktop.cases.page import sample_documents
from desktop.security.access import TICK_MS, Curtain, DamagedForm, SetupForm, UnlockForm
from desktop.shell.main_window import MainWindow
from planning.knowledge.pack import load_pack
from tests.desktop.conftest import FakeClock, make_window

PASS = "correct horse battery"
CODES = frozenset(i.code for i in load_pack().indications)


@pytest.fixture
def base(data_dir: Path) -> Path:
    data_dir.mkdir(parents=True, exist_ok=True)
    return data_dir


def existing_store(base: Path, passphrase: str | None = PASS) -> tuple[Path, list[str]]:
    """An encrypted (or plain) store with the sample cases, closed; returns its path and the names."""
    vault = CaseVault(cases_db_path(base))
    vault.setup(passphrase)
    store = vault.open(CODES)
    names = [store.create(document, "Desk One").row.full_name for document in sample_documents()[:3]]
    store.close()
    return vault.path, names


def curtain_of(window: MainWindow) -> Curtain:
    curtains = [c for c in window.findChildren(Curtain) if c.parentWidget() is window and c.isVisible()]
    assert len(curtains) == 1
    return curtains[0]


def wait_for_cases(qtbot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.cases is not None and window.gate.curtain is None, timeout=20000)


def test_first_start_sets_a_passphrase_and_the_file_is_really_encrypted(qtbot, base: Path) -> None:
    vault = CaseVault(cases_db_path(base))
    window = make_window(qtbot, base, vault=vault)
    form = window.gate.form
    assert isinstance(form, SetupForm) and form.isVisible()
    curtain = curtain_of(window)
    assert curtain.geometry() == window.rect()
    assert window.cases is None and not vault.path.exists()

    qtbot.keyClicks(form.passphrase, "short")
    qtbot.mouseClick(form.encrypt_button, Qt.MouseButton.LeftButton)
    assert form.message.isVisible() and form.message.text().startswith("Passphrase:")
    assert not vault.path.exists()  # nothing is created from bad input
    form.passphrase.setText(PASS)
    qtbot.keyClicks(form.repeat, PASS + "x")
    qtbot.mouseClick(form.encrypt_button, Qt.MouseButton.LeftButton)
    assert form.message.text().startswith("Repeat passphrase:")
    assert form.repeat.echoMode() == form.repeat.EchoMode.Password
    form.show_box.setChecked(True)
    assert form.repeat.echoMode() == form.repeat.EchoMode.Normal
    form.repeat.setText(PASS)
    qtbot.mouseClick(form.encrypt_button, Qt.MouseButton.LeftButton)
    wait_for_cases(qtbot, window)

    assert vault.state() == "encrypted"
    window.cases_store.create(sample_documents()[0], "Desk One")
    window.flush()
    window.close()
    window.shutdown()
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(vault.path).execute("SELECT count(*) FROM sqlite_master").fetchone()
    again = CaseVault(vault.path)
    again.unlock(PASS)
    store = again.open(CODES)
    assert len(store.page(CaseQuery())[0]) == 1
    store.close()


def test_continuing_without_encryption_warns_and_asks_first(qtbot, base: Path) -> None:
    vault = CaseVault(cases_db_path(base))
    window = make_window(qtbot, base, vault=vault)
    form = window.gate.form
    assert isinstance(form, SetupForm)

    qtbot.mouseClick(form.plain_button, Qt.MouseButton.LeftButton)
    box = form.last_question
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert "unencrypted" in box.text() and "read every case" in box.informativeText()
    back = next(b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.RejectRole)
    qtbot.mouseClick(back, Qt.MouseButton.LeftButton)  # changed their mind: still on the first-start panel
    qtbot.waitUntil(lambda: not box.isVisible())
    assert window.gate.form is form and not vault.path.exists()

    qtbot.mouseClick(form.plain_button, Qt.MouseButton.LeftButton)
    box = form.last_question
    yes = next(b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole)
    qtbot.mouseClick(yes, Qt.MouseButton.LeftButton)
    wait_for_cases(qtbot, window)
    assert vault.state() == "plain"
    window.cases_store.create(sample_documents()[0], "Desk One")
    window.close()
    window.shutdown()
    assert sqlite3.connect(vault.path).execute("SELECT count(*) FROM cases").fetchone()[0] == 1


def test_a_plain_store_opens_without_any_panel(qtbot, base: Path) -> None:
    existing_store(base, None)
    window = make_window(qtbot, base, vault=CaseVault(cases_db_path(base)))
    wait_for_cases(qtbot, window)
    assert window.cases.model.rowCount() == 3


def test_the_check_and_start_up_backup_run_in_the_background_after_the_cases_are_shown(qtbot, base: Path) -> None:
    path, _names = existing_store(base)
    for backup in CaseVault(path).list_backups():
        backup.path.unlink()
    vault = CaseVault(path)
    vault.unlock(PASS)
    window = make_window(qtbot, base, vault=vault, check_later=True)
    wait_for_cases(qtbot, window)
    assert window.cases.model.rowCount() == 3
    qtbot.waitUntil(lambda: len(vault.list_backups()) == 1 and not vault.pending_check, timeout=10000)
    window.tasks.wait()


def test_unlock_wrong_then_right_waits_longer_each_time_and_never_writes(qtbot, base: Path, clock: FakeClock) -> None:
    path, names = existing_store(base)
    before = {p.name: p.read_bytes() for p in base.glob("cases.sqlite*")}
    window = make_window(qtbot, base, vault=CaseVault(path))
    form = window.gate.form
    assert isinstance(form, UnlockForm) and form.clock is window.gate.clock  # the gate's clock decides the wait
    assert window.cases is None  # no patient data before unlocking
    form.clock = clock  # the waits are decided from a clock the test moves: nothing sleeps through them
    soon = max(5 * TICK_MS, 1500)  # ms for the countdown to see the clock moved: shorter than waits of 2 and 4 s

    for attempt, delay in ((1, 1), (2, 2), (3, 4)):
        form.passphrase.setText("not the passphrase")
        qtbot.keyClick(form.passphrase, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: form.remaining > 0, timeout=10000)  # the key is derived off the GUI thread
        assert form.remaining == delay, attempt
        assert window.gate.failures == attempt
        assert "Wrong passphrase" in form.message.text()
        assert not form.button.isEnabled() and not form.passphrase.isEnabled()
        form.passphrase.setText(PASS)
        form.submit()  # refused while waiting
        assert not form.busy
        clock.advance(delay - 0.5)
        qtbot.waitUntil(lambda: "Try again in 1 second." in form.message.text(), timeout=soon)
        form.submit()  # still refused half a second before the end
        assert not form.busy and not form.button.isEnabled()
        clock.advance(0.55)
        qtbot.waitUntil(lambda: form.button.isEnabled(), timeout=soon)
        assert form.passphrase.isEnabled() and form.remaining == 0
    assert window.cases is None
    assert {p.name: p.read_bytes() for p in base.glob("cases.sqlite*")} == before

    form.passphrase.setText(PASS)
    qtbot.mouseClick(form.button, Qt.MouseButton.LeftButton)
    wait_for_cases(qtbot, window)
    shown = {window.cases.model.rows[i].full_name for i in range(window.cases.model.rowCount())}
    assert shown == set(names)


def damage(path: Path, at: int) -> None:
    with open(path, "r+b") as file:
        file.seek(at)
        file.write(os.urandom(600))


@pytest.mark.parametrize("where", [200, 4096 * 2 + 100], ids=["first page", "later page"])
def test_a_damaged_store_offers_the_newest_good_backup_and_restores_it(qtbot, base: Path, where: int) -> None:
    path, _names = existing_store(base)
    vault = CaseVault(path)
    vault.unlock(PASS)
    older = vault.list_backups()[0]
    store = vault.open(CODES)  # a second start: the newest backup holds one more case
    store.create(sample_documents()[3], "Desk One")
    store.close()
    newest = vault.backup()
    assert newest.made_at >= older.made_at
    damage(path, where)

    window = make_window(qtbot, base, vault=CaseVault(path))
    unlock = window.gate.form
    unlock.passphrase.setText(PASS)
    qtbot.mouseClick(unlock.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(window.gate.form, DamagedForm), timeout=20000)
    form = window.gate.form
    assert window.cases is None  # never silently started empty
    assert form.backup is not None and form.backup.path == newest.path
    info = form.findChild(type(form.message), "backupInfo").text()
    assert newest.path.name in info
    assert curtain_of(window).geometry() == window.rect()

    qtbot.mouseClick(form.restore_button, Qt.MouseButton.LeftButton)
    wait_for_cases(qtbot, window)
    assert window.cases.model.rowCount() == 4
    assert list(base.glob("cases.sqlite.replaced-*"))  # the damaged file is kept aside
    restored = [e for e in window.cases_store.audit_entries() if e.action == "backup_restored"]
    assert len(restored) == 1 and restored[0].detail == newest.path.name


def test_a_damaged_store_without_a_backup_says_so_and_offers_only_quit(qtbot, base: Path) -> None:
    path, _names = existing_store(base)
    for backup in CaseVault(path).list_backups():
        backup.path.unlink()
    damage(path, 4096 * 2 + 100)
    before = path.read_bytes()
    window = make_window(qtbot, base, vault=CaseVault(path))
    window.gate.form.passphrase.setText(PASS)
    qtbot.mouseClick(window.gate.form.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(window.gate.form, DamagedForm), timeout=20000)
    form = window.gate.form
    assert form.restore_button is None
    note = form.findChild(type(form.message), "noBackup").text()
    assert "no good backup" in note and str(path) in note
    assert path.read_bytes() == before and window.cases is None
    qtbot.mouseClick(form.quit_button, Qt.MouseButton.LeftButton)
    assert not window.isVisible()


def test_a_restore_from_settings_rebuilds_the_window_and_is_audited(data_dir: Path) -> None:
    """The real application: Settings' "Restore this backup" closes the stores, restores, reopens."""
    import subprocess
    import sys

    data_dir.mkdir(parents=True, exist_ok=True)
    path, _names = existing_store(data_dir, None)
    vault = CaseVault(path)
    backup = vault.backup(datetime.now(UTC) - timedelta(minutes=5))  # not the start-up backup's second
    store = vault.open(CODES, startup_backup=False)
    store.create(sample_documents()[4], "Desk One")  # made after the backup: gone after restoring
    store.close()
    script = f"""
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
state = {{"step": 0}}
def drive():
    from desktop.shell.main_window import MainWindow
    windows = [w for w in app.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible() and w.cases]
    if not windows:
        QTimer.singleShot(20, drive); return
    window = windows[0]
    if state["step"] == 0:
        state["step"] = 1
        window.restore_requested.emit({str(backup.path)!r})
        QTimer.singleShot(20, drive); return
    print("cases", window.cases.model.rowCount(), flush=True)
    print("audit", [e.detail for e in window.cases_store.audit_entries() if e.action == "backup_restored"], flush=True)
    app.quit()
QTimer.singleShot(0, drive)
from desktop.app import main
main([])
"""
    env = {
        **os.environ,
        "CAREPLAN_DATA_DIR": str(data_dir),
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
    }
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "cases 3" in result.stdout, result.stdout + result.stderr
    assert f"audit ['{backup.path.name}']" in result.stdout
    assert list(data_dir.glob("cases.sqlite.replaced-*"))
    assert "Traceback" not in result.stderr


def test_a_damaged_page_past_the_schema_leads_the_real_app_to_the_restore_panel(data_dir: Path) -> None:
    """The real application: the schema still reads, so the store opens; reading the list or the check
    after opening finds the damaged page; nothing is written, no backup is made of it, and a new
    window offers the newest good backup."""
    import subprocess
    import sys

    data_dir.mkdir(parents=True, exist_ok=True)
    path, _names = existing_store(data_dir)
    vault = CaseVault(path)
    vault.unlock(PASS)
    store = vault.open(CODES, startup_backup=False)
    for number in range(80):
        store.create({**sample_documents()[0], "reference": None}, f"Desk {number}")
    store.close()
    good = vault.backup()  # the newest: after the start-up backup of existing_store
    size = path.stat().st_size
    with open(path, "r+b") as file:
        file.seek((size // 2) // 4096 * 4096)
        file.write(b"\x5a" * 4096)
    script = f"""
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
state = {{"typed": False, "opened": False}}
def drive():
    from desktop.security.access import DamagedForm, UnlockForm
    from desktop.shell.main_window import MainWindow
    windows = [w for w in app.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
    window = windows[-1] if windows else None
    form = window.gate.form if window is not None and window.gate is not None else None
    if isinstance(form, UnlockForm) and not state["typed"]:
        state["typed"] = True
        form.passphrase.setText({PASS!r})
        form.submit()
    if window is not None and window.cases is not None:
        state["opened"] = True
    if isinstance(form, DamagedForm) and form.isVisible():
        print("opened first", state["opened"], flush=True)
        print("offered", form.backup.path.name, flush=True)
        app.quit()
        return
    QTimer.singleShot(20, drive)
QTimer.singleShot(0, drive)
from desktop.app import main
main([])
"""
    env = {
        **os.environ,
        "CAREPLAN_DATA_DIR": str(data_dir),
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
    }
    before = path.read_bytes()
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert f"offered {good.path.name}" in result.stdout, result.stdout + result.stderr
    assert path.read_bytes() == before  # the damaged file was neither written nor replaced
    assert CaseVault(path).list_backups()[0].path == good.path  # no backup was made of the damage
    assert "Traceback" not in result.stderr


def test_the_knowledge_store_opens_while_the_unlock_panel_waits(qtbot, base: Path) -> None:
    path, _names = existing_store(base)
    window = make_window(qtbot, base, vault=CaseVault(path))  # make_window waits for `ready`
    assert window.store is not None and window.cases is None
    assert not window.centralWidget().isEnabled()
    assert isinstance(window.gate.form, UnlockForm) and window.gate.form.isVisible()
