"""The treatment plan and cost estimate as a document model, in the patient's language.

Pure data — headings, paragraphs, key-value lists, tables and charts with every text already
localized — built from a case, its screening and estimate and the knowledge pack. The renderer
(``reports``) only draws it, so the content is tested without ReportLab.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from planning.case import Case
from planning.eligibility import KIND_WORDS, VERDICT_WORDS, VERDICTS, Screening, ask_for, centre_review_note, screen
from planning.estimate import BUDGET_FIT_WORDS, Estimate, Option, estimate
from planning.i18n import _, format_money, format_partial_date, is_rtl, locale_scope, ngettext
from planning.knowledge.models import CostDefault, Pack, Rate, pick

VALIDITY_DAYS = 30


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    text: str
    style: str = "body"
    """body, small, note or warning."""


@dataclass(frozen=True)
class KeyValues:
    pairs: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]
    """Fractions of the text width, one per column."""
    numeric: tuple[int, ...] = ()
    """Columns aligned as numbers."""
    bold_last: bool = False


@dataclass(frozen=True)
class RangeChart:
    title: str
    rows: tuple[tuple[str, Decimal, Decimal], ...]
    reference: Decimal | None = None
    reference_label: str = ""


@dataclass(frozen=True)
class TimelineChart:
    title: str
    rows: tuple[tuple[str, tuple[tuple[str, int, int], ...]], ...]
    days_label: str


Block = Heading | Paragraph | KeyValues | Table | RangeChart | TimelineChart


@dataclass(frozen=True)
class Organisation:
    """Who the document comes from (Settings): name, contact block and an optional logo image."""

    name: str = "CarePlan Desk"
    contact: str = ""
    logo: str = ""


@dataclass(frozen=True)
class Plan:
    locale: str
    rtl: bool
    title: str
    organisation: Organisation
    blocks: tuple[Block, ...]
    footer: str
    page_label: str
    """With {page} and {pages}: "Page {page} of {pages}" in the document's language."""
    reference: str
    patient_name: str
    currency: str
    rates_used: tuple[Rate, ...] = field(default=())


def _money_range(low: Decimal, high: Decimal, currency: str, locale: str) -> str:
    whole_low, whole_high = low.quantize(Decimal(1)), high.quantize(Decimal(1))
    if whole_low == whole_high:
        return format_money(whole_low, currency, locale)
    return f"{format_money(whole_low, currency, locale)} – {format_money(whole_high, currency, locale)}"


def option_verdict(option: Option, screening: Screening, pack: Pack) -> str | None:
    """The screening verdict of the option's product where the option is (None: no product)."""
    from planning.estimate import regions_covering

    result = screening.result(option.therapy or "")
    therapy = pack.therapy(option.therapy or "")
    if result is None or therapy is None or screening.indication is None:
        return None
    return result.verdict_in(regions_covering(option.country, therapy, screening.indication))


def _chosen(estimate_: Estimate, screening: Screening, pack: Pack) -> list[Option]:
    """One option per destination: the best screening verdict there, then the lowest total (a known
    price before an open one)."""
    chosen: dict[str, tuple[tuple, Option]] = {}
    for option in estimate_.options:
        verdict = option_verdict(option, screening, pack)
        rank = VERDICTS.index(verdict) if verdict else len(VERDICTS)
        key = (not option.available, rank, option.total_open, option.total_low)
        current = chosen.get(option.country)
        if current is None or key < current[0]:
            chosen[option.country] = (key, option)
    return [value[1] for value in chosen.values()]


def total_text(option: Option, currency: str, locale: str) -> str:
    """The option's total; an open one (a price not recorded) says the drug comes on top."""
    amount = _money_range(option.total_low, option.total_high, currency, locale)
    return _("{amount} + the drug (price to be quoted)").format(amount=amount) if option.total_open else amount


def item_text(item, currency: str, locale: str) -> str:
    if item.unpriced:
        return _("ask the centre for a quote")
    return _money_range(item.low, item.high, currency, locale)


