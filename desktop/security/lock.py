"""The lock: on Ctrl+L, or after some idle minutes, every window is covered until it is unlocked.

Locking saves what is being typed, then puts an opaque :class:`~desktop.security.access.Curtain` over
every visible window: the main window and any open dialog or message box. Nothing is hidden or
closed, so a dialog's ``exec()`` goes on and its typed text stays; after unlocking everything is as
it was. The unlock form sits on the curtain of the modal dialog in front (the main window cannot
take input while one is open), otherwise on the main window. While locked, keyboard and mouse input
reaches nothing but the curtains. The passphrase is checked off the GUI thread; wrong tries wait
1, 2, 4 … 30 seconds.

Time is read from the lock's ``clock`` (monotonic seconds, ``time.monotonic`` unless another is given):
the idle time is the clock's reading less that of the last input, and the unlock form's wait is
decided from the same clock. A single-shot timer only says when to look again, so a test moves a fake
clock and calls :meth:`Lock.check_idle` instead of waiting minutes.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QEvent, QObject, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QMainWindow, QToolTip, QWidget

from desktop.security.access import Card, Curtain, UnlockForm, retry_delay
from desktop.settings.preferences import preferences_of
from desktop.shared.errors import plain_reason
from planning.i18n import _

if TYPE_CHECKING:
    from collections.abc import Callable

    from desktop.shared.tasks import TaskRunner
    from services.stores import CaseVault

log = logging.getLogger(__name__)


_E = QEvent.Type
INPUT = frozenset(
    {
        _E.KeyPress,
        _E.MouseButtonPress,
        _E.MouseButtonDblClick,
        _E.MouseMove,
        _E.Wheel,
        _E.TouchBegin,
        _E.TabletPress,
    }
)
BLOCKED = frozenset(
    {
        _E.KeyPress,
        _E.KeyRelease,
        _E.ShortcutOverride,
        _E.Shortcut,
        _E.InputMethod,
        _E.MouseButtonPress,
        _E.MouseButtonRelease,
        _E.MouseButtonDblClick,
        _E.MouseMove,
        _E.Wheel,
        _E.ContextMenu,
        _E.ToolTip,
        _E.WhatsThis,
        _E.DragEnter,
        _E.DragMove,
        _E.Drop,
        _E.TouchBegin,
        _E.TabletPress,
    }
)
QWIDGETSIZE_MAX = (1 << 24) - 1
NOT_COVERED = (Qt.WindowType.Popup, Qt.WindowType.ToolTip, Qt.WindowType.Desktop)


def lock_seconds(settings: QSettings) -> float | None:
    """Idle seconds before locking, from the coordinator's preferences (None when 0: never)."""
    minutes = preferences_of(settings).load().lock_minutes
    return minutes * 60 if minutes > 0 else None


def _alive(obj: QObject | None) -> bool:
    return obj is not None and shiboken6.isValid(obj)


def _inside_curtain(widget: QWidget) -> bool:
    current: QWidget | None = widget
    while current is not None:
        if isinstance(current, Curtain):
            return True
        current = current.parentWidget()
    return False


class _Cover:
    """One covered window: its curtain, and its title and focus before locking."""

    def __init__(self, window: QWidget, curtain: Curtain):
        self.window, self.curtain = window, curtain
        self.title = window.windowTitle()
        self.focus = window.focusWidget()
        self.resized_from: tuple[QSize, QSize, QSize] | None = None

    def fit(self) -> None:
        """Make a small dialog big enough for the unlock form; ``restore`` puts its size back."""
        need = self.curtain.sizeHint().expandedTo(self.curtain.minimumSizeHint())
        size = self.window.size()
        if size.width() >= need.width() and size.height() >= need.height():
            return
        if self.resized_from is None:
            self.resized_from = (size, self.window.minimumSize(), self.window.maximumSize())
        self.window.setMaximumSize(QWIDGETSIZE_MAX, QWIDGETSIZE_MAX)  # a message box has a fixed size
        self.window.resize(size.expandedTo(need))

    def restore(self) -> None:
        self.window.setWindowTitle(self.title)
        if self.resized_from is not None:
            size, least, most = self.resized_from
            self.window.setMinimumSize(least)
            self.window.setMaximumSize(most)
            self.window.resize(size)


