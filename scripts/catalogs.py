"""The translation workflow, scripted: extract, update, compile (pybabel under the hood).

python scripts/catalogs.py extract   # translations/careplan.pot from the sources (babel.cfg)
python scripts/catalogs.py update    # merge the .pot into every translations/<locale>/LC_MESSAGES/careplan.po
python scripts/catalogs.py compile   # .po -> .mo beside it, stamped (optional: see planning/catalogs.py)

The app reads the .po files themselves (planning/catalogs.py compiles one when no up-to-date .mo is found,
into the user's cache folder), so every install is translated without this step. ``compile`` only saves
that first compile where the folder is written once (a source tree, a bundle); it uses the app's own
compiler, so its .mo files are stamped with their sources and a stale one is never used. .mo files are
never committed.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.frontend import CommandLineInterface

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from planning.catalogs import compile_catalog  # noqa: E402
from planning.files import write_atomic  # noqa: E402

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
        for po in sorted(CATALOGS.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
            locale = po.parent.parent.name
            data = compile_catalog(po, locale)
            if not po.with_suffix(".mo").is_file() or po.with_suffix(".mo").read_bytes() != data:
                write_atomic(po.with_suffix(".mo"), data)
            print(f"{locale}: compiled {po.relative_to(ROOT)}")
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else ""))
