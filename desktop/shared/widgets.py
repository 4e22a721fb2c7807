"""Small builders for the widgets every page makes the same way."""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import QAbstractItemModel, QEvent, QObject, QSize, Qt
from PySide6.QtGui import QFontMetricsF, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QStyle,
    QStyleOptionComboBox,
    QStyleOptionFrame,
    QStylePainter,
    QTableView,
    QWidget,
)

from desktop.shared.plain import plain


def push_button(text: str, name: str, clicked: Callable[[], object], parent: QWidget) -> QPushButton:
    """A button with an object name (for tests and styles) that calls ``clicked``."""
    button = QPushButton(text, parent)
    button.setObjectName(name)
    button.clicked.connect(lambda _checked=False: clicked())
    return button


def row_table(model: QAbstractItemModel, name: str, parent: QWidget) -> QTableView:
    """A read-only table of whole rows on ``model``: alternating colours, no row numbers, no wrapping."""
    table = QTableView(parent)
    table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.verticalHeader().hide()
    table.setWordWrap(False)
    table.setTabKeyNavigation(False)  # arrows move between rows; Tab leaves the table (no keyboard trap)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    fit_header(header)
    return table


# --- texts shown whole, or elided on purpose with the whole text on hover -------------------------------

_REFIT = frozenset(
    {
        QEvent.Type.Show,
        QEvent.Type.Resize,
        QEvent.Type.FontChange,
        QEvent.Type.StyleChange,
        QEvent.Type.LayoutDirectionChange,
    }
)
"""What can change whether a widget's text fits: its size, its font, its style, its direction."""


class WholeText(QObject):
    """Adds a widget's whole text to its tooltip while the widget cannot show it whole (Qt elides or cuts
    it), after any tooltip of its own (a hint), and takes it off again once it fits; kept current as the
    size, the font and the style change. ``text`` gives the text shown now, ``fits`` whether a text is
    shown whole. Whoever changes the text without a signal (e.g. with signals blocked) calls ``refresh``."""

    def __init__(self, widget: QWidget, text: Callable[[], str], fits: Callable[[str], bool]):
        super().__init__(widget)
        self.widget, self._text, self._fits = widget, text, fits
        self.hint = widget.toolTip()
        """The widget's own tooltip, without the whole text."""
        self._shown = self.hint
        widget.installEventFilter(self)
        self.refresh()

    def cut(self) -> bool:
        """Whether the widget shows its text cut now."""
        text = self._text().strip()
        return bool(text) and not self._fits(text)

    def refresh(self) -> None:
        text = self._text().strip()
        tip = self.hint
        if text and text not in tip and not self._fits(text):
            tip = plain(f"{tip}\n{text}" if tip else text)  # a pack's or a case's text: shown as written
        if tip != self.widget.toolTip():
            self._shown = tip
            self.widget.setToolTip(tip)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget:
            if event.type() == QEvent.Type.ToolTipChange:
                if self.widget.toolTip() != self._shown:  # set by the widget's owner: its new hint
                    self.hint = self.widget.toolTip()
                    self._shown = self.hint
                    self.refresh()
            elif event.type() in _REFIT:
                self.refresh()
        return False


def text_width(widget: QWidget, text: str) -> int:
    """Whole pixels ``text`` takes in ``widget``'s font (rounded up: Qt elides by the exact width)."""
    return math.ceil(QFontMetricsF(widget.font()).horizontalAdvance(text))


# line edits: the placeholder

_LINE_EDIT_MARGIN = 2
"""Pixels QLineEdit keeps free on each side of its text (QLineEditPrivate::horizontalMargin)."""


def placeholder_room(edit: QLineEdit) -> int:
    """Pixels the placeholder has: QLineEdit elides it to its text area (QLineEdit::paintEvent)."""
    option = QStyleOptionFrame()
    edit.initStyleOption(option)
    contents = edit.style().subElementRect(QStyle.SubElement.SE_LineEditContents, option, edit)
    margins = edit.textMargins()
    return contents.width() - margins.left() - margins.right() - 2 * _LINE_EDIT_MARGIN


