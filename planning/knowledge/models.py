"""Read-models of the knowledge pack: frozen dataclasses built from the pack's JSON records.

Every fact keeps the id of its source and the date it is true as of. Texts are kept per locale and
resolved with :func:`pick`, which falls back to English.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

Text = Mapping[str, str]
"""A text per locale, e.g. ``{"en": "...", "zh_CN": "..."}``; English is always present."""


def locale_chain(locale: str) -> list[str]:
    """The locales to try for ``locale``, most specific first, English last: zh_CN -> zh_CN, zh, en."""
    chain: list[str] = []
    for candidate in (locale, locale.split("_")[0], "en"):
        if candidate and candidate not in chain:
            chain.append(candidate)
    return chain


def pick(text: Text | None, locale: str = "en") -> str:
    """The text in ``locale``, else in its language, else English; "" for no text."""
    if not text:
        return ""
    for candidate in locale_chain(locale):
        if candidate in text:
            return text[candidate]
    return next(iter(text.values()))


def has_locale(text: Text | None, locale: str) -> bool:
    """True when ``text`` has its own wording in ``locale`` (not the English fallback)."""
    if not text:
        return False
    return any(c in text for c in locale_chain(locale)[:-1])


@dataclass(frozen=True)
class Sourced:
    """Where a fact comes from and the date it is true as of."""

    source: str
    as_of: str
    unverified: bool = False
    """A claim the pack could not confirm: shown as the source's claim, never as fact."""
    estimate: bool = False
    """An estimate, not a measured or published figure (``basis`` says what it rests on)."""
    basis: Text = field(default_factory=dict, compare=False)
    """What an estimate rests on, or what a figure is and is not (a hospital's own cost, a launch price)."""


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    publisher: str
    date: str
    citation: str = ""
    url: str = ""
    note: Text = field(default_factory=dict)
    read_on: str = ""
    """The day the source was read (``date`` is the source's own date, or "undated")."""
    kind: str = ""


@dataclass(frozen=True)
class Range:
    low: float
    high: float


@dataclass(frozen=True)
class LabelPath:
    """One way to meet a label: every condition given here must hold (None or empty: not asked)."""

    min_prior_lines: int | None = None
    disease_status: tuple[str, ...] = ()
    """The disease must be one of these (relapsed, refractory)."""
    min_relapse_count: int | None = None
    relapse_within_months: float | None = None
    """Relapse or progression at most this many months after the most recent line of therapy."""
    prior_classes_all: tuple[str, ...] = ()
    prior_classes_any: tuple[str, ...] = ()
    refractory_to_any: tuple[str, ...] = ()
    after_allo_sct: bool = False
    transplant_ineligible: bool = False


@dataclass(frozen=True)
class Approval:
    """An approval of a product for an indication in a region, with its label's conditions as data."""

    agency: str
    region: str
    date: str
    indication: str
    line: Text
    wording: Text
    sourced: Sourced
    min_prior_lines: int | None = None
    age_min: int | None = None
    age_max: int | None = None
    pathway: str = "full"
    subtypes: tuple[str, ...] = ()
    """The subtypes of the indication the label covers (empty: all)."""
    biomarkers: tuple[tuple[str, str], ...] = ()
    """Required test results: (cldn18_2, positive), (her2, negative)."""
    paths: tuple[LabelPath, ...] = ()
    """Alternatives (any one suffices); empty: nothing beyond the conditions above."""


@dataclass(frozen=True)
class Note:
    """A sourced statement, optionally about a topic and a span of days."""

    text: Text
    sourced: Sourced
    topic: str = ""
    days: Range | None = None


@dataclass(frozen=True)
class Therapy:
    id: str
    generic_name: str
    short_name: str
    brand_names: tuple[tuple[str, str], ...]
    maker: str
    target: str
    summary: Text
    sourced: Sourced
    approvals: tuple[Approval, ...]
    boxed_warnings: tuple[Note, ...]
    logistics: tuple[Note, ...]

    @property
    def brands(self) -> str:
        """Brand names with their region where it differs: "Yescarta; Yikaida (CN)"."""
        return "; ".join(f"{name} ({region})" if region else name for name, region in self.brand_names)

    def regions_for(self, indication: str) -> list[str]:
        """Regions where this product is approved for ``indication``, in first-approval order."""
        regions: list[str] = []
        for approval in sorted(self.approvals, key=lambda a: a.date):
            if approval.indication == indication and approval.region not in regions:
                regions.append(approval.region)
        return regions


