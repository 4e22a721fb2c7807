"""Rotating backups of the case store, made with SQLite's online backup API and encrypted like it.

A backup is a whole database file in ``backups/``, named by the UTC time it was made. The newest
``KEEP`` are kept and none older than ``MAX_AGE_DAYS``, so data erased from the store is gone from the
backups within that period. A backup is written under a temporary name and renamed when complete.

When the store's key changes (a new passphrase, or a plain store encrypted), every backup is written
again under the new key, each into a new file that replaces it only when complete; a backup that
cannot be (a wrong key, damage, a full disk) is kept as it was and named in the RekeyReport.
"""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from db.connection import connect, encrypted_copy
from db.crypto import Key, WrongPassphrase
from db.faults import database_errors, header_damage, is_damage, is_database_error, is_disk_full
from db.paths import PRIVATE_FOLDER

KEEP = 14
MAX_AGE_DAYS = 30
DAILY = timedelta(days=1)
PREFIX, SUFFIX = "cases-", ".sqlite"
STAMP = "%Y%m%d-%H%M%S"


class BadBackup(ValueError):
    """A backup that is not sound (``problem`` says why); restoring it changes nothing."""

    def __init__(self, path: Path, problem: str):
        super().__init__(f"{path.name}: {problem}")
        self.problem = problem


@dataclass(frozen=True)
class Backup:
    path: Path
    made_at: datetime
    size: int


WRONG_KEY, DAMAGED, DISK_FULL, NOT_WRITTEN = "wrong_key", "damaged", "disk_full", "not_written"
"""Why a backup was kept under its old key (or unencrypted); each face words the reason in its language."""


@dataclass(frozen=True)
class KeptBackup:
    """A backup left exactly as it was when the key changed: ``reason`` is one of WRONG_KEY (the old
    key does not open it), DAMAGED, DISK_FULL or NOT_WRITTEN; ``detail`` is SQLite's or the system's
    own message (English, for the log)."""

    path: Path
    reason: str
    detail: str = ""


@dataclass(frozen=True)
class RekeyReport:
    """What changing the store's key did to its backups: none is ever removed for it."""

    reencrypted: tuple[Path, ...] = ()
    kept: tuple[KeptBackup, ...] = ()

    @property
    def complete(self) -> bool:
        """Every backup now opens with the new key."""
        return not self.kept


def folder_for(store_path: Path) -> Path:
    """The backups folder beside the store, private to the user."""
    folder = store_path.parent / "backups"
    folder.mkdir(mode=PRIVATE_FOLDER, exist_ok=True)
    return folder


def list_backups(folder: Path) -> list[Backup]:
    """The backups in ``folder``, newest first (files that are not ours are ignored)."""
    found = []
    for path in folder.glob(f"{PREFIX}*{SUFFIX}"):
        stamp, _, number = path.name[len(PREFIX) : -len(SUFFIX)].partition("_")
        try:
            made = datetime.strptime(stamp, STAMP).replace(tzinfo=UTC)
            order = int(number or 1)
        except ValueError:
            continue
        found.append((made, order, Backup(path, made, path.stat().st_size)))
    return [backup for _made, _order, backup in sorted(found, key=lambda f: (f[0], f[1]), reverse=True)]


def _free_name(folder: Path, at: datetime) -> Path:
    """``cases-<time>.sqlite``; a second backup in the same second gets ``_2``, ``_3`` ... (never overwritten)."""
    base = f"{PREFIX}{at.strftime(STAMP)}"
    target, number = folder / f"{base}{SUFFIX}", 1
    while target.exists():
        number += 1
        target = folder / f"{base}_{number}{SUFFIX}"
    return target


def _copy(
    source_path: Path, partial: Path, key: Key | None, *, read_only: bool = False, target_key: Key | None = None
) -> None:
    """Copy a database with the backup API into ``partial``: one self-contained file, on disk, or
    nothing (a failed copy is removed). ``target_key``: the copy is encrypted with this key instead
    of the source's (SQLCipher re-encrypts every page as it is written; both must be encrypted)."""
    partial.unlink(missing_ok=True)
    source = connect(source_path, key=key, read_only=read_only)
    try:
        copy = connect(partial, key=target_key or key)
        try:
            source.conn.backup(copy.conn)
            copy.execute("PRAGMA journal_mode = DELETE")  # no -wal beside it
        finally:
            copy.conn.close()
        with open(partial, "rb") as file:
            os.fsync(file.fileno())
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        source.conn.close()


def make_backup(store_path: Path, folder: Path, key: Key | None, at: datetime | None = None) -> Backup:
    """Copy the store into a new backup (a consistent snapshot, even while the app writes)."""
    at = at or datetime.now(UTC)
    target = _free_name(folder, at)
    partial = target.with_name(f".{target.name}.part")
    _copy(store_path, partial, key)
    os.replace(partial, target)
    return Backup(target, at, target.stat().st_size)


def rotate(folder: Path, now: datetime | None = None, keep: int = KEEP, max_age_days: int = MAX_AGE_DAYS) -> list[Path]:
    """Remove backups beyond the newest ``keep`` and older than ``max_age_days`` (never the newest)."""
    now = now or datetime.now(UTC)
    removed = []
    for index, backup in enumerate(list_backups(folder)):
        if index == 0:
            continue
        if index >= keep or now - backup.made_at > timedelta(days=max_age_days):
            backup.path.unlink(missing_ok=True)
            removed.append(backup.path)
    return removed


