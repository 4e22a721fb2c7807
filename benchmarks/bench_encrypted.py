"""The cost of encryption at rest: the same 100,000 (fictional) cases, plain and encrypted with SQLCipher.

    .venv/bin/python benchmarks/bench_encrypted.py [--count 100000] [--runs 41] [--keep DIR]

Measured for each store, alternating plain and encrypted runs so both see the same machine state:
- "open + first page": CaseStore.open (with the key for the encrypted one) and the first page of 100
  of the list's query (desktop/cases/model.py), then close;
- "... + count": the same plus the list's exact count of all cases (reads a whole index: every page
  of it is decrypted, which is where the encrypted store pays most);
- "list shown": the real Cases page (offscreen) opened on the store and shown, as bench_cases.py;
- "scroll all": every page of the list, 100 at a time (every row decrypted once).
The key derivation (scrypt, paid once per unlock, not per connection) is reported on its own.
Target: open + first page encrypted <= 1.5x plain.

The encrypted store is the plain one exported with sqlcipher_export, so both hold the same bytes of
data; both are kept in --keep (default: a folder under the system temp dir) and reused next time.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from common import save, summary
from generate_cases import generate

PASSPHRASE = "benchmark passphrase"
PAGE = 100  # desktop/cases/model.py PAGE


def build(folder: Path, count: int, codes: set[str]) -> tuple[Path, Path]:
    """The plain store (generated) and its encrypted copy, made once and kept."""
    from db.case_store import CaseStore
    from db.connection import encrypted_copy
    from db.crypto import new_key

    plain, encrypted = folder / f"plain-{count}.sqlite", folder / f"encrypted-{count}.sqlite"
    if not plain.exists():
        started = time.perf_counter()
        partial = plain.with_name(plain.name + ".part")
        partial.unlink(missing_ok=True)
        store = CaseStore.open(partial, codes)
        generate(store, count)
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        store.close()
        partial.rename(plain)
        print(f"generated {count} cases in {time.perf_counter() - started:.1f} s")
    if not encrypted.exists():
        started = time.perf_counter()
        key = new_key(PASSPHRASE)
        partial = encrypted.with_name(encrypted.name + ".part")
        partial.unlink(missing_ok=True)
        encrypted_copy(plain, partial, key)
        partial.rename(encrypted)
        print(f"encrypted the copy in {time.perf_counter() - started:.1f} s")
    return plain, encrypted


def open_and_first_page(path: Path, codes: set[str], key, count: bool = False) -> int:
    from db.case_store import CaseQuery, CaseStore

    store = CaseStore.open(path, codes, key=key)
    try:
        query = CaseQuery()
        rows, _ = store.page(query, limit=PAGE)
        if count:
            store.count(query, cap=1000)
        return len(rows)
    finally:
        store.close()


def list_shown(path: Path, codes: set[str], key, pack, app) -> int:
    from db.case_store import CaseStore
    from desktop.cases.page import CasesPage

    store = CaseStore.open(path, codes, key=key)
    page = CasesPage(store, pack, "en", "bench")
    page.resize(1200, 800)
    page.show()
    app.processEvents()
    shown = page.model.rowCount()
    page.close()
    page.deleteLater()
    app.processEvents()
    store.close()
    return shown


def vault_open(path: Path, codes: set[str], key) -> int:
    """As the app opens the store after unlocking, through the vault, to the first page (the full check
    and the start-up backup follow in the background; the check is measured on its own)."""
    from db.case_store import CaseQuery
    from db.vault import CaseVault

    vault = CaseVault(path)
    vault.key = key
    store = vault.open(codes, check_later=True)
    try:
        rows, _after = store.page(CaseQuery(), None, PAGE)
        return len(rows)
    finally:
        store.close()


def scroll_all(path: Path, codes: set[str], key) -> int:
    from db.case_store import CaseQuery, CaseStore

    store = CaseStore.open(path, codes, key=key)
    try:
        query, after, seen = CaseQuery(), None, 0
        while True:
            rows, after = store.page(query, after, PAGE)
            seen += len(rows)
            if after is None:
                return seen
    finally:
        store.close()


def timed(fn, *args) -> tuple[float, int]:
    started = time.perf_counter()
    result = fn(*args)
    return (time.perf_counter() - started) * 1000, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=41, help="runs of open + first page per store")
    parser.add_argument("--scrolls", type=int, default=3, help="runs of scrolling the whole list per store")
    parser.add_argument("--keep", type=Path, default=Path(tempfile.gettempdir()) / "careplan-bench-encrypted")
    args = parser.parse_args()

    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from db.crypto import key_for
    from planning.knowledge.pack import load_pack

    pack = load_pack()
    codes = {i.code for i in pack.indications}
    args.keep.mkdir(parents=True, exist_ok=True, mode=0o700)
    plain, encrypted = build(args.keep, args.count, codes)

    derive_ms = [timed(key_for, encrypted, PASSPHRASE)[0] for _ in range(5)]
    key = key_for(encrypted, PASSPHRASE)

    for path, store_key in ((plain, None), (encrypted, key)):  # warm-up: both files in the page cache
        open_and_first_page(path, codes, store_key)
    stores = (("plain", plain, None), ("encrypted", encrypted, key))
    first: dict[str, list[float]] = {"plain": [], "encrypted": []}
    counted: dict[str, list[float]] = {"plain": [], "encrypted": []}
    for _ in range(args.runs):
        for name, path, store_key in stores:
            elapsed, shown = timed(open_and_first_page, path, codes, store_key)
            assert shown == min(PAGE, args.count)
            first[name].append(elapsed)
        for name, path, store_key in stores:
            counted[name].append(timed(open_and_first_page, path, codes, store_key, True)[0])

    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    shown_ms: dict[str, list[float]] = {"plain": [], "encrypted": []}
    for run in range(16):
        for name, path, store_key in stores if run % 2 else stores[::-1]:  # neither always goes first
            elapsed, rows = timed(list_shown, path, codes, store_key, pack, app)
            assert rows > 0
            if run > 1:  # the first runs build Qt's caches
                shown_ms[name].append(elapsed)
    from db.backups import problems

    through_vault: dict[str, list[float]] = {"plain": [], "encrypted": []}
    checked: dict[str, list[float]] = {"plain": [], "encrypted": []}
    for _ in range(9):
        for name, path, store_key in stores:
            through_vault[name].append(timed(vault_open, path, codes, store_key)[0])
            checked[name].append(timed(problems, path, store_key)[0])
    scroll: dict[str, list[float]] = {"plain": [], "encrypted": []}
    for _ in range(args.scrolls):
        for name, path, store_key in (("plain", plain, None), ("encrypted", encrypted, key)):
            elapsed, seen = timed(scroll_all, path, codes, store_key)
            assert seen == args.count, seen
            scroll[name].append(elapsed)

    record: dict = {"cases": args.count}
    measures = (
        ("open + first page", "open_first_page", first),
        ("... + count", "open_first_page_count", counted),
        ("list shown", "list_shown", shown_ms),
        ("app: vault + page", "vault_open", through_vault),
        ("check (background)", "health_check", checked),
        ("scroll all pages", "scroll_all", scroll),
    )
    for _label, name, samples in measures:
        record[f"{name}_plain"] = summary(samples["plain"])
        record[f"{name}_encrypted"] = summary(samples["encrypted"])
        record[f"{name}_ratio_median"] = round(
            statistics.median(samples["encrypted"]) / statistics.median(samples["plain"]), 2
        )
    record.update(
        {
            "key_derivation": summary(derive_ms),
            "file_mb": {
                "plain": round(plain.stat().st_size / 2**20, 1),
                "encrypted": round(encrypted.stat().st_size / 2**20, 1),
            },
            "targets": "open + first page encrypted <= 1.5x plain; key derivation once per unlock",
        }
    )
    out = save("encrypted", record)
    sizes = record["file_mb"]
    print(f"cases: {args.count}  (files: {sizes['plain']} MB plain, {sizes['encrypted']} MB encrypted)")
    for label, name, _samples in measures:
        for kind in ("plain", "encrypted"):
            r = record[f"{name}_{kind}"]
            print(f"{label:<18} {kind:<10} median {r['median_ms']:>8} ms  p95 {r['p95_ms']:>8} ms  (n={r['n']})")
        print(f"{label:<18} ratio      {record[f'{name}_ratio_median']}x (median encrypted / median plain)")
    r = record["key_derivation"]
    print(f"key derivation (scrypt, once per unlock): median {r['median_ms']} ms  p95 {r['p95_ms']} ms")
    print(f"-> {out}")


if __name__ == "__main__":
    main()
