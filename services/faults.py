"""What went wrong, in words a coordinator can act on: one place, for the GUI and the command line.

A full disk, a read-only data folder, a missing permission, an input/output error and a store another
program holds are passing trouble: the data is as it was, and saying "damaged" (or offering a backup)
would make someone replace a healthy store. Only damage SQLite's own check finds is called damage.
The kind is told by SQLite's result code or the system's error number (db.faults), never by message
text; the words are marked for translation and said in the caller's language.
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from pathlib import Path

from db.crypto import WrongPassphrase
from db.faults import error_code, is_damage, is_disk_full, is_locked, is_read_only
from db.vault import NoStore
from planning.i18n import _

DISK_FULL, READ_ONLY_FOLDER, READ_ONLY, PERMISSION, IO_ERROR, LOCKED = (
    "disk_full",
    "read_only_folder",
    "read_only",
    "permission",
    "io_error",
    "locked",
)
DAMAGED, WRONG_PASSPHRASE, CANNOT_OPEN, NO_STORE = "damaged", "wrong_passphrase", "cannot_open", "no_store"
PASSING = frozenset({DISK_FULL, READ_ONLY_FOLDER, READ_ONLY, PERMISSION, IO_ERROR, LOCKED, CANNOT_OPEN})
"""Kinds that say nothing about the data: nothing was lost, and trying again later may work."""

SQLITE_PERM, SQLITE_IOERR, SQLITE_CANTOPEN = 3, 10, 14
NEARLY_FULL = 1024 * 1024
"""Free bytes under which an input/output error is the disk being full: SQLite reports ENOSPC on its
shared-memory index (-shm, 32 KiB at a time) as SQLITE_IOERR_SHMSIZE, not SQLITE_FULL."""
_FULL_ERRNOS = {errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}
_DENIED_ERRNOS = {errno.EACCES, errno.EPERM}


def _folder_refuses(folder: Path) -> int | None:
    """The error number a new file in ``folder`` gets (EROFS, EACCES, EPERM ...), or None when one can be
    made there (it is removed at once). Asked only after a failure, to tell a read-only folder apart."""
    try:
        descriptor, name = tempfile.mkstemp(prefix=".careplan-probe-", dir=folder)
    except OSError as exc:
        return exc.errno
    os.close(descriptor)
    os.unlink(name)
    return None


def _free_bytes(folder: Path) -> int:
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return NEARLY_FULL  # unknown: not called full


def _store_path(store: Path | None) -> Path:
    if store is not None:
        return Path(store)
    from services.paths import cases_db_path

    return cases_db_path()


def kind(exc: BaseException, store: Path | None = None) -> str | None:
    """What ``exc`` is: DISK_FULL, READ_ONLY_FOLDER (no file can be made in the store's folder),
    READ_ONLY (the file, or the connection), PERMISSION, IO_ERROR, LOCKED, DAMAGED, WRONG_PASSPHRASE,
    CANNOT_OPEN or NO_STORE; None for anything else. ``store``: the case store the failure concerns
    (by default the one in the data folder), whose folder is looked at when SQLite cannot write or open."""
    if isinstance(exc, NoStore):
        return NO_STORE
    if isinstance(exc, WrongPassphrase):
        return WRONG_PASSPHRASE
    if isinstance(exc, OSError) and exc.errno is not None:
        if exc.errno in _FULL_ERRNOS:
            return DISK_FULL
        if exc.errno == errno.EROFS:
            return READ_ONLY_FOLDER
        if exc.errno in _DENIED_ERRNOS:
            return PERMISSION
        if exc.errno == errno.EIO:
            return IO_ERROR
        return None
    code = error_code(exc)
    if code is None:
        return DAMAGED if is_damage(exc) else None
    if is_disk_full(exc):
        return DISK_FULL
    if is_locked(exc):
        return LOCKED
    if code == SQLITE_IOERR:
        return DISK_FULL if _free_bytes(_store_path(store).parent) < NEARLY_FULL else IO_ERROR
    if is_read_only(exc) or code in (SQLITE_CANTOPEN, SQLITE_PERM):
        path = _store_path(store)
        if path.parent.is_dir() and _folder_refuses(path.parent) is not None:
            return READ_ONLY_FOLDER
        if is_read_only(exc):
            return READ_ONLY
        if code == SQLITE_PERM or (path.exists() and not os.access(path, os.R_OK | os.W_OK)):
            return PERMISSION
        return CANNOT_OPEN
    return DAMAGED if is_damage(exc) else None


def is_passing(exc: BaseException, store: Path | None = None) -> bool:
    """Whether ``exc`` is passing trouble (full, read-only, permission, I/O, locked): nothing was lost."""
    return kind(exc, store) in PASSING


def describe(exc: BaseException, store: Path | None = None) -> str:
    """One line about ``exc`` that names the fault for what it is, in the current language (never a
    traceback, never "damaged" unless it is). Anything else: the exception's own first line."""
    found = kind(exc, store)
    where = _where(exc, store)
    if found == DISK_FULL:
        return _("The disk is full. Free some space and try again; nothing was lost.")
    if found == READ_ONLY_FOLDER:
        return _(
            "The data folder {folder} is read-only, so nothing could be saved. Nothing was lost: make the "
            "folder writable and try again."
        ).format(folder=where.parent)
    if found == READ_ONLY:
        return _("{path} is read-only, so nothing could be saved. Nothing was lost.").format(path=where)
    if found == PERMISSION:
        return _("Permission denied: this user may not read or write {path}. Nothing was changed.").format(path=where)
    if found == IO_ERROR:
        return _(
            "The disk could not be read or written (an input/output error). Check that it is connected and "
            "has free space; nothing was lost."
        )
    if found == LOCKED:
        return _(
            "The case store is busy: another CarePlan Desk window or careplan command is using it. Try again "
            "in a moment; nothing was lost."
        )
    if found == DAMAGED:
        return _("The case store is damaged: SQLite's check found errors in {path}.").format(path=where)
    if found == WRONG_PASSPHRASE:
        return _("The passphrase does not open the case store.")
    if found == CANNOT_OPEN:
        return _("The case store {path} could not be opened. Nothing was changed.").format(path=where)
    if found == NO_STORE:
        return _("There is no case store yet.")
    text = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    first = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
    filename = getattr(exc, "filename", None)
    return f"{filename}: {first}" if filename and isinstance(exc, OSError) else first


def _where(exc: BaseException, store: Path | None) -> Path:
    """The file the failure is about: an OSError's own, else the case store."""
    filename = getattr(exc, "filename", None) if isinstance(exc, OSError) else None
    if isinstance(filename, str | os.PathLike) and not isinstance(exc, NoStore):
        return Path(filename)
    return _store_path(store)
