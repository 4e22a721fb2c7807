"""The main window "CarePlan Desk": navigation, global search, pages, and the status bar."""

from __future__ import annotations

import logging
from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.help.window import HelpMenu
from desktop.library.destinations_page import DestinationsPage
from desktop.library.page import LibraryPage
from desktop.shared.plain import plain
from desktop.shared.tasks import TaskRunner
from desktop.shared.wheel_guard import install_wheel_guard
from desktop.shell.search_box import SearchBox
from planning.i18n import _, format_partial_date
from planning.knowledge.models import PackInfo
from planning.knowledge.pack import PackError

log = logging.getLogger(__name__)


if TYPE_CHECKING:  # imported when first needed: the window shows before the stores and case pages load
    from desktop.cases.page import CasesPage
    from desktop.security.access import StartGate
    from desktop.security.lock import Lock
    from desktop.settings.page import SettingsPage
    from desktop.settings.setup_dialog import SetupDialog
    from desktop.shell.session import Session
    from services.settings import Preferences
    from services.stores import CaseStore, CaseVault, KnowledgeRebuilt, KnowledgeStore

APP_TITLE = "CarePlan Desk"

PAGES = ("cases", "library", "destinations", "settings")
BACKUP_CHECK_MS = 60 * 60 * 1000
"""How often a running app asks the vault whether the daily backup is due."""


