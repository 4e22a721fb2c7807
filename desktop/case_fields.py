"""Form fields for the case editor: one widget per case field, with "unknown" kept apart from no/zero.

Every field has ``value()`` (the JSON value for the case document; None = unknown), ``set_value(v)``
(which never counts as an edit) and the ``edited`` signal, emitted only when the user changes it.
Text fields keep exactly what was typed, valid or not, so nothing typed is ever lost.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QDate, QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from planning.i18n import _

UNKNOWN = "—"
NO_DATE = QDate(1900, 1, 1)
"""The earliest date a date field holds; it shows as "—" and means unknown."""


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
        edit.setPlaceholderText(placeholder)
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
        items = [part.strip() for part in text.split(",") if part.strip()]
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
        combo.activated.connect(lambda _index: self.edited.emit())

    def value(self) -> Any:
        return self.widget.currentData()

    def _set(self, value: Any) -> None:
        index = self.widget.findData(value) if value is not None else 0
        if index < 0 and value is not None:
            # A value not in the list (from an imported file) is shown as it is, never dropped.
            self.widget.addItem(str(value), value)
            index = self.widget.count() - 1
        self.widget.setCurrentIndex(max(index, 0))


class YesNoField(ChoiceField):
    def __init__(self, parent: QWidget | None = None):
        super().__init__([(True, _("Yes")), (False, _("No"))], parent)


class _TabLeaves(QObject):
    """Tab leaves a date field (typing digits already moves from year to month to day)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
            forward = event.key() == Qt.Key.Key_Tab and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            target = watched.nextInFocusChain() if forward else watched.previousInFocusChain()
            while (
                target is not None
                and target is not watched
                and not (
                    target.isVisible()
                    and target.isEnabled()
                    and target.focusPolicy() & Qt.FocusPolicy.TabFocus
                    and not watched.isAncestorOf(target)
                )
            ):
                target = target.nextInFocusChain() if forward else target.previousInFocusChain()
            if target is not None and target is not watched:
                target.setFocus(Qt.FocusReason.TabFocusReason if forward else Qt.FocusReason.BacktabFocusReason)
                return True
        return False


class DateField(Field):
    """A date with a calendar; the earliest date stands for unknown and shows as "—"."""

    def __init__(self, parent: QWidget | None = None, *, latest: QDate | None = None):
        edit = QDateEdit(parent)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setMinimumDate(NO_DATE)
        edit.setSpecialValueText(UNKNOWN)
        if latest is not None:
            edit.setMaximumDate(latest)
        edit.setDate(NO_DATE)
        super().__init__(edit)
        self._tab = _TabLeaves(self)
        edit.installEventFilter(self._tab)
        edit.dateChanged.connect(lambda _date: self.edited.emit())

    def value(self) -> str | None:
        day = self.widget.date()
        return None if day == NO_DATE else day.toString(Qt.DateFormat.ISODate)

    def _set(self, value: Any) -> None:
        day = QDate.fromString(value, Qt.DateFormat.ISODate) if isinstance(value, str) else QDate()
        self.widget.setDate(day if day.isValid() else NO_DATE)


class IntField(Field):
    """A whole number in a range; one below the range stands for unknown and shows as "—"."""

    def __init__(self, low: int, high: int, parent: QWidget | None = None, suffix: str = ""):
        spin = QSpinBox(parent)
        spin.setRange(low - 1, high)
        spin.setSpecialValueText(UNKNOWN)
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
    """A measurement with one decimal; one step below the range stands for unknown."""

    def __init__(self, low: float, high: float, parent: QWidget | None = None, suffix: str = "", step: float = 1.0):
        spin = QDoubleSpinBox(parent)
        spin.setDecimals(1)
        spin.setSingleStep(step)
        spin.setRange(low - step, high)
        spin.setSpecialValueText(UNKNOWN)
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
    """Several codes chosen with check boxes (e.g. destinations); none checked means unknown."""

    def __init__(self, choices: Sequence[tuple[str, str]], parent: QWidget | None = None):
        box = QWidget(parent)
        layout = QHBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[str, QCheckBox] = {}
        super().__init__(box)
        for code, label in choices:
            check = QCheckBox(label, box)
            check.setObjectName(f"check_{code}")
            check.toggled.connect(lambda _on: self.edited.emit())
            layout.addWidget(check)
            self.boxes[code] = check
        layout.addStretch(1)
        self.extra: list[str] = []

    def value(self) -> list[str] | None:
        chosen = [code for code, check in self.boxes.items() if check.isChecked()] + self.extra
        return chosen or None

    def set_value(self, value: Any) -> None:
        codes = list(value) if isinstance(value, list) else []
        for code, check in self.boxes.items():
            blocked = check.blockSignals(True)
            check.setChecked(code in codes)
            check.blockSignals(blocked)
        # Codes without a box (from an imported file) are kept as they are.
        self.extra = [code for code in codes if code not in self.boxes]
