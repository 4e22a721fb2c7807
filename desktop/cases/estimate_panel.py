"""The Estimate panel of a case: destinations side by side in the patient's currency, with the journey."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.shared.charts import BAR, MARKER, RangeChart, RangeRow, Segment, TimelineChart
from desktop.shared.plain import plain
from desktop.shared.scrolling import fill_with_scrolling
from planning.eligibility import Screening
from planning.estimate import BUDGET_FIT_WORDS, REGIONS_OF, Estimate, Option
from planning.i18n import N_, _, format_money, format_number, format_partial_date, isolate
from planning.knowledge.models import Pack, pick
from planning.plan_sections import STALE_RATE_DAYS, STALE_VALIDITY_DAYS, T_STALE_RATES, stale_rates_age

T_TIME_AWAY_FROM_HOME_STEP_BY_STEP = N_("Time away from home, step by step")
T_TOTAL_LOW_TO_HIGH = N_("Total, low to high")


ROWS = (
    ("therapy", N_("Therapy")),
    ("hospital_non_drug", N_("Hospital care outside the drug")),
    ("evaluation", N_("Pre-treatment evaluation")),
    ("stay", N_("Accommodation and meals")),
    ("flights", N_("Flights")),
    ("visa", N_("Visas")),
    ("interpreter", N_("Interpreter and coordination")),
    ("contingency", N_("Contingency")),
)
VERDICT_RANK = {"candidate": 0, "needs_information": 1, "centre_review": 2, "not_eligible": 3}
NOT_APPROVED_RANK = len(VERDICT_RANK)
"""The rank of a product not approved in the destination's regions (after every verdict)."""
T_PRICE_NOT_RECORDED = N_("price not recorded — ask the centre for a quote")


def flights_label(options: list[Option]) -> str:
    """The flights row's title: where the patient flies from, when every flights line says the same region."""
    origins = {i.origin for o in options for i in o.items if i.key == "flights" and i.origin}
    if len(origins) == 1:
        return _("Flights from {region}").format(region=origins.pop())
    return _("Flights")


def whole(amount: Decimal, currency: str, locale: str) -> str:
    """An estimate's amount without cents: estimates are ranges, not invoices."""
    return format_money(amount.quantize(Decimal(1)), currency, locale)


def span(low: Decimal, high: Decimal, currency: str, locale: str) -> str:
    if low == high:
        return whole(low, currency, locale)
    return f"{whole(low, currency, locale)} – {whole(high, currency, locale)}"


def bare(low: Decimal, high: Decimal, locale: str) -> str:
    """A range without the currency (the table's heading names it): 125,756–155,156."""
    low_text, high_text = (
        format_number(low.quantize(Decimal(1)), locale),
        format_number(high.quantize(Decimal(1)), locale),
    )
    return low_text if low == high else f"{low_text}–{high_text}"


def total_text(option: Option, locale: str, currency: str | None = None) -> str:
    """An option's total: a range, or "from {low} + drug" when a drug line has no recorded price."""
    if currency is None:
        amount = bare(option.total_low, option.total_high, locale)
        floor = format_number(option.total_low.quantize(Decimal(1)), locale)
    else:
        amount = span(option.total_low, option.total_high, currency, locale)
        floor = whole(option.total_low, currency, locale)
    return _("from {low} + drug").format(low=floor) if option.total_open else amount


def preferred(options: list[Option], screening: Screening | None) -> Option:
    """The option to show for a destination: the best screening verdict there, then a known total, then the lowest."""
    verdicts = {r.therapy: r.regions for r in screening.results} if screening else {}

    def rank(option: Option) -> tuple:
        regions = verdicts.get(option.therapy or "", {})
        covering = REGIONS_OF.get(option.country, {option.country}) | ({"EU"} if option.country == "GB" else set())
        here = [v for r, v in regions.items() if r in covering]
        best = min((VERDICT_RANK.get(v, NOT_APPROVED_RANK) for v in here), default=NOT_APPROVED_RANK)
        # at the same verdict a whole price first: an open total (no drug price) only looks cheapest
        return (not option.available, best, option.total_open, option.total_low)

    return min(options, key=rank)


REASON_EMS = 30
"""How wide, in the font's average characters, a destination's "no product fits" reason may be in the table."""


