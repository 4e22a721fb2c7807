"""`careplan timeline REFERENCE`: what happened to a case, newest first (created, calls with their notes,
fields changed, plans made and sent, follow-ups), as the desktop's Timeline tab shows it."""

from __future__ import annotations

import argparse
import json
from dataclasses import replace

from cli.common import EXIT_OK, CliError, forgiving_output, print_utf8
from cli.stores import cases, stored_id
from cli.table import WIDTH, fit, wrapped
from planning.case import is_locale
from planning.i18n import set_locale
from services.timeline import TimelineEntry, case_timeline

ISOLATES = str.maketrans("", "", "\u2066\u2067\u2068\u2069")
"""The bidi isolates the timeline puts around dates and names (for right-to-left windows): a terminal and
JSON get the text without them."""


def _bare(entry: TimelineEntry) -> TimelineEntry:
    return replace(entry, title=entry.title.translate(ISOLATES), detail=entry.detail.translate(ISOLATES))


def _timeline(args: argparse.Namespace) -> int:
    if not is_locale(args.locale):
        raise CliError([f"--locale: unknown language code {args.locale}"])
    set_locale(args.locale)  # the interface's texts in that language (English where its catalog has none)
    store = cases()
    try:
        entries = [_bare(entry) for entry in case_timeline(store, stored_id(store, args.reference))]
    finally:
        store.close()
    if args.json:
        records = [
            {"at": e.at, "when": e.when, "kind": e.kind, "who": e.who, "title": e.title, "detail": e.detail}
            for e in entries
        ]
        print_utf8(json.dumps(records, ensure_ascii=False, indent=2) + "\n")
        return EXIT_OK
    forgiving_output()
    lines: list[str] = []
    for entry in entries:
        lines.append(fit(" · ".join(part for part in (entry.when, entry.title, entry.who) if part), WIDTH))
        for paragraph in entry.detail.split("\n"):
            if paragraph.strip():
                lines += wrapped(paragraph, "    ", "    ", WIDTH)
    print("\n".join(lines))
    return EXIT_OK


def register(commands: argparse._SubParsersAction) -> None:
    timeline = commands.add_parser(
        "timeline", help="a case's timeline, newest first: created, calls, changes, plans made and sent, follow-ups"
    )
    timeline.add_argument("reference", help="the case's reference, e.g. CP-2026-00001")
    timeline.add_argument("--json", action="store_true", help="print JSON")
    timeline.add_argument("--locale", default="en", help="language of the texts and dates (default en)")
    timeline.set_defaults(run=_timeline)
