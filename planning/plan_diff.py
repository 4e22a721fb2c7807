"""What changed between two plan versions of a case: destinations, totals, language, screening verdicts,
exchange rates and the knowledge pack.

Pure: it reads what a plan version froze (the stored row, the document model and the snapshot) and returns
the differences, then says them in plain text in the interface language. ``plan_facts`` is what a version
stores for it to read: each destination's total as the plan shows it (the option the plan chose there: the
best verdict, then the lowest total) as amounts, and the verdicts as codes, whatever language the plan is in.
Versions are named by their number within the case (1, 2, … as the case's timeline counts them).

A version made before these facts were stored, or whose facts took another option's total, compares by the
totals its document printed: the Total line of each destination's table under "Cost estimate", read back
from its frozen model. Its verdicts are read back from its Pre-screening table (each verdict's words in the
plan's language); where that table cannot be read, its verdicts are said to be unknown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from typing import Any
from unicodedata import digit

from planning.catalogs import CatalogError
from planning.eligibility import VERDICT_WORDS, Screening
from planning.estimate import Estimate, Option
from planning.i18n import (
    N_,
    _,
    country_name,
    current_locale,
    format_local_time,
    format_money,
    format_partial_date,
    is_rtl,
    isolate,
    language_name,
    locale_scope,
)
from planning.knowledge.models import Pack

FACTS_KEY = "facts"
"""Where a version's snapshot keeps ``plan_facts``."""
TOTALS_OF = "totals_of"
PLAN_CHOSEN = "plan"
"""``plan_facts[TOTALS_OF]``: the totals are those of the options the plan shows (versions stored before it
took the last option listed for each destination, which the plan may not show)."""

NO_DIFFERENCES = N_("No differences: both plans show the same destinations, totals, language and verdicts.")


@dataclass(frozen=True)
class Total:
    """A destination's total in the plan's currency, in whole units; ``open``: the drug's price comes on top."""

    low: Decimal
    high: Decimal
    open: bool = False


@dataclass(frozen=True)
class Rate:
    """An exchange rate a plan used: 1 ``base`` = ``rate`` ``quote``, as of a day."""

    base: str
    quote: str
    rate: Decimal
    as_of: str


@dataclass(frozen=True)
class VersionFacts:
    """What a comparison reads of one plan version."""

    id: int
    """The version's id in the store (unique across cases)."""
    created_at: str
    locale: str
    destinations: tuple[str, ...]
    pack_version: str
    currency: str
    totals: Mapping[str, Total] | None
    """The totals as amounts, by destination; None for a version that stored them only as text."""
    totals_text: Mapping[str, str]
    """The totals as the version wrote them (its list of versions shows these), by destination."""
    verdicts: Mapping[str, str] | None
    """The screening verdict code of each product, by generic name ("" for clinical trials only); None when
    the version did not record them."""
    overall: str | None
    rates: tuple[Rate, ...]
    number: int = 0
    """The version's number within its case (1 for its first plan), as the timeline counts; 0: not known."""

    @property
    def shown_number(self) -> int:
        return self.number or self.id


@dataclass(frozen=True)
class Change:
    """One difference. ``kind`` is one of KINDS; ``subject`` what changed (a country code, a product's
    generic name, a currency pair); ``old`` and ``new`` its values (None: absent on that side)."""

    kind: str
    subject: str
    old: Any
    new: Any


KINDS = (
    "destination_added",
    "destination_removed",
    "language",
    "currency",
    "total",
    "overall",
    "verdict",
    "rate",
    "pack",
)
"""The kinds of change, in the order they are listed."""


@dataclass(frozen=True)
class PlanDiff:
    old: VersionFacts
    new: VersionFacts
    changes: tuple[Change, ...]
    verdicts_unknown: bool = False
    """One of the versions did not record its verdicts, so they were not compared."""

    @property
    def identical(self) -> bool:
        return not self.changes and not self.verdicts_unknown

    def of_kind(self, kind: str) -> list[Change]:
        return [change for change in self.changes if change.kind == kind]


# --- what a version stores -----------------------------------------------------------------------------


