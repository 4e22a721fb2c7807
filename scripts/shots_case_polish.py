"""Screenshots of the case screens' polish (issue 19): the plan preview's zoom level and its pop-out window,
undo naming the field it undid, lab units on empty fields, the Screening tab led by the destinations'
regions, and the e-mail dialog when no mail program is found.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/shots_case_polish.py OUTDIR [--dark] [--locale ar]
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QCheckBox
from shots_common import (
    data_folder,
    finish,
    main_window,
    make_plan,
    open_sample,
    shooter,
    start,
)


def main() -> int:
    args, _app = start()
    window = main_window(args, data_folder(), lambda w: w.store is not None and w.cases is not None, alone=True)
    shoot = shooter(args, 250)
    page = window.cases
    row = open_sample(page, "Anna")
    editor = page.editor
    panel = page.plan_panel
    editor.tabs.setCurrentWidget(panel)
    make_plan(panel)
    shoot(window, "polish-1-plan-fit-width")
    panel.preview.step_zoom(1)
    panel.preview.step_zoom(1)
    shoot(window, "polish-1-plan-zoom")
    popped = panel.pop_out()
    QTest.qWait(400)
    shoot(popped, "polish-2-preview-window")
    popped.close()

    editor.focus_field("clinical.diagnosis_text")
    diagnosis = editor.fields["clinical.diagnosis_text"].widget
    diagnosis.setFocus()
    diagnosis.selectAll()
    QTest.keyClicks(diagnosis, "DLBCL, second relapse after R-CHOP and R-ICE")
    editor.tabs.setCurrentWidget(panel)
    editor.undo_action.trigger()
    shoot(window, "polish-3-undo-names-the-field")

    window.new_case()
    editor.undo_feedback.reveal("clinical.spo2_percent")  # shown and scrolled to, as after an undo
    shoot(window, "polish-4-lab-units")

    combo = editor.fields["clinical.indication"].widget
    combo.setCurrentIndex(combo.findData("lbcl"))
    combo.activated.emit(combo.currentIndex())
    editor.fields["preferences.destinations"].widget.findChild(QCheckBox, "check_CN").click()
    editor.tabs.setCurrentIndex(editor.screening_tab)
    shoot(window, "polish-5-screening-destinations-first")
    editor.screening_panel.others.setExpanded(True)
    shoot(window, "polish-5-screening-others-opened")

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
        shoot(box, "polish-6-no-mail-program-dialog")
        shoot(window, "polish-6-no-mail-program")
        box.reject()

    QTimer.singleShot(300, grab_dialog)
    panel.email()
    return finish(window)


if __name__ == "__main__":
    sys.exit(main())
