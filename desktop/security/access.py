"""Getting to the patient data: first start (set a passphrase or choose no encryption), unlocking,
a plain store the coordinator did not choose in the app (encrypt it, or keep it plain after a warning),
and a damaged store (restore the newest good backup or quit).

Everything here is shown on a :class:`Curtain`, an opaque child that covers a whole window, so no
patient data is visible behind it. The lock (desktop/security/lock.py) uses the same curtain and unlock form.
Key derivation, opening and restoring run through the TaskRunner; the GUI never freezes.
"""

from __future__ import annotations

import math
import time
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.settings.theme import error_colour
from desktop.shared.errors import plain_reason
from desktop.shared.questions import careful_question
from planning.i18n import _, format_local_time, isolate, ngettext
from services.stores import MIN_PASSPHRASE, WrongPassphrase, passphrase_fault

if TYPE_CHECKING:
    from collections.abc import Callable

    from desktop.shared.tasks import TaskRunner
    from services.backups import Comparison
    from services.stores import Backup, CaseVault, StoreDamaged

NEWER_SHOWN = 12
"""How many of the cases a restore would leave out are named (then how many more)."""
MAX_DELAY_S = 30
TICK_MS = 100
"""While a wrong try waits, the countdown reads its clock this often at most (and exactly when the
shown second changes), so a clock that jumps, such as a test's fake clock, is noticed promptly."""


def retry_delay(failures: int) -> int:
    """Seconds to wait after ``failures`` wrong passphrases in a row: 1, 2, 4, 8, 16, 30, 30 …"""
    return 0 if failures <= 0 else min(MAX_DELAY_S, 2 ** min(failures - 1, 5))


