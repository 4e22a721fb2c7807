"""`careplan`: the headless command line. Imports no Qt.

Bad input exits with status 2 and one line per problem (where, and what is wrong); never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from cli.common import EXIT_BAD_INPUT, EXIT_FAILURE, CliError, load_case_file, write_atomically
from cli.options import Parser
from planning.case import CaseError
from planning.i18n import CatalogError
from planning.knowledge.pack import PackError

__all__ = ["COMMANDS", "CliError", "build_parser", "load_case_file", "main", "version_line", "write_atomically"]

COMMANDS = {
    "pack": "cli.pack",
    "search": "cli.pack",
    "case": "cli.cases",
    "duplicate": "cli.duplicate",
    "audit": "cli.audit",
    "backup": "cli.backups",
    "screen": "cli.screening",
    "estimate": "cli.estimates",
    "plan": "cli.plans",
    "checklist": "cli.checklists",
    "plan-diff": "cli.plan_diff",
    "timeline": "cli.timeline",
}
"""Each command and the module that registers and runs it (its ``register``), in the order of the help.
A command imports only its own module: one that opens no case store never pays for the store's modules."""


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command, or only of ``command`` when it is one of them (what ``main`` uses: the
    help, a usage error and an unknown command still show them all)."""
    parser = Parser(prog="careplan", description="CarePlan Desk on the command line (offline; no window needed).")
    parser.add_argument(
        "--version", action=_Version, help="show the version, the build date and the bundled knowledge pack's version"
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    if command == "--version":  # answered while parsing: no command's module is needed
        modules = []
    else:
        modules = [COMMANDS[command]] if command in COMMANDS else list(dict.fromkeys(COMMANDS.values()))
    for module in modules:
        importlib.import_module(module).register(commands)
    return parser


def version_line() -> str:
    """What ``careplan --version`` prints: ``careplan 0.1.0 (built 2026-12-03, knowledge pack 2026.12.2)``;
    "from source" instead of the build date when not run from a bundle."""
    from planning.knowledge.pack import bundled_version
    from resources import app_version, build_date

    built = build_date()
    return (
        f"careplan {app_version()} ({f'built {built}' if built else 'from source'}, "
        f"knowledge pack {bundled_version() or 'unreadable'})"
    )


class _Version(argparse.Action):
    """``--version``: the line is put together only when asked for (it reads the pack's and the
    distribution's metadata, which no other command needs)."""

    def __init__(self, option_strings: Sequence[str], dest: str, help: str | None = None):
        super().__init__(option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, nargs=0, help=help)

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[object] | None,
        option_string: str | None = None,
    ) -> None:
        print(version_line())
        parser.exit(0)


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser(argv[0] if argv else None).parse_args(argv)
    try:
        return args.run(args)
    except CliError as exc:
        for line in exc.lines:
            print(line, file=sys.stderr)
        return exc.status
    except (CaseError, PackError) as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except CatalogError as exc:  # the document's language has no complete catalog: a broken install
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    except BrokenPipeError:  # the reader went away (e.g. `| head`): stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_FAILURE
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        return _failed(exc)


def _failed(exc: Exception) -> int:
    """Any other failure as one line that names it (a full disk, a lock ...), never a traceback; a missing case
    store as what to do about it. The words come from the store modules, imported only now that they are needed."""
    from cli.stores import no_store_yet
    from services.faults import describe, kind
    from services.stores import NoStore

    if isinstance(exc, NoStore):
        for line in no_store_yet().lines:
            print(line, file=sys.stderr)
        return EXIT_BAD_INPUT
    if isinstance(exc, OSError) or kind(exc) is not None:
        print(f"error: {describe(exc)}", file=sys.stderr)
    else:
        print(f"error: {type(exc).__name__}: {exc}", file=sys.stderr)
    return EXIT_FAILURE


if __name__ == "__main__":
    sys.exit(main())