def placeholder_width(edit: QLineEdit, text: str | None = None) -> int:
    """The width ``edit`` needs to show its placeholder (or ``text``) whole."""
    text = edit.placeholderText() if text is None else text
    margins = edit.textMargins()
    inner = text_width(edit, text) + 1 + 2 * _LINE_EDIT_MARGIN + margins.left() + margins.right()
    option = QStyleOptionFrame()
    edit.initStyleOption(option)
    size = QSize(inner, edit.fontMetrics().height())
    return edit.style().sizeFromContents(QStyle.ContentsType.CT_LineEdit, option, size, edit).width()


class RedrawOnActions(QObject):
    """Draws a line edit whole again when an icon (a QAction: the search's magnifier) is added to it,
    removed, or shown or hidden: that moves its text, but Qt repaints only the icon's corner, so the screen
    kept the placeholder at its old place with its start under the icon ("rch cases, therapies…" after a
    language switch rebuilt the window and the icon arrived after the first paint)."""

    def __init__(self, edit: QLineEdit):
        super().__init__(edit)
        self.edit = edit
        edit.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.edit and event.type() in _ACTION_EVENTS:
            self.edit.update()  # painted once the event is handled, with the text's new margins
        return False


_ACTION_EVENTS = frozenset({QEvent.Type.ActionAdded, QEvent.Type.ActionRemoved, QEvent.Type.ActionChanged})


def set_placeholder(edit: QLineEdit, text: str) -> None:
    """Sets ``edit``'s placeholder so it is read whole: a short one (no wider than the field would be
    anyway) gets the width it needs; a longer one, where the layout gives it too little room, is elided
    by Qt with the whole text on hover (in the tooltip, after the field's own). An icon added to the
    field later redraws it whole (:class:`RedrawOnActions`), so the placeholder is never left clipped."""
    edit.setPlaceholderText(text)
    if edit.findChild(RedrawOnActions) is None:
        RedrawOnActions(edit)
    needed = placeholder_width(edit)
    if needed <= edit.sizeHint().width():
        edit.setMinimumWidth(max(edit.minimumWidth(), needed))
    whole = edit.findChild(WholeText, "wholePlaceholder")
    if whole is None:
        whole = WholeText(edit, edit.placeholderText, lambda shown: _placeholder_fits(edit, shown))
        whole.setObjectName("wholePlaceholder")
    whole.refresh()


def _placeholder_fits(edit: QLineEdit, text: str) -> bool:
    return edit.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, placeholder_room(edit)) == text


# combo boxes: the chosen item in the closed box, every item in the open list


def _combo_field(combo: QComboBox) -> int:
    """Pixels the closed box has for its current text."""
    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    field = combo.style().subControlRect(
        QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, combo
    )
    room = field.width()
    if not combo.itemIcon(combo.currentIndex()).isNull():
        room -= combo.iconSize().width() + 4
    return room


class ChoicesFit(WholeText):
    """The combo box side of ``fit_choices``: the current text elided on purpose where it does not fit
    (QComboBox cuts it off), whole in the tooltip; the open list as wide as its widest item."""

    widget: QComboBox

    def __init__(self, combo: QComboBox):
        super().__init__(combo, combo.currentText, lambda shown: text_width(combo, shown) <= _combo_field(combo))
        self.setObjectName("wholeChoices")
        combo.currentTextChanged.connect(lambda _text: self.refresh())

    def fit_list(self) -> None:
        """The open list at least as wide as its widest item needs (as Qt sizes a popup to its items)."""
        combo = self.widget
        if not combo.count():
            return
        icons = any(not combo.itemIcon(row).isNull() for row in range(combo.count()))
        metrics = QFontMetricsF(combo.font())
        widest = math.ceil(max(metrics.horizontalAdvance(combo.itemText(row)) for row in range(combo.count())))
        widest += combo.iconSize().width() + 4 if icons else 0
        option = QStyleOptionComboBox()
        combo.initStyleOption(option)
        size = QSize(widest, combo.fontMetrics().height())
        width = combo.style().sizeFromContents(QStyle.ContentsType.CT_ComboBox, option, size, combo).width()
        if combo.count() > combo.maxVisibleItems():
            width += combo.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, combo.view())
        combo.view().setMinimumWidth(width)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget:
            if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
                self.fit_list()
            elif event.type() == QEvent.Type.Paint and not self.widget.isEditable() and self.cut():
                self._paint_elided()
                return True
        return super().eventFilter(watched, event)

    def _paint_elided(self) -> None:
        """As QComboBox::paintEvent paints the box, with its text elided to the room it has."""
        combo = self.widget
        painter = QStylePainter(combo)
        painter.setPen(combo.palette().color(QPalette.ColorRole.Text))
        option = QStyleOptionComboBox()
        combo.initStyleOption(option)
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        room = _combo_field(combo) - 2  # CE_ComboBoxLabel draws inside the field, a pixel in on each side
        option.currentText = combo.fontMetrics().elidedText(option.currentText, Qt.TextElideMode.ElideRight, room)
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)
        painter.end()


