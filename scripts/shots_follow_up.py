"""Screenshots of following up (issue 19): the follow-ups due notice and status-bar count, a case's
Timeline tab, and the Log a call dialog, in the real main window.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/shots_follow_up.py OUTDIR [--dark] [--locale ar]

The size is 1366x768 unless --size says otherwise.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import date, timedelta
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
    from desktop.cases.page import sample_documents
    from desktop.settings.language import use_qt_translations
    from desktop.settings.theme import apply_theme
    from desktop.shared.fonts import load_bundled_fonts, ui_font
    from desktop.shared.tasks import TaskRunner
    from desktop.shell.main_window import MainWindow
    from planning.i18n import is_rtl, set_locale
    from planning.knowledge.pack import load_pack
    from services.calls import log_call

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
    codes = {i.code for i in load_pack().indications}
    store = CaseStore.open(base / "cases.sqlite", codes)
    today = date.today()
    ids = [store.create(document, "Screenshot Coordinator", sample=True).id for document in sample_documents()]
    for case_id, days in zip(ids, (-2, 0, 3, -1, 7), strict=False):
        store.set_follow_up(case_id, today + timedelta(days=days), "Screenshot Coordinator")
    first = ids[0]
    store.set_status(first, "counseling", "Screenshot Coordinator")
    log_call(store, first, "Screenshot Coordinator", "", "no_answer")
    log_call(
        store,
        first,
        "Screenshot Coordinator",
        "Spoke with the patient's daughter. They want to compare China and Germany in EUR.\n"
        "She sends the latest PET-CT report and the discharge letter by Friday.",
        "relative",
        today + timedelta(days=4),
    )
    store.close()

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
    while window.store is None:
        app.processEvents()
        QTest.qWait(20)
    QTest.qWait(200)
    suffix = ("-dark" if args.dark else "") + ("" if args.locale == "en" else f"-{args.locale}")

    def shot(widget, name: str) -> None:
        QTest.qWait(200)
        path = args.outdir / f"{name}{suffix}.png"
        widget.grab().save(str(path))
        print(path)

    page = window.cases
    shot(window, "follow-up-1-due-at-start")
    page.open_case(first)
    page.editor.tabs.setCurrentWidget(page.follow_ups.timeline)
    shot(window, "follow-up-2-timeline")
    dialog = page.follow_ups.log_call()
    QTest.keyClicks(dialog.note, "Asked about the waiting time in Beijing.")
    dialog.outcome.setCurrentIndex(dialog.outcome.findData("reached"))
    QTest.qWait(200)
    shot(window, "follow-up-3-log-call")
    shot(dialog, "follow-up-3-log-call-dialog")
    dialog.reject()
    page.follow_ups.show_due()
    shot(window, "follow-up-4-due-list")
    window.close()
    tasks.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
