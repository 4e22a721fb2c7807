"""Settings, "Security" and "Backups": encryption and the passphrase, lock after idle, the audit log,
the rotating backups of the case store (back up now, restore, show the folder).

The slow work (re-encrypting, backing up) runs in the TaskRunner with a busy indicator; the widgets
only talk to the vault and the case store through the db layer's own functions.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QItemSelectionModel, QSettings, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.security.audit_dialog import AuditDialog
from desktop.settings.preferences import preferences_of
from desktop.settings.theme import error_colour
from desktop.shared.errors import plain_reason
from desktop.shared.tasks import TaskRunner
from desktop.shared.widgets import push_button
from planning.i18n import N_, _, format_local_time, format_number, format_size, isolate, ngettext
from services.backups import Comparison
from services.settings import LOCK_MAX
from services.stores import (
    DAMAGED,
    DISK_FULL,
    KEEP,
    MAX_AGE_DAYS,
    MIN_PASSPHRASE,
    NOT_WRITTEN,
    WRONG_KEY,
    Backup,
    CaseStore,
    CaseVault,
    KeptBackup,
    RekeyReport,
    WrongPassphrase,
    change_passphrase,
    passphrase_fault,
    reconnect,
    release,
)


def lock_minutes(settings: QSettings) -> int:
    """The idle minutes before the window locks (0 = never), from the coordinator's preferences."""
    return preferences_of(settings).load().lock_minutes


KEPT_REASONS = {
    WRONG_KEY: N_("it was made with another passphrase"),
    DAMAGED: N_("it is damaged"),
    DISK_FULL: N_("the disk was full"),
    NOT_WRITTEN: N_("it could not be written"),
}


def kept_backups_text(kept: tuple[KeptBackup, ...], was_plain: bool) -> str:
    """Which backups were kept as they were, and why: none is removed when the key changes."""
    lines = [
        _("{name}: {reason}").format(
            name=isolate(backup.path.name), reason=_(KEPT_REASONS.get(backup.reason, backup.reason))
        )
        for backup in kept
    ]
    intro = (
        ngettext(
            "This backup was kept unencrypted:",
            "These {count} backups were kept unencrypted:",
            len(kept),
        )
        if was_plain
        else ngettext(
            "This backup was kept with the old passphrase:",
            "These {count} backups were kept with the old passphrase:",
            len(kept),
        )
    ).format(count=len(kept))
    return intro + "\n" + "\n".join(lines)


def passphrase_problems(new: str, repeated: str, current: str | None) -> dict[str, str]:
    """Every problem with the entries of the passphrase dialog, by field (``current``, ``new``, ``repeat``)."""
    problems = {}
    if current is not None and not current:
        problems["current"] = _("Enter the passphrase you use now.")
    fault = passphrase_fault(new, repeated)
    if fault == "too_short":
        problems["new"] = ngettext(
            "Must be at least {count} character.", "Must be at least {count} characters.", MIN_PASSPHRASE
        ).format(count=MIN_PASSPHRASE)
    elif fault == "differ":
        problems["repeat"] = _("The two entries differ.")
    return problems


