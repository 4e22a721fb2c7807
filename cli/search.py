"""`careplan search QUERY`: the global search on the command line, as the GUI's Ctrl+K box does it: the
knowledge pack's therapies, indications, questions and destinations, and the cases (by name, reference,
phone, e-mail or notes) when there is a case store, unlocked with CAREPLAN_PASSPHRASE or a prompt.

Without a passphrase for an encrypted store (none set and no terminal to ask on) the pack is still
searched, and one line on stderr says the cases were not."""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from cli.common import EXIT_OK, CliError
from cli.stores import ENV_PASSPHRASE, cases, knowledge
from cli.table import fit, table
from planning.case import is_locale
from planning.i18n import _, locale_scope
from services.search import CaseHit, Hit, QueryTooLong, SearchHit, check_query, search_everything
from services.stores import CaseStore, case_vault


def _case_store(args: argparse.Namespace) -> CaseStore | None:
    """The case store to search, or None: asked not to, none yet, or encrypted with no way to unlock it."""
    if args.no_cases:
        return None
    state = case_vault().state()
    if state == "new":
        return None
    asks = sys.stdin is not None and sys.stdin.isatty()
    if state == "encrypted" and not os.environ.get(ENV_PASSPHRASE) and not asks:
        print(
            "note: "
            + _("cases were not searched: the case store is encrypted; set {variable} to search them too").format(
                variable=ENV_PASSPHRASE
            ),
            file=sys.stderr,
        )
        return None
    return cases()


def _record(hit: Hit) -> dict[str, Any]:
    if isinstance(hit, CaseHit):
        row = hit.row
        return {
            "kind": "case",
            "ref": row.reference,
            "title": row.full_name,
            "status": row.status,
            "matched": hit.matched,
            "detail": hit.detail,
        }
    return dict(hit.__dict__)


def _line(hit: Hit) -> tuple[str, str, str]:
    """KIND, REFERENCE and TITLE of a hit: a case's title is its name, status and, when found by them, the
    phone number or e-mail address that matched, or "notes"."""
    if isinstance(hit, SearchHit):
        return hit.kind, hit.ref, fit(hit.title, 70)
    parts = [hit.row.full_name or "-", hit.row.status]
    if hit.detail:
        parts.append(f"{hit.matched} {hit.detail}")
    elif hit.matched == "notes":
        parts.append(hit.matched)
    return "case", hit.row.reference, fit(" · ".join(parts), 70)


def run(args: argparse.Namespace) -> int:
    if not is_locale(args.locale):
        raise CliError([f"--locale: unknown language code {args.locale}"])
    store = knowledge()
    found = None
    try:
        try:
            check_query(args.query)  # before a passphrase is asked for
            found = _case_store(args)
            hits = search_everything(store, found, args.query, locale=args.locale, limit=args.limit)
        except QueryTooLong as exc:
            raise CliError([f"query: {exc}"]) from None
    finally:
        store.close()
        if found is not None:
            found.close()
    if args.json:
        print(json.dumps([_record(hit) for hit in hits], ensure_ascii=False, indent=2))
        return EXIT_OK
    with locale_scope(args.locale):
        if hits:
            print("\n".join(table((_("KIND"), _("REFERENCE"), _("TITLE")), [_line(hit) for hit in hits])))
        else:
            print(_("No results."))
    return EXIT_OK
