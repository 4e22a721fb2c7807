"""Save PNGs of Print call checklist… (the case menu, the language dialog) and of the checklist PDF's pages,
for looking and docs/.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/checklist_shots.py OUTDIR [--dark] [--locale ar]

The real main window on a new data folder (no encryption) with the sample cases; the sample whose plan
language is the interface's (Layla for Arabic), else Anna, is opened. The menu and the dialog are separate
windows: each is painted onto the main window's picture where it stands on the screen.
"""

from __future__ import annotations

import argparse
import subprocess
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

    from PySide6.QtCore import QPoint, QSettings, Qt, QTimer
    from PySide6.QtGui import QPainter
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QWidget

    from db.case_store import CaseStore
    from db.knowledge_store import KnowledgeStore
    from desktop.cases.checklist import LanguageDialog
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
    base = Path(tempfile.mkdtemp(prefix="careplan-checklist-shots-"))
    Settings(base).update(setup_done=True, organisation_name="Example Medical Travel Ltd")
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
    wanted = "Layla" if args.locale == "ar" else "Anna"
    page.open_case(next(r.id for r in page.model.rows if wanted in r.full_name))
    QTest.qWait(300)
    suffix = ("-dark" if args.dark else "") + ("" if args.locale == "en" else f"-{args.locale}")

    def composed(top: QWidget, name: str) -> None:
        picture = window.grab()
        painter = QPainter(picture)
        painter.drawPixmap(window.mapFromGlobal(top.mapToGlobal(QPoint(0, 0))), top.grab())
        painter.end()
        path = args.outdir / f"checklist-{name}{suffix}.png"
        picture.save(str(path))
        print(path)

    tools = page.editor_tools
    page.case_menu.popup(tools.mapToGlobal(QPoint(0, tools.height())))
    QTest.qWait(200)
    page.case_menu.setActiveAction(page.call_checklist.action)
    QTest.qWait(100)
    composed(page.case_menu, "menu")
    page.case_menu.hide()

    target = base / "checklist.pdf"
    page.call_checklist.choose_target = lambda _parent, _suggested: target

    def shoot_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, LanguageDialog):
            QTest.qWait(20)
            shoot_dialog()
            return
        QTest.qWait(150)
        composed(dialog, "dialog")
        dialog.accept()

    QTimer.singleShot(0, shoot_dialog)
    page.call_checklist.action.trigger()
    while page.call_checklist.busy or not target.exists():
        QTest.qWait(50)
    QTest.qWait(100)
    composed(window, "saved")
    stem = args.outdir / f"checklist-pdf{suffix}"
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(target), str(stem)], check=True)
    print(f"{stem}-*.png")
    window.close()
    tasks.wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
