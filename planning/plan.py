"""The treatment plan and cost estimate as a document model, in the patient's language.

Pure data — headings, paragraphs, key-value lists, tables and charts with every text already
localized — built from a case, its screening and estimate and the knowledge pack. The renderer
(``reports``) only draws it, so the content is tested without ReportLab.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from planning.case import Case
from planning.eligibility import Screening, screen
from planning.estimate import Estimate, Option, estimate
from planning.i18n import _, format_money, is_rtl, locale_scope, ngettext
from planning.knowledge.models import CostDefault, Pack, Rate


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
    """Who the document comes from (Settings): the letterhead. Empty fields are left out of it; with no
    name the letterhead shows none (never the product's name as if it were the sender)."""

    name: str = ""
    contact: str = ""
    """Telephone, e-mail, web site: one line."""
    logo: str = ""
    address: str = ""
    """The postal address, one line or several."""
    registration: str = ""
    """A registration or licence line (company number, tax number, licence as a medical-travel agency)."""


@dataclass(frozen=True)
class Coordinator:
    """The coordinator the patient deals with, as printed on the plan."""

    name: str = ""
    email: str = ""
    phone: str = ""


@dataclass(frozen=True)
class Terms:
    """Deposit/payment and cancellation terms of the organisation, in the document's language; empty: the
    default ("to be agreed with the centre") is printed."""

    payment: str = ""
    cancellation: str = ""


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
    coordinator: Coordinator = field(default_factory=Coordinator)
    language: str = ""
    """The document's language as a BCP 47 tag (PDF metadata): "en", "zh-CN", "ar"."""
    created: str = ""
    """The plan's date (ISO), also the PDF's creation date: the same input gives the same bytes."""
    subject: str = ""
    """PDF metadata: the patient's name and the reference."""


def money_range(low: Decimal, high: Decimal, currency: str, locale: str) -> str:
    """A low–high amount in whole units as the locale writes it (one amount when both are the same)."""
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


def total_text(option: Option, currency: str, locale: str) -> str:
    """The option's total; an open one (a price not recorded) says the drug comes on top."""
    amount = money_range(option.total_low, option.total_high, currency, locale)
    return _("{amount} + the drug (price to be quoted)").format(amount=amount) if option.total_open else amount


def item_text(item, currency: str, locale: str) -> str:
    if item.unpriced:
        return _("ask the centre for a quote")
    return money_range(item.low, item.high, currency, locale)


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
    coordinator: Coordinator | str = "",
    terms: Terms | None = None,
    estimated: Estimate | None = None,
    screening: Screening | None = None,
) -> Plan:
    """The plan for ``case`` in ``locale`` (the patient's language; English texts where the pack has none).

    ``coordinator``: who the patient deals with (a name alone, or name, e-mail and telephone); the case's
    coordinator where none is given. ``estimated`` and ``screening``: the estimate and the screening already
    made for this case on ``today`` in ``locale`` (they are not made again)."""
    today = today or date.today()
    with locale_scope(locale):
        screening = screen(case, pack, today, locale) if screening is None else screening
        result = estimated or estimate(case, pack, countries, rates, locale, costs, screening=screening, today=today)
        who = coordinator if isinstance(coordinator, Coordinator) else Coordinator(name=coordinator)
        if not who.name:
            who = Coordinator(case.coordinator.name or "", who.email, who.phone)
        return _build(
            case, pack, reference, locale, today, organisation or Organisation(), who, terms, screening, result
        )


def _build(
    case: Case,
    pack: Pack,
    reference: str,
    locale: str,
    today: date,
    organisation: Organisation,
    coordinator: Coordinator,
    terms: Terms | None,
    screening: Screening,
    result: Estimate,
) -> Plan:
    from planning import plan_practical as practical
    from planning import plan_sections as sections

    context = sections.Context(
        case, pack, locale, today, screening, result, sections.chosen_options(result, screening, pack)
    )
    blocks: list[Block] = []
    blocks += sections.header(context, reference, coordinator)
    blocks += sections.summary(context)
    blocks += sections.about(context)
    blocks += sections.prescreening(context)
    blocks += practical.results(context)
    blocks += sections.journey(context)
    blocks += practical.practical(context)
    blocks += sections.costs(context)
    blocks += sections.comparison(context)
    blocks += sections.terms(context, terms or Terms())
    blocks += sections.next_steps(context)
    blocks += sections.glossary(context)
    blocks += sections.sources(context)
    name = case.patient.full_name or _("(name not given)")
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
        currency=result.currency,
        rates_used=result.rates_used,
        coordinator=coordinator,
        language=locale.replace("_", "-"),
        created=today.isoformat(),
        subject=f"{name} · {reference}",
    )


def plural_days(count: int) -> str:
    return ngettext("{count} day", "{count} days", count).format(count=count)


# --- frozen plans: the document model as JSON, so a sent plan can be drawn again exactly ---------------

_money_range = money_range  # the name reports used before

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
        if kind == "Coordinator":
            return Coordinator(**fields_)
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
