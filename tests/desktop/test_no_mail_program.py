"""No e-mail program on this computer: the draft's dialog says so in plain words, where the draft and the PDF
are, and offers Open folder and Copy path."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from PySide6.QtGui import QGuiApplication

from desktop.shell.main_window import MainWindow
from tests.desktop.test_plan_gui import answer, generate, open_sample


def test_no_mail_program_is_said_with_the_folder_offered(window: MainWindow, qtbot) -> None:
    open_sample(window, "Anna")
    panel = window.cases.plan_panel
    generate(window, qtbot, "en")
    opened: list[Path] = []

    def no_mail_program(path: Path) -> None:  # as default_opener fails where nothing opens an .eml
        if path.suffix == ".eml":
            raise OSError(f"no program opens {path.name}")
        opened.append(path)

    panel.opener = no_mail_program
    seen: list[str] = []
    answer("noMailProgram", "Open folder", seen)
    draft = panel.email()
    outbox = window.data_dir / "outbox"
    assert draft is not None and draft.parent == outbox
    (text,) = seen
    assert text.startswith("No e-mail program was found on this computer. The draft and the PDF are saved in")
    assert str(outbox) in text
    assert opened == [outbox]  # only when asked: Open folder
    pdf = outbox / panel.file_name()
    assert pdf.read_bytes() == window.cases_store.plan_pdf(panel.version.id)  # beside the draft, to attach
    assert len(PdfReader(pdf).pages) == panel.document.pageCount()
    assert "not sent yet" in panel.state.text()

    QGuiApplication.clipboard().clear()
    answer("noMailProgram", "Copy path")
    panel.email()
    assert QGuiApplication.clipboard().text() == str(outbox)
    assert opened == [outbox]  # nothing opened this time
