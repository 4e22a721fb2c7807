"""The destinations comparison as a table model: one row per country, every column of the overview.

Column constants, display text localized, and a sort role with the numbers behind each cell, so the
table sorts by value, not by text. Tested without a window.
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from desktop.shared.plain import plain
from planning.i18n import N_, _, format_money, format_range
from planning.knowledge.models import Destination, Pack, pick
from planning.money import Money, RateTable, round_amount

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
CODE_ROLE = Qt.ItemDataRole.UserRole + 2

(
    COUNTRY,
    PACKAGE_COST,
    LIST_PRICES,
    HOSPITAL_STAY,
    WAITING,
    INSURANCE,
    BIOTECH,
    RESEARCH,
    STAY_NEAR,
    VEIN_TO_VEIN,
) = range(10)
DESTINATION_COLUMNS_BY_PRIORITY = (
    COUNTRY,
    LIST_PRICES,
    PACKAGE_COST,
    HOSPITAL_STAY,
    WAITING,
    INSURANCE,
    STAY_NEAR,
    VEIN_TO_VEIN,
    RESEARCH,
    BIOTECH,
)
"""The comparison's columns, most important first: a narrow table hides the last ones rather than scroll."""

HEADERS = {
    COUNTRY: N_("Country"),
    PACKAGE_COST: N_("Package cost"),
    LIST_PRICES: N_("Drug list price"),
    HOSPITAL_STAY: N_("Hospital stay"),
    WAITING: N_("Waiting"),
    INSURANCE: N_("Insurance"),
    BIOTECH: N_("Local biotech"),
    RESEARCH: N_("Research"),
    STAY_NEAR: N_("Stay near centre"),
    VEIN_TO_VEIN: N_("Vein-to-vein"),
}
HEADER_TIPS = {
    COUNTRY: N_("Destination country"),
    PACKAGE_COST: N_("Whole package cost in USD, as given by the source overview"),
    LIST_PRICES: N_("Lowest and highest recorded list price of the CAR-T drug alone, in the country's currency"),
    HOSPITAL_STAY: N_("Typical hospital stay (source overview)"),
    WAITING: N_("Average patient waiting time (source overview)"),
    INSURANCE: N_("Insurance coverage availability (source overview)"),
    BIOTECH: N_("Availability of local biotech firms (source overview)"),
    RESEARCH: N_("Current research and trials (source overview)"),
    STAY_NEAR: N_("How long patients stay near the treatment centre after the infusion"),
    VEIN_TO_VEIN: N_("Median time from cell collection to infusion"),
}

RATINGS = {"extensive": 5, "high": 4, "moderate": 3, "limited": 2, "low": 1, "none": 0}
RATING_LABELS = {
    "extensive": N_("Extensive"),
    "high": N_("High"),
    "moderate": N_("Moderate"),
    "limited": N_("Limited"),
    "low": N_("Low"),
    "none": N_("None"),
    "available": N_("Available"),
    "partial": N_("Partial"),
}
INSURANCE_ORDER = {"available": 3, "partial": 2, "limited": 1, "none": 0}


def _days(destination: Destination, topic: str) -> tuple[float, float] | None:
    spans = [n.days for n in destination.logistics_on(topic) if n.days]
    if not spans:
        return None
    return min(s.low for s in spans), max(s.high for s in spans)


def list_price_range(destination: Destination) -> tuple[Decimal, Decimal, str] | None:
    """The lowest and highest drug list price recorded for a country, in its own currency."""
    prices = [p for p in destination.list_prices if p.excludes_hospital]
    if not prices:
        return None
    currency = max({p.currency for p in prices}, key=lambda c: sum(p.currency == c for p in prices))
    same = [p for p in prices if p.currency == currency]
    return min(p.amount for p in same), max(p.high for p in same), currency


OVERVIEW_COLUMNS = (PACKAGE_COST, HOSPITAL_STAY, WAITING, INSURANCE, BIOTECH, RESEARCH)
"""The columns that come from the source overview."""
T_OVERVIEW_CLAIM = N_("A facilitator article's claim, not confirmed: ask the centre for its own figure.")


