"""What the case editor fills in for the coordinator: the default currency of a new case (Settings), and the
plan language and currency the patient's nationality suggests (planning.nationality) when the coordinator
picks it. Only a field that is empty or still holds what was filled in before is filled, never a value the
coordinator chose; each fill is an edit like any other (shown, validated, saved, and undone by Undo)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFormLayout, QSizePolicy

from desktop.shared.status_label import StatusLabel
from planning.i18n import _
from planning.money import reachable_currencies
from planning.nationality import suggested_currency, suggested_language

if TYPE_CHECKING:
    from desktop.cases.editor import CaseEditor
    from planning.knowledge.models import Rate
    from services.settings import Preferences

NATIONALITY = "patient.nationality"
LANGUAGE = "patient.language"
CURRENCY = "preferences.currency"


class Prefill(QObject):
    """Fills ``editor``'s language and currency from the nationality; ``rates`` are the rates in force (the
    currencies they reach may be suggested), ``preferences`` the settings (the default currency)."""

    def __init__(
        self,
        editor: CaseEditor,
        rates: Callable[[], list[Rate]],
        preferences: Callable[[], Preferences],
    ):
        super().__init__(editor)
        self.editor, self._rates, self._preferences = editor, rates, preferences
        self.filled: dict[int, dict[str, tuple[Any, Any]]] = {}
        """By case and field: what the field held before it was first filled in, and what was filled in (as long
        as the coordinator has not chosen a value of their own since)."""
        self._filling = False
        editor.fields[NATIONALITY].edited.connect(self._nationality_chosen)
        for path in (LANGUAGE, CURRENCY):  # the coordinator's own choice is never replaced
            editor.fields[path].edited.connect(lambda path=path: self._chosen(path))
        # a line under the plan language: what was filled in from the nationality (the currency is on another
        # tab), one line, elided with the whole text on hover; shown until anything else is done
        cell = editor.rows[LANGUAGE][1]
        self.note = StatusLabel(cell.parentWidget())
        self.note.setObjectName("nationalityPrefill")
        self.note.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)  # the field column's width
        self.note.setEnabled(False)  # the palette's quieter text
        self.form = cell.parentWidget().layout()
        if isinstance(self.form, QFormLayout):
            row, _role = self.form.getWidgetPosition(cell)
            self.form.insertRow(row + 1, "", self.note)
        self._show_note(False)
        editor.undo_stack.indexChanged.connect(lambda _index: self._follow_case())

    def default_currency(self) -> str | None:
        """The currency a new case starts with: the one set in Settings, when the rates in force reach it."""
        currency = self._preferences().default_currency
        return currency if currency and currency in reachable_currencies(self._rates()) else None

    def remember(self, case_id: int, path: str, value: Any) -> None:
        """``value`` was filled in for the coordinator in the case's field ``path`` (e.g. a new case's currency)."""
        if value is not None:
            self.filled.setdefault(case_id, {})[path] = (value, value)  # also what a nationality falls back to

    def _chosen(self, path: str) -> None:
        if self.editor.case is not None:
            self.filled.get(self.editor.case.id, {}).pop(path, None)
        self._show_note(False)

    def _show_note(self, shown: bool) -> None:
        if isinstance(self.form, QFormLayout) and self.form.indexOf(self.note) >= 0:
            self.form.setRowVisible(self.note, shown)  # no empty row left while hidden
        else:
            self.note.setVisible(shown)

    def _follow_case(self) -> None:
        """The note goes once anything else happens (another case, an undo, another edit)."""
        if not self.note.isHidden() and not self._filling:
            self._show_note(False)

    def _nationality_chosen(self) -> None:
        case = self.editor.case
        if case is None:
            return
        country = self.editor.fields[NATIONALITY].value()
        suggested = {
            LANGUAGE: suggested_language(country),
            CURRENCY: suggested_currency(country, reachable_currencies(self._rates())),
        }
        filled = self.filled.setdefault(case.id, {})
        said: list[str] = []
        self._filling = True
        try:
            for path, value in suggested.items():
                current = self.editor.fields[path].value()
                before, was = filled.get(path, (None, None))
                if current is not None and (path not in filled or current not in (before, was)):
                    continue  # a value of the case's own: the coordinator's choice, or stored before
                # what the nationality suggests; else what the field held before an earlier nationality filled it
                # (a country picked on the way, typing "Sw…" for Switzerland, leaves no Swedish kronor behind)
                target = value if value is not None else before
                if target != current:
                    self.editor.choose(path, target)
                    if target is not None:
                        said.append(f"{self.editor.labels[path]}: {self.editor.fields[path].widget.currentText()}")
                filled[path] = (before, target)
        finally:
            self._filling = False
        self.note.setText(_("Filled in from the nationality: {fields}").format(fields="; ".join(said)))
        self._show_note(bool(said))
