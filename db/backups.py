"""Rotating backups of the case store, made with SQLite's online backup API and encrypted like it.

A backup is a whole database file in ``backups/``, named by the UTC time it was made. The newest
``KEEP`` are kept and none older than ``MAX_AGE_DAYS``, so data erased from the store is gone from the
backups within that period. A backup is written under a temporary name of its own (several processes
may back up at once) and linked to its final name when complete, never over another backup.

A restore keeps the store it replaced beside it as ``cases.sqlite.replaced-<time>``: it is listed with
the backups (``replaced``), can be restored the same way, and ages out like them (``rotate_replaced``).

When the store's key changes (a new passphrase, or a plain store encrypted), every backup is written
again under the new key, each into a new file that replaces it only when complete; a backup that
cannot be (a wrong key, damage, a full disk) is kept as it was and named in the RekeyReport.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from db.connection import connect, encrypted_copy
from db.crypto import Key, WrongPassphrase
from db.faults import database_errors, header_damage, is_damage, is_database_error, is_disk_full
from db.paths import PRIVATE_FOLDER
from planning.files import sync_file, sync_folder

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
    """A backup, or (``replaced``) a store a restore replaced, kept aside: ``made_at`` is then when it was
    replaced."""

    path: Path
    made_at: datetime
    size: int
    replaced: bool = False


@dataclass(frozen=True)
class ChangedCase:
    """A case the store holds in a newer state than a backup (``in_backup`` False: not at all)."""

    reference: str
    full_name: str
    changed_at: str
    in_backup: bool


@dataclass(frozen=True)
class Comparison:
    """What restoring a backup would change: ``newer`` are the cases whose last edit or plan in the
    store the backup lacks (discarded by restoring it); ``only_in_backup`` counts the cases the backup
    holds that the store no longer does (erased or lost since: restoring brings them back)."""

    newer: tuple[ChangedCase, ...]
    only_in_backup: int


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


SIDECARS = ("-wal", "-shm", "-journal")
"""The files SQLite may keep beside a database."""


def folder_of(store_path: Path) -> Path:
    """Where the backups of the store are kept (the folder is not created)."""
    return store_path.parent / "backups"


def folder_for(store_path: Path) -> Path:
    """The backups folder beside the store, private to the user (created if missing)."""
    folder = folder_of(store_path)
    folder.mkdir(mode=PRIVATE_FOLDER, exist_ok=True)
    return folder


def _stamped(name: str, prefix: str, suffix: str) -> tuple[datetime, int] | None:
    """The time and order number in ``<prefix><time>[_<n>]<suffix>``, or None for another name."""
    if not name.startswith(prefix) or not name.endswith(suffix) or len(name) <= len(prefix) + len(suffix):
        return None
    stamp, _, number = name[len(prefix) : len(name) - len(suffix)].partition("_")
    try:
        return datetime.strptime(stamp, STAMP).replace(tzinfo=UTC), int(number or 1)
    except ValueError:
        return None


def _newest_first(found: Iterable[tuple[datetime, int, Path]], replaced: bool) -> list[Backup]:
    listed = []
    for made, order, path in found:
        try:
            size = path.stat().st_size
        except FileNotFoundError:  # removed meanwhile (another process rotated it away)
            continue
        listed.append((made, order, Backup(path, made, size, replaced)))
    return [backup for _made, _order, backup in sorted(listed, key=lambda f: (f[0], f[1]), reverse=True)]


def list_backups(folder: Path) -> list[Backup]:
    """The backups in ``folder``, newest first (files that are not ours are ignored)."""
    found = []
    for path in folder.glob(f"{PREFIX}*{SUFFIX}"):
        stamped = _stamped(path.name, PREFIX, SUFFIX)
        if stamped is not None:
            found.append((*stamped, path))
    return _newest_first(found, replaced=False)


def replaced_prefix(store_path: Path) -> str:
    return f"{store_path.name}.replaced-"


def list_replaced(store_path: Path) -> list[Backup]:
    """The stores restores replaced, kept beside the store (``cases.sqlite.replaced-<time>``), newest first."""
    prefix = replaced_prefix(store_path)
    found = []
    for path in store_path.parent.glob(f"{prefix}*"):
        stamped = _stamped(path.name, prefix, "")
        if stamped is not None:
            found.append((*stamped, path))
    return _newest_first(found, replaced=True)


def _names(first: Path, numbered: str) -> Iterator[Path]:
    """``first``, then ``numbered`` formatted with 2, 3, ...: the candidates for a new file's name."""
    yield first
    number = 1
    while True:
        number += 1
        yield first.with_name(numbered.format(number))


