"""Destinations: the comparison table of every country, sortable, with the selected country's details."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelection, QRect, QSortFilterProxyModel, Qt, QUrl, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.library import detail_html
from desktop.library.destinations_model import (
    CODE_ROLE,
    DESTINATION_COLUMNS_BY_PRIORITY,
    SORT_ROLE,
    DestinationsModel,
)
from desktop.library.page import page_palette
from desktop.shared.charts import BAR, MARKER, RangeChart, RangeRow
from desktop.shared.column_fit import fit_columns
from desktop.shared.widgets import fit_header
from planning.i18n import _, format_money
from planning.knowledge.models import Pack, Rate, pick
from planning.money import RateTable, reachable_currencies


class DestinationsPage(QWidget):
    source_requested = Signal(str)

    def __init__(self, locale: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("destinationsPage")
        self.locale = locale
        self.pack: Pack | None = None
        self.model = DestinationsModel(locale, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView(self)
        self.table.setObjectName("destinationsTable")
        self.table.setTabKeyNavigation(False)  # arrows move between cells; Tab leaves the table
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        fit_header(self.table.horizontalHeader())  # the stretched last column no narrower than its title
        fit_columns(self.table, DESTINATION_COLUMNS_BY_PRIORITY, wrap=True)  # no horizontal scrolling
        self.table.setAccessibleName(_("Destination comparison"))
        self.table.selectionModel().selectionChanged.connect(self._selected)
        self.currency = QComboBox(self)
        self.currency.setObjectName("destinationsCurrency")
        self.currency.addItem(_("As published (each country's currency)"), None)
        self.currency.currentIndexChanged.connect(self._currency_changed)
        self.chart = RangeChart(self)
        self.chart.setObjectName("destinationsChart")
        note = QLabel(
            _(
                "Package costs are the source overview's figures (USD); drug list prices are in each country's "
                "currency and exclude hospital costs. Click a source to see where a number comes from."
            ),
            self,
        )
        note.setWordWrap(True)
        note.setObjectName("destinationsNote")
        self.note = note
        note.installEventFilter(self)
        self.detail = QTextBrowser(self)
        self.detail.setObjectName("destinationDetail")
        self.detail.setOpenLinks(False)
        self.detail.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.detail.anchorClicked.connect(self._link)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        top = QWidget(splitter)
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        currency_row = QHBoxLayout()
        currency_label = QLabel(_("&Show amounts in"), top)
        currency_label.setBuddy(self.currency)
        currency_row.addWidget(currency_label)
        currency_row.addWidget(self.currency)
        currency_row.addStretch(1)
        top_layout.addLayout(currency_row)
        top_layout.addWidget(self.table)
        top_layout.addWidget(note)
        top_layout.addWidget(self.chart)
        splitter.addWidget(top)
        splitter.addWidget(self.detail)
        splitter.setSizes([470, 330])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

    def set_pack(self, pack: Pack, rates: list[Rate] | None = None) -> None:
        self.pack = pack
        self.rates = RateTable.of(rates if rates is not None else pack.rates)
        chosen = self.currency.currentData()
        self.currency.blockSignals(True)
        while self.currency.count() > 1:
            self.currency.removeItem(1)
        for code in sorted(reachable_currencies(self.rates.rates, "USD")):  # package figures are in USD
            self.currency.addItem(code, code)
        self.currency.setCurrentIndex(max(self.currency.findData(chosen or "USD"), 0))
        self.currency.blockSignals(False)
        self.model.set_pack(pack)
        self._currency_changed()
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        if self.proxy.rowCount():
            self.table.selectRow(0)

    def _fit_note(self) -> None:
        """The note under the table keeps the height of its wrapped lines, so that the splitter above the
        details never cuts the chart's legend (a word-wrapped label asks for one line only)."""
        if self.note.width() > 50:  # measured by the font (QLabel's own answer includes its minimum height)
            flags = int(Qt.TextFlag.TextWordWrap)
            text = self.note.fontMetrics().boundingRect(QRect(0, 0, self.note.width(), 10_000), flags, self.note.text())
            height = text.height() + 2
            if height != self.note.minimumHeight():
                self.note.setMinimumHeight(height)

    def eventFilter(self, watched, event) -> bool:
        if watched is self.note and event.type() == QEvent.Type.Resize:
            self._fit_note()
        return super().eventFilter(watched, event)

    def _currency_changed(self, _index: int | None = None) -> None:
        currency = self.currency.currentData()
        self.model.set_currency(currency, self.rates if currency else None)
        if currency:
            self.note.setText(
                _(
                    "Package costs (the source overview's figures) and drug list prices (drug only, hospital costs "
                    "extra) converted to {currency} at the knowledge pack's exchange rates. Click a country for its "
                    "sources."
                ).format(currency=currency)
            )
        else:
            self.note.setText(
                _(
                    "Package costs are the source overview's figures (USD); drug list prices are in each country's "
                    "currency and exclude hospital costs. Click a country for its sources."
                )
            )
        self._fit_note()
        rows = self.proxy.rowCount()
        self.table.resizeRowsToContents()
        height = self.table.horizontalHeader().height() + sum(self.table.rowHeight(r) for r in range(rows))
        self.table.setMinimumHeight(height + 2 * self.table.frameWidth() + 2)
        self._draw_chart()
        if self.pack is not None and self.selected_code() is None and self.proxy.rowCount():
            self.table.selectRow(0)

    def _draw_chart(self) -> None:
        """Drug list price ranges on one scale (needs one currency), with the package figure marked."""
        if self.pack is None:
            return
        currency = self.model.currency
        if currency is None:
            self.chart.set_rows([])
            self.chart.hide()
            return
        rows = []
        for destination in self.pack.destinations:
            span = self.model.price_range(destination)
            package, _currency = self.model.convert(destination.overview.package_cost_usd, "USD")
            name = pick(destination.name, self.locale)
            if span is None:
                rows.append(
                    RangeRow(
                        name,
                        None,
                        None,
                        _("no list price recorded"),
                        package,
                        _("package figure {amount}").format(amount=format_money(package, currency, self.locale)),
                    )
                )
                continue
            low, high, _c = span
            text = format_money(low, currency, self.locale)
            if high != low:
                text += f" – {format_money(high, currency, self.locale)}"
            rows.append(
                RangeRow(
                    name,
                    low,
                    high,
                    _("list price {range}").format(range=text),
                    package,
                    _("dotted: package figure {amount}").format(amount=format_money(package, currency, self.locale)),
                )
            )
        legend = [
            (BAR, _("List price range, drug only")),
            (MARKER, _("Dotted: package figure from the source overview")),
        ]
        self.chart.set_rows(rows, money=lambda amount: format_money(amount, currency, self.locale), legend=legend)
        self.chart.show()

    def show_country(self, code: str) -> bool:
        for row in range(self.proxy.rowCount()):
            if self.proxy.index(row, 0).data(CODE_ROLE) == code:
                self.table.selectRow(row)
                return True
        return False

    def selected_code(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].data(CODE_ROLE) if rows else None

    def _selected(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        code = self.selected_code()
        if self.pack is None or code is None:
            return
        destination = next(d for d in self.pack.destinations if d.code == code)
        self.detail.setHtml(detail_html.destination_page(self.pack, destination, self.locale, page_palette(self)))

    def _link(self, url: QUrl) -> None:
        kind, _sep, ref = url.toString().partition(":")
        if kind == "source":
            self.source_requested.emit(ref)
