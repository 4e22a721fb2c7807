"""Rich-text pages for the knowledge browser: a therapy, an indication, a FAQ, a destination, a source.

Pure functions from read-models to HTML for QTextBrowser. Every fact carries a link to its source
(``source:ID``) with its as-of date; every pack text is escaped. Links: ``therapy:ID``,
``indication:CODE``, ``destination:CC``, ``faq:ID``, ``source:ID``.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from planning.i18n import N_, _, country_name, format_money, format_partial_date, is_rtl
from planning.knowledge.models import (
    Criterion,
    Destination,
    Faq,
    Indication,
    Note,
    Pack,
    Price,
    Source,
    Sourced,
    Therapy,
    pick,
)

T_MAKER = N_("Maker")
T_SEE_ALSO = N_("See also")
T_TARGET = N_("Target")
T_EXCLUSION = N_("exclusion")
T_INCLUSION = N_("inclusion")
T_LABEL = N_("label")
T_TYPICAL_OF_TRIALS = N_("typical of trials")


@dataclass(frozen=True)
class Palette:
    """Colours taken from the widget's palette, so pages read well in light and dark."""

    muted: str = "#666666"
    accent: str = "#1f5fbf"
    warn: str = "#a15c00"
    rule: str = "#cccccc"


DISCLAIMER = N_(
    "Counseling information, not a medical decision. Criteria are typical of trials and labels; "
    "the treating centre decides who is eligible."
)


def region_name(code: str, locale: str) -> str:
    return country_name(code, locale)


class Page:
    """Builds one page: headings, paragraphs, tables and citations in a consistent style."""

    def __init__(self, pack: Pack, locale: str, palette: Palette):
        self.pack, self.locale, self.palette = pack, locale, palette
        self.parts: list[str] = []

    def t(self, text) -> str:  # a localized pack text, escaped
        return escape(pick(text, self.locale))

    def cite(self, sourced: Sourced) -> str:
        """The link to a fact's source with its date; an unconfirmed claim or an estimate says so first."""
        flag = ""
        if sourced.unverified:
            flag = f'<b style="color:{self.palette.warn}">[' + escape(_("reported, not confirmed")) + "]</b> "
        elif sourced.estimate:
            basis = pick(sourced.basis, self.locale)
            flag = f'<b style="color:{self.palette.warn}">[' + escape(_("estimate")) + "]</b> "
            if basis:
                flag += f'<small style="color:{self.palette.muted}">' + escape(basis) + "</small> "
        elif sourced.basis:
            flag = (
                f'<small style="color:{self.palette.muted}">' + escape(pick(sourced.basis, self.locale)) + "</small> "
            )
        return flag + self._source_link(sourced)

    def _source_link(self, sourced: Sourced) -> str:
        source = self.pack.sources.get(sourced.source)
        # a first-strong isolate keeps a Latin publisher's own order inside a right-to-left sentence
        label = "\u2068" + escape(source.publisher if source else sourced.source) + "\u2069"
        if source is not None and source.date == "undated" and source.read_on:
            # a page without a date says only when it was read, never that the fact is true as of then
            when = escape(_("undated, read on {date}").format(date=format_partial_date(source.read_on, self.locale)))
        else:
            when = escape(_("as of")) + " " + escape(format_partial_date(sourced.as_of, self.locale))
        return (
            f'<a href="source:{escape(sourced.source)}" style="color:{self.palette.muted}; text-decoration:none">'
            + f"<small>[{label}, {when}]</small></a>"
        )

    def h(self, level: int, text: str) -> None:
        self.parts.append(f"<h{level}>{text}</h{level}>")

    def p(self, html: str) -> None:
        self.parts.append(f"<p>{html}</p>")

    def muted(self, html: str) -> None:
        self.parts.append(f'<p style="color:{self.palette.muted}">{html}</p>')

    def table(self, headers: list[str], rows: list[list[str]]) -> None:
        if not rows:
            self.muted(escape(_("None recorded.")))
            return
        head = "".join(f'<th align="left" style="padding:3px 8px">{escape(h)}</th>' for h in headers)
        body = "".join(
            "<tr>" + "".join(f'<td valign="top" style="padding:3px 8px">{cell}</td>' for cell in row) + "</tr>"
            for row in rows
        )
        self.parts.append(
            f'<table cellspacing="0" border="1" style="border-color:{self.palette.rule}; border-style:solid" '
            f'width="100%"><tr>{head}</tr>{body}</table>'
        )

    def notes(self, notes: tuple[Note, ...] | list[Note]) -> None:
        if not notes:
            self.muted(escape(_("None recorded.")))
            return
        items = "".join(f"<li>{self.t(n.text)} {self.cite(n.sourced)}</li>" for n in notes)
        self.parts.append(f"<ul>{items}</ul>")

    def disclaimer(self) -> None:
        self.parts.append(f'<p style="color:{self.palette.warn}"><i>{escape(_(DISCLAIMER))}</i></p>')

    def html(self) -> str:
        body = "".join(self.parts)
        return f'<div dir="rtl">{body}</div>' if is_rtl(self.locale) else body


