"""The sections of the plan a patient receives, in the patient's language: each a function from what is
known (the case, its screening and estimate, the pack) to document blocks (planning.plan).

Written for a patient and the family reading it at home: plain words, every amount adding up as shown,
each price with its original currency and year, the rates with their date, and no internal wording.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from planning import plan_practical
from planning.case import Case
from planning.eligibility import VERDICT_WORDS, VERDICTS, Screening, TherapyScreening, centre_review_note
from planning.estimate import BUDGET_FIT_WORDS, Estimate, Option
from planning.facts import CASE_FIELD, FIELD_LABELS
from planning.i18n import N_, _, format_money, format_partial_date
from planning.journey import documents_to_send
from planning.knowledge.models import Pack, pick
from planning.plan import (
    Block,
    Coordinator,
    Heading,
    KeyValues,
    Paragraph,
    RangeChart,
    Table,
    Terms,
    TimelineChart,
    money_range,
    total_text,
)

VALIDITY_DAYS = 30
"""How long an estimate holds when its exchange rates are recent."""
STALE_RATE_DAYS = 60
"""Exchange rates older than this make the estimate short-lived: amounts may have moved."""
STALE_VALIDITY_DAYS = 7

REGION_WORDS = {
    "US": N_("United States"),
    "EU": N_("European Union"),
    "CN": N_("China"),
    "GB": N_("United Kingdom"),
}
"""The approval regions, in words (a label holds in a region: the EU covers Germany)."""

DEFAULT_PAYMENT_TERMS = N_(
    "Deposit and payment: to be agreed with the centre. The centre states its deposit and payment schedule "
    "in its written quote; nothing is payable on the basis of this estimate."
)
DEFAULT_CANCELLATION_TERMS = N_("Cancellation: to be agreed with the centre, in writing, before any payment is made.")

NOT_INCLUDED = (
    N_("treatment of serious side effects beyond the usual hospital stay (for example intensive care)"),
    N_("a second admission to hospital"),
    N_("medicines after leaving hospital and follow-up care at home"),
    N_("travel and health insurance"),
    N_("changes in exchange rates and prices after the date of this estimate"),
)


@dataclass(frozen=True)
class Context:
    """What every section needs."""

    case: Case
    pack: Pack
    locale: str
    today: date
    screening: Screening
    estimate: Estimate
    chosen: tuple[Option, ...]
    """One option per destination (the best verdict, then the lowest total)."""

    @property
    def available(self) -> list[Option]:
        return [o for o in self.chosen if o.available]

    @property
    def nowhere(self) -> bool:
        return self.screening.overall == "not_eligible"

    @property
    def investigational(self) -> bool:
        return self.screening.overall == "investigational"

    def place(self, option: Option) -> str:
        destination = self.pack.destination(option.country)
        return pick(destination.name, self.locale) if destination else option.country

    def money(self, amount: Decimal) -> str:
        return format_money(amount, self.estimate.currency, self.locale)

    def date(self, day: date | str) -> str:
        return format_partial_date(day if isinstance(day, str) else day.isoformat(), self.locale)


def days_since(as_of: str | None, today: date) -> int | None:
    """Days from a (partial) ISO date to ``today``: "2026-04" counts from the 1st; None without a date."""
    if not as_of:
        return None
    parts = [int(p) for p in as_of.split("-")] + [1, 1]
    return (today - date(parts[0], parts[1], parts[2])).days


T_STALE_RATES = N_(
    "The exchange rates are from {date}, more than {days} days ago: update them in Settings before quoting. "
    "A plan made with them is valid for {valid} days only."
)
"""Said beside an estimate (in the window and on the command line) whose rates are stale."""


def stale_rates_age(estimate: Estimate, today: date) -> int | None:
    """The age in days of the oldest rate ``estimate`` used when it is over STALE_RATE_DAYS (the plan made
    with it holds STALE_VALIDITY_DAYS only); None when the rates are recent, none was used or only currency pegs
    (which hold on any day)."""
    if all(r.fixed for r in estimate.rates_used):
        return None
    age = days_since(estimate.rates_as_of, today)
    return age if age is not None and age > STALE_RATE_DAYS else None


def rates_age(context: Context) -> int | None:
    """Days from the oldest rate used to the plan's date; None when no rate was used."""
    return days_since(context.estimate.rates_as_of, context.today)


def valid_until(context: Context) -> date:
    stale = stale_rates_age(context.estimate, context.today) is not None
    return context.today + timedelta(days=STALE_VALIDITY_DAYS if stale else VALIDITY_DAYS)


