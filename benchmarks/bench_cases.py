"""The case list at 100,000 generated (fictional) cases: list shown, search per keystroke, the global search
box per keystroke, autosave, memory.

    .venv/bin/python benchmarks/bench_cases.py [--count 100000] [--keep DIR]

The list is the real Cases page (offscreen): first page and count from SQLite, never all rows.
Typing is simulated letter by letter, including one- and two-letter prefixes that match most rows.
The global box (Ctrl+K) is the real SearchBox on the knowledge store and the same case store
(benchmarks/global_box.py); the peak memory includes it. bench_global_search.py measures it encrypted.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from common import save, summary
from generate_cases import generate
from global_box import time_global_box

TYPED = ["Anna Ivanova", "maria", "ch", "a", "GEN-0421", "wang li", "o", "zz", "number 77"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="reuse/keep the generated database in this folder")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from db.case_store import CaseStore
    from planning.case import empty_document
    from planning.knowledge.pack import load_pack

    pack = load_pack()
    codes = {i.code for i in pack.indications}
    folder = args.keep or Path(tempfile.mkdtemp(prefix="careplan-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "cases.sqlite"
    if not path.exists():
        started = time.perf_counter()
        generate(CaseStore.open(path, codes), args.count)
        print(f"generated {args.count} cases in {time.perf_counter() - started:.1f} s")

    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    from desktop.cases.page import CasesPage

    app = QApplication.instance() or QApplication([])
    shown_ms = []
    for _ in range(7):
        started = time.perf_counter()
        store = CaseStore.open(path, codes)
        page = CasesPage(store, pack, "en", "bench")
        page.resize(1200, 800)
        page.show()
        app.processEvents()
        shown_ms.append((time.perf_counter() - started) * 1000)
        page.close()
        page.deleteLater()
        app.processEvents()
        app.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # processEvents alone never deletes it
        store.close()

    store = CaseStore.open(path, codes)
    page = CasesPage(store, pack, "en", "bench")
    page.resize(1200, 800)
    page.show()
    app.processEvents()
    keystroke_ms = []
    for _ in range(5):
        for text in TYPED:
            for end in range(1, len(text) + 1):
                page.search.setText(text[:end])
                started = time.perf_counter()
                page.apply_filters()  # what the search field's timer calls
                app.processEvents()
                keystroke_ms.append((time.perf_counter() - started) * 1000)
            page.search.setText("")
            page.apply_filters()

    from db.knowledge_store import KnowledgeStore

    knowledge = KnowledgeStore.open(Path(tempfile.mkdtemp(prefix="careplan-bench-knowledge-")) / "knowledge.sqlite")
    knowledge.ensure_current()
    global_ms = time_global_box(app, knowledge, store)
    knowledge.close()

    document = empty_document()
    case = store.create(document, "bench")
    save_ms = []
    for number in range(200):
        document["patient"]["full_name"] = f"Autosave Bench {number}"
        document["clinical"]["notes"] = f"typed {number}"
        started = time.perf_counter()
        store.save_document(case.id, document, "bench")
        save_ms.append((time.perf_counter() - started) * 1000)
    memory_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    record = {
        "cases": store.count(page.current_query()),
        "list_shown": summary(shown_ms),
        "search_keystroke": summary(keystroke_ms),
        "global_box_keystroke": summary(global_ms),
        "autosave_write": summary(save_ms),
        "max_rss_mb": round(memory_mb, 1),
        "targets": "list <= 200 ms; search p95 <= 20 ms; global box p95 <= 20 ms; autosave <= 20 ms; memory <= 200 MB",
    }
    page.close()
    page.deleteLater()
    app.processEvents()
    out = save("cases", record)
    print(f"cases: {record['cases']}")
    for key in ("list_shown", "search_keystroke", "global_box_keystroke", "autosave_write"):
        r = record[key]
        print(f"{key}: median {r['median_ms']} ms, p95 {r['p95_ms']} ms, max {r['max_ms']} ms (n={r['n']})")
    print(f"peak memory: {record['max_rss_mb']} MB   -> {out}")


if __name__ == "__main__":
    main()
