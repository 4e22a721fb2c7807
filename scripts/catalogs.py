"""The translation workflow, scripted: extract, update, compile (pybabel under the hood).

python scripts/catalogs.py extract   # translations/careplan.pot from the sources (babel.cfg)
python scripts/catalogs.py update    # merge the .pot into every translations/<locale>/LC_MESSAGES/careplan.po
python scripts/catalogs.py compile   # .po -> .mo (run by the set-up; .mo files are never committed)
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.frontend import CommandLineInterface

ROOT = Path(__file__).resolve().parent.parent
CATALOGS = ROOT / "translations"
POT = CATALOGS / "careplan.pot"
DOMAIN = "careplan"


def pybabel(*args: str) -> None:
    CommandLineInterface().run(["pybabel", "-q", *args])


def main(action: str) -> int:
    if action == "extract":
        pybabel(
            "extract",
            "-F",
            str(ROOT / "babel.cfg"),
            "-k",
            "_",
            "-k",
            "ngettext:1,2",
            "-k",
            "pgettext:1c,2",
            "--project",
            "CarePlan Desk",
            "--no-location",
            "--sort-output",
            "-o",
            str(POT),
            str(ROOT),
        )
    elif action == "update":
        if any(CATALOGS.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
            pybabel("update", "-i", str(POT), "-d", str(CATALOGS), "-D", DOMAIN, "--no-fuzzy-matching")
    elif action == "compile":
        if any(CATALOGS.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
            pybabel("compile", "-d", str(CATALOGS), "-D", DOMAIN, "--statistics")
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else ""))