def header(context: Context, reference: str, coordinator: Coordinator) -> list[Block]:
    patient = context.case.patient
    pairs = [(_("Patient"), patient.full_name or _("(name not given)"))]
    if patient.date_of_birth is not None:
        pairs.append((_("Date of birth"), context.date(patient.date_of_birth)))
    pairs += [(_("Reference"), reference), (_("Date"), context.date(context.today))]
    who = " · ".join(part for part in (coordinator.name, coordinator.email, coordinator.phone) if part)
    pairs.append((_("Your coordinator"), who or "—"))
    if context.available:
        pairs.append((_("Estimate valid until"), context.date(valid_until(context))))
    return [KeyValues(tuple(pairs))]


def summary(context: Context) -> list[Block]:
    blocks: list[Block] = [Heading(_("Summary"))]
    code = context.case.clinical.indication
    indication = context.pack.indication(code) if code else None
    if indication is not None:
        blocks.append(Paragraph(_("Diagnosis: {name}.").format(name=pick(indication.name, context.locale))))
    verdict = _(VERDICT_WORDS[context.screening.overall])
    blocks.append(Paragraph(_("Pre-screening result: {verdict}.").format(verdict=verdict)))
    if context.nowhere:
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
        return blocks
    for option in context.chosen:
        place = context.place(option)
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
            amount = money_range(option.total_low, option.total_high, context.estimate.currency, context.locale)
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
    budget = context.case.preferences.budget
    if budget is not None and context.available:
        blocks.append(Paragraph(_("Your budget, as you told us: {amount}.").format(amount=context.money(budget))))
    return blocks


def about(context: Context) -> list[Block]:
    blocks: list[Block] = [Heading(_("About the therapy"))]
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
    code = context.case.clinical.indication
    indication = context.pack.indication(code) if code else None
    if indication is not None:
        blocks.append(Paragraph(pick(indication.description, context.locale)))
    offered = dict.fromkeys(o.therapy for o in context.available if o.therapy)
    for therapy_id in list(offered)[:4]:  # only products the patient may receive are described
        therapy = context.pack.therapy(therapy_id)
        if therapy is not None:
            blocks.append(
                Paragraph(
                    f"{therapy.generic_name} ({therapy.brands}): {pick(therapy.summary, context.locale)}", "small"
                )
            )
    return blocks


def _asked(result: TherapyScreening) -> list[str]:
    """The case fields whose absence left this product's findings unknown, in words."""
    labels = {CASE_FIELD.get(k, k): v for k, v in FIELD_LABELS.items()}
    fields = dict.fromkeys(f for finding in result.findings if finding.status == "unknown" for f in finding.fields)
    return [_(labels[f]) for f in fields if f in labels]


def _reasons(result: TherapyScreening, pack: Pack) -> str:
    """Why a product has its verdict, in a few plain lines (the criteria's own wording, no codes)."""
    if result.verdict == "investigational":
        return _("No product is approved for this disease; each clinical trial has its own criteria.")
    lines: list[str] = []
    if result.verdict == "not_eligible":
        for finding in result.reasons():
            lines.append(_("Does not fit: {reason}").format(reason=finding.reason or finding.label))
        return "\n".join(dict.fromkeys(lines)) or _("Does not fit the approved uses.")
    if result.verdict == "centre_review":
        lines.append(centre_review_note(result, pack))
    asked = _asked(result)
    if asked:
        lines.append(_("Still needed: {items}.").format(items="; ".join(asked)))
    for finding in result.findings:
        if finding.status == "not_met" and finding.kind != "trial":
            lines.append(_("Does not fit: {reason}").format(reason=finding.reason or finding.label))
    return "\n".join(dict.fromkeys(lines)) or _("Everything checked so far fits.")