class MainWindow(QMainWindow):
    """The window; the knowledge store arrives later (opened off the GUI thread) via set_store."""

    ready = Signal()
    language_changed = Signal(str)
    cases_ready = Signal()
    """The case store is open and its page shown (with a vault: after unlocking)."""
    reopen_requested = Signal()
    """The case store turned out damaged after opening: the application opens a new window."""
    restore_requested = Signal(object)
    """Settings asked to restore this backup (a Path): the application rebuilds the window around it."""

    def __init__(
        self,
        settings: QSettings,
        locale: str,
        tasks: TaskRunner,
        open_store: Callable[[], KnowledgeStore],
        open_cases: Callable[[frozenset[str]], CaseStore],
        data_dir: Path,
        who: str = "",
        opener: Callable[[Path], None] | None = None,
        vault: CaseVault | None = None,
        session: Session | None = None,
    ):
        super().__init__()
        install_wheel_guard(QApplication.instance())  # once: no unfocused box in any form takes the wheel
        self.vault = vault
        self.session = session
        """The run's marker (desktop.shell.session): which case to reopen, and whether the last run crashed."""
        self.lock: Lock | None = None
        self.store_damaged = False
        self.gate: StartGate | None = None
        self.restored_backup: Path | None = None
        """Set before load_store when the store was just restored from this backup: audited once open."""
        self._codes: frozenset[str] | None = None
        self._wired_security: object | None = None
        self._vault_ready = False
        self.settings, self.locale, self.tasks = settings, locale, tasks
        self._open_store = open_store
        self._open_cases = open_cases
        self.data_dir = data_dir
        self.who = who
        self.opener = opener
        self.store: KnowledgeStore | None = None
        self.cases_store: CaseStore | None = None
        self.cases: CasesPage | None = None
        self.last_message: QMessageBox | None = None
        self.setup_dialog: SetupDialog | None = None
        """The first-run set-up while it is (or was last) shown."""
        self.setAcceptDrops(True)
        self.setWindowTitle(APP_TITLE)
        self.setObjectName("mainWindow")
        self.setMinimumSize(QSize(760, 520))

        central = QWidget(self)
        outer = QVBoxLayout(central)
        outer.setContentsMargins(8, 8, 8, 4)
        header = QHBoxLayout()
        title = QLabel(f"<b>{APP_TITLE}</b>", central)
        title.setObjectName("appTitle")
        self.search = SearchBox(None, central)
        self.search.opened.connect(self.open_record)
        self.search.setEnabled(False)
        header.addWidget(title)
        header.addSpacing(16)
        header.addWidget(self.search, 1)
        outer.addLayout(header)

        body = QHBoxLayout()
        self.nav = QListWidget(central)
        self.nav.setObjectName("navigation")
        self.nav.setAccessibleName(_("Navigation"))
        self.nav.setFixedWidth(170)
        for key, label, shortcut in (
            ("cases", _("Cases"), "Ctrl+1"),
            ("library", _("Library"), "Ctrl+2"),
            ("destinations", _("Destinations"), "Ctrl+3"),
            ("settings", _("Settings"), "Ctrl+4"),
        ):
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setToolTip(f"{label} ({shortcut})")
            item.setSizeHint(QSize(160, 36))
            self.nav.addItem(item)
        self.stack = QStackedWidget(central)
        self.cases_placeholder = QLabel(_("Opening the cases…"), self.stack)
        self.cases_placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.cases_placeholder)
        self.library = LibraryPage(locale, self.stack)
        self.destinations = DestinationsPage(locale, self.stack)
        self.stack.addWidget(self.library)
        self.stack.addWidget(self.destinations)
        self.settings_placeholder = QLabel(_("Opening the settings…"), self.stack)
        self.stack.addWidget(self.settings_placeholder)
        self._settings_page: SettingsPage | None = None
        self.library.destination_requested.connect(self.open_destination)
        self.destinations.source_requested.connect(lambda ref: self.open_record("source", ref))
        self.nav.currentRowChanged.connect(self._page_chosen)
        body.addWidget(self.nav)
        body.addWidget(self.stack, 1)
        outer.addLayout(body, 1)
        self.setCentralWidget(central)

        self.pack_label = QLabel(_("Loading the knowledge pack…"), self)
        self.pack_label.setObjectName("packStatus")
        local = QLabel(_("All data local: no network used"), self)
        local.setObjectName("localStatus")
        self.statusBar().addWidget(self.pack_label, 1)
        self.statusBar().addPermanentWidget(local)

        if vault is not None:
            from desktop.security.lock import Lock

            self.lock = Lock(self, vault, tasks, settings, APP_TITLE)
            self.backup_timer = QTimer(self)
            self.backup_timer.setInterval(BACKUP_CHECK_MS)
            self.backup_timer.timeout.connect(self.backup_if_due)
        self._build_menus()
        self.nav.setCurrentRow(0)
        self._restore_geometry()

    # --- set-up ------------------------------------------------------------------------------

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(_("&File"))
        self.new_case_action = QAction(_("&New case"), self)
        self.new_case_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_case_action.triggered.connect(self.new_case)
        self.import_case_action = QAction(_("Import case from &file…"), self)
        self.import_case_action.setShortcut(QKeySequence.StandardKey.Open)
        self.import_case_action.triggered.connect(self.choose_case_to_import)
        self.export_case_action = QAction(_("&Export case to file…"), self)
        self.export_case_action.triggered.connect(self.choose_export_target)
        save = QAction(_("&Save"), self)  # everything is saved as it is typed; Ctrl+S just saves now
        save.setShortcut(QKeySequence.StandardKey.Save)
        save.triggered.connect(self.flush)
        for action in (self.new_case_action, self.import_case_action, self.export_case_action):
            action.setEnabled(False)
            file_menu.addAction(action)
        file_menu.addAction(save)
        file_menu.addSeparator()
        self.import_action = QAction(_("&Import knowledge pack…"), self)
        self.import_action.setEnabled(False)
        self.import_action.triggered.connect(self.choose_pack_to_import)
        file_menu.addAction(self.import_action)
        file_menu.addSeparator()
        if self.lock is not None:
            file_menu.addAction(self.lock.action)
        quit_action = QAction(_("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        # also from the guide and the plan's own window (a modal dialog still holds it back)
        quit_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        quit_action.setObjectName("quitAction")
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        self.edit_menu = self.menuBar().addMenu(_("&Edit"))  # the case editor's Undo and Redo, once it exists

        go_menu = self.menuBar().addMenu(_("&Go"))
        find = QAction(_("&Search"), self)
        find.setShortcuts([QKeySequence("Ctrl+K"), QKeySequence.StandardKey.Find])
        find.triggered.connect(self.focus_search)
        go_menu.addAction(find)
        pages = (
            (_("&Cases"), "Ctrl+1"),
            (_("&Library"), "Ctrl+2"),
            (_("&Destinations"), "Ctrl+3"),
            (_("S&ettings"), "Ctrl+4"),
        )
        for row, (label, shortcut) in enumerate(pages):
            action = QAction(label, self)
            action.setShortcut(QKeySequence(shortcut))
            action.triggered.connect(lambda _checked=False, row=row: self.nav.setCurrentRow(row))
            go_menu.addAction(action)
        back = QAction(_("&Back"), self)
        back.setShortcut(QKeySequence.StandardKey.Back)
        back.triggered.connect(self.library.back)
        go_menu.addAction(back)

        help_menu = self.menuBar().addMenu(_("&Help"))
        self.help = HelpMenu(self, self.locale, help_menu)  # User guide (F1), Keyboard shortcuts
        about = QAction(_("&About CarePlan Desk"), self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)

    def _restore_geometry(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and self.restoreGeometry(geometry):
            return
        screen = self.screen().availableGeometry() if self.screen() else None
        if screen is not None:
            width, height = min(1280, int(screen.width() * 0.9)), min(820, int(screen.height() * 0.9))
            self.resize(width, height)
            self.move(screen.center() - self.rect().center())
        else:
            self.resize(1280, 820)

    def unsaved_reason(self) -> str | None:
        """Why the edits in the open case are not saved yet (a full disk, a read-only folder), or None."""
        if self.cases is None or not self.cases.editor.has_pending():
            return None
        return self.cases.editor.save_failure

    def closeEvent(self, event: QCloseEvent) -> None:
        self.flush()
        reason = self.unsaved_reason()
        if reason is not None and not self.ask_to_close_unsaved(reason):
            event.ignore()  # the window stays open with what was typed, and saving is tried again
            return
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.sync()
        super().closeEvent(event)
        for child in self.findChildren(QWidget):
            if child.isWindow() and child.isVisible():  # the guide, the plan's own window: the app quits
                child.close()

    def ask_to_close_unsaved(self, reason: str) -> bool:
        """Closing would lose edits that could not be saved: only if the coordinator says so."""
        box = QMessageBox(QMessageBox.Icon.Warning, APP_TITLE, _("Your last changes are not saved yet."), parent=self)
        box.setObjectName("unsavedOnClose")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setInformativeText(
            _("{reason} If you close now, the changes typed since the last save are lost.").format(reason=reason)
        )
        keep = box.addButton(_("Keep the window open"), QMessageBox.ButtonRole.RejectRole)
        box.addButton(_("Close and lose them"), QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(keep)
        self.last_message = box
        box.exec()
        return box.clickedButton() is not keep

    # --- the knowledge store -----------------------------------------------------------------

    def load_store(self) -> None:
        """Open (and if needed build) the knowledge store off the GUI thread.

        With a vault, the knowledge store opens meanwhile, but the cases open only once the vault is
        unlocked (or set up at first start); until then a curtain covers the window.
        """
        if self.vault is not None:
            self._load_with_vault(self.vault)
            return

        self.tasks.run(self._prepare_store, self._stores_prepared, self._store_failed)

    def _load_with_vault(self, vault: CaseVault) -> None:
        from desktop.security.access import StartGate

        self.gate = StartGate(self, vault, self.tasks)
        self.gate.ready.connect(self._vault_unlocked)

        self.tasks.run(self._prepare_store, self._knowledge_prepared, self._store_failed)
        self.gate.start()

    def _prepare_store(self) -> KnowledgeRebuilt | None:
        """In the worker, on a connection of its own, as every command does (services.stores): a damaged
        knowledge store is rebuilt from the bundled pack, and the bundled pack installed if it is newer
        (seconds at first start). The window's connections are opened on the GUI thread, which owns them."""
        from services.stores import prepare_knowledge

        return prepare_knowledge(self.data_dir)

    def _tell_rebuilt(self, rebuilt: object) -> None:
        """Say that the knowledge store was damaged and rebuilt, and what of the coordinator's own is kept."""
        from services.stores import KnowledgeRebuilt

        if not isinstance(rebuilt, KnowledgeRebuilt):
            return
        box = QMessageBox(QMessageBox.Icon.Warning, APP_TITLE, rebuilt.message(), parent=self)
        box.setObjectName("knowledgeRebuilt")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.open()
        self.last_message = box

    def _open_knowledge(self) -> KnowledgeStore | None:
        """The window's knowledge store, opened here on the GUI thread; None (and said) when it fails."""
        try:
            store = self._open_store()
            store.pack()
        except Exception as exc:
            self._store_failed(exc)
            return None
        return store

    def _knowledge_prepared(self, rebuilt: object = None) -> None:
        store = self._open_knowledge()
        if store is None:
            return
        self._codes = frozenset(i.code for i in store.pack().indications)
        self.set_store(store)
        self._tell_rebuilt(rebuilt)
        self._open_cases_when_ready()

    def _vault_unlocked(self) -> None:
        self._vault_ready = True
        self._open_cases_when_ready()

    def _open_cases_when_ready(self) -> None:
        if not self._vault_ready or self._codes is None or self.cases_store is not None:
            return
        try:  # on the GUI thread, which owns the connection (reading the schema: milliseconds)
            cases = self._open_cases(self._codes)
        except Exception as exc:
            self._cases_failed(exc)
            return
        self._cases_opened(cases)

    def _cases_opened(self, cases: CaseStore) -> None:
        assert self.store is not None and self.gate is not None and self.lock is not None
        try:
            self._show_cases(self.store, cases)
        except Exception as exc:
            from services import stores

            if not stores.is_damage(exc):
                raise
            self.cases_store = cases
            self.store_is_damaged()  # a damaged page past the schema, read before the full check
            return
        restored = self.restored_backup or self.gate.restored_from
        self.restored_backup = self.gate.restored_from = None
        if restored is not None:
            cases.audit(self.who, "backup_restored", detail=Path(restored).name)
            self.statusBar().showMessage(_("Restored the backup {name}").format(name=Path(restored).name), 15000)
        self.gate.finish()
        log.info("case store opened")
        if self._settings_page is not None:
            self._give_security(self._settings_page)  # built before the cases opened
        if self.nav.currentRow() == PAGES.index("settings"):
            self._page_chosen(self.nav.currentRow())  # chosen before the cases opened: build it now
        self.lock.arm()
        self.backup_timer.start()
        if self.vault.pending_check:  # the full check and the start-up backup, once the cases are shown
            self.tasks.run(self.vault.check_and_back_up, self._startup_backup_done, self._startup_check_failed)
        self._resume()
        self._offer_setup()
        self.cases_ready.emit()

    def _offer_setup(self) -> None:
        """The first-run set-up after the passphrase, until finished or skipped (desktop.settings.setup_dialog)."""
        from desktop.settings.preferences import preferences_of
        from desktop.settings.setup_dialog import offer_setup

        assert self.store is not None
        self.setup_dialog = offer_setup(self, preferences_of(self.settings), self.store, self.locale, self._set_up)

    def _set_up(self, preferences: Preferences) -> None:
        """The set-up was saved: changes are recorded in the coordinator's name, Settings shows what it keeps."""
        self._profile_changed(preferences.coordinator_name, preferences.coordinator_email)
        if self._settings_page is not None:
            self._settings_page.show_stored()

    def _resume(self) -> None:
        """Open the case that was open (after a restart or a language switch); after an unexpected
        close, say so: everything saved up to then is kept."""
        session = self.session
        if session is None or self.cases is None:
            return
        if session.case_id is not None and self.cases.open_case(session.case_id) is None:
            session.case_opened(None)  # erased since
        self.cases.case_opened.connect(session.case_opened)
        previous, session.previous = session.previous, None
        if previous is None or not previous.crashed:
            return
        log.warning("the previous session ended unexpectedly")
        text = _("CarePlan Desk closed unexpectedly last time.")
        detail = (
            _("Everything saved up to then is kept, and the case that was open is open again.")
            if self.cases.editor.case is not None
            else _("Everything saved up to then is kept.")
        )
        box = QMessageBox(QMessageBox.Icon.Information, APP_TITLE, text, parent=self)
        box.setObjectName("crashNotice")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setInformativeText(detail)
        box.open()
        self.last_message = box

    def _cases_failed(self, exc: Exception) -> None:
        from services.stores import StoreDamaged

        assert self.gate is not None
        self._vault_ready = False
        if isinstance(exc, StoreDamaged):
            self.gate.show_damaged(exc)
        else:
            self.gate.show_failure(exc)

    def backup_if_due(self) -> None:
        """Make the daily backup off the GUI thread when one is due; a failure is told in the status bar."""
        vault = self.vault
        if vault is None or self.cases_store is None:
            return
        self.tasks.run(vault.backup_if_due, self._backup_done, self._backup_failed)

    def _backup_done(self, made: object) -> None:
        if made is not None:
            log.info("daily backup made")
            self.statusBar().showMessage(_("Daily backup made."), 8000)

    def _startup_backup_done(self, made: object) -> None:
        if made is not None:
            log.info("start-up backup made")
            if self._settings_page is not None and self._settings_page.security is not None:
                self._settings_page.security.show_backups()

    def _startup_check_failed(self, exc: Exception) -> None:
        from desktop.shared.errors import plain_reason
        from services import stores

        if stores.is_damage(exc):
            self.store_is_damaged()
            return
        self.statusBar().showMessage(_("The backup could not be made: {reason}").format(reason=plain_reason(exc)))

    def store_is_damaged(self) -> None:
        """The check after opening found damage: nothing more is written to the store, which is
        closed, and the application opens a new window that checks it first and offers a backup."""
        log.warning("case store damaged after opening")
        if self.vault is not None:
            self.vault.suspect = True
        self.store_damaged = True
        if self.cases is not None:
            self.cases.setEnabled(False)
        if self.lock is not None:
            self.lock.disarm()
            self.backup_timer.stop()
        if self.cases_store is not None:
            self.cases_store.close()
            self.cases_store = None
        self.reopen_requested.emit()

    def _backup_failed(self, exc: Exception) -> None:
        from desktop.shared.errors import plain_reason

        self.statusBar().showMessage(_("The daily backup could not be made: {reason}").format(reason=plain_reason(exc)))

    def _stores_prepared(self, rebuilt: object = None) -> None:
        store = self._open_knowledge()
        if store is None:
            return
        try:
            cases = self._open_cases(frozenset(i.code for i in store.pack().indications))
        except Exception as exc:
            store.close()
            self._store_failed(exc)
            return
        self._show_cases(store, cases)
        self.set_store(store)
        self._resume()
        self._tell_rebuilt(rebuilt)

    def _show_cases(self, store: KnowledgeStore, cases: CaseStore) -> None:
        from desktop.cases.follow_up import attach_status_bar
        from desktop.cases.page import CasesPage
        from services.paths import outbox_path

        self.cases_store = cases
        self.cases = CasesPage(
            cases,
            store.pack(),
            self.locale,
            self.who,
            self.stack,
            rates=store.rates,
            costs=store.cost_defaults,
            tasks=self.tasks,
            preferences=self.preferences,
            outbox=outbox_path(self.data_dir),
            opener=self.opener,
        )
        self.cases.source_requested.connect(lambda ref: self.open_record("source", ref))
        attach_status_bar(self, self.cases, lambda: self.nav.setCurrentRow(0))  # "N follow-ups due"
        self.stack.removeWidget(self.cases_placeholder)
        self.cases_placeholder.deleteLater()
        self.stack.insertWidget(0, self.cases)
        if self.nav.currentRow() == 0:
            self.stack.setCurrentIndex(0)
        for action in (self.new_case_action, self.import_case_action, self.export_case_action):
            action.setEnabled(True)
        self.edit_menu.clear()  # "Undo <field label>": the field's case shown when chosen from another page
        for action in (self.cases.editor.undo_action, self.cases.editor.redo_action):
            self.edit_menu.addAction(action)
            action.triggered.connect(lambda _checked=False: self.nav.setCurrentRow(PAGES.index("cases")))

    def set_store(self, store: KnowledgeStore) -> None:
        from services.search import search_everything

        self.store = store
        pack = store.pack()
        from desktop.settings.preferences import preferences_of

        self.library.recheck_setting = preferences_of(self.settings).load().recheck_months
        self.library.set_pack(pack)
        self.destinations.set_pack(pack, store.rates())
        # the pack and the cases; the case store's connection is this (the GUI) thread's, as the list's
        self.search.set_search(lambda text: search_everything(store, self.cases_store, text, self.locale))
        self.search.setEnabled(True)
        self.import_action.setEnabled(True)
        self._show_pack_info(pack.info)
        self.ready.emit()
        QTimer.singleShot(0, self._load_icons)

    def _load_icons(self) -> None:
        """Icons come from bundled icon fonts, coloured for the current palette; loaded after start-up."""
        import qtawesome

        # The application's palette, already the new one when the appearance has just changed (the window's
        # own follows a moment later: icons made from it were one theme behind, black on black)
        colour = QApplication.palette().color(QPalette.ColorRole.WindowText)
        names = ("mdi6.account-file-text-outline", "mdi6.book-open-variant", "mdi6.earth", "mdi6.cog-outline")
        for row, name in enumerate(names):
            self.nav.item(row).setIcon(qtawesome.icon(name, color=colour))
        icon = qtawesome.icon("mdi6.magnify", color=colour)
        if getattr(self, "_search_icon", None) is None:
            self._search_icon = self.search.addAction(icon, QLineEdit.ActionPosition.LeadingPosition)
        else:
            self._search_icon.setIcon(icon)

    def _show_pack_info(self, info: PackInfo) -> None:
        self.pack_label.setText(
            _("Knowledge pack {version} · as of {date}").format(
                version=info.version, date=format_partial_date(info.as_of, self.locale)
            )
        )

    def _store_failed(self, exc: Exception) -> None:
        self.pack_label.setText(_("The knowledge pack could not be loaded."))
        detail = "\n".join(str(p) for p in exc.problems) if isinstance(exc, PackError) else str(exc)
        box = QMessageBox(
            QMessageBox.Icon.Critical, APP_TITLE, _("The knowledge pack could not be loaded."), parent=self
        )
        box.setInformativeText(_("Reinstalling the app restores the bundled pack. Details below."))
        box.setDetailedText(detail)
        box.open()

    # --- actions -----------------------------------------------------------------------------

    @property
    def settings_page(self) -> SettingsPage | None:
        """The Settings page, built the first time it is needed (not at start-up)."""
        if self._settings_page is None and self.store is not None:
            from desktop.settings.page import SettingsPage

            page = SettingsPage(self.settings, self.store, self.locale, self.stack)
            page.profile_changed.connect(self._profile_changed)
            page.rates_changed.connect(self._rates_changed)
            page.appearance_changed.connect(lambda _scheme: self._repaint_pages())
            page.language_changed.connect(self.language_changed)
            page.restore_requested.connect(self.restore_requested)
            page.recheck_months_changed.connect(self.library.set_recheck_months)
            if self.lock is not None:
                page.lock_minutes_changed.connect(lambda _minutes: self.lock.apply_settings())
            self._settings_page = page
            self._give_security(page)
            index = self.stack.indexOf(self.settings_placeholder)
            self.stack.removeWidget(self.settings_placeholder)
            self.settings_placeholder.deleteLater()
            self.stack.insertWidget(index, page)
        return self._settings_page

    def _give_security(self, page: SettingsPage) -> None:
        """Settings' security and backups need the vault and the open case store."""
        if self.vault is not None and self.cases_store is not None:
            section = page.set_security(self.vault, self.cases_store, self.who, tasks=self.tasks, opener=self.opener)
            if section is not self._wired_security:  # a new section after a restore: wire it once
                section.storage_paused.connect(self.pause_storage)
                section.storage_resumed.connect(self.resume_storage)
                self._wired_security = section

    def pause_storage(self) -> None:
        """Before the case store's connection is released for re-encryption: what is typed is saved,
        later edits wait in the form, and no backup starts meanwhile."""
        self.backup_timer.stop()
        if self.cases is not None:
            self.cases.pause_saving()

    def resume_storage(self) -> None:
        """The store has its connection again: edits made meanwhile are saved now."""
        if self.cases is not None:
            self.cases.resume_saving()
        if self.cases_store is not None:
            self.backup_timer.start()

    def _page_chosen(self, row: int) -> None:
        if PAGES[row] == "settings" and (self.vault is None or self.cases_store is not None):
            _ = self.settings_page
        self.stack.setCurrentIndex(row)

    def preferences(self) -> Preferences:
        """The settings plans are made with: the letterhead, the coordinator, the terms (read when used)."""
        from desktop.settings.preferences import preferences_of

        return preferences_of(self.settings).load()

    def shutdown(self) -> None:
        """Close this window's database connections (after a language switch made a new window)."""
        if self.lock is not None:
            self.lock.disarm()
            self.backup_timer.stop()
        self.tasks.wait()
        for store in (self.store, self.cases_store):
            if store is not None:
                store.close()
        self.store = self.cases_store = None

    def _profile_changed(self, name: str, _email: str) -> None:
        self.who = name or self.who
        if self.cases is not None:
            self.cases.who = self.who

    def _rates_changed(self) -> None:
        assert self.store is not None
        self.destinations.set_pack(self.store.pack(), self.store.rates())
        if self.cases is not None and self.cases.editor.case is not None:
            self.cases.editor.refresh()

    def _repaint_pages(self) -> None:
        """Rich-text pages take their colours from the palette: draw them again after a theme change."""
        if self.library.current:
            self.library.open(*self.library.current, remember=False)
        if self.cases is not None and self.cases.editor.case is not None:
            self.cases.editor.refresh()
        self._load_icons()

    def flush(self) -> None:
        """Save what is being typed now (it is saved a moment later anyway); never into a damaged store."""
        if self.cases is not None and not self.store_damaged:
            self.cases.flush()

    def new_case(self) -> None:
        if self.cases is None:
            return
        self.nav.setCurrentRow(PAGES.index("cases"))
        self.cases.new_case()

    def choose_case_to_import(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Import case"), str(Path.home()), _("Case file (*.json);;All files (*)")
        )
        if path:
            self.import_case(Path(path))

    def import_case(self, path: Path) -> bool:
        """Import a case file: validated whole; an invalid file is refused with every problem."""
        if self.cases_store is None or self.cases is None:
            return False
        from services.case_files import CaseFileError, import_case

        try:
            currencies = self.store.currencies() if self.store is not None else None
            stored = import_case(self.cases_store, path, self.who, currencies=currencies)
        except CaseFileError as exc:
            problems = exc.localized_lines()
        else:
            self.nav.setCurrentRow(PAGES.index("cases"))
            self.cases.apply_filters()
            self.cases.open_case(stored.id)
            self.statusBar().showMessage(_("Imported case {reference}").format(reference=stored.reference), 8000)
            return True
        box = QMessageBox(
            QMessageBox.Icon.Warning, APP_TITLE, _("This case file was not imported; nothing was created."), parent=self
        )
        box.setObjectName("caseImportResult")
        box.setTextFormat(Qt.TextFormat.PlainText)  # the problems repeat what the file holds
        box.setInformativeText("\n".join(problems[:15]))
        if len(problems) > 15:
            box.setDetailedText("\n".join(problems))
        box.open()
        self.last_message = box
        return False

    def choose_export_target(self) -> None:
        if self.cases is None or self.cases.editor.case is None:
            QMessageBox.information(self, APP_TITLE, _("Open a case first."))
            return
        reference = self.cases.editor.case.reference
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Export case"), str(Path.home() / f"{reference}.json"), _("Case file (*.json)")
        )
        if path:
            self.export_case(Path(path))

    def export_case(self, path: Path) -> bool:
        """Write the open case as a case file (JSON), whole or not at all; audited as the command line's."""
        assert self.cases is not None and self.cases_store is not None and self.cases.editor.case is not None
        from services.case_files import CaseFileError, export_case

        self.flush()
        try:
            export_case(self.cases_store, self.cases.editor.case.id, path, self.who)
        except CaseFileError as exc:
            reason = "; ".join(problem.localized() for problem in exc.problems)
            QMessageBox.warning(
                self,
                APP_TITLE,
                plain(_("The case could not be saved to {path}: {reason}").format(path=path, reason=reason)),
            )
            return False
        self.statusBar().showMessage(_("Saved {path}").format(path=path), 8000)
        return True

    def dragEnterEvent(self, event) -> None:
        if any(
            url.isLocalFile() and url.toLocalFile().lower().endswith((".json", ".zip"))
            for url in event.mimeData().urls()
        ):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        for url in event.mimeData().urls():
            path = Path(url.toLocalFile())
            if path.suffix.lower() == ".json":
                self.import_case(path)
            elif path.suffix.lower() == ".zip":
                self.import_pack(path)
        event.acceptProposedAction()

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def open_record(self, kind: str, ref: str) -> None:
        if kind == "case" and self.cases is not None:
            self.nav.setCurrentRow(PAGES.index("cases"))
            self.cases.open_case(int(ref))
            return
        if kind == "destination":
            self.open_destination(ref)
            return
        self.nav.setCurrentRow(PAGES.index("library"))
        self.library.open(kind, ref)

    def open_destination(self, code: str) -> None:
        self.nav.setCurrentRow(PAGES.index("destinations"))
        self.destinations.show_country(code)

    def choose_pack_to_import(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Import knowledge pack"), str(Path.home()), _("Knowledge pack (*.zip);;All files (*)")
        )
        if path:
            self.import_pack(Path(path))

    def import_pack(self, path: Path) -> None:
        """Validate and install a pack off the GUI thread; the result is reported in plain words."""
        self.import_action.setEnabled(False)
        self.pack_label.setText(_("Checking the knowledge pack…"))
        database = self.store.db.conn.execute("PRAGMA database_list").fetchone()[2] if self.store else None

        def work() -> PackInfo:
            from services.stores import KnowledgeStore

            store = KnowledgeStore.open(database) if database else self._open_store()
            try:
                return store.import_pack(path)
            finally:
                store.close()

        self.tasks.run(work, self._pack_imported, self._pack_import_failed)

    def _pack_imported(self, info: PackInfo) -> None:
        assert self.store is not None
        self.store._pack = None  # read the newly installed pack
        self.set_store(self.store)
        self.import_action.setEnabled(True)
        QMessageBox.information(
            self,
            APP_TITLE,
            _("Knowledge pack {version} (as of {date}) is installed.").format(
                version=info.version, date=format_partial_date(info.as_of, self.locale)
            ),
        )

    def _pack_import_failed(self, exc: Exception) -> None:
        self.import_action.setEnabled(True)
        if self.store and self.store.info():
            self._show_pack_info(self.store.info())
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            APP_TITLE,
            _("This knowledge pack was not installed; nothing changed."),
            parent=self,
        )
        if isinstance(exc, PackError):
            box.setInformativeText("\n".join(str(p) for p in exc.problems[:12]))
            if len(exc.problems) > 12:
                box.setDetailedText("\n".join(str(p) for p in exc.problems))
        else:
            box.setInformativeText(str(exc))
        box.setObjectName("importResult")
        box.setTextFormat(Qt.TextFormat.PlainText)  # the problems repeat what the pack holds
        box.open()
        self.last_message = box

    def show_about(self) -> None:
        """The version, the build date, the knowledge pack in use, and where the data is."""
        from resources import app_version, build_date

        built = build_date()
        build = (
            _("Built on {date}.").format(date=format_partial_date(built, self.locale))
            if built
            else _("Run from source (no build date).")
        )
        info = self.store.info() if self.store else None
        pack = (
            _("Knowledge pack {version}, as of {date} ({origin}).").format(
                version=info.version, date=format_partial_date(info.as_of, self.locale), origin=self.store.origin()
            )
            if info and self.store
            else _("Knowledge pack not loaded.")
        )
        intro = _(
            "An offline counseling aid for patient coordinators: CAR T-cell therapy facts, "
            "eligibility notes and country comparisons, with every fact sourced and dated."
        )
        caution = _("Counseling information, not a medical decision: the treating centre decides.")
        local = _("All data stays on this computer, in {path}.").format(path=self.data_dir)
        QMessageBox.about(
            self,
            _("About CarePlan Desk"),
            # escaped: the pack's file name and the data folder's name are shown as they are written
            f"<h3>{APP_TITLE} {escape(app_version())}</h3>"
            + "".join(f"<p>{escape(t)}</p>" for t in (intro, build, pack, caution, local)),
        )
