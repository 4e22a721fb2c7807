"""Settings: the organisation's terms printed on plans (deposit and payment; cancellation), one text of
each for every language a plan is written in.

One pair of fields shows the texts of the language chosen above them; what is typed for one language is
kept while another is shown, and stored when editing ends or the language changes. A text out of bounds
is named (with its language) and not stored; it stays shown and typed."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLabel, QPlainTextEdit, QWidget

from desktop.settings.editors import error_label, on_editing_finished, show_problems, text_editor
from planning.catalogs import CatalogError
from planning.i18n import DEFAULT_LOCALE, DOCUMENT_LOCALES, _, is_rtl, language_name, locale_scope
from planning.plan_sections import DEFAULT_CANCELLATION_TERMS, DEFAULT_PAYMENT_TERMS
from services.settings import Preferences, problems

FIELDS = ("payment_terms", "cancellation_terms")
"""The preferences this section keeps, each a text by document language."""
DEFAULT_WORDING = {"payment_terms": DEFAULT_PAYMENT_TERMS, "cancellation_terms": DEFAULT_CANCELLATION_TERMS}
"""What a plan prints where no terms are set, shown greyed in the empty fields (in the chosen language)."""
LINES = 5
"""Lines of each field (they scroll beyond)."""


class TermsSection(QGroupBox):
    """The "Terms printed on plans" group. ``save(**changes)`` stores preferences and returns them as
    stored (None when they could not be stored)."""

    def __init__(
        self,
        stored: Preferences,
        locale: str,
        save: Callable[..., Preferences | None],
        parent: QWidget | None = None,
    ):
        super().__init__(_("Terms printed on plans"), parent)
        self.setObjectName("termsSection")
        self._save = save
        self.saved = {name: dict(getattr(stored, name)) for name in FIELDS}
        """The texts as stored, by field and language."""
        self.typed = {name: dict(texts) for name, texts in self.saved.items()}
        """The texts as typed (the shown language's as of the last switch or save), by field and language."""

        form = QFormLayout(self)
        hint = QLabel(
            _("Printed on every plan in the chosen language. Left empty, the greyed wording is printed."), self
        )
        hint.setWordWrap(True)
        form.addRow(hint)
        self.language = QComboBox(self)
        self.language.setObjectName("termsLanguage")
        for code in DOCUMENT_LOCALES:
            self.language.addItem(language_name(code), code)
        first = locale if locale in DOCUMENT_LOCALES else DEFAULT_LOCALE
        self.language.setCurrentIndex(max(self.language.findData(first), 0))
        self.shown: str = self.language.currentData()
        """The language whose texts the fields show."""
        form.addRow(_("Language of the plan"), self.language)
        self.editors: dict[str, QPlainTextEdit] = {
            "payment_terms": text_editor("termsPayment", LINES, self),
            "cancellation_terms": text_editor("termsCancellation", LINES, self),
        }
        form.addRow(_("Deposit and payment"), self.editors["payment_terms"])
        form.addRow(_("Cancellation"), self.editors["cancellation_terms"])
        self.errors = error_label("termsErrors", self)
        form.addRow(self.errors)
        for editor in self.editors.values():
            on_editing_finished(editor, self.save)
        self._show(self.shown)
        self.language.currentIndexChanged.connect(self._language_chosen)

    @property
    def payment(self) -> QPlainTextEdit:
        return self.editors["payment_terms"]

    @property
    def cancellation(self) -> QPlainTextEdit:
        return self.editors["cancellation_terms"]

    def _show(self, code: str) -> None:
        """The fields with the texts typed for ``code``, the default wording in that language greyed."""
        direction = Qt.LayoutDirection.RightToLeft if is_rtl(code) else Qt.LayoutDirection.LeftToRight
        try:
            with locale_scope(code):
                defaults = {name: _(wording) for name, wording in DEFAULT_WORDING.items()}
        except CatalogError:  # that language's catalog is broken: its plans are refused; show the English
            defaults = {name: _(wording) for name, wording in DEFAULT_WORDING.items()}
        for name, editor in self.editors.items():
            blocked = editor.blockSignals(True)
            try:
                editor.setPlainText(self.typed[name].get(code, ""))
                editor.setPlaceholderText(defaults[name])
                editor.setLayoutDirection(direction)  # typed in the plan's language, not the app's
                option = editor.document().defaultTextOption()  # QPlainTextEdit aligns by this alone
                option.setTextDirection(direction)
                option.setAlignment(Qt.AlignmentFlag.AlignRight if is_rtl(code) else Qt.AlignmentFlag.AlignLeft)
                editor.document().setDefaultTextOption(option)
                editor.document().setModified(False)
            finally:
                editor.blockSignals(blocked)

    def _keep_typed(self) -> None:
        for name, editor in self.editors.items():
            self.typed[name][self.shown] = editor.toPlainText()

    def _language_chosen(self, _index: int) -> None:
        self._keep_typed()  # what was typed for the language shown until now is kept, and stored if it can be
        if any(editor.document().isModified() for editor in self.editors.values()):
            self.save()
        self.shown = self.language.currentData()
        self._show(self.shown)

    def save(self) -> bool:
        """Store the texts of every language that are within bounds, and name the others (in the red
        label; they stay typed and are not stored). True when everything typed is stored."""
        self._keep_typed()
        for editor in self.editors.values():
            editor.document().setModified(False)
        candidate = Preferences(**{name: dict(self.typed[name]) for name in FIELDS})
        found = {key: text for key, text in problems(candidate).items() if key.split(".")[0] in FIELDS}
        changes = {
            name: {
                code: self.saved[name].get(code, "") if f"{name}.{code}" in found else self.typed[name].get(code, "")
                for code in DOCUMENT_LOCALES
            }
            for name in FIELDS
        }
        show_problems(self.errors, list(found.values()))
        stored = self._save(**changes)
        if stored is not None:
            self.saved = {name: dict(getattr(stored, name)) for name in FIELDS}
        return stored is not None and not found
