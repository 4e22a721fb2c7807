"""Drive the real main window through its screens and save a PNG of each (for looking, and docs/).

    .venv/bin/python scripts/screenshots.py OUTDIR [--dark]

Runs on any Qt platform: under Xvfb (DISPLAY set) for a real window, or offscreen.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QPageSize, QPainter, QPalette
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog, QFormLayout, QLineEdit, QScrollArea, QTextEdit
from shots_common import (
    argument_parser,
    case_store,
    data_folder,
    finish,
    main_window,
    make_plan,
    save,
    shot,
    start,
)

from db.vault import CaseVault
from desktop.cases.page import EraseDialog, sample_documents
from desktop.shared.printing import paper_for
from desktop.shell.main_window import MainWindow
from planning.knowledge.pack import load_pack


def main() -> int:
    parser = argument_parser("1280x820")
    parser.add_argument("--generate", type=int, default=0, help="fill the case list with N fictional cases first")
    args, app = start(parser)
    base = data_folder()
    if args.generate:
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
        from generate_cases import generate

        generate(case_store(base), args.generate)
    window = main_window(args, base)

    def shoot(name: str) -> None:
        shot(window, args.outdir / f"{name}.png")

    if args.generate:
        window.cases.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        window.cases.open_case(window.cases.model.rows[3].id)
        shoot("00-cases-many")
        return finish(window)
    shoot("00-cases-empty")
    window.cases.add_samples()
    shoot("09-cases-samples")
    editor = window.cases.editor
    for row in window.cases.model.rows:
        if "Dmitri" in row.full_name:
            window.cases.open_case(row.id)
    editor.tabs.setCurrentIndex(editor.screening_tab)
    editor.screening_panel.tree.topLevelItem(1).setExpanded(True)
    shoot("13-case-screening")
    for row in window.cases.model.rows:
        if "Layla" in row.full_name:
            window.cases.open_case(row.id)
    editor.tabs.setCurrentIndex(editor.screening_tab)
    editor.screening_panel.tree.topLevelItem(2).setExpanded(True)
    shoot("14-case-screening-regions")
    editor.tabs.setCurrentIndex(editor.estimate_tab)
    shoot("15-case-estimate")
    editor.tabs.setCurrentIndex(editor.plan_tab)

    panel = window.cases.plan_panel
    make_plan(panel)
    shoot("18-case-plan")
    panel.language.setCurrentIndex(panel.language.findData("en"))
    make_plan(panel)
    shoot("19-case-plan-versions")
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(paper_for(QLocale.system())))
    dialog = QPrintDialog(printer, window)
    dialog.show()
    QTest.qWait(400)
    save(dialog.grab(), args.outdir / "20-print-dialog.png")
    dialog.reject()
    window.cases.new_case()
    QTest.keyClicks(editor.fields["patient.full_name"].widget, "Sample Patient Anna Beispiel")
    editor.fields["patient.date_of_birth"].set_value("1968-04-12")
    editor._edited("patient.date_of_birth")
    QTest.keyClicks(editor.fields["patient.email"].widget, "anna.beispiel@")
    QTest.keyClicks(editor.fields["patient.phone"].widget, "call me")
    shoot("10-case-validation")
    editor.tabs.setCurrentIndex(1)
    shoot("11-case-clinical")
    editor.tabs.setCurrentIndex(2)
    shoot("12-case-preferences")
    window.nav.setCurrentRow(3)
    shoot("16-settings")
    area = window.settings_page.findChild(QScrollArea)
    area.verticalScrollBar().setValue(area.verticalScrollBar().maximum())
    shoot("17-settings-assumptions")
    window.nav.setCurrentRow(1)
    shoot("01-library-therapy")
    window.focus_search()
    QTest.keyClicks(window.search, "lymph")
    shoot("02-search-results")
    QTest.keyClick(window.search, Qt.Key.Key_Escape)
    window.search.clear()
    window.open_record("indication", "mm")
    shoot("03-indication")
    window.open_record("indication", "sle")
    shoot("04-investigational")
    window.open_record("faq", window.store.pack().faqs[2].id)
    shoot("05-faq")
    window.open_record("source", "car_t_china_overview")
    shoot("06-source")
    window.open_destination("CN")
    shoot("07-destinations")
    window.focus_search()
    window.search.setText("骨髓")  # QTest types ASCII only
    shoot("08-search-chinese")
    finish(window)
    access_shots(app, args, window.tasks)
    return 0


def access_shots(app, args, tasks) -> None:
    """21+: first start, the warning for no encryption, unlocking, the lock over a dialog, a damaged store."""
    passphrase = "correct horse battery"

    def with_windows(window, name: str) -> None:
        """The main window with the dialogs in front of it drawn where they are."""
        QTest.qWait(250)
        picture = window.grab()
        painter = QPainter(picture)
        origin = window.mapToGlobal(window.rect().topLeft())
        for other in app.topLevelWidgets():
            if (
                other is not window
                and other.isVisible()
                and other.isWindow()
                and other.windowType() != Qt.WindowType.Popup
            ):
                at = other.mapToGlobal(other.rect().topLeft()) - origin
                painter.drawPixmap(at, other.grab())
                painter.setPen(other.palette().color(QPalette.ColorRole.Mid))  # the edge a window frame would draw
                painter.drawRect(at.x(), at.y(), other.width() - 1, other.height() - 1)
        painter.end()
        save(picture, args.outdir / f"{name}.png")

    def vault_window(prepare=None) -> tuple[MainWindow, CaseVault]:
        folder = data_folder("careplan-access-")
        vault = CaseVault(folder / "cases.sqlite")
        if prepare is not None:
            prepare(vault)
        window = main_window(
            args,
            folder,
            tasks=tasks,
            open_cases=lambda codes: vault.open(codes),
            vault=vault,
            settle=0,
        )
        return window, vault

    def wait(condition) -> None:
        for _ in range(500):
            if condition():
                return
            QTest.qWait(20)

    def with_cases(vault: CaseVault) -> None:
        vault.setup(passphrase)
        store = vault.open(frozenset(i.code for i in load_pack().indications))
        for document in sample_documents():
            store.create(document, "Screenshot Coordinator", sample=True)
        store.close()

    window, _vault = vault_window()
    form = window.gate.form
    QTest.keyClicks(form.passphrase, "short")
    form.submit()
    with_windows(window, "21-first-start")
    form.passphrase.clear()
    form.confirm_plain()
    with_windows(window, "22-first-start-no-encryption")
    form.last_question.reject()
    window.close()

    def locked_store(vault: CaseVault) -> None:
        with_cases(vault)
        vault.key = None  # as after a restart: the passphrase is asked

    window, _vault = vault_window(locked_store)
    form = window.gate.form
    form.passphrase.setText("not the passphrase")
    form.submit()
    wait(lambda: form.remaining > 0)
    with_windows(window, "23-unlock-wrong-passphrase")
    window.close()

    window, _vault = vault_window(with_cases)
    wait(lambda: window.cases is not None and window.lock.armed)
    window.cases.open_case(window.cases.model.rows[1].id)
    dialog = QDialog(window)
    dialog.setWindowTitle("Notes")
    layout = QFormLayout(dialog)
    layout.addRow("Subject", QLineEdit("Call back about the visa letter"))
    layout.addRow("Note", QTextEdit("Patient asked about travel with two companions."))
    dialog.resize(460, 260)
    dialog.open()
    QTest.qWait(200)
    with_windows(window, "24-before-lock-with-dialog")
    window.lock.lock()
    with_windows(window, "24-locked-with-dialog")
    window.lock.form.passphrase.setText("not the passphrase")
    window.lock.form.submit()
    wait(lambda: window.lock.form.remaining > 0)
    with_windows(window, "25-locked-wrong-passphrase")
    window.lock.unlock()
    dialog.reject()
    window.nav.setCurrentRow(3)  # Settings: security and backups
    security = window.settings_page.security
    window.settings_page.findChild(QScrollArea).ensureWidgetVisible(security, 0, 0)
    QTest.qWait(200)
    with_windows(window, "27-settings-security")
    passphrase_dialog = security.open_passphrase_dialog()
    passphrase_dialog.submit()  # empty: every field says what is wrong
    with_windows(window, "28-change-passphrase")
    passphrase_dialog.reject()
    audit = security.open_audit_log()
    audit.resize(1000, 480)
    QTest.qWait(200)
    save(audit.grab(), args.outdir / "29-audit-log.png")
    audit.reject()
    window.nav.setCurrentRow(0)
    shown = window.cases.editor.case
    erase = EraseDialog(shown.reference, window.cases.editor.fields["patient.full_name"].value(), window)
    erase.open()
    with_windows(window, "30-erase-patient")
    erase.reject()
    window.lock.disarm()
    window.close()

    def damaged(vault: CaseVault) -> None:
        locked_store(vault)
        with open(vault.path, "r+b") as file:
            file.seek(4096 * 2 + 100)
            file.write(os.urandom(600))

    window, _vault = vault_window(damaged)
    window.gate.form.passphrase.setText(passphrase)
    window.gate.form.submit()
    wait(lambda: type(window.gate.form).__name__ == "DamagedForm")
    with_windows(window, "26-damaged-store")
    window.close()
    tasks.wait()


if __name__ == "__main__":
    sys.exit(main())
