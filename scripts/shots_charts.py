"""Screenshots of the charts and of flights by region (issue 19): the Estimate tab of a German patient (flights
from Western Europe, the chart's money axis, labelled budget line and legend), the Destinations chart, and the
case list at 1366x768 (its columns fitted, no horizontal scrolling).

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/shots_charts.py OUTDIR [--dark] [--locale ar]
"""

from __future__ import annotations

import sys

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QScrollArea
from shots_common import data_folder, finish, main_window, open_sample, shooter, start


def main() -> int:
    args, _app = start()
    window = main_window(args, data_folder(), lambda w: w.store is not None and w.cases is not None, alone=True)
    shoot = shooter(args, 250)
    page = window.cases
    open_sample(page, "Anna")  # EUR, budget 350,000
    editor = page.editor
    editor.tabs.setCurrentIndex(editor.estimate_tab)
    QTest.qWait(400)
    panel = editor.estimate_panel
    area = panel.findChild(QScrollArea)
    if area is not None:
        area.ensureWidgetVisible(panel.totals_chart)
    shoot(window, "charts-estimate")
    shoot(panel.totals_chart, "charts-estimate-chart")
    window.open_destination("CN")
    shoot(window, "charts-destinations")
    return finish(window)


if __name__ == "__main__":
    sys.exit(main())
