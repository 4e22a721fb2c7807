"""Opening the stores, for both faces: the knowledge pack, and the case store through its vault.

The storage types the faces name (a stored case, a row of the list, a plan version, a backup) are
re-exported here: the GUI reaches storage only through the services.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from db.audit_log import ACTIONS, AuditEntry
from db.backups import (
    DAMAGED,
    DISK_FULL,
    KEEP,
    MAX_AGE_DAYS,
    NOT_WRITTEN,
    WRONG_KEY,
    Backup,
    BadBackup,
    KeptBackup,
    RekeyReport,
)
from db.case_store import CaseQuery, CaseRow, CaseStore, PlanVersion, StoredCase
from db.crypto import MIN_PASSPHRASE, WrongPassphrase, is_encrypted, key_for, passphrase_fault, passphrase_problem
from db.faults import is_damage
from db.knowledge_store import COORDINATOR_SOURCE, KnowledgeStore, SearchHit
from db.patient_export import Erased, Exported, erase_patient, export_patient
from db.vault import CaseVault, NoStore, StoreDamaged
from planning.i18n import _
from services.paths import (
    PRIVATE_FILE,
    PRIVATE_FOLDER,
    cases_db_path,
    data_dir,
    knowledge_db_path,
    outbox_path,
    secure_data_dir,
)

__all__ = [
    "ACTIONS",
    "COORDINATOR_SOURCE",
    "DAMAGED",
    "DISK_FULL",
    "KEEP",
    "MAX_AGE_DAYS",
    "MIN_PASSPHRASE",
    "NOT_WRITTEN",
    "PRIVATE_FILE",
    "PRIVATE_FOLDER",
    "WRONG_KEY",
    "AuditEntry",
    "Backup",
    "BadBackup",
    "CaseQuery",
    "CaseRow",
    "CaseStore",
    "CaseVault",
    "Erased",
    "Exported",
    "KeptBackup",
    "KnowledgeRebuilt",
    "KnowledgeStore",
    "NoStore",
    "PlanVersion",
    "RekeyReport",
    "SearchHit",
    "StoreDamaged",
    "StoredCase",
    "WrongPassphrase",
    "cases_db_path",
    "data_dir",
    "erase_patient",
    "export_patient",
    "is_damage",
    "is_encrypted",
    "key_for",
    "knowledge_db_path",
    "open_knowledge",
    "outbox_path",
    "passphrase_fault",
    "passphrase_problem",
    "prepare_knowledge",
    "secure_data_dir",
]


log = logging.getLogger(__name__)


def open_knowledge(
    folder: Path | None = None,
    *,
    check_same_thread: bool = True,
    notice: Callable[[str], object] | None = None,
) -> KnowledgeStore:
    """The knowledge store of a data directory, with the bundled pack installed if it is newer.

    A damaged store is moved aside and built again from the bundled pack first (``prepare_knowledge``);
    ``notice`` is told so in words, by default on stderr (the command line's way).
    """
    rebuilt = prepare_knowledge(folder)
    if rebuilt is not None:
        (notice or _warn_on_stderr)(rebuilt.message())
    return KnowledgeStore.open(knowledge_db_path(folder), check_same_thread=check_same_thread)


@dataclass(frozen=True)
class KnowledgeRebuilt:
    """The knowledge store was damaged: it was moved aside and built again from the bundled pack.

    It holds no patient data, only the pack and what the coordinator entered beside it (exchange rates
    and changed estimate assumptions), which are carried over where they could still be read.
    """

    damaged: Path
    """Where the damaged file was moved: ``knowledge.sqlite.damaged-<UTC time>``."""
    problem: str
    """What was wrong with it (SQLite's words; for the log)."""
    rates: int = 0
    """The coordinator's exchange rates carried over."""
    costs: int = 0
    """The coordinator's changed estimate assumptions carried over."""
    lost: bool = False
    """Some or all of the coordinator's own rates and assumptions could not be read from the damaged file."""
    imported: str = ""
    """The file name of the imported pack that was installed (now the bundled one is), when it could be read."""

    def message(self) -> str:
        """What happened, in the interface's language, for the coordinator."""
        parts = [
            _(
                "The knowledge store was damaged and has been rebuilt from the bundled knowledge pack "
                "(it holds no patient data). The damaged file is kept as {name}."
            ).format(name=self.damaged.name)
        ]
        if self.lost:
            parts.append(
                _(
                    "Exchange rates and estimate changes you entered could not all be read from it: if you had "
                    "entered any, check them in Settings and enter what is missing again."
                )
            )
        elif self.rates or self.costs:
            parts.append(_("The exchange rates and estimate changes you entered were kept."))
        if self.imported:
            parts.append(_("Import the knowledge pack {name} again to use it.").format(name=self.imported))
        return " ".join(parts)


def prepare_knowledge(folder: Path | None = None) -> KnowledgeRebuilt | None:
    """Make the knowledge store of a data directory ready, on a connection of its own (closed again):
    a damaged one (SQLite's quick check, or damage met while reading it) is moved aside and built again
    from the bundled pack, keeping the coordinator's own rates and assumptions where they can still be
    read; then the bundled pack is installed if it is newer. Returns what was rebuilt, or None.

    For the GUI's worker at start-up and for every command (through ``open_knowledge``). Trouble that is
    no damage (a lock, a read-only or unreadable file, a broken bundled pack) is raised as it is.
    """
    path = knowledge_db_path(folder)
    problem = knowledge_damage(path)
    rebuilt = _rebuild_knowledge(path, problem) if problem is not None else None
    store = KnowledgeStore.open(path)
    try:
        store.ensure_current()
        store.pack()
    except Exception as exc:
        if rebuilt is not None or not _knowledge_damaged_by(exc):
            raise
        store.close()
        rebuilt = _rebuild_knowledge(path, str(exc))
        store = KnowledgeStore.open(path)
        store.ensure_current()
    finally:
        store.close()
    return rebuilt


def knowledge_damage(path: Path) -> str | None:
    """What is wrong with the knowledge store at ``path`` (SQLite's quick check), or None when it is
    sound, new or empty. Trouble that is no damage (a lock, an unreadable file) is raised as it is."""
    from db.backups import problems

    if not path.is_file() or path.stat().st_size == 0:
        return None
    return problems(path, None)


def _knowledge_damaged_by(exc: BaseException) -> bool:
    """Damage met while reading the store: SQLite's CORRUPT or NOTADB, or a stored document that is no JSON."""
    return is_damage(exc) or isinstance(exc, json.JSONDecodeError | UnicodeDecodeError)


def _rebuild_knowledge(path: Path, problem: str) -> KnowledgeRebuilt:
    """Move the damaged store at ``path`` aside (with its -wal; its -shm goes) and build a new one from the
    bundled pack, with what the coordinator entered that the damaged file still gives."""
    rates, costs, imported, lost = _salvage_knowledge(path)
    at = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.damaged-{at}")
    number = 1
    while aside.exists():
        number += 1
        aside = path.with_name(f"{path.name}.damaged-{at}-{number}")
    os.replace(path, aside)
    for extra in ("-wal", "-shm", "-journal"):
        sidecar = path.with_name(path.name + extra)
        if sidecar.exists():
            if extra == "-shm" or sidecar.stat().st_size == 0:  # an index of the -wal, or nothing
                sidecar.unlink()
            else:
                os.replace(sidecar, aside.with_name(aside.name + extra))
    # info, not warning: the command line says it in its own words (a warning would be printed twice)
    log.info("the knowledge store was damaged (%s): kept as %s, rebuilt from the bundled pack", problem, aside.name)
    store = KnowledgeStore.open(path)
    try:
        store.ensure_current()
        with store.db.atomic():
            store.db.table("coordinator_rates").insert_all(rates, replace=True)
            store.db.table("coordinator_costs").insert_all(costs, replace=True)
    finally:
        store.close()
    return KnowledgeRebuilt(aside, problem, len(rates), len(costs), lost, imported)


_OWN_COLUMNS = {
    "coordinator_rates": ("base", "quote", "rate", "as_of", "note", "entered_at"),
    "coordinator_costs": ("country", "item", "low", "high", "entered_at"),
}
"""What the coordinator entered beside the pack, table by table: the columns carried over."""


def _salvage_knowledge(path: Path) -> tuple[list[dict], list[dict], str, bool]:
    """The coordinator's rates and changed assumptions that the damaged store at ``path`` still gives
    (read only; a table that cannot be read whole, or a row that is not a number where one belongs, is
    left out and counts as lost), the imported pack's file name if it can be read, and whether any was lost."""
    from db.connection import connect
    from db.faults import database_errors

    found: dict[str, list[dict]] = {table: [] for table in _OWN_COLUMNS}
    lost, imported = False, ""
    unreadable: tuple[type[Exception], ...] = (OSError, *database_errors())
    try:
        db = connect(path, read_only=True)
    except unreadable:
        return [], [], "", True
    try:
        for table, columns in _OWN_COLUMNS.items():
            try:
                if not db[table].exists():
                    continue
                rows = list(db.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall())
            except database_errors():
                lost = True
                continue
            for row in rows:
                record = dict(zip(columns, row, strict=True))
                if _sound(record):
                    found[table].append(record)
                else:
                    lost = True
        try:
            origin = db.execute("SELECT value FROM pack_meta WHERE key = 'origin'").fetchone()
            imported = origin[0] if origin and isinstance(origin[0], str) and origin[0] != "bundled" else ""
        except database_errors():
            pass
    finally:
        db.conn.close()
    return found["coordinator_rates"], found["coordinator_costs"], imported, lost


def _sound(record: dict) -> bool:
    """A row read from a damaged file that is what it should be: texts where texts belong, amounts that are numbers."""
    if not all(isinstance(value, str) for value in record.values()):
        return False
    try:
        amounts = [Decimal(record[key]) for key in ("rate", "low", "high") if key in record]
    except InvalidOperation:
        return False
    return all(amount.is_finite() and amount >= 0 for amount in amounts)


def _warn_on_stderr(message: str) -> None:
    if sys.stderr is not None:
        print(f"warning: {message}", file=sys.stderr)


def indication_codes(folder: Path | None = None) -> frozenset[str]:
    """The indication codes the installed knowledge pack knows (what a case may name)."""
    store = open_knowledge(folder)
    try:
        return frozenset(i.code for i in store.pack().indications)
    finally:
        store.close()


def case_vault(folder: Path | None = None) -> CaseVault:
    return CaseVault(cases_db_path(folder))


def open_cases(vault: CaseVault, indications: Collection[str] = ()) -> CaseStore:
    """The case store of an unlocked vault, for one command (the connection belongs to the caller's thread)."""
    return vault.open(indications, check_same_thread=True, startup_backup=False)


def release(store: CaseStore) -> None:
    """Close the store's connection on the thread that owns it, before the file is re-encrypted on a
    connection of another thread (the store object stays; ``reconnect`` gives it a new connection)."""
    store.close()


def reconnect(store: CaseStore, vault: CaseVault) -> None:
    """A new connection for ``store``, owned by the calling thread, with the vault's current key."""
    store.db = CaseStore.connect(vault.path, check_same_thread=True, key=vault.key)


def change_passphrase(vault: CaseVault, current: str, new: str, who: str) -> RekeyReport:
    """Encrypt the case store and its backups with ``new``, or re-encrypt them (``current`` is then the
    passphrase in use), and audit it; on a connection of the calling thread's own, so every other
    connection to the store must be released first. No backup is removed: those that could not be
    re-encrypted are named in the report, kept as they were."""
    plain = not vault.encrypted
    own = CaseStore.open(vault.path, (), check_same_thread=True, key=vault.key)
    try:
        report = vault.change_passphrase(own, current, new)
        own.audit(who, "encryption_enabled" if plain else "passphrase_changed")
    finally:
        own.close()
    return report