def shown_options(estimate: Estimate, screening: Screening | None, pack: Pack) -> tuple[Option, ...]:
    """The option the plan shows for each destination (``plan_sections.chosen_options``; without a screening,
    the available one with the lowest total, a known price before an open one)."""
    from planning.plan_sections import chosen_options

    if screening is not None:
        return chosen_options(estimate, screening, pack)
    chosen: dict[str, Option] = {}
    for option in estimate.options:
        key = (not option.available, option.total_open, option.total_low)
        current = chosen.get(option.country)
        if current is None or key < (not current.available, current.total_open, current.total_low):
            chosen[option.country] = option
    return tuple(chosen.values())


def plan_facts(estimate: Estimate, screening: Screening | None, pack: Pack) -> dict[str, Any]:
    """The facts of a plan as JSON for its version's snapshot: currency, each destination's total as the plan
    prints it (whole units, of the option the plan shows there) and the screening verdicts as codes."""
    whole = Decimal(1)
    facts: dict[str, Any] = {
        "currency": estimate.currency,
        TOTALS_OF: PLAN_CHOSEN,
        "totals": {
            option.country: {
                "low": str(option.total_low.quantize(whole)),
                "high": str(option.total_high.quantize(whole)),
                "open": option.total_open,
            }
            for option in shown_options(estimate, screening, pack)
            if option.available
        },
    }
    if screening is not None:
        facts["verdicts"] = {result.generic_name or "": result.verdict for result in screening.results}
        facts["overall"] = screening.overall
    return facts


def listed_totals(facts: Mapping[str, Any]) -> dict[str, str]:
    """The totals a version's row lists (the Plan tab's tooltip of a version), from ``plan_facts``:
    "€361,200–€426,700" by destination, in English digits, "+" for a total the drug's price comes on top of."""
    listed: dict[str, str] = {}
    for country, total in (_totals(facts.get("totals")) or {}).items():
        currency = str(facts["currency"])
        text = format_money(total.low, currency, "en") + "–" + format_money(total.high, currency, "en")
        listed[country] = text + (" +" if total.open else "")
    return listed


def _decimal(value: Any) -> Decimal | None:
    try:
        found = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return found if found.is_finite() else None


def _totals(found: Any) -> dict[str, Total] | None:
    if not isinstance(found, Mapping):
        return None
    totals: dict[str, Total] = {}
    for country, value in found.items():
        if not isinstance(value, Mapping):
            return None
        low, high = _decimal(value.get("low")), _decimal(value.get("high"))
        if low is None or high is None:
            return None
        totals[str(country)] = Total(low, high, bool(value.get("open")))
    return totals


def _verdicts(found: Any) -> dict[str, str] | None:
    if not isinstance(found, Mapping) or not all(isinstance(v, str) for v in found.values()):
        return None
    return {str(product): verdict for product, verdict in found.items()}


def _rates(found: Any) -> tuple[Rate, ...]:
    """The rates a frozen model used (``planning.plan.plan_to_json``'s form); what cannot be read is left out."""
    rates: list[Rate] = []
    for item in found if isinstance(found, list) else []:
        if not isinstance(item, Mapping):
            continue
        value = item.get("rate")
        rate = _decimal(value.get("$decimal") if isinstance(value, Mapping) else value)
        sourced = item.get("sourced")
        as_of = sourced.get("as_of") if isinstance(sourced, Mapping) else None
        if rate is not None and isinstance(item.get("base"), str) and isinstance(item.get("quote"), str):
            rates.append(Rate(item["base"], item["quote"], rate, as_of if isinstance(as_of, str) else ""))
    return tuple(rates)


