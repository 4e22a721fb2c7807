"""Smoke test of the built one-folder application (dist/CarePlanDesk), run by scripts/check-bundle.sh.

Runs the frozen executables as a coordinator's machine would, each in folders of its own (data, cache,
home), from a folder outside the source tree:

1. ``careplan --version`` names the version, the build date and the knowledge pack.
2. ``careplan plan`` writes an Arabic and a Chinese plan from a sample case: every font in them is embedded
   (pdffonts), the language's fixed texts (title, footer) are there as its .po translates them (pdftotext),
   and no catalog was compiled on the way (the bundle's compiled catalogs were used).
3. ``careplan-desk`` starts on the offscreen platform, shows its window, and ends with status 0
   (CAREPLAN_EXIT_WHEN_READY), first on an empty data folder (under strace: no network connection is
   opened, where strace is installed), then five more times; the start is timed
   from just before the process is started until it reports the window painted and ready (median); and
   once on a real X server (xvfb-run, where installed).
4. The bundle's size on disk, against the 250 MB target.

Prints one line per check and a closing "check-bundle: N passed, N failed"; exits 1 if any failed.

    .venv/bin/python packaging/check_bundle.py [dist/CarePlanDesk]
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
SIZE_LIMIT_MB = 250
START_TARGET_S = 1.5
STARTS = 5
TITLE, FOOTER = "Treatment plan and cost estimate", "Counseling information, not a medical decision."
PLANS = {"ar": "ar", "zh_CN": "zh_CN"}
"""Document language -> the patient language of the sample case to plan."""


class Checks:
    def __init__(self) -> None:
        self.passed = 0
        self.failed = 0

    def report(self, ok: bool, what: str, detail: str = "") -> bool:
        self.passed += ok
        self.failed += not ok
        print(f"{'ok  ' if ok else 'FAIL'} {what}{f': {detail}' if detail else ''}", flush=True)
        return ok


def translated(locale: str, msgid: str) -> str:
    with (ROOT / "translations" / locale / "LC_MESSAGES" / "careplan.po").open("rb") as handle:
        message = read_po(handle, locale=locale).get(msgid)
    if message is None or not message.string:
        raise SystemExit(f"{locale}: {msgid!r} is not translated")
    return str(message.string)


def readable(text: str) -> str:
    """Text as compared: Arabic presentation forms folded to letters, no vowel marks, direction marks or spaces."""
    text = re.sub("[\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", unicodedata.normalize("NFKC", text))
    return "".join(c for c in re.sub(r"\s+", "", text) if unicodedata.category(c) != "Mn")


def fonts_of(pdf: Path) -> list[tuple[str, str]]:
    """(font name, embedded yes/no) for every font pdffonts lists."""
    lines = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()
    return [(line.split()[0], line.split()[-5]) for line in lines[2:] if line.strip()]


class Machine:
    """A coordinator's machine, as far as the app can tell: its own home, data and cache folders."""

    def __init__(self, base: Path, bundle: Path):
        self.base = base
        self.bundle = bundle
        for name in ("home", "data", "cache", "work"):
            (base / name).mkdir(parents=True, exist_ok=True)

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "CAREPLAN_", "VIRTUAL_ENV", "QT_"))}
        env.update(
            HOME=str(self.base / "home"),
            XDG_CONFIG_HOME=str(self.base / "home" / ".config"),
            XDG_CACHE_HOME=str(self.base / "home" / ".cache"),
            CAREPLAN_DATA_DIR=str(self.base / "data"),
            CAREPLAN_CACHE_DIR=str(self.base / "cache"),
            **extra,
        )
        return env

    def run(self, name: str, *args: str, timeout: float = 120, **extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.bundle / name), *args],
            cwd=self.base / "work",
            env=self.env(**extra),
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def start_window(self, traced: Path | None = None) -> tuple[float, subprocess.CompletedProcess[str]]:
        """Seconds from just before the process starts until it reports its window painted and ready; the
        finished process (it closes its window by itself). ``traced``: run under strace, its connections
        logged there."""
        env = self.env(QT_QPA_PLATFORM="offscreen", CAREPLAN_EXIT_WHEN_READY="1")
        command = [str(self.bundle / "careplan-desk")]
        if traced:
            command = ["strace", "-f", "-qq", "-e", "trace=connect", "-o", str(traced), *command]
        with tempfile.TemporaryFile("w+") as errors:
            started = time.monotonic()
            process = subprocess.Popen(
                command,
                cwd=self.base / "work",
                env=env,
                stdout=subprocess.PIPE,
                stderr=errors,
                text=True,
            )
            assert process.stdout is not None
            line = next((text for text in process.stdout if text.startswith("ready")), None)
            shown = time.monotonic() - started
            rest = process.stdout.read()
            code = process.wait(timeout=60)
            errors.seek(0)
            finished = subprocess.CompletedProcess(process.args, code, (line or "") + rest, errors.read())
        return (shown if line else float("nan")), finished


def check_version(checks: Checks, machine: Machine) -> None:
    result = machine.run("careplan", "--version")
    line = result.stdout.strip()
    pattern = r"careplan \d+\.\d+\S* \(built \d{4}-\d{2}-\d{2}, knowledge pack \d{4}\.\d+\.\d+\)"
    ok = result.returncode == 0 and re.fullmatch(pattern, line) is not None
    checks.report(ok, "careplan --version", line or result.stderr.strip()[-500:])


