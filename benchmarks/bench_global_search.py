"""Finding anything from one box at 100,000 (fictional) cases, in the encrypted store and the plain one:

    .venv/bin/python benchmarks/bench_global_search.py [--count 100000] [--rounds 3] [--keep DIR]

- "global box": the real search box (Ctrl+K, offscreen) on the knowledge store and the case store, typed
  into letter by letter (benchmarks/global_box.py: names, a reference, one-letter prefixes, phone digits,
  an e-mail address, the pack's words); per keystroke from the text changing to the list painted;
- "case search": the case store's part of it alone (db/case_search.py);
- "list search": the case list's own search (CaseStore.page + count, as the Cases page runs them) per
  keystroke of the same texts.
"global_box_cpu" is the process's CPU time of each keystroke of the box: the machine is shared, and the
difference from the wall time is waiting for a core (the load average is recorded).
Rounds alternate the plain and the encrypted store. Peak memory of the process is reported too.
Target: global box p95 <= 20 ms per keystroke, encrypted; the process under 200 MB.

The stores are bench_encrypted.py's (the plain one generated, the encrypted one its SQLCipher export), kept
in --keep and reused.
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
from bench_encrypted import PASSPHRASE, build
from common import save, summary
from global_box import TYPED, time_global_box


def time_case_search(store, rounds: int) -> list[float]:
    from db.case_search import search_cases

    samples = []
    for _ in range(rounds):
        for text in TYPED:
            for end in range(1, len(text) + 1):
                started = time.perf_counter()
                search_cases(store, text[:end])
                samples.append((time.perf_counter() - started) * 1000)
    return samples


def time_list_search(store, rounds: int) -> list[float]:
    from db.case_store import CaseQuery

    samples = []
    for _ in range(rounds):
        for text in TYPED:
            for end in range(1, len(text) + 1):
                query = CaseQuery(text=text[:end])
                started = time.perf_counter()
                store.page(query, limit=100)
                store.count(query, cap=1000)
                samples.append((time.perf_counter() - started) * 1000)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3, help="rounds of typing every text, per store")
    parser.add_argument("--keep", type=Path, default=Path(tempfile.gettempdir()) / "careplan-bench-encrypted")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from PySide6.QtWidgets import QApplication

    from db.case_store import CaseStore
    from db.crypto import key_for
    from db.knowledge_store import KnowledgeStore
    from planning.knowledge.pack import load_pack

    codes = {i.code for i in load_pack().indications}
    args.keep.mkdir(parents=True, exist_ok=True, mode=0o700)
    plain, encrypted = build(args.keep, args.count, codes)
    key = key_for(encrypted, PASSPHRASE)
    knowledge = KnowledgeStore.open(Path(tempfile.mkdtemp(prefix="careplan-bench-knowledge-")) / "knowledge.sqlite")
    knowledge.ensure_current()
    app = QApplication.instance() or QApplication([])

    stores = {"plain": CaseStore.open(plain, codes), "encrypted": CaseStore.open(encrypted, codes, key=key)}
    for store in stores.values():  # warm-up: Qt's caches, the files in the page cache
        time_global_box(app, knowledge, store, rounds=1)
    samples: dict[str, dict[str, list[float]]] = {
        measure: {"plain": [], "encrypted": []}
        for measure in ("global_box", "global_box_cpu", "case_search", "list_search")
    }
    for run in range(args.rounds):
        for name in ("plain", "encrypted") if run % 2 else ("encrypted", "plain"):
            store = stores[name]
            samples["global_box"][name] += time_global_box(
                app, knowledge, store, rounds=1, cpu=samples["global_box_cpu"][name]
            )
            samples["case_search"][name] += time_case_search(store, 1)
            samples["list_search"][name] += time_list_search(store, 1)
    for store in stores.values():
        store.close()
    knowledge.close()

    record: dict = {"cases": args.count, "typed": TYPED, "load_average": os.getloadavg()[0]}
    for measure, by_store in samples.items():
        for name, values in by_store.items():
            record[f"{measure}_{name}"] = summary(values)
    record["max_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    record["targets"] = "global box p95 <= 20 ms per keystroke (encrypted); memory <= 200 MB"
    out = save("global_search", record)
    for measure in samples:
        for name in ("plain", "encrypted"):
            r = record[f"{measure}_{name}"]
            figures = f"median {r['median_ms']:>7} ms  p95 {r['p95_ms']:>7} ms  max {r['max_ms']:>7} ms"
            print(f"{measure:<12} {name:<10} {figures}")
    print(f"peak memory: {record['max_rss_mb']} MB; load average {record['load_average']:.1f}   -> {out}")


if __name__ == "__main__":
    main()
