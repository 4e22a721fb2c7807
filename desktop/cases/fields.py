"""Form fields for the case editor: one widget per case field, with "unknown" kept apart from no/zero.

Every field has ``value()`` (the JSON value for the case document; None = unknown), ``set_value(v)``
(which never counts as an edit) and the ``edited`` signal, emitted only when the user changes it.
Text fields keep exactly what was typed, valid or not, so nothing typed is ever lost.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QDate, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCalendarWidget,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QSpinBox,
    QToolButton,
    QWidget,
    QWidgetAction,
)

from desktop.shared.widgets import fit_choices, placeholder_width, set_placeholder
from planning.i18n import _

UNKNOWN = "—"


class Field(QObject):
    """Adapter between one widget and one field of the case document."""

    edited = Signal()

    def __init__(self, widget: QWidget):
        super().__init__(widget)
        self.widget = widget

    def value(self) -> Any:  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        blocked = self.widget.blockSignals(True)
        try:
            self._set(value)
        finally:
            self.widget.blockSignals(blocked)

    def _set(self, value: Any) -> None:  # pragma: no cover
        raise NotImplementedError


class TextField(Field):
    def __init__(self, parent: QWidget | None = None, placeholder: str = ""):
        edit = QLineEdit(parent)
        if placeholder:
            set_placeholder(edit, placeholder)
        super().__init__(edit)
        edit.textEdited.connect(lambda _text: self.edited.emit())

    def value(self) -> str | None:
        text = self.widget.text()
        return text if text.strip() else None

    def _set(self, value: Any) -> None:
        self.widget.setText("" if value is None else str(value))


class ListField(TextField):
    """Several short texts, typed separated by commas: "R-CHOP, VRd"."""

    def value(self) -> list[str] | None:
        text = self.widget.text()
        items = [part.strip() for part in re.split(r"[,，、،;]", text) if part.strip()]  # Latin, CJK and Arabic commas
        return items or None

    def _set(self, value: Any) -> None:
        self.widget.setText(", ".join(value) if isinstance(value, list) else "")


class NotesField(Field):
    def __init__(self, parent: QWidget | None = None):
        edit = QPlainTextEdit(parent)
        edit.setTabChangesFocus(True)
        edit.setMinimumHeight(90)
        super().__init__(edit)
        edit.textChanged.connect(self.edited.emit)

    def value(self) -> str | None:
        text = self.widget.toPlainText()
        return text if text.strip() else None

    def _set(self, value: Any) -> None:
        self.widget.setPlainText("" if value is None else str(value))


class ChoiceField(Field):
    """A fixed list of choices with labels; the first entry is "—" (unknown)."""

    def __init__(self, choices: Sequence[tuple[Any, str]], parent: QWidget | None = None):
        combo = QComboBox(parent)
        combo.addItem(UNKNOWN, None)
        for value, label in choices:
            combo.addItem(label, value)
        combo.setMaxVisibleItems(20)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(14)
        super().__init__(combo)
        self.fit = fit_choices(combo)  # every item read whole: the list as wide as they are, a cut choice on hover
        combo.activated.connect(lambda _index: self.edited.emit())

    def set_choices(self, choices: Sequence[tuple[Any, str]]) -> None:
        """Offer other choices (e.g. the subtypes of another indication), keeping the value shown.

        A value not among the new choices stays shown as it is (validation points it out); never an edit.
        """
        value = self.value()
        blocked = self.widget.blockSignals(True)
        try:
            self.widget.clear()
            self.widget.addItem(UNKNOWN, None)
            for code, label in choices:
                self.widget.addItem(label, code)
            self._set(value)
        finally:
            self.widget.blockSignals(blocked)
        self.fit.fit_list()

    def value(self) -> Any:
        return self.widget.currentData()

    def _set(self, value: Any) -> None:
        index = self.widget.findData(value) if value is not None else 0
        if index < 0 and value is not None:
            # A value not in the list (from an imported file) is shown as it is, never dropped.
            self.widget.addItem(str(value), value)
            index = self.widget.count() - 1
            self.fit.fit_list()
        self.widget.setCurrentIndex(max(index, 0))
        self.fit.refresh()  # set with signals blocked: the tooltip follows here


class YesNoField(ChoiceField):
    def __init__(self, parent: QWidget | None = None):
        super().__init__([(True, _("Yes")), (False, _("No"))], parent)


class DateField(Field):
    """A date typed as 2026-03-15 (or 20260315), or picked from a calendar; empty means unknown.

    What is typed is kept as it is when it is not a date yet, so validation can say so and nothing
    typed is lost.
    """

    def __init__(self, parent: QWidget | None = None, *, latest: QDate | None = None):
        box = QWidget(parent)
        layout = QHBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.edit = QLineEdit(box)
        set_placeholder(self.edit, _("YYYY-MM-DD"))
        self.edit.setMaxLength(10)
        digits = self.edit.fontMetrics().horizontalAdvance("0000-00-00__") + 16
        self.edit.setFixedWidth(max(digits, placeholder_width(self.edit)))  # the date, and its format whole
        self.calendar = QCalendarWidget()
        self.calendar.setGridVisible(True)
        if latest is not None:
            self.calendar.setMaximumDate(latest)
        button = QToolButton(box)
        button.setText("▾")
        button.setToolTip(_("Choose from a calendar"))
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        button.setStyleSheet("QToolButton::menu-indicator { image: none; width: 0px; }")
        menu = QMenu(button)
        action = QWidgetAction(menu)
        action.setDefaultWidget(self.calendar)
        menu.addAction(action)
        button.setMenu(menu)
        layout.addWidget(self.edit)
        layout.addWidget(button)
        layout.addStretch(1)
        box.setFocusProxy(self.edit)
        super().__init__(box)
        self.edit.textEdited.connect(lambda _text: self.edited.emit())
        self.edit.editingFinished.connect(self._tidy)
        self.calendar.clicked.connect(lambda day: (self._pick(day), menu.close()))
        self.calendar.activated.connect(lambda day: (self._pick(day), menu.close()))

    def _pick(self, day: QDate) -> None:
        self.edit.setText(day.toString(Qt.DateFormat.ISODate))
        self.edited.emit()

    def _tidy(self) -> None:
        value = self.value()
        if value is not None and value != self.edit.text():
            self.edit.setText(value)  # 19700315 -> 1970-03-15, the same value

    def value(self) -> str | None:
        text = self.edit.text().strip()
        if not text:
            return None
        if len(text) == 8 and text.isdigit():
            return f"{text[:4]}-{text[4:6]}-{text[6:]}"
        return text

    def set_value(self, value: Any) -> None:
        blocked = self.edit.blockSignals(True)
        self.edit.setText("" if value is None else str(value))
        self.edit.blockSignals(blocked)
        day = QDate.fromString(str(value), Qt.DateFormat.ISODate) if value else QDate()
        if day.isValid():
            self.calendar.setSelectedDate(day)


def unknown_text(suffix: str = "", scale: str = "") -> str:
    """What a number field shows while unknown: "—" with its unit ("— mL/min") or scale ("— (0–4)"), so the
    unit is read before a value is typed."""
    return f"{UNKNOWN}{suffix}{scale}" if suffix.strip() or scale.strip() else UNKNOWN


class IntField(Field):
    """A whole number in a range; one below the range stands for unknown and shows as "—" (with the unit or
    ``scale``, e.g. " (0–4)", after it)."""

    def __init__(self, low: int, high: int, parent: QWidget | None = None, suffix: str = "", scale: str = ""):
        spin = QSpinBox(parent)
        spin.setRange(low - 1, high)
        spin.setSpecialValueText(unknown_text(suffix, scale))
        spin.setSuffix(suffix)
        spin.setValue(low - 1)
        self.low = low
        super().__init__(spin)
        spin.valueChanged.connect(lambda _value: self.edited.emit())

    def value(self) -> int | None:
        number = self.widget.value()
        return None if number < self.low else number

    def _set(self, value: Any) -> None:
        number = isinstance(value, int | float) and not isinstance(value, bool)
        self.widget.setValue(int(value) if number else self.low - 1)


class NumberField(Field):
    """A measurement with one decimal; one step below the range stands for unknown ("—" and the unit)."""

    def __init__(self, low: float, high: float, parent: QWidget | None = None, suffix: str = "", step: float = 1.0):
        spin = QDoubleSpinBox(parent)
        spin.setDecimals(1)
        spin.setSingleStep(step)
        spin.setRange(low - step, high)
        spin.setSpecialValueText(unknown_text(suffix))  # the unit shown before a value is typed
        spin.setSuffix(suffix)
        spin.setValue(low - step)
        self.low = low
        super().__init__(spin)
        spin.valueChanged.connect(lambda _value: self.edited.emit())

    def value(self) -> float | None:
        number = self.widget.value()
        if number < self.low:
            return None
        return int(number) if number == int(number) else round(number, 1)

    def _set(self, value: Any) -> None:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        self.widget.setValue(float(value) if ok else self.low - self.widget.singleStep())


class ChecklistField(Field):
    """Several codes chosen with check boxes (e.g. destinations), in the order chosen; none means unknown."""

    def __init__(self, choices: Sequence[tuple[str, str]], parent: QWidget | None = None):
        box = QWidget(parent)
        layout = QHBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[str, QCheckBox] = {}
        self.order: list[str] = []
        """Every chosen code, in the order chosen (codes without a box, from a file, are kept too)."""
        super().__init__(box)
        for code, label in choices:
            check = QCheckBox(label, box)
            check.setObjectName(f"check_{code}")
            check.toggled.connect(lambda on, code=code: self._toggled(code, on))
            layout.addWidget(check)
            self.boxes[code] = check
        layout.addStretch(1)

    def _toggled(self, code: str, on: bool) -> None:
        if on and code not in self.order:
            self.order.append(code)
        elif not on and code in self.order:
            self.order.remove(code)
        self.edited.emit()

    def value(self) -> list[str] | None:
        return list(self.order) or None

    def set_value(self, value: Any) -> None:
        self.order = [code for code in value if isinstance(code, str)] if isinstance(value, list) else []
        for code, check in self.boxes.items():
            blocked = check.blockSignals(True)
            check.setChecked(code in self.order)
            check.blockSignals(blocked)
