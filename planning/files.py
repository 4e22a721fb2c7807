"""Writing files safely: to a temporary file beside the target, then renamed into place; reading JSON
without losing a value to a repeated key.

A failure (full disk, no permission) leaves the target as it was and no temporary file behind.

Portable: a file is flushed to the disk (``os.fsync``) only through a handle opened for writing (Windows
refuses a read-only one with EBADF); a folder is synced only where folders can be (POSIX: it makes a rename
durable; Windows cannot open a folder, and NTFS journals the rename itself).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any


def write_atomic(target: Path, data: bytes) -> None:
    target = Path(target)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


SYNC_FOLDERS = os.name != "nt"
"""Whether a folder can be opened and synced here (POSIX), to make a rename in it durable."""


def sync_file(path: Path) -> None:
    """Flush a file written by someone else (SQLite, a copy) to the disk, through a handle opened for
    writing as Windows requires; the file is not changed."""
    with open(path, "r+b") as handle:
        os.fsync(handle.fileno())


def sync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable where the system can (POSIX); elsewhere, and on a file system
    that refuses to sync a folder, nothing to do."""
    if not SYNC_FOLDERS:
        return
    try:
        descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def safe_file_name(*parts: str, suffix: str = ".pdf", fallback: str = "plan") -> str:
    """A file name every system accepts: letters, digits, '-' and '_' only, no path, at most 100 characters."""
    text = "_".join(p for p in parts if p)
    text = re.sub(r"[^\w-]+", "_", text, flags=re.UNICODE).strip("._-")
    return (text[:100] or fallback) + suffix


class DuplicateKey(ValueError):
    """A JSON object that names one key twice (a reader keeps only the last: a value would vanish unseen)."""

    def __init__(self, key: str):
        self.key = key
        super().__init__(f"the key {json.dumps(key[:60], ensure_ascii=True)} appears twice in one object")


def unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """``object_pairs_hook`` for :func:`json.loads`: an object as a dict, or DuplicateKey."""
    document: dict[str, Any] = {}
    for key, value in pairs:
        if key in document:
            raise DuplicateKey(key)
        document[key] = value
    return document
