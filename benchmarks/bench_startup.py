"""Cold start to the case list painted with its first page of rows: plain and encrypted stores of
1,000 and 100,000 generated (fictional) cases, against a bare PySide6 table window in the same run.

Each repetition is a new process on the offscreen platform running the real application
(``desktop.app.main``) on a prepared data directory: the knowledge store is built and one backup
exists, as on any start after the first. The clock is CLOCK_MONOTONIC (``time.monotonic``, one
clock for every process on Linux): it runs from just before the process is started until the case
list's viewport has handled its first paint event while the list holds rows. An event filter on
that viewport (installed when the main window says the cases are ready, before anything of the list
is painted) sees the Paint event, and a zero-delay timer then reads the clock, so the paint itself
is included. Offscreen means Qt drew into its backing store; no compositor or screen flip is in it.

The encrypted store is unlocked as a person would, without their typing time: the passphrase is
put into the unlock form's field and the form submitted as Enter does (``UnlockForm.submit``), so
the figure includes the key derivation (scrypt), the unlock check and the opening. Both stores are
the same cases (bench_encrypted.py builds them; they are kept in --keep and reused). After the list
is painted the process closes its window and ends normally; the full check and the start-up backup
that run in the background after the list is shown finish before the next repetition starts, and
that backup is deleted again, so every repetition starts on the same files (warm in the page cache).
A start that crashes or never paints is counted and told, not timed. The first start after
installing (the knowledge store built from the pack, off the GUI thread) is measured on its own:
--first-runs starts on the first plain store with its knowledge store deleted.

    .venv/bin/python benchmarks/bench_startup.py [--runs 15] [--counts 1000 100000] [--first-runs 5] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench_encrypted import PASSPHRASE, build
from common import save, summary

ROOT = Path(__file__).resolve().parent.parent

BARE = """
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView
app = QApplication(sys.argv)
w = QMainWindow(); w.setWindowTitle("bare"); w.resize(1280, 820)
model = QStandardItemModel(0, 5)
for row in range(100):
    model.appendRow([QStandardItem(f"row {row} column {column}") for column in range(5)])
view = QTableView(w); view.setModel(model); w.setCentralWidget(view)
class Painted(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            view.viewport().removeEventFilter(self)
            QTimer.singleShot(0, report)
        return False
def report():
    print(f"painted {time.monotonic():.6f} rows {model.rowCount()}", flush=True); app.quit()
painted = Painted()
view.viewport().installEventFilter(painted)
w.show()
app.exec()
"""

APP = """
import sys, time
started = time.monotonic()
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
PASSPHRASE = {passphrase!r}
marks = {{"python": started}}

class Painted(QObject):
    def __init__(self, window):
        super().__init__()
        self.window = window
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and self.window.cases.model.rowCount() > 0:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self.report)  # after this paint event has been handled
        return False
    def report(self):
        now = time.monotonic()
        marks_text = " ".join(f"{{name}}={{value:.6f}}" for name, value in marks.items())
        print(f"painted {{now:.6f}} rows {{self.window.cases.model.rowCount()}} {{marks_text}}", flush=True)
        self.window.close()

def hook():
    from desktop.security.access import UnlockForm
    from desktop.shell.main_window import MainWindow
    window = next(w for w in app.topLevelWidgets() if isinstance(w, MainWindow))
    if window.cases is not None:
        raise SystemExit("the case list was shown before the benchmark could watch it")
    marks["loop"] = time.monotonic()
    def cases_ready():
        marks["cases_ready"] = time.monotonic()
        painted = Painted(window)
        window.cases.table.viewport().installEventFilter(painted)
        window._bench_painted = painted
    window.cases_ready.connect(cases_ready)
    form = window.gate.form if window.gate is not None else None
    if isinstance(form, UnlockForm):
        if not PASSPHRASE:
            raise SystemExit("the store is encrypted but no passphrase was given")
        form.passphrase.setText(PASSPHRASE)
        form.submit()  # what Enter in the passphrase field does
        marks["submitted"] = time.monotonic()

