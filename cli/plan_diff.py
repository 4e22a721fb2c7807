"""`careplan plan-diff`: what changed between two plan versions of a case (destinations, totals, language,
screening verdicts, exchange rates, knowledge pack), as the Plan tab's "Compare…" shows it."""

from __future__ import annotations

import argparse

from cli.common import EXIT_OK, CliError
from cli.stores import cases, stored_id
from planning.i18n import _, ngettext
from planning.plan_diff import describe, version_label
from services.plan_compare import UnknownVersion, case_version_numbers, compare_versions


def _versions(args: argparse.Namespace, numbers: list[int]) -> tuple[int, int]:
    """The two versions to compare: the two given; one given and the one before it; else the two newest."""
    given = args.versions
    if len(given) > 2:
        raise CliError([_("plan-diff: give at most two version numbers")])
    if len(given) == 2:
        return given[0], given[1]
    if len(numbers) < 2:
        raise CliError(
            [
                ngettext(
                    "{reference} has {count} plan version; compare needs two",
                    "{reference} has {count} plan versions; compare needs two",
                    len(numbers),
                ).format(reference=args.reference, count=len(numbers))
            ]
        )
    if len(given) == 1:
        if given[0] not in numbers:
            raise UnknownVersion(given[0], args.reference)
        earlier = [n for n in numbers if n < given[0]]
        if not earlier:
            first = _("version {number} is the first plan version of the case: give two").format(number=given[0])
            raise CliError([first])
        return earlier[-1], given[0]
    return numbers[-2], numbers[-1]


def _plan_diff(args: argparse.Namespace) -> int:
    store = cases()
    try:
        case_id = stored_id(store, args.reference)
        numbers = sorted(case_version_numbers(store, case_id).values())  # 1, 2, … as the timeline counts
        try:
            first, second = _versions(args, numbers)
            diff = compare_versions(store, case_id, first, second)
        except UnknownVersion as exc:
            listed = ", ".join(str(n) for n in numbers) or _("none")
            raise CliError([f"{exc}; " + _("its versions: {numbers}").format(numbers=listed)]) from None
    finally:
        store.close()
    print(
        _("{reference}: {old} → {new}").format(
            reference=args.reference, old=version_label(diff.old), new=version_label(diff.new)
        )
    )
    for line in describe(diff):
        print(f"  {line}")
    return EXIT_OK


def register(commands: argparse._SubParsersAction) -> None:
    diff = commands.add_parser(
        "plan-diff",
        help="what changed between two plan versions of a case: destinations, totals, language, verdicts",
    )
    diff.add_argument("reference", help="the case's reference, e.g. CP-2026-00001")
    diff.add_argument(
        "versions",
        nargs="*",
        type=int,
        metavar="VERSION",
        help="two version numbers (1 for the case's first plan, as in its timeline); one: compare it with the one "
        "before; none: the two newest",
    )
    diff.set_defaults(run=_plan_diff)
