"""What a database error means, told by SQLite's result code and the exception's type, never by its text.

SQLite's messages are for people and may change between versions (or be translated); its result codes
do not. Python's ``sqlite3`` and ``sqlcipher3`` both put the code on the exception as
``sqlite_errorcode`` (an extended code: its low byte is the primary one), and they have separate
exception classes, so both are checked. A wrong SQLCipher key and a file that is no database give the
same code (SQLITE_NOTADB): only the caller knows which it can be (db.connection turns it into
WrongPassphrase when a key was given).

Damage (the file is not what SQLite wrote) is told apart from passing trouble: a lock held by another
connection, a full disk or a read-only file say nothing about the data, and never lead to a restore.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

SQLITE_BUSY = sqlite3.SQLITE_BUSY  # 5: another connection holds a lock
SQLITE_LOCKED = sqlite3.SQLITE_LOCKED  # 6: a conflict inside this connection (shared cache, an open statement)
SQLITE_READONLY = sqlite3.SQLITE_READONLY  # 8
SQLITE_CORRUPT = sqlite3.SQLITE_CORRUPT  # 11: "database disk image is malformed"
SQLITE_FULL = sqlite3.SQLITE_FULL  # 13: disk full, or the database reached max_page_count
SQLITE_NOTADB = sqlite3.SQLITE_NOTADB  # 26: "file is not a database" (or, for SQLCipher, the wrong key)

DAMAGE_CODES = frozenset({SQLITE_CORRUPT, SQLITE_NOTADB})


def _drivers() -> tuple:
    """The driver modules an exception can come from: sqlcipher3 is imported only once a store is
    encrypted, and none of its exceptions exist before."""
    cipher = sys.modules.get("sqlcipher3")
    return (sqlite3,) if cipher is None else (sqlite3, cipher)


def database_errors() -> tuple[type[Exception], ...]:
    """The base exception classes of both drivers, for an ``except database_errors():`` clause."""
    return tuple(driver.Error for driver in _drivers())


def error_code(exc: BaseException) -> int | None:
    """The primary SQLite result code of a driver exception (SQLITE_BUSY, ...), or None for anything else."""
    if not isinstance(exc, database_errors()):
        return None
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def is_database_error(exc: BaseException) -> bool:
    """Whether ``exc`` comes from SQLite or SQLCipher (any kind)."""
    return isinstance(exc, database_errors())


def is_damage(exc: BaseException) -> bool:
    """Whether ``exc`` says the case store (or a backup) is damaged: StoreDamaged, or a DatabaseError of
    either driver with SQLITE_CORRUPT or SQLITE_NOTADB. Locked, full, read-only or missing files are
    no damage (they are OperationalErrors with other codes)."""
    vault = sys.modules.get("db.vault")
    if vault is not None and isinstance(exc, vault.StoreDamaged):
        return True
    damage_types = tuple(driver.DatabaseError for driver in _drivers())
    return isinstance(exc, damage_types) and error_code(exc) in DAMAGE_CODES


def is_not_a_database(exc: BaseException) -> bool:
    """SQLITE_NOTADB: the file's first page is not a database page; with SQLCipher, usually a wrong key."""
    return error_code(exc) == SQLITE_NOTADB


def is_locked(exc: BaseException) -> bool:
    """Another connection (or an open statement of this one) holds the lock; trying later may succeed."""
    return error_code(exc) in (SQLITE_BUSY, SQLITE_LOCKED)


def is_disk_full(exc: BaseException) -> bool:
    """The disk (or the database's page limit) is full: nothing was written by the failed statement."""
    return error_code(exc) == SQLITE_FULL


def is_read_only(exc: BaseException) -> bool:
    """The database cannot be written: a read-only file, folder or connection."""
    return error_code(exc) == SQLITE_READONLY


def header_damage(path: Path) -> str | None:
    """What is wrong with the header of the plain SQLite file at ``path``, or None when it is one SQLite
    could have written (https://sqlite.org/fileformat.html, 1.3); for files that start like one.

    Some damage to page 1 reaches the caller as SQLite's generic SQLITE_ERROR ("unsupported file
    format": e.g. a schema format number of 0xa5a5a5a5), a code that also means many harmless things:
    the header itself tells whether the file is damaged.
    """
    try:
        with open(path, "rb") as file:
            head = file.read(100)
    except OSError:
        return None
    if len(head) < 100 or not head.startswith(b"SQLite format 3\x00"):
        return None
    page_size = int.from_bytes(head[16:18], "big")
    schema_format = int.from_bytes(head[44:48], "big")
    encoding = int.from_bytes(head[56:60], "big")
    checks = [
        (page_size == 1 or (512 <= page_size <= 32768 and page_size & (page_size - 1) == 0), "page size"),
        (head[18] in (1, 2) and head[19] in (1, 2), "file format version"),
        (head[21:24] == bytes((64, 32, 32)), "payload fractions"),
        (schema_format <= 4, "schema format"),
        (encoding <= 3, "text encoding"),
        (head[72:92] == bytes(20), "reserved bytes"),
    ]
    wrong = [name for sound, name in checks if not sound]
    return f"the database header is damaged ({', '.join(wrong)})" if wrong else None
