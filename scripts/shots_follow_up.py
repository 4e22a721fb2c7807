"""Screenshots of following up (issue 19): the follow-ups due notice and status-bar count, a case's
Timeline tab, and the Log a call dialog, in the real main window.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/shots_follow_up.py OUTDIR [--dark] [--locale ar]

The size is 1366x768 unless --size says otherwise.
"""

from __future__ import annotations

import sys
from datetime import date, timedelta

from PySide6.QtTest import QTest
from shots_common import (
    WHO,
    case_store,
    data_folder,
    finish,
    main_window,
    shooter,
    start,
)

from desktop.cases.page import sample_documents
from services.calls import log_call


def main() -> int:
    args, _app = start()
    base = data_folder()
    store = case_store(base)
    today = date.today()
    ids = [store.create(document, WHO, sample=True).id for document in sample_documents()]
    for case_id, days in zip(ids, (-2, 0, 3, -1, 7), strict=False):
        store.set_follow_up(case_id, today + timedelta(days=days), WHO)
    first = ids[0]
    store.set_status(first, "counseling", WHO)
    log_call(store, first, WHO, "", "no_answer")
    log_call(
        store,
        first,
        WHO,
        "Spoke with the patient's daughter. They want to compare China and Germany in EUR.\n"
        "She sends the latest PET-CT report and the discharge letter by Friday.",
        "relative",
        today + timedelta(days=4),
    )
    store.close()

    window = main_window(args, base)
    shoot = shooter(args, 200)
    page = window.cases
    shoot(window, "follow-up-1-due-at-start")
    page.open_case(first)
    page.editor.tabs.setCurrentWidget(page.follow_ups.timeline)
    shoot(window, "follow-up-2-timeline")
    dialog = page.follow_ups.log_call()
    QTest.keyClicks(dialog.note, "Asked about the waiting time in Beijing.")
    dialog.outcome.setCurrentIndex(dialog.outcome.findData("reached"))
    QTest.qWait(200)
    shoot(window, "follow-up-3-log-call")
    shoot(dialog, "follow-up-3-log-call-dialog")
    dialog.reject()
    page.follow_ups.show_due()
    shoot(window, "follow-up-4-due-list")
    return finish(window)


if __name__ == "__main__":
    sys.exit(main())