class PassphraseDialog(QDialog):
    """Change the passphrase (or choose one, for a store that is not encrypted yet).

    The store's connection belongs to the GUI thread: it is released (after ``pausing`` let autosave
    save and pause) while the worker re-encrypts on a connection of its own, then opened again here,
    and ``resumed`` lets autosave go on. No connection is ever used from two threads."""

    pausing = Signal()
    resumed = Signal()

    def __init__(self, vault: CaseVault, store: CaseStore, who: str, tasks: TaskRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self.vault, self.store, self.who, self.tasks = vault, store, who, tasks
        self.plain = not vault.encrypted
        self.busy = False
        self.report: RekeyReport | None = None
        self.setObjectName("passphraseDialog")
        self.setWindowTitle(_("Encrypt patient data") if self.plain else _("Change passphrase"))

        intro = QLabel(
            _(
                "Patient data and its backups will be encrypted with this passphrase. Without it nobody "
                "can read them, not even you: keep it somewhere safe."
            )
            if self.plain
            else _(
                "The patient data and every backup are re-encrypted with the new passphrase. The old "
                "passphrase no longer opens them."
            ),
            self,
        )
        intro.setWordWrap(True)
        form = QFormLayout()
        self.current: QLineEdit | None = None
        self.errors: dict[str, QLabel] = {}
        fields = (("new", _("New passphrase")), ("repeat", _("Repeat the new passphrase")))
        if not self.plain:
            fields = (("current", _("Current passphrase")), *fields)
        self.edits: dict[str, QLineEdit] = {}
        for key, label in fields:
            edit = QLineEdit(self)
            edit.setObjectName(f"passphrase_{key}")
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setAccessibleName(label)
            edit.textEdited.connect(lambda _text, key=key: self._clear_error(key))
            error = QLabel(self)
            error.setObjectName(f"passphrase_{key}_error")
            error.setWordWrap(True)
            error.hide()
            self.edits[key], self.errors[key] = edit, error
            column = QVBoxLayout()
            column.setSpacing(2)
            column.addWidget(edit)
            column.addWidget(error)
            form.addRow(label, column)
        self.current = self.edits.get("current")
        hint = QLabel(
            ngettext(
                "At least {count} character; a few unrelated words are easy to type and hard to guess.",
                "At least {count} characters; a few unrelated words are easy to type and hard to guess.",
                MIN_PASSPHRASE,
            ).format(count=MIN_PASSPHRASE),
            self,
        )
        hint.setWordWrap(True)
        hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        form.addRow("", hint)

        self.progress = QProgressBar(self)
        self.progress.setObjectName("passphraseBusy")
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.status = QLabel(self)
        self.status.setObjectName("passphraseStatus")
        self.status.setWordWrap(True)
        self.status.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.ok = self.buttons.addButton(
            _("Encrypt") if self.plain else _("Change passphrase"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.ok.setObjectName("passphraseOk")
        self.ok.setDefault(True)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(480)

    def _show_error(self, key: str, text: str) -> None:
        label = self.errors[key]
        label.setStyleSheet(f"color: {error_colour(self)};")
        label.setText(text)
        label.show()

    def _clear_error(self, key: str) -> None:
        self.errors[key].hide()

    def submit(self) -> bool:
        """Validate every entry; when all are right, re-encrypt in the background."""
        if self.busy:
            return False
        current = self.current.text() if self.current is not None else None
        new, repeated = self.edits["new"].text(), self.edits["repeat"].text()
        problems = passphrase_problems(new, repeated, current)
        for key in self.errors:
            if key in problems:
                self._show_error(key, problems[key])
            else:
                self._clear_error(key)
        self.adjustSize()
        if problems:
            self.edits[next(k for k in self.edits if k in problems)].setFocus()
            return False
        self._set_busy(True)
        vault, who = self.vault, self.who
        self.pausing.emit()  # what is typed is saved now; later edits wait in the form
        release(self.store)
        self.tasks.run(lambda: change_passphrase(vault, current or "", new, who), self._done, self._failed)
        return True

    def _reconnect(self) -> None:
        try:
            reconnect(self.store, self.vault)
        finally:
            self.resumed.emit()

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.progress.setVisible(busy)
        self.status.setStyleSheet("")
        self.status.setText(
            _("Encrypting the patient data and its backups…")
            if self.plain
            else _("Re-encrypting the patient data and its backups…")
        )
        self.status.setVisible(busy)
        self.buttons.setEnabled(not busy)
        for edit in self.edits.values():
            edit.setEnabled(not busy)

    def _done(self, report: RekeyReport) -> None:
        self._reconnect()
        self._set_busy(False)
        self.report = report
        for edit in self.edits.values():
            edit.clear()
        self.accept()

    def _failed(self, exc: Exception) -> None:
        self._reconnect()
        self._set_busy(False)
        if isinstance(exc, WrongPassphrase):
            self._show_error("current", _("This is not the current passphrase."))
            assert self.current is not None
            self.current.selectAll()
            self.current.setFocus()
            self.adjustSize()
            return
        self.status.setStyleSheet(f"color: {error_colour(self)};")
        self.status.setText(_("The passphrase was not changed: {reason}").format(reason=plain_reason(exc)))
        self.status.show()
        self.adjustSize()

    def reject(self) -> None:
        if not self.busy:  # the work cannot be interrupted halfway
            super().reject()


class SecuritySection(QWidget):
    """The "Security" and "Backups" groups of the Settings page."""

    lock_minutes_changed = Signal(int)
    restore_requested = Signal(object)
    encryption_changed = Signal()
    storage_paused = Signal()
    """The case store's connection is about to be released (save what is typed, then wait)."""
    storage_resumed = Signal()

    def __init__(
        self,
        settings: QSettings,
        vault: CaseVault,
        store: CaseStore,
        who: str,
        locale: str,
        tasks: TaskRunner,
        parent: QWidget | None = None,
        opener: Callable[[Path], None] | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("securitySection")
        self.settings, self.vault, self.store, self.who = settings, vault, store, who
        self.locale, self.tasks, self.opener = locale, tasks, opener
        self.passphrase_dialog: PassphraseDialog | None = None
        self.audit_dialog: AuditDialog | None = None
        self.last_message: QMessageBox | None = None
        self.backing_up = False

        security = QGroupBox(_("Security"), self)
        security_layout = QVBoxLayout(security)
        self.state = QLabel(security)
        self.state.setObjectName("encryptionState")
        self.state.setWordWrap(True)
        self.state.setTextFormat(Qt.TextFormat.PlainText)
        security_layout.addWidget(self.state)
        row = QHBoxLayout()
        self.passphrase_button = QPushButton(security)
        self.passphrase_button.setObjectName("changePassphrase")
        self.passphrase_button.clicked.connect(self.open_passphrase_dialog)
        self.audit_button = push_button(_("Open the audit log…"), "openAuditLog", self.open_audit_log, security)
        row.addWidget(self.passphrase_button)
        row.addWidget(self.audit_button)
        row.addStretch(1)
        security_layout.addLayout(row)
        lock_form = QFormLayout()
        self.lock = QSpinBox(security)
        self.lock.setObjectName("lockMinutes")
        self.lock.setRange(0, LOCK_MAX)
        self.lock.setSpecialValueText(_("Never"))
        self.lock.setValue(lock_minutes(settings))
        self.lock.setAccessibleName(_("Lock after idle (minutes)"))
        self.lock.valueChanged.connect(self._lock_changed)
        lock_hint = QLabel(_("Ctrl+L locks at once. Nothing typed is lost while locked."), security)
        lock_hint.setWordWrap(True)
        lock_hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.lock.setMinimumWidth(110)
        lock_row = QHBoxLayout()
        lock_row.addWidget(self.lock)
        lock_row.addStretch(1)
        lock_form.addRow(_("Lock after idle (minutes)"), lock_row)
        lock_form.addRow("", lock_hint)
        security_layout.addLayout(lock_form)

        backup_box = QGroupBox(_("Backups"), self)
        backup_layout = QVBoxLayout(backup_box)
        note = QLabel(
            _(
                "A backup is made at every start and daily; the {keep} newest are kept and none older than "
                "{days} days, so erased patient data leaves the backups within {days} days."
            ).format(keep=format_number(KEEP, locale), days=format_number(MAX_AGE_DAYS, locale)),
            backup_box,
        )
        note.setObjectName("backupNote")
        note.setWordWrap(True)
        backup_layout.addWidget(note)
        self.backup_encryption = QLabel(backup_box)
        self.backup_encryption.setObjectName("backupEncryption")
        self.backup_encryption.setWordWrap(True)
        backup_layout.addWidget(self.backup_encryption)
        self.table = QTableWidget(0, 2, backup_box)
        self.table.setObjectName("backupsTable")
        self.table.setTabKeyNavigation(False)  # arrows move between rows; Tab leaves the table
        self.table.setHorizontalHeaderLabels([_("Made"), _("Size")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setMinimumHeight(160)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.itemDoubleClicked.connect(lambda _item: self.confirm_restore())
        backup_layout.addWidget(self.table)
        buttons = QHBoxLayout()
        self.backup_button = push_button(_("Back up now"), "backUpNow", self.back_up_now, backup_box)
        self.restore_button = push_button(_("Restore…"), "restoreBackup", self.confirm_restore, backup_box)
        self.folder_button = push_button(_("Show folder"), "showBackupsFolder", self.show_folder, backup_box)
        self.backup_busy = QProgressBar(backup_box)
        self.backup_busy.setObjectName("backupBusy")
        self.backup_busy.setRange(0, 0)
        self.backup_busy.setTextVisible(False)
        self.backup_busy.setMaximumWidth(120)
        self.backup_busy.hide()
        for button in (self.backup_button, self.restore_button, self.folder_button):
            buttons.addWidget(button)
        buttons.addWidget(self.backup_busy)
        buttons.addStretch(1)
        backup_layout.addLayout(buttons)
        self.backup_status = QLabel(backup_box)
        self.backup_status.setObjectName("backupStatus")
        self.backup_status.setWordWrap(True)
        self.backup_status.hide()
        backup_layout.addWidget(self.backup_status)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(security)
        layout.addWidget(backup_box)
        self.show_state()
        self.show_backups()

    # --- what it shows ------------------------------------------------------------------------

    def set_store(self, vault: CaseVault, store: CaseStore, who: str) -> None:
        """After a restore or a new window: the vault and store to work with now."""
        self.vault, self.store, self.who = vault, store, who
        self.show_state()
        self.show_backups()

    def show_state(self) -> None:
        encrypted = self.vault.encrypted
        if encrypted:
            self.state.setText(_("Patient data is encrypted with your passphrase."))
            self.state.setStyleSheet("")
            self.passphrase_button.setText(_("Change passphrase…"))
            self.backup_encryption.setText(_("Backups are encrypted with the same passphrase."))
        else:
            self.state.setText(
                _(
                    "Patient data is NOT encrypted. Anyone who can read this computer's files, or a copy "
                    "of them, can read it."
                )
            )
            colour = error_colour(self)
            self.state.setStyleSheet(
                f"QLabel {{ color: {colour}; font-weight: 600; border: 1px solid {colour}; "
                "border-radius: 4px; padding: 6px; }"
            )
            self.passphrase_button.setText(_("Encrypt patient data…"))
            self.backup_encryption.setText(_("Backups are not encrypted either."))
        self.state.setProperty("encrypted", encrypted)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "backup_encryption"):
            self.show_state()
        super().changeEvent(event)

    def show_backups(self) -> None:
        """The backups and the stores restores replaced (kept aside, restorable the same way), newest first."""
        found = self.vault.restorable()
        self.table.setRowCount(len(found))
        for row, backup in enumerate(found):
            when = format_local_time(backup.made_at, self.locale)
            made = QTableWidgetItem(_("Replaced on {when}").format(when=when) if backup.replaced else when)
            if backup.replaced:
                made.setToolTip(
                    _(
                        "The case store as it was when a restore replaced it ({name}). It ages out like the "
                        "backups, within {days} days."
                    ).format(name=backup.path.name, days=format_number(MAX_AGE_DAYS, self.locale))
                )
            made.setData(Qt.ItemDataRole.UserRole, backup)
            size = QTableWidgetItem(format_size(backup.size, self.locale))
            size.setTextAlignment(Qt.AlignmentFlag.AlignTrailing | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, 0, made)
            self.table.setItem(row, 1, size)
        if not found:
            self.table.setRowCount(0)
        self._selection_changed()

    def select_backup(self, row: int) -> None:
        """Select the backup in ``row`` (QTableView.selectRow misses in right-to-left layouts)."""
        flags = QItemSelectionModel.SelectionFlag
        index = self.table.model().index(row, 0)
        self.table.selectionModel().setCurrentIndex(index, flags.ClearAndSelect | flags.Rows)

    def selected_backup(self) -> Backup | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.table.item(rows[0].row(), 0).data(Qt.ItemDataRole.UserRole)

    def _selection_changed(self) -> None:
        self.restore_button.setEnabled(self.selected_backup() is not None and not self.backing_up)

    def _say(self, text: str, error: bool = False) -> None:
        self.backup_status.setStyleSheet(f"color: {error_colour(self)};" if error else "")
        self.backup_status.setText(text)
        self.backup_status.show()

    # --- security -----------------------------------------------------------------------------

    def open_passphrase_dialog(self) -> PassphraseDialog:
        dialog = PassphraseDialog(self.vault, self.store, self.who, self.tasks, self)
        dialog.pausing.connect(self.storage_paused)
        dialog.resumed.connect(self.storage_resumed)
        dialog.accepted.connect(self._passphrase_changed)
        self.passphrase_dialog = dialog
        dialog.open()
        return dialog

    def _passphrase_changed(self) -> None:
        dialog = self.passphrase_dialog
        was_plain = dialog is not None and dialog.plain
        kept = dialog.report.kept if dialog is not None and dialog.report is not None else ()
        self.show_state()
        self.show_backups()
        said = (
            _("Patient data and its backups are now encrypted.")
            if was_plain
            else _("The passphrase is changed; the backups use it too.")
        )
        if kept:
            said = (
                (_("Patient data is now encrypted.") if was_plain else _("The passphrase is changed."))
                + " "
                + kept_backups_text(kept, was_plain)
            )
        self._say(said, error=bool(kept))
        self.encryption_changed.emit()

    def _lock_changed(self, minutes: int) -> None:
        try:
            preferences_of(self.settings).update(lock_minutes=minutes)
        except OSError as exc:
            self._say(_("The settings could not be saved: {reason}").format(reason=exc.strerror or exc), error=True)
            return
        self.lock_minutes_changed.emit(minutes)

    def open_audit_log(self) -> AuditDialog:
        dialog = AuditDialog(self.store, self.locale, self)
        self.audit_dialog = dialog
        dialog.open()
        return dialog

    # --- backups ------------------------------------------------------------------------------

    def back_up_now(self) -> None:
        if self.backing_up:
            return
        self.backing_up = True
        self.backup_button.setEnabled(False)
        self.restore_button.setEnabled(False)
        self.backup_busy.show()
        self._say(_("Backing up…"))
        vault = self.vault
        self.tasks.run(vault.backup, self._backed_up, self._backup_failed)

    def _backup_finished(self) -> None:
        self.backing_up = False
        self.backup_button.setEnabled(True)
        self.backup_busy.hide()
        self.show_backups()

    def _backed_up(self, made: Backup) -> None:
        self._backup_finished()
        self._say(
            _("Backup made: {when}, {size}.").format(
                when=isolate(format_local_time(made.made_at, self.locale)),
                size=isolate(format_size(made.size, self.locale)),
            )
        )

    def _backup_failed(self, exc: Exception) -> None:
        self._backup_finished()
        self._say(_("The backup could not be made: {reason}").format(reason=plain_reason(exc)), error=True)

    def confirm_restore(self) -> None:
        """Compare the selected backup with the case store (in the background), then ask before restoring
        it, naming the cases it would discard; on yes, ``restore_requested(path)`` is emitted. The question
        is ``last_message``."""
        backup = self.selected_backup()
        if backup is None or self.backing_up:
            return
        from services.backups import newer_in_store

        vault = self.vault
        self.restore_button.setEnabled(False)
        self._say(_("Comparing the backup with the patient data in the app…"))

        def compared(found: object) -> None:
            self._selection_changed()
            self.backup_status.hide()
            self.ask_restore(backup, found if isinstance(found, Comparison) else None)

        self.tasks.run(lambda: newer_in_store(vault, backup.path), compared, lambda _exc: compared(None))

    def ask_restore(self, backup: Backup, comparison: Comparison | None) -> QMessageBox:
        """The question before a restore: what it replaces, and which cases it would discard (the cases the
        store holds newer than the backup, or only there) or bring back."""
        when = isolate(format_local_time(backup.made_at, self.locale))
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            _("Restore a backup"),
            _("Restore the store replaced on {when}?").format(when=when)
            if backup.replaced
            else _("Restore the backup made {when}?").format(when=when),
            QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName("restoreConfirm")
        told = [
            _(
                "The patient data in the app now is replaced by this backup: changes made since then "
                "are not in it. The current data file is not deleted: it is kept aside as a file named "
                "{name} in the data folder."
            ).format(name=isolate(self.vault.path.name + ".replaced-…"))
        ]
        newer = comparison.newer if comparison is not None else ()
        if newer:
            told.insert(
                0,
                ngettext(
                    "{count} case in the app is newer than in this backup, or not in it at all: restoring "
                    "discards its changes (see the details).",
                    "{count} cases in the app are newer than in this backup, or not in it at all: restoring "
                    "discards their changes (see the details).",
                    len(newer),
                ).format(count=format_number(len(newer), self.locale)),
            )
            box.setDetailedText(
                "\n".join(
                    _("{reference} {name}, changed {when}").format(
                        reference=case.reference,
                        name=case.full_name or "–",
                        when=format_local_time(case.changed_at, self.locale),
                    )
                    for case in newer
                )
            )
        if comparison is not None and comparison.only_in_backup:
            told.append(
                ngettext(
                    "{count} case in this backup is no longer in the app (erased or removed since): it comes back.",
                    "{count} cases in this backup are no longer in the app (erased or removed since): they come back.",
                    comparison.only_in_backup,
                ).format(count=format_number(comparison.only_in_backup, self.locale))
            )
        box.setInformativeText("\n\n".join(told))
        restore = box.addButton(
            _("Restore and discard these changes") if newer else _("Restore"), QMessageBox.ButtonRole.DestructiveRole
        )
        restore.setObjectName("restoreConfirmed")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)

        def answered() -> None:
            if box.clickedButton() is restore:
                self.restore_requested.emit(backup.path)

        box.finished.connect(lambda _result: answered())
        self.last_message = box
        box.open()
        return box

    def show_folder(self) -> None:
        folder = self.vault.backups_folder
        if self.opener is not None:
            self.opener(folder)
        else:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
