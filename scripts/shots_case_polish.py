"""Screenshots of the case screens' polish (issue 19): the plan preview's zoom level and its pop-out window,
undo naming the field it undid, lab units on empty fields, the Screening tab led by the destinations'
regions, and the e-mail dialog when no mail program is found.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/shots_case_polish.py OUTDIR [--dark] [--locale ar]
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

    from PySide6.QtCore import QSettings, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QCheckBox

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

    page = window.cases
    page.add_samples()
    editor = page.editor
    row = next(r for r in page.model.rows if "Anna" in r.full_name)
    page.open_case(row.id)
    panel = page.plan_panel
    editor.tabs.setCurrentWidget(panel)
    panel.generate()
    while panel.busy:
        app.processEvents()
        QTest.qWait(50)
    QTest.qWait(400)
    shot(window, "polish-1-plan-fit-width")
    panel.preview.step_zoom(1)
    panel.preview.step_zoom(1)
    shot(window, "polish-1-plan-zoom")
    popped = panel.pop_out()
    QTest.qWait(400)
    shot(popped, "polish-2-preview-window")
    popped.close()

    editor.focus_field("clinical.diagnosis_text")
    diagnosis = editor.fields["clinical.diagnosis_text"].widget
    diagnosis.setFocus()
    diagnosis.selectAll()
    QTest.keyClicks(diagnosis, "DLBCL, second relapse after R-CHOP and R-ICE")
    editor.tabs.setCurrentWidget(panel)
    editor.undo_action.trigger()
    shot(window, "polish-3-undo-names-the-field")

    window.new_case()
    editor.undo_feedback.reveal("clinical.spo2_percent")  # shown and scrolled to, as after an undo
    shot(window, "polish-4-lab-units")

    combo = editor.fields["clinical.indication"].widget
    combo.setCurrentIndex(combo.findData("lbcl"))
    combo.activated.emit(combo.currentIndex())
    editor.fields["preferences.destinations"].widget.findChild(QCheckBox, "check_CN").click()
    editor.tabs.setCurrentIndex(editor.screening_tab)
    shot(window, "polish-5-screening-destinations-first")
    editor.screening_panel.others.setExpanded(True)
    shot(window, "polish-5-screening-others-opened")

    page.open_case(row.id)
    editor.tabs.setCurrentWidget(panel)

    def no_mail_program(path: Path) -> None:
        raise OSError("no program opens it")

    panel.opener = no_mail_program

    def grab_dialog() -> None:
        box = QApplication.activeModalWidget()
        if box is None:
            QTimer.singleShot(100, grab_dialog)
            return
        shot(box, "polish-6-no-mail-program-dialog")
        shot(window, "polish-6-no-mail-program")
        box.reject()

    QTimer.singleShot(300, grab_dialog)
    panel.email()
    window.close()
    tasks.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