def _verdicts_read(model: Mapping[str, Any], locale: str) -> dict[str, str] | None:
    """The verdicts of a version that did not store them, read back from its document model: the table after
    the "Pre-screening" heading has a row per product (its generic name, or "Clinical trials") whose Result
    starts with the verdict's words in the plan's language. None when any of it cannot be read."""
    try:
        with locale_scope(locale):
            heading, trials = _("Pre-screening"), _("Clinical trials")
            words = {_(text): verdict for verdict, text in VERDICT_WORDS.items()}
    except CatalogError:
        return None
    blocks = model.get("blocks")
    blocks = blocks if isinstance(blocks, list) else []
    found = [
        following
        for block, following in pairwise(blocks)
        if isinstance(block, Mapping) and block.get("$type") == "Heading" and block.get("text") == heading
    ]
    table = found[0] if found else None
    if not isinstance(table, Mapping) or table.get("$type") != "Table" or not isinstance(table.get("rows"), list):
        return None
    verdicts: dict[str, str] = {}
    for row in table["rows"]:
        if not (isinstance(row, list) and len(row) >= 2 and isinstance(row[0], str) and isinstance(row[1], str)):
            return None
        verdict = words.get(row[1].split("\n")[0])
        if verdict is None:
            return None
        verdicts["" if row[0] == trials else row[0]] = verdict
    return verdicts or None


def _printed_totals(model: Mapping[str, Any], locale: str, countries: list[str]) -> dict[str, str] | None:
    """The totals a version's document printed, by destination: the last row ("Total") of each table under
    the "Cost estimate" heading, one per destination the plan priced, in the order of ``countries`` (the
    destinations priced, as the version listed them). None when they cannot be read."""
    try:
        with locale_scope(locale):
            heading, total = _("Cost estimate"), _("Total")
    except CatalogError:
        return None
    blocks = model.get("blocks")
    blocks = blocks if isinstance(blocks, list) else []
    start = next(
        (
            place
            for place, block in enumerate(blocks)
            if isinstance(block, Mapping) and block.get("$type") == "Heading" and block.get("text") == heading
        ),
        None,
    )
    if start is None:
        return None
    printed: list[str] = []
    for block in blocks[start + 1 :]:
        if not isinstance(block, Mapping):
            continue
        if block.get("$type") == "Heading" and block.get("level", 1) == 1:
            break  # the next section
        rows = block.get("rows")
        if block.get("$type") != "Table" or not isinstance(rows, list) or not rows:
            continue
        last = rows[-1]
        if isinstance(last, list) and len(last) >= 3 and last[0] == total and isinstance(last[-1], str):
            printed.append(last[-1])
    if len(printed) != len(countries):
        return None
    return dict(zip(countries, printed, strict=True))


def _whole(text: str) -> Decimal | None:
    """An amount in whole units as the locale wrote it ("SAR 1,903,580", "1.903.580 €", "١٬٩٠٣٬٥٨٠ ر.س.")."""
    digits = "".join(str(digit(c)) for c in text if c.isdigit())
    return Decimal(digits) if digits else None


def _printed_total(text: str, locale: str) -> Total | None:
    """A total as ``planning.plan.total_text`` printed it, read back (None when it cannot be read)."""
    try:
        with locale_scope(locale):
            template = _("{amount} + the drug (price to be quoted)")
    except CatalogError:
        return None
    before, _middle, after = template.partition("{amount}")
    amount, is_open = text, False
    if (before or after) and text.startswith(before) and text.endswith(after) and len(text) > len(before + after):
        amount, is_open = text[len(before) : len(text) - len(after)], True
    parts = amount.split(" – ")
    if len(parts) > 2:
        return None
    low, high = _whole(parts[0]), _whole(parts[-1])
    if low is None or high is None:
        return None
    return Total(low, high, is_open)


def _read_totals(printed: Mapping[str, str], locale: str) -> dict[str, Total] | None:
    totals = {country: _printed_total(text, locale) for country, text in printed.items()}
    return None if any(total is None for total in totals.values()) else totals  # type: ignore[return-value]


