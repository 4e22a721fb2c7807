"""Save a PNG of each page of the help window (the guide and the shortcut sheet), for looking and docs/.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/help_shots.py OUTDIR [--dark] [--locale ar]
        [--help-size 1366x768] [--pages call,shortcuts]

The real main window on a new data folder (no encryption), F1 pressed, then every page of the contents.
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
    parser.add_argument("--size", default="1366x768", help="the main window's size")
    parser.add_argument("--help-size", default="900x640", help="the help window's size (its own default: 900x640)")
    parser.add_argument("--pages", default="", help="only these pages, e.g. call,shortcuts")
    args = parser.parse_args()
    args.outdir.mkdir(parents=True, exist_ok=True)

    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from db.case_store import CaseStore
    from db.knowledge_store import KnowledgeStore
    from desktop.help.content import PAGES, SHORTCUTS
    from desktop.help.shortcut_sheet import shortcut_rows
    from desktop.settings.language import use_qt_translations
    from desktop.settings.theme import apply_theme
    from desktop.shared.fonts import load_bundled_fonts, ui_font
    from desktop.shared.tasks import TaskRunner
    from desktop.shell.main_window import MainWindow
    from planning.i18n import is_rtl, set_locale

    app = QApplication(sys.argv[:1])
    app.setStyle("Fusion")
    apply_theme(app, "dark" if args.dark else "light")
    set_locale(args.locale)
    use_qt_translations(app, args.locale)
    if is_rtl(args.locale):
        app.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    load_bundled_fonts()
    app.setFont(ui_font())
    base = Path(tempfile.mkdtemp(prefix="careplan-help-shots-"))
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
    window.cases.new_case()  # the case's own keys (undo, the tabs) are in the sheet too
    QTest.qWait(200)
    help_window = window.help.show(PAGES[0])
    help_window.resize(*(int(v) for v in args.help_size.split("x")))
    suffix = ("-dark" if args.dark else "") + ("" if args.locale == "en" else f"-{args.locale}")
    for name in args.pages.split(",") if args.pages else (*PAGES, SHORTCUTS):
        help_window.show_page(name)
        QTest.qWait(150)
        path = args.outdir / f"help-{name}{suffix}.png"
        help_window.grab().save(str(path))
        print(path)
    for row in shortcut_rows(window):  # what the sheet lists, as text too
        print(f"{row.group or '-'}\t{row.name}\t{', '.join(row.keys)}")
    help_window.close()
    window.close()
    tasks.wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
