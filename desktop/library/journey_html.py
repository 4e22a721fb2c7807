"""Library pages for the practical journey (one per topic) and the facts to re-check.

Pure functions from the pack to HTML for QTextBrowser, in the style of :mod:`desktop.library.detail_html`.
"""

from __future__ import annotations

from datetime import date
from html import escape

from desktop.library.detail_html import Page, Palette, region_name
from planning.i18n import N_, _, format_partial_date
from planning.knowledge.audit import to_recheck
from planning.knowledge.models import JourneyTopic, Pack, pick

DEFAULT_PALETTE = Palette()
T_RECHECK = N_("To re-check")
T_RECHECK_INTRO = N_(
    "Facts true as of more than {months} months ago. Check each against its source (or a newer one) before "
    "quoting it; the knowledge pack's next update replaces them."
)


def journey_page(pack: Pack, topic: JourneyTopic, locale: str, palette: Palette = DEFAULT_PALETTE) -> str:
    page = Page(pack, locale, palette)
    page.h(2, page.t(topic.title))
    if topic.intro:
        page.p(page.t(topic.intro))
    general = [p for p in topic.points if not p.indications and not p.destinations]
    scoped = [p for p in topic.points if p.indications or p.destinations]
    items = [f"<li>{page.t(p.text)} {page.cite(p.sourced)}</li>" for p in general]
    for point in scoped:
        scope = [page.t(i.name) for code in point.indications if (i := pack.indication(code))]
        scope += [escape(region_name(code, locale)) for code in point.destinations]
        items.append(f"<li><b>{' · '.join(scope)}:</b> {page.t(point.text)} {page.cite(point.sourced)}</li>")
    page.parts.append(f"<ul>{''.join(items)}</ul>")
    page.disclaimer()
    return page.html()


T_GLOSSARY = N_("Words used in plans")
T_GLOSSARY_INTRO = N_("The plan's glossary gives these words and meanings, one wording per language.")


def glossary_page(pack: Pack, locale: str, palette: Palette = DEFAULT_PALETTE) -> str:
    """Every word of the pack's glossary with its meaning and source, in the pack's order."""
    page = Page(pack, locale, palette)
    page.h(2, escape(_(T_GLOSSARY)))
    page.muted(escape(_(T_GLOSSARY_INTRO)))
    rows = [[f"<b>{page.t(g.term)}</b>", page.t(g.meaning), page.cite(g.sourced)] for g in pack.glossary]
    page.table([_("Word"), _("Meaning"), _("Source")], rows)
    return page.html()


def recheck_page(
    pack: Pack, locale: str, today: date, months: int | None = None, palette: Palette = DEFAULT_PALETTE
) -> str:
    """The facts true as of more than ``months`` months before ``today`` (None: the pack's own age)."""
    page = Page(pack, locale, palette)
    months = months or pack.info.recheck_months
    old = to_recheck(pack.raw, today, months)
    page.h(2, escape(_(T_RECHECK)) + f" ({len(old)})")
    page.muted(escape(_(T_RECHECK_INTRO).format(months=months)))
    rows = []
    for fact, age in old:
        source = pack.sources.get(fact.source)
        rows.append(
            [
                escape(fact.text[:140] + ("…" if len(fact.text) > 140 else "")),
                f"<small>{escape(fact.where)}</small>",
                escape(format_partial_date(fact.as_of, locale)),
                escape(_("{months} months").format(months=age)),
                f'<a href="source:{escape(fact.source)}">{escape(source.publisher if source else fact.source)}</a>',
            ]
        )
    page.table([_("Fact"), _("Where"), _("As of"), _("Age"), _("Source")], rows)
    return page.html()


def topic_label(topic: JourneyTopic, locale: str) -> str:
    return pick(topic.title, locale)
