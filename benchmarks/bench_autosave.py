"""What one autosave costs while a coordinator types: save_document on the encrypted store.

    .venv/bin/python benchmarks/bench_autosave.py [--count 10000] [--saves 400]

A store of --count (fictional) cases, encrypted with SQLCipher as the app makes it; one case is
edited the way typing edits it (a field one character longer per save, the notes growing), and each
save is timed: read the stored document, compare, update the row, its history, the audit entry and
the search index, commit (WAL). The editor saves at most AUTOSAVE_MS after a keystroke
(desktop/cases/editor.py): together they bound what a crash can lose.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from common import save, summary
from generate_cases import generate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--saves", type=int, default=400)
    args = parser.parse_args()

    from db.case_store import CaseStore
    from db.crypto import new_key
    from desktop.cases.editor import AUTOSAVE_MS
    from planning.knowledge.pack import load_pack

    codes = {i.code for i in load_pack().indications}
    with tempfile.TemporaryDirectory() as folder:
        key = new_key("benchmark passphrase")
        store = CaseStore.open(Path(folder) / "cases.sqlite", codes, key=key)
        generate(store, args.count)
        case = store.create({"patient": {"full_name": "Bench Typist"}, "clinical": {"indication": "lbcl"}}, "bench")
        document = case.document
        samples = []
        text = "Relapsed 8 months after R-CHOP; PET positive; daughter translates. "
        for n in range(args.saves):
            document["patient"]["full_name"] = "Bench Typist " + text[: n % len(text)]
            document["clinical"]["notes"] = (text * 3)[: n % (3 * len(text))] or None
            started = time.perf_counter()
            store.save_document(case.id, document, "bench")
            samples.append((time.perf_counter() - started) * 1000)
        store.close()
    result = {"cases": args.count, "autosave_ms": AUTOSAVE_MS, "save": summary(samples)}
    print(result)
    print("results:", save("autosave", result))


if __name__ == "__main__":
    main()
