"""Small helpers shared by the benchmarks: statistics and a results file."""

from __future__ import annotations

import json
import platform
import statistics
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def summary(samples_ms: list[float]) -> dict[str, float]:
    ordered = sorted(samples_ms)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "n": len(ordered),
        "median_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(p95, 2),
        "max_ms": round(ordered[-1], 2),
    }


def save(name: str, record: dict) -> Path:
    RESULTS.mkdir(exist_ok=True)
    record = {"machine": f"{platform.machine()} {platform.python_version()}", **record}
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(record, indent=2), "utf-8")
    return path
