"""Screenshots of the global search box finding cases (issue 19): by name, by phone digits, and beside the
knowledge pack's records, in the real main window (fictional cases).

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/shots_global_search.py OUTDIR [--dark] [--locale ar]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

CASES = [
    ("Lucía Martínez", "+34 600 123 456", "lucia.martinez@example.es", "Prefers WhatsApp; daughter translates."),
    ("Luca Bianchi", "+39 333 765 4321", None, "Relapsed large B-cell lymphoma after two lines."),
    ("Olga Ivanova", None, "olga.ivanova@example.org", "Call Lucía's clinic about the PET-CT report."),
    ("Hans Weber", "(030) 555-0199", None, "Asked about lymphoma trials in Germany."),
]


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
    for document in sample_documents():
        store.create(document, "Screenshot Coordinator", sample=True)
    for name, phone, email, notes in CASES:
        document = {
            "format": "careplan-case",
            "version": 2,
            "patient": {"full_name": name, "phone": phone, "email": email},
            "clinical": {"indication": "lbcl", "notes": notes},
        }
        stored = store.create(document, "Screenshot Coordinator")
        if name == "Luca Bianchi":
            store.set_status(stored.id, "plan_sent", "Screenshot Coordinator")
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

    def shot(name: str, typed: str) -> None:
        window.focus_search()
        window.search.clear()
        QTest.keyClicks(window.search, typed)
        QTest.qWait(200)
        path = args.outdir / f"{name}{suffix}.png"
        window.grab().save(str(path))
        print(path)

    shot("global-search-1-cases-by-name", "luc")
    shot("global-search-2-case-by-phone", "600 123")
    shot("global-search-3-cases-beside-the-pack", "lymphoma")
    for _ in range(5):
        QTest.keyClick(window.search, Qt.Key.Key_PageDown)
    QTest.keyClick(window.search, Qt.Key.Key_Return)  # the last one: a case found in its notes
    QTest.qWait(300)
    path = args.outdir / f"global-search-4-case-opened{suffix}.png"
    window.grab().save(str(path))
    print(path)
    window.close()
    tasks.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
