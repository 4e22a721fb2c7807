"""Settings, Security and Backups: change or set the passphrase, lock after idle, back up now, restore.

Real stores on a fresh data directory (SQLCipher files), the real Settings page, the real TaskRunner.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from db import backups
from db.case_store import CaseQuery, CaseStore
from db.crypto import WrongPassphrase, key_for
from db.knowledge_store import KnowledgeStore
from db.vault import CaseVault
from desktop.security.section import SecuritySection, passphrase_problems
from desktop.settings.page import SettingsPage
from desktop.shared.tasks import TaskRunner
from planning.i18n import format_local_time as local_time
from planning.i18n import format_size
from services.settings import Settings

CODES = {"lbcl", "mm", "b_all"}
OLD, NEW = "old passphrase", "a new passphrase"
WHO = "Desk One"


class Setup:
    def __init__(self, qtbot, base: Path, passphrase: str | None):
        base.mkdir(parents=True, exist_ok=True)
        self.base = base
        self.vault = CaseVault(base / "cases.sqlite")
        self.vault.setup(passphrase)
        self.store = self.vault.open(CODES)  # makes the start-up backup
        self.store.create({"patient": {"full_name": "Alma Test"}}, WHO)
        self.settings = QSettings(str(base / "settings.ini"), QSettings.Format.IniFormat)
        self.knowledge = KnowledgeStore.open(base / "knowledge.sqlite")
        self.knowledge.ensure_current()
        self.tasks = TaskRunner()
        self.opened: list[Path] = []
        self.page = SettingsPage(self.settings, self.knowledge, "en")
        qtbot.addWidget(self.page)
        self.section: SecuritySection = self.page.set_security(
            self.vault, self.store, WHO, tasks=self.tasks, opener=self.opened.append
        )
        self.page.show()

    def close(self) -> None:
        self.tasks.wait()
        self.store.close()
        self.knowledge.close()


@pytest.fixture
def encrypted(qtbot, data_dir: Path) -> Iterator[Setup]:
    setup = Setup(qtbot, data_dir, OLD)
    yield setup
    setup.close()


@pytest.fixture
def plain(qtbot, data_dir: Path) -> Iterator[Setup]:
    setup = Setup(qtbot, data_dir, None)
    yield setup
    setup.close()


def opens(path: Path, passphrase: str) -> bool:
    try:
        key = key_for(path, passphrase)
        return backups.problems(path, key) is None
    except WrongPassphrase:
        return False


def fill(dialog, **values: str) -> None:
    for key, text in values.items():
        dialog.edits[key].setText(text)


def test_the_section_says_the_data_is_encrypted(encrypted: Setup) -> None:
    section = encrypted.section
    assert section.state.text() == "Patient data is encrypted with your passphrase."
    assert section.passphrase_button.text() == "Change passphrase…"
    assert section.isVisibleTo(encrypted.page)


def test_changing_the_passphrase_rekeys_the_store_and_every_backup(encrypted: Setup, qtbot) -> None:
    section, vault = encrypted.section, encrypted.vault
    encrypted.vault.backup(datetime.now(UTC) - timedelta(hours=3))  # a second, older backup
    before = [b.path for b in vault.list_backups()]
    assert len(before) == 2 and all(opens(path, OLD) for path in before)
    dialog = section.open_passphrase_dialog()
    assert dialog.current is not None  # an encrypted store asks for the current passphrase
    fill(dialog, current=OLD, new=NEW, repeat=NEW)
    with qtbot.waitSignal(dialog.accepted, timeout=20000):
        assert dialog.submit()
        assert dialog.progress.isVisibleTo(dialog)  # busy while re-encrypting
        assert not dialog.buttons.isEnabled()
    assert not opens(vault.path, OLD)
    assert opens(vault.path, NEW)
    assert [b.path for b in vault.list_backups()] == before
    assert all(opens(path, NEW) and not opens(path, OLD) for path in before)
    # the open store keeps working under the new key, and the change is in the audit log
    assert encrypted.store.audit_entries(limit=1)[0].action == "passphrase_changed"
    assert encrypted.store.audit_entries(limit=1)[0].who == WHO
    assert vault.matches(NEW) and not vault.matches(OLD)
    assert "passphrase is changed" in section.backup_status.text()
    # a fresh vault opens with the new passphrase and finds the case
    again = CaseVault(vault.path)
    with pytest.raises(WrongPassphrase):
        again.unlock(OLD)
    again.unlock(NEW)
    reopened = CaseStore.open(vault.path, CODES, key=again.key)
    assert reopened.count(CaseQuery()) == 1
    reopened.close()


def test_a_wrong_current_passphrase_is_named_and_changes_nothing(encrypted: Setup, qtbot) -> None:
    dialog = encrypted.section.open_passphrase_dialog()
    fill(dialog, current="not the passphrase", new=NEW, repeat=NEW)
    header = encrypted.vault.path.read_bytes()[:16]
    assert dialog.submit()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=20000)
    assert dialog.errors["current"].isVisibleTo(dialog)
    assert dialog.errors["current"].text() == "This is not the current passphrase."
    assert dialog.isVisible()  # still open, to try again
    assert opens(encrypted.vault.path, OLD) and not opens(encrypted.vault.path, NEW)
    assert encrypted.vault.path.read_bytes()[:16] == header
    assert encrypted.store.audit_entries(limit=1)[0].action != "passphrase_changed"


def test_each_entry_problem_is_named_at_its_field(encrypted: Setup) -> None:
    dialog = encrypted.section.open_passphrase_dialog()
    fill(dialog, current="", new="short", repeat="short")
    assert not dialog.submit()
    assert dialog.errors["current"].text() == "Enter the passphrase you use now."
    assert dialog.errors["new"].text() == "Must be at least 8 characters."
    assert not dialog.errors["repeat"].isVisibleTo(dialog)
    fill(dialog, current=OLD, new=NEW, repeat=NEW + "x")
    assert not dialog.submit()
    assert dialog.errors["repeat"].text() == "The two entries differ."
    assert not dialog.errors["new"].isVisibleTo(dialog) and not dialog.errors["current"].isVisibleTo(dialog)
    assert not dialog.busy and opens(encrypted.vault.path, OLD)
    assert passphrase_problems(NEW, NEW, None) == {}


def test_a_plain_store_is_encrypted_from_settings(plain: Setup, qtbot) -> None:
    section, vault = plain.section, plain.vault
    assert vault.state() == "plain"
    assert "NOT encrypted" in section.state.text()
    assert section.passphrase_button.text() == "Encrypt patient data…"
    dialog = section.open_passphrase_dialog()
    assert dialog.current is None and "current" not in dialog.edits
    fill(dialog, new=NEW, repeat=NEW)
    with qtbot.waitSignal(dialog.accepted, timeout=20000):
        dialog.submit()
    assert vault.state() == "encrypted"
    assert not vault.path.read_bytes().startswith(b"SQLite format 3")
    assert opens(vault.path, NEW)
    assert section.state.text() == "Patient data is encrypted with your passphrase."
    assert section.passphrase_button.text() == "Change passphrase…"
    found = vault.list_backups()
    assert found and all(opens(b.path, NEW) for b in found)
    assert section.table.rowCount() == len(found)
    # the open store works on (now encrypted) and recorded the change
    assert plain.store.audit_entries(limit=1)[0].action == "encryption_enabled"
    assert plain.store.count(CaseQuery()) == 1


def test_lock_minutes_are_kept_and_announced(encrypted: Setup, qtbot) -> None:
    section = encrypted.section
    assert section.lock.value() == 10  # the default
    with qtbot.waitSignal(encrypted.page.lock_minutes_changed) as signal:
        section.lock.setValue(25)
    assert signal.args == [25]
    assert Settings(encrypted.base).load().lock_minutes == 25  # where the command line reads it too
    section.lock.setValue(0)
    assert section.lock.text() == "Never"
    page = SettingsPage(encrypted.settings, encrypted.knowledge, "en")
    qtbot.addWidget(page)
    again = page.set_security(encrypted.vault, encrypted.store, WHO, tasks=encrypted.tasks)
    assert again.lock.value() == 0


def test_back_up_now_adds_a_row(encrypted: Setup, qtbot) -> None:
    section = encrypted.section
    assert section.table.rowCount() == 1
    note = section.findChild(type(section.state), "backupNote").text()
    assert "the 14 newest are kept and none older than 30 days" in note
    assert "leaves the backups within 30 days" in note
    qtbot.wait(1100)  # backups are named by the second
    section.back_up_now()
    assert section.backup_busy.isVisibleTo(section) and not section.backup_button.isEnabled()
    qtbot.waitUntil(lambda: not section.backing_up, timeout=20000)
    assert section.table.rowCount() == 2
    assert len(encrypted.vault.list_backups()) == 2
    newest = encrypted.vault.list_backups()[0]
    assert section.table.item(0, 0).data(0x0100) == newest
    assert section.table.item(0, 1).text() == format_size(newest.size)
    assert section.backup_status.text().startswith("Backup made:")
    assert opens(newest.path, OLD)


def test_restore_asks_first_then_names_the_backup(encrypted: Setup, qtbot) -> None:
    section = encrypted.section
    encrypted.vault.backup(datetime.now(UTC) - timedelta(hours=5))
    section.show_backups()
    assert not section.restore_button.isEnabled()  # nothing selected
    section.select_backup(1)
    assert section.restore_button.isEnabled()
    chosen = encrypted.vault.list_backups()[1].path
    emitted: list[object] = []
    encrypted.page.restore_requested.connect(emitted.append)

    section.confirm_restore()  # compared with the store in the background, then asked
    qtbot.waitUntil(lambda: section.last_message is not None and section.last_message.isVisible(), timeout=10000)
    box = section.last_message
    assert "replaced" in box.informativeText() and "kept aside" in box.informativeText()
    assert "newer" not in box.informativeText()  # the backup holds every case as it is now
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert emitted == []

    section.last_message = None
    section.restore_button.click()
    qtbot.waitUntil(lambda: section.last_message is not None and section.last_message.isVisible(), timeout=10000)
    box = section.last_message
    with qtbot.waitSignal(encrypted.page.restore_requested) as signal:
        box.findChild(type(box.button(QMessageBox.StandardButton.Cancel)), "restoreConfirmed").click()
    assert signal.args == [chosen]
    assert emitted == [chosen]
    assert encrypted.vault.path.exists()  # the page only asks; the window restores


def test_show_folder_opens_the_backups_folder(encrypted: Setup) -> None:
    encrypted.section.folder_button.click()
    assert encrypted.opened == [encrypted.vault.backups_folder]


def test_backup_sizes_and_times_follow_the_language(encrypted: Setup, qtbot) -> None:
    assert format_size(96_000, "en") == "96 kB"
    assert format_size(1_400_000, "de") == "1,4 MB"
    made = encrypted.vault.list_backups()[0].made_at
    assert encrypted.section.table.item(0, 0).text() == local_time(made, "en")
    page = SettingsPage(encrypted.settings, encrypted.knowledge, "de")
    qtbot.addWidget(page)
    section = page.set_security(encrypted.vault, encrypted.store, WHO, tasks=encrypted.tasks)
    shown = section.table.item(0, 0).text()
    assert shown == local_time(made, "de") != local_time(made, "en")
    assert made.astimezone().strftime("%H:%M") in shown  # the local clock, not UTC


def test_a_backup_that_cannot_be_reencrypted_is_kept_and_named(encrypted: Setup, qtbot) -> None:
    from db.crypto import new_key

    stranger = encrypted.vault.list_backups()[0].path
    backups.rekey(stranger, encrypted.vault.key, new_key("someone else's passphrase"))
    dialog = encrypted.section.open_passphrase_dialog()
    fill(dialog, current=OLD, new=NEW, repeat=NEW)
    with qtbot.waitSignal(dialog.accepted, timeout=20000):
        assert dialog.submit()
    assert stranger.exists()  # kept, never deleted
    said = encrypted.section.backup_status.text()
    assert "kept with the old passphrase" in said
    assert stranger.name in said and "made with another passphrase" in said
    assert encrypted.store.audit_entries(limit=1)[0].action == "passphrase_changed"  # the store works again