def prescreening(context: Context) -> list[Block]:
    from planning.eligibility import ask_for

    verdicts = {key: _(words) for key, words in VERDICT_WORDS.items()}
    rows: list[tuple[str, ...]] = []
    for result in context.screening.results:
        shown = verdicts[result.verdict]
        differing = {region: verdict for region, verdict in result.regions.items() if verdict != result.verdict}
        if differing:  # only where a region's verdict is not the product's own
            shown += "\n" + "\n".join(
                f"{_(REGION_WORDS.get(region, region))}: {verdicts[verdict]}" for region, verdict in differing.items()
            )
        rows.append((result.generic_name or _("Clinical trials"), shown, _reasons(result, context.pack)))
    blocks: list[Block] = [Heading(_("Pre-screening"))]
    blocks.append(Table((_("Therapy"), _("Result"), _("Why")), tuple(rows), (0.26, 0.24, 0.5)))
    wanted = ask_for(context.screening)
    if wanted:
        blocks.append(Paragraph(_("Please send us: {items}.").format(items="; ".join(wanted)), "note"))
    unknown = context.screening.unrecognised_therapies
    if unknown:
        blocks.append(
            Paragraph(
                _(
                    "We could not tell which kind of medicine these earlier treatments were; please send their full "
                    "names or the doctor's letters about them: {items}."
                ).format(items="; ".join(unknown)),
                "note",
            )
        )
    for note in context.screening.research_notes:
        blocks.append(Paragraph(pick(note.text, context.locale), "small"))
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
    return blocks


def _days(low: int, high: int) -> str:
    return str(low) if low == high else f"{low}–{high}"


def journey(context: Context) -> list[Block]:
    """Each destination's own journey: one column of days per destination, step by step."""
    available = context.available
    if not available:
        return []
    blocks: list[Block] = [Heading(_("The journey"))]
    timeline_rows = []
    for option in available:
        away_steps = tuple((s.label, s.low_days, s.high_days) for s in option.timeline if s.away)
        timeline_rows.append((context.place(option), away_steps))
    blocks.append(TimelineChart(_("Days away from home, step by step"), tuple(timeline_rows), _("days")))
    steps = list(dict.fromkeys((s.key, s.label) for o in available for s in o.timeline))
    rows = []
    for key, label in steps:
        row = [label]
        for option in available:
            step = next((s for s in option.timeline if s.key == key), None)
            row.append(_days(step.low_days, step.high_days) if step else "—")
        rows.append(tuple(row))
    rows.append((_("Days away from home in all"), *(_days(*o.away_days) for o in available)))
    places = len(available)
    first = 0.46 if places > 2 else 0.56
    widths = (first, *([(1 - first) / places] * places))
    blocks.append(
        Table(
            (_("Step (days)"), *(context.place(o) for o in available)),
            tuple(rows),
            widths,
            numeric=tuple(range(1, places + 1)),
            bold_last=True,
        )
    )
    blocks.append(
        Paragraph(_("The waiting time is spent at home; every other step is away from home, near the centre."), "small")
    )
    claimed = [o for o in available if (d := context.pack.destination(o.country)) and d.overview.sourced.unverified]
    if claimed:
        blocks.append(
            Paragraph(
                _(
                    "Waiting times come from a facilitator's article and are not confirmed: the centre gives its own "
                    "date once it accepts the referral."
                ),
                "small",
            )
        )
    return blocks


def _item_rows(context: Context, option: Option) -> tuple[tuple[str, ...], ...]:
    from planning.plan import item_text

    rows: list[tuple[str, ...]] = [
        (
            item.label + (" *" if item.estimate else ""),
            item.original or "—",
            item_text(item, context.estimate.currency, context.locale),
        )
        for item in option.items
    ]
    rows.append((_("Total"), "", total_text(option, context.estimate.currency, context.locale)))
    return tuple(rows)


def costs(context: Context) -> list[Block]:
    available = context.available
    if not available:
        return []
    currency = context.estimate.currency
    blocks: list[Block] = [Heading(_("Cost estimate"))]
    blocks.append(
        Paragraph(
            _(
                "All amounts in {currency}, from low to high, each line rounded to whole units; the totals are the "
                "sums of the lines shown. The middle column shows each figure as it was found, in its own currency "
                "and with its year."
            ).format(currency=currency)
        )
    )
    for option in available:
        blocks.append(Heading(f"{context.place(option)} — {option.therapy_name}", 2))
        blocks.append(
            Table(
                (_("Item"), _("Figure used (year)"), _("Amount")),
                _item_rows(context, option),
                (0.44, 0.28, 0.28),
                numeric=(2,),
                bold_last=True,
            )
        )
        for reason in option.not_charged:
            blocks.append(Paragraph(reason, "small"))
        for alternative in option.alternatives:
            blocks.append(
                Paragraph(
                    _("For comparison (not in the total): {label}, {amount}.").format(
                        label=alternative.label,
                        amount=money_range(alternative.low, alternative.high, currency, context.locale),
                    ),
                    "small",
                )
            )
        budget = context.case.preferences.budget
        if option.budget_fit and budget is not None:
            blocks.append(
                Paragraph(
                    _("Compared with your budget of {budget}: {fit}.").format(
                        budget=context.money(budget), fit=_(BUDGET_FIT_WORDS[option.budget_fit])
                    ),
                    "small",
                )
            )
        if option.insurance_note:
            blocks.append(Paragraph(option.insurance_note, "small"))
    blocks.append(Paragraph(_("* An estimate to be confirmed with a quote, not a sourced figure."), "small"))
    blocks.extend(rates(context))
    blocks.extend(scope(context))
    for note in context.estimate.notes:
        blocks.append(Paragraph(note, "note"))
    return blocks