def build_plan(
    case: Case,
    pack: Pack,
    reference: str,
    locale: str,
    *,
    today: date | None = None,
    countries: list[str] | None = None,
    rates: list[Rate] | None = None,
    costs: list[CostDefault] | None = None,
    organisation: Organisation | None = None,
    coordinator: str = "",
    estimated: Estimate | None = None,
) -> Plan:
    """The plan for ``case`` in ``locale`` (the patient's language; English texts where the pack has none).

    ``estimated``: the estimate already made for this case in ``locale`` (it is not made again)."""
    today = today or date.today()
    organisation = organisation or Organisation()
    with locale_scope(locale):
        screening = screen(case, pack, today, locale)
        result = estimated or estimate(case, pack, countries, rates, locale, costs, screening=screening, today=today)
        return _build(case, pack, reference, locale, today, organisation, coordinator, screening, result)


def _build(
    case: Case,
    pack: Pack,
    reference: str,
    locale: str,
    today: date,
    organisation: Organisation,
    coordinator: str,
    screening: Screening,
    result: Estimate,
) -> Plan:
    blocks: list[Block] = []
    currency = result.currency
    indication = pack.indication(case.clinical.indication) if case.clinical.indication else None
    verdict_names = {key: _(words) for key, words in VERDICT_WORDS.items()}
    status_names = {"met": _("met"), "not_met": _("not met"), "unknown": _("unknown")}
    name = case.patient.full_name or _("(name not given)")
    valid_until = today + timedelta(days=VALIDITY_DAYS)
    chosen = _chosen(result, screening, pack)
    available = [o for o in chosen if o.available]
    nowhere = screening.overall == "not_eligible"

    blocks.append(
        KeyValues(
            (
                (_("Patient"), name),
                (_("Reference"), reference),
                (_("Date"), format_partial_date(today.isoformat(), locale)),
                (_("Coordinator"), coordinator or case.coordinator.name or "—"),
                (_("Estimate valid until"), format_partial_date(valid_until.isoformat(), locale)),
            )
        )
    )

    # --- summary ---
    blocks.append(Heading(_("Summary")))
    if indication is not None:
        blocks.append(Paragraph(_("Diagnosis: {name}.").format(name=pick(indication.name, locale))))
    blocks.append(Paragraph(_("Pre-screening result: {verdict}.").format(verdict=verdict_names[screening.overall])))
    if nowhere:
        blocks.append(
            Paragraph(
                _(
                    "On the information we have, none of the approved CAR-T products fits your situation, in any "
                    "of the countries compared. The reasons are listed under Pre-screening. This is not a medical "
                    "decision: if your information changes or is incomplete, the picture can change."
                ),
                "warning",
            )
        )
    for option in [] if nowhere else chosen:
        destination = pack.destination(option.country)
        place = pick(destination.name, locale) if destination else option.country
        if option.available:
            low, high = option.away_days
            template = (
                _(
                    "{place}: {product}; about {amount} besides the drug, whose price the centre must quote; "
                    "{low}–{high} days away from home."
                )
                if option.total_open
                else _("{place}: {product}, about {amount} in all; {low}–{high} days away from home.")
            )
            amount = _money_range(option.total_low, option.total_high, currency, locale)
            blocks.append(
                Paragraph(template.format(place=place, product=option.therapy_name, amount=amount, low=low, high=high))
            )
        elif option.ruled_out:  # the products are named, with their reasons, under Pre-screening only
            blocks.append(
                Paragraph(
                    _("{place}: none of the products approved there fits (see Pre-screening).").format(place=place)
                )
            )
        else:
            blocks.append(Paragraph(f"{place}: {option.reason}"))

    # --- about the therapy ---
    blocks.append(Heading(_("About the therapy")))
    blocks.append(
        Paragraph(
            _(
                "CAR T-cell therapy uses the patient's own immune cells. They are collected from the blood, "
                "changed in a laboratory so that they recognise the disease, and given back by infusion. "
                "Serious side effects can occur, such as cytokine release syndrome and effects on the nervous "
                "system, so patients are watched closely in hospital and stay near the centre afterwards."
            )
        )
    )
    if indication is not None:
        blocks.append(Paragraph(pick(indication.description, locale)))
    offered = dict.fromkeys(o.therapy for o in available if o.therapy)
    for therapy_id in list(offered)[:4]:  # only products the patient may receive are described
        therapy = pack.therapy(therapy_id)
        if therapy is not None:
            blocks.append(
                Paragraph(f"{therapy.generic_name} ({therapy.brands}): {pick(therapy.summary, locale)}", "small")
            )

    # --- pre-screening ---
    blocks.append(Heading(_("Pre-screening")))
    rows: list[tuple[str, ...]] = []
    for therapy_result in screening.results:
        ruled_out = therapy_result.verdict == "not_eligible"
        reasons = [  # for a product ruled out, only what rules it out: the rest would not change that
            f"{_(KIND_WORDS[f.kind])} · {status_names[f.status]}: {f.label} — {f.reason or f.value}"
            for f in therapy_result.findings
            if f.status != "met" and (not ruled_out or f in therapy_result.reasons())
        ] or [_("Every label condition and typical criterion checked is met.")]
        if therapy_result.verdict == "centre_review":
            reasons.insert(0, centre_review_note(therapy_result, pack))
        where = ", ".join(f"{region}: {verdict_names[verdict]}" for region, verdict in therapy_result.regions.items())
        rows.append(
            (
                therapy_result.generic_name or _("Clinical trials"),
                verdict_names[therapy_result.verdict] + (f" ({where})" if where else ""),
                "\n".join(reasons),
            )
        )
    blocks.append(Table((_("Therapy"), _("Result"), _("Reasons")), tuple(rows), (0.25, 0.25, 0.5)))
    wanted = ask_for(screening)
    if wanted:
        blocks.append(Paragraph(_("Please send us: {items}.").format(items=", ".join(wanted)), "note"))
    for note in screening.research_notes:
        blocks.append(Paragraph(pick(note.text, locale), "small"))
    blocks.append(
        Paragraph(
            _(
                "This pre-screening compares your information with typical criteria from product labels and "
                "clinical trials. It is counseling information, not a medical decision: a physician at the "
                "treating centre reviews your records and decides whether the treatment is right for you."
            ),
            "warning",
        )
    )

    # --- journey ---
    if available:
        blocks.append(Heading(_("The journey")))
        timeline_rows = []
        for option in available:
            destination = pack.destination(option.country)
            place = pick(destination.name, locale) if destination else option.country
            away_steps = tuple((s.label, s.low_days, s.high_days) for s in option.timeline if s.away)
            timeline_rows.append((place, away_steps))
        blocks.append(TimelineChart(_("Days away from home, step by step"), tuple(timeline_rows), _("days")))
        first = available[0]
        blocks.append(
            Table(
                (_("Step"), _("Days")),
                tuple(
                    (s.label, f"{s.low_days}–{s.high_days}" if s.low_days != s.high_days else str(s.low_days))
                    for s in first.timeline
                ),
                (0.8, 0.2),
                numeric=(1,),
            )
        )

    # --- estimate per destination (none where no product fits: no quote for what cannot be received) ---
    if available:
        blocks.append(Heading(_("Cost estimate")))
    if available:
        blocks.append(
            Paragraph(
                _("All amounts in {currency}, from low to high. Exchange rates as of {date}.").format(
                    currency=currency,
                    date=format_partial_date(result.rates_as_of, locale) if result.rates_as_of else "—",
                )
            )
        )
    for option in available:
        destination = pack.destination(option.country)
        place = pick(destination.name, locale) if destination else option.country
        blocks.append(Heading(f"{place} — {option.therapy_name}", 2))
        rows = [
            (item.label + (" *" if item.estimate else ""), item_text(item, currency, locale)) for item in option.items
        ]
        rows.append((_("Total"), total_text(option, currency, locale)))
        blocks.append(Table((_("Item"), _("Amount")), tuple(rows), (0.62, 0.38), numeric=(1,), bold_last=True))
        for alternative in option.alternatives:
            blocks.append(
                Paragraph(
                    _("For comparison (not in the total): {label}, {amount}.").format(
                        label=alternative.label,
                        amount=_money_range(alternative.low, alternative.high, currency, locale),
                    ),
                    "small",
                )
            )
        if option.budget_fit:
            fit = _(BUDGET_FIT_WORDS[option.budget_fit])
            blocks.append(Paragraph(_("Compared with the budget: {fit}.").format(fit=fit), "small"))
        if option.insurance_note:
            blocks.append(Paragraph(option.insurance_note, "small"))
    if available:
        blocks.append(Paragraph(_("* An estimate to be confirmed with a quote, not a sourced figure."), "small"))
        for estimate_note in result.notes:
            blocks.append(Paragraph(estimate_note, "note"))

    # --- comparison ---
    if len(available) > 1:
        blocks.append(Heading(_("Destinations compared")))
        rows = []
        for option in available:
            destination = pack.destination(option.country)
            low, high = option.away_days
            rows.append(
                (
                    pick(destination.name, locale) if destination else option.country,
                    option.therapy_name or "",
                    total_text(option, currency, locale),
                    f"{low}–{high}",
                )
            )
        blocks.append(
            Table(
                (_("Destination"), _("Therapy"), _("Total"), _("Days away")),
                tuple(rows),
                (0.22, 0.3, 0.32, 0.16),
                numeric=(2, 3),
            )
        )
        blocks.append(
            RangeChart(
                _("Total cost, low to high"),
                tuple(
                    (
                        (pick(d.name, locale) if (d := pack.destination(o.country)) else o.country),
                        o.total_low,
                        o.total_high,
                    )
                    for o in available
                ),
                case.preferences.budget,
                _("budget") if case.preferences.budget is not None else "",
            )
        )

    # --- next steps ---
    if nowhere:
        blocks.append(Heading(_("What you can do next")))
        for number, text in enumerate(
            (
                _("Ask your haematologist or oncologist for a second opinion on the treatment options."),
                _("Ask about clinical trials that may be open to you, in your country or abroad."),
                _("If your situation changes (a relapse, new test results), contact us again: we will screen again."),
            ),
            1,
        ):
            blocks.append(Paragraph(f"{number}. {text}"))
    else:
        blocks.append(Heading(_("Next steps and documents to prepare")))
        steps = [
            _("Passport (and the passports of companions)."),
            _("Medical records: the diagnosis, pathology report and the treatments so far, with dates."),
            _("Recent blood tests, including kidney and liver values, and heart tests (echocardiogram)."),
            _("Recent scans (for example PET-CT) with their reports."),
            _("Insurance documents, if any."),
            _("The hospital's invitation letter, needed for the visa."),
        ]
        for number, text in enumerate(steps, 1):
            blocks.append(Paragraph(f"{number}. {text}"))

    # --- sources ---
    blocks.append(Heading(_("Sources")))
    cited = dict.fromkeys(
        [f.source for r in screening.results for f in r.findings]
        + [i.source for o in available for i in o.items if i.source]
        + [a.source for o in available for a in o.alternatives if a.source]
        + [r.sourced.source for r in result.rates_used]
    )
    for source_id in cited:
        source = pack.sources.get(source_id)
        if source is None:
            continue
        date_text = _("undated") if source.date == "undated" else format_partial_date(source.date, locale)
        blocks.append(Paragraph(f"{source.publisher}: {source.title} ({date_text})", "small"))

    return Plan(
        locale=locale,
        rtl=is_rtl(locale),
        title=_("Treatment plan and cost estimate"),
        organisation=organisation,
        blocks=tuple(blocks),
        footer=_("Counseling information, not a medical decision."),
        page_label=_("Page {page} of {pages}"),
        reference=reference,
        patient_name=name,
        currency=currency,
        rates_used=result.rates_used,
    )


