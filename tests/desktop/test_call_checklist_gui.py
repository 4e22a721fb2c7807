"""Print call checklist… in the real window: the case menu's action asks for the language (the patient's by
default, or the coordinator's own) and where to save, then writes the PDF, says so and records it in the
audit log; a cancelled choice writes nothing, and a file that cannot be written is said in words."""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from desktop.cases.checklist import LanguageDialog
from desktop.shell.main_window import MainWindow
from planning.i18n import isolate, language_name
from tests.desktop.test_plan_gui import open_sample


def pdf_text(path: Path) -> str:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return unicodedata.normalize("NFKC", "\n".join(page.extract_text() for page in reader.pages))


def answer_language(qtbot, own: bool = False, cancel: bool = False) -> list[LanguageDialog]:
    """Answer the language dialog once it is shown (it is modal): keep the default, pick the coordinator's
    own language, or cancel. Returns the dialog seen, for the test to look at."""
    seen: list[LanguageDialog] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, LanguageDialog):
            QTimer.singleShot(20, answer)
            return
        seen.append(dialog)
        if cancel:
            dialog.reject()
            return
        if own:
            qtbot.mouseClick(dialog.own_choice, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, answer)
    return seen


def checklist_actions(window: MainWindow, case_id: int) -> list[str]:
    return [e.detail for e in window.cases_store.audit_entries(case_id) if e.action == "exported"]


def test_the_action_writes_the_checklist_in_the_patients_language(window: MainWindow, qtbot, tmp_path: Path) -> None:
    page = window.cases
    assert page.call_checklist.action in page.case_menu.actions()
    open_sample(window, "Anna")  # German, lymphoma, three destinations
    case_id = page.editor.case.id
    target = tmp_path / "anna-checklist.pdf"
    asked: list[Path] = []

    def choose(_parent, suggested: Path) -> Path:
        asked.append(suggested)
        return target

    page.call_checklist.choose_target = choose
    seen = answer_language(qtbot)
    page.call_checklist.action.trigger()
    qtbot.waitUntil(lambda: target.exists() and not page.call_checklist.busy, timeout=30000)
    dialog = seen[0]
    assert dialog.patient_choice.isChecked() and "Deutsch" in dialog.patient_choice.text()
    assert asked and asked[0].suffix == ".pdf" and page.editor.case.reference in asked[0].name
    text = pdf_text(target)
    assert page.editor.case.reference in text and "Anna Beispiel" in text
    assert "Reisepass" in "".join(text.split())  # the documents to prepare, in German
    assert str(target) in page.notice.text() and page.notice.isVisible()
    # the language name and the path isolated: "Call checklist saved in русский: …" keeps its order in any language
    assert isolate(language_name("de")) in page.notice.text() and isolate(str(target)) in page.notice.text()
    assert isolate(language_name("de")) in dialog.patient_choice.text()
    assert checklist_actions(window, case_id) == ["call checklist PDF (de)"]
    assert page.call_checklist.last == target


def test_the_coordinator_can_pick_their_own_language(window: MainWindow, qtbot, tmp_path: Path) -> None:
    page = window.cases
    open_sample(window, "Layla")  # Arabic
    target = tmp_path / "layla.pdf"
    page.call_checklist.choose_target = lambda _parent, _suggested: target
    answer_language(qtbot, own=True)
    page.call_checklist.action.trigger()
    qtbot.waitUntil(lambda: target.exists() and not page.call_checklist.busy, timeout=30000)
    text = pdf_text(target)
    assert "Call checklist" in text and "Documents to prepare" in text  # English: the interface's language
    assert checklist_actions(window, page.editor.case.id) == ["call checklist PDF (en)"]


def test_nothing_is_written_when_cancelled_and_a_bad_folder_is_said_in_words(
    window: MainWindow, qtbot, tmp_path: Path
) -> None:
    page = window.cases
    open_sample(window, "Wang")
    case_id = page.editor.case.id
    chosen: list[Path] = []
    page.call_checklist.choose_target = lambda _parent, suggested: chosen.append(suggested)  # returns None
    answer_language(qtbot, cancel=True)
    page.call_checklist.action.trigger()
    assert chosen == []  # cancelled at the language: no file asked for
    answer_language(qtbot)
    page.call_checklist.action.trigger()
    assert len(chosen) == 1 and not page.call_checklist.busy  # cancelled at the file
    missing = tmp_path / "no such folder" / "checklist.pdf"
    page.call_checklist.choose_target = lambda _parent, _suggested: missing
    answer_language(qtbot)
    page.call_checklist.action.trigger()
    qtbot.waitUntil(lambda: not page.call_checklist.busy, timeout=30000)
    qtbot.waitUntil(lambda: "could not be saved" in page.notice.text(), timeout=5000)
    assert "Nothing was written" in page.notice.text()
    assert not missing.parent.exists()
    assert checklist_actions(window, case_id) == []
    for widget in QApplication.topLevelWidgets():  # the warning, shown without blocking
        if widget.isVisible() and widget.objectName() != window.objectName() and widget is not window:
            widget.close()


def test_print_puts_the_checklist_on_the_printer_and_saves_no_file(window: MainWindow, qtbot, tmp_path: Path) -> None:
    from PySide6.QtPrintSupport import QPrinter

    page = window.cases
    open_sample(window, "Anna")
    case_id = page.editor.case.id
    printed = tmp_path / "printed.pdf"
    asked_for_file: list[Path] = []

    def printer_chosen(_parent) -> QPrinter:  # the print dialog's answer: a PDF printer stands in for paper
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(printed))
        return printer

    page.call_checklist.choose_printer = printer_chosen
    page.call_checklist.choose_target = lambda _parent, suggested: asked_for_file.append(suggested)

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, LanguageDialog):
            QTimer.singleShot(20, answer)
            return
        qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, answer)
    page.call_checklist.action.trigger()
    qtbot.waitUntil(lambda: page.call_checklist.printed_pages > 0 and not page.call_checklist.busy, timeout=30000)
    assert not asked_for_file  # printing asks for no file
    assert len(PdfReader(printed).pages) == page.call_checklist.printed_pages
    printed_entries = [e.detail for e in window.cases_store.audit_entries(case_id) if e.action == "printed"]
    assert printed_entries == [f"call checklist PDF (de), {page.call_checklist.printed_pages} pages"]
    assert "printer" in page.notice.text()