@dataclass(frozen=True)
class Subtype:
    code: str
    name: Text


@dataclass(frozen=True)
class Indication:
    code: str
    name: Text
    category: str
    status: str
    description: Text
    sourced: Sourced
    aliases: tuple[str, ...] = ()
    research_notes: tuple[Note, ...] = ()
    subtypes: tuple[Subtype, ...] = ()
    asks: tuple[str, ...] = ()
    """Treatment-history fields the labels of this indication turn on (shown first in the form)."""


@dataclass(frozen=True)
class Condition:
    field: str
    operator: str
    value: Any = None


@dataclass(frozen=True)
class Criterion:
    id: str
    label: Text
    kind: str
    """label (a condition of the approval), exclusion (firm, shared by guidance) or trial (a typical
    threshold of the product's pivotal trial)."""
    conditions: tuple[Condition, ...]
    """One condition, or several of which any one suffices."""
    indications: tuple[str, ...]
    therapies: tuple[str, ...]
    regions: tuple[str, ...]
    detail: Text
    sourced: Sourced
    excludes: bool = False
    """The conditions describe what rules out (an exclusion), not what must hold."""
    temporary: bool = False
    """An exclusion that lasts until it is resolved (an infection)."""

    @property
    def typical(self) -> bool:
        return self.kind == "trial"


@dataclass(frozen=True)
class Price:
    label: Text
    amount: Decimal
    currency: str
    year: str
    sourced: Sourced
    amount_high: Decimal | None = None
    therapy: str = ""
    indication: str = ""
    excludes_hospital: bool = False
    topic: str = ""

    @property
    def high(self) -> Decimal:
        return self.amount_high if self.amount_high is not None else self.amount


@dataclass(frozen=True)
class Overview:
    """One row of the source overview's country comparison table, every column."""

    package_cost_usd: Decimal
    hospital_stay_weeks: Range
    local_biotech: str
    waiting_months: Range
    insurance: str
    research: str
    sourced: Sourced
    package_cost_note: Text = field(default_factory=dict)
    insurance_note: Text = field(default_factory=dict)


@dataclass(frozen=True)
class Destination:
    code: str
    name: Text
    overview: Overview
    list_prices: tuple[Price, ...]
    other_costs: tuple[Price, ...]
    logistics: tuple[Note, ...]

    def logistics_on(self, topic: str) -> list[Note]:
        return [note for note in self.logistics if note.topic == topic]


@dataclass(frozen=True)
class Faq:
    id: str
    question: Text
    answer: Text
    sourced: Sourced
    related: tuple[str, ...] = ()


@dataclass(frozen=True)
class DrugClass:
    """A class of drugs that criteria ask about, with the names coordinators type for its members."""

    id: str
    label: Text
    names: tuple[str, ...]
    sourced: Sourced


@dataclass(frozen=True)
class Regimen:
    """A named combination (VRd, R-CHOP) and the drug classes in it."""

    name: str
    aliases: tuple[str, ...]
    components: str
    classes: tuple[str, ...]
    sourced: Sourced


@dataclass(frozen=True)
class Rate:
    """1 ``base`` = ``rate`` ``quote``, as of a date, from a source."""

    base: str
    quote: str
    rate: Decimal
    sourced: Sourced
    outdated: bool = False
    fixed: bool = False
    """A currency peg: the rate on any day, never stale (its as-of date is when the peg was last confirmed)."""


@dataclass(frozen=True)
class CostDefault:
    """One assumption of the estimate for a destination: sourced, or a coordinator-editable estimate."""

    country: str
    item: str
    low: Decimal
    high: Decimal
    currency: str
    label: Text
    estimate: bool
    sourced: Sourced


@dataclass(frozen=True)
class JourneyPoint:
    """One sourced point of the practical journey, for some indications or destinations (empty: all)."""

    id: str
    text: Text
    sourced: Sourced
    indications: tuple[str, ...] = ()
    destinations: tuple[str, ...] = ()

    def applies(self, indication: str | None = None, destinations: tuple[str, ...] | list[str] = ()) -> bool:
        """True when the point holds for ``indication`` and one of ``destinations`` (None/empty: any)."""
        if indication and self.indications and indication not in self.indications and "*" not in self.indications:
            return False
        return not (destinations and self.destinations and not set(destinations) & set(self.destinations))


