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
    from desktop.fonts import load_bundled_fonts, ui_font
    from desktop.main_window import MainWindow
    from desktop.tasks import TaskRunner
    from desktop.theme import apply_theme

    app = QApplication(sys.argv[:1])
    app.setStyle("Fusion")
    apply_theme(app, "dark" if args.dark else "light")
    from desktop.language import use_qt_translations
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
        lambda: KnowledgeStore.open(base / "k.sqlite", check_same_thread=False),
        lambda codes: CaseStore.open(base / "cases.sqlite", codes, check_same_thread=False),
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

    from desktop.plan_panel import paper_for

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
    return 0


if __name__ == "__main__":
    sys.exit(main())
