"""The patient store as a whole: whether it is encrypted, unlocking it, its backups and its health.

One object the GUI and the command line share, so both open, unlock, back up and restore the case
store the same way. It holds the derived key while the store is unlocked, never the passphrase.
"""

from __future__ import annotations

import os
from collections.abc import Collection
from datetime import UTC, datetime
from pathlib import Path

from db import backups
from db.backups import Backup, RekeyReport
from db.case_store import CaseStore
from db.connection import connect, create_private, encrypted_copy
from db.crypto import Key, WrongPassphrase, derive, header, is_encrypted, key_for, new_key
from db.faults import database_errors, is_damage, is_database_error


class StoreDamaged(Exception):
    """The case store cannot be read; ``backup`` is the newest good backup (None if there is none)."""

    def __init__(self, problem: str, backup: Backup | None):
        super().__init__(problem)
        self.problem, self.backup = problem, backup


class CaseVault:
    """The case store file at ``path``, its backups folder, and the key while unlocked."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.key: Key | None = None
        self.pending_check = False
        self.suspect = False

    @property
    def backups_folder(self) -> Path:
        return backups.folder_for(self.path)

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

    def setup(self, passphrase: str | None) -> None:
        """Create the store: encrypted with ``passphrase``, or plain when it is None (a warned choice)."""
        if self.state() != "new":
            raise FileExistsError(self.path)
        self.path.unlink(missing_ok=True)
        create_private(self.path)
        self.key = new_key(passphrase) if passphrase is not None else None
        db = connect(self.path, key=self.key, durable=True)
        db.execute("PRAGMA user_version = 0")  # writes page 1, so the salt and header exist
        db.execute("CREATE TABLE IF NOT EXISTS _setup (x)")
        db.execute("DROP TABLE _setup")
        db.conn.commit()
        db.conn.close()

    def unlock(self, passphrase: str) -> None:
        """Derive the key and check it opens the store; a wrong passphrase raises WrongPassphrase.

        If the passphrase opens a good backup but not the store, the store is damaged (its first
        page is unreadable) and StoreDamaged is raised instead. The file is never written here. With
        StoreDamaged the passphrase is right: the key is kept, so the backup can be restored with it.
        """
        key = key_for(self.path, passphrase) if self.path.exists() else None
        if key is None:
            raise WrongPassphrase("no store")
        try:
            connect(self.path, key=key).conn.close()
        except WrongPassphrase:
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
            if not is_damage(exc):
                raise  # locked, read-only, unreadable: no damage, and no reason to offer a backup
            self.key = key
            raise StoreDamaged(str(exc), backups.newest_good(self.backups_folder, key)) from None
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
        """
        if self.state() != "new" and (not check_later or self.suspect):
            self._check()
        try:
            store = CaseStore.open(self.path, indications, check_same_thread=check_same_thread, key=self.key)
        except Exception as exc:
            if is_database_error(exc) and self.state() != "new":
                self._check_after(exc)
            raise
        if check_later:
            self.pending_check = True
        elif startup_backup:
            self.backup()
        else:
            self.backup_if_due()
        return store

    def _check_after(self, failure: Exception) -> None:
        """Opening failed with ``failure``, which may be damage SQLite names only in general terms
        (a damaged header is "unsupported file format", SQLITE_ERROR): StoreDamaged if the check finds
        damage; otherwise the caller raises ``failure`` itself."""
        if is_damage(failure):
            self.suspect = True
            raise StoreDamaged(str(failure), self.newest_good_backup()) from None
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
        return self.backup()

    # --- backups --------------------------------------------------------------------------------

    def backup(self, at: datetime | None = None) -> Backup:
        """Make a backup now and rotate the old ones."""
        made = backups.make_backup(self.path, self.backups_folder, self.key, at)
        backups.rotate(self.backups_folder, at)
        return made

    def backup_if_due(self, at: datetime | None = None) -> Backup | None:
        return self.backup(at) if backups.due(self.backups_folder, at) else None

    def list_backups(self) -> list[Backup]:
        return backups.list_backups(self.backups_folder)

    def newest_good_backup(self) -> Backup | None:
        return backups.newest_good(self.backups_folder, self.key)

    def restore(self, backup: Path) -> Path | None:
        """Replace the (closed) store with ``backup``; returns where the old file was kept."""
        return backups.restore(backup, self.path, self.key)

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
        # Made from the store, the backups share its key and salt.
        return backups.rekey_all(self.backups_folder, previous, fresh)

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
        report = backups.rekey_all(self.backups_folder, None, key)
        # The first encrypted backup, not rotating: no backup named in the report goes now.
        backups.make_backup(self.path, self.backups_folder, key, datetime.now(UTC))
        store.db = CaseStore.connect(self.path, key=key)  # on the calling thread, which owns the store
        return report