def version_facts(
    version_id: int,
    created_at: str,
    locale: str,
    destinations: tuple[str, ...] | list[str],
    totals_text: Mapping[str, Any],
    pack_version: str,
    model: Mapping[str, Any],
    snapshot: Mapping[str, Any],
    number: int = 0,
) -> VersionFacts:
    """One version's facts from what it froze: the stored row's fields, the document model (its currency, the
    rates it used, the totals it printed) and the snapshot (``plan_facts``, where the version stored them).
    ``number``: the version's number within its case."""
    stored = snapshot.get(FACTS_KEY)
    facts: Mapping[str, Any] = stored if isinstance(stored, Mapping) else {}
    overall = facts.get("overall")
    stored_totals = facts.get("totals")
    priced = [str(c) for c in (stored_totals if isinstance(stored_totals, Mapping) else totals_text)]
    printed = _printed_totals(model, locale, priced)
    if facts.get(TOTALS_OF) == PLAN_CHOSEN:
        totals = _totals(stored_totals)
    else:  # older facts (or none): the totals as the document printed them
        totals = _read_totals(printed, locale) if printed is not None else None
    return VersionFacts(
        id=version_id,
        created_at=created_at,
        locale=locale,
        destinations=tuple(dict.fromkeys(destinations)),  # a row lists a country once per product
        pack_version=pack_version,
        currency=str(facts.get("currency") or model.get("currency") or ""),
        totals=totals,
        totals_text=printed if printed is not None else {str(k): str(v) for k, v in totals_text.items()},
        verdicts=_verdicts(facts.get("verdicts")) if FACTS_KEY in snapshot else _verdicts_read(model, locale),
        overall=overall if isinstance(overall, str) else None,
        rates=_rates(model.get("rates_used")),
        number=number,
    )


# --- the comparison ------------------------------------------------------------------------------------


def _total_changes(old: VersionFacts, new: VersionFacts) -> list[Change]:
    """The destinations whose total differs: as amounts when both versions stored them, else as written."""
    countries = dict.fromkeys([*old.destinations, *new.destinations])
    countries.update(dict.fromkeys([*old.totals_text, *new.totals_text, *(old.totals or {}), *(new.totals or {})]))
    changes: list[Change] = []
    for country in countries:
        if old.totals is not None and new.totals is not None:
            was, now = old.totals.get(country), new.totals.get(country)
            if was != now or (was is not None and old.currency != new.currency):
                changes.append(Change("total", country, was, now))
        elif old.totals_text.get(country) != new.totals_text.get(country):
            changes.append(Change("total", country, old.totals_text.get(country), new.totals_text.get(country)))
    return changes


def compare(old: VersionFacts, new: VersionFacts) -> PlanDiff:
    """What changed from ``old`` to ``new`` (the older version first; any two versions compare)."""
    changes: list[Change] = []
    before, after = set(old.destinations), set(new.destinations)
    changes += [Change("destination_added", c, None, c) for c in new.destinations if c not in before]
    changes += [Change("destination_removed", c, c, None) for c in old.destinations if c not in after]
    if old.locale != new.locale:
        changes.append(Change("language", "", old.locale, new.locale))
    if old.currency != new.currency:
        changes.append(Change("currency", "", old.currency, new.currency))
    changes += _total_changes(old, new)
    unknown = old.verdicts is None or new.verdicts is None
    if old.verdicts is not None and new.verdicts is not None:
        if old.overall != new.overall and old.overall and new.overall:
            changes.append(Change("overall", "", old.overall, new.overall))
        for product in dict.fromkeys([*old.verdicts, *new.verdicts]):
            if old.verdicts.get(product) != new.verdicts.get(product):
                changes.append(Change("verdict", product, old.verdicts.get(product), new.verdicts.get(product)))
    old_rates = {(r.base, r.quote): r for r in old.rates}
    new_rates = {(r.base, r.quote): r for r in new.rates}
    for pair in dict.fromkeys([*old_rates, *new_rates]):
        was, now = old_rates.get(pair), new_rates.get(pair)
        if was is None or now is None or was.rate != now.rate or was.as_of != now.as_of:
            changes.append(Change("rate", f"{pair[0]}/{pair[1]}", was, now))
    if old.pack_version != new.pack_version:
        changes.append(Change("pack", "", old.pack_version, new.pack_version))
    changes.sort(key=lambda change: KINDS.index(change.kind))
    return PlanDiff(old, new, tuple(changes), verdicts_unknown=unknown)


# --- in words --------------------------------------------------------------------------------------------


def _kept(text: str) -> str:
    """A value (an amount, a date, a name) kept whole in its own direction inside a right-to-left sentence;
    as it is in a left-to-right interface (the command line's output carries no invisible marks)."""
    return isolate(text) if is_rtl(current_locale()) else text