def _backup_names(folder: Path, at: datetime) -> Iterator[Path]:
    """``cases-<time>.sqlite``; another backup in the same second gets ``_2``, ``_3`` ..."""
    base = f"{PREFIX}{at.strftime(STAMP)}"
    return _names(folder / f"{base}{SUFFIX}", base + "_{}" + SUFFIX)


def _link_free(source: Path, names: Iterator[Path]) -> Path:
    """Give ``source`` the first of ``names`` no file has yet, never replacing one (a hard link fails
    when the name is taken, however many processes try at once); ``source`` stays where it is unless
    the file system has no hard links, where it is renamed."""
    for target in names:
        try:
            os.link(source, target)
        except FileExistsError:
            continue
        except OSError:
            if target.exists():
                continue
            os.replace(source, target)
        return target
    raise AssertionError("unreachable: the names never end")


def _remove_with_sidecars(path: Path) -> list[Path]:
    removed = []
    for candidate in (path, *(path.with_name(path.name + extra) for extra in SIDECARS)):
        try:
            candidate.unlink()
        except FileNotFoundError:
            continue
        removed.append(candidate)
    return removed


def _copy(
    source_path: Path, partial: Path, key: Key | None, *, read_only: bool = False, target_key: Key | None = None
) -> None:
    """Copy a database with the backup API into ``partial``: one self-contained file, on disk, or
    nothing (a failed copy is removed). ``target_key``: the copy is encrypted with this key instead
    of the source's (SQLCipher re-encrypts every page as it is written; both must be encrypted).
    The copy never has a -wal (it is written in rollback-journal mode), and a failed copy leaves none
    of its files behind."""
    partial.unlink(missing_ok=True)
    source = connect(source_path, key=key, read_only=read_only)
    try:
        copy = connect(partial, key=target_key or key, journal="DELETE")
        try:
            source.conn.backup(copy.conn)
            copy.execute("PRAGMA journal_mode = DELETE")  # the copied header says WAL when the store is
        finally:
            copy.conn.close()
        sync_file(partial)
    except BaseException:
        _remove_with_sidecars(partial)
        raise
    finally:
        source.conn.close()


def make_backup(store_path: Path, folder: Path, key: Key | None, at: datetime | None = None) -> Backup:
    """Copy the store into a new backup (a consistent snapshot, even while the app writes).

    Written under a temporary name of its own (``.cases-<random>.part``), then linked to the first
    free ``cases-<time>[_<n>].sqlite``: backups made at once, by threads or processes, never share
    a file nor replace one another."""
    at = at or datetime.now(UTC)
    folder.mkdir(mode=PRIVATE_FOLDER, exist_ok=True)
    descriptor, name = tempfile.mkstemp(prefix=f".{PREFIX}", suffix=".part", dir=folder)
    os.close(descriptor)
    partial = Path(name)
    try:
        _copy(store_path, partial, key)
        target = _link_free(partial, _backup_names(folder, at))
    finally:
        _remove_with_sidecars(partial)
    sync_folder(folder)
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


def rotate_replaced(store_path: Path, now: datetime | None = None, max_age_days: int = MAX_AGE_DAYS) -> list[Path]:
    """Remove the stores restores replaced once they are older than ``max_age_days``, as backups age out
    (with their -wal and -shm): what they hold of an erased patient goes within that period."""
    now = now or datetime.now(UTC)
    removed = []
    for replaced in list_replaced(store_path):
        if now - replaced.made_at > timedelta(days=max_age_days):
            removed += _remove_with_sidecars(replaced.path)
    return removed


def leftovers(store_path: Path) -> list[Path]:
    """Partial files a killed backup, restore, re-key or encryption may have left (they may hold any
    patient): ``.cases-*`` in the backups folder, ``.cases.sqlite.restoring`` and ``.encrypting``."""
    folder = folder_of(store_path)
    found = sorted(folder.glob(f".{PREFIX}*")) if folder.is_dir() else []
    for kind in ("restoring", "encrypting"):
        found += sorted(store_path.parent.glob(f".{store_path.name}.{kind}*"))
    return found


