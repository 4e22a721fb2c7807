"""Save PNGs of Print call checklist… (the case menu, the language dialog) and of the checklist PDF's pages,
for looking and docs/.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/checklist_shots.py OUTDIR [--dark] [--locale ar]

The real main window on a new data folder (no encryption) with the sample cases; the sample whose plan
language is the interface's (Layla for Arabic), else Anna, is opened. The menu and the dialog are separate
windows: each is painted onto the main window's picture where it stands on the screen.
"""

from __future__ import annotations

import subprocess

from PySide6.QtCore import QPoint, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from shots_common import (
    composed,
    data_folder,
    finish,
    main_window,
    open_sample,
    png,
    save,
    start,
    suffix,
)

from desktop.cases.checklist import LanguageDialog
from services.settings import Settings


def main() -> int:
    args, _app = start()
    base = data_folder("careplan-checklist-shots-")
    Settings(base).update(setup_done=True, organisation_name="Example Medical Travel Ltd")
    window = main_window(args, base, lambda w: w.cases is not None, settle=0)
    page = window.cases
    open_sample(page, "Layla" if args.locale == "ar" else "Anna")
    QTest.qWait(300)

    def shot(top: QWidget, name: str) -> None:
        save(composed(window, top), png(args, f"checklist-{name}"))

    tools = page.editor_tools
    page.case_menu.popup(tools.mapToGlobal(QPoint(0, tools.height())))
    QTest.qWait(200)
    page.case_menu.setActiveAction(page.call_checklist.action)
    QTest.qWait(100)
    shot(page.case_menu, "menu")
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
        shot(dialog, "dialog")
        dialog.accept()

    QTimer.singleShot(0, shoot_dialog)
    page.call_checklist.action.trigger()
    while page.call_checklist.busy or not target.exists():
        QTest.qWait(50)
    QTest.qWait(100)
    shot(window, "saved")
    stem = args.outdir / f"checklist-pdf{suffix(args)}"
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(target), str(stem)], check=True)
    print(f"{stem}-*.png")
    return finish(window)


if __name__ == "__main__":
    raise SystemExit(main())
