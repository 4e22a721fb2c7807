"""Save PNGs of Duplicate case (the case menu, the new case opened with its notice) and of Compare… (two
plan versions, the second with one more destination and more companions; the comparison dialog), for
looking and docs/.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/shots_duplicate_compare.py OUTDIR [--dark] [--locale ar]

The real main window at 1366x768 on a new data folder (no encryption) with the sample cases; Anna's case
is duplicated and two plans are made for the copy. The menu and the dialog are separate windows: each is
painted onto the main window's picture where it stands on the screen.
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
    parser.add_argument("--locale", default="en", help="interface language (en, zh_CN, es, ru, ar, de)")
    parser.add_argument("--size", default="1366x768")
    args = parser.parse_args()
    args.outdir.mkdir(parents=True, exist_ok=True)

    from PySide6.QtCore import QPoint, QSettings, Qt
    from PySide6.QtGui import QPainter
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QWidget

    from db.case_store import CaseStore
    from db.knowledge_store import KnowledgeStore
    from desktop.plan.compare import show_comparison
    from desktop.settings.language import use_qt_translations
    from desktop.settings.theme import apply_theme
    from desktop.shared.fonts import load_bundled_fonts, ui_font
    from desktop.shared.tasks import TaskRunner
    from desktop.shell.main_window import MainWindow
    from planning.i18n import is_rtl, set_locale
    from services.settings import Settings

    app = QApplication(sys.argv[:1])
    app.setStyle("Fusion")
    apply_theme(app, "dark" if args.dark else "light")
    set_locale(args.locale)
    use_qt_translations(app, args.locale)
    if is_rtl(args.locale):
        app.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    load_bundled_fonts()
    app.setFont(ui_font())
    base = Path(tempfile.mkdtemp(prefix="careplan-compare-shots-"))
    Settings(base).update(setup_done=True)
    settings = QSettings(str(base / "settings.ini"), QSettings.Format.IniFormat)
    tasks = TaskRunner(app)
    window = MainWindow(
        settings,
        args.locale,
        tasks,
        lambda: KnowledgeStore.open(base / "knowledge.sqlite"),
        lambda codes: CaseStore.open(base / "cases.sqlite", codes),
        base,
        "Screenshot Coordinator",
    )
    width, height = (int(v) for v in args.size.split("x"))
    window.resize(width, height)
    window.show()
    window.load_store()
    while window.cases is None:
        app.processEvents()
        QTest.qWait(20)
    page = window.cases
    page.add_samples()
    page.open_case(next(r.id for r in page.model.rows if "Anna" in r.full_name))
    QTest.qWait(300)
    suffix = ("-dark" if args.dark else "") + ("" if args.locale == "en" else f"-{args.locale}")

    def composed(top: QWidget, name: str) -> None:
        QTest.qWait(150)
        picture = window.grab()
        if top is not window:
            painter = QPainter(picture)
            painter.drawPixmap(window.mapFromGlobal(top.mapToGlobal(QPoint(0, 0))), top.grab())
            painter.end()
        path = args.outdir / f"{name}{suffix}.png"
        picture.save(str(path))
        print(path)

    tools = page.list_tools
    page.case_menu.popup(tools.mapToGlobal(QPoint(0, tools.height())))
    QTest.qWait(200)
    page.case_menu.setActiveAction(page.duplicate_action)
    composed(page.case_menu, "duplicate-case-menu")
    page.case_menu.hide()
    page.duplicate_action.trigger()
    composed(window, "duplicate-case")

    editor, panel = page.editor, page.plan_panel
    editor.tabs.setCurrentIndex(editor.plan_tab)

    def make_plan() -> None:
        panel.generate()
        while panel.busy:
            app.processEvents()
            QTest.qWait(50)
        QTest.qWait(300)

    make_plan()
    destinations = editor.fields["preferences.destinations"]
    destinations.boxes[next(c for c, box in destinations.boxes.items() if not box.isChecked())].setChecked(True)
    editor.fields["preferences.companions"].set_value(3)
    editor._edited("preferences.companions")
    make_plan()
    dialog = show_comparison(panel, modal=False)
    assert dialog is not None
    dialog.move(window.mapToGlobal(QPoint((width - dialog.width()) // 2, (height - dialog.height()) // 2)))
    composed(dialog, "compare-versions")
    dialog.close()
    window.close()
    tasks.wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