@dataclass(frozen=True)
class JourneyTopic:
    """A topic of the journey a coordinator explains: the caregiver, the referral papers, money, ..."""

    id: str
    kind: str
    title: Text
    points: tuple[JourneyPoint, ...]
    intro: Text = field(default_factory=dict)


JOURNEY_KINDS = ("caregiver", "referral", "financial", "bridging", "efficacy", "after_return", "fly_home", "trials")
"""The journey's topics, in the order a call goes through them."""


@dataclass(frozen=True)
class Centre:
    """A treating centre of a destination, with its international office and accreditation."""

    id: str
    name: str
    city: Text
    country: str
    international: str
    accreditation: tuple[str, ...]
    sourced: Sourced
    url: str = ""
    note: Text = field(default_factory=dict)


@dataclass(frozen=True)
class VisaRule:
    """What a patient and a companion of a group of nationalities need to enter a destination."""

    id: str
    destination: str
    group: Text
    nationalities: tuple[str, ...]
    """ISO country codes; empty: every nationality no other rule of the destination names."""
    patient: Text
    companion: Text
    sourced: Sourced


@dataclass(frozen=True)
class GlossaryTerm:
    id: str
    term: Text
    meaning: Text
    sourced: Sourced


@dataclass(frozen=True)
class PackInfo:
    version: str
    as_of: str
    title: Text
    locales: tuple[str, ...]
    recheck_months: int = 18
    """Facts older than this many months are listed in the Library to re-check."""

    @property
    def version_key(self) -> tuple[int, ...]:
        return version_key(self.version)


def version_key(version: str) -> tuple[int, ...]:
    """A pack version as numbers for comparison: "2026.11.1" -> (2026, 11, 1)."""
    return tuple(int(part) for part in version.split("."))


@dataclass(frozen=True)
class Pack:
    """A whole, validated knowledge pack."""

    info: PackInfo
    sources: Mapping[str, Source]
    therapies: tuple[Therapy, ...]
    indications: tuple[Indication, ...]
    criteria: tuple[Criterion, ...]
    destinations: tuple[Destination, ...]
    faqs: tuple[Faq, ...]
    drug_classes: tuple[DrugClass, ...] = ()
    regimens: tuple[Regimen, ...] = ()
    rates: tuple[Rate, ...] = ()
    cost_defaults: tuple[CostDefault, ...] = ()
    journey: tuple[JourneyTopic, ...] = ()
    centres: tuple[Centre, ...] = ()
    visas: tuple[VisaRule, ...] = ()
    glossary: tuple[GlossaryTerm, ...] = ()
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)
    """The JSON documents the pack was read from, by kind (pack, sources, therapies, ...)."""

    def therapy(self, therapy_id: str) -> Therapy | None:
        return next((t for t in self.therapies if t.id == therapy_id), None)

    def indication(self, code: str) -> Indication | None:
        return next((i for i in self.indications if i.code == code), None)

    def destination(self, code: str) -> Destination | None:
        return next((d for d in self.destinations if d.code == code), None)

    def cost_default(self, country: str, item: str) -> CostDefault | None:
        return next((c for c in self.cost_defaults if c.country == country and c.item == item), None)

    def journey_topic(self, kind: str) -> JourneyTopic | None:
        return next((t for t in self.journey if t.kind == kind), None)

    def journey_points(
        self, kind: str, indication: str | None = None, destinations: tuple[str, ...] | list[str] = ()
    ) -> list[JourneyPoint]:
        """The points of the ``kind`` topic that hold for ``indication`` and ``destinations``."""
        return [p for t in self.journey if t.kind == kind for p in t.points if p.applies(indication, destinations)]

    def centres_in(self, country: str) -> list[Centre]:
        return [c for c in self.centres if c.country == country]

    def visa_rules(self, destination: str) -> list[VisaRule]:
        return [v for v in self.visas if v.destination == destination]

    def visa_rule(self, destination: str, nationality: str | None) -> VisaRule | None:
        """The rule for a patient of ``nationality`` (ISO code) entering ``destination``: the group naming
        the nationality, else the destination's rule for everyone else; None without a rule."""
        rules = self.visa_rules(destination)
        code = (nationality or "").upper()
        named = next((r for r in rules if code and code in r.nationalities), None)
        return named or next((r for r in rules if not r.nationalities), None)
