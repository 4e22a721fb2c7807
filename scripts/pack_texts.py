"""Translate the knowledge pack's texts: list the texts a locale lacks, and write translations back.

    python scripts/pack_texts.py missing de -o /tmp/de.json   # [{"where", "en", "zh_CN", "de": ""}, ...]
    python scripts/pack_texts.py apply de /tmp/de.json        # fill every text whose English matches

A translation is matched by the English text it translates, so a text changed in English since the
list was made stays missing until it is translated again. Files keep the pack's JSON layout.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from planning.knowledge.audit import is_text  # noqa: E402

PACK = ROOT / "resources" / "knowledge"


def _files() -> dict[str, object]:
    meta = json.loads((PACK / "pack.json").read_text("utf-8"))
    names = ["pack.json", *meta["files"].values()]
    return {name: json.loads((PACK / name).read_text("utf-8")) for name in names}


def _texts(node: object, where: str):
    if is_text(node):
        yield where, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _texts(value, f"{where}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            label = value.get("id") or value.get("code") if isinstance(value, dict) else None
            yield from _texts(value, f"{where}[{label or index}]")


def missing(locale: str) -> list[dict[str, str]]:
    seen: dict[str, dict[str, str]] = {}
    for name, document in _files().items():
        for where, text in _texts(document, name):
            if not text.get(locale, "").strip() and text["en"] not in seen:
                row = {"where": where, "en": text["en"]}
                if "zh_CN" in text and locale != "zh_CN":
                    row["zh_CN"] = text["zh_CN"]
                row[locale] = ""
                seen[text["en"]] = row
    return list(seen.values())


def apply(locale: str, translations: dict[str, str]) -> tuple[int, int]:
    filled = left = 0
    for name, document in _files().items():
        changed = False
        for _where, text in _texts(document, name):
            if text.get(locale, "").strip():
                continue
            wording = translations.get(text["en"], "").strip()
            if wording:
                text[locale] = wording  # type: ignore[index]
                filled += 1
                changed = True
            else:
                left += 1
        if changed:
            (PACK / name).write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", "utf-8")
    return filled, left


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    actions = parser.add_subparsers(dest="action", required=True)
    listing = actions.add_parser("missing")
    listing.add_argument("locale")
    listing.add_argument("-o", "--output")
    applying = actions.add_parser("apply")
    applying.add_argument("locale")
    applying.add_argument("file")
    args = parser.parse_args()
    if args.action == "missing":
        rows = missing(args.locale)
        text = json.dumps(rows, ensure_ascii=False, indent=1) + "\n"
        if args.output:
            Path(args.output).write_text(text, "utf-8")
            print(f"{len(rows)} texts lack {args.locale}: {args.output}")
        else:
            sys.stdout.write(text)
        return 0
    data = json.loads(Path(args.file).read_text("utf-8"))
    if isinstance(data, list):
        data = {row["en"]: row.get(args.locale, "") for row in data}
    filled, left = apply(args.locale, data)
    print(f"{filled} texts filled in {args.locale}; {left} still missing")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