def rates(context: Context) -> list[Block]:
    """The exchange rates used, each with its date and source; a stale table is said so."""
    used = context.estimate.rates_used
    if not used:
        return [
            Paragraph(
                _("No currency was converted: every figure is in {currency}.").format(
                    currency=context.estimate.currency
                ),
                "small",
            )
        ]
    blocks: list[Block] = [Heading(_("Exchange rates used"), 2)]
    rows = []
    for rate in used:
        source = context.pack.sources.get(rate.sourced.source)
        rows.append(
            (
                f"1 {rate.base} = {rate.rate.normalize():f} {rate.quote}",
                context.date(rate.sourced.as_of),
                source.publisher if source else "—",
            )
        )
    blocks.append(Table((_("Rate"), _("As of"), _("Source")), tuple(rows), (0.34, 0.24, 0.42)))
    age = stale_rates_age(context.estimate, context.today)
    if age is not None and age > STALE_RATE_DAYS:
        blocks.append(
            Paragraph(
                _(
                    "These exchange rates are {days} days old: the amounts may have moved since. This estimate is "
                    "therefore valid for {valid} days only, until {date}; ask us for an update before deciding."
                ).format(days=age, valid=STALE_VALIDITY_DAYS, date=context.date(valid_until(context))),
                "warning",
            )
        )
    outdated = context.estimate.outdated_rates
    if outdated:  # the coordinator is told to update it (Estimate.coordinator_notes); the patient what it means
        blocks.append(
            Paragraph(
                _(
                    "Some amounts were converted with an exchange rate known to be out of date ({rates}), so they "
                    "may differ from today's; the centre's quote in its own currency decides the final amount."
                ).format(rates=", ".join(f"{r.base}/{r.quote}" for r in outdated)),
                "warning",
            )
        )
    return blocks


INCLUDED_WORDS = {
    "therapy": N_("the drug at its list price, where one is recorded"),
    "hospital_non_drug": N_("hospital care outside the drug"),
    "evaluation": N_("the evaluation before treatment"),
    "stay": N_("accommodation and meals near the centre"),
    "flights": N_("return flights from the patient's home region"),
    "visa": N_("visas"),
    "interpreter": N_("an interpreter and local coordination"),
    "contingency": N_("a margin for the unexpected"),
}
"""What each kind of line covers, in words, for "what the estimate includes"."""


def scope(context: Context) -> list[Block]:
    """What the estimate includes and what it leaves out."""
    keys = dict.fromkeys(i.key for o in context.available for i in o.items if not i.unpriced and i.high > 0)
    included = [_(INCLUDED_WORDS[key]) for key in keys if key in INCLUDED_WORDS]
    blocks: list[Block] = [Heading(_("What the estimate includes"), 2)]
    if included:
        blocks.append(Paragraph(_("Included: {items}.").format(items="; ".join(included))))
    blocks.append(Paragraph(_("Not included: {items}.").format(items="; ".join(_(text) for text in NOT_INCLUDED))))
    return blocks