def version_label(facts: VersionFacts, locale: str | None = None) -> str:
    """A version as the Plan tab lists it, with its number within the case as the timeline counts:
    "Dec 3, 2026, 4:08 PM · English (version 2)"."""
    return _("{when} · {language} (version {number})").format(
        when=_kept(format_local_time(facts.created_at, locale)),
        language=language_name(facts.locale, locale),
        number=facts.shown_number,
    )


def _total_words(value: Any, currency: str, locale: str | None) -> str:
    if value is None:
        return _("none")
    if isinstance(value, Total):
        low = format_money(value.low, currency, locale)
        high = format_money(value.high, currency, locale)
        amount = low if value.low == value.high else f"{low} – {high}"
        if value.open:
            return _("{amount} + the drug (price to be quoted)").format(amount=_kept(amount))
        return _kept(amount)
    return _kept(str(value))


def _verdict_words(verdict: str | None) -> str:
    if verdict is None:
        return _("not screened")
    return _(VERDICT_WORDS[verdict]) if verdict in VERDICT_WORDS else verdict


def _rate_words(rate: Rate | None, locale: str | None) -> str:
    if rate is None:
        return _("none")
    pair = f"1 {rate.base} = {rate.rate.normalize():f} {rate.quote}"
    if not rate.as_of:
        return _kept(pair)
    try:
        day = format_partial_date(rate.as_of, locale)
    except ValueError:
        day = rate.as_of
    return _("{rate} (as of {date})").format(rate=_kept(pair), date=_kept(day))


def describe(diff: PlanDiff, locale: str | None = None) -> list[str]:
    """The differences as lines of plain text in the interface language (``locale`` for the amounts and
    names; the current one by default); one line saying there are none for identical versions."""
    old, new = diff.old, diff.new
    lines: list[str] = []
    added = [country_name(c.subject, locale) for c in diff.of_kind("destination_added")]
    removed = [country_name(c.subject, locale) for c in diff.of_kind("destination_removed")]
    if added:
        lines.append(_("Destinations added: {names}").format(names=", ".join(added)))
    if removed:
        lines.append(_("Destinations removed: {names}").format(names=", ".join(removed)))
    for change in diff.changes:
        if change.kind == "language":
            lines.append(
                _("Language of the plan: {old} → {new}").format(
                    old=language_name(change.old, locale), new=language_name(change.new, locale)
                )
            )
        elif change.kind == "currency":
            lines.append(_("Currency: {old} → {new}").format(old=_kept(change.old), new=_kept(change.new)))
        elif change.kind == "total":
            lines.append(
                _("Total for {country}: {old} → {new}").format(
                    country=country_name(change.subject, locale),
                    old=_total_words(change.old, old.currency, locale),
                    new=_total_words(change.new, new.currency, locale),
                )
            )
        elif change.kind == "overall":
            lines.append(
                _("Overall screening result: {old} → {new}").format(
                    old=_verdict_words(change.old), new=_verdict_words(change.new)
                )
            )
        elif change.kind == "verdict":
            product = _kept(change.subject) if change.subject else _("Clinical trials")
            lines.append(
                _("Screening of {product}: {old} → {new}").format(
                    product=product, old=_verdict_words(change.old), new=_verdict_words(change.new)
                )
            )
        elif change.kind == "rate":
            lines.append(
                _("Exchange rate {pair}: {old} → {new}").format(
                    pair=_kept(change.subject), old=_rate_words(change.old, locale), new=_rate_words(change.new, locale)
                )
            )
        elif change.kind == "pack":
            lines.append(_("Knowledge pack: {old} → {new}").format(old=_kept(change.old), new=_kept(change.new)))
    if diff.verdicts_unknown:
        older = [f.shown_number for f in (old, new) if f.verdicts is None]
        lines.append(
            _(
                "Screening verdicts not compared: those of version {number} could not be read; "
                "compare the Pre-screening pages of the two PDFs."
            ).format(number=older[0])
        )
    return lines or [_(NO_DIFFERENCES)]
