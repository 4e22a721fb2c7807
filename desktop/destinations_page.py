"""Destinations: the comparison table of every country, sortable, with the selected country's details."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QSortFilterProxyModel, Qt, QUrl, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop import detail_html
from desktop.destinations_model import CODE_ROLE, SORT_ROLE, DestinationsModel
from desktop.library_page import page_palette
from planning.i18n import _
from planning.knowledge.models import Pack


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
        self.table.setAccessibleName(_("Destination comparison"))
        self.table.selectionModel().selectionChanged.connect(self._selected)
        note = QLabel(
            _(
                "Package costs are the source overview's figures (USD); drug list prices are in each country's "
                "currency and exclude hospital costs. Click a source to see where a number comes from."
            ),
            self,
        )
        note.setWordWrap(True)
        note.setObjectName("destinationsNote")
        self.detail = QTextBrowser(self)
        self.detail.setObjectName("destinationDetail")
        self.detail.setOpenLinks(False)
        self.detail.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.detail.anchorClicked.connect(self._link)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        top = QWidget(splitter)
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.table)
        top_layout.addWidget(note)
        splitter.addWidget(top)
        splitter.addWidget(self.detail)
        splitter.setSizes([260, 440])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

    def set_pack(self, pack: Pack) -> None:
        self.pack = pack
        self.model.set_pack(pack)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        if self.proxy.rowCount():
            self.table.selectRow(0)

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
