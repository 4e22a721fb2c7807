"""Opening the stores, for both faces: the knowledge pack, and the case store through its vault.

The storage types the faces name (a stored case, a row of the list, a plan version, a backup) are
re-exported here: the GUI reaches storage only through the services.
"""

from __future__ import annotations

from collections.abc import Collection
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
from db.knowledge_store import COORDINATOR_SOURCE, KnowledgeStore, SearchHit
from db.patient_export import Erased, Exported, erase_patient, export_patient
from db.vault import CaseVault, StoreDamaged
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
    "KnowledgeStore",
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
    "secure_data_dir",
]


def open_knowledge(folder: Path | None = None, *, check_same_thread: bool = True) -> KnowledgeStore:
    """The knowledge store of a data directory, with the bundled pack installed if it is newer."""
    store = KnowledgeStore.open(knowledge_db_path(folder), check_same_thread=check_same_thread)
    store.ensure_current()
    return store


def indication_codes(folder: Path | None = None) -> frozenset[str]:
    """The indication codes the installed knowledge pack knows (what a case may name)."""
    store = open_knowledge(folder)
    try:
        return frozenset(i.code for i in store.pack().indications)
    finally:
        store.close()


def is_damage(exc: BaseException) -> bool:
    """Whether ``exc`` says the case store is damaged (not locked, full or read-only)."""
    from db.faults import is_damage as classified

    return classified(exc)


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
