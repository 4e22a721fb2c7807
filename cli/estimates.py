"""`careplan estimate`: the cost estimate and journey per destination, in the case's currency, in one
language throughout (the frame as well as the items)."""

from __future__ import annotations

import argparse
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

from cli.common import EXIT_OK, CliError, case_and_pack, forgiving_output, print_utf8
from cli.table import columns, safe
from planning.case import country_codes, is_locale
from planning.estimate import BUDGET_FIT_WORDS, Estimate, estimate
from planning.i18n import _, format_number, locale_scope
from planning.knowledge.models import Pack, pick
from planning.plan_sections import STALE_RATE_DAYS, STALE_VALIDITY_DAYS, T_STALE_RATES, stale_rates_age


def countries(args: argparse.Namespace, problems: list[str]) -> list[str]:
    """The --country options, upper-cased; unknown codes become problems."""
    chosen = [c.strip().upper() for c in args.country or []]
    problems += [f"--country: unknown country code {c}" for c in chosen if c not in country_codes()]
    return chosen


def stale_warning(result: Estimate, today: date) -> str | None:
    """The warning an estimate with rates older than STALE_RATE_DAYS carries, or None."""
    if stale_rates_age(result, today) is None:
        return None
    return _(T_STALE_RATES).format(date=result.rates_as_of, days=STALE_RATE_DAYS, valid=STALE_VALIDITY_DAYS)


def estimate_table(result: Estimate, pack: Pack, locale: str, today: date | None = None) -> list[str]:
    """The estimate as readable lines in the current language: one block per destination and product."""

    def span(low: Decimal, high: Decimal) -> str:  # whole units: an estimate, not an invoice (JSON keeps cents)
        text = format_number(low.quantize(Decimal(1)), locale)
        return text if low == high else f"{text} – {format_number(high.quantize(Decimal(1)), locale)}"

    lines = [
        _("Estimate in {currency}, whole units; exchange rates as of {day}").format(
            currency=result.currency, day=result.rates_as_of or "-"
        )
    ]
    lines += [f"  1 {r.base} = {r.rate} {r.quote} ({r.sourced.as_of}, {r.sourced.source})" for r in result.rates_used]
    warning = stale_warning(result, today or date.today())
    if warning:
        lines.append("  " + _("Warning: {text}").format(text=warning))
    for option in result.options:
        destination = pack.destination(option.country)
        place = pick(destination.name, locale) if destination else option.country
        lines.append("")
        if not option.available:
            lines.append(_("{place}: not available: {reason}").format(place=place, reason=option.reason))
            lines += [
                "    "
                + _("beside it: {label}: {amount} ({basis})").format(
                    label=a.label, amount=span(a.low, a.high), basis=a.basis
                )
                for a in option.alternatives
            ]
            continue
        low, high = option.away_days
        parts = [f"{place} - {option.therapy_name}: {span(option.total_low, option.total_high)} {result.currency}"]
        if option.total_open:
            parts[0] += " " + _("+ the drug (price to be quoted)")
        if option.budget_fit:
            parts.append(_(BUDGET_FIT_WORDS[option.budget_fit]))
        parts.append(_("{low}–{high} days away from home").format(low=low, high=high))
        lines.append("; ".join(parts))
        width = max(columns(i.label) for i in option.items)
        for item in option.items:
            flag = "  " + _("(estimate)") if item.estimate else ""
            amount = _("ask the centre for a quote") if item.unpriced else span(item.low, item.high)
            pad = " " * (width - columns(item.label))
            lines.append(f"    {item.label}{pad}  {' ' * max(0, 25 - columns(amount))}{amount}{flag}")
        lines += [
            "    "
            + _("beside it, not in the total: {label}: {amount}").format(label=a.label, amount=span(a.low, a.high))
            for a in option.alternatives
        ]
        if option.insurance_note:
            lines.append(f"    {option.insurance_note}")
    notes = [*result.notes, *result.coordinator_notes]
    lines += ["", *notes] if notes else []
    return lines


def _estimate(args: argparse.Namespace) -> int:
    problems: list[str] = []
    if not is_locale(args.locale):
        problems.append(f"--locale: unknown language code {args.locale}")
    chosen = countries(args, problems)
    case, pack, rates, costs = case_and_pack(Path(args.file), problems)
    if problems:
        raise CliError(problems)
    with locale_scope(args.locale):
        result = estimate(case, pack, chosen or None, list(rates), args.locale, list(costs))
        if args.json:
            record = result.to_json()
            age = stale_rates_age(result, date.today())
            record["rates_stale_days"] = age  # None: the rates are recent (or none was needed)
            print_utf8(json.dumps(record, ensure_ascii=False, indent=2) + "\n")
        else:
            forgiving_output()
            print("\n".join(safe(line) for line in estimate_table(result, pack, args.locale)))
    return EXIT_OK


def register(commands: argparse._SubParsersAction) -> None:
    est = commands.add_parser("estimate", help="cost estimate and journey per destination, in the case's currency")
    est.add_argument("file", help="the case file (JSON)")
    est.add_argument("--json", action="store_true", help="print JSON (amounts as decimal strings)")
    est.add_argument(
        "--country", action="append", metavar="CC", help="a destination (repeat for several; default: the case's)"
    )
    est.add_argument("--locale", default="en", help="language of the texts (default en)")
    est.set_defaults(run=_estimate)
