"""Rotating backups of the case store, made with SQLite's online backup API and encrypted like it.

A backup is a whole database file in ``backups/``, named by the UTC time it was made. The newest
``KEEP`` are kept and none older than ``MAX_AGE_DAYS``, so data erased from the store is gone from the
backups within that period. A backup is written under a temporary name and renamed when complete.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from db.connection import connect
from db.crypto import Key, WrongPassphrase
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


def _copy(source_path: Path, partial: Path, key: Key | None, *, read_only: bool = False) -> None:
    """Copy a database with the backup API into ``partial``: one self-contained file, on disk, or
    nothing (a failed copy is removed)."""
    partial.unlink(missing_ok=True)
    source = connect(source_path, key=key, read_only=read_only)
    try:
        copy = connect(partial, key=key)
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

    A wrong key raises WrongPassphrase; every other failure to read is damage.
    """
    try:
        db = connect(path, key=key, read_only=True)  # a check never writes the file it checks
    except WrongPassphrase:
        raise
    except Exception as exc:
        return str(exc)
    try:
        rows = [row[0] for row in db.execute("PRAGMA quick_check").fetchall()]
    except Exception as exc:
        return str(exc)
    finally:
        db.conn.close()
    return None if rows == ["ok"] else "; ".join(rows[:5])


def newest_good(folder: Path, key: Key | None) -> Backup | None:
    """The newest backup that opens with ``key`` and passes the quick check."""
    for backup in list_backups(folder):
        try:
            if problems(backup.path, key) is None:
                return backup
        except WrongPassphrase:
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


def rekey(path: Path, old: Key, new: Key) -> None:
    """Re-encrypt one database file (a backup) under a new key."""
    db = connect(path, key=old)
    try:
        db.execute(f"PRAGMA rekey = {new.pragma()}")
    finally:
        db.conn.close()
