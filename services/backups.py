"""Restoring a backup, for both faces: checked first, the replaced store kept aside, and audited."""

from __future__ import annotations

from pathlib import Path

from db.vault import CaseVault


def restore_backup(vault: CaseVault, source: Path, who: str) -> Path | None:
    """Put ``source`` in place of the (closed) case store and audit it ("backup_restored") in the restored
    store; a backup that is not sound raises BadBackup (or WrongPassphrase) and changes nothing.
    Returns where the replaced store was kept."""
    aside = vault.restore(Path(source))
    store = vault.open((), check_same_thread=True, check_later=True)  # the restored copy was just checked
    try:
        store.audit(who, "backup_restored", detail=Path(source).name)
    finally:
        store.close()
    return aside
