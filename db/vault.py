"""The patient store as a whole: whether it is encrypted, unlocking it, its backups and its health.

One object the GUI and the command line share, so both open, unlock, back up and restore the case
store the same way. It holds the derived key while the store is unlocked, never the passphrase.

Setting a store up is exclusive: processes starting at once on a new data folder take a lock file
in turn; the first creates the store, the others find it and unlock it with their passphrase.

A plain store records whether the coordinator chose it in the app (``PLAIN_CHOSEN`` in the SQLite
header's application id, which backups and restores carry along): the app warns before using a plain
store made any other way (``careplan case import --no-encryption``, an older version).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from db import backups
from db.backups import Backup, Comparison, RekeyReport
from db.case_store import CaseStore
from db.connection import connect, encrypted_copy
from db.crypto import Key, WrongPassphrase, derive, first_page_damaged, header, is_encrypted, key_for, new_key
from db.faults import database_errors, is_database_error
from db.paths import PRIVATE_FILE

PLAIN_CHOSEN = int.from_bytes(b"CPDp", "big")
"""The application id of a plain store whose coordinator chose "no encryption" in the app."""


class StoreDamaged(Exception):
    """The case store cannot be read; ``backup`` is the newest good backup (None if there is none)."""

    def __init__(self, problem: str, backup: Backup | None):
        super().__init__(problem)
        self.problem, self.backup = problem, backup


class NoStore(FileNotFoundError):
    """There is no case store yet, and opening it would create one: only ``setup`` creates it."""


@contextmanager
def _exclusive(lock: Path) -> Iterator[None]:
    """Hold an exclusive lock on the file ``lock`` (created, private, and left in place: removing a
    lock file would let two processes hold "the" lock at once)."""
    descriptor = os.open(lock, os.O_RDWR | os.O_CREAT, PRIVATE_FILE)
    try:
        if sys.platform == "win32":
            import msvcrt

            while True:
                try:
                    msvcrt.locking(descriptor, msvcrt.LK_LOCK, 1)  # tries for 10 s, then raises
                    break
                except OSError:
                    continue
        else:
            import fcntl

            fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # releases the lock


class CaseVault:
    """The case store file at ``path``, its backups folder, and the key while unlocked."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.key: Key | None = None
        self.pending_check = False
        self.checked = False
        """The full check and the start-up backup were made for this file in this run: a window opened
        again (a language switch) does not repeat them; a restore puts a new file in place and clears it."""
        self.suspect = False
        self.backup_failure: Exception | None = None
        """Why the daily backup due at the last ``open(startup_backup=False)`` could not be made (a full
        disk, a read-only folder ...): the store opened all the same; the caller says so."""

    @property
    def backups_folder(self) -> Path:
        """Where the backups are kept (created by the first backup, not by asking)."""
        return backups.folder_of(self.path)

    @property
    def setup_lock(self) -> Path:
        return self.path.with_name(f".{self.path.name}.setup-lock")

    # --- state and unlocking -------------------------------------------------------------------

    def state(self) -> str:
        """``new`` (no store yet), ``encrypted`` or ``plain``."""
        if not self.path.exists() or self.path.stat().st_size == 0:
            return "new"
        if not is_encrypted(self.path):
            return "plain"
        found = self.list_backups()
        if found and not any(is_encrypted(backup.path) for backup in found):
            # Backups are encrypted exactly when the store is; an unreadable header beside plain
            # backups is a damaged plain store: opening it finds the damage and offers a backup.
            return "plain"
        return "encrypted"

    @property
    def encrypted(self) -> bool:
        return self.state() == "encrypted"

    def setup(self, passphrase: str | None, *, chosen_in_app: bool = True) -> bool:
        """Create the store: encrypted with ``passphrase``, or plain when it is None (a warned choice;
        ``chosen_in_app`` records that the coordinator made it in the app, see PLAIN_CHOSEN).

        Exclusive: under the set-up lock the store is created only if there is none yet, and never
        deleted and made again. Returns True when this call created it; False when another set-up
        (another process) had created it and it is what was asked for: encrypted, and ``passphrase``
        unlocked it (WrongPassphrase when it does not), or plain. Another kind of store than asked for
        raises FileExistsError.
        """
        with _exclusive(self.setup_lock):
            if self.state() != "new":
                return self._join(passphrase, chosen_in_app)
            key = new_key(passphrase) if passphrase is not None else None
            # Rollback-journal mode: page 1 (the salt, the header) is in the file itself when this
            # returns, not only in a -wal, so any process reading the header sees the store.
            db = connect(self.path, key=key, durable=True, journal="DELETE")
            try:
                marker = PLAIN_CHOSEN if key is None and chosen_in_app else 0
                db.execute(f"PRAGMA application_id = {marker}")  # writes page 1, so the salt and header exist
                db.execute("CREATE TABLE IF NOT EXISTS _setup (x)")
                db.execute("DROP TABLE _setup")
                db.conn.commit()
            finally:
                db.conn.close()
            self.key = key
            return True

    def _join(self, passphrase: str | None, chosen_in_app: bool) -> bool:
        state = self.state()
        if state == "encrypted" and passphrase is not None:
            self.unlock(passphrase)
            return False
        if state == "plain" and passphrase is None:
            if chosen_in_app and not self.plain_chosen():
                self.choose_plain()
            return False
        raise FileExistsError(self.path)

    def plain_chosen(self) -> bool:
        """Whether this plain store is one the coordinator chose in the app (set up there, or accepted
        there after a warning); False for an encrypted store or one that cannot be read."""
        if self.state() != "plain":
            return False
        unreadable: tuple[type[Exception], ...] = (OSError, *database_errors())
        try:
            db = connect(self.path, read_only=True)
        except unreadable:
            return False
        try:
            return db.execute("PRAGMA application_id").fetchone()[0] == PLAIN_CHOSEN
        except database_errors():
            return False
        finally:
            db.conn.close()

    def choose_plain(self) -> None:
        """Record that the coordinator chose to keep this plain store unencrypted (in the app)."""
        db = connect(self.path, durable=True)
        try:
            db.execute(f"PRAGMA application_id = {PLAIN_CHOSEN}")
            db.conn.commit()
        finally:
            db.conn.close()

    def unlock(self, passphrase: str) -> None:
        """Derive the key and check it opens the store; a wrong passphrase raises WrongPassphrase.

        If the passphrase is the store's (SQLCipher's HMAC holds on its later pages) but its first page
        is unreadable, and it opens a good backup, the store is damaged and StoreDamaged is raised
        instead; a passphrase that merely opens an older backup (one kept under a former passphrase)
        is still wrong. The file is never written here. With
        StoreDamaged the passphrase is right: the key is kept, so the backup can be restored with it.
        """
        key = key_for(self.path, passphrase) if self.path.exists() else None
        if key is None:
            raise WrongPassphrase("no store")
        try:
            connect(self.path, key=key).conn.close()
        except WrongPassphrase:
            if not first_page_damaged(self.path, key):
                raise  # not the store's key (the passphrase was changed since, or is another): no damage
            keys = {key.salt: key}  # backups share the store's salt: derive once per salt, not per backup
            unreadable: tuple[type[Exception], ...] = (WrongPassphrase, OSError, *database_errors())
            for backup in backups.list_backups(self.backups_folder):
                try:
                    salt = header(backup.path)
                    candidate = keys.get(salt) or keys.setdefault(salt, key_for(backup.path, passphrase))
                    if backups.problems(backup.path, candidate) is None:
                        self.key = candidate
                        raise StoreDamaged("the case store cannot be decrypted", backup) from None
                except unreadable:
                    continue  # not this passphrase's, or unreadable: not a backup to offer
            raise
        except Exception as exc:
            if not is_database_error(exc):
                raise
            try:  # a backup is offered only when SQLite's own check finds damage
                problem = backups.problems(self.path, key)
            except Exception:
                raise exc from None  # the check cannot read the file either (locked, read-only): ``exc`` says why
            if problem is None:
                raise  # locked, full, read-only: no damage, and no reason to offer a backup
            self.key = key
            self.suspect = True
            raise StoreDamaged(problem, backups.newest_good(self.backups_folder, key)) from None
        self.key = key

    def matches(self, passphrase: str) -> bool:
        """Whether ``passphrase`` is the store's (for the lock screen; no database access)."""
        return self.key is not None and self.key.matches(passphrase)

    # --- opening --------------------------------------------------------------------------------

    def open(
        self,
        indications: Collection[str],
        *,
        check_same_thread: bool = True,
        startup_backup: bool = True,
        check_later: bool = False,
    ) -> CaseStore:
        """Check the store's health, open it, and make the start-up backup.

        A damaged store raises StoreDamaged with the newest good backup; it is never replaced by an
        empty one silently. ``startup_backup=False`` (the command line, run many times a day) makes
        only the daily backup when it is due, so short runs do not rotate the older backups away.

        ``check_later`` (the GUI): opening reads the schema only, and the full check and the start-up
        backup wait for ``check_and_back_up``, run off the GUI thread once the cases are shown (at
        100,000 encrypted cases the check reads 170 MB and takes 0.7 s, the backup seconds). Once
        damage was found (``suspect``), every opening checks first.

        There must be a store (``setup``): opening never creates one (NoStore).
        """
        if self.state() == "new":
            raise NoStore(self.path)
        if not check_later or self.suspect:
            self._check()
        try:
            store = CaseStore.open(self.path, indications, check_same_thread=check_same_thread, key=self.key)
        except Exception as exc:
            if is_database_error(exc):
                self._check_after()
            raise
        if check_later:
            self.pending_check = not self.checked
        elif startup_backup:
            self.backup()
        else:
            self.backup_failure = None
            not_made: tuple[type[Exception], ...] = (OSError, *database_errors())
            try:
                self.backup_if_due()
            except not_made as exc:
                self.backup_failure = exc  # reading still works on a full disk; writing will say why not
        return store

    def _check_after(self) -> None:
        """Opening failed with a database error, which may be damage SQLite names only in general terms
        (a damaged header is "unsupported file format", SQLITE_ERROR), or a full disk, a lock, a
        read-only folder: StoreDamaged only if SQLite's check finds damage; otherwise the caller raises
        the failure itself."""
        try:
            self._check()
        except StoreDamaged:
            raise
        except Exception:
            return  # the check cannot read the file either (e.g. still locked): ``failure`` says it

    def _check(self) -> None:
        problem = backups.problems(self.path, self.key)
        if problem is not None:
            self.suspect = True
            raise StoreDamaged(problem, self.newest_good_backup())
        self.suspect = False

    def check_and_back_up(self) -> Backup | None:
        """After ``open(check_later=True)``: the full check (StoreDamaged; a damaged store is never
        backed up over the good backups), then the start-up backup. None when nothing is pending."""
        if not self.pending_check:
            return None
        self.pending_check = False
        self._check()
        made = self.backup()
        self.checked = True
        return made

    # --- backups --------------------------------------------------------------------------------

    def backup(self, at: datetime | None = None) -> Backup:
        """Make a backup now and rotate the old ones (and the replaced stores older than MAX_AGE_DAYS)."""
        made = backups.make_backup(self.path, self.backups_folder, self.key, at)
        backups.rotate(self.backups_folder, at)
        backups.rotate_replaced(self.path, at)
        return made

    def backup_if_due(self, at: datetime | None = None) -> Backup | None:
        return self.backup(at) if backups.due(self.backups_folder, at) else None

    def list_backups(self) -> list[Backup]:
        return backups.list_backups(self.backups_folder)

    def list_replaced(self) -> list[Backup]:
        """The stores restores replaced, kept beside the store until they age out."""
        return backups.list_replaced(self.path)

    def restorable(self) -> list[Backup]:
        """Every file a restore can put in place: the backups and the replaced stores, newest first."""
        found = self.list_backups() + self.list_replaced()
        return sorted(found, key=lambda backup: backup.made_at, reverse=True)

    def find_restorable(self, name: str) -> Path | None:
        """The backup or replaced store called ``name`` (as listed), or None."""
        if not name or Path(name).name != name:
            return None
        for candidate in (self.backups_folder / name, self.path.with_name(name)):
            if candidate.name == name and candidate.is_file() and any(b.path == candidate for b in self.restorable()):
                return candidate
        return None

    def compare(self, backup: Path) -> Comparison | None:
        """What restoring ``backup`` would discard (cases newer in the store) and bring back; None when
        the store (or the backup) cannot be read with the vault's key."""
        return backups.compare(self.path, Path(backup), self.key)

    def newest_good_backup(self) -> Backup | None:
        return backups.newest_good(self.backups_folder, self.key)

    def restore(self, backup: Path) -> Path | None:
        """Replace the (closed) store with ``backup``; returns where the old file was kept. A plain store
        the coordinator chose stays chosen when a plain backup of it is put in its place."""
        chosen = self.plain_chosen()
        aside = backups.restore(backup, self.path, self.key)
        self.checked = False  # another file: checked and backed up again when it opens
        if chosen and self.state() == "plain" and not self.plain_chosen():
            self.choose_plain()
        return aside

    # --- passphrase -----------------------------------------------------------------------------

    def change_passphrase(self, store: CaseStore, old: str, new: str) -> RekeyReport:
        """Re-encrypt the open store and every backup under ``new``; ``old`` must be the current one.

        A plain store becomes encrypted: it is exported into an encrypted copy that replaces it, each
        plain backup is encrypted too, and a first encrypted backup is made.

        No backup is removed: each is re-encrypted into a new file that replaces it when complete,
        and one that cannot be (the old key does not open it, it is damaged, the disk is full) is
        kept as it was. The report names both, so the caller can tell the coordinator which backups
        still need the old passphrase (or are still unencrypted).
        """
        if self.key is not None and not self.key.matches(old):
            raise WrongPassphrase("the current passphrase is not right")
        if self.key is None:
            return self._encrypt(store, new)
        fresh = derive(new, self.key.salt)
        store.db.conn.commit()
        store.db.execute(f"PRAGMA rekey = {fresh.pragma()}")
        previous, self.key = self.key, fresh
        # Made from the store, the backups (and the replaced stores) share its key and salt.
        return backups.rekey_all(self.backups_folder, previous, fresh, self._replaced_paths())

    def _replaced_paths(self) -> list[Path]:
        return [replaced.path for replaced in self.list_replaced()]

    def _encrypt(self, store: CaseStore, passphrase: str) -> RekeyReport:
        key = new_key(passphrase)
        target = self.path.with_name(f".{self.path.name}.encrypting")
        target.unlink(missing_ok=True)
        store.db.conn.commit()
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        encrypted_copy(self.path, target, key)
        store.close()
        os.replace(target, self.path)
        for extra in ("-wal", "-shm"):
            self.path.with_name(self.path.name + extra).unlink(missing_ok=True)
        self.key = key
        report = backups.rekey_all(self.backups_folder, None, key, self._replaced_paths())
        # The first encrypted backup, not rotating: no backup named in the report goes now.
        backups.make_backup(self.path, self.backups_folder, key, datetime.now(UTC))
        store.db = CaseStore.connect(self.path, key=key)  # on the calling thread, which owns the store
        return report
