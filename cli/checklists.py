"""`careplan checklist`: the printable call checklist of a stored case (the open questions from the
pre-screening and the documents to prepare), in the patient's language or another document language."""

from __future__ import annotations

import argparse

from cli.common import EXIT_FAILURE, EXIT_OK, CliError, coordinator
from cli.options import file_to_write
from cli.stores import cases, stored_id
from planning.i18n import DOCUMENT_LOCALES, document_locale_named, format_size, locale_scope
from services.checklists import case_checklist, save_checklist
from services.knowledge import read_knowledge
from services.paths import data_dir
from services.settings import Settings


def _checklist(args: argparse.Namespace) -> int:
    if args.language:
        named = document_locale_named(args.language)
        if named is None:
            raise CliError([f"--language: checklists are made in {', '.join(DOCUMENT_LOCALES)}, not {args.language}"])
        args.language = named
    target = args.out
    pack = read_knowledge().pack
    store = cases()
    try:
        case_id = stored_id(store, args.reference)
        made = case_checklist(store, case_id, pack, args.language, Settings(data_dir()).load())
        try:
            size = save_checklist(made, target, store, coordinator())
        except OSError as exc:
            raise CliError([f"{target}: cannot write ({exc.strerror or exc}); nothing written"], EXIT_FAILURE) from None
    finally:
        store.close()
    checklist = made.checklist
    with locale_scope("en"):
        print(
            f"Wrote {target} ({format_size(size)}, {checklist.locale}; open questions: {len(checklist.questions)}, "
            f"documents to prepare: {len(checklist.documents)})"
        )
    return EXIT_OK


def register(commands: argparse._SubParsersAction) -> None:
    command = commands.add_parser(
        "checklist",
        help="the printable call checklist of a case: open questions and documents to prepare (PDF)",
    )
    command.add_argument("reference", help="the case's reference, e.g. CP-2026-00042")
    command.add_argument(
        "-o", "--out", required=True, type=file_to_write, metavar="FILE", help="where to write the PDF"
    )
    command.add_argument(
        "--language",
        metavar="LOCALE",
        help=f"document language: {', '.join(DOCUMENT_LOCALES)} (default: the patient's)",
    )
    command.set_defaults(run=_checklist)
