"""`careplan-desk`: start the GUI. Imports only what the first screen needs."""

from __future__ import annotations

import logging
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop.shell.main_window import MainWindow

_STARTED = time.perf_counter()


NEEDS_NO_DISPLAY = ("offscreen", "minimal", "vnc", "eglfs", "linuxfb")


def no_display() -> bool:
    """On Linux and the BSDs: no X11 or Wayland session to show a window in (and no platform that needs
    none, such as offscreen for tests). Qt would stop with a message about missing xcb libraries."""
    if not sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return False
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform.startswith(NEEDS_NO_DISPLAY):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def main(argv: list[str] | None = None) -> int:
    if no_display():
        print(
            "No display found: CarePlan Desk needs a desktop session (or set QT_QPA_PLATFORM=offscreen for "
            "tests). The command line needs none: careplan --help",
            file=sys.stderr,
        )
        return 1
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtWidgets import QApplication

    from desktop.settings.language import use_qt_translations
    from desktop.settings.theme import apply_theme
    from desktop.shared.fonts import load_bundled_fonts, ui_font
    from desktop.shared.tasks import TaskRunner
    from desktop.shell.main_window import APP_TITLE, MainWindow
    from planning.i18n import _, is_rtl, set_locale
    from services.paths import cases_db_path, data_dir, knowledge_db_path

    app = QApplication.instance() or QApplication(sys.argv if argv is None else argv)
    app.setApplicationName(APP_TITLE)
    app.setOrganizationName("CarePlan")
    app.setStyle("Fusion")
    load_bundled_fonts()
    app.setFont(ui_font())

    base = data_dir()
    from desktop.shell.app_log import install_excepthook, log_folder, setup_logging, show_error_message
    from desktop.shell.none_guard import guard_none
    from desktop.shell.session import Session
    from services.paths import secure_data_dir

    secure_data_dir(base)  # user-only files and folders; settings.ini created private before Qt writes it
    setup_logging(base)
    install_excepthook(show_error_message(base))
    session = Session.start(log_folder(base))  # a native crash leaves its stack in logs/crash.log
    guard_none(app)
    from desktop.shared.wheel_guard import install_wheel_guard

    install_wheel_guard(app)  # the wheel scrolls forms; a combo or spin box takes it only once focused
    settings = QSettings(str(base / "settings.ini"), QSettings.Format.IniFormat)  # the window's geometry
    from services.settings import Settings, coordinator_name

    preferences = Settings(base)  # the coordinator, the organisation, the language and the appearance
    stored = preferences.load()  # read once at start
    locale = stored.locale
    apply_theme(app, stored.appearance)

    def open_store():
        from services.stores import KnowledgeStore

        return KnowledgeStore.open(knowledge_db_path(base))  # each connection stays on the thread that opened it

    from services.stores import CaseVault

    vault = CaseVault(cases_db_path(base))  # keeps the key while the app runs, never the passphrase

    def open_cases(indications):
        return vault.open(indications, check_same_thread=True, check_later=True)

    tasks = TaskRunner(app)
    state: dict = {"window": None}

    def open_window(chosen: str, restored: Path | None = None) -> MainWindow:
        """The main window in ``chosen``: texts, Qt's own dialogs, formats and the layout direction."""
        set_locale(chosen)
        use_qt_translations(app, chosen)
        app.setLayoutDirection(Qt.LayoutDirection.RightToLeft if is_rtl(chosen) else Qt.LayoutDirection.LeftToRight)
        who = coordinator_name(preferences.load())
        window = MainWindow(settings, chosen, tasks, open_store, open_cases, base, who, vault=vault, session=session)
        window.language_changed.connect(switch_language)
        window.restore_requested.connect(restore_backup)
        window.reopen_requested.connect(reopen)
        window.restored_backup = restored
        window.show()
        window.load_store()
        state["window"] = window
        return window

    def close_window() -> MainWindow:
        old = state["window"]
        old.flush()
        app.setQuitOnLastWindowClosed(False)
        old.close()
        old.shutdown()
        old.deleteLater()
        return old

    def switch_language(chosen: str) -> None:
        """Rebuild the window in another language; what is being typed is saved first, nothing is lost."""
        window = state["window"]
        window.flush()
        reason = window.unsaved_reason()
        if reason is not None:  # a full disk or a read-only folder: rebuilding would lose what was typed
            window.statusBar().showMessage(
                _("The language was not changed: your last changes are not saved yet. {reason}").format(reason=reason),
                15000,
            )
            return
        try:
            preferences.update(locale=chosen)
        except OSError:  # the language still changes now; the next start uses the one stored before
            logging.getLogger("desktop.app").warning("the chosen language could not be stored")
        close_window()
        open_window(chosen)
        app.setQuitOnLastWindowClosed(True)

    def reopen() -> None:
        """The store turned out damaged after it opened: a new window checks it first and offers the
        newest good backup (the vault remembers the damage)."""
        chosen = close_window().locale
        open_window(chosen)
        app.setQuitOnLastWindowClosed(True)

    def restore_backup(backup: object) -> None:
        """Put a backup in place of the case store (Settings): the window is closed with its stores,
        the backup restored (the old file kept aside), and the window opened again; the vault keeps
        its key, so no passphrase is asked. The restore is audited once the store is open again."""
        from PySide6.QtWidgets import QMessageBox

        from desktop.shared.errors import plain_reason

        path = Path(str(backup))
        chosen = close_window().locale
        try:
            vault.restore(path)
        except Exception as exc:  # a bad backup changes nothing: say so in the reopened window
            window = open_window(chosen)
            box = QMessageBox(
                QMessageBox.Icon.Warning,
                APP_TITLE,
                _("The backup was not restored; nothing changed: {reason}").format(reason=plain_reason(exc)),
                parent=window,
            )
            box.setObjectName("restoreFailed")
            box.open()
            window.last_message = box
        else:
            open_window(chosen, restored=path)
        app.setQuitOnLastWindowClosed(True)

    window = open_window(locale)
    shown_ms = int((time.perf_counter() - _STARTED) * 1000)
    logging.getLogger("desktop.app").info("started: window shown after %d ms", shown_ms)
    if os.environ.get("CAREPLAN_EXIT_WHEN_READY"):
        _exit_when_ready(window)
    code = app.exec()
    tasks.wait()
    session.end()
    return code


def _exit_when_ready(window: MainWindow) -> None:
    """CAREPLAN_EXIT_WHEN_READY, for the start-up benchmark and the smoke tests (the frozen bundle's too): once
    the window has been painted and its knowledge store is loaded, print "ready <seconds since this module was
    imported>" and close the window, so the application ends with status 0."""
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    waiting = {"painted", "ready"}

    def done(what: str) -> None:
        waiting.discard(what)
        if not waiting:
            QTimer.singleShot(0, report)  # after the event that completed the wait has been handled

    def report() -> None:
        print(f"ready {time.perf_counter() - _STARTED:.4f}", flush=True)
        window.close()

    class Painted(QObject):
        """The first paint of any widget in the window (the window itself may never get one)."""

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and isinstance(watched, QWidget) and watched.window() is window:
                app.removeEventFilter(self)
                done("painted")
            return False

    app = QApplication.instance()
    painted = Painted(window)
    app.installEventFilter(painted)
    window.ready.connect(lambda: done("ready"))


if __name__ == "__main__":
    sys.exit(main())
