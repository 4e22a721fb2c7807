"""Screenshots of the charts and of flights by region (issue 19): the Estimate tab of a German patient (flights
from Western Europe, the chart's money axis, labelled budget line and legend), the Destinations chart, and the
case list at 1366x768 (its columns fitted, no horizontal scrolling).

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/shots_charts.py OUTDIR [--dark] [--locale ar]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--dark", action="store_true")
    parser.add_argument("--locale", default="en")
    parser.add_argument("--size", default="1366x768")
    args = parser.parse_args()
    args.outdir.mkdir(parents=True, exist_ok=True)

    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from db.case_store import CaseStore
    from db.knowledge_store import KnowledgeStore
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
    base = Path(tempfile.mkdtemp(prefix="careplan-shots-"))
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
    while window.store is None or window.cases is None:
        app.processEvents()
        QTest.qWait(20)
    QTest.qWait(200)
    for widget in app.topLevelWidgets():  # a first-run set-up offered at start: not what is shown here
        if widget is not window and widget.isVisible() and widget.isWindow():
            widget.close()
    suffix = ("-dark" if args.dark else "") + ("" if args.locale == "en" else f"-{args.locale}")

    def shot(widget, name: str) -> None:
        QTest.qWait(250)
        path = args.outdir / f"{name}{suffix}.png"
        widget.grab().save(str(path))
        print(path)

    from PySide6.QtWidgets import QScrollArea

    page = window.cases
    page.add_samples()
    editor = page.editor
    anna = next(row for row in page.model.rows if "Anna" in row.full_name)  # EUR, budget 350,000
    page.open_case(anna.id)
    editor.tabs.setCurrentIndex(editor.estimate_tab)
    QTest.qWait(400)
    panel = editor.estimate_panel
    area = panel.findChild(QScrollArea)
    if area is not None:
        area.ensureWidgetVisible(panel.totals_chart)
    shot(window, "charts-estimate")
    shot(panel.totals_chart, "charts-estimate-chart")
    window.open_destination("CN")
    shot(window, "charts-destinations")
    window.close()
    tasks.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