def _link(kind: str, ref: str, text: str) -> str:
    return f'<a href="{kind}:{escape(ref)}">{text}</a>'


def therapy_page(pack: Pack, therapy: Therapy, locale: str, palette: Palette = Palette()) -> str:
    page = Page(pack, locale, palette)
    page.h(2, f"{escape(therapy.generic_name)} <small>({escape(therapy.short_name)})</small>")
    page.p(
        f"<b>{escape(therapy.brands)}</b> · {escape(_(T_MAKER))}: {escape(therapy.maker)} · "
        f"{escape(_(T_TARGET))}: {escape(therapy.target)}"
    )
    page.p(f"{page.t(therapy.summary)} {page.cite(therapy.sourced)}")
    page.h(3, escape(_("Approvals")))
    rows = []
    for a in sorted(therapy.approvals, key=lambda a: (a.date, a.region)):
        indication = pack.indication(a.indication)
        limits = []
        if a.age_min is not None:
            limits.append(_("age {age} or older").format(age=a.age_min))
        if a.age_max is not None:
            limits.append(_("up to age {age}").format(age=a.age_max))
        if a.pathway != "full":
            limits.append(
                {"accelerated": _("accelerated approval"), "conditional": _("conditional approval")}[a.pathway]
            )
        rows.append(
            [
                f"{escape(a.agency)}<br><small>{escape(region_name(a.region, locale))}</small>",
                escape(format_partial_date(a.date, locale)),
                _link("indication", a.indication, page.t(indication.name) if indication else escape(a.indication)),
                f"{page.t(a.line)}<br><small>{page.t(a.wording)}</small>",
                escape("; ".join(limits)),
                page.cite(a.sourced),
            ]
        )
    page.table([_("Agency"), _("Date"), _("Indication"), _("Line of therapy"), _("Limits"), _("Source")], rows)
    page.h(3, escape(_("Safety")))
    page.notes(therapy.boxed_warnings)
    page.h(3, escape(_("Logistics")))
    page.notes(therapy.logistics)
    page.disclaimer()
    return page.html()


def _approved_for(pack: Pack, code: str) -> set[str]:
    return {t.id for t in pack.therapies if any(a.indication == code for a in t.approvals)}


def _criterion_scope(pack: Pack, criterion: Criterion, code: str, locale: str) -> str:
    parts = []
    if criterion.therapies:
        relevant = [t for t in criterion.therapies if t in _approved_for(pack, code)]
        parts.append(", ".join(pack.therapy(t).short_name if pack.therapy(t) else t for t in relevant))
    if criterion.regions:
        parts.append(", ".join(region_name(r, locale) for r in criterion.regions))
    return escape(" · ".join(parts) or _("all products"))


def criteria_for(pack: Pack, code: str) -> list[Criterion]:
    """Criteria for an indication: general ones, and those of products approved for it."""
    approved = _approved_for(pack, code)
    return [
        c
        for c in pack.criteria
        if (code in c.indications or "*" in c.indications) and (not c.therapies or approved & set(c.therapies))
    ]


def indication_page(pack: Pack, indication: Indication, locale: str, palette: Palette = Palette()) -> str:
    page = Page(pack, locale, palette)
    status = _("CAR-T approved somewhere") if indication.status == "approved" else _("Investigational: trials only")
    categories = {
        "hematologic": _("Blood cancer"),
        "solid_tumour": _("Solid tumour"),
        "autoimmune": _("Autoimmune disease"),
    }
    page.h(2, page.t(indication.name))
    page.p(
        f"<b>{escape(status)}</b> · {escape(categories[indication.category])}"
        + (f" · <small>{escape(', '.join(indication.aliases))}</small>" if indication.aliases else "")
    )
    page.p(f"{page.t(indication.description)} {page.cite(indication.sourced)}")
    page.h(3, escape(_("Approved products by region")))
    rows = []
    for therapy in pack.therapies:
        approvals = sorted((a for a in therapy.approvals if a.indication == indication.code), key=lambda a: a.date)
        for a in approvals:
            rows.append(
                [
                    _link("therapy", therapy.id, f"{escape(therapy.generic_name)} ({escape(therapy.brands)})"),
                    f"{escape(region_name(a.region, locale))} · {escape(a.agency)}",
                    escape(format_partial_date(a.date, locale)),
                    page.t(a.line),
                    page.cite(a.sourced),
                ]
            )
    page.table([_("Product"), _("Where"), _("Since"), _("Line of therapy"), _("Source")], rows)
    page.h(3, escape(_("Typical eligibility criteria")))
    rows = [
        [
            f"<b>{page.t(c.label)}</b><br><small>{escape(_(T_INCLUSION) if c.kind == 'inclusion' else _(T_EXCLUSION))}"
            f"{escape(' · ' + _(T_TYPICAL_OF_TRIALS) if c.typical else ' · ' + _(T_LABEL))}</small>",
            _criterion_scope(pack, c, indication.code, locale),
            page.t(c.detail),
            page.cite(c.sourced),
        ]
        for c in criteria_for(pack, indication.code)
    ]
    page.table([_("Criterion"), _("Applies to"), _("What trials and labels required"), _("Source")], rows)
    if indication.research_notes:
        page.h(3, escape(_("Research")))
        page.notes(indication.research_notes)
    page.disclaimer()
    return page.html()