def due(folder: Path, now: datetime | None = None) -> bool:
    """Whether a daily backup is due (none yet, or the newest is a day old)."""
    found = list_backups(folder)
    return not found or (now or datetime.now(UTC)) - found[0].made_at >= DAILY


def problems(path: Path, key: Key | None) -> str | None:
    """What is wrong with the database at ``path`` (SQLite's quick check), or None when it is sound.

    A wrong key raises WrongPassphrase. Damage (SQLite's CORRUPT or NOTADB, see db.faults, or a plain
    file's header SQLite could not have written) is the answer; any other failure to read (a lock, a
    missing or unreadable file) says nothing about the file and is raised as it is.
    """
    try:
        db = connect(path, key=key, read_only=True)  # a check never writes the file it checks
    except WrongPassphrase:
        raise
    except Exception as exc:
        return _damage(exc, path, key)
    try:
        rows = [row[0] for row in db.execute("PRAGMA quick_check").fetchall()]
    except Exception as exc:
        return _damage(exc, path, key)
    finally:
        db.conn.close()
    return None if rows == ["ok"] else "; ".join(rows[:5])


def _damage(exc: Exception, path: Path, key: Key | None) -> str:
    """The problem ``exc`` shows in the file at ``path``, when it is damage; otherwise ``exc`` is raised."""
    if is_damage(exc):
        return str(exc)
    damaged_header = header_damage(path) if key is None and is_database_error(exc) else None
    if damaged_header is not None:
        return f"{damaged_header}: {exc}"
    raise exc


def newest_good(folder: Path, key: Key | None) -> Backup | None:
    """The newest backup that opens with ``key`` and passes the quick check (one that cannot be read
    at all, e.g. locked or unreadable, is not it either)."""
    unreadable: tuple[type[Exception], ...] = (WrongPassphrase, OSError, *database_errors())
    for backup in list_backups(folder):
        try:
            if problems(backup.path, key) is None:
                return backup
        except unreadable:
            continue
    return None


def restore(backup: Path, store_path: Path, key: Key | None, at: datetime | None = None) -> Path | None:
    """Put ``backup`` in place of the store (which must be closed); the old file is kept aside.

    Returns where the replaced store was moved (``cases.sqlite.replaced-<time>``), or None if there
    was none. The backup is checked first; a bad one changes nothing.
    """
    problem = problems(backup, key)
    if problem is not None:
        raise BadBackup(backup, problem)
    at = at or datetime.now(UTC)
    partial = store_path.with_name(f".{store_path.name}.restoring")
    _copy(backup, partial, key, read_only=True)  # the backup stays exactly as it was
    aside = None
    if store_path.exists():
        aside = store_path.with_name(f"{store_path.name}.replaced-{at.strftime(STAMP)}")
        os.replace(store_path, aside)
    for extra in ("-wal", "-shm"):
        old = store_path.with_name(store_path.name + extra)
        if old.exists():
            if aside is not None:
                os.replace(old, aside.with_name(aside.name + extra))
            else:
                old.unlink()
    os.replace(partial, store_path)
    return aside


def rekey(path: Path, old: Key | None, new: Key) -> None:
    """Re-encrypt one backup under ``new`` (``old`` None: a plain backup is encrypted).

    The new copy is written beside it, synced, checked with the new key, and only then renamed over
    it: a failure at any point (WrongPassphrase, BadBackup for damage, a full disk) leaves the backup
    exactly as it was. A damaged backup is not copied: its damage would be carried over silently.
    """
    problem = problems(path, old)  # WrongPassphrase when ``old`` does not open it
    if problem is not None:
        raise BadBackup(path, problem)
    partial = path.with_name(f".{path.name}.rekeying")
    partial.unlink(missing_ok=True)
    try:
        if old is None:
            encrypted_copy(path, partial, new)  # SQLCipher copies a plain file only by export
            with open(partial, "rb") as file:
                os.fsync(file.fileno())
        else:
            _copy(path, partial, old, read_only=True, target_key=new)
        problem = problems(partial, new)
        if problem is not None:
            raise BadBackup(path, f"the re-encrypted copy is not sound: {problem}")
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)


def rekey_all(folder: Path, old: Key | None, new: Key) -> RekeyReport:
    """Re-encrypt every backup in ``folder`` under ``new``; none is removed. A backup that cannot be
    is kept as it was and named in the report, with the reason."""
    reencrypted: list[Path] = []
    kept: list[KeptBackup] = []
    not_written: tuple[type[Exception], ...] = (OSError, *database_errors())
    for backup in list_backups(folder):
        try:
            rekey(backup.path, old, new)
        except WrongPassphrase:
            kept.append(KeptBackup(backup.path, WRONG_KEY, "the previous key does not open it"))
        except BadBackup as exc:
            kept.append(KeptBackup(backup.path, DAMAGED, exc.problem))
        except not_written as exc:
            kept.append(KeptBackup(backup.path, DISK_FULL if _is_full(exc) else NOT_WRITTEN, str(exc)))
        else:
            reencrypted.append(backup.path)
    return RekeyReport(tuple(reencrypted), tuple(kept))


def _is_full(exc: BaseException) -> bool:
    return is_disk_full(exc) or (isinstance(exc, OSError) and exc.errno == errno.ENOSPC)


def _sync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX; a no-op where folders cannot be opened)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
