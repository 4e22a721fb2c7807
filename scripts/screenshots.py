"""Drive the real main window through its screens and save a PNG of each (for looking, and docs/).

    .venv/bin/python scripts/screenshots.py OUTDIR [--dark]

Runs on any Qt platform: under Xvfb (DISPLAY set) for a real window, or offscreen.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--dark", action="store_true", help="a dark palette")
    parser.add_argument("--locale", default="en", help="interface language (en, zh_CN, es, ru, ar, de, pseudo)")
    parser.add_argument("--size", default="1280x820")
    parser.add_argument("--generate", type=int, default=0, help="fill the case list with N fictional cases first")
    args = parser.parse_args()
    args.outdir.mkdir(parents=True, exist_ok=True)

    from PySide6.QtCore import QLocale, QSettings, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from db.case_store import CaseStore
    from db.knowledge_store import KnowledgeStore
    from desktop.settings.theme import apply_theme
    from desktop.shared.fonts import load_bundled_fonts, ui_font
    from desktop.shared.tasks import TaskRunner
    from desktop.shell.main_window import MainWindow

    app = QApplication(sys.argv[:1])
    app.setStyle("Fusion")
    apply_theme(app, "dark" if args.dark else "light")
    from desktop.settings.language import use_qt_translations
    from planning.i18n import is_rtl, set_locale

    set_locale(args.locale)
    use_qt_translations(app, args.locale)
    if is_rtl(args.locale):
        app.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    load_bundled_fonts()
    app.setFont(ui_font())
    base = Path(tempfile.mkdtemp(prefix="careplan-shots-"))
    if args.generate:
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
        from generate_cases import generate

        from planning.knowledge.pack import load_pack

        codes = {i.code for i in load_pack().indications}
        generate(CaseStore.open(base / "cases.sqlite", codes), args.generate)
    settings = QSettings(str(base / "settings.ini"), QSettings.Format.IniFormat)
    tasks = TaskRunner(app)
    window = MainWindow(
        settings,
        args.locale,
        tasks,
        lambda: KnowledgeStore.open(base / "knowledge.sqlite"),  # the window prepares its data directory's
        lambda codes: CaseStore.open(base / "cases.sqlite", codes),
        base,
        "Screenshot Coordinator",
    )
    width, height = (int(v) for v in args.size.split("x"))
    window.resize(width, height)
    window.show()
    window.load_store()
    while window.store is None:
        app.processEvents()
        QTest.qWait(20)
    QTest.qWait(200)

    def shot(name: str) -> None:
        QTest.qWait(150)
        path = args.outdir / f"{name}.png"
        window.grab().save(str(path))
        print(path)

    if args.generate:
        window.cases.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        window.cases.open_case(window.cases.model.rows[3].id)
        shot("00-cases-many")
        window.close()
        tasks.wait()
        return 0
    shot("00-cases-empty")
    window.cases.add_samples()
    shot("09-cases-samples")
    editor = window.cases.editor
    for row in window.cases.model.rows:
        if "Dmitri" in row.full_name:
            window.cases.open_case(row.id)
    editor.tabs.setCurrentIndex(editor.screening_tab)
    editor.screening_panel.tree.topLevelItem(1).setExpanded(True)
    shot("13-case-screening")
    for row in window.cases.model.rows:
        if "Layla" in row.full_name:
            window.cases.open_case(row.id)
    editor.tabs.setCurrentIndex(editor.screening_tab)
    editor.screening_panel.tree.topLevelItem(2).setExpanded(True)
    shot("14-case-screening-regions")
    editor.tabs.setCurrentIndex(editor.estimate_tab)
    shot("15-case-estimate")
    editor.tabs.setCurrentIndex(editor.plan_tab)

    def make_plan(panel) -> None:
        panel.generate()
        while panel.busy:
            app.processEvents()
            QTest.qWait(50)
        QTest.qWait(400)

    panel = window.cases.plan_panel
    make_plan(panel)
    shot("18-case-plan")
    panel.language.setCurrentIndex(panel.language.findData("en"))
    make_plan(panel)
    shot("19-case-plan-versions")
    from PySide6.QtGui import QPageSize
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    from desktop.shared.printing import paper_for

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(paper_for(QLocale.system())))
    dialog = QPrintDialog(printer, window)
    dialog.show()
    QTest.qWait(400)
    dialog.grab().save(str(args.outdir / "20-print-dialog.png"))
    print(args.outdir / "20-print-dialog.png")
    dialog.reject()
    window.cases.new_case()
    QTest.keyClicks(editor.fields["patient.full_name"].widget, "Sample Patient Anna Beispiel")
    editor.fields["patient.date_of_birth"].set_value("1968-04-12")
    editor._edited("patient.date_of_birth")
    QTest.keyClicks(editor.fields["patient.email"].widget, "anna.beispiel@")
    QTest.keyClicks(editor.fields["patient.phone"].widget, "call me")
    shot("10-case-validation")
    editor.tabs.setCurrentIndex(1)
    shot("11-case-clinical")
    editor.tabs.setCurrentIndex(2)
    shot("12-case-preferences")
    window.nav.setCurrentRow(3)
    shot("16-settings")
    from PySide6.QtWidgets import QScrollArea

    area = window.settings_page.findChild(QScrollArea)
    area.verticalScrollBar().setValue(area.verticalScrollBar().maximum())
    shot("17-settings-assumptions")
    window.nav.setCurrentRow(1)
    shot("01-library-therapy")
    window.focus_search()
    QTest.keyClicks(window.search, "lymph")
    shot("02-search-results")
    QTest.keyClick(window.search, Qt.Key.Key_Escape)
    window.search.clear()
    window.open_record("indication", "mm")
    shot("03-indication")
    window.open_record("indication", "sle")
    shot("04-investigational")
    window.open_record("faq", window.store.pack().faqs[2].id)
    shot("05-faq")
    window.open_record("source", "car_t_china_overview")
    shot("06-source")
    window.open_destination("CN")
    shot("07-destinations")
    window.focus_search()
    window.search.setText("骨髓")  # QTest types ASCII only
    shot("08-search-chinese")
    window.close()
    tasks.wait()
    access_shots(app, args, base, tasks, (width, height))
    return 0


def access_shots(app, args, base: Path, tasks, size: tuple[int, int]) -> None:
    """21+: first start, the warning for no encryption, unlocking, the lock over a dialog, a damaged store."""
    import os

    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtGui import QPainter, QPalette
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QDialog, QFormLayout, QLineEdit, QScrollArea, QTextEdit

    from db.knowledge_store import KnowledgeStore
    from db.vault import CaseVault
    from desktop.cases.page import EraseDialog, sample_documents
    from desktop.shell.main_window import MainWindow

    passphrase = "correct horse battery"

    def save(pixmap, name: str) -> None:
        path = args.outdir / f"{name}.png"
        pixmap.save(str(path))
        print(path)

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
        save(picture, name)

    def vault_window(prepare=None) -> tuple[MainWindow, CaseVault]:
        folder = Path(tempfile.mkdtemp(prefix="careplan-access-"))
        vault = CaseVault(folder / "cases.sqlite")
        if prepare is not None:
            prepare(vault)
        window = MainWindow(
            QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat),
            args.locale,
            tasks,
            lambda: KnowledgeStore.open(folder / "knowledge.sqlite"),  # the window prepares its data directory's
            lambda codes: vault.open(codes),
            folder,
            "Screenshot Coordinator",
            vault=vault,
        )
        window.resize(*size)
        window.show()
        window.load_store()
        while window.store is None:
            app.processEvents()
            QTest.qWait(20)
        return window, vault

    def wait(condition) -> None:
        for _ in range(500):
            if condition():
                return
            QTest.qWait(20)

    def with_cases(vault: CaseVault) -> None:
        from planning.knowledge.pack import load_pack

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
    save(audit.grab(), "29-audit-log")
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
