"""`careplan screen`: a case file screened against the label, exclusion and trial criteria of every
product for its indication, as readable lines or JSON."""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Mapping
from datetime import date
from pathlib import Path

from cli.common import EXIT_OK, CliError, case_and_pack, forgiving_output, print_utf8
from cli.table import WIDTH, fit, safe, wrapped
from planning.case import is_locale
from planning.eligibility import (
    KIND_WORDS,
    STATUS_MARKS,
    VERDICTS,
    Screening,
    ask_for,
    centre_review_note,
    screen,
    verdict_words,
)
from planning.i18n import _, locale_scope
from planning.knowledge.models import Pack, pick

ASCII_MARKS = {"met": "+", "not_met": "x", "unknown": "?"}
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _regions_summary(regions: Mapping[str, str]) -> str:
    """Region verdicts grouped, best first: "US, EU: Candidate; GB: Not eligible"."""
    groups: dict[str, list[str]] = {}
    for region, verdict in regions.items():
        groups.setdefault(verdict, []).append(region)
    ranked = sorted(groups.items(), key=lambda item: VERDICTS.index(item[0]) if item[0] in VERDICTS else len(VERDICTS))
    return "; ".join(f"{', '.join(names)}: {verdict_words(verdict)}" for verdict, names in ranked)


def screening_table(
    screening: Screening, pack: Pack, locale: str = "en", marks: Mapping[str, str] = STATUS_MARKS
) -> list[str]:
    """The screening as readable lines: verdict per product and region, each finding with its mark."""
    code = screening.indication
    indication = pack.indication(code) if code else None
    if not code or indication is None:  # no code means no indication
        name = code or _("not recorded")
    else:
        name = pick(indication.name, locale)
        if code.replace("_", "-").casefold() not in name.casefold():
            name += f" [{code}]"
    lines = [
        fit(_("Indication: {name} — overall: {verdict}").format(name=name, verdict=verdict_words(screening.overall))),
        _("Screened on {day} against typical label and trial criteria.").format(day=screening.screened_on.isoformat()),
    ]
    for result in screening.results:
        lines.append("")
        therapy = pack.therapy(result.therapy) if result.therapy else None
        if therapy is None:
            head = _("No approved product for this indication: {verdict} (clinical trials only)").format(
                verdict=verdict_words(result.verdict)
            )
        else:
            head = f"{therapy.generic_name} ({therapy.short_name}): {verdict_words(result.verdict)}"
            if result.regions:
                head += " — " + _regions_summary(result.regions)
        lines.append(fit(head))
        if result.verdict == "centre_review":
            lines += wrapped(centre_review_note(result, pack), "  ", "  ")
        for finding in result.findings:
            kind = _(KIND_WORDS[finding.kind])
            if finding.kind == "label" and finding.regions:  # the label's conditions in full: they decide
                lines += wrapped(f"{finding.label}: {finding.detail}", f"    {marks[finding.status]} ", "        ")
            else:
                lines.append("    " + fit(f"{marks[finding.status]} {kind}: {finding.detail}", WIDTH - 4))
    if screening.research_notes:
        lines += ["", _("Research (clinical trials, not approvals):")]
        for note in screening.research_notes:
            source = f" [{note.sourced.source}, {note.sourced.as_of}]"
            lines += wrapped(pick(note.text, locale) + source, "  - ", "    ")
    if screening.missing:
        lines.append("")
        lines += wrapped(_("Ask the patient for: {fields}").format(fields=", ".join(ask_for(screening))), "", "  ")
    if screening.unrecognised_therapies:
        lines.append("")
        text = _("Prior therapies not recognised (check them by hand): {entries}").format(
            entries=", ".join(screening.unrecognised_therapies)
        )
        lines += wrapped(text, "", "  ")
    lines.append("")
    lines += wrapped(screening.disclaimer)
    return lines


def _screening_date(text: str | None) -> date:
    if text is None:
        return date.today()
    try:
        if not _ISO_DAY.fullmatch(text):
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise CliError([f"--date: must be a date as YYYY-MM-DD, not {text!r}"]) from None


def terminal_marks() -> Mapping[str, str]:
    """The status marks, plain ASCII where the terminal cannot show ✓ and ✗ (some Windows consoles)."""
    try:
        "".join(STATUS_MARKS.values()).encode(sys.stdout.encoding or "utf-8")
    except (UnicodeEncodeError, LookupError):
        return ASCII_MARKS
    return STATUS_MARKS


def _screen(args: argparse.Namespace) -> int:
    problems: list[str] = []
    try:
        on = _screening_date(args.date)
    except CliError as exc:
        problems += exc.problems
        on = date.today()
    if not is_locale(args.locale):
        problems.append(f"--locale: unknown language code {args.locale}")
    case, pack, _rates, _costs = case_and_pack(Path(args.file), problems)
    born = case.patient.date_of_birth
    if born is not None and born > on:
        problems.append(f"patient.date_of_birth: after the screening date {on.isoformat()}")
    if problems:
        raise CliError(problems)
    with locale_scope(args.locale):
        screening = screen(case, pack, today=on, locale=args.locale)
        if args.json:
            print_utf8(json.dumps(screening.to_json(), ensure_ascii=False, indent=2) + "\n")
        else:
            forgiving_output()
            print("\n".join(safe(line) for line in screening_table(screening, pack, args.locale, terminal_marks())))
    return EXIT_OK


def register(commands: argparse._SubParsersAction) -> None:
    scr = commands.add_parser(
        "screen", help="pre-screen a case against the typical criteria of every product for its indication"
    )
    scr.add_argument("file", metavar="CASE.json", help="the case file (JSON, UTF-8)")
    scr.add_argument("--json", action="store_true", help="print JSON")
    scr.add_argument(
        "--date", metavar="YYYY-MM-DD", help="screen as of this day (ages are counted on it; default today)"
    )
    scr.add_argument("--locale", default="en", help="language of the texts (default en)")
    scr.set_defaults(run=_screen)
