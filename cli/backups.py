"""`careplan backup`: make a backup of the case store, list the backups, restore one.

The stores restores replaced (``cases.sqlite.replaced-<time>``) are listed with the backups and can be
restored the same way. A restore that would discard cases or changes only the current store holds is
refused, naming them, unless --discard-newer is given."""

from __future__ import annotations

import argparse
from pathlib import Path

from cli.common import EXIT_OK, CliError, coordinator
from cli.stores import ENV_PASSPHRASE, damaged, no_store_yet, passphrase, vault
from cli.table import table
from planning.i18n import _, format_size
from services.backups import NewerInStore, restore_backup
from services.stores import BadBackup, StoreDamaged, WrongPassphrase, case_vault, is_encrypted, key_for

SHOWN = 10
"""How many newer cases a refused restore names (then how many more)."""


def _now(args: argparse.Namespace) -> int:
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
    backups = found.restorable()
    if not backups:
        if found.state() == "new":
            raise no_store_yet()
        print(f"No backups yet (they are kept in {found.backups_folder}).")
        return EXIT_OK
    cells = [
        (
            b.made_at.strftime("%Y-%m-%d %H:%M:%S"),
            _("replaced store") if b.replaced else _("backup"),
            format_size(b.size, "en"),
            str(b.path),
        )
        for b in backups
    ]
    print("\n".join(table(("MADE (UTC)", "KIND", "SIZE", "FILE"), cells, right=(2,), free_last=True)))
    if any(b.replaced for b in backups):
        print(_("A replaced store is the case store as it was when a restore replaced it, dated by that restore."))
    return EXIT_OK


def _newer_lines(exc: NewerInStore, source: Path) -> list[str]:
    newer = exc.comparison.newer
    named = ", ".join(case.reference for case in newer[:SHOWN])
    more = _(" and {count} more").format(count=len(newer) - SHOWN) if len(newer) > SHOWN else ""
    return [
        _(
            "{count} cases in the case store are newer than in {backup} or missing from it, and restoring would "
            "discard them: {references}{more}. Nothing was changed; add --discard-newer to restore all the same "
            "(the current store is then kept as a replaced store, restorable with careplan backup restore)"
        ).format(count=len(newer), backup=source.name, references=named, more=more)
    ]


def _restore(args: argparse.Namespace) -> int:
    found = case_vault()
    source = Path(args.file)
    if not source.is_file():
        source = found.find_restorable(args.file) or source  # a name as `backup list` shows it
    if not source.is_file():
        raise CliError([f"{args.file}: no such backup file"])
    if is_encrypted(source):
        found.key = key_for(source, passphrase(found))
    elif found.state() == "encrypted":
        raise CliError([f"{source}: an unencrypted backup cannot replace the encrypted case store"])
    try:  # checks the backup first; a bad one changes nothing, nor does one that would discard newer cases
        aside = restore_backup(found, source, coordinator(), discard_newer=args.discard_newer)
    except NewerInStore as exc:
        raise CliError(_newer_lines(exc, source)) from None
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
    restore.add_argument("file", help="the backup or replaced store (a path, or a name from `careplan backup list`)")
    restore.add_argument(
        "--discard-newer",
        action="store_true",
        help="restore even when the case store has cases or changes the backup lacks (they are named otherwise)",
    )
    restore.set_defaults(run=_restore)