QTimer.singleShot(0, hook)
from desktop.app import main
sys.exit(main([]))
"""


class StartFailed(RuntimeError):
    """A start that never painted the list, or ended with an error or a crash (its exit code)."""


def run_once(command: list[str], env: dict[str, str]) -> tuple[float, dict[str, float], int]:
    """Milliseconds from just before the process starts to its first paint of rows; the marks the
    child noted on the way (ms from the same start); the number of rows painted."""
    with tempfile.TemporaryFile("w+") as errors:
        start = time.monotonic()
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=errors, text=True, env=env, cwd=ROOT)
        assert process.stdout is not None
        line = next((text for text in process.stdout if text.startswith("painted")), None)
        code = process.wait(timeout=300)
        if line is None or code != 0:
            errors.seek(0)
            raise StartFailed(f"exit {code}, {'painted' if line else 'never painted'}: {errors.read()[-2000:]}")
    words = line.split()
    painted, rows = float(words[1]), int(words[3])
    marks = {k: (float(v) - start) * 1000 for k, v in (word.split("=") for word in words[4:])}
    return (painted - start) * 1000, marks, rows


def prepare(keep: Path, count: int, codes: set[str]) -> dict[str, Path]:
    """A data directory per store, holding a copy of the generated store (plain and encrypted)."""
    from services.settings import Settings, needs_setup

    plain, encrypted = build(keep, count, codes)
    folders = {}
    for name, source in (("plain", plain), ("encrypted", encrypted)):
        folder = keep / f"startup-{name}-{count}"
        store = folder / "cases.sqlite"
        if not store.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(mode=0o700, parents=True)
            shutil.copyfile(source, store.with_name("cases.sqlite.part"))
            store.with_name("cases.sqlite.part").rename(store)
        if needs_setup(Settings(folder).load()):  # a usual start: the first-run set-up was done (or skipped)
            Settings(folder).update(setup_done=True)
        folders[f"{name}_{count}"] = folder
    return folders


def backups_of(folder: Path) -> set[Path]:
    return set((folder / "backups").glob("*")) if (folder / "backups").exists() else set()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--counts", type=int, nargs="+", default=[1_000, 100_000])
    parser.add_argument("--first-runs", type=int, default=5, help="starts that must build the knowledge store")
    parser.add_argument("--keep", type=Path, default=Path(tempfile.gettempdir()) / "careplan-bench-encrypted")
    args = parser.parse_args()
    from planning.knowledge.pack import load_pack

    codes = {i.code for i in load_pack().indications}
    args.keep.mkdir(parents=True, exist_ok=True, mode=0o700)
    folders: dict[str, Path] = {}
    for count in args.counts:
        folders.update(prepare(args.keep, count, codes))
    base_env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    base_env.pop("CAREPLAN_EXIT_WHEN_READY", None)

    def command(name: str) -> list[str]:
        secret = PASSPHRASE if name.startswith("encrypted") else ""
        return [sys.executable, "-c", APP.format(passphrase=secret)]

    def env(name: str) -> dict[str, str]:
        return {**base_env, "CAREPLAN_DATA_DIR": str(folders[name])}

    kept: dict[str, set[Path]] = {}
    for name in folders:  # a start that builds the knowledge store (once) and makes a first backup, kept
        assert run_once(command(name), env(name))[2] > 0
        kept[name] = backups_of(folders[name])
    bare = [sys.executable, "-c", BARE]
    run_once(bare, base_env)  # warm the file cache

    load_before = os.getloadavg()[0]
    samples: dict[str, list[float]] = {name: [] for name in ("bare", *folders)}
    marks: dict[str, list[dict[str, float]]] = {name: [] for name in folders}
    failed: dict[str, list[str]] = {name: [] for name in folders}
    for repetition in range(args.runs):
        order = list(folders) if repetition % 2 == 0 else list(folders)[::-1]  # none always goes first
        samples["bare"].append(run_once(bare, base_env)[0])
        for name in order:
            try:
                elapsed, noted, rows = run_once(command(name), env(name))
            except StartFailed as failure:  # counted and told, never timed (the crash log is in logs/)
                failed[name].append(str(failure))
                print(f"  {name}: start {repetition + 1} failed: {failure}", file=sys.stderr)
            else:
                assert rows == min(100, int(name.split("_")[1])), rows
                samples[name].append(elapsed)
                marks[name].append(noted)
            for made in backups_of(folders[name]) - kept[name]:  # the same files for every repetition
                made.unlink()
    first_name = next(iter(folders))  # the plain store of the first count
    first_runs = []
    for _ in range(args.first_runs):  # the first start after installing: the knowledge store is built
        for part in folders[first_name].glob("knowledge.sqlite*"):
            part.unlink()
        first_runs.append(run_once(command(first_name), env(first_name))[0])
        for made in backups_of(folders[first_name]) - kept[first_name]:
            made.unlink()

    record: dict = {
        "runs": args.runs,
        "measured": "process start to the first paint of the case list with rows",
        "load_average_1min": {"before": round(load_before, 2), "after": round(os.getloadavg()[0], 2)},
    }
    stats = {name: summary(values) for name, values in samples.items()}
    record.update({f"{name}_ms": stats[name] for name in samples})
    record["failed_starts"] = {name: failures for name, failures in failed.items() if failures}
    if first_runs:
        record[f"first_start_{first_name}_with_knowledge_build_ms"] = summary(first_runs)
    for name, noted in marks.items():
        record[f"{name}_marks_median_ms"] = {
            mark: round(statistics.median(n[mark] for n in noted), 1) for mark in noted[0]
        }
    path = save("startup", record)
    print(f"start to the case list painted with rows; median / p95 of {args.runs} new processes (offscreen)")
    print(f"  load average before / after: {record['load_average_1min']}")
    for name in samples:
        extra = ""
        if name in marks:
            median_marks = record[f"{name}_marks_median_ms"]
            extra = "   (median marks: " + ", ".join(f"{k} {v:.0f}" for k, v in median_marks.items()) + ")"
        print(f"  {name:>18}: {stats[name]['median_ms']:7.0f} / {stats[name]['p95_ms']:7.0f} ms{extra}")
    if first_runs:
        first_stats = summary(first_runs)
        print(
            f"  first start, {first_name}, building the knowledge store: "
            f"{first_stats['median_ms']:.0f} / {first_stats['p95_ms']:.0f} ms (median / p95 of {len(first_runs)})"
        )
    for name, failures in record["failed_starts"].items():
        print(f"  {name}: {len(failures)} of {args.runs} starts failed (not timed): {failures[0][:200]}")
    print(f"-> {path}")


if __name__ == "__main__":
    main()
