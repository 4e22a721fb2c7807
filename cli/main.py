"""`careplan`: the headless command line. Imports no Qt.

Bad input exits with status 2 and one line per problem (where, and what is wrong); never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from cli import audit, backups, cases, estimates, pack, plans, screening
from cli.common import EXIT_BAD_INPUT, EXIT_FAILURE, CliError, load_case_file, no_store_yet, write_atomically
from cli.options import Parser
from planning.case import CaseError
from planning.knowledge.pack import PackError
from services.faults import describe, kind
from services.stores import NoStore

__all__ = ["CliError", "build_parser", "load_case_file", "main", "write_atomically"]


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="careplan", description="CarePlan Desk on the command line (offline; no window needed).")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for group in (pack, cases, audit, backups, screening, estimates, plans):
        group.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except CliError as exc:
        for line in exc.lines:
            print(line, file=sys.stderr)
        return exc.status
    except NoStore:
        for line in no_store_yet().lines:
            print(line, file=sys.stderr)
        return EXIT_BAD_INPUT
    except (CaseError, PackError) as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # the reader went away (e.g. `| head`): stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_FAILURE
    except OSError as exc:
        print(f"error: {describe(exc)}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # never a traceback: one line that names the fault (a full disk, a lock ...)
        if kind(exc) is not None:
            print(f"error: {describe(exc)}", file=sys.stderr)
        else:
            print(f"error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_FAILURE


if __name__ == "__main__":
    sys.exit(main())
