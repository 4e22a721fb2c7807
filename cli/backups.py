"""`careplan backup`: make a backup of the case store, list the backups, restore one."""

from __future__ import annotations

import argparse
from pathlib import Path

from cli.common import ENV_PASSPHRASE, EXIT_OK, CliError, coordinator, damaged, passphrase, vault
from cli.table import table
from planning.i18n import format_size
from services.backups import restore_backup
from services.stores import BadBackup, StoreDamaged, WrongPassphrase, case_vault, is_encrypted, key_for


def _now(args: argparse.Namespace) -> int:
    if case_vault().state() == "new":
        raise CliError(["backup now: there is no case store yet"])
    unlocked = vault()
    try:
        unlocked.open((), check_same_thread=True, startup_backup=False).close()
    except StoreDamaged as exc:
        raise damaged(exc) from None
    made = unlocked.backup()
    print(f"Backed up the case store to {made.path} ({format_size(made.size, 'en')})")
    return EXIT_OK


def _list(args: argparse.Namespace) -> int:
    found = case_vault()
    backups = found.list_backups()
    if not backups:
        print(f"No backups yet (they are kept in {found.backups_folder}).")
        return EXIT_OK
    cells = [(b.made_at.strftime("%Y-%m-%d %H:%M:%S"), format_size(b.size, "en"), str(b.path)) for b in backups]
    print("\n".join(table(("MADE (UTC)", "SIZE", "FILE"), cells, right=(1,), free_last=True)))
    return EXIT_OK


def _restore(args: argparse.Namespace) -> int:
    found = case_vault()
    source = Path(args.file)
    if not source.is_file() and (found.backups_folder / args.file).is_file():
        source = found.backups_folder / args.file  # a name as `backup list` shows it
    if not source.is_file():
        raise CliError([f"{args.file}: no such backup file"])
    if is_encrypted(source):
        found.key = key_for(source, passphrase(found))
    elif found.state() == "encrypted":
        raise CliError([f"{source}: an unencrypted backup cannot replace the encrypted case store"])
    try:
        aside = restore_backup(found, source, coordinator())  # checks the backup first; a bad one changes nothing
    except WrongPassphrase:
        raise CliError(
            [f"{ENV_PASSPHRASE}: the passphrase does not open the backup {source.name}; nothing was changed"]
        ) from None
    except BadBackup as exc:
        raise CliError([f"{source}: not a sound backup ({exc.problem}); nothing was changed"]) from None
    kept = f"; the replaced store is kept as {aside}" if aside else ""
    print(f"Restored the case store from {source}{kept}")
    return EXIT_OK


def register(commands: argparse._SubParsersAction) -> None:
    backup = commands.add_parser("backup", help="backups of the case store: make one, list them, restore one")
    actions = backup.add_subparsers(dest="backup_command", required=True, metavar="ACTION")
    actions.add_parser("now", help="back up the case store now").set_defaults(run=_now)
    actions.add_parser("list", help="the backups, newest first").set_defaults(run=_list)
    restore = actions.add_parser(
        "restore", help="put a backup in place of the case store (the current file is kept aside)"
    )
    restore.add_argument("file", help="the backup file (a path, or a name from `careplan backup list`)")
    restore.set_defaults(run=_restore)