def remove_leftovers(store_path: Path) -> list[Path]:
    """Remove what ``leftovers`` finds; returns what was removed."""
    removed = []
    for path in leftovers(store_path):
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        removed.append(path)
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

    Returns where the replaced store was kept (``cases.sqlite.replaced-<time>``, ``_2`` ... for a second
    one in the same second: none is ever overwritten), or None if there was none. The backup (or a
    replaced store) is checked first; a bad one changes nothing.
    """
    problem = problems(backup, key)
    if problem is not None:
        raise BadBackup(backup, problem)
    at = at or datetime.now(UTC)
    partial = store_path.with_name(f".{store_path.name}.restoring")
    _copy(backup, partial, key, read_only=True)  # the backup stays exactly as it was
    aside = None
    if store_path.exists():
        first = store_path.with_name(f"{replaced_prefix(store_path)}{at.strftime(STAMP)}")
        aside = _link_free(store_path, _names(first, first.name + "_{}"))
    for extra in ("-wal", "-shm"):
        old = store_path.with_name(store_path.name + extra)
        if old.exists():
            if aside is not None:
                os.replace(old, aside.with_name(aside.name + extra))
            else:
                old.unlink()
    os.replace(partial, store_path)
    sync_folder(store_path.parent)
    return aside


def _last_changes(path: Path, key: Key | None) -> dict[str, tuple[str, str]]:
    """Each case's reference with its name and last change (its last edit, or its newest plan)."""
    db = connect(path, key=key, read_only=True)
    try:
        plans = db.execute("SELECT 1 FROM sqlite_master WHERE name = 'plan_versions'").fetchone() is not None
        newest_plan = "(SELECT max(p.created_at) FROM plan_versions p WHERE p.case_id = cases.id)"
        last = f"max(updated_at, coalesce({newest_plan}, ''))" if plans else "updated_at"  # older stores: no plans
        rows = db.execute(f"SELECT reference, full_name, {last} FROM cases").fetchall()
    finally:
        db.conn.close()
    return {reference: (name, changed) for reference, name, changed in rows}


def compare(store_path: Path, backup: Path, key: Key | None) -> Comparison | None:
    """What restoring ``backup`` would discard of the store and bring back; None when either cannot be
    read (a missing or damaged store, another key): then nothing is known about what is newer."""
    try:
        current = _last_changes(store_path, key)
        kept = _last_changes(backup, key)
    except Exception as exc:  # the driver's classes are known only once it is loaded: told by is_database_error
        if isinstance(exc, WrongPassphrase | OSError) or is_database_error(exc):
            return None
        raise
    newer = [
        ChangedCase(reference, name, changed, reference in kept)
        for reference, (name, changed) in current.items()
        if reference not in kept or changed > kept[reference][1]
    ]
    newer.sort(key=lambda case: (case.changed_at, case.reference), reverse=True)
    return Comparison(tuple(newer), sum(1 for reference in kept if reference not in current))


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
            sync_file(partial)
        else:
            _copy(path, partial, old, read_only=True, target_key=new)
        problem = problems(partial, new)
        if problem is not None:
            raise BadBackup(path, f"the re-encrypted copy is not sound: {problem}")
        os.replace(partial, path)
    except BaseException:
        _remove_with_sidecars(partial)
        raise
    for extra in ("-wal", "-shm"):  # a replaced store's log, under the old key: its pages are in the copy
        path.with_name(path.name + extra).unlink(missing_ok=True)
    sync_folder(path.parent)


def rekey_all(folder: Path, old: Key | None, new: Key, also: Iterable[Path] = ()) -> RekeyReport:
    """Re-encrypt every backup in ``folder`` (and the files ``also``: the replaced stores) under ``new``;
    none is removed. A backup that cannot be is kept as it was and named in the report, with the reason."""
    reencrypted: list[Path] = []
    kept: list[KeptBackup] = []
    not_written: tuple[type[Exception], ...] = (OSError, *database_errors())
    for path in [backup.path for backup in list_backups(folder)] + list(also):
        try:
            rekey(path, old, new)
        except WrongPassphrase:
            kept.append(KeptBackup(path, WRONG_KEY, "the previous key does not open it"))
        except BadBackup as exc:
            kept.append(KeptBackup(path, DAMAGED, exc.problem))
        except not_written as exc:
            kept.append(KeptBackup(path, DISK_FULL if _is_full(exc) else NOT_WRITTEN, str(exc)))
        else:
            reencrypted.append(path)
    return RekeyReport(tuple(reencrypted), tuple(kept))


def _is_full(exc: BaseException) -> bool:
    return is_disk_full(exc) or (isinstance(exc, OSError) and exc.errno == errno.ENOSPC)
