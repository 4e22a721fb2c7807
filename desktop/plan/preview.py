"""The plan's PDF preview: pages, a zoom level that is always shown (and can be typed or picked), fine zoom
steps on Ctrl+= / Ctrl+-, and a pop-out window of its own (same PDF, its own page and zoom)."""

from __future__ import annotations

import re

from babel.numbers import format_percent
from PySide6.QtCore import QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeySequence, QResizeEvent, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QPushButton, QSpinBox, QVBoxLayout, QWidget

from planning.i18n import _, babel_locale

ZOOM_LEVELS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0)
"""The levels offered in the zoom box (besides "Fit width")."""
ZOOM_STEPS = (0.25, 0.33, 0.5, 0.67, 0.75, 0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 4.0)
"""Zoom in and out go through these levels (about a tenth at a time near 100 %), as a browser does."""
MIN_ZOOM, MAX_ZOOM = ZOOM_STEPS[0], ZOOM_STEPS[-1]
FIT = "fit"
"""The zoom box's item data for "Fit width"."""


def percent(factor: float) -> str:
    """A zoom factor as the interface language writes a percentage: "125%", "125 %"."""
    return format_percent(round(factor, 2), locale=babel_locale())


def typed_zoom(text: str) -> float | None:
    """The zoom factor typed in the box ("150", "150 %", "150%", "٪150"), within the zoom range; None if none."""
    digits = text.translate(str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789"))
    match = re.search(r"\d+(?:[.,]\d+)?", digits)
    if match is None:
        return None
    factor = float(match.group().replace(",", ".")) / 100
    return min(max(factor, MIN_ZOOM), MAX_ZOOM) if factor > 0 else None


def next_step(factor: float, direction: int) -> float:
    """The zoom step after ``factor`` going up (1) or down (-1); the end of the range stays."""
    if direction > 0:
        return next((s for s in ZOOM_STEPS if s > factor * 1.001), MAX_ZOOM)
    return next((s for s in reversed(ZOOM_STEPS) if s < factor * 0.999), MIN_ZOOM)


class PdfPreview(QWidget):
    """A QPdfView of ``document`` with its page box, zoom out/in, the zoom level and any ``extra`` buttons."""

    zoom_changed = Signal()

    def __init__(self, document: QPdfDocument, parent: QWidget | None = None, extra: tuple[QWidget, ...] = ()):
        super().__init__(parent)
        self.document = document
        self.view = QPdfView(self)
        self.view.setObjectName("planPreview")
        self.view.setDocument(document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

        self.page = QSpinBox(self)
        self.page.setObjectName("planPage")
        self.page.setRange(1, 1)
        self.page.setPrefix(_("Page") + " ")
        self.page.setAccessibleName(_("Page"))
        self.page.valueChanged.connect(self.go_to_page)
        self.view.pageNavigator().currentPageChanged.connect(self._page_shown)
        document.pageCountChanged.connect(lambda count: self.page.setRange(1, max(count, 1)))
        self.page.setRange(1, max(document.pageCount(), 1))

        self.zoom_out_button = QPushButton("−", self)
        self.zoom_out_button.setToolTip(
            _("Zoom out") + f" ({QKeySequence('Ctrl+-').toString(QKeySequence.SequenceFormat.NativeText)})"
        )
        self.zoom_out_button.setAccessibleName(_("Zoom out"))
        self.zoom_out_button.clicked.connect(lambda: self.step_zoom(-1))
        self.zoom_in_button = QPushButton("+", self)
        self.zoom_in_button.setToolTip(
            _("Zoom in") + f" ({QKeySequence('Ctrl+=').toString(QKeySequence.SequenceFormat.NativeText)})"
        )
        self.zoom_in_button.setAccessibleName(_("Zoom in"))
        self.zoom_in_button.clicked.connect(lambda: self.step_zoom(1))
        for button in (self.zoom_out_button, self.zoom_in_button):
            button.setMaximumWidth(40)
        self.zoom_box = QComboBox(self)
        self.zoom_box.setObjectName("planZoom")
        self.zoom_box.setEditable(True)
        self.zoom_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.zoom_box.setAccessibleName(_("Zoom"))
        self.zoom_box.setToolTip(_("Zoom: pick a level, or type one (e.g. 140) and press Enter"))
        self.zoom_box.addItem(_("Fit width"), FIT)
        for level in ZOOM_LEVELS:
            self.zoom_box.addItem(percent(level), level)
        self.zoom_box.setMinimumContentsLength(max(len(self._fit_text(2.0)), 8))
        self.zoom_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.zoom_box.activated.connect(self._zoom_picked)
        edit = self.zoom_box.lineEdit()
        assert edit is not None
        edit.returnPressed.connect(self._zoom_typed)
        edit.editingFinished.connect(self.show_zoom)  # a half-typed level left as it was: the level shown again

        # the keys work wherever the focus is in the preview; one binding each (tests/desktop/test_shortcuts.py)
        self.keys: list[QShortcut] = []
        for sequence, action in (
            ("Ctrl+=", lambda: self.step_zoom(1)),
            ("Ctrl++", lambda: self.step_zoom(1)),
            ("Ctrl+-", lambda: self.step_zoom(-1)),
            ("Ctrl+0", self.fit_width),
        ):
            key = QShortcut(QKeySequence(sequence), self)
            key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            key.activated.connect(action)
            self.keys.append(key)

        tools = QHBoxLayout()
        tools.setContentsMargins(0, 0, 0, 0)
        for widget in (self.page, self.zoom_out_button, self.zoom_box, self.zoom_in_button):
            tools.addWidget(widget)
        tools.addStretch(1)
        for added in extra:
            tools.addWidget(added)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(tools)
        layout.addWidget(self.view, 1)
        # the width a fitted page gets is known once laid out: the level shown follows it
        self._later = QTimer(self)
        self._later.setSingleShot(True)
        self._later.setInterval(0)
        self._later.timeout.connect(self.show_zoom)
        document.statusChanged.connect(lambda _status: self._later.start())
        self.show_zoom()

    # --- zoom ---------------------------------------------------------------------------------

    def fitting(self) -> bool:
        return self.view.zoomMode() == QPdfView.ZoomMode.FitToWidth

    def zoom(self) -> float:
        """The zoom shown now (1.0 = the page at its printed size); while fitting the width, the level that
        width gives."""
        if not self.fitting() or not self.view.isVisible():  # hidden: no width to fit yet
            return self.view.zoomFactor()
        if self.document.pageCount() < 1:
            return 1.0
        page_width = self.document.pagePointSize(0).width() * self.logicalDpiX() / 72
        margins = self.view.documentMargins()
        room = self.view.viewport().width() - margins.left() - margins.right()
        return max(room / page_width, 0.01) if page_width > 0 else 1.0

    def set_zoom(self, factor: float) -> None:
        """Show the pages at ``factor`` (kept within the zoom range)."""
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(min(max(factor, MIN_ZOOM), MAX_ZOOM))
        self.show_zoom()

    def zoom_by(self, factor: float) -> None:
        self.set_zoom(self.zoom() * factor)

    def step_zoom(self, direction: int) -> None:
        """One zoom step in (1) or out (-1) from the level shown."""
        self.set_zoom(next_step(self.zoom(), direction))

    def fit_width(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.show_zoom()
        self._later.start()

    def _fit_text(self, factor: float) -> str:
        return _("Fit width ({level})").format(level=percent(factor))

    def show_zoom(self) -> None:
        """The zoom box shows the level in use (never a half-typed one once the box is left)."""
        factor = self.zoom()
        text = self._fit_text(factor) if self.fitting() else percent(factor)
        edit = self.zoom_box.lineEdit()
        if edit is not None and edit.hasFocus() and edit.isModified():
            return  # being typed: left alone
        blocked = self.zoom_box.blockSignals(True)
        try:
            index = self.zoom_box.findData(FIT if self.fitting() else round(factor, 2))
            self.zoom_box.setCurrentIndex(index)
            self.zoom_box.setEditText(text)
            if edit is not None:
                edit.setModified(False)
        finally:
            self.zoom_box.blockSignals(blocked)
        self.zoom_out_button.setEnabled(self.fitting() or factor > MIN_ZOOM * 1.001)
        self.zoom_in_button.setEnabled(self.fitting() or factor < MAX_ZOOM * 0.999)
        self.zoom_changed.emit()

    def _zoom_picked(self, index: int) -> None:
        level = self.zoom_box.itemData(index)
        if level == FIT:
            self.fit_width()
        elif isinstance(level, float):
            self.set_zoom(level)

    def _zoom_typed(self) -> None:
        edit = self.zoom_box.lineEdit()
        assert edit is not None
        factor = typed_zoom(edit.text())
        edit.setModified(False)
        if factor is None:
            self.show_zoom()
        else:
            self.set_zoom(factor)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.fitting():
            self._later.start()

    # --- pages --------------------------------------------------------------------------------

    def current_page(self) -> int:
        """The page shown (0-based)."""
        return self.view.pageNavigator().currentPage()

    def go_to_page(self, number: int) -> None:
        """Show page ``number`` (1-based) at the top of the preview."""
        if 1 <= number <= self.document.pageCount():
            self.view.pageNavigator().jump(number - 1, QPointF(0, 0), self.view.pageNavigator().currentZoom())

    def _page_shown(self, index: int) -> None:
        self.page.blockSignals(True)
        self.page.setValue(index + 1)
        self.page.blockSignals(False)


class PreviewWindow(QWidget):
    """The plan's preview in a window of its own, resizable: the same PDF document as the Plan tab (a plan
    made again shows here too), opened at the page the tab shows, with its own page box and zoom. Closing
    it takes the tab to the page last read here."""

    closed = Signal(int)
    """The window was closed on this page (0-based)."""

    def __init__(self, document: QPdfDocument, parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("planPreviewWindow")
        self.setWindowTitle(_("Plan preview"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self.preview = PdfPreview(document, self)
        self.preview.view.setObjectName("planPreviewPopOut")
        self.preview.page.setObjectName("planPagePopOut")
        self.preview.zoom_box.setObjectName("planZoomPopOut")
        layout = QVBoxLayout(self)
        layout.addWidget(self.preview)
        close = QShortcut(QKeySequence(QKeySequence.StandardKey.Close), self)
        close.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        close.activated.connect(self.close)
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        escape.activated.connect(self.close)
        screen = (parent.screen() if parent is not None else None) or QGuiApplication.primaryScreen()
        room = screen.availableGeometry()
        self.resize(min(900, room.width() * 9 // 10), room.height() * 9 // 10)

    def show_page(self, index: int) -> None:
        """Open (or raise) the window at page ``index`` (0-based)."""
        self.show()
        self.raise_()
        self.activateWindow()
        self.preview.fit_width()
        # the view lays its pages out once shown: the jump waits for that
        QTimer.singleShot(0, lambda: self.preview.go_to_page(index + 1))

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closed.emit(self.preview.current_page())
        super().closeEvent(event)
