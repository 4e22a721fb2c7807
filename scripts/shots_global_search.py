"""Screenshots of the global search box finding cases (issue 19): by name, by phone digits, and beside the
knowledge pack's records, in the real main window (fictional cases).

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/shots_global_search.py OUTDIR [--dark] [--locale ar]
"""

from __future__ import annotations

import sys

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from shots_common import (
    WHO,
    case_store,
    data_folder,
    finish,
    main_window,
    png,
    save,
    start,
)

from desktop.cases.page import sample_documents

CASES = [
    ("Lucía Martínez", "+34 600 123 456", "lucia.martinez@example.es", "Prefers WhatsApp; daughter translates."),
    ("Luca Bianchi", "+39 333 765 4321", None, "Relapsed large B-cell lymphoma after two lines."),
    ("Olga Ivanova", None, "olga.ivanova@example.org", "Call Lucía's clinic about the PET-CT report."),
    ("Hans Weber", "(030) 555-0199", None, "Asked about lymphoma trials in Germany."),
]


def main() -> int:
    args, _app = start()
    base = data_folder()
    store = case_store(base)
    for document in sample_documents():
        store.create(document, WHO, sample=True)
    for name, phone, email, notes in CASES:
        document = {
            "format": "careplan-case",
            "version": 2,
            "patient": {"full_name": name, "phone": phone, "email": email},
            "clinical": {"indication": "lbcl", "notes": notes},
        }
        stored = store.create(document, WHO)
        if name == "Luca Bianchi":
            store.set_status(stored.id, "plan_sent", WHO)
    store.close()

    window = main_window(args, base)

    def shot(name: str, typed: str) -> None:
        window.focus_search()
        window.search.clear()
        QTest.keyClicks(window.search, typed)
        QTest.qWait(200)
        save(window.grab(), png(args, name))

    shot("global-search-1-cases-by-name", "luc")
    shot("global-search-2-case-by-phone", "600 123")
    shot("global-search-3-cases-beside-the-pack", "lymphoma")
    for _ in range(5):
        QTest.keyClick(window.search, Qt.Key.Key_PageDown)
    QTest.keyClick(window.search, Qt.Key.Key_Return)  # the last one: a case found in its notes
    QTest.qWait(300)
    save(window.grab(), png(args, "global-search-4-case-opened"))
    return finish(window)


if __name__ == "__main__":
    sys.exit(main())
