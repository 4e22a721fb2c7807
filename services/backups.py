"""Restoring a backup, for both faces: checked first, the replaced store kept aside, and audited.

A restore never discards, unasked, what only the current store holds: ``newer_in_store`` compares it
with the backup (cases added or changed since, plans made since), and ``restore_backup`` refuses with
NewerInStore, naming them, unless the caller has shown them and the coordinator chose to discard them.
"""

from __future__ import annotations

from pathlib import Path

from db.backups import ChangedCase, Comparison
from db.vault import CaseVault

__all__ = ["ChangedCase", "Comparison", "NewerInStore", "newer_in_store", "restore_backup"]


class NewerInStore(Exception):
    """The current store holds cases (or changes to them) the backup lacks: ``comparison.newer``."""

    def __init__(self, comparison: Comparison):
        super().__init__(f"{len(comparison.newer)} cases are newer in the case store than in the backup")
        self.comparison = comparison


def newer_in_store(vault: CaseVault, source: Path) -> Comparison | None:
    """What restoring ``source`` would discard and bring back; None when the current store (or the
    backup) cannot be read with the vault's key, so nothing can be compared (a damaged store)."""
    if vault.state() == "new":
        return None
    return vault.compare(Path(source))


def restore_backup(vault: CaseVault, source: Path, who: str, *, discard_newer: bool = False) -> Path | None:
    """Put ``source`` (a backup, or a store a restore replaced) in place of the (closed) case store and
    audit it ("backup_restored") in the restored store; a backup that is not sound raises BadBackup (or
    WrongPassphrase) and changes nothing. When the current store can be read and has cases or changes
    the backup lacks, NewerInStore is raised and nothing changes, unless ``discard_newer``.
    Returns where the replaced store was kept."""
    if not discard_newer:
        found = newer_in_store(vault, source)
        if found is not None and found.newer:
            raise NewerInStore(found)
    aside = vault.restore(Path(source))
    store = vault.open((), check_same_thread=True, check_later=True)  # the restored copy was just checked
    try:
        store.audit(who, "backup_restored", detail=Path(source).name)
    finally:
        store.close()
    return aside
