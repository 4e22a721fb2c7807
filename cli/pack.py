"""`careplan pack` and `careplan search`: the knowledge pack, and looking things up (cli/search.py)."""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import Any

from cli.common import EXIT_OK
from cli.options import whole_number
from cli.search import run as run_search
from cli.stores import knowledge
from planning.i18n import _
from planning.knowledge.audit import CATEGORIES, audit, content_counts, to_recheck
from services.stores import data_dir

MAX_LIMIT = 200
"""The most results `careplan search` prints."""


def _info(args: argparse.Namespace) -> int:
    store = knowledge()
    try:
        info = store.info()
        assert info is not None
        pack = store.pack()
        origin = store.origin()
    finally:
        store.close()
    record: dict[str, Any] = {
        "version": info.version,
        "as_of": info.as_of,
        "origin": origin,
        "locales": list(info.locales),
        "counts": {
            "therapies": len(pack.therapies),
            "indications": len(pack.indications),
            "criteria": len(pack.criteria),
            "destinations": len(pack.destinations),
            "faqs": len(pack.faqs),
            "sources": len(pack.sources),
            "journey_points": sum(len(t.points) for t in pack.journey),
            "centres": len(pack.centres),
            "visa_rules": len(pack.visas),
            "glossary_terms": len(pack.glossary),
        },
        "content": content_counts(pack.raw),
        "data_dir": str(data_dir()),
    }
    if args.json:
        print(json.dumps(record, ensure_ascii=False, indent=2))
    else:
        print(f"Knowledge pack {info.version}, as of {info.as_of} ({origin})")
        for kind, count in record["counts"].items():
            print(f"  {kind:<15}{count:>5}")
        content = record["content"]
        print(
            f"  {content['facts']} sourced facts ({content['unverified']} unconfirmed claims, "
            f"{content['estimates']} estimates); {content['deep_links']} of {content['sources']} sources "
            f"deep-linked, {content['dated_sources']} dated"
        )
        languages = ", ".join(f"{loc} {n}" for loc, n in content["texts_by_language"].items())
        print(f"  {content['texts']} texts; written in each language: {languages}")
        print(f"Data directory: {record['data_dir']}")
    return EXIT_OK


def _import(args: argparse.Namespace) -> int:
    store = knowledge()
    try:
        info = store.import_pack(args.file)
    finally:
        store.close()
    print(f"Installed knowledge pack {info.version} (as of {info.as_of}) from {args.file}")
    return EXIT_OK


EXIT_FINDINGS = 1
"""`careplan pack audit` found something to fix."""


def _installed_documents() -> dict[str, Any]:
    store = knowledge()
    try:
        return dict(store.pack().raw)
    finally:
        store.close()


def _audit(args: argparse.Namespace) -> int:
    raw = _installed_documents()
    findings = audit(raw)
    if args.json:
        rows = [{"category": f.category, "where": f.where, "detail": f.detail} for f in findings]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return EXIT_FINDINGS if findings else EXIT_OK
    version = raw["pack"]["version"]
    if not findings:
        print(
            f"Knowledge pack {version}: clean (every source deep-linked unless it is our own, every fact given "
            f"as fact from a dated source, every estimate with its basis, every text in "
            f"{len(raw['pack']['locales'])} languages)"
        )
        return EXIT_OK
    print(f"Knowledge pack {version}: {len(findings)} findings")
    for category, title in CATEGORIES.items():
        found = [f for f in findings if f.category == category]
        if not found:
            continue
        print(f"\n{title} ({len(found)})")
        for finding in found:
            print(f"  {finding.where}" + (f": {finding.detail}" if finding.detail else ""))
    return EXIT_FINDINGS


def _recheck(args: argparse.Namespace) -> int:
    raw = _installed_documents()
    months = args.months or raw["pack"].get("recheck_months", 18)
    old = to_recheck(raw, date.today(), months)
    if args.json:
        rows = [
            {"where": f.where, "source": f.source, "as_of": f.as_of, "months": age, "text": f.text} for f, age in old
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return EXIT_OK
    print(f"{len(old)} facts are older than {months} months:")
    for fact, age in old:
        print(f"  {fact.as_of:<10} {age:>4} months  {fact.where} ({fact.source})")
    return EXIT_OK


def register(commands: argparse._SubParsersAction) -> None:
    pack = commands.add_parser("pack", help="the knowledge pack: show it, or import a newer one")
    actions = pack.add_subparsers(dest="pack_command", required=True, metavar="ACTION")
    info = actions.add_parser("info", help="version, date and contents of the installed pack")
    info.add_argument("--json", action="store_true", help="print JSON")
    info.set_defaults(run=_info)
    imp = actions.add_parser("import", help="install a newer pack from a .zip file or folder")
    imp.add_argument("file", help="the pack: a .zip file or a folder with pack.json")
    imp.set_defaults(run=_import)
    check = actions.add_parser(
        "audit",
        help="list undated sources, links to a home page, estimates without a basis and texts missing a "
        "language (exit 1 when any)",
    )
    check.add_argument("--json", action="store_true", help="print JSON")
    check.set_defaults(run=_audit)
    old = actions.add_parser("recheck", help="the facts older than the pack's re-check age, oldest first")
    old.add_argument("--months", type=whole_number(1, 600), default=None, metavar="N", help="older than N months")
    old.add_argument("--json", action="store_true", help="print JSON")
    old.set_defaults(run=_recheck)

    search = commands.add_parser(
        "search", help="search therapies, indications, FAQs, destinations and cases (with the passphrase)"
    )
    search.add_argument("query")
    search.add_argument("--locale", default="en", help="language of the results (default en)")
    search.add_argument(
        "--limit",
        type=whole_number(1, MAX_LIMIT),
        default=20,
        metavar="N",
        help=_("at most this many results, 1 to {limit} (default 20)").format(limit=MAX_LIMIT),
    )
    search.add_argument("--json", action="store_true", help="print JSON")
    search.add_argument("--no-cases", action="store_true", help="search the knowledge pack only, not the cases")
    search.set_defaults(run=run_search)
