"""Page images of the sample plans for the README: page 1 and 2 of one plan per document language, with an
example letterhead (fictional organisation and coordinator).

    .venv/bin/python scripts/plan_pages.py docs/plans [--dpi 60]

Needs pdftoppm (poppler-utils).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tempfile
from datetime import date
from pathlib import Path

from planning.case import parse_case
from planning.knowledge.pack import load_pack
from reports.document import render
from resources import locate
from services.plans import make_plan
from services.settings import Preferences

EXAMPLE = Preferences(
    coordinator_name="Olga Petrova",
    coordinator_email="olga@meridian-travel.example",
    coordinator_phone="+49 30 1234 5679",
    organisation_name="Meridian Medical Travel GmbH",
    organisation_contact="+49 30 1234 5678 · care@meridian-travel.example · www.meridian-travel.example",
    organisation_address="Friedrichstraße 123\n10117 Berlin\nGermany",
    organisation_registration="HRB 123456 B · USt-IdNr. DE123456789",
)
SHOWN = {"en": 0, "de": 0, "es": 1, "ru": 1, "ar": 2, "zh_CN": 4}
"""Which sample case each language shows (by its index in resources/samples/sample_cases.json)."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--dpi", type=int, default=60)
    args = parser.parse_args()
    pack = load_pack()
    codes = {i.code for i in pack.indications}
    samples = json.loads(locate("samples", "sample_cases.json").read_text("utf-8"))
    args.folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        for locale, index in SHOWN.items():
            case = parse_case(samples[index], codes)
            made = make_plan(
                case,
                pack,
                f"CP-2026-{index + 1:05d}",
                locale,
                EXAMPLE,
                rates=pack.rates,
                costs=pack.cost_defaults,
                today=date(2026, 12, 3),
            )
            pdf = Path(work) / f"{locale}.pdf"
            pdf.write_bytes(render(made.plan))
            for page in (1, 2):
                target = args.folder / f"plan-{locale}-page{page}"
                command = ["pdftoppm", "-r", str(args.dpi), "-png", "-f", str(page), "-l", str(page), "-singlefile"]
                subprocess.run([*command, str(pdf), str(target)], check=True)
                print(f"{target}.png")


if __name__ == "__main__":
    main()