def plural_days(count: int) -> str:
    return ngettext("{count} day", "{count} days", count).format(count=count)


# --- frozen plans: the document model as JSON, so a sent plan can be drawn again exactly ---------------

_BLOCKS = {cls.__name__: cls for cls in (Heading, Paragraph, KeyValues, Table, RangeChart, TimelineChart)}


def _plain(value):
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if hasattr(value, "__dataclass_fields__"):
        return {"$type": type(value).__name__, **{k: _plain(getattr(value, k)) for k in value.__dataclass_fields__}}
    return value


def _typed(value):
    if isinstance(value, list):
        return tuple(_typed(v) for v in value)
    if isinstance(value, dict):
        if "$decimal" in value:
            return Decimal(value["$decimal"])
        kind = value.get("$type")
        fields_ = {k: _typed(v) for k, v in value.items() if k != "$type"}
        if kind in _BLOCKS:
            return _BLOCKS[kind](**fields_)
        if kind == "Organisation":
            return Organisation(**fields_)
        if kind == "Rate":
            from planning.knowledge.models import Sourced

            sourced = fields_.pop("sourced")
            return Rate(sourced=Sourced(*sourced) if isinstance(sourced, tuple) else sourced, **fields_)
        if kind == "Sourced":
            from planning.knowledge.models import Sourced

            return Sourced(**fields_)
        return fields_
    return value


def plan_to_json(plan: Plan) -> dict:
    """The whole plan as JSON-compatible data (Decimals kept exact)."""
    return _plain(plan)


def plan_from_json(data: dict) -> Plan:
    fields_ = {k: _typed(v) for k, v in data.items() if k != "$type"}
    return Plan(**fields_)
