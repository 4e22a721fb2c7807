"""`careplan`: the headless command line. Imports no Qt.

Bad input exits with status 2 and one line per problem (where, and what is wrong); never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from db.knowledge_store import KnowledgeStore
from db.paths import data_dir, knowledge_db_path
from planning.knowledge.pack import PackError

EXIT_OK, EXIT_FAILURE, EXIT_BAD_INPUT = 0, 1, 2


def _open_store() -> KnowledgeStore:
    store = KnowledgeStore.open(knowledge_db_path())
    store.ensure_current()
    return store


def _pack_info(args: argparse.Namespace) -> int:
    store = _open_store()
    info = store.info()
    assert info is not None
    pack = store.pack()
    record = {
        "version": info.version,
        "as_of": info.as_of,
        "origin": store.origin(),
        "locales": list(info.locales),
        "counts": {
            "therapies": len(pack.therapies),
            "indications": len(pack.indications),
            "criteria": len(pack.criteria),
            "destinations": len(pack.destinations),
            "faqs": len(pack.faqs),
            "sources": len(pack.sources),
        },
        "data_dir": str(data_dir()),
    }
    if args.json:
        print(json.dumps(record, ensure_ascii=False, indent=2))
    else:
        print(f"Knowledge pack {info.version}, as of {info.as_of} ({record['origin']})")
        for kind, count in record["counts"].items():
            print(f"  {kind:<13}{count:>4}")
        print(f"Data directory: {record['data_dir']}")
    return EXIT_OK


def _pack_import(args: argparse.Namespace) -> int:
    store = _open_store()
    info = store.import_pack(args.file)
    print(f"Installed knowledge pack {info.version} (as of {info.as_of}) from {args.file}")
    return EXIT_OK


def _search(args: argparse.Namespace) -> int:
    store = _open_store()
    hits = store.search(args.query, locale=args.locale, limit=args.limit)
    if args.json:
        print(json.dumps([hit.__dict__ for hit in hits], ensure_ascii=False, indent=2))
    else:
        for hit in hits:
            print(f"{hit.kind:<12}{hit.ref:<16}{hit.title}")
        if not hits:
            print("No results.")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="careplan", description="CarePlan Desk on the command line (offline; no window needed)."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    pack = commands.add_parser("pack", help="the knowledge pack: show it, or import a newer one")
    pack_commands = pack.add_subparsers(dest="pack_command", required=True, metavar="ACTION")
    info = pack_commands.add_parser("info", help="version, date and contents of the installed pack")
    info.add_argument("--json", action="store_true", help="print JSON")
    info.set_defaults(run=_pack_info)
    imp = pack_commands.add_parser("import", help="install a newer pack from a .zip file or folder")
    imp.add_argument("file", help="the pack: a .zip file or a folder with pack.json")
    imp.set_defaults(run=_pack_import)

    search = commands.add_parser("search", help="search therapies, indications, FAQs and destinations")
    search.add_argument("query")
    search.add_argument("--locale", default="en", help="language of the results (default en)")
    search.add_argument("--limit", type=int, default=20)
    search.add_argument("--json", action="store_true", help="print JSON")
    search.set_defaults(run=_search)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except PackError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as exc:
        print(f"error: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