class Lock(QObject):
    """Installed by the main window when it has a vault; armed once the case store is open."""

    locked_changed = Signal(bool)

    def __init__(
        self,
        window: QMainWindow,
        vault: CaseVault,
        tasks: TaskRunner,
        settings: QSettings,
        app_title: str = "CarePlan Desk",
        clock: Callable[[], float] = time.monotonic,
    ):
        super().__init__(window)
        self.window, self.vault, self.tasks, self.settings = window, vault, tasks, settings
        self.app_title = app_title
        self.clock = clock
        """Monotonic seconds: the idle time and the wait after a wrong passphrase are decided from it."""
        self.armed = False
        self.locked = False
        self.failures = 0
        self.form: UnlockForm | None = None
        self.host: QWidget | None = None
        self.covers: list[_Cover] = []
        self._active: QWidget | None = None
        self._last_input = clock()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.check_idle)
        self.action = QAction(_("&Lock"), window)
        self.action.setObjectName("lockAction")
        self.action.setShortcut(QKeySequence("Ctrl+L"))
        self.action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.action.setEnabled(False)
        self.action.triggered.connect(self.lock)
        self._app = QApplication.instance()
        self._app.installEventFilter(self)

    # --- arming and the idle timer ----------------------------------------------------------------

    def arm(self) -> None:
        """Start watching: the case store is open."""
        self.armed = True
        self.action.setEnabled(True)
        self._last_input = self.clock()
        self.apply_settings()

    def disarm(self) -> None:
        """Stop for good (the window is being closed or rebuilt)."""
        self.armed = False
        self._timer.stop()
        self.action.setEnabled(False)
        if self.locked:
            self._uncover()
        if _alive(self._app):
            self._app.removeEventFilter(self)

    def apply_settings(self) -> None:
        """Read the idle minutes again (call after Settings changed them)."""
        self._schedule()

    def idle_for(self) -> float:
        """Seconds since the last keyboard, mouse, wheel, touch or tablet input, by the clock."""
        return self.clock() - self._last_input

    def _schedule(self) -> None:
        """Time the next look at the idle time: when the limit would be reached (Settings' changes
        come through ``apply_settings``)."""
        self._timer.stop()
        limit = lock_seconds(self.settings)
        if self.armed and not self.locked and limit is not None:
            self._timer.start(int(max(0.05, limit - self.idle_for()) * 1000))

    def check_idle(self) -> None:
        """Lock if the clock says the idle limit is reached; else look again when the rest has passed."""
        limit = lock_seconds(self.settings)
        if self.armed and not self.locked and limit is not None and self.idle_for() >= limit:
            self.lock()
        else:
            self._schedule()  # there was input meanwhile: look again when the rest has passed

    # --- events -----------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in INPUT:
            self._last_input = self.clock()
        if not self.locked:
            if self.armed and kind == _E.KeyPress and self._is_lock_key(event):
                self.lock()  # Ctrl+L inside a modal dialog, where the window's own shortcut is blocked
                return True
            return False
        if kind == _E.Show and isinstance(watched, QWidget) and self._coverable(watched):
            self._cover(watched)  # a window that opens while locked is covered at once
            return False
        if kind == _E.Hide and watched is self.host:
            QTimer.singleShot(0, self._place_form)
            return False
        if kind == _E.Close and event.spontaneous() and watched is not self.window and self._covered(watched):
            event.ignore()  # a covered dialog is not closed from its title bar while locked
            return True
        if kind in BLOCKED:
            if kind == _E.Shortcut:
                return not (isinstance(watched, QWidget) and _inside_curtain(watched))
            if isinstance(watched, QWidget) and not _inside_curtain(watched):
                return True
        return False

    def _is_lock_key(self, event: QEvent) -> bool:
        combination = event.keyCombination()  # type: ignore[attr-defined]
        return QKeySequence(combination) == self.action.shortcut()

    # --- locking ----------------------------------------------------------------------------------

    def _coverable(self, widget: QWidget) -> bool:
        return (
            widget.isWindow()
            and widget.isVisible()
            and widget.windowType() not in NOT_COVERED
            and not isinstance(widget, Curtain)
            and not self._covered(widget)
        )

    def _covered(self, widget: QObject) -> bool:
        return any(cover.window is widget for cover in self.covers)

    def _cover(self, window: QWidget) -> None:
        curtain = Curtain(window)
        cover = _Cover(window, curtain)
        self.covers.append(cover)
        window.setWindowTitle(_("{app} (locked)").format(app=self.app_title))
        note = Card()
        note.setObjectName("lockedNote")
        note.heading(_("CarePlan Desk is locked"))
        note.paragraph(_("Patient data is hidden. Unlock in the window in front."))
        curtain.set_content(note, top=True)

    def lock(self) -> None:
        """Save what is being typed, then cover every window and show the unlock form."""
        if not self.armed or self.locked:
            return
        try:
            self.window.flush()
        except Exception:  # locking must not fail because a save did; the editor reports its own errors
            log.warning("saving before locking failed", exc_info=True)
        self.locked = True
        log.info("locked, %d s after the last input", int(self.idle_for()))  # Ctrl+L as well as idle
        self._timer.stop()
        QToolTip.hideText()
        for _attempt in range(10):  # menus, completers and combo lists can show patient data
            popup = QApplication.activePopupWidget()
            if popup is None:
                break
            popup.close()
        self._active = QApplication.activeWindow()
        for widget in QApplication.topLevelWidgets():
            if self._coverable(widget):
                self._cover(widget)
        self._place_form()
        self.locked_changed.emit(True)

    def _place_form(self) -> None:
        """The unlock form goes on the curtain of the modal dialog in front, else on the main window."""
        if not self.locked:
            return
        self.covers = [c for c in self.covers if _alive(c.window) and _alive(c.curtain)]
        modal = QApplication.activeModalWidget()
        host = modal if modal is not None and modal.isVisible() and self._covered(modal) else self.window
        until = self.form.until if _alive(self.form) and self.form.remaining > 0 else None
        form = UnlockForm(
            self.vault.key is not None,
            _("CarePlan Desk is locked"),
            _("Patient data is hidden while you are away. Unlock to go on where you left off."),
            clock=self.clock,
        )
        form.submitted.connect(self._submit)
        for cover in self.covers:
            if cover.window is host:
                old = cover.curtain.content
                cover.curtain.set_content(form)
                if _alive(old) and old is not form and old is not self.form:
                    old.deleteLater()
                cover.fit()
        if _alive(self.form) and self.form is not form:
            self.form.deleteLater()
        self.form, self.host = form, host
        if until is not None:
            form.refuse_until(until)  # a wrong try's wait goes on where it was
        host.raise_()
        host.activateWindow()
        form.focus()

    # --- unlocking --------------------------------------------------------------------------------

    def _submit(self, passphrase: str) -> None:
        if not self.locked or self.form is None:
            return
        if self.vault.key is None:  # no passphrase is set: the form only says so
            self.unlock()
            return
        self.form.set_busy(True)
        vault = self.vault
        self.tasks.run(lambda: vault.matches(passphrase), self._checked, self._check_failed)

    def _checked(self, right: bool) -> None:
        if not self.locked or not _alive(self.form):
            return
        if right:
            self.failures = 0
            self.unlock()
            return
        self.failures += 1
        self.form.refuse(retry_delay(self.failures))

    def _check_failed(self, exc: Exception) -> None:
        if _alive(self.form):
            self.form.set_busy(False)
            self.form.show_message(_("The passphrase could not be checked: {reason}").format(reason=plain_reason(exc)))

    def unlock(self) -> None:
        """Take the curtains away: every window, its title, typed text and focus are as before."""
        if not self.locked:
            return
        self._uncover()
        log.info("unlocked")
        self._last_input = self.clock()
        self._schedule()
        self.locked_changed.emit(False)

    def _uncover(self) -> None:
        covers, self.covers = self.covers, []
        self.locked = False
        self.form = self.host = None
        for cover in covers:
            if _alive(cover.window):
                cover.restore()
            if _alive(cover.curtain):
                cover.curtain.remove()
        for cover in covers:
            if _alive(cover.window) and _alive(cover.focus) and cover.focus.window() is cover.window:
                cover.focus.setFocus(Qt.FocusReason.OtherFocusReason)
        if _alive(self._active) and self._active.isVisible():
            self._active.activateWindow()
        self._active = None
