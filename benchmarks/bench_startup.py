"""Cold start to a shown, usable main window, against a bare PySide6 window in the same run.

Each run is a new process on the offscreen platform; the clock runs from just before the process is
started until it prints "ready" (window shown, knowledge loaded, search enabled). The first CarePlan
run builds the knowledge store on an empty data directory and is reported on its own.

    .venv/bin/python benchmarks/bench_startup.py [--runs 9]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import save, summary

BARE = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
w = QMainWindow(); w.setWindowTitle("bare"); w.resize(1280, 820); w.show()
def ready():
    print("ready", flush=True); app.quit()
QTimer.singleShot(0, ready)
app.exec()
"""


def timed(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith("ready"):
            elapsed = (time.perf_counter() - start) * 1000
            break
    else:
        raise RuntimeError(f"{command} never reported ready")
    process.wait(timeout=30)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    data = tempfile.mkdtemp(prefix="careplan-bench-")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "CAREPLAN_DATA_DIR": data, "CAREPLAN_EXIT_WHEN_READY": "1"}
    app = [sys.executable, "-m", "desktop.app"]
    bare = [sys.executable, "-c", BARE]
    first = timed(app, env)  # builds the knowledge store
    timed(bare, env)  # warm the file cache for both
    app_runs, bare_runs = [], []
    for _ in range(args.runs):
        bare_runs.append(timed(bare, env))
        app_runs.append(timed(app, env))
    app_stats, bare_stats = summary(app_runs), summary(bare_runs)
    ratio = round(app_stats["median_ms"] / bare_stats["median_ms"], 2)
    record = {
        "first_start_with_store_build_ms": round(first, 1),
        "careplan_start": app_stats,
        "bare_pyside6_window": bare_stats,
        "ratio_to_bare": ratio,
        "target": "start <= 500 ms",
    }
    path = save("startup", record)
    print(f"first start (builds the knowledge store): {first:.0f} ms")
    print(
        f"CarePlan Desk start, median of {args.runs}: {app_stats['median_ms']:.0f} ms (p95 {app_stats['p95_ms']:.0f})"
    )
    print(f"bare PySide6 window, median of {args.runs}: {bare_stats['median_ms']:.0f} ms")
    print(f"ratio: {ratio}x   -> {path}")


if __name__ == "__main__":
    main()
