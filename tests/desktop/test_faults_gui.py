"""Faults named right in the window, and nothing lost or leaked: a plain store the coordinator did not
choose here is warned about first, a full store keeps what was typed and says why, a read-only data
folder is called that (never damaged), and a restore names the cases it would discard.

Real files and real processes: the plain store is made by the real command line; the full store is
SQLite's own limit (max_page_count, SQLITE_FULL as on a full disk); the read-only folder is made with
the folder's mode, or the immutable attribute for root (tests/real_faults.py).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from db.knowledge_store import KnowledgeStore
from db.paths import cases_db_path, knowledge_db_path
from db.vault import CaseVault
from desktop.security.access import Card, DamagedForm, SetupForm
from desktop.shell.main_window import MainWindow
from planning.case import empty_document
from services.backups import newer_in_store
from services.settings import Settings
from tests.desktop.conftest import make_window
from tests.real_faults import read_only_folder

PASS = "correct horse battery"
CODES = {"lbcl", "mm", "b_all"}


@pytest.fixture
def base(data_dir: Path) -> Path:
    data_dir.mkdir(parents=True, exist_ok=True)
    return data_dir


def store_made_by_the_command_line(base: Path, tmp_path: Path) -> Path:
    document = empty_document()
    document["patient"].update(full_name="Commandline Patient", date_of_birth="1970-05-01", language="en")
    document["clinical"]["indication"] = "lbcl"
    source = tmp_path / "case.json"
    source.write_text(json.dumps(document), "utf-8")
    env = {k: v for k, v in os.environ.items() if k != "CAREPLAN_PASSPHRASE"}
    env["CAREPLAN_DATA_DIR"] = str(base)
    result = subprocess.run(
        [sys.executable, "-m", "cli", "case", "import", "--no-encryption", str(source)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return cases_db_path(base)


def wait_for_cases(qtbot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.cases is not None and window.gate.curtain is None, timeout=20000)


def test_a_plain_store_the_command_line_made_is_warned_about_before_it_is_used(
    qtbot, base: Path, tmp_path: Path
) -> None:
    path = store_made_by_the_command_line(base, tmp_path)
    window = make_window(qtbot, base, vault=CaseVault(path))
    form = window.gate.form
    assert isinstance(form, SetupForm) and form.objectName() == "plainStoreForm" and form.isVisible()
    assert window.cases is None  # no patient shown before the choice
    assert "not chosen in CarePlan Desk" in form.findChild(type(form.message), "plainStoreText").text()

    qtbot.mouseClick(form.plain_button, Qt.MouseButton.LeftButton)
    box = form.last_question
    yes = next(b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole)
    qtbot.mouseClick(yes, Qt.MouseButton.LeftButton)
    wait_for_cases(qtbot, window)
    assert window.cases.model.rowCount() == 1
    assert CaseVault(path).plain_chosen()  # the choice is recorded in the store
    window.close()
    window.shutdown()

    again = make_window(qtbot, base, vault=CaseVault(path))  # the next start: chosen, so no question
    wait_for_cases(qtbot, again)


def test_the_window_offers_to_encrypt_a_plain_store_it_did_not_make(qtbot, base: Path, tmp_path: Path) -> None:
    path = store_made_by_the_command_line(base, tmp_path)
    assert CaseVault(path).list_backups()  # a plain backup made by the command line
    window = make_window(qtbot, base, vault=CaseVault(path))
    form = window.gate.form
    assert isinstance(form, SetupForm) and form.existing_plain
    form.passphrase.setText(PASS)
    form.repeat.setText(PASS)
    qtbot.mouseClick(form.encrypt_button, Qt.MouseButton.LeftButton)
    wait_for_cases(qtbot, window)
    assert window.cases.model.rowCount() == 1
    vault = CaseVault(path)
    assert vault.state() == "encrypted"
    for backup in vault.list_backups():
        assert b"Commandline Patient" not in backup.path.read_bytes()
    vault.unlock(PASS)


def test_a_save_the_full_store_refuses_keeps_what_was_typed_and_says_why(qtbot, window: MainWindow) -> None:
    page = window.cases
    stored = page.new_case()
    store = window.cases_store
    pages = store.db.execute("PRAGMA page_count").fetchone()[0]
    store.db.execute(f"PRAGMA max_page_count = {pages}")  # SQLite's own SQLITE_FULL, as on a full disk
    editor = page.editor
    notes = editor.fields["clinical.notes"]
    notes.set_value("typed while the disk is full " + "n" * 60_000)
    editor._changed("clinical.notes")
    editor.flush()
    said = editor.save_state.text()
    assert said == "Not saved yet: The disk is full. Free some space and try again; nothing was lost."
    assert editor.has_pending()  # still in the form, to be saved
    assert "damaged" not in said

    store.db.execute("PRAGMA max_page_count = 1073741823")  # room again: the retry saves it
    editor._retry.setInterval(10)
    qtbot.waitUntil(lambda: not editor.has_pending(), timeout=10000)
    assert editor.save_failure is None
    assert store.get(stored.id).document["clinical"]["notes"].startswith("typed while the disk is full")


def test_a_read_only_data_folder_is_said_so_at_start_and_no_restore_is_offered(qtbot, base: Path) -> None:
    vault = CaseVault(cases_db_path(base))
    vault.setup(PASS)
    store = vault.open(CODES)
    store.create(empty_document(), "Desk One")
    store.close()
    knowledge = KnowledgeStore.open(knowledge_db_path(base))  # held open: its -wal and -shm stay, so it opens
    knowledge.ensure_current()
    Settings(base).update(setup_done=True)  # the coordinator set up before the folder became read-only
    with read_only_folder(base):
        window = make_window(qtbot, base, vault=CaseVault(vault.path))
        unlock = window.gate.form
        unlock.passphrase.setText(PASS)
        qtbot.mouseClick(unlock.button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not unlock.busy, timeout=20000)
        shown = [w for w in (unlock.message, *window.findChildren(Card)) if w.isVisible()]
        text = " ".join(
            label.text()
            for w in shown
            for label in ([w] if hasattr(w, "text") else w.findChildren(type(unlock.message)))
        )
        window.close()
        window.shutdown()
    knowledge.close()
    assert not isinstance(window.gate.form, DamagedForm)
    assert f"The data folder {base} is read-only, so nothing could be saved." in text
    assert "damaged" not in text.lower() and "restore" not in text.lower()


def test_settings_lists_the_replaced_store_and_names_the_cases_a_restore_would_discard(
    qtbot, window: MainWindow
) -> None:
    store, vault = window.cases_store, window.vault
    window.tasks.wait()
    old = vault.backup(datetime.now(UTC) - timedelta(hours=3))  # an older backup without the cases below
    for name in ("Newer One", "Newer Two"):
        document = empty_document()
        document["patient"]["full_name"] = name
        store.create(document, "Test Coordinator")
    section = window.settings_page.security
    section.show_backups()
    row = next(r for r in range(section.table.rowCount()) if section.table.item(r, 0).data(0x0100).path == old.path)
    section.select_backup(row)
    section.confirm_restore()
    qtbot.waitUntil(lambda: section.last_message is not None and section.last_message.isVisible(), timeout=10000)
    box = section.last_message
    assert "2 cases in the app are newer than in this backup" in box.informativeText()
    assert "Newer One" in box.detailedText() and "Newer Two" in box.detailedText()
    confirm = box.findChild(type(box.button(QMessageBox.StandardButton.Cancel)), "restoreConfirmed")
    assert confirm.text() == "Restore and discard these changes"
    box.button(QMessageBox.StandardButton.Cancel).click()

    replaced = vault.path.with_name(vault.path.name + ".replaced-20261120-103000")
    replaced.write_bytes(old.path.read_bytes())
    section.show_backups()
    labels = [section.table.item(r, 0).text() for r in range(section.table.rowCount())]
    assert any(label.startswith("Replaced on ") for label in labels)
    found = [section.table.item(r, 0).data(0x0100) for r in range(section.table.rowCount())]
    assert any(b.replaced and b.path == replaced for b in found)


def test_the_damaged_panel_names_the_cases_newer_than_the_backup(qtbot, base: Path) -> None:
    vault = CaseVault(cases_db_path(base))
    vault.setup(None)
    store = vault.open(CODES)  # the start-up backup: no cases
    document = empty_document()
    document["patient"]["full_name"] = "Only Inthestore"
    store.create(document, "Desk One")
    store.close()
    backup = vault.list_backups()[0]
    comparison = newer_in_store(vault, backup.path)
    assert comparison is not None and [c.full_name for c in comparison.newer] == ["Only Inthestore"]
    form = DamagedForm("a problem", vault.path, backup)
    qtbot.addWidget(form)
    form.show_newer(comparison)
    text = form.findChild(type(form.message), "newerCases").text()
    assert "newer than the backup" in text and "Only Inthestore" in text


def test_closing_with_changes_the_full_disk_refused_asks_first(qtbot, window: MainWindow) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    page = window.cases
    page.new_case()
    store = window.cases_store
    pages = store.db.execute("PRAGMA page_count").fetchone()[0]
    store.db.execute(f"PRAGMA max_page_count = {pages}")
    editor = page.editor
    editor.fields["clinical.notes"].set_value("typed while the disk is full " + "n" * 60_000)
    editor._changed("clinical.notes")
    editor.flush()
    assert editor.has_pending()
    seen: list[str] = []

    def answer(label: str) -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox) and box.objectName() == "unsavedOnClose"
        seen.append(box.informativeText())
        next(b for b in box.buttons() if b.text() == label).click()

    QTimer.singleShot(0, lambda: answer("Keep the window open"))
    assert not window.close()  # refused: the typed text stays in the form
    assert window.isVisible() and editor.has_pending()
    assert "The disk is full" in seen[0] and "lost" in seen[0]

    QTimer.singleShot(0, lambda: answer("Close and lose them"))
    assert window.close()
    store.db.execute("PRAGMA max_page_count = 1073741823")
