"""The Plan tab as a coordinator uses it: generate, preview, save, print, e-mail, and every version kept."""

from __future__ import annotations

import email
import email.policy
import io
from datetime import datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QTimer
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop.plan.panel import safe_file_name
from desktop.shell.main_window import MainWindow
from planning.i18n import isolate, language_name


def open_sample(window: MainWindow, name_part: str) -> None:
    window.cases.add_samples()
    row = next(r for r in window.cases.model.rows if name_part in r.full_name)
    window.cases.open_case(row.id)


def generate(window: MainWindow, qtbot, language: str | None = None) -> None:
    panel = window.cases.plan_panel
    if language is not None:
        panel.language.setCurrentIndex(panel.language.findData(language))
    before = panel.versions.count()
    panel.generate_button.click()
    qtbot.waitUntil(lambda: not panel.busy and panel.versions.count() == before + 1, timeout=60000)
    qtbot.waitUntil(lambda: panel.document.status() == QPdfDocument.Status.Ready, timeout=10000)


def answer(name: str, button: str, seen: list[str] | None = None) -> None:
    """Click ``button`` of the message box ``name`` the panel is about to show (as the coordinator would),
    keeping its texts in ``seen``."""

    def click() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox) and box.objectName() == name
        if seen is not None:
            seen.append(box.text() + "\n" + box.informativeText())
        next(b for b in box.buttons() if b.text() == button).click()

    QTimer.singleShot(0, click)


def test_generate_shows_the_pdf_in_the_patients_language(window: MainWindow, qtbot) -> None:
    open_sample(window, "Anna")  # German-speaking patient
    panel = window.cases.plan_panel
    assert panel.language.currentData() == "de"
    assert not panel.save_button.isEnabled()  # nothing to save before a plan exists
    generate(window, qtbot)
    stored = window.cases_store.plan_pdf(panel.version.id)
    reader = PdfReader(io.BytesIO(stored))
    assert panel.document.pageCount() == len(reader.pages) >= 2
    assert str(len(reader.pages)) in panel.state.text()
    # "Plan ready in Deutsch: 5 pages": the language name and the number isolated, so an Arabic name (or an
    # Arabic interface) does not reorder the sentence around them ("Plan ready in 5 :العربية pages")
    assert isolate(language_name("de")) in panel.state.text()
    assert isolate(str(len(reader.pages))) in panel.state.text()
    assert "Behandlungsplan" in "".join(page.extract_text() for page in reader.pages)
    assert panel.version.locale == "de"
    assert panel.save_button.isEnabled() and panel.print_button.isEnabled() and panel.mail_button.isEnabled()


def test_save_as_writes_the_stored_pdf_and_a_bad_folder_is_reported(
    window: MainWindow, qtbot, tmp_path: Path, monkeypatch
) -> None:
    open_sample(window, "Anna")
    panel = window.cases.plan_panel
    generate(window, qtbot, "en")
    target = tmp_path / panel.file_name()
    panel.save_to(target)
    assert target.read_bytes() == window.cases_store.plan_pdf(panel.version.id)
    assert panel.file_name().endswith(".pdf") and "/" not in panel.file_name()

    warnings = []
    monkeypatch.setattr("desktop.plan.panel.QMessageBox.warning", lambda *args: warnings.append(args[2]))
    panel.save_to(tmp_path / "no-such-folder" / "plan.pdf")
    assert warnings and "could not be saved" in warnings[0]
    assert not (tmp_path / "no-such-folder").exists()


def test_safe_file_names() -> None:
    assert (
        safe_file_name("CP-2026-0001", "Анна Müller / x", "2026-11-26") == "CP-2026-0001_Анна_Müller_x_2026-11-26.pdf"
    )
    assert safe_file_name("../../etc", "passwd") == "etc_passwd.pdf"
    assert safe_file_name("", "") == "plan.pdf"
    assert len(safe_file_name("x" * 500)) == 104


def test_print_puts_every_page_on_the_printer(window: MainWindow, qtbot, tmp_path: Path) -> None:
    from PySide6.QtPrintSupport import QPrinter

    open_sample(window, "Anna")
    panel = window.cases.plan_panel
    generate(window, qtbot, "en")
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    pages = panel.print_to(printer)
    assert pages == panel.document.pageCount()
    assert len(PdfReader(tmp_path / "printed.pdf").pages) == pages


