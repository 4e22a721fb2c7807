"""`careplan case`: import, export and list cases; a patient's data exported or erased (GDPR)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from cli.common import EXIT_FAILURE, EXIT_OK, CliError, coordinator, load_case_file, print_utf8
from cli.stores import cases, stored_id
from cli.table import clip, table
from planning.case import CASE_STATUSES
from planning.i18n import _
from services.case_files import CaseFileError, DuplicateCase, case_currencies, export_case, import_case
from services.stores import (
    MAX_AGE_DAYS,
    CaseRow,
    case_vault,
    cases_db_path,
    erase_patient,
    export_patient,
    indication_codes,
    outbox_path,
)


def _import(args: argparse.Namespace) -> int:
    path = Path(args.file)
    codes = indication_codes()
    if case_vault().state() == "new":
        load_case_file(path, codes)  # a file that cannot be imported creates no store
    store = cases(codes, create=True, plain=args.no_encryption)
    try:
        stored = import_case(store, path, coordinator(), as_new=args.as_new, currencies=case_currencies())
    except DuplicateCase as exc:  # one line: which case it already is, and how to keep both
        raise CliError([f"{exc.lines()[0]}; " + _("add --as-new to import it beside it as a new case")]) from None
    except CaseFileError as exc:
        raise CliError.of(exc) from None
    finally:
        store.close()
    print(f"Imported case {stored.reference} ({path})")
    return EXIT_OK


def _export(args: argparse.Namespace) -> int:
    to_stdout = args.output == "-"
    store = cases()
    try:
        case_id = stored_id(store, args.reference)
        try:
            text = export_case(store, case_id, None if to_stdout else Path(args.output), coordinator())
        except CaseFileError as exc:
            raise CliError.of(exc, EXIT_FAILURE) from None
    finally:
        store.close()
    if to_stdout:
        print_utf8(text)
    else:
        print(f"Exported case {args.reference} to {args.output}")
    return EXIT_OK


def _export_data(args: argparse.Namespace) -> int:
    target = Path(args.output)
    if target.is_dir():
        raise CliError([f"-o: {target} is a folder; name the .zip file to write"])
    if not target.parent.is_dir():
        raise CliError([f"-o: no such folder {target.parent}"])
    store = cases()
    try:
        case_id = stored_id(store, args.reference)
        try:
            result = export_patient(store, case_id, target, coordinator())
        except OSError as exc:
            raise CliError([f"{target}: cannot write ({exc.strerror or exc}); nothing written"], EXIT_FAILURE) from None
    finally:
        store.close()
    print(f"Exported all data of case {result.reference} ({result.plans} plan PDFs) to {target}")
    return EXIT_OK


def _erase(args: argparse.Namespace) -> int:
    if not args.yes:
        raise CliError(
            [
                f"case erase: add --yes to erase {args.reference} for good (the case, its history, its calls, its "
                f"plans and its e-mail drafts; this cannot be undone, and backups and the stores a restore replaced "
                f"keep it until they age out within {MAX_AGE_DAYS} days)"
            ]
        )
    store = cases()
    try:
        result = erase_patient(store, stored_id(store, args.reference), coordinator(), outbox_path())
    finally:
        store.close()
    files = f", {len(result.files)} outbox files" if result.files else ""
    leftovers = f", {len(result.leftovers)} unfinished backup files" if result.leftovers else ""
    if result.log_held:
        raise CliError(
            [
                _(
                    "case {reference} is erased from the cases, but another program (CarePlan Desk or a careplan "
                    "command) was reading the case store, so its files ({path} and its log, {log}) still hold the "
                    "patient until every program using the store is closed; close them to finish the erase"
                ).format(reference=result.reference, path=cases_db_path(), log=store_log_path())
            ],
            EXIT_FAILURE,
        )
    print(
        f"Erased case {result.reference} ({result.plans} plan versions{files}{leftovers}). "
        + _(
            "Backups, and the stores a restore replaced (cases.sqlite.replaced-*), still hold it until they "
            "age out within {days} days."
        ).format(days=MAX_AGE_DAYS)
    )
    return EXIT_OK


def store_log_path() -> Path:
    path = cases_db_path()
    return path.with_name(path.name + "-wal")


def _record(row: CaseRow) -> dict[str, Any]:
    return {
        "reference": row.reference,
        "full_name": row.full_name,
        "date_of_birth": row.date_of_birth,
        "indication": row.indication,
        "status": row.status,
        "follow_up": row.follow_up,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
        "sample": row.sample,
        "problems": row.problems,
    }


def _list(args: argparse.Namespace) -> int:
    store = cases()
    try:
        rows = [row for row in store.all_rows() if args.status is None or row.status == args.status]
    finally:
        store.close()
    if args.json:
        print(json.dumps([_record(row) for row in rows], ensure_ascii=False, indent=2))
    elif rows:
        header = ("REFERENCE", "NAME", "STATUS", "FOLLOW-UP", "UPDATED")
        cells = [
            (r.reference, clip(r.full_name or "-", 40), r.status, r.follow_up or "-", r.updated_at[:10]) for r in rows
        ]
        print("\n".join(table(header, cells)))
    else:
        print("No cases.")
    return EXIT_OK


def register(commands: argparse._SubParsersAction) -> None:
    case = commands.add_parser("case", help="patient cases: import, export and list case files")
    actions = case.add_subparsers(dest="case_command", required=True, metavar="ACTION")
    imp = actions.add_parser("import", help="add a case from a JSON case file (checked whole first)")
    imp.add_argument("file", help="the case file (JSON, UTF-8)")
    imp.add_argument(
        "--as-new",
        action="store_true",
        help=_(
            "import it even if it is already in the store (same reference, or same name and date of birth): "
            "a new case with a new reference, beside the other"
        ),
    )
    imp.add_argument(
        "--no-encryption",
        action="store_true",
        help="on a new data folder, create the case store unencrypted (else CAREPLAN_PASSPHRASE encrypts it)",
    )
    imp.set_defaults(run=_import)
    exp = actions.add_parser("export", help="write a case as a JSON case file")
    exp.add_argument("reference", help="the case's reference, e.g. CP-2026-00001")
    exp.add_argument("-o", "--output", required=True, metavar="FILE", help="the file to write ('-' for stdout)")
    exp.set_defaults(run=_export)
    listing = actions.add_parser("list", help="every case, by reference")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.add_argument("--status", choices=CASE_STATUSES, help="only cases with this status")
    listing.set_defaults(run=_list)
    data = actions.add_parser(
        "export-data",
        help="everything about one patient (GDPR): case, history, calls, audit entries and plan PDFs as a .zip",
    )
    data.add_argument("reference", help="the case's reference, e.g. CP-2026-00001")
    data.add_argument("-o", "--output", required=True, metavar="FILE.zip", help="the .zip file to write")
    data.set_defaults(run=_export_data)
    erase = actions.add_parser(
        "erase", help="erase one patient for good (GDPR): the case, its history, calls, plans and e-mail drafts"
    )
    erase.add_argument("reference", help="the case's reference, e.g. CP-2026-00001")
    erase.add_argument("--yes", action="store_true", help="confirm: this cannot be undone")
    erase.set_defaults(run=_erase)