def check_plans(checks: Checks, machine: Machine) -> None:
    samples = json.loads((ROOT / "resources" / "samples" / "sample_cases.json").read_text("utf-8"))
    for locale, language in PLANS.items():
        case = next(s for s in samples if s["patient"].get("language") == language)
        source = machine.base / "work" / f"case-{locale}.json"
        source.write_text(json.dumps(case, ensure_ascii=False), "utf-8")
        pdf = machine.base / "work" / f"plan-{locale}.pdf"
        started = time.monotonic()
        result = machine.run("careplan", "plan", source.name, "-o", pdf.name, "--locale", locale)
        took = time.monotonic() - started
        if not checks.report(
            result.returncode == 0 and pdf.is_file(),
            f"careplan plan --locale {locale}",
            f"{took:.2f} s" if result.returncode == 0 else result.stderr.strip()[-500:],
        ):
            continue
        fonts = fonts_of(pdf)
        bare = [name for name, embedded in fonts if embedded != "yes"]
        checks.report(
            bool(fonts) and not bare,
            f"{locale}: every font embedded",
            ", ".join(name for name, _ in fonts) if not bare else f"not embedded: {', '.join(bare)}",
        )
        text = readable(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout)
        wanted = {msgid: translated(locale, msgid) for msgid in (TITLE, FOOTER)}
        missing = [f"{msgid!r} ({string})" for msgid, string in wanted.items() if readable(string) not in text]
        checks.report(not missing, f"{locale}: the fixed texts of the language", "; ".join(missing) or wanted[TITLE])
    compiled = sorted(p.name for p in (machine.base / "cache").rglob("*.mo"))
    checks.report(not compiled, "the bundle's compiled catalogs used (none compiled at run time)", ", ".join(compiled))


def check_window(checks: Checks, machine: Machine) -> None:
    traced = machine.base / "connections.txt" if shutil.which("strace") else None
    first, result = machine.start_window(traced)
    clean = result.returncode == 0 and "Traceback" not in result.stderr
    checks.report(
        clean and not math.isnan(first),
        "careplan-desk starts offscreen on an empty data folder and quits with status 0",
        f"window ready after {first:.2f} s (knowledge store built{', under strace' if traced else ''})"
        if clean
        else result.stderr.strip()[-800:],
    )
    if not clean:
        return
    if traced:  # local sockets (D-Bus, X11) are fine; nothing may reach out to a network
        online = [line.strip() for line in traced.read_text().splitlines() if re.search(r"AF_INET6?\b", line)]
        checks.report(not online, "the first start opens no network connection", "; ".join(online[:3]))
    else:
        print("skip the first start's network check: strace is not installed", flush=True)
    times, failures = [], []
    for _ in range(STARTS):
        shown, result = machine.start_window()
        if result.returncode == 0 and not math.isnan(shown):
            times.append(shown)
        else:
            failures.append(f"exit {result.returncode}: {result.stderr.strip()[-300:]}")
    if failures:
        checks.report(False, "careplan-desk starts again", "; ".join(failures))
        return
    median = statistics.median(times)
    detail = f"median {median:.2f} s of {STARTS} ({', '.join(f'{t:.2f}' for t in times)}), target <= {START_TARGET_S} s"
    checks.report(True, "careplan-desk: start to a shown window", detail)
    if median > START_TARGET_S:
        print(f"warning: the start ({median:.2f} s) is over its target of {START_TARGET_S} s", flush=True)


def check_x11(checks: Checks, machine: Machine) -> None:
    """The window on a real X server (Xvfb), through the bundle's xcb plugin and X libraries, where xvfb-run is."""
    if shutil.which("xvfb-run") is None:
        print("skip the X11 start: xvfb-run is not installed", flush=True)
        return
    env = machine.env(CAREPLAN_EXIT_WHEN_READY="1")
    command = ["xvfb-run", "-a", str(machine.bundle / "careplan-desk")]
    result = subprocess.run(command, cwd=machine.base / "work", env=env, capture_output=True, text=True, timeout=120)
    ok = result.returncode == 0 and result.stdout.startswith("ready")
    checks.report(ok, "careplan-desk starts on X11 (xcb, Xvfb) and quits with status 0", result.stderr.strip()[-500:])


def check_size(checks: Checks, bundle: Path) -> None:
    size = sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file() and not p.is_symlink())
    megabytes = size / 1e6
    detail = f"{megabytes:.0f} MB ({size / 2**20:.0f} MiB) unpacked, limit {SIZE_LIMIT_MB} MB"
    checks.report(megabytes <= SIZE_LIMIT_MB, "bundle size", detail)


def main() -> int:
    bundle = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "dist" / "CarePlanDesk").resolve()
    for tool in ("pdffonts", "pdftotext"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is needed (Debian: poppler-utils)")
    checks = Checks()
    with tempfile.TemporaryDirectory(prefix="careplan-bundle-") as base:
        check_version(checks, Machine(Path(base) / "version", bundle))
        check_plans(checks, Machine(Path(base) / "plans", bundle))
        check_window(checks, Machine(Path(base) / "window", bundle))
        check_x11(checks, Machine(Path(base) / "window", bundle))
    check_size(checks, bundle)
    print(f"check-bundle: {checks.passed} passed, {checks.failed} failed", flush=True)
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
