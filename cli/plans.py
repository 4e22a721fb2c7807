"""`careplan plan`: the PDF treatment plan and cost estimate of a case file, in the patient's language."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cli.common import EXIT_FAILURE, EXIT_OK, CliError, case_and_pack
from cli.estimates import countries
from planning.i18n import DOCUMENT_LOCALES, document_locale_named, format_size, locale_scope
from services.paths import data_dir
from services.plans import document_locale, make_plan
from services.settings import Settings


def _plan(args: argparse.Namespace) -> int:
    problems: list[str] = []
    chosen = countries(args, problems)
    if args.locale:
        named = document_locale_named(args.locale)
        if named is None:
            problems.append(f"--locale: documents are made in {', '.join(DOCUMENT_LOCALES)}, not {args.locale}")
        args.locale = named
    target = Path(args.output)
    if not target.parent.is_dir():
        problems.append(f"-o: no such folder {target.parent}")
    case, pack, rates, costs = case_and_pack(Path(args.file), problems)
    if problems:
        raise CliError(problems)
    locale = document_locale(case, args.locale)
    from reports.document import write_pdf

    plan = make_plan(
        case,
        pack,
        case.reference or Path(args.file).stem,
        locale,
        Settings(data_dir()).load(),
        rates=list(rates),
        costs=list(costs),
        countries=chosen or None,
    ).plan
    try:
        size = write_pdf(plan, target)
    except OSError as exc:
        raise CliError([f"{target}: cannot write ({exc.strerror or exc}); nothing written"], EXIT_FAILURE) from None
    with locale_scope("en"):
        print(f"Wrote {target} ({format_size(size)}, {locale})")
    if not plan.organisation.name:
        print("Note: no organisation is set in Settings, so the plan carries no letterhead.", file=sys.stderr)
    return EXIT_OK


def register(commands: argparse._SubParsersAction) -> None:
    pdf = commands.add_parser("plan", help="the PDF treatment plan and cost estimate, in the patient's language")
    pdf.add_argument("file", help="the case file (JSON)")
    pdf.add_argument("-o", "--output", required=True, help="where to write the PDF")
    pdf.add_argument("--locale", help=f"document language: {', '.join(DOCUMENT_LOCALES)} (default: the patient's)")
    pdf.add_argument("--country", action="append", metavar="CC", help="a destination (repeat; default: the case's)")
    pdf.set_defaults(run=_plan)
