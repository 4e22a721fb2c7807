"""The case editor: every field of the case file, grouped, validated as you type, saved by itself.

Each edit is saved at most AUTOSAVE_MS after it was typed, also while typing goes on (the timer runs
from the first unsaved keystroke, it is not restarted by the next), without the user doing anything;
a crash loses at most that last moment of typing. Undo and redo work
across the whole form; a possible duplicate (same name and date of birth) is pointed out.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from html import escape
from itertools import pairwise
from typing import Any

from PySide6.QtCore import QDate, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFontMetrics, QKeySequence, QShortcut, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.cases import fields as f
from desktop.cases.estimate_panel import EstimatePanel
from desktop.cases.model import STATUS_LABELS
from desktop.cases.screening_panel import ScreeningPanel
from desktop.cases.undo_feedback import UndoFeedback
from desktop.shared import widgets as shared_widgets
from desktop.shared.status_label import StatusLabel
from planning.case import (
    BIOMARKER_RESULTS,
    BIOMARKERS,
    CASE_STATUSES,
    DISEASE_STATUSES,
    INSURANCE,
    SEXES,
    case_problems,
    flatten,
    parse_case_lenient,
)
from planning.eligibility import screen, verdict_words
from planning.estimate import estimate
from planning.facts import MARKER_NAMES
from planning.i18n import DOCUMENT_LOCALES, N_, _, babel_locale, language_name
from planning.knowledge.models import CostDefault, Pack, Rate, pick
from planning.label import label_fields
from planning.money import reachable_currencies
from services.stores import CaseRow, StoredCase

T_FICTIONAL_SAMPLE = N_("fictional sample")


AUTOSAVE_MS = 200
"""The longest an edit waits for its save. A save takes about 1 ms (benchmarks/bench_autosave.py), so
saving this often costs typing nothing, while history keeps a readable entry per moment of typing."""
RETRY_MS = 5000
"""After a save the disk refused (full, read-only, locked ...), how long before it is tried again; what
was typed stays in the form meanwhile."""
COMMON_CURRENCIES = ("USD", "EUR", "GBP", "CNY", "RUB", "SAR", "AED", "KZT", "NGN", "TRY", "BRL", "INR", "MXN")

SEX_LABELS = {"female": N_("Female"), "male": N_("Male"), "other": N_("Other"), "unknown": N_("Prefers not to say")}
DISEASE_LABELS = {
    "relapsed": N_("Relapsed"),
    "refractory": N_("Refractory"),
    "newly_diagnosed": N_("Newly diagnosed"),
    "remission": N_("In remission"),
    "unknown": N_("Unknown"),
}
INSURANCE_LABELS = {"none": N_("None"), "partial": N_("Partial"), "full": N_("Full"), "unknown": N_("Unknown")}
BIOMARKER_LABELS = {"positive": N_("Positive"), "negative": N_("Negative"), "unknown": N_("Unknown")}

DIAGNOSIS, HISTORY, HEALTH = "diagnosis", "history", "health"
GROUP_TITLES = {
    DIAGNOSIS: N_("Diagnosis"),
    HISTORY: N_("Treatment history"),
    HEALTH: N_("Health and organ function"),
}
"""The titled sections of a form, by key (Spec.group)."""
MARKER_INDICATIONS = {
    "cd19": frozenset({"b_all", "lbcl", "fl", "mcl", "cll", "mzl"}),
    "bcma": frozenset({"mm"}),
    "cldn18_2": frozenset({"gastric"}),
    "her2": frozenset({"gastric", "breast"}),
}
"""Where a biomarker means something: elsewhere its row is hidden while it is unknown."""
T_ASKED_BY_THE_LABELS = N_("Asked by the product labels for this indication")


@cache
def countries(locale: str) -> tuple[tuple[str, str], ...]:
    from babel import Locale

    names = Locale.parse(babel_locale(locale)).territories
    codes = [c for c in names if len(c) == 2 and c.isalpha() and c != "ZZ"]
    return tuple(sorted(((c, f"{names[c]} ({c})") for c in codes), key=lambda item: item[1]))


T_NO_RATE_HINT = N_("No exchange rate: add a rate in Settings")
T_NO_RATE_MARK = N_("no exchange rate")


@cache
def current_currencies() -> frozenset[str]:
    """The ISO 4217 currencies some country uses today (Babel's list also holds obsolete ones: DEM, ...)."""
    from babel import Locale
    from babel.numbers import get_territory_currencies

    territories = [c for c in Locale.parse("en").territories if len(c) == 2 and c.isalpha()]
    return frozenset(code for t in territories for code in get_territory_currencies(t))


@cache
def currency_label(code: str, locale: str) -> str:
    from babel import Locale

    name = Locale.parse(babel_locale(locale)).currencies.get(code)
    return f"{name} ({code})" if name else code


def currency_choices(
    locale: str, reachable: frozenset[str]
) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    """The currencies an estimate can be made in (``reachable`` by the rates in force): the common ones in
    their usual order, then the rest by name; and the other current ISO currencies by name (no rate)."""
    by_name = lambda c: currency_label(c, locale).casefold()  # noqa: E731
    common = [c for c in COMMON_CURRENCIES if c in reachable]
    usable = (*common, *sorted(reachable - set(common), key=by_name))
    others = sorted(current_currencies() - reachable, key=by_name)
    return tuple((c, currency_label(c, locale)) for c in usable), tuple((c, currency_label(c, locale)) for c in others)


class CurrencyField(f.ChoiceField):
    """The case's currency: those the rates in force reach first, selectable; the other current ISO currencies
    after a line, greyed, saying a rate is missing. A stored currency without a rate is shown as it is, chosen
    and marked, never changed (validation points it out)."""

    def __init__(self, locale: str, parent: QWidget | None = None):
        self.locale = locale
        self.reachable: frozenset[str] | None = None
        self._marked: tuple[int, str] | None = None
        super().__init__([], parent)
        self.set_reachable(frozenset({"USD"}))

    def set_reachable(self, reachable: frozenset[str]) -> None:
        """Offer the currencies ``reachable`` by the rates in force (the list is built again only when they
        change), keeping the value shown; never an edit."""
        reachable = frozenset(reachable)
        if reachable == self.reachable:
            return
        self.reachable = reachable
        value = self.value()
        combo = self.widget
        blocked = combo.blockSignals(True)
        try:
            self._marked = None
            combo.clear()
            combo.addItem(f.UNKNOWN, None)
            usable, others = currency_choices(self.locale, reachable)
            for code, label in usable:
                combo.addItem(label, code)
            if others:
                combo.insertSeparator(combo.count())
            hint = _(T_NO_RATE_HINT)
            for code, label in others:
                combo.addItem(label, code)
                self._no_rate(combo.count() - 1, hint)
            self._set(value)
        finally:
            combo.blockSignals(blocked)
        self.fit.fit_list()

    def _no_rate(self, index: int, hint: str) -> None:
        item = self.widget.model().item(index)  # a QComboBox's own model: a QStandardItemModel
        item.setEnabled(False)
        item.setToolTip(hint)

    def _set(self, value: Any) -> None:
        combo = self.widget
        if self._marked is not None:  # the previous value's mark goes
            index, label = self._marked
            combo.setItemText(index, label)
            self._marked = None
        known = value is None or combo.findData(value) >= 0
        super()._set(value)
        if value is None or self.reachable is None or value in self.reachable:
            return
        index = combo.currentIndex()
        if not known:  # added as it is (an obsolete or unknown code): greyed like the others without a rate
            combo.setItemText(index, currency_label(str(value), self.locale))
            self._no_rate(index, _(T_NO_RATE_HINT))
        label = combo.itemText(index)
        self._marked = (index, label)
        combo.setItemText(index, f"{label} · {_(T_NO_RATE_MARK)}")
        self.fit.fit_list()
        self.fit.refresh()


@cache
def languages(locale: str) -> tuple[tuple[str, str], ...]:
    return tuple((code, language_name(code, babel_locale(locale))) for code in DOCUMENT_LOCALES)


def fit_choices(combo: QComboBox, most: int = 40) -> None:
    """Wide enough for its longest choice (at most ``most`` characters), so a name is not cut off; a box
    with longer choices takes the whole width of the form's column, and a choice longer still is elided
    with the whole of it in the tooltip (desktop.shared.widgets.fit_choices, as for every box of the form)."""
    longest = max((len(combo.itemText(i)) for i in range(combo.count())), default=0)
    combo.setMinimumContentsLength(max(14, min(longest, most)))
    grow = QSizePolicy.Policy.Expanding if longest > most else QSizePolicy.Policy.Preferred
    combo.setSizePolicy(grow, combo.sizePolicy().verticalPolicy())
    shared_widgets.fit_choices(combo)


class MoneyField(f.TextField):
    """An amount typed as the locale writes it ("25,000" or "25 000"); kept exactly when it is not one."""

    def __init__(self, locale: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.locale = locale

    def value(self) -> str | None:
        from babel.numbers import NumberFormatError, parse_decimal

        text = self.widget.text().strip()
        if not text:
            return None
        try:
            return str(parse_decimal(text, locale=self.locale))
        except (NumberFormatError, InvalidOperation):
            return text  # shown back with a message; never lost

    def _set(self, value: Any) -> None:
        if value is None:
            self.widget.setText("")
            return
        try:
            from babel.numbers import format_decimal

            self.widget.setText(format_decimal(Decimal(str(value)), locale=self.locale))
        except (InvalidOperation, ValueError):
            self.widget.setText(str(value))


@dataclass(frozen=True)
class Spec:
    path: str
    label: str
    make: Callable[[QWidget], f.Field]
    group: str = ""
    """The titled section the field sits in (a key of GROUP_TITLES); empty: the form itself."""
    hint: str = ""
    """A tooltip saying exactly what the field means."""


def field_specs(pack: Pack, locale: str) -> dict[str, list[Spec]]:
    """The form, tab by tab, in tab order."""
    indications = [(i.code, pick(i.name, locale)) for i in pack.indications if i.status == "approved"]
    indications += [
        (i.code, pick(i.name, locale) + " · " + _("investigational"))
        for i in pack.indications
        if i.status != "approved"
    ]
    destinations = [(d.code, pick(d.name, locale)) for d in pack.destinations]
    today = QDate.currentDate()
    return {
        _("Patient"): [
            Spec("patient.full_name", _("Full name"), lambda p: f.TextField(p, _("as in the passport"))),
            Spec("patient.date_of_birth", _("Date of birth"), lambda p: f.DateField(p, latest=today)),
            Spec("patient.sex", _("Sex"), lambda p: f.ChoiceField([(s, _(SEX_LABELS[s])) for s in SEXES], p)),
            Spec("patient.nationality", _("Nationality"), lambda p: f.ChoiceField(countries(locale), p)),
            Spec("patient.language", _("Language of the plan"), lambda p: f.ChoiceField(languages(locale), p)),
            Spec("patient.email", _("E-mail"), lambda p: f.TextField(p, "name@example.org")),
            Spec("patient.phone", _("Phone"), lambda p: f.TextField(p, "+49 30 1234567")),
            Spec("patient.home_city", _("Home city"), lambda p: f.TextField(p)),
        ],
        _("Clinical"): [
            Spec("clinical.indication", _("Indication"), lambda p: f.ChoiceField(indications, p), DIAGNOSIS),
            Spec("clinical.diagnosis_text", _("Diagnosis as reported"), lambda p: f.TextField(p), DIAGNOSIS),
            # the treatment history in the order a call goes; the fields the indication's labels ask
            # about move to the top of the section (CaseEditor._follow_indication)
            Spec(
                "clinical.subtype",
                _("Subtype"),
                lambda p: f.ChoiceField([], p),
                HISTORY,
                _("The exact subtype of the disease, as the pathology report names it"),
            ),
            Spec(
                "clinical.disease_status",
                _("Disease status"),
                lambda p: f.ChoiceField([(s, _(DISEASE_LABELS[s])) for s in DISEASE_STATUSES], p),
                HISTORY,
                _("The course of the disease; a response to the latest salvage or bridging therapy does not change it"),
            ),
            Spec("clinical.relapse_count", _("Number of relapses"), lambda p: f.IntField(0, 30, p), HISTORY),
            Spec(
                "clinical.months_to_progression",
                _("Months from last therapy to relapse"),
                lambda p: f.NumberField(0, 600, p, " " + _("months")),
                HISTORY,
                _("Months from the end of the most recent line of therapy to the relapse or progression"),
            ),
            Spec(
                "clinical.transplant_eligible",
                _("Fit for a stem-cell transplant"),
                lambda p: f.YesNoField(p),
                HISTORY,
                _("Judged fit for high-dose chemotherapy and an autologous stem-cell transplant"),
            ),
            Spec("clinical.prior_lines", _("Prior lines of therapy"), lambda p: f.IntField(0, 30, p), HISTORY),
            Spec(
                "clinical.prior_therapies",
                _("Prior therapies"),
                lambda p: f.ListField(p, _("separated by commas, e.g. R-CHOP, VRd")),
                HISTORY,
            ),
            Spec(
                "clinical.refractory_to",
                _("Refractory to"),
                lambda p: f.ListField(p, _("separated by commas, e.g. lenalidomide, daratumumab")),
                HISTORY,
                _("Therapies the disease progressed on, or within 60 days of"),
            ),
            *(
                Spec(
                    f"clinical.biomarkers.{marker}",
                    _("{marker} test").format(marker=MARKER_NAMES[marker]),
                    lambda p: f.ChoiceField([(r, _(BIOMARKER_LABELS[r])) for r in BIOMARKER_RESULTS], p),
                    HISTORY,
                )
                for marker in BIOMARKERS
            ),
            Spec("clinical.ecog", _("ECOG performance status"), lambda p: f.IntField(0, 4, p, scale=" (0–4)"), HISTORY),
            Spec(
                "clinical.karnofsky_lansky",
                _("Karnofsky / Lansky score"),
                lambda p: f.IntField(0, 100, p, scale=" (0–100)"),
                HISTORY,
                _("Karnofsky from 16 years of age, Lansky below (0-100)"),
            ),
            Spec("clinical.cns_involvement", _("CNS involvement"), lambda p: f.YesNoField(p), HEALTH),
            Spec("clinical.active_infection", _("Active infection"), lambda p: f.YesNoField(p), HEALTH),
            Spec("clinical.hiv_hbv_hcv_active", _("Active HIV, HBV or HCV"), lambda p: f.YesNoField(p), HEALTH),
            Spec("clinical.prior_allo_sct", _("Prior allogeneic transplant"), lambda p: f.YesNoField(p), HEALTH),
            Spec("clinical.pregnant", _("Pregnant or breastfeeding"), lambda p: f.YesNoField(p), HEALTH),
            Spec(
                "clinical.creatinine_clearance_ml_min",
                _("Creatinine clearance"),
                lambda p: f.NumberField(0, 300, p, " mL/min"),
                HEALTH,
            ),
            Spec("clinical.lvef_percent", _("LVEF"), lambda p: f.NumberField(5, 90, p, " %"), HEALTH),
            Spec("clinical.alt_x_uln", _("ALT"), lambda p: f.NumberField(0, 100, p, " × ULN", 0.1), HEALTH),
            Spec("clinical.bilirubin_x_uln", _("Bilirubin"), lambda p: f.NumberField(0, 100, p, " × ULN", 0.1), HEALTH),
            Spec("clinical.spo2_percent", _("SpO₂ on room air"), lambda p: f.NumberField(50, 100, p, " %"), HEALTH),
            Spec("clinical.notes", _("Notes"), lambda p: f.NotesField(p)),
        ],
        _("Preferences"): [
            Spec("preferences.destinations", _("Destinations"), lambda p: f.ChecklistField(destinations, p)),
            Spec("preferences.currency", _("Currency"), lambda p: CurrencyField(locale, p)),
            Spec("preferences.budget", _("Budget"), lambda p: MoneyField(babel_locale(locale), p)),
            Spec("preferences.companions", _("Companions travelling"), lambda p: f.IntField(0, 10, p)),
            Spec(
                "preferences.insurance",
                _("Insurance"),
                lambda p: f.ChoiceField([(s, _(INSURANCE_LABELS[s])) for s in INSURANCE], p),
            ),
            Spec("coordinator.name", _("Coordinator"), lambda p: f.TextField(p)),
            Spec("coordinator.email", _("Coordinator's e-mail"), lambda p: f.TextField(p)),
        ],
    }


class FieldEdit(QUndoCommand):
    """One change of one field; consecutive changes of the same field merge into one step."""

    def __init__(self, editor: CaseEditor, path: str, old: Any, new: Any):
        super().__init__(_("Edit {field}").format(field=editor.labels.get(path, path)))
        self.editor, self.path, self.old, self.new = editor, path, old, new
        self.first = True

    def id(self) -> int:
        return hash(self.path) & 0x7FFFFFFF

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, FieldEdit) or other.path != self.path:
            return False
        self.new = other.new
        return True

    def redo(self) -> None:
        if self.first:  # the widget already shows the new value
            self.first = False
            return
        self.editor.undo_feedback.apply(self.path, self.new, undone=False)  # shown and named

    def undo(self) -> None:
        self.editor.undo_feedback.apply(self.path, self.old, undone=True)


class _UndoKeys(QObject):
    """Sends Ctrl+Z / Ctrl+Shift+Z from any field to the form's undo stack, not the widget's own."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and (
            event.matches(QKeySequence.StandardKey.Undo) or event.matches(QKeySequence.StandardKey.Redo)
        ):
            event.ignore()
            return True
        return False


class CaseEditor(QWidget):
    """Edits one case; ``save`` persists a document, ``duplicates`` finds other cases like it."""

    saved = Signal(int)
    field_edited = Signal(str)
    """A field was changed by the coordinator (typed, chosen, undone or redone; saved or not yet): its path."""
    status_changed = Signal(int, str)
    follow_up_changed = Signal(int, object)
    open_case = Signal(int)
    source_requested = Signal(str)

    def __init__(
        self,
        pack: Pack,
        locale: str,
        save: Callable[[int, dict[str, Any]], None],
        duplicates: Callable[[str, str | None, int], list[CaseRow]],
        parent: QWidget | None = None,
        rates: Callable[[], list[Rate]] | None = None,
        costs: Callable[[], list[CostDefault]] | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("caseEditor")
        self.pack, self.locale = pack, locale
        self._save, self._duplicates = save, duplicates
        self._rates = rates or (lambda: list(pack.rates))
        self._costs = costs or (lambda: list(pack.cost_defaults))
        self.indications = {i.code: [s.code for s in i.subtypes] for i in pack.indications}
        """Indication codes with their subtype codes: validation checks the subtype against the indication."""
        self.case: StoredCase | None = None
        self.document: dict[str, Any] = {}
        self.fields: dict[str, f.Field] = {}
        self.errors: dict[str, QLabel] = {}
        self.labels: dict[str, str] = {}
        self.hints: dict[str, str] = {}
        """Each field's hint (its tooltip, before any whole text of the field is added to it)."""
        self.rows: dict[str, tuple[QLabel, QWidget]] = {}
        """Each field's label and cell (the field with its message) in its form."""
        self.history_paths: list[str] = []
        """The treatment-history fields in their usual order."""
        self.history_order: list[str] = []
        """The treatment-history fields as shown now: those the indication's labels ask about first."""
        self.asked: list[str] = []
        self.clinical_paths: list[str] = []
        self.undo_stack = QUndoStack(self)
        self._loading = False
        self._dirty = False
        self._paused = False
        self.values: dict[str, Any] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(AUTOSAVE_MS)
        self._timer.timeout.connect(self.flush)
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.setInterval(RETRY_MS)
        self._retry.timeout.connect(self.flush)
        self.save_failure: str | None = None
        """Why the last save failed (in words), or None."""
        self._undo_keys = _UndoKeys(self)

        # header: reference, status, follow-up, save state
        # One line whatever the name's length: cut in its middle, so the reference stays in view
        self.title = StatusLabel(self, Qt.TextElideMode.ElideMiddle)
        self.title.setObjectName("caseTitle")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        self.status = f.ChoiceField([(s, _(STATUS_LABELS[s])) for s in CASE_STATUSES], self)
        self.status.widget.removeItem(0)  # a case always has a status
        self.status.widget.setObjectName("caseStatus")
        self.status.edited.connect(self._status_edited)
        self.follow_up = f.DateField(self)
        self.follow_up.widget.setObjectName("caseFollowUp")
        self.follow_up.edited.connect(self._follow_up_edited)
        self.save_state = StatusLabel(self)  # a long reason for a failed save never widens the page
        self.save_state.setObjectName("saveState")
        self.save_state.setAlignment(Qt.AlignmentFlag.AlignTrailing | Qt.AlignmentFlag.AlignVCenter)
        undo = self.undo_stack.createUndoAction(self, _("Undo"))
        undo.setShortcuts(QKeySequence.StandardKey.Undo)
        redo = self.undo_stack.createRedoAction(self, _("Redo"))
        redo.setShortcuts(QKeySequence.StandardKey.Redo)
        for action in (undo, redo):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
        self.undo_action, self.redo_action = undo, redo
        self.undo_feedback = UndoFeedback(self, undo, redo)  # "Undo <field>"; undo shows the field and says so
        header = self.header = QHBoxLayout()  # others add actions for the case at its end
        status_label = QLabel(_("&Status"), self)
        status_label.setBuddy(self.status.widget)
        follow_label = QLabel(_("&Follow-up"), self)
        follow_label.setBuddy(self.follow_up.widget)
        header.addWidget(status_label)
        header.addWidget(self.status.widget)
        header.addSpacing(12)
        header.addWidget(follow_label)
        header.addWidget(self.follow_up.widget)
        header.addStretch(1)

        self.banner = QLabel(self)
        self.banner.setObjectName("caseBanner")
        self.banner.setWordWrap(True)
        self.banner.setTextFormat(Qt.TextFormat.RichText)
        self.banner.linkActivated.connect(lambda link: self.open_case.emit(int(link.split(":")[1])))
        self.banner.hide()
        self.summary = QLabel(self)
        self.summary.setObjectName("validationSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)  # field paths from an imported file, never markup

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("caseTabs")
        for title, specs in field_specs(pack, locale).items():
            self.tabs.addTab(self._form(specs), title)
        self.clinical_paths = [p for p in self.fields if p.startswith("clinical.")]
        self._follow_rates()
        # Ctrl+Tab and Ctrl+Shift+Tab switch the tabs wherever the focus is in the case (a table or a text
        # box would otherwise take the keys for itself: a keyboard trap)
        self.tab_keys: list[QShortcut] = []
        for sequence, step in (("Ctrl+Tab", 1), ("Ctrl+Shift+Tab", -1), ("Ctrl+Shift+Backtab", -1)):
            key = QShortcut(QKeySequence(sequence), self)
            key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            key.activated.connect(lambda step=step: self.step_tab(step))
            self.tab_keys.append(key)
        fit_choices(self.fields["clinical.indication"].widget)
        self._follow_indication()
        self.screening_panel = ScreeningPanel(pack, locale, self)
        self.screening_panel.source_requested.connect(self.source_requested)
        self.screening_tab = self.tabs.addTab(self.screening_panel, _("Screening"))
        self.estimate_panel = EstimatePanel(pack, locale, self)
        self.estimate_tab = self.tabs.addTab(self.estimate_panel, _("Estimate"))

        footer = QHBoxLayout()
        undo_button = QPushButton(_("Undo"), self)
        undo_button.clicked.connect(self.undo_stack.undo)
        self.undo_stack.canUndoChanged.connect(undo_button.setEnabled)
        undo_button.setEnabled(False)
        redo_button = QPushButton(_("Redo"), self)
        redo_button.clicked.connect(self.undo_stack.redo)
        self.undo_stack.canRedoChanged.connect(redo_button.setEnabled)
        redo_button.setEnabled(False)
        for button in (undo_button, redo_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        footer.addWidget(undo_button)
        footer.addWidget(redo_button)
        footer.addStretch(1)
        footer.addWidget(self.save_state, 1)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(header)
        layout.addWidget(self.banner)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(footer)

    def step_tab(self, step: int) -> None:
        """The next (1) or previous (-1) enabled tab, round from the last to the first; the focus goes to
        the tab bar, as Qt's own Ctrl+Tab does, and not left in a page no longer shown."""
        count = self.tabs.count()
        index = self.tabs.currentIndex()
        for _i in range(count):
            index = (index + step) % count
            if self.tabs.isTabEnabled(index) and self.tabs.isTabVisible(index):
                break
        self.tabs.setCurrentIndex(index)
        bar = self.tabs.tabBar()
        target = bar if bar.focusPolicy() & Qt.FocusPolicy.TabFocus else self.tabs.currentWidget()
        target.setFocus(Qt.FocusReason.TabFocusReason)

    def _form(self, specs: list[Spec]) -> QScrollArea:
        page = QWidget()
        outer = QFormLayout(page)
        outer.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        forms: dict[str, QFormLayout] = {}
        labels: list[QLabel] = []
        for spec in specs:
            form = outer
            if spec.group:
                form = forms.get(spec.group)
                if form is None:
                    box = QGroupBox(_(GROUP_TITLES[spec.group]), page)
                    box.setObjectName(f"group:{spec.group}")
                    box.setStyleSheet("QGroupBox { font-weight: bold; }")  # the title; the fields keep their font
                    form = forms[spec.group] = QFormLayout(box)
                    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
                    outer.addRow(box)
                    if spec.group == HISTORY:
                        self.history_form = form
                        self.history_box = box
                        self.asks_caption = QLabel(box)
                        self.asks_caption.setObjectName("asksCaption")
                        self.asks_caption.setTextFormat(Qt.TextFormat.PlainText)
                        self.asks_caption.setWordWrap(True)
                        self.asks_caption.setEnabled(False)  # the palette's quieter text
                        self.asks_caption.hide()
                        form.addRow(self.asks_caption)
            field = spec.make(page)
            field.widget.setObjectName(spec.path)
            field.widget.setAccessibleName(spec.label)
            if spec.hint:
                field.widget.setToolTip(spec.hint)
                field.widget.setAccessibleDescription(spec.hint)
            field.widget.installEventFilter(self._undo_keys)
            if isinstance(field, f.DateField):
                field.edit.installEventFilter(self._undo_keys)
            field.edited.connect(lambda path=spec.path: self._edited(path))
            error = QLabel(page)
            error.setObjectName(f"error:{spec.path}")
            error.setStyleSheet("color: #d93025;")
            error.setTextFormat(Qt.TextFormat.PlainText)
            error.setWordWrap(True)
            error.hide()
            cell = QWidget(page)
            cell_layout = QVBoxLayout(cell)
            cell_layout.setContentsMargins(0, 0, 0, 0)
            cell_layout.setSpacing(2)
            cell_layout.addWidget(field.widget)
            cell_layout.addWidget(error)
            label = QLabel(spec.label, page)
            label.setObjectName(f"label:{spec.path}")
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setBuddy(field.widget)
            if spec.hint:
                label.setToolTip(spec.hint)
            form.addRow(label, cell)
            labels.append(label)
            self.fields[spec.path] = field
            self.errors[spec.path] = error
            self.labels[spec.path] = spec.label
            self.hints[spec.path] = spec.hint
            self.rows[spec.path] = (label, cell)
            if spec.group == HISTORY:
                self.history_paths.append(spec.path)
        if forms:  # one column of labels across the sections (room for a label in bold)
            bold = page.font()
            bold.setBold(True)
            width = max(QFontMetrics(bold).horizontalAdvance(f"{label.text()} ●") for label in labels) + 8
            for label in labels:
                label.setMinimumWidth(width)
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setWidget(page)
        area.setFrameShape(QScrollArea.Shape.NoFrame)
        area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # no Tab stop of its own: Tab goes from the tab bar straight to the first field, and a field that
        # takes the focus is scrolled into view by the area
        area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        return area

    def _follow_indication(self) -> None:
        """Subtypes of the chosen indication; what its labels ask about first, in bold; unrelated markers hidden."""
        code = self.fields["clinical.indication"].value()
        indication = self.pack.indication(code) if isinstance(code, str) else None
        subtype = self.fields["clinical.subtype"]
        subtypes = indication.subtypes if indication else ()
        choices = [(s.code, pick(s.name, self.locale)) for s in subtypes]
        subtype.set_choices(choices)
        fit_choices(subtype.widget)
        subtype.widget.setEnabled(bool(subtypes) or subtype.value() is not None)  # a value from a file can be cleared
        # what the pack says to ask first, then every other field a label condition of the indication turns on
        asks = [f"clinical.{name}" for name in indication.asks] if indication else []
        asks += [path for path in label_fields(self.pack, indication.code) if path not in asks] if indication else []
        self.asked = [path for path in asks if path in self.fields and path in self.history_paths]
        order = self.asked + [p for p in self.history_paths if p not in self.asked]
        form = self.history_form
        if order != self.history_order:
            while form.rowCount() > 1:  # row 0 is the caption
                form.takeRow(1)
            for path in order:
                label, cell = self.rows[path]
                form.addRow(label, cell)
            self.history_order = order
            self._set_tab_order()
        for path in self.history_paths:
            label, cell = self.rows[path]
            asked = path in self.asked
            font = label.font()
            font.setBold(asked)
            label.setFont(font)
            label.setText(f"{self.labels[path]} ●" if asked else self.labels[path])
            label.setToolTip(_(T_ASKED_BY_THE_LABELS) if asked else self.hints[path])
            form.setRowVisible(cell, self._relevant(path, code))
        if self.asked and indication is not None:
            self.asks_caption.setText(
                _("● First, in bold: what the product labels for {indication} turn on.").format(
                    indication=pick(indication.name, self.locale)
                )
            )
        form.setRowVisible(self.asks_caption, bool(self.asked))

    def _relevant(self, path: str, code: Any) -> bool:
        """A biomarker is shown where it means something, while it holds a value, or while no indication is chosen."""
        marker = path.removeprefix("clinical.biomarkers.")
        if marker == path or path in self.asked or not isinstance(code, str):
            return True
        return code in MARKER_INDICATIONS.get(marker, ()) or self.fields[path].value() is not None

    def _set_tab_order(self) -> None:
        """Tab goes through the Clinical tab in the order it shows its fields."""
        history = iter(self.history_order)
        order = [next(history) if p in self.history_paths else p for p in self.clinical_paths]
        widgets = [self.fields[p].widget for p in order]
        for before, after in pairwise(widgets):
            QWidget.setTabOrder(before, after)

    # --- loading and reading -----------------------------------------------------------------

    def load(self, case: StoredCase) -> None:
        """Show a case; any unsaved edit of the previous one is saved first."""
        self.flush()
        self._loading = True
        self.case = case
        self.document = copy.deepcopy(case.document)
        leaves = flatten(self.document)
        self._follow_rates()
        for path, field in self.fields.items():
            field.set_value(leaves.get(path))
        self._follow_indication()
        self.values = {path: field.value() for path, field in self.fields.items()}
        self.status.set_value(case.row.status)
        self.follow_up.set_value(case.row.follow_up)
        self._loading = False
        self.undo_stack.clear()
        self._show_title()
        self.save_state.setText(_("All changes saved"))
        self._validate()
        self._check_duplicates()

    def current_document(self) -> dict[str, Any]:
        """The case as the form shows it now (fields the form does not show are kept)."""
        document = copy.deepcopy(self.document)
        for path, field in self.fields.items():
            *parents, key = path.split(".")  # clinical.biomarkers.cd19: nested objects
            node = document
            for name in parents:
                if not isinstance(node.get(name), dict):
                    node[name] = {}
                node = node[name]
            node[key] = field.value()
        return document

    def show_row(self, row: CaseRow) -> None:
        """The case's status and follow-up as stored now (changed elsewhere, e.g. a plan confirmed sent),
        shown in the header without touching what is typed in the form."""
        if self.case is None or self.case.id != row.id:
            return
        self.case = replace(self.case, row=row)
        self._loading = True
        try:
            self.status.set_value(row.status)
            self.follow_up.set_value(row.follow_up)
        finally:
            self._loading = False

    def focus_field(self, path: str) -> None:
        """Show the tab holding field ``path`` and put the cursor in it."""
        field = self.fields.get(path)
        if field is None:
            return
        for index in range(self.tabs.count()):
            page = self.tabs.widget(index)
            if page is not None and page.isAncestorOf(field.widget):
                self.tabs.setCurrentIndex(index)
                break
        field.widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_title(self) -> None:
        assert self.case is not None
        name = self.fields["patient.full_name"].value() or _("Name not entered yet")
        sample = f"  ·  {_(T_FICTIONAL_SAMPLE)}" if self.case.row.sample else ""
        self.title.setText(f"{name}  ·  {self.case.reference}{sample}")

    # --- editing -----------------------------------------------------------------------------

    def _edited(self, path: str) -> None:
        if self._loading or self.case is None:
            return
        old, new = self.values.get(path), self.fields[path].value()
        if old == new:
            return
        self.values[path] = new
        self.undo_stack.push(FieldEdit(self, path, old, new))
        self._changed(path)

    def choose(self, path: str, value: Any) -> None:
        """Set a field for the coordinator (e.g. what another field suggests): an edit like any other, shown,
        validated, saved and undone by Undo."""
        self.fields[path].set_value(value)
        self._edited(path)

    def apply(self, path: str, value: Any) -> None:
        """Set a field from undo/redo, then treat it as an edit (validated and saved)."""
        self.fields[path].set_value(value)
        self.values[path] = self.fields[path].value()
        self._changed(path)

    def _changed(self, path: str) -> None:
        self._dirty = True
        self.save_state.setText(_("Saving…"))
        if not self._timer.isActive():  # from the first unsaved edit: continuous typing is saved too
            self._timer.start()
        if path == "clinical.indication":
            self._follow_indication()
        self._validate()
        if path in ("patient.full_name", "patient.date_of_birth"):
            self._show_title()
            self._check_duplicates()
        self.field_edited.emit(path)

    def flush(self) -> None:
        """Save now if an edit is waiting (while saving is paused it keeps waiting, nothing is lost)."""
        self._timer.stop()
        if self.case is None or not self._dirty or self._paused:
            return
        document = self.current_document()
        try:
            self._save(self.case.id, document)
        except Exception as exc:
            from services.faults import describe, is_passing

            if not is_passing(exc):
                raise
            self.save_failure = describe(exc)  # a full disk, a read-only folder, a lock: kept here, tried again
            self.save_state.setText(_("Not saved yet: {reason}").format(reason=self.save_failure))
            self._retry.start()
            return
        self.save_failure = None
        self._retry.stop()
        self.document = document
        self._dirty = False
        self.save_state.setText(_("All changes saved"))
        self.saved.emit(self.case.id)

    def has_pending(self) -> bool:
        return self._dirty

    def pause_saving(self) -> None:
        """Save what is typed so far, then keep later edits in the form until ``resume_saving`` (while the
        case store is re-encrypted on a connection of its own)."""
        self.flush()
        self._paused = True

    def resume_saving(self) -> None:
        self._paused = False
        self.flush()

    def _status_edited(self) -> None:
        if self.case is not None and not self._loading:
            self.status_changed.emit(self.case.id, self.status.value())

    def _follow_up_edited(self) -> None:
        """A follow-up date is stored once it is a whole date (or cleared); until then it is being typed."""
        if self.case is None or self._loading:
            return
        value = self.follow_up.value()
        try:
            day = date.fromisoformat(value) if value else None
        except ValueError:
            self.follow_up.edit.setToolTip(_("Type the date as YYYY-MM-DD"))
            return
        self.follow_up.edit.setToolTip("")
        self.follow_up_changed.emit(self.case.id, day)

    # --- feedback ----------------------------------------------------------------------------

    def _validate(self) -> None:
        document = self.current_document()
        self._screen(document)
        reachable = self._follow_rates()
        problems = case_problems(document, self.indications, currencies=reachable)
        by_field: dict[str, list[str]] = {}
        for problem in problems:
            by_field.setdefault(problem.field, []).append(problem.localized())
        for path, label in self.errors.items():
            messages = by_field.get(path)
            label.setText("; ".join(messages) if messages else "")
            label.setVisible(bool(messages))
            self.fields[path].widget.setProperty("invalid", bool(messages))
        if problems:
            names = ", ".join(dict.fromkeys(self.labels.get(p.field, p.field) for p in problems))
            self.summary.setText(_("Check: {fields}. Everything typed is kept.").format(fields=names))
            self.summary.setStyleSheet("color: #d93025;")
        else:
            self.summary.setText("")
        self.summary.setVisible(bool(problems))
        self.problems = problems

    def _follow_rates(self) -> frozenset[str]:
        """The currencies the rates in force reach (they may have changed in Settings), offered by the
        currency field."""
        reachable = reachable_currencies(self._rates())
        currency = self.fields.get("preferences.currency")
        if isinstance(currency, CurrencyField):
            currency.set_reachable(reachable)
        return reachable

    def refresh(self) -> None:
        """Screen and estimate again (rates or the theme changed), keeping what is typed."""
        self._validate()

    def _screen(self, document: dict[str, Any]) -> None:
        """Screen the case as it is typed now (invalid values count as unknown)."""
        case = parse_case_lenient(document, self.indications)
        result = screen(case, self.pack, locale=self.locale)
        self.screening_panel.show_screening(result, case.preferences.destinations)  # their regions first
        self.estimate = estimate(
            case, self.pack, rates=self._rates(), locale=self.locale, costs=self._costs(), screening=result
        )
        self.estimate_panel.show_estimate(self.estimate, result, case.preferences.budget)
        verdict = verdict_words(result.overall).split(":")[0]
        self.tabs.setTabText(self.screening_tab, _("Screening") + f" · {verdict}")
        self.screening = result

    def _check_duplicates(self) -> None:
        if self.case is None:
            return
        name = self.fields["patient.full_name"].value() or ""
        born = self.fields["patient.date_of_birth"].value()
        others = self._duplicates(name, born, self.case.id) if name and born else []
        if not others:
            self.banner.hide()
            self.banner.setText("")
            return
        links = ", ".join(f'<a href="case:{row.id}">{escape(row.reference)}</a>' for row in others)
        self.banner.setText(_("Possible duplicate: {cases} has the same name and date of birth.").format(cases=links))
        self.banner.show()

    def focus_first_field(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.fields["patient.full_name"].widget.setFocus(Qt.FocusReason.OtherFocusReason)