def test_email_draft_carries_the_plan_and_is_only_a_draft(window: MainWindow, qtbot) -> None:
    """Writing the draft is not sending it: the version stays unsent, the case keeps its status, and the
    audit log says a draft was saved (tests/desktop/test_plan_follows_case.py confirms the sending)."""
    open_sample(window, "Anna")
    panel = window.cases.plan_panel
    generate(window, qtbot)
    opened: list[Path] = []
    panel.opener = opened.append
    path = panel.email()
    assert opened == [path] and path.parent == window.data_dir / "outbox"
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert message["X-Unsent"] == "1"
    assert "Behandlungsplan" in message["Subject"]  # in the plan's language
    assert message["To"] == window.cases_store.get(panel.case_id).document["patient"].get("email", "")
    body = message.get_body(("plain",)).get_content()
    assert "Test Coordinator" in body
    attachments = list(message.iter_attachments())
    assert len(attachments) == 1 and attachments[0].get_content_type() == "application/pdf"
    assert attachments[0].get_content() == window.cases_store.plan_pdf(panel.version.id)
    version = window.cases_store.plan_versions(panel.case_id)[0]
    assert version.sent_at is None
    assert window.cases_store.get(panel.case_id).row.status == "new"
    entries = window.cases_store.audit_entries(panel.case_id)
    assert (entries[0].action, entries[0].detail) == ("plan_saved", f"version {version.id}, e-mail draft (not sent)")
    assert "emailed" not in [e.action for e in entries]
    assert panel.sent_button.isEnabled() and "not sent yet" in panel.state.text()


@pytest.mark.parametrize(
    ("typed", "to"),
    [
        ("anna.beispiel@example.org\n", "anna.beispiel@example.org"),  # a trailing line break: stripped
        (" anna.beispiel@example.org ", "anna.beispiel@example.org"),
        ("anna@example.org\r\nBcc: all@example.org", ""),  # a header forged by CR/LF: not an address at all
        ("anna@example.org, olga@example.org", ""),  # one address only
    ],
    ids=["trailing newline", "spaces", "CR/LF", "two addresses"],
)
def test_the_draft_takes_the_address_as_the_case_rule_reads_it(window: MainWindow, qtbot, typed: str, to: str) -> None:
    """What is stored as typed reaches the draft through the case's one e-mail rule: the draft always has its
    subject and the plan attached, and never a second header from the address field. An address the rule
    refuses is named first; the draft is made without a recipient only as the coordinator chooses."""
    open_sample(window, "Anna")
    panel = window.cases.plan_panel
    document = window.cases_store.get(panel.case_id).document
    document["patient"]["email"] = typed
    window.cases_store.save_document(panel.case_id, document, "Test Coordinator")
    generate(window, qtbot, "en")
    panel.opener = lambda path: None
    seen: list[str] = []
    if not to:
        answer("noRecipient", "Make the draft without a recipient", seen)
    message = email.message_from_bytes(panel.email().read_bytes(), policy=email.policy.default)
    assert bool(seen) == (not to)
    assert all("Patient e-mail" in text and "not one valid address" in text for text in seen)
    assert message["To"] == to
    assert message["Bcc"] is None
    assert "treatment plan" in message["Subject"]
    (attachment,) = message.iter_attachments()
    assert attachment.get_content() == window.cases_store.plan_pdf(panel.version.id)


def test_history_keeps_every_version_and_regenerates_it_unchanged(window: MainWindow, qtbot) -> None:
    open_sample(window, "Anna")
    panel = window.cases.plan_panel
    generate(window, qtbot, "en")
    first = panel.version
    first_pdf = window.cases_store.plan_pdf(first.id)
    window.store.set_rate("EUR", "USD", "2.5", "2026-11-20", "test")  # the rates move after the plan was made
    generate(window, qtbot, "ar")
    versions = window.cases_store.plan_versions(panel.case_id)
    assert [v.locale for v in versions] == ["ar", "en"]  # newest first
    assert panel.versions.count() == 2
    assert panel.regenerate(first.id) == first_pdf  # the frozen model, not today's rates
    panel.versions.setCurrentRow(1)
    assert panel.version.id == first.id
    qtbot.waitUntil(lambda: panel.document.status() == QPdfDocument.Status.Ready, timeout=10000)
    assert panel.document.pageCount() == len(PdfReader(io.BytesIO(first_pdf)).pages)