def faq_page(pack: Pack, faq: Faq, locale: str, palette: Palette = Palette()) -> str:
    page = Page(pack, locale, palette)
    page.h(2, page.t(faq.question))
    page.p(f"{page.t(faq.answer)} {page.cite(faq.sourced)}")
    links = []
    for ref in faq.related:
        if pack.indication(ref):
            links.append(_link("indication", ref, page.t(pack.indication(ref).name)))
        elif pack.therapy(ref):
            links.append(_link("therapy", ref, escape(pack.therapy(ref).generic_name)))
        elif any(d.code == ref for d in pack.destinations):
            links.append(_link("destination", ref, escape(region_name(ref, locale))))
    if links:
        page.p(f"{escape(_(T_SEE_ALSO))}: " + " · ".join(links))
    return page.html()


def price_text(price: Price, locale: str) -> str:
    low = format_money(price.amount, price.currency, locale)
    if price.amount_high is not None and price.amount_high != price.amount:
        return f"{low} – {format_money(price.amount_high, price.currency, locale)}"
    return low


def destination_page(pack: Pack, destination: Destination, locale: str, palette: Palette = Palette()) -> str:
    page = Page(pack, locale, palette)
    o = destination.overview
    page.h(2, page.t(destination.name))
    page.h(3, escape(_("From the source overview")))
    page.p(
        escape(_("Package cost")) + f": <b>{escape(format_money(o.package_cost_usd, 'USD', locale))}</b> "
        f"{page.cite(o.sourced)}"
    )
    if o.package_cost_note:
        page.muted(page.t(o.package_cost_note))
    page.h(3, escape(_("List prices of the therapy")))
    rows = [
        [
            page.t(p.label),
            escape(price_text(p, locale)),
            escape(p.year),
            escape(_("drug only, hospital costs extra") if p.excludes_hospital else ""),
            page.cite(p.sourced),
        ]
        for p in destination.list_prices
    ]
    page.table([_("What"), _("Amount"), _("Year"), _("Note"), _("Source")], rows)
    page.h(3, escape(_("Other costs")))
    rows = [[page.t(p.label), escape(price_text(p, locale)), page.cite(p.sourced)] for p in destination.other_costs]
    page.table([_("What"), _("Amount"), _("Source")], rows)
    page.h(3, escape(_("Logistics")))
    page.notes(destination.logistics)
    centres = pack.centres_in(destination.code)
    if centres:
        page.h(3, escape(_("Treating centres")))
        rows = []
        for c in centres:
            contact = escape(c.international)
            if c.url:
                contact += f'<br><a href="{escape(c.url)}">{escape(c.url)}</a>'
            rows.append(
                [
                    f"<b>{escape(c.name)}</b>" + (f"<br><small>{page.t(c.note)}</small>" if c.note else ""),
                    page.t(c.city),
                    contact,
                    escape(", ".join(c.accreditation) or "—"),
                    page.cite(c.sourced),
                ]
            )
        page.table([_("Centre"), _("City"), _("International office"), _("Accreditation"), _("Source")], rows)
    rules = pack.visa_rules(destination.code)
    if rules:
        page.h(3, escape(_("Visa, by nationality")))
        rows = [
            [page.t(r.group), page.t(r.patient), page.t(r.companion), page.cite(r.sourced)]
            for r in sorted(rules, key=lambda r: not r.nationalities)
        ]
        page.table([_("Nationality"), _("Patient"), _("Companion"), _("Source")], rows)
    return page.html()


def source_page(pack: Pack, source: Source, locale: str, palette: Palette = Palette()) -> str:
    page = Page(pack, locale, palette)
    page.h(2, escape(source.title))
    date = _("undated") if source.date == "undated" else format_partial_date(source.date, locale)
    page.p(f"{escape(source.publisher)} · {escape(date)}")
    if source.read_on:
        page.muted(escape(_("Read on {date}").format(date=format_partial_date(source.read_on, locale))))
    if source.citation:
        page.p(escape(source.citation))
    if source.url:
        page.p(f'<a href="{escape(source.url)}">{escape(source.url)}</a>')
    if source.note:
        page.muted(page.t(source.note))
    page.muted(escape(_("Links open in your browser when a network is available; the app itself never needs one.")))
    return page.html()
