"""A table's columns fitted to its width, so it never needs a horizontal scroll bar (1366x768 and up, in every
language): each column as wide as its contents while there is room; narrower than that, down to its title,
where its cells wrap; and when even the titles do not fit, the least important columns are hidden, the most
important always shown. Widen the table (the window, a splitter) and they come back."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, QRect, Qt, QTimer
from PySide6.QtWidgets import QHeaderView, QStyle, QStyleOptionHeader, QTableView
from shiboken6 import isValid

SETTLE_MS = 150
"""How long a table's rows stay the same before a new set of them is fitted (typing pauses longer)."""


class ColumnFit(QObject):
    """Keeps ``table``'s columns within its viewport (see the module). ``priority`` lists the columns most
    important first (others after, in order); ``wrap`` says the cells may wrap, so a column may be as narrow as
    its title; ``least`` is the narrowest the first column may be (its text is elided below its natural width)."""

    def __init__(self, table: QTableView, priority: Sequence[int], wrap: bool = False, least: int = 120):
        super().__init__(table)
        self.setObjectName("columnFit")
        self.table, self.wrap, self.least = table, wrap, least
        self.priority = list(priority)
        self._pending = False
        self._fitting = False
        self._viewport = table.viewport()
        self._viewport.installEventFilter(self)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)  # the room left goes to the first column, here
        # contents widths from the rows in view (sizeHintForColumn reads this header's precision): the default
        # reads up to 1,000 rows for each column at every fit, and a list refits at every keystroke of its search
        header.setResizeContentsPrecision(0)
        model = table.model()
        for signal in (model.layoutChanged, model.rowsInserted, model.dataChanged):
            signal.connect(self.schedule)
        model.headerDataChanged.connect(self.schedule)
        # A new set of rows (a list's search as it is typed) is fitted once they settle: the rows are shown at
        # once, and a fit (about 5 ms at each keystroke) does not delay the next keystroke's rows.
        self._settled = QTimer(self)
        self._settled.setSingleShot(True)
        self._settled.setInterval(SETTLE_MS)
        self._settled.timeout.connect(self.fit)
        model.modelReset.connect(self._settled.start)

    def order(self) -> list[int]:
        count = self.table.model().columnCount()
        return [c for c in self.priority if c < count] + [c for c in range(count) if c not in self.priority]

    def schedule(self, *_args: object) -> None:
        """Fit once the current changes are shown (several in a row make one fit)."""
        if not self._pending:
            self._pending = True
            QTimer.singleShot(0, self.fit)

    def fit(self) -> None:
        self._pending = False
        self._settled.stop()  # this fit covers the new rows too
        if self._fitting or not isValid(self.table):
            return
        self._fitting = True
        try:
            self._fit()
        finally:
            self._fitting = False

    def _fit(self) -> None:
        table, header = self.table, self.table.horizontalHeader()
        available = table.viewport().width()
        if available <= 0 or table.model() is None:
            return
        order = self.order()
        smallest = header.minimumSectionSize()
        titles = {c: max(header.sectionSizeHint(c), title_width(header, c), smallest) for c in order}
        natural: dict[int, int] = {}

        def natural_of(column: int) -> int:
            """The column's contents width, measured only when it is needed (each costs a pass over the rows)."""
            if column not in natural:
                natural[column] = max(titles[column], table.sizeHintForColumn(column))
            return natural[column]

        first = order[0]
        least: dict[int, int] = {}
        shown: list[int] = []
        used = 0
        for column in order:
            if column != first and used + titles[column] > available:
                continue  # not even its title fits (its least width is never below it): not shown, not measured
            if column == first:
                width = min(natural_of(first), max(self.least, header.sectionSizeHint(first)))
            else:
                width = titles[column] if self.wrap else natural_of(column)
            if column == first or used + width <= available:
                shown.append(column)
                least[column] = width
                used += width
        widths = {c: least[c] for c in shown}
        room = available - used
        for column in shown:  # grow towards their natural widths, the most important first
            grow = min(natural_of(column) - widths[column], max(room, 0))
            widths[column] += grow
            room -= grow
        widths[first] += max(room, 0)
        for column in order:
            header.setSectionHidden(column, column not in shown)
        for column in shown:
            header.resizeSection(column, widths[column])

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._viewport and (
            event.type() == QEvent.Type.Show
            # the view resizes its viewport to the same width at each new set of rows: only a new width counts
            or (event.type() == QEvent.Type.Resize and event.size().width() != event.oldSize().width())
        ):
            self.schedule()
        return False


def title_width(header: QHeaderView, section: int) -> int:
    """The width ``section`` needs for its whole title, as the style draws it (its margins and room for a sort
    indicator included), measured with the header's font."""
    title = str(header.model().headerData(section, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole) or "")
    option = QStyleOptionHeader()
    option.initFrom(header)
    option.rect = QRect(0, 0, 1000, header.height())
    option.section, option.orientation, option.text = section, Qt.Orientation.Horizontal, title
    option.sortIndicator = QStyleOptionHeader.SortIndicator.SortDown
    room = header.style().subElementRect(QStyle.SubElement.SE_HeaderLabel, option, header).width()
    metrics = header.fontMetrics()
    return 1000 - room + max((metrics.horizontalAdvance(line) for line in title.split("\n")), default=0) + 2


def fit_columns(table: QTableView, priority: Sequence[int], wrap: bool = False, least: int = 120) -> ColumnFit:
    """Keep ``table``'s columns within its width from now on (see ``ColumnFit``)."""
    fit = table.findChild(ColumnFit, "columnFit")
    if fit is None:
        fit = ColumnFit(table, priority, wrap, least)
    fit.schedule()
    return fit