def fit_choices(combo: QComboBox) -> ChoicesFit:
    """Every item of ``combo`` read whole: the open list as wide as its widest item; the chosen one, where
    the box is too narrow for it, elided on purpose with the whole text in the tooltip (after the box's
    own), kept current as the choice, the items, the size and the font change. Call again after changing
    the items or the choice with signals blocked."""
    fit = combo.findChild(ChoicesFit, "wholeChoices")
    if fit is None:
        fit = ChoicesFit(combo)
    fit.fit_list()
    fit.refresh()
    return fit


# table headers


class HeaderFit(QObject):
    """The sections of a horizontal header at least as wide as their titles (see ``fit_header``)."""

    def __init__(self, header: QHeaderView):
        super().__init__(header)
        self.setObjectName("headerFit")
        self.header = header
        self._model: QAbstractItemModel | None = None
        header.installEventFilter(self)
        self.watch_model()

    def watch_model(self) -> None:
        model = self.header.model()
        if model is self._model:
            return
        if self._model is not None:
            for signal in self._signals(self._model):
                signal.disconnect(self.fit)
        self._model = model
        if model is not None:
            for signal in self._signals(model):
                signal.connect(self.fit)

    @staticmethod
    def _signals(model: QAbstractItemModel) -> tuple:
        return (model.headerDataChanged, model.modelReset, model.columnsInserted, model.layoutChanged)

    def fit(self, *_args: object) -> None:
        """Widen each section narrower than its title's size hint; the resize modes stay as they are: a
        section that fits itself to its contents already makes room for its title, a stretched one (other
        than the last) is shared out by Qt, and the stretched last one keeps this width as its least."""
        header = self.header
        if header.orientation() != Qt.Orientation.Horizontal or header.model() is None:
            return
        last = self._last_visible()
        for section in range(header.count()):
            if header.isSectionHidden(section):
                continue
            mode = header.sectionResizeMode(section)
            stretched_last = header.stretchLastSection() and section == last
            if mode in (QHeaderView.ResizeMode.Stretch, QHeaderView.ResizeMode.ResizeToContents) and not stretched_last:
                continue
            needed = header.sectionSizeHint(section)
            if header.sectionSize(section) < needed:
                header.resizeSection(section, needed)

    def _last_visible(self) -> int:
        header = self.header
        for visual in range(header.count() - 1, -1, -1):
            logical = header.logicalIndex(visual)
            if not header.isSectionHidden(logical):
                return logical
        return -1

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.header and event.type() in (
            QEvent.Type.Show,
            QEvent.Type.FontChange,
            QEvent.Type.StyleChange,
        ):
            self.watch_model()
            self.fit()
        return False


def fit_header(header: QHeaderView) -> HeaderFit:
    """Every column of ``header`` at least as wide as its title, so no title is cut off; kept so as the
    titles, the columns, the model and the font change. The table's resize modes and stretching stay."""
    fit = header.findChild(HeaderFit, "headerFit")
    if fit is None:
        fit = HeaderFit(header)
    fit.watch_model()
    fit.fit()
    return fit