def comparison(context: Context) -> list[Block]:
    available = context.available
    if len(available) < 2:
        return []
    currency = context.estimate.currency
    blocks: list[Block] = [Heading(_("Destinations compared"))]
    rows = []
    for option in available:
        low, high = option.away_days
        rows.append(
            (
                context.place(option),
                option.therapy_name or "",
                total_text(option, currency, context.locale),
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
    budget = context.case.preferences.budget
    blocks.append(
        RangeChart(
            _("Total cost, low to high"),
            tuple((context.place(o), o.total_low, o.total_high) for o in available),
            budget,
            _("Budget:") if budget is not None else "",
        )
    )
    return blocks


def terms(context: Context, given: Terms) -> list[Block]:
    if not context.available:
        return []
    return [
        Heading(_("Payment, cancellation and validity")),
        Paragraph(given.payment or _(DEFAULT_PAYMENT_TERMS)),
        Paragraph(given.cancellation or _(DEFAULT_CANCELLATION_TERMS)),
        Paragraph(
            _(
                "This estimate is valid until {date}. It is not a quote: the centre's written quote sets the "
                "price, and it can differ."
            ).format(date=context.date(valid_until(context)))
        ),
    ]


def next_steps(context: Context) -> list[Block]:
    day = context.date
    today = context.today
    steps: tuple[str, ...]
    if context.nowhere:
        steps = (
            _("Ask your haematologist or oncologist for a second opinion on the treatment options."),
            _("Ask about clinical trials that may be open to you, in your country or abroad."),
            _("If your situation changes (a relapse, new test results), contact us again: we will screen again."),
        )
        ahead: list[Block] = [Heading(_("What you can do next"))]
        return ahead + [Paragraph(f"{n}. {t}") for n, t in enumerate(steps, 1)]
    blocks: list[Block] = [Heading(_("Next steps"))]
    if context.investigational or not context.available:
        steps = (
            _("Ask your doctor whether a clinical trial could suit you; we can help you find open trials."),
            _("By {date}: send us the documents below, so that a trial team can look at them.").format(
                date=day(today + timedelta(days=14))
            ),
        )
    else:
        steps = (
            _("By {date}: send us the documents listed below.").format(date=day(today + timedelta(days=7))),
            _(
                "About {date}: the centre's physicians review your records and tell us whether the treatment suits you."
            ).format(date=day(today + timedelta(days=21))),
            _(
                "After the review: the centre sends its written quote with its payment terms; we go through it "
                "with you."
            ),
            _("Once the centre accepts you: its invitation letter, then the visa, travel and accommodation."),
        )
    blocks += [Paragraph(f"{number}. {text}") for number, text in enumerate(steps, 1)]
    blocks.append(Heading(_("Documents to prepare"), 2))
    documents = [
        d.text
        for d in documents_to_send(
            context.pack,
            context.case.clinical.indication,
            [o.country for o in context.available] or list(context.case.preferences.destinations or ()),
            context.locale,
        )
    ]
    if context.available and any(i.key == "visa" and i.high > 0 for o in context.available for i in o.items):
        documents.append(_("The hospital's invitation letter, needed for the visa."))
    blocks += [Paragraph(f"• {text}") for text in documents]
    return blocks


def glossary(context: Context) -> list[Block]:
    """The pack's glossary in the plan's language (one wording per language, as the pack's texts use)."""
    rows = tuple((pick(g.term, context.locale), pick(g.meaning, context.locale)) for g in context.pack.glossary)
    if not rows:
        return []
    return [Heading(_("Words used in this plan")), Table((), rows, (0.3, 0.7))]


OWN_SOURCES = {"careplan_defaults"}
"""Sources that are the organisation's own assumptions: named in the patient's language, not by their id."""


def sources(context: Context) -> list[Block]:
    available = context.available
    cited = dict.fromkeys(
        [f.source for r in context.screening.results for f in r.findings]
        + [i.source for o in available for i in o.items if i.source]
        + [a.source for o in available for a in o.alternatives if a.source]
        + [n.sourced.source for n in context.screening.research_notes]
        + ([r.sourced.source for r in context.estimate.rates_used] if available else [])
        + plan_practical.cited(context)
        + ([g.sourced.source for g in context.pack.glossary] if context.pack.glossary else [])
    )
    blocks: list[Block] = [Heading(_("Sources"))]
    for source_id in cited:
        source = context.pack.sources.get(source_id)
        if source is None:
            continue
        date_text = _("undated") if source.date == "undated" else context.date(source.date)
        if source_id in OWN_SOURCES:
            text = _("Our own estimates, to be confirmed with quotes ({date})").format(date=date_text)
        elif source.kind == "own":
            text = _("Our own summary of the published labels ({date})").format(date=date_text)
        else:
            text = f"{source.publisher}: {source.title} ({date_text})"
        blocks.append(Paragraph(text, "small"))
    return blocks


def chosen_options(estimate_: Estimate, screening: Screening, pack: Pack) -> tuple[Option, ...]:
    """One option per destination: the best screening verdict there, then the lowest total (a known
    price before an open one)."""
    from planning.plan import option_verdict

    chosen: dict[str, tuple[tuple, Option]] = {}
    for option in estimate_.options:
        verdict = option_verdict(option, screening, pack)
        rank = VERDICTS.index(verdict) if verdict else len(VERDICTS)
        key = (not option.available, rank, option.total_open, option.total_low)
        current = chosen.get(option.country)
        if current is None or key < current[0]:
            chosen[option.country] = (key, option)
    return tuple(value[1] for value in chosen.values())
