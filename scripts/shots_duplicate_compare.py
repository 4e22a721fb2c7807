"""Save PNGs of Duplicate case (the case menu, the new case opened with its notice) and of Compare… (two
plan versions, the second with one more destination and more companions; the comparison dialog), for
looking and docs/.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/shots_duplicate_compare.py OUTDIR [--dark] [--locale ar]

The real main window at 1366x768 on a new data folder (no encryption) with the sample cases; Anna's case
is duplicated and two plans are made for the copy. The menu and the dialog are separate windows: each is
painted onto the main window's picture where it stands on the screen.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from shots_common import (
    composed,
    data_folder,
    finish,
    main_window,
    make_plan,
    open_sample,
    png,
    save,
    start,
    window_size,
)

from desktop.plan.compare import show_comparison
from services.settings import Settings


def main() -> int:
    args, _app = start()
    base = data_folder("careplan-compare-shots-")
    Settings(base).update(setup_done=True)
    window = main_window(args, base, lambda w: w.cases is not None, settle=0)
    page = window.cases
    open_sample(page, "Anna")
    QTest.qWait(300)

    def shot(top: QWidget, name: str) -> None:
        QTest.qWait(150)
        save(composed(window, top), png(args, name))

    tools = page.list_tools
    page.case_menu.popup(tools.mapToGlobal(QPoint(0, tools.height())))
    QTest.qWait(200)
    page.case_menu.setActiveAction(page.duplicate_action)
    shot(page.case_menu, "duplicate-case-menu")
    page.case_menu.hide()
    page.duplicate_action.trigger()
    shot(window, "duplicate-case")

    editor, panel = page.editor, page.plan_panel
    editor.tabs.setCurrentIndex(editor.plan_tab)
    make_plan(panel, 300)
    destinations = editor.fields["preferences.destinations"]
    destinations.boxes[next(c for c, box in destinations.boxes.items() if not box.isChecked())].setChecked(True)
    editor.fields["preferences.companions"].set_value(3)
    editor._edited("preferences.companions")
    make_plan(panel, 300)
    dialog = show_comparison(panel, modal=False)
    assert dialog is not None
    width, height = window_size(args)
    dialog.move(window.mapToGlobal(QPoint((width - dialog.width()) // 2, (height - dialog.height()) // 2)))
    shot(dialog, "compare-versions")
    dialog.close()
    return finish(window)


if __name__ == "__main__":
    raise SystemExit(main())
