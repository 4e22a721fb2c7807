"""Print call checklist…: the open case's questions still open and documents to prepare, as a PDF to print
or keep beside the telephone. The coordinator picks the language (the patient's plan language by default,
or their own interface language) and where to save it; the PDF is made off the GUI thread
(services.checklists, the same use case as ``careplan checklist``) and saved whole or not at all."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop.shared.printing import ask_printer, print_document
from planning.case import parse_case_lenient
from planning.files import safe_file_name
from planning.i18n import DOCUMENT_LOCALES, CatalogError, _, isolate, language_name
from services.checklists import MadeChecklist, checklist_locale, make_checklist, save_checklist
from services.settings import Preferences

PrinterChooser = Callable[[QWidget], object | None]
"""Asks for the printer (the standard print dialog); None when the coordinator cancels."""
TargetChooser = Callable[[QWidget, Path], Path | None]
"""Asks where to save the PDF, given the suggested file; None when the coordinator cancels."""


def choose_pdf_target(parent: QWidget, suggested: Path) -> Path | None:
    """The save dialog: a PDF file, ".pdf" added when the name has none."""
    path, _filter = QFileDialog.getSaveFileName(parent, _("Save the call checklist"), str(suggested), _("PDF (*.pdf)"))
    if not path:
        return None
    target = Path(path)
    return target if target.suffix.casefold() == ".pdf" else target.with_name(target.name + ".pdf")


class LanguageDialog(QDialog):
    """Which language the checklist is in: the patient's plan language (the default) or the coordinator's."""

    def __init__(self, patient: str, own: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("checklistLanguage")
        self.setWindowTitle(_("Print call checklist"))
        intro = QLabel(_("The open questions from the pre-screening and the documents to prepare, to print."), self)
        intro.setWordWrap(True)
        self.patient_choice = QRadioButton(
            _("The patient's language: {language}").format(language=isolate(language_name(patient))), self
        )
        self.patient_choice.setObjectName("checklistPatientLanguage")
        self.own_choice = QRadioButton(_("My language: {language}").format(language=isolate(language_name(own))), self)
        self.own_choice.setObjectName("checklistOwnLanguage")
        self.own_choice.setEnabled(own != patient)
        self.patient_choice.setChecked(True)
        self.choices = {patient: self.patient_choice, own: self.own_choice}
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.save_button = buttons.addButton(_("Save PDF…"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setObjectName("checklistSave")
        self.save_button.setDefault(True)
        self.print_button = buttons.addButton(_("Print…"), QDialogButtonBox.ButtonRole.ActionRole)
        self.print_button.setObjectName("checklistPrint")
        self.printing = False
        """True when the coordinator chose to print rather than save."""
        self.print_button.clicked.connect(self._print_chosen)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.patient_choice)
        layout.addWidget(self.own_choice)
        layout.addWidget(buttons)
        self.patient, self.own = patient, own

    def _print_chosen(self) -> None:
        self.printing = True
        self.accept()

    def chosen(self) -> str:
        return self.own if self.own_choice.isChecked() else self.patient


class CallChecklist(QObject):
    """The "Print call checklist…" action of the Cases page's case menu (the list's "…" button and context
    menu, the editor's header), and what it does."""

    def __init__(
        self,
        page,  # desktop.cases.page.CasesPage: its store, pack, editor, tasks and notice
        preferences: Callable[[], Preferences],
        choose_target: TargetChooser = choose_pdf_target,
        choose_printer: PrinterChooser = ask_printer,
    ):
        super().__init__(page)
        self.page, self._preferences, self.choose_target = page, preferences, choose_target
        self.choose_printer = choose_printer
        self.printed_pages = 0
        """Pages of the last checklist printed."""
        self.busy = False
        self.last: Path | None = None
        """The file the last checklist was saved to."""
        self.action = QAction(_("Print call checklist…"), page)
        self.action.setObjectName("printCallChecklist")
        self.action.setStatusTip(_("The open questions and the documents to prepare, as a PDF to print"))
        self.action.triggered.connect(self.start)
        menu = page.case_menu
        first = menu.actions()[0] if menu.actions() else None
        menu.insertAction(first, self.action)
        if first is not None:
            menu.insertSeparator(first)
        menu.aboutToShow.connect(lambda: self.action.setEnabled(page.editor.case is not None and not self.busy))

    def own_locale(self) -> str:
        """The coordinator's interface language as a document language (English for the pseudo-locale)."""
        locale = self.page.locale
        return locale if locale in DOCUMENT_LOCALES else "en"

    def start(self, _checked: bool = False, locale: str | None = None, printing: bool = False) -> None:
        """Ask for the language (unless given) and the file or the printer, then make the checklist and save or
        print it."""
        current = self.page._case_for_plan()  # the open case as typed now, saved first
        if current is None or self.busy:
            return
        case_id, document, reference = current
        case = parse_case_lenient(document, {i.code for i in self.page.pack.indications})
        if locale is None:
            dialog = LanguageDialog(checklist_locale(case), self.own_locale(), self.page)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            locale, printing = dialog.chosen(), dialog.printing
        name = (document.get("patient") or {}).get("full_name") or ""
        target: Path | None = None
        if not printing:
            suggested = Path.home() / safe_file_name(reference, name, _("checklist"), suffix=".pdf")
            target = self.choose_target(self.page, suggested)
            if target is None:
                return
        pack, preferences = self.page.pack, self._preferences()
        self.busy = True
        self.page.show_notice(_("Making the call checklist…"))

        def work() -> MadeChecklist:
            return make_checklist(case, pack, reference, locale, preferences, case_id=case_id)

        def done(made: MadeChecklist) -> None:
            self.busy = False
            if target is None:
                self._print(made)
                return
            try:
                save_checklist(made, target, self.page.store, self.page.who)
            except OSError as exc:
                self._failed(
                    _("The call checklist could not be saved: {reason}. Nothing was written.").format(
                        reason=exc.strerror or exc
                    )
                )
                return
            self.last = target
            shown = self.page.editor.case
            if shown is None or shown.id != case_id:  # another case is open now: its file name is not said there
                return
            self.page.show_notice(
                _("Call checklist saved in {language}: {path}").format(
                    language=isolate(language_name(made.checklist.locale)), path=isolate(str(target))
                )
            )

        def failed(error: Exception) -> None:
            self.busy = False
            if isinstance(error, CatalogError):
                self._failed(_("The call checklist could not be made: {reason}").format(reason=error))
            else:
                self._failed(_("The call checklist could not be made: {reason}").format(reason=type(error).__name__))

        self.page.plan_panel.tasks.run(work, done, failed)

    def _print(self, made: MadeChecklist) -> None:
        """The checklist on the printer the coordinator picks (recorded in the audit log as printed)."""
        printer = self.choose_printer(self.page)
        if printer is None:
            self.page.show_notice(_("The call checklist was not printed."))
            return
        buffer = QBuffer(self)
        buffer.setData(QByteArray(made.pdf))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        document = QPdfDocument(self)
        document.load(buffer)
        try:
            self.printed_pages = print_document(document, printer)
        finally:
            document.close()
            buffer.close()
        if made.case_id is not None:
            detail = f"call checklist PDF ({made.checklist.locale}), {self.printed_pages} pages"
            self.page.store.audit(self.page.who, "printed", made.case_id, detail)
        self.page.show_notice(
            _("Call checklist sent to the printer in {language}.").format(
                language=isolate(language_name(made.checklist.locale))
            )
        )

    def _failed(self, text: str) -> None:
        self.page.show_notice(text)
        box = QMessageBox(QMessageBox.Icon.Warning, _("Print call checklist"), text, parent=self.page)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.open()
