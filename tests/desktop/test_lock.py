"""The lock: Ctrl+L and idle minutes cover every window (dialogs too), nothing behind takes input,
wrong passphrases wait, and after unlocking typed text, tab, focus and open dialogs are as before.

Idle minutes and waits are decided from the lock's clock: the tests move a fake clock (FakeClock) and
never sleep through them."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLineEdit, QVBoxLayout

from desktop.security.access import TICK_MS, Curtain, UnlockForm, retry_delay
from desktop.security.lock import lock_seconds
from desktop.settings.preferences import preferences_of
from desktop.shell.main_window import APP_TITLE, MainWindow
from tests.desktop.conftest import PASSPHRASE as PASS
from tests.desktop.conftest import FakeClock, make_window

SOON = 1500
"""How long (ms) a test lets the timers take to see the clock moved: the countdown looks every TICK_MS,
so on a busy machine too. Shorter than the waits of 2 s and more, which a wall-clock wait would need."""
assert TICK_MS * 5 <= SOON


def on_clock(qtbot, window: MainWindow, clock: FakeClock) -> MainWindow:
    """The lock of an opened window on ``clock``, once the start-up check and backup are done."""
    assert window.lock.armed
    qtbot.waitUntil(lambda: not window.tasks.busy(), timeout=20000)
    window.lock.clock = clock
    window.lock.arm()  # the idle time counts from now, by the fake clock
    return window


@pytest.fixture
def window(qtbot, encrypted_window: MainWindow, clock: FakeClock) -> MainWindow:
    """The app started on a store encrypted with PASS and unlocked through its unlock form."""
    win = on_clock(qtbot, encrypted_window, clock)
    yield win
    win.lock.disarm()
    win.tasks.wait()


def curtain_on(widget) -> Curtain:
    curtains = [c for c in widget.findChildren(Curtain) if c.parentWidget() is widget]
    assert len(curtains) == 1
    return curtains[0]


def type_draft(qtbot, window: MainWindow) -> QLineEdit:
    window.new_case()
    editor = window.cases.editor
    editor.tabs.setCurrentIndex(0)
    name = editor.fields["patient.full_name"].widget
    name.setFocus()
    qtbot.keyClicks(name, "Zelda Quartermaine")
    return name


def unlock_with(qtbot, lock, passphrase: str) -> None:
    form = lock.form
    form.passphrase.setText(passphrase)
    qtbot.mouseClick(form.button, Qt.MouseButton.LeftButton)


def test_ctrl_l_covers_the_window_and_hides_every_patient_field(qtbot, window: MainWindow) -> None:
    name = type_draft(qtbot, window)
    before = window.grab().toImage()
    qtbot.keyClick(name, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.lock.locked
    curtain = curtain_on(window)
    assert curtain.isVisible() and curtain.geometry() == window.rect()
    assert isinstance(window.lock.form, UnlockForm) and window.lock.form.window() is window
    # What a person sees is the curtain alone: the window's picture is the curtain's picture.
    shown = window.grab().toImage()
    assert shown == curtain.grab().toImage() and shown != before
    assert window.windowTitle() != APP_TITLE and "Zelda" not in window.windowTitle()
    # The draft was saved before locking.
    stored = window.cases_store.get(window.cases.editor.case.id)
    assert stored.document["patient"]["full_name"] == "Zelda Quartermaine"

    # Nothing behind the curtain takes keys, clicks or shortcuts.
    qtbot.keyClicks(name, "XYZ")
    qtbot.mouseClick(window.nav, Qt.MouseButton.LeftButton)
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert name.text() == "Zelda Quartermaine" and window.nav.currentRow() == 0


def test_after_unlock_typed_text_tab_and_focus_are_as_before(qtbot, window: MainWindow) -> None:
    name = type_draft(qtbot, window)
    name.setCursorPosition(5)
    tab = window.cases.editor.tabs.currentIndex()
    window.lock.lock()
    unlock_with(qtbot, window.lock, PASS)
    qtbot.waitUntil(lambda: not window.lock.locked, timeout=10000)
    assert not [c for c in window.findChildren(Curtain) if c.isVisible()]
    assert window.windowTitle() == APP_TITLE
    assert name.text() == "Zelda Quartermaine" and name.cursorPosition() == 5
    assert window.cases.editor.tabs.currentIndex() == tab
    assert window.focusWidget() is name and name.isVisible()


def test_wrong_passphrases_wait_longer_each_time(qtbot, window: MainWindow, clock: FakeClock) -> None:
    assert [retry_delay(n) for n in range(1, 9)] == [1, 2, 4, 8, 16, 30, 30, 30]
    store = window.vault.path
    window.flush()
    window.lock.lock()
    form = window.lock.form
    assert form.clock is clock  # the lock gives the unlock form its clock
    for attempt, delay in enumerate((1, 2, 4, 8), start=1):
        unlock_with(qtbot, window.lock, "wrong passphrase")
        qtbot.waitUntil(lambda: form.remaining > 0, timeout=10000)  # checked off the GUI thread
        assert form.remaining == delay and window.lock.failures == attempt
        seconds = "1 second." if delay == 1 else f"{delay} seconds."
        assert "Wrong passphrase" in form.message.text() and seconds in form.message.text()
        assert not form.button.isEnabled() and not form.passphrase.isEnabled()
        form.passphrase.setText(PASS)
        form.submit()  # refused while waiting
        assert window.lock.locked and not form.busy
        clock.advance(delay - 0.5)  # half a second before the end: the countdown shows 1, still refused
        qtbot.waitUntil(lambda: "1 second." in form.message.text(), timeout=SOON)
        assert form.remaining == 1 and not form.button.isEnabled()
        form.submit()
        assert window.lock.locked and not form.busy
        clock.advance(0.55)
        qtbot.waitUntil(lambda: form.button.isEnabled() and form.passphrase.isEnabled(), timeout=SOON)
        assert form.remaining == 0 and form.message.text() == "Wrong passphrase."
    assert window.lock.locked and store.exists()
    unlock_with(qtbot, window.lock, PASS)
    qtbot.waitUntil(lambda: not window.lock.locked, timeout=10000)
    assert window.lock.failures == 0


def test_a_wait_goes_on_when_the_unlock_form_moves_to_another_window(
    qtbot, window: MainWindow, clock: FakeClock
) -> None:
    dialog = QDialog(window)
    QVBoxLayout(dialog).addWidget(QLineEdit(dialog))
    dialog.open()
    qtbot.waitExposed(dialog)
    window.lock.lock()
    first = window.lock.form
    assert first.window() is dialog
    unlock_with(qtbot, window.lock, "wrong passphrase")
    qtbot.waitUntil(lambda: first.remaining == 1, timeout=10000)
    unlock_with(qtbot, window.lock, "wrong again")  # refused while waiting: no second failure
    clock.advance(1.05)
    qtbot.waitUntil(lambda: first.button.isEnabled(), timeout=SOON)
    unlock_with(qtbot, window.lock, "wrong again")
    qtbot.waitUntil(lambda: first.remaining == 2, timeout=10000)
    clock.advance(0.7)
    dialog.reject()  # the form moves to the main window, and the wait with it
    qtbot.waitUntil(lambda: window.lock.form is not first and window.lock.form.window() is window)
    form = window.lock.form
    assert form.remaining == 2 and "2 seconds." in form.message.text() and not form.button.isEnabled()
    clock.advance(1.0)
    qtbot.waitUntil(lambda: "1 second." in form.message.text(), timeout=SOON)
    assert not form.passphrase.isEnabled()
    clock.advance(0.35)
    qtbot.waitUntil(lambda: form.button.isEnabled(), timeout=SOON)
    unlock_with(qtbot, window.lock, PASS)
    qtbot.waitUntil(lambda: not window.lock.locked, timeout=10000)


def test_an_open_dialog_is_covered_and_still_open_with_its_text_after_unlock(qtbot, window: MainWindow) -> None:
    dialog = QDialog(window)
    dialog.setWindowTitle("Notes about Zelda Quartermaine")
    field = QLineEdit(dialog)
    QVBoxLayout(dialog).addWidget(field)
    dialog.open()  # window-modal: the main window takes no input meanwhile
    qtbot.waitExposed(dialog)
    field.setFocus()
    qtbot.keyClicks(field, "half-typed note")

    qtbot.keyClick(field, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.lock.locked
    covering = curtain_on(dialog)
    assert covering.isVisible() and covering.geometry() == dialog.rect()
    assert curtain_on(window).geometry() == window.rect()
    assert window.lock.form.window() is dialog  # the form is where input can go: the modal dialog
    assert "Zelda" not in dialog.windowTitle()
    dialog.resize(dialog.width() + 120, dialog.height() + 80)
    qtbot.waitUntil(lambda: covering.geometry() == dialog.rect())
    assert dialog.isVisible()

    unlock_with(qtbot, window.lock, PASS)
    qtbot.waitUntil(lambda: not window.lock.locked, timeout=10000)
    assert dialog.isVisible() and dialog.result() == 0
    assert field.text() == "half-typed note" and dialog.windowTitle() == "Notes about Zelda Quartermaine"
    assert not [c for c in dialog.findChildren(Curtain) if c.isVisible()]
    dialog.reject()


def test_the_menu_has_lock_and_a_store_without_passphrase_unlocks_with_one_button(
    qtbot, data_dir: Path, clock: FakeClock
) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    window = on_clock(qtbot, make_window(qtbot, data_dir), clock)  # a plain store: no passphrase
    file_menu = window.menuBar().actions()[0].menu()
    assert window.lock.action in file_menu.actions()
    assert window.lock.action.shortcut().toString() == "Ctrl+L"
    window.lock.action.trigger()
    assert window.lock.locked
    form = window.lock.form
    assert form.passphrase is None
    assert form.findChild(type(form.message), "noPassphraseNote").isVisible()
    qtbot.mouseClick(form.button, Qt.MouseButton.LeftButton)
    assert not window.lock.locked
    window.lock.disarm()


def test_idle_minutes_lock_and_zero_means_never(qtbot, window: MainWindow, clock: FakeClock) -> None:
    lock, settings = window.lock, window.settings
    assert lock_seconds(settings) == 600  # default 10 minutes
    preferences_of(settings).update(lock_minutes=0)
    lock.apply_settings()
    assert not lock._timer.isActive()
    clock.advance(24 * 60 * 60)
    lock.check_idle()
    assert not lock.locked and lock_seconds(settings) is None

    preferences_of(settings).update(lock_minutes=10)
    qtbot.keyClick(window.search, Qt.Key.Key_Shift)  # input: the idle time starts now
    lock.apply_settings()
    assert lock.idle_for() == 0
    assert lock._timer.isActive() and lock._timer.interval() > 590_000  # looks when 10 minutes are up
    clock.advance(9 * 60 + 59.8)
    lock.check_idle()
    assert not lock.locked
    assert lock._timer.isActive() and lock._timer.interval() <= 200  # the rest, read from the clock: looks again then
    clock.advance(0.25)
    qtbot.waitUntil(lambda: lock.locked, timeout=SOON)  # that short timer fires, and the clock says 10 minutes
    assert curtain_on(window).geometry() == window.rect()
    assert not lock._timer.isActive()
    unlock_with(qtbot, lock, PASS)
    qtbot.waitUntil(lambda: not lock.locked, timeout=10000)
    assert lock.idle_for() == 0 and lock._timer.interval() > 590_000  # counts again from unlocking

    # Typing keeps it open: the idle time starts again with every key.
    name = type_draft(qtbot, window)
    for _ in range(6):
        clock.advance(8 * 60)
        qtbot.keyClicks(name, "a")
        lock.check_idle()
        assert not lock.locked
    clock.advance(9 * 60 + 59)
    lock.check_idle()
    assert not lock.locked
    clock.advance(1.05)
    lock.check_idle()
    assert lock.locked
    unlock_with(qtbot, lock, PASS)
    qtbot.waitUntil(lambda: not lock.locked, timeout=10000)


def test_a_failed_daily_backup_is_told_in_plain_words(qtbot, window: MainWindow) -> None:
    folder = window.vault.backups_folder
    for backup in window.vault.list_backups():
        backup.path.unlink()
    window.backup_if_due()
    qtbot.waitUntil(lambda: bool(window.vault.list_backups()), timeout=10000)
    for backup in window.vault.list_backups():
        backup.path.unlink()
    folder.rmdir()
    folder.write_text("not a folder")
    window.backup_if_due()
    qtbot.waitUntil(lambda: "backup could not be made" in window.statusBar().currentMessage(), timeout=10000)
    assert "Traceback" not in window.statusBar().currentMessage()
    folder.unlink()
    assert window.backup_timer.isActive() and window.backup_timer.interval() == 60 * 60 * 1000


def test_a_small_message_box_makes_room_for_the_form_and_gets_its_size_back(qtbot, window: MainWindow) -> None:
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Information, APP_TITLE, "Plan for Zelda Quartermaine saved.", parent=window)
    box.open()
    qtbot.waitExposed(box)
    size = box.size()
    qtbot.keyClick(box, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.lock.locked and window.lock.form.window() is box
    form = window.lock.form
    qtbot.waitUntil(lambda: box.rect().contains(form.geometry().translated(curtain_on(box).pos())))
    assert form.passphrase.height() >= form.passphrase.sizeHint().height()
    unlock_with(qtbot, window.lock, PASS)
    qtbot.waitUntil(lambda: not window.lock.locked, timeout=10000)
    assert box.isVisible() and box.size() == size
    box.reject()
