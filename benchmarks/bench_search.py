"""Search latency per keystroke: the store alone, and through the real search field (offscreen).

Typing is simulated letter by letter for queries a coordinator types, in English, Russian-UI
fallback and Chinese (trigram and one/two-character fallback). Pasted pages (3,000 and 50,000 words,
1,200 single Chinese characters) are timed to their refusal (QueryTooLong), and queries at the caps
to their answer: neither may freeze the search field.

    .venv/bin/python benchmarks/bench_search.py [--rounds 20]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import save, summary

QUERIES = [
    ("en", "tisagenlecleucel"),
    ("en", "large b-cell lymphoma"),
    ("en", "how long must I stay"),
    ("en", "germany cost"),
    ("ru", "carvykti"),
    ("zh_CN", "多发性骨髓瘤"),
    ("zh_CN", "淋巴瘤"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from db.knowledge_store import KnowledgeStore

    store = KnowledgeStore.open(Path(tempfile.mkdtemp(prefix="careplan-bench-")) / "knowledge.sqlite")
    store.ensure_current()
    store.pack()

    store_ms: list[float] = []
    for _ in range(args.rounds):
        for locale, query in QUERIES:
            for end in range(1, len(query) + 1):
                start = time.perf_counter()
                store.search(query[:end], locale)
                store_ms.append((time.perf_counter() - start) * 1000)

    from db.knowledge_store import MAX_QUERY_WORDS, QueryTooLong

    pasted = {
        "3,000 words": " ".join(["lymphoma"] * 3_000),
        "50,000 words": " ".join(f"w{n}" for n in range(50_000)),
        "1,200 Chinese characters": " ".join(["淋"] * 1_200),
        f"{MAX_QUERY_WORDS} words (the cap)": " ".join(["cell", "lymphoma", "b", "large"] * (MAX_QUERY_WORDS // 4)),
        f"{MAX_QUERY_WORDS} Chinese characters (the cap)": " ".join(
            "淋巴瘤骨髓多发性白血病肺癌乳腺胃肝"[:MAX_QUERY_WORDS]
        ),
    }
    long_ms: dict[str, float] = {}
    for label, query in pasted.items():
        start = time.perf_counter()
        try:
            store.search(query, "zh_CN" if "Chinese" in label else "en")
        except QueryTooLong:
            label += " (refused)"
        long_ms[label] = round((time.perf_counter() - start) * 1000, 3)

    from PySide6.QtWidgets import QApplication, QMainWindow

    from desktop.shell.search_box import SearchBox

    app = QApplication.instance() or QApplication([])
    window = QMainWindow()
    window.resize(1200, 800)
    box = SearchBox(lambda text: store.search(text, "en"), window)
    window.setCentralWidget(box)
    window.show()
    app.processEvents()
    widget_ms: list[float] = []
    for _ in range(max(1, args.rounds // 4)):
        for _locale, query in QUERIES:
            box.clear()
            for end in range(1, len(query) + 1):
                start = time.perf_counter()
                box.setText(query[:end])  # textChanged -> search -> list filled
                app.processEvents()
                widget_ms.append((time.perf_counter() - start) * 1000)
    window.close()
    window.deleteLater()  # let Qt delete its widgets before Python tears down
    app.processEvents()
    record = {
        "store_search": summary(store_ms),
        "search_field": summary(widget_ms),
        "long_queries_ms": long_ms,
        "target": "<= 20 ms per keystroke",
    }
    path = save("search", record)
    for label, key in (("store search", "store_search"), ("search field", "search_field")):
        r = record[key]
        print(f"{label}: median {r['median_ms']} ms, p95 {r['p95_ms']} ms, max {r['max_ms']} ms (n={r['n']})")
    for label, ms in long_ms.items():
        print(f"{label}: {ms} ms")
    print(f"-> {path}")


if __name__ == "__main__":
    main()