def test_show_in_folder_and_a_mail_program_that_fails_fall_back_to_the_folder(window: MainWindow, qtbot) -> None:
    open_sample(window, "Anna")
    panel = window.cases.plan_panel
    generate(window, qtbot)
    opened: list[Path] = []
    panel.opener = opened.append
    panel.folder_button.click()
    assert opened == [window.data_dir / "outbox"]
    assert list((window.data_dir / "outbox").glob("*.eml"))

    def no_mail_program(path: Path) -> None:
        if path.suffix == ".eml":
            raise OSError("no program opens it")
        opened.append(path)

    panel.opener = no_mail_program
    seen: list[str] = []
    answer("noMailProgram", "Open folder", seen)  # said in plain words; the folder opened on request
    path = panel.email()
    assert opened[-1] == path.parent and path.exists()
    assert seen and seen[0].startswith("No e-mail program was found on this computer.")


def test_page_navigation_and_zoom(window: MainWindow, qtbot) -> None:
    open_sample(window, "Anna")
    panel = window.cases.plan_panel
    generate(window, qtbot)
    assert panel.page.maximum() == panel.document.pageCount() >= 2
    panel.page.setValue(2)
    qtbot.waitUntil(lambda: panel.view.pageNavigator().currentPage() == 1)
    zoom = panel.view.zoomFactor()
    panel._zoom(1.25)
    assert panel.view.zoomFactor() == pytest.approx(zoom * 1.25)


def test_letter_paper_only_where_it_is_the_custom() -> None:
    from PySide6.QtCore import QLocale
    from PySide6.QtGui import QPageSize

    from desktop.shared.printing import paper_for

    assert paper_for(QLocale("en_US")) == QPageSize.PageSizeId.Letter
    assert paper_for(QLocale("es_MX")) == QPageSize.PageSizeId.Letter
    for name in ("en_GB", "de_DE", "ar_SA", "zh_CN", "ru_RU", "es_ES"):
        assert paper_for(QLocale(name)) == QPageSize.PageSizeId.A4, name


def test_thunderbird_gets_the_fields_and_the_pdf_as_a_file(window: MainWindow, qtbot) -> None:
    from urllib.parse import urlparse
    from urllib.request import url2pathname

    from desktop.plan.panel import thunderbird_compose

    open_sample(window, "Anna")
    panel = window.cases.plan_panel
    generate(window, qtbot)
    panel.opener = lambda path: None
    draft = panel.email()
    argument = thunderbird_compose(draft)
    assert "subject='" in argument and "Behandlungsplan" in argument
    assert "body='" in argument and "Test Coordinator" in argument
    uri = argument.split("attachment='")[1].rstrip("'")
    attached = Path(url2pathname(urlparse(uri).path))
    assert attached.parent == draft.parent and attached.suffix == ".pdf"
    assert attached.read_bytes() == window.cases_store.plan_pdf(panel.version.id)
    values = argument.split("',")
    assert all(value.count("'") == 1 for value in values[:-1])  # no quote inside a value ends it early


def test_versions_are_listed_with_the_languages_medium_date(window: MainWindow, qtbot) -> None:
    from planning.i18n import format_local_time, locale_scope

    open_sample(window, "Anna")
    generate(window, qtbot)
    panel = window.cases.plan_panel
    created = window.cases_store.plan_versions(panel.case_id)[0].created_at
    shown = panel.versions.item(0).text()
    assert shown.startswith(isolate(format_local_time(created, "en")) + " · ")  # "Dec 3, 2026, 4:08 PM"
    assert shown.endswith(isolate(language_name("de")))
    moment = datetime.fromisoformat(created).astimezone()
    assert f"{moment:%b} {moment.day}, {moment.year}" in shown  # medium date, not "12/3/26"
    with locale_scope("de"):
        panel.refresh()
        german = panel.versions.item(0).text()
    assert german.startswith(isolate(format_local_time(created, "de")) + " · ")
    assert f"{moment:%d.%m.%Y}" in german  # "03.12.2026", not "03.12.26"
    panel.refresh()
