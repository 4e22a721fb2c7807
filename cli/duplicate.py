"""`careplan duplicate`: a new case from a stored one (the same patient's new episode), as the app's
"Duplicate case" makes it."""

from __future__ import annotations

import argparse

from cli.common import EXIT_OK, coordinator
from cli.stores import cases, stored_id
from planning.i18n import _
from services.case_copy import WHAT_IS_COPIED, duplicate_case
from services.stores import indication_codes


def _duplicate(args: argparse.Namespace) -> int:
    store = cases(indication_codes())
    try:
        copied = duplicate_case(store, stored_id(store, args.reference), coordinator())
    finally:
        store.close()
    print(_("Duplicated case {reference} as {copy}").format(reference=args.reference, copy=copied.reference))
    return EXIT_OK


def register(commands: argparse._SubParsersAction) -> None:
    duplicate = commands.add_parser(
        "duplicate",
        help="a new case for the same patient (a new episode), copied from a stored one",
        description=_(WHAT_IS_COPIED),
    )
    duplicate.add_argument("reference", help="the case to copy, e.g. CP-2026-00001")
    duplicate.set_defaults(run=_duplicate)