class EstimatePanel(QWidget):
    def __init__(self, pack: Pack, locale: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("estimatePanel")
        self.pack, self.locale = pack, locale
        self.estimate: Estimate | None = None
        self.shown: list[Option] = []
        self._row_labels: list[str] = []
        self._column_labels: list[str] = []
        self.today: Callable[[], date] = date.today
        """The day the rates' age is counted to (the plan's date when it is made now)."""
        self.heading = QLabel(self)
        self.heading.setObjectName("estimateHeading")
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.stale_rates = QLabel(self)
        """For the coordinator: the rates are too old to quote with (the patient's plan says what it means)."""
        self.stale_rates.setObjectName("estimateStaleRates")
        self.stale_rates.setWordWrap(True)
        self.stale_rates.setTextFormat(Qt.TextFormat.PlainText)
        bold = self.stale_rates.font()
        bold.setBold(True)
        self.stale_rates.setFont(bold)
        self.stale_rates.hide()
        self.table = QTableWidget(self)
        self.table.setObjectName("estimateTable")
        self.table.setTabKeyNavigation(False)  # arrows move between cells; Tab leaves the table
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)  # only a "no product fits" reason is long enough to wrap (_fit_reasons)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.totals_chart = RangeChart(self)
        self.totals_chart.setObjectName("estimateChart")
        self.timeline_chart = TimelineChart(self)
        self.timeline_chart.setObjectName("timelineChart")
        self.notes = QLabel(self)
        self.notes.setObjectName("estimateNotes")
        self.notes.setWordWrap(True)
        self.notes.setTextFormat(Qt.TextFormat.PlainText)
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.addWidget(self.heading)
        layout.addWidget(self.stale_rates)
        layout.addWidget(self.table)
        layout.addWidget(QLabel(f"<b>{escape(_(T_TOTAL_LOW_TO_HIGH))}</b>", body))
        layout.addWidget(self.totals_chart)
        layout.addWidget(QLabel(f"<b>{escape(_(T_TIME_AWAY_FROM_HOME_STEP_BY_STEP))}</b>", body))
        layout.addWidget(self.timeline_chart)
        layout.addWidget(self.notes)
        layout.addStretch(1)
        fill_with_scrolling(self, body)

    def _fit_reasons(self) -> None:
        """Columns as wide as their contents, but a destination's "no product fits" reason wraps within
        REASON_EMS average characters: a long reason never pushes the destinations that fit out of sight."""
        table, header = self.table, self.table.horizontalHeader()
        cap = table.fontMetrics().averageCharWidth() * REASON_EMS
        for column in range(table.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        table.resizeColumnsToContents()
        for column, option in enumerate(self.shown):
            if not option.available and table.columnWidth(column) > cap:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
                table.setColumnWidth(column, cap)
        table.resizeRowsToContents()

    def show_estimate(self, estimate: Estimate, screening: Screening | None, budget: Decimal | None) -> None:
        self.estimate = estimate
        currency, loc = estimate.currency, self.locale
        by_country: dict[str, list[Option]] = {}
        for option in estimate.options:
            by_country.setdefault(option.country, []).append(option)
        self.shown = [preferred(options, screening) for options in by_country.values()]

        rates = ", ".join(
            f"1 {r.base} = {r.rate} {r.quote} ({format_partial_date(r.sourced.as_of, loc)})"
            for r in estimate.rates_used
        )
        as_of = format_partial_date(estimate.rates_as_of, loc) if estimate.rates_as_of else "—"
        self.heading.setText(
            _(
                "Amounts in {currency}, exchange rates as of {date} (hover for the rates). Ranges run from low to "
                "high; "
                "* marks a coordinator-editable estimate, not a sourced figure."
            ).format(currency=currency, date=as_of)
        )
        self.heading.setToolTip(plain(rates))
        age = stale_rates_age(estimate, self.today())
        self.stale_rates.setText(
            "⚠ " + _(T_STALE_RATES).format(date=isolate(as_of), days=STALE_RATE_DAYS, valid=STALE_VALIDITY_DAYS)
            if age is not None
            else ""
        )
        self.stale_rates.setVisible(age is not None)

        table = self.table
        table.clearContents()  # the header items stay: they are set again only when they change
        table.setColumnCount(len(self.shown))
        labels = [flights_label(self.shown) if key == "flights" else _(label) for key, label in ROWS] + [
            _("Total"),
            _("Budget"),
            _("Time away"),
            _("Package figure (not in the total)"),
        ]
        table.setRowCount(len(labels))
        if labels != self._row_labels:  # Qt rebuilds every header item: only when they change
            table.setVerticalHeaderLabels(labels)
            self._row_labels = labels
        headers = []
        for column, option in enumerate(self.shown):
            destination = self.pack.destination(option.country)
            name = pick(destination.name, loc) if destination else option.country
            therapy = self.pack.therapy(option.therapy) if option.therapy else None
            headers.append(f"{name}\n{therapy.short_name}" if therapy else name)
            others = [o for o in by_country[option.country] if o is not option and o.available]
            if not option.available:
                cell = QTableWidgetItem(option.reason)
                cell.setToolTip(plain(option.reason))
                table.setItem(0, column, cell)
            items = {i.key: i for i in option.items}
            for row, (key, _label) in enumerate(ROWS):
                item = items.get(key)
                if item is None:
                    continue
                if item.unpriced:  # no amount to show: never a 0 that reads as free
                    text = _(T_PRICE_NOT_RECORDED)
                else:
                    text = bare(item.low, item.high, loc) + (" *" if item.estimate else "")
                cell = QTableWidgetItem(text)
                source = self.pack.sources.get(item.source or "")
                cell.setToolTip(
                    plain(f"{item.label}\n{item.basis}" + ("\n" + _("Source") + f": {source.title}" if source else ""))
                )
                cell.setTextAlignment(
                    (Qt.AlignmentFlag.AlignLeft if item.unpriced else Qt.AlignmentFlag.AlignRight)
                    | Qt.AlignmentFlag.AlignVCenter
                )
                table.setItem(row, column, cell)
            base = len(ROWS)
            if option.available:
                total = QTableWidgetItem(total_text(option, loc))
                font = total.font()
                font.setBold(True)
                total.setFont(font)
                total.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if others:
                    total.setToolTip(
                        plain(
                            _("Other products here: {list}").format(
                                list="; ".join(
                                    f"{self.pack.therapy(o.therapy).short_name}: {total_text(o, loc, currency)}"
                                    for o in others
                                )
                            )
                        )
                    )
                table.setItem(base, column, total)
                if option.budget_fit:
                    fit_text = _(BUDGET_FIT_WORDS[option.budget_fit])
                elif budget is not None and option.total_open:
                    fit_text = _("Not known until the drug is priced")
                else:
                    fit_text = _("No budget given")
                fit = QTableWidgetItem(fit_text)
                table.setItem(base + 1, column, fit)
                low, high = option.away_days
                table.setItem(base + 2, column, QTableWidgetItem(_("{low}–{high} days").format(low=low, high=high)))
            for alternative in option.alternatives:
                cell = QTableWidgetItem(bare(alternative.low, alternative.high, loc))
                cell.setToolTip(plain(alternative.basis))
                cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                table.setItem(base + 3, column, cell)
        if headers != self._column_labels:
            table.setHorizontalHeaderLabels(headers)
            self._column_labels = headers
        self._fit_reasons()
        header = table.horizontalHeader()
        header_height = max(header.sizeHint().height(), header.height())
        scrollbar = table.horizontalScrollBar().sizeHint().height()
        height = header_height + table.verticalHeader().length() + 2 * table.frameWidth() + scrollbar + 2
        table.setFixedHeight(height)

        rows = []
        for option, header in zip(self.shown, headers, strict=True):
            label = header.replace("\n", " · ")
            if option.available and option.total_open:  # a floor, not a range: a tick where it starts, no bar
                rows.append(RangeRow(label, None, None, total_text(option, loc, currency), marker=option.total_low))
            elif option.available:
                rows.append(
                    RangeRow(
                        label,
                        option.total_low,
                        option.total_high,
                        total_text(option, loc, currency),
                    )
                )
            else:
                rows.append(RangeRow(label, None, None, option.reason))
        reference_text = _("Budget: {amount}").format(amount=whole(budget, currency, loc)) if budget else ""
        legend = [(BAR, _("Total cost, low to high"))]
        if any(r.marker is not None for r in rows):
            legend.append((MARKER, _("Dotted: the total so far, where a price is not recorded")))
        self.totals_chart.set_rows(
            rows, budget, reference_text, money=lambda amount: whole(amount, currency, loc), legend=legend
        )
        timelines = []
        for option, header in zip(self.shown, headers, strict=True):
            if option.available:
                low, high = option.away_days
                segments = [Segment(step.label, step.low_days, step.high_days) for step in option.timeline if step.away]
                timelines.append(
                    (
                        header.replace("\n", " · "),
                        segments,
                        _("{low}–{high} days away from home").format(low=low, high=high),
                    )
                )
        self.timeline_chart.set_rows(timelines)
        insurance = [o.insurance_note for o in self.shown if o.insurance_note]
        notes = [*estimate.notes, *estimate.coordinator_notes, *insurance]
        self.notes.setText("\n".join(f"• {n}" for n in dict.fromkeys(notes)))
