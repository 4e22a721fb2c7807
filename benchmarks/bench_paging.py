"""Keyset paging at 100,000 generated (fictional) cases: page 1 and page 900 of every sort, both directions.

    .venv/bin/python benchmarks/bench_paging.py [--count 100000] [--page 900] [--repeat 41] [--keep DIR]

Target: page 900 within 2x of page 1 for every sort (each page seeks on the sort's index; none walks
it from the start). The store is a real file with the planner's statistics (generate_cases runs
ANALYZE). For comparison, the "before" column times page 900 with the single row-value query the
store used until now, ``(value, id) > (?, ?)``, which SQLite seeks on the value only (or, for a
coalesce() sort, not at all).
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

from db.case_store import _ROW_COLUMNS, SORTS, CaseQuery, CaseRow, CaseStore, _row
from planning.knowledge.pack import load_pack

LIMIT = 100
TARGET = 2.0
"""Page N's median may take at most this many times page 1's."""


def row_value_page(store: CaseStore, query: CaseQuery, after: tuple) -> list[CaseRow]:
    """Page N as the store fetched it before page_statements: one row-value comparison for the position
    (the same filters, columns and rows; kept here only to compare)."""
    expression = SORTS[query.sort]
    clauses, params = store._where(query)
    clauses.append(f"({expression}, id) {'<' if query.descending else '>'} (?, ?)")
    direction = "DESC" if query.descending else "ASC"
    sql = (
        f"SELECT {_ROW_COLUMNS}, {expression} FROM cases WHERE {' AND '.join(clauses)} "
        f"ORDER BY {expression} {direction}, id {direction} LIMIT ?"
    )
    return [_row(r) for r in store.db.execute(sql, [*params, *after, LIMIT]).fetchall()]


def plan(store: CaseStore, query: CaseQuery, after: tuple | None) -> str:
    """``seek`` when every statement of the page is one SEARCH (or, on page 1, one index walk) with no
    sorting; otherwise the plan itself."""
    steps = []
    for sql, params in store.page_statements(query, after, LIMIT):
        steps += [row[-1] for row in store.db.execute(f"EXPLAIN QUERY PLAN {sql}", params)]
    good = all(
        "TEMP B-TREE" not in step and (step.startswith("SEARCH") or (after is None and "USING" in step))
        for step in steps
    )
    return "seek" if good else " | ".join(steps)


def timed(actions: list, repeat: int) -> list[list[float]]:
    """Milliseconds of each action, ``repeat`` times, taken in turn (so a busy moment of the machine
    falls on all of them alike, not on one)."""
    samples: list[list[float]] = [[] for _ in actions]
    for _ in range(repeat):
        for action, times in zip(actions, samples, strict=True):
            started = time.perf_counter()
            action()
            times.append((time.perf_counter() - started) * 1000)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--page", type=int, default=900, help="the later page to time (1-based)")
    parser.add_argument("--repeat", type=int, default=41, help="timed runs of each page")
    parser.add_argument("--keep", type=Path, help="reuse/keep the generated database in this folder")
    args = parser.parse_args()

    codes = {i.code for i in load_pack().indications}
    folder = args.keep or Path(tempfile.mkdtemp(prefix="careplan-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "cases.sqlite"
    if not path.exists():
        started = time.perf_counter()
        generate(CaseStore.open(path, codes), args.count)
        print(f"generated {args.count} cases in {time.perf_counter() - started:.1f} s")
    store = CaseStore.open(path, codes)
    cases = store.count(CaseQuery())
    if cases < args.page * LIMIT:
        raise SystemExit(f"{cases} cases have no page {args.page} of {LIMIT}")

    results = {}
    header = (
        f"{'sort':<14}{'order':<6}{'page 1 med':>11}{'p95':>7}{f'page {args.page} med':>14}{'p95':>7}"
        f"{'ratio':>7}{'before med':>12}  plan"
    )
    print(f"{cases} cases, {LIMIT} per page, {args.repeat} runs each (ms)")
    print(header)
    print("-" * len(header))
    for sort in SORTS:
        for descending in (False, True):
            query = CaseQuery(sort=sort, descending=descending)
            after = None
            for _ in range(args.page - 1):  # the real position where page N starts
                _rows, after = store.page(query, after, LIMIT)
            assert after is not None
            for _ in range(3):  # warm the cache the same way for all three
                store.page(query, None, LIMIT)
                store.page(query, after, LIMIT)
                assert row_value_page(store, query, after) == store.page(query, after, LIMIT)[0]
            first, later, before = timed(
                [
                    lambda q=query: store.page(q, None, LIMIT),
                    lambda q=query, a=after: store.page(q, a, LIMIT),
                    lambda q=query, a=after: row_value_page(store, q, a),
                ],
                args.repeat,
            )
            one, many, old = summary(first), summary(later), summary(before)
            ratio = statistics.median(later) / statistics.median(first)
            seeks = plan(store, query, None), plan(store, query, after)
            shown = "seek" if seeks == ("seek", "seek") else "; ".join(seeks)
            name = f"{sort} {'desc' if descending else 'asc'}"
            results[name] = {
                "page_1": one,
                f"page_{args.page}": many,
                "ratio": round(ratio, 2),
                "before_row_value": old,
                "plan": shown,
                "within_target": ratio <= TARGET,
            }
            print(
                f"{sort:<14}{'desc' if descending else 'asc':<6}{statistics.median(first):>11.3f}{one['p95_ms']:>7.2f}"
                f"{statistics.median(later):>14.3f}{many['p95_ms']:>7.2f}{ratio:>7.2f}"
                f"{statistics.median(before):>12.3f}  {shown}"
            )
    store.close()
    missed = [name for name, result in results.items() if not result["within_target"]]
    verdict = "met" if not missed else f"missed by {', '.join(missed)}"
    print(f"target: page {args.page} within {TARGET:g}x of page 1 for every sort: {verdict}")
    out = save(
        "paging",
        {
            "cases": cases,
            "page_size": LIMIT,
            "later_page": args.page,
            "repeat": args.repeat,
            "sorts": results,
            "target": f"page {args.page} within {TARGET:g}x of page 1 (median) for every sort and direction",
            "target_met": not missed,
        },
    )
    print(f"-> {out}")


if __name__ == "__main__":
    main()