class DestinationsModel(QAbstractTableModel):
    def __init__(self, locale: str, parent=None):
        super().__init__(parent)
        self.locale = locale
        self.destinations: list[Destination] = []
        self.currency: str | None = None
        """None: amounts as published; else converted into this currency."""
        self.table: RateTable | None = None

    def set_currency(self, currency: str | None, table: RateTable | None) -> None:
        self.beginResetModel()
        self.currency, self.table = currency, table
        self.endResetModel()

    def convert(self, amount: Decimal, currency: str) -> tuple[Decimal, str]:
        """An amount in the chosen currency (rounded), or as published when none is chosen."""
        if self.currency is None or self.table is None:
            return amount, currency
        converted, _used = self.table.convert(Money(amount, currency), self.currency)
        return round_amount(converted.amount, self.currency).quantize(Decimal(1)), self.currency

    def price_range(self, d: Destination) -> tuple[Decimal, Decimal, str] | None:
        span = list_price_range(d)
        if span is None:
            return None
        low, high, currency = span
        (low, target), (high, _c) = self.convert(low, currency), self.convert(high, currency)
        return low, high, target

    def set_pack(self, pack: Pack) -> None:
        self.beginResetModel()
        self.destinations = list(pack.destinations)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self.destinations)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(HEADERS[section])
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            tip = _(HEADER_TIPS[section])
            if section in OVERVIEW_COLUMNS and any(d.overview.sourced.unverified for d in self.destinations):
                tip += "\n" + _(T_OVERVIEW_CLAIM)
            return tip
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        d = self.destinations[index.row()]
        column = index.column()
        if role == CODE_ROLE:
            return d.code
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(d, column)
        if role == SORT_ROLE:
            return self._sort_value(d, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (PACKAGE_COST, LIST_PRICES):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            claim = "\n" + _(T_OVERVIEW_CLAIM) if column in OVERVIEW_COLUMNS and d.overview.sourced.unverified else ""
            if column == PACKAGE_COST and d.overview.package_cost_note:
                return plain(pick(d.overview.package_cost_note, self.locale)) + claim
            return plain(self._text(d, column)) + claim
        return None

    def _text(self, d: Destination, column: int) -> str:
        o, loc = d.overview, self.locale
        if column == COUNTRY:
            return pick(d.name, loc)
        if column == PACKAGE_COST:
            return format_money(*self.convert(o.package_cost_usd, "USD"), loc)
        if column == LIST_PRICES:
            span = self.price_range(d)
            if span is None:
                return _("not recorded")
            low, high, currency = span
            text = format_money(low, currency, loc)
            return text if low == high else f"{text} –\n{format_money(high, currency, loc)}"
        if column == HOSPITAL_STAY:
            return _("{range} weeks").format(
                range=format_range(o.hospital_stay_weeks.low, o.hospital_stay_weeks.high, loc)
            )
        if column == WAITING:
            return _("{range} months").format(range=format_range(o.waiting_months.low, o.waiting_months.high, loc))
        if column == INSURANCE:
            return _(RATING_LABELS[o.insurance])
        if column == BIOTECH:
            return _(RATING_LABELS[o.local_biotech])
        if column == RESEARCH:
            return _(RATING_LABELS[o.research])
        topic = "stay_near_centre" if column == STAY_NEAR else "vein_to_vein"
        span = _days(d, topic)
        if span is None:
            return _("per centre") if column == STAY_NEAR else _("not recorded")
        return _("{range} days").format(range=format_range(span[0], span[1], loc))

    def _sort_value(self, d: Destination, column: int):
        o = d.overview
        if column == COUNTRY:
            return pick(d.name, self.locale)
        if column == PACKAGE_COST:
            return float(o.package_cost_usd)
        if column == LIST_PRICES:
            span = self.price_range(d)
            if span is None:
                return "~"
            if self.currency is None:  # each country's own currency: group by currency, then by amount
                return f"{span[2]} {float(span[0]):015.2f}"
            return f"{float(span[0]):020.2f}"
        if column == HOSPITAL_STAY:
            return (o.hospital_stay_weeks.low + o.hospital_stay_weeks.high) / 2
        if column == WAITING:
            return (o.waiting_months.low + o.waiting_months.high) / 2
        if column == INSURANCE:
            return INSURANCE_ORDER[o.insurance]
        if column == BIOTECH:
            return RATINGS[o.local_biotech]
        if column == RESEARCH:
            return RATINGS[o.research]
        span = _days(d, "stay_near_centre" if column == STAY_NEAR else "vein_to_vein")
        return span[0] if span else 9999.0
