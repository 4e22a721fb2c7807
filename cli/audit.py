"""`careplan audit`: who did what to which case, and when; as a table or a CSV file."""

from __future__ import annotations

import argparse
from pathlib import Path

from cli.common import EXIT_FAILURE, EXIT_OK, CliError
from cli.options import file_to_write
from cli.stores import cases, stored_id
from cli.table import clip, table
from services.audit import write_audit_csv


def _audit(args: argparse.Namespace) -> int:
    target: Path | None = args.csv  # checked by file_to_write: its folder exists, it is no folder
    store = cases()
    try:
        case_id = stored_id(store, args.case) if args.case else None
        if target is not None:
            try:
                count = write_audit_csv(store, target, case_id)
            except OSError as exc:
                raise CliError(
                    [f"{target}: cannot write ({exc.strerror or exc}); nothing written"], EXIT_FAILURE
                ) from None
            print(f"Wrote {count} audit entries to {target}")
            return EXIT_OK
        entries = list(reversed(store.audit_entries(case_id)))  # oldest first, as in the CSV
    finally:
        store.close()
    if not entries:
        print("No audit entries.")
        return EXIT_OK
    header = ("AT (UTC)", "WHO", "ACTION", "REFERENCE", "DETAIL")
    cells = [(e.at[:19].replace("T", " "), clip(e.who, 24), e.action, e.reference or "-", e.detail) for e in entries]
    print("\n".join(table(header, cells, free_last=True)))
    return EXIT_OK


def register(commands: argparse._SubParsersAction) -> None:
    audit = commands.add_parser("audit", help="the audit log: who did what to which case, and when")
    audit.add_argument("--csv", metavar="FILE", type=file_to_write, help="write the entries as CSV instead of a table")
    audit.add_argument("--case", metavar="REF", help="only this case's entries")
    audit.set_defaults(run=_audit)
