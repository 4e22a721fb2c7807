"""The PDF plan: warm in-process build, the cold `careplan plan` command, file size with CJK, and the
same content rendered by the peers a coordinator would otherwise use, in the same run:
WeasyPrint on equivalent HTML (warm) and LibreOffice headless converting it (cold).

    .venv/bin/python benchmarks/bench_plan.py [--runs 20] [--weasyprint-python /path/to/python]

Peers are optional: WeasyPrint runs from a separate virtual environment (it is not a dependency of
CarePlan Desk) and LibreOffice from `soffice` on the PATH; a missing peer is reported as such.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from common import save, summary

from planning import plan as model
from planning.case import parse_case
from planning.knowledge.pack import load_pack
from planning.plan import build_plan
from reports.document import render
from resources import locate

WEASY = """
import sys, time, statistics
from weasyprint import HTML
source = open(sys.argv[1], encoding="utf-8").read()
runs = int(sys.argv[2])
HTML(string=source).write_pdf()  # warm up
times = []
for _ in range(runs):
    t = time.perf_counter(); HTML(string=source).write_pdf(); times.append((time.perf_counter() - t) * 1000)
print(statistics.median(times))
"""


def as_html(plan: model.Plan) -> str:
    """The same content as simple HTML with a print stylesheet (what a peer would be given)."""
    direction = "rtl" if plan.rtl else "ltr"
    parts = [
        f'<html lang="{plan.locale}" dir="{direction}"><head><meta charset="utf-8"><style>'
        "@page { size: A4; margin: 20mm 18mm; @bottom-right { content: counter(page) ' / ' counter(pages); } }"
        "body { font-family: 'Noto Sans', 'Noto Naskh Arabic', 'Droid Sans Fallback'; font-size: 9.5pt; }"
        "table { border-collapse: collapse; width: 100%; } td, th { border: 0.4pt solid #b8c4d6; padding: 3pt; }"
        "</style></head><body>",
        f"<h1>{html.escape(plan.title)}</h1>",
    ]
    for block in plan.blocks:
        if isinstance(block, model.Heading):
            parts.append(f"<h{block.level + 1}>{html.escape(block.text)}</h{block.level + 1}>")
        elif isinstance(block, model.Paragraph):
            parts.append(f"<p>{html.escape(block.text)}</p>")
        elif isinstance(block, model.KeyValues | model.Table):
            rows = block.pairs if isinstance(block, model.KeyValues) else block.rows
            head = (
                ""
                if isinstance(block, model.KeyValues)
                else "".join(f"<th>{html.escape(h)}</th>" for h in block.headers)
            )
            body = "".join(
                "<tr>" + "".join(f"<td>{html.escape(c).replace(chr(10), '<br>')}</td>" for c in row) + "</tr>"
                for row in rows
            )
            parts.append(f"<table><tr>{head}</tr>{body}</table>")
        else:  # charts: the peers get the numbers as a table
            rows = getattr(block, "rows", ())
            body = "".join(
                f"<tr><td>{html.escape(str(r[0]))}</td><td>{html.escape(str(r[1:]))}</td></tr>" for r in rows
            )
            parts.append(f"<p><b>{html.escape(block.title)}</b></p><table>{body}</table>")
    parts.append("</body></html>")
    return "".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--weasyprint-python", default="/tmp/peers/bin/python")
    args = parser.parse_args()
    pack = load_pack()
    codes = {i.code for i in pack.indications}
    samples = json.loads(locate("samples", "sample_cases.json").read_text("utf-8"))
    cases = {"en": samples[0], "zh_CN": samples[4], "ar": samples[2]}

    record: dict = {
        "targets": "warm <= 40 ms median; cold Chinese command <= 350 ms and <= 2x the import floor of the same "
        "run; <= 400 KB with CJK; WeasyPrint >= 10x slower warm; LibreOffice >= 3x slower cold"
    }
    warm = {}
    for locale, document in cases.items():
        case = parse_case(document, codes)
        render(build_plan(case, pack, "CP-BENCH", locale, today=date(2026, 12, 3)))  # fonts loaded once
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            data = render(build_plan(case, pack, "CP-BENCH", locale, today=date(2026, 12, 3)))
            times.append((time.perf_counter() - started) * 1000)
        warm[locale] = summary(times)
        record[f"size_kb_{locale}"] = round(len(data) / 1024, 1)
    record["warm"] = warm

    folder = Path(tempfile.mkdtemp(prefix="careplan-bench-"))
    env = {**os.environ, "CAREPLAN_DATA_DIR": str(folder / "data")}
    # Bytecode first, as an installed app has it: a module edited since it was last compiled would otherwise be
    # compiled again by every cold run (PYTHONDONTWRITEBYTECODE keeps it so), the command's and the floor's.
    root = Path(__file__).resolve().parent.parent
    packages = [str(root / name) for name in ("cli", "services", "db", "planning", "reports", "resources")]
    subprocess.run([sys.executable, "-m", "compileall", "-q", *packages], check=True, capture_output=True)
    # The floor: starting Python and importing everything the command uses, doing nothing.
    floor_command = [sys.executable, "-c", "import cli.main, cli.plans, services.plans, reports.document, reports.text"]
    record["cold_command"] = {}
    for locale, document in (("zh_CN", samples[4]), ("en", samples[0]), ("ar", samples[2])):
        case_file = folder / f"case-{locale}.json"
        case_file.write_text(json.dumps(document), "utf-8")
        command = [sys.executable, "-m", "cli.main", "plan", str(case_file), "-o", str(folder / "plan.pdf")]
        command += ["--locale", locale]
        subprocess.run(command, env=env, check=True, capture_output=True)  # builds the knowledge store once
        cold, floor = [], []
        for _ in range(7):  # interleaved, so both see the same machine
            started = time.perf_counter()
            subprocess.run(floor_command, env=env, check=True, capture_output=True)
            floor.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            subprocess.run(command, env=env, check=True, capture_output=True)
            cold.append((time.perf_counter() - started) * 1000)
        record["cold_command"][locale] = summary(cold)
        record["cold_command"][locale]["import_floor_median_ms"] = round(statistics.median(floor), 1)
        record["cold_command"][locale]["ratio_to_floor"] = round(statistics.median(cold) / statistics.median(floor), 2)

    plan = build_plan(parse_case(samples[0], codes), pack, "CP-BENCH", "en", today=date(2026, 12, 3))
    page = folder / "plan.html"
    page.write_text(as_html(plan), "utf-8")
    if Path(args.weasyprint_python).exists():
        script = folder / "weasy.py"
        script.write_text(WEASY, "utf-8")
        output = subprocess.run(
            [args.weasyprint_python, str(script), str(page), str(max(5, args.runs // 2))],
            capture_output=True,
            text=True,
            check=True,
        )
        weasy = float(output.stdout.strip().splitlines()[-1])
        record["weasyprint_warm_median_ms"] = round(weasy, 1)
        record["ratio_weasyprint_warm"] = round(weasy / warm["en"]["median_ms"], 1)
    else:
        record["weasyprint"] = "not installed"
    soffice = shutil.which("soffice")
    if soffice:
        profile = folder / "lo-profile"
        times = []
        for _ in range(3):
            started = time.perf_counter()
            subprocess.run(
                [
                    soffice,
                    f"-env:UserInstallation=file://{profile}",
                    "--headless",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(folder / "lo"),
                    str(page),
                ],
                capture_output=True,
                check=True,
                timeout=180,
            )
            times.append((time.perf_counter() - started) * 1000)
        record["libreoffice_cold_median_ms"] = round(statistics.median(times), 1)
        record["ratio_libreoffice_cold"] = round(
            statistics.median(times) / record["cold_command"]["en"]["median_ms"], 1
        )
    else:
        record["libreoffice"] = "not installed"
    out = save("plan", record)
    print(json.dumps(record, indent=2))
    print(f"-> {out}")


if __name__ == "__main__":
    main()