class Curtain(QWidget):
    """An opaque child covering its whole window (menus and status bar too); it follows resizes."""

    def __init__(self, window: QWidget):
        super().__init__(window)
        self.setObjectName("curtain")
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.Window)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addStretch(1)
        self._row = QHBoxLayout()
        layout.addLayout(self._row)
        layout.addStretch(2)
        self._layout = layout
        self.content: QWidget | None = None
        window.installEventFilter(self)
        self.cover()

    def cover(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.raise_()
        self.show()

    def set_content(self, widget: QWidget | None, top: bool = False) -> None:
        """Show ``widget`` centred on the curtain, or near its top (the previous content is removed,
        not deleted)."""
        self._layout.setStretch(0, 0 if top else 1)
        if self.content is not None and shiboken6.isValid(self.content) and self.content is not widget:
            self._row.removeWidget(self.content)
            self.content.hide()
        self.content = widget
        if widget is not None:
            while self._row.count():
                self._row.takeAt(0)
            self._row.addStretch(1)
            widget.setParent(self)
            self._row.addWidget(widget)
            self._row.addStretch(1)
            widget.show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parentWidget():
            kind = event.type()
            if kind in (QEvent.Type.Resize, QEvent.Type.Show):
                self.setGeometry(self.parentWidget().rect())
            elif kind == QEvent.Type.ChildAdded:
                QTimer.singleShot(0, self._raise_if_alive)  # a widget added later must not show above it
        return False

    def _raise_if_alive(self) -> None:
        if shiboken6.isValid(self) and self.isVisible():
            self.raise_()

    def remove(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            parent.removeEventFilter(self)
        self.hide()
        self.deleteLater()


class Card(QFrame):
    """A centred panel on a curtain; Tab stays inside it."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("accessCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.AlternateBase)  # fields (Base) and check boxes stand out
        self.setMaximumWidth(560)
        self.setMinimumWidth(340)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(28, 24, 28, 24)
        self.layout_.setSpacing(12)

    def heading(self, text: str) -> QLabel:
        label = QLabel(f"<h2>{text}</h2>", self)
        label.setObjectName("accessTitle")
        label.setWordWrap(True)
        self.layout_.addWidget(label)
        return label

    def paragraph(self, text: str, name: str = "") -> QLabel:
        label = QLabel(text, self)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        if name:
            label.setObjectName(name)
        self.layout_.addWidget(label)
        return label

    def message_label(self) -> QLabel:
        label = QLabel("", self)
        label.setObjectName("accessMessage")
        label.setWordWrap(True)
        label.setStyleSheet(f"color: {error_colour(self)};")
        label.hide()
        self.layout_.addWidget(label)
        return label

    def focusNextPrevChild(self, next: bool) -> bool:
        """Keep keyboard focus among this card's own fields and buttons (never behind the curtain)."""
        chain = [
            w
            for w in self.findChildren(QWidget)
            if w.isVisibleTo(self) and w.isEnabled() and w.focusPolicy() & Qt.FocusPolicy.TabFocus
        ]
        if not chain:
            return True
        current = self.focusWidget()
        index = chain.index(current) if current in chain else -1
        chain[(index + (1 if next else -1)) % len(chain)].setFocus(Qt.FocusReason.TabFocusReason)
        return True


def passphrase_edit(parent: QWidget, name: str) -> QLineEdit:
    edit = QLineEdit(parent)
    edit.setObjectName(name)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setMinimumWidth(260)
    return edit


def show_toggle(parent: QWidget, edits: list[QLineEdit]) -> QCheckBox:
    box = QCheckBox(_("Show passphrase"), parent)
    box.setObjectName("showPassphrase")

    def toggled(on: bool) -> None:
        for edit in edits:
            edit.setEchoMode(QLineEdit.EchoMode.Normal if on else QLineEdit.EchoMode.Password)

    box.toggled.connect(toggled)
    return box


class SetupForm(Card):
    """First start: set a passphrase (encrypt), or continue without encryption after a warning.

    ``existing_plain``: the store exists unencrypted, but not by the coordinator's choice in the app
    (the command line's --no-encryption, an older version): the same choice, for that store."""

    encrypt = Signal(str)
    plain = Signal()

    def __init__(self, parent: QWidget | None = None, existing_plain: bool = False):
        super().__init__(parent)
        self.setObjectName("plainStoreForm" if existing_plain else "setupForm")
        self.existing_plain = existing_plain
        if existing_plain:
            self.heading(_("Patient data here is not encrypted"))
            self.paragraph(
                _(
                    "The case store on this computer is unencrypted, and that was not chosen in CarePlan Desk "
                    "(the command line or an older version created it). Set a passphrase to encrypt it and its "
                    "backups now, or continue without encryption."
                ),
                "plainStoreText",
            )
        else:
            self.heading(_("Protect patient data with a passphrase"))
            self.paragraph(
                _(
                    "The cases you keep here hold health data. With a passphrase they are encrypted on this "
                    "computer, and CarePlan Desk asks for it when it starts and after it locks."
                )
            )
        self.paragraph(_("Nobody can recover a forgotten passphrase: keep it somewhere safe."), "forgetWarning")
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.passphrase = passphrase_edit(self, "newPassphrase")
        self.passphrase.setPlaceholderText(
            ngettext("At least {count} character", "At least {count} characters", MIN_PASSPHRASE).format(
                count=MIN_PASSPHRASE
            )
        )
        self.repeat = passphrase_edit(self, "repeatPassphrase")
        self.show_box = show_toggle(self, [self.passphrase, self.repeat])
        form.addRow(_("Passphrase"), self.passphrase)
        form.addRow(_("Repeat passphrase"), self.repeat)
        form.addRow("", self.show_box)
        self.layout_.addLayout(form)
        self.message = self.message_label()
        buttons = QHBoxLayout()
        self.plain_button = QPushButton(_("Continue without encryption"), self)
        self.plain_button.setObjectName("continuePlain")
        self.plain_button.setFlat(True)
        self.plain_button.setAutoDefault(False)
        self.encrypt_button = QPushButton(_("Encrypt and continue"), self)
        self.encrypt_button.setObjectName("encryptContinue")
        self.encrypt_button.setDefault(True)
        buttons.addWidget(self.plain_button)
        buttons.addStretch(1)
        buttons.addWidget(self.encrypt_button)
        self.layout_.addLayout(buttons)
        self.encrypt_button.clicked.connect(self.submit)
        self.passphrase.returnPressed.connect(self.repeat.setFocus)
        self.repeat.returnPressed.connect(self.submit)
        self.plain_button.clicked.connect(self.confirm_plain)
        self.passphrase.textEdited.connect(lambda _text: self.message.hide())
        self.repeat.textEdited.connect(lambda _text: self.message.hide())
        self.last_question: QMessageBox | None = None

    def problem(self) -> tuple[QLineEdit, str] | None:
        """The first problem with the entries, naming the field, or None."""
        fault = passphrase_fault(self.passphrase.text(), self.repeat.text())
        if fault == "too_short":
            return self.passphrase, ngettext(
                "Passphrase: use at least {count} character.",
                "Passphrase: use at least {count} characters.",
                MIN_PASSPHRASE,
            ).format(count=MIN_PASSPHRASE)
        if fault == "differ":
            return self.repeat, _("Repeat passphrase: the two entries differ.")
        return None

    def submit(self) -> None:
        found = self.problem()
        if found is not None:
            field, text = found
            self.show_message(text)
            field.setFocus()
            field.selectAll()
            return
        self.encrypt.emit(self.passphrase.text())

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def set_busy(self, busy: bool, text: str = "") -> None:
        for widget in (self.passphrase, self.repeat, self.show_box, self.encrypt_button, self.plain_button):
            widget.setEnabled(not busy)
        if text:
            self.show_message(text)
            self.message.setStyleSheet("")
        else:
            self.message.setStyleSheet(f"color: {error_colour(self)};")

    def confirm_plain(self) -> None:
        box, yes = careful_question(
            self.window(),
            _("Continue without encryption?"),
            _("Patient data will be stored unencrypted."),
            _(
                "Anyone who can open the files on this computer, or who gets hold of this computer or a copy "
                "of its disk, can read every case. You can set a passphrase later in Settings."
            ),
            _("Continue without encryption"),
            _("Set a passphrase"),
            "plainWarning",
        )
        self.last_question = box

        def answered() -> None:
            if box.clickedButton() is yes:
                self.plain.emit()
            else:
                self.passphrase.setFocus()

        box.finished.connect(lambda _result: answered())
        box.open()


class UnlockForm(Card):
    """A passphrase and Unlock (or only Unlock for a store without a passphrase); wrong tries wait."""

    submitted = Signal(str)

    def __init__(
        self,
        needs_passphrase: bool,
        title: str,
        text: str,
        parent: QWidget | None = None,
        clock: Callable[[], float] = time.monotonic,
    ):
        super().__init__(parent)
        self.setObjectName("unlockForm")
        self.clock = clock
        """Monotonic seconds; the wait after a wrong try is decided from it (tests give a fake one)."""
        self.until = 0.0
        """The clock's reading from which a new try is accepted."""
        self._waiting = False
        self.needs_passphrase = needs_passphrase
        self.heading(title)
        self.paragraph(text, "unlockText")
        self.passphrase: QLineEdit | None = None
        self.show_box: QCheckBox | None = None
        if needs_passphrase:
            form = QFormLayout()
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
            self.passphrase = passphrase_edit(self, "unlockPassphrase")
            self.show_box = show_toggle(self, [self.passphrase])
            form.addRow(_("Passphrase"), self.passphrase)
            form.addRow("", self.show_box)
            self.layout_.addLayout(form)
            self.passphrase.returnPressed.connect(self.submit)
        else:
            self.paragraph(
                _("No passphrase is set, so anyone at this computer can unlock. You can set one in Settings."),
                "noPassphraseNote",
            )
        self.message = self.message_label()
        self.message.setMinimumHeight(2 * self.message.fontMetrics().lineSpacing())  # room kept: no jump
        self.message.show()
        row = QHBoxLayout()
        row.addStretch(1)
        self.button = QPushButton(_("Unlock"), self)
        self.button.setObjectName("unlockButton")
        self.button.setDefault(True)
        self.button.clicked.connect(self.submit)
        row.addWidget(self.button)
        self.layout_.addLayout(row)
        self.busy = False
        self._countdown = QTimer(self)
        self._countdown.setSingleShot(True)
        self._countdown.setTimerType(Qt.TimerType.PreciseTimer)
        self._countdown.timeout.connect(self.update_wait)

    @property
    def remaining(self) -> int:
        """Whole seconds, rounded up, before a new try is accepted (0: none is waited for), from the clock."""
        return max(0, math.ceil(round(self.until - self.clock(), 3)))

    def focus(self) -> None:
        (self.passphrase or self.button).setFocus(Qt.FocusReason.OtherFocusReason)

    def submit(self) -> None:
        if self.busy or self.remaining > 0:
            return
        text = self.passphrase.text() if self.passphrase is not None else ""
        if self.passphrase is not None and not text:
            self.show_message(_("Passphrase: enter your passphrase."))
            self.passphrase.setFocus()
            return
        self.submitted.emit(text)

    def show_message(self, text: str) -> None:
        self.message.setText(text)

    def _set_inputs(self, enabled: bool) -> None:
        for widget in (self.passphrase, self.show_box, self.button):
            if widget is not None:
                widget.setEnabled(enabled)

    def set_busy(self, busy: bool) -> None:
        self.busy = busy
        self._set_inputs(not busy and self.remaining <= 0)
        if busy:
            self.message.setStyleSheet("")
            self.show_message(_("Checking…"))
        else:
            self.message.setStyleSheet(f"color: {error_colour(self)};")

    def refuse(self, seconds: float) -> None:
        """A wrong passphrase: say so, and accept no new try for ``seconds`` (shown counting down)."""
        self.refuse_until(self.clock() + seconds)

    def refuse_until(self, until: float) -> None:
        """As :meth:`refuse`, until the clock reads ``until`` (the lock carries a wait over to a new form)."""
        self.busy = False
        self.message.setStyleSheet(f"color: {error_colour(self)};")
        self.until = until
        self._waiting = True
        self._set_inputs(False)
        self.update_wait()

    def _show_wait(self, remaining: int) -> None:
        wait = ngettext("Try again in {seconds} second.", "Try again in {seconds} seconds.", remaining).format(
            seconds=remaining
        )
        self.show_message(_("Wrong passphrase.") + " " + wait)

    def update_wait(self) -> None:
        """Show the seconds left by the clock, and accept a new try once none are left. The countdown
        timer calls it again when the shown second changes (at the latest after ``TICK_MS``)."""
        if not self._waiting:
            return
        remaining = self.remaining
        if remaining > 0:
            self._show_wait(remaining)
            next_change = self.until - self.clock() - (remaining - 1)
            self._countdown.start(max(1, min(TICK_MS, math.ceil(next_change * 1000))))
            return
        self._waiting = False
        self._countdown.stop()
        self.show_message(_("Wrong passphrase."))
        self._set_inputs(True)
        if self.passphrase is not None:
            self.passphrase.selectAll()
        self.focus()


class DamagedForm(Card):
    """The case store cannot be read: restore the newest good backup, or quit. Never starts empty."""

    restore = Signal(object)
    quit = Signal()

    def __init__(self, problem: str, store_path: Path, backup: Backup | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("damagedForm")
        self.backup = backup
        self.heading(_("The case store cannot be read"))
        self.paragraph(
            _(
                "The file that holds the patient cases is damaged, so CarePlan Desk did not open it. "
                "Nothing was deleted, and no empty store was started in its place."
            )
        )
        details = self.paragraph(
            _("Problem: {problem}").format(problem=isolate(problem))
            + "\n"
            + _("File: {path}").format(path=isolate(str(store_path))),
            "damagedDetails",
        )
        details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.restore_button: QPushButton | None = None
        if backup is not None:
            self.paragraph(
                _("Newest good backup: {when}").format(when=isolate(format_local_time(backup.made_at, seconds=True)))
                + "\n"
                + isolate(backup.path.name),
                "backupInfo",
            )
            self.paragraph(
                _(
                    "Restoring puts this backup in place of the damaged file, which is kept beside it. "
                    "Changes made after the backup was made are not in it."
                )
            )
        else:
            self.paragraph(
                _("There is no good backup to restore. The damaged file stays where it is: {path}").format(
                    path=isolate(str(store_path))
                ),
                "noBackup",
            )
        self.message = self.message_label()
        row = QHBoxLayout()
        self.quit_button = QPushButton(_("Quit"), self)
        self.quit_button.setObjectName("quitButton")
        self.quit_button.clicked.connect(self.quit)
        row.addWidget(self.quit_button)
        row.addStretch(1)
        if backup is not None:
            self.restore_button = QPushButton(_("Restore this backup"), self)
            self.restore_button.setObjectName("restoreBackup")
            self.restore_button.setDefault(True)
            self.restore_button.clicked.connect(lambda: self.restore.emit(backup.path))
            row.addWidget(self.restore_button)
        else:
            self.quit_button.setDefault(True)
        self.layout_.addLayout(row)

    def show_newer(self, comparison: Comparison | None) -> None:
        """Name the cases the damaged file still shows newer than the backup: restoring leaves them out
        (the damaged file is kept aside, and can be restored later from Settings)."""
        if comparison is None or not comparison.newer or not shiboken6.isValid(self):
            return
        newer = comparison.newer
        lines = [
            _("{reference} {name}, changed {when}").format(
                reference=isolate(case.reference),
                name=isolate(case.full_name or "–"),
                when=isolate(format_local_time(case.changed_at)),
            )
            for case in newer[:NEWER_SHOWN]
        ]
        if len(newer) > NEWER_SHOWN:
            lines.append(_("… and {count} more").format(count=len(newer) - NEWER_SHOWN))
        label = QLabel(
            ngettext(
                "This case in the damaged file is newer than the backup; the restored store will not have "
                "its latest changes:",
                "These {count} cases in the damaged file are newer than the backup; the restored store will "
                "not have their latest changes:",
                len(newer),
            ).format(count=len(newer))
            + "\n"
            + "\n".join(lines),
            self,
        )
        label.setObjectName("newerCases")
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        self.layout_.insertWidget(self.layout_.indexOf(self.message), label)

    def set_busy(self, busy: bool) -> None:
        for widget in (self.restore_button, self.quit_button):
            if widget is not None:
                widget.setEnabled(not busy)
        self.message.setStyleSheet("" if busy else f"color: {error_colour(self)};")
        self.message.setText(_("Restoring the backup…") if busy else "")
        self.message.setVisible(busy)

    def show_message(self, text: str) -> None:
        self.message.setStyleSheet(f"color: {error_colour(self)};")
        self.message.setText(text)
        self.message.show()


class StartGate(QObject):
    """At start with a vault: the curtain over the main window with the first-start, unlock or damaged
    panel, until the vault is ready. ``ready`` is emitted when the case store may be opened."""

    ready = Signal()

    def __init__(
        self, window: QMainWindow, vault: CaseVault, tasks: TaskRunner, clock: Callable[[], float] = time.monotonic
    ):
        super().__init__(window)
        self.window, self.vault, self.tasks = window, vault, tasks
        self.clock = clock
        """Given to the unlock form: the wait after a wrong passphrase is decided from it."""
        self.curtain: Curtain | None = None
        self.form: QWidget | None = None
        self.failures = 0
        self.restored_from: Path | None = None

    @property
    def showing(self) -> bool:
        return self.curtain is not None

    def _show(self, form: QWidget) -> None:
        if self.curtain is None:
            self.curtain = Curtain(self.window)
            for part in (self.window.centralWidget(), self.window.menuBar(), self.window.statusBar()):
                if part is not None:
                    part.setEnabled(False)  # no shortcut or focus reaches anything behind the curtain
        self.curtain.set_content(form)
        if self.form is not None and self.form is not form:
            self.form.deleteLater()
        self.form = form
        QTimer.singleShot(0, self._focus_form)

    def _focus_form(self) -> None:
        form = self.form
        if isinstance(form, UnlockForm):
            form.focus()
        elif isinstance(form, SetupForm):
            form.passphrase.setFocus()
        elif isinstance(form, DamagedForm):
            (form.restore_button or form.quit_button).setFocus()

    def start(self) -> None:
        """Decide from the store's state: open at once, first start, a plain store not chosen in the app
        (warned about first), or unlock."""
        state = self.vault.state()
        if state == "plain" and not self.vault.plain_chosen():
            form = SetupForm(existing_plain=True)
            form.encrypt.connect(self._encrypt_plain)
            form.plain.connect(self._keep_plain)
            self._show(form)
        elif state == "plain" or self.vault.key is not None:
            self.ready.emit()
        elif state == "new":
            form = SetupForm()
            form.encrypt.connect(self._set_up)
            form.plain.connect(lambda: self._set_up(None))
            self._show(form)
        else:
            form = UnlockForm(
                True,
                _("Unlock patient data"),
                _("The cases on this computer are encrypted. Enter your passphrase to open them."),
                clock=self.clock,
            )
            form.submitted.connect(self._unlock)
            self._show(form)

    def _set_up(self, passphrase: str | None) -> None:
        form = self.form
        assert isinstance(form, SetupForm)
        form.set_busy(True, _("Encrypting…") if passphrase is not None else _("Opening…"))
        vault = self.vault
        self.tasks.run(lambda: vault.setup(passphrase), lambda _none: self.ready.emit(), self._setup_failed)

    def _encrypt_plain(self, passphrase: str) -> None:
        """Encrypt the plain store (and its backups) with ``passphrase``, as Settings does, then open it."""
        from services.stores import change_passphrase

        form = self.form
        assert isinstance(form, SetupForm)
        form.set_busy(True, _("Encrypting…"))
        vault, who = self.vault, str(getattr(self.window, "who", ""))
        self.tasks.run(
            lambda: change_passphrase(vault, "", passphrase, who), lambda _report: self.ready.emit(), self._plain_failed
        )

    def _keep_plain(self) -> None:
        """The coordinator chose to keep the store unencrypted, warned: recorded in the store, then opened."""
        form = self.form
        assert isinstance(form, SetupForm)
        form.set_busy(True, _("Opening…"))
        self.tasks.run(self.vault.choose_plain, lambda _none: self.ready.emit(), self._plain_failed)

    def _plain_failed(self, exc: Exception) -> None:
        form = self.form
        if isinstance(form, SetupForm):
            form.set_busy(False)
            form.show_message(_("Nothing was changed: {reason}").format(reason=plain_reason(exc)))

    def _setup_failed(self, exc: Exception) -> None:
        if isinstance(exc, FileExistsError | WrongPassphrase):
            self.start()  # another program set the store up meanwhile: unlock it (or open it) as it is now
            return
        form = self.form
        if isinstance(form, SetupForm):
            form.set_busy(False)
            form.show_message(_("The case store could not be created: {reason}").format(reason=plain_reason(exc)))

    def _unlock(self, passphrase: str) -> None:
        form = self.form
        assert isinstance(form, UnlockForm)
        form.set_busy(True)
        vault = self.vault

        self.tasks.run(lambda: vault.unlock(passphrase), lambda _none: self._unlocked(), self._unlock_failed)

    def _unlocked(self) -> None:
        self.failures = 0
        if isinstance(self.form, UnlockForm):
            self.form.set_busy(True)
            self.form.show_message(_("Opening…"))
        self.ready.emit()

    def _unlock_failed(self, exc: Exception) -> None:
        from services.stores import StoreDamaged

        form = self.form
        if isinstance(exc, StoreDamaged):
            self.show_damaged(exc)
            return
        if not isinstance(form, UnlockForm):
            return
        if isinstance(exc, WrongPassphrase):
            self.failures += 1
            form.refuse(retry_delay(self.failures))
        else:
            form.set_busy(False)
            form.show_message(_("The case store could not be opened: {reason}").format(reason=plain_reason(exc)))

    def show_damaged(self, exc: StoreDamaged) -> None:
        form = DamagedForm(exc.problem, self.vault.path, exc.backup)
        form.restore.connect(self._restore)
        form.quit.connect(self.window.close)
        self._show(form)
        if exc.backup is not None:  # what the damaged file still shows newer than the backup, if it can be read
            from services.backups import newer_in_store

            vault, backup = self.vault, exc.backup.path
            self.tasks.run(lambda: newer_in_store(vault, backup), form.show_newer, lambda _exc: None)

    def show_failure(self, exc: Exception) -> None:
        """Opening failed for another reason: say so in plain words; only quitting is offered."""
        form = Card()
        form.heading(_("The case store could not be opened"))
        form.paragraph(plain_reason(exc), "failureReason")
        form.paragraph(_("Nothing was changed. Quit, and start CarePlan Desk again."))
        row = QHBoxLayout()
        row.addStretch(1)
        button = QPushButton(_("Quit"), form)
        button.setObjectName("quitButton")
        button.clicked.connect(self.window.close)
        row.addWidget(button)
        form.layout_.addLayout(row)
        self._show(form)

    def _restore(self, path: Path) -> None:
        form = self.form
        if isinstance(form, DamagedForm):
            form.set_busy(True)
        vault = self.vault
        self.tasks.run(lambda: vault.restore(path), lambda _aside: self._restored(path), self._restore_failed)

    def _restored(self, path: Path) -> None:
        self.restored_from = path
        self.ready.emit()

    def _restore_failed(self, exc: Exception) -> None:
        form = self.form
        if isinstance(form, DamagedForm):
            form.set_busy(False)
            form.show_message(
                _("The backup was not restored; nothing changed: {reason}").format(reason=plain_reason(exc))
            )

    def finish(self) -> None:
        """The case store is open: take the curtain away."""
        if self.curtain is not None:
            self.curtain.remove()
            self.curtain = None
            for part in (self.window.centralWidget(), self.window.menuBar(), self.window.statusBar()):
                if part is not None:
                    part.setEnabled(True)
        if self.form is not None:
            self.form.deleteLater()
            self.form = None
