"""What every command shares: the error that becomes exit status 2 with one line per problem, a case file
read against the knowledge in force, who is at work, and output that never fails on a terminal's encoding.
The stores a command opens are in cli.stores."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

from planning.case import Case, CaseError
from planning.knowledge.models import CostDefault, Pack, Rate
from services.case_files import CaseFileError, load_case
from services.knowledge import read_knowledge
from services.paths import data_dir
from services.settings import Settings, coordinator_name

EXIT_OK, EXIT_FAILURE, EXIT_BAD_INPUT = 0, 1, 2


class CliError(Exception):
    """Input or output the command cannot use; ``problems`` are the lines to show, without "error: "."""

    def __init__(self, problems: Iterable[str], status: int = EXIT_BAD_INPUT):
        self.problems = list(problems)
        self.status = status
        super().__init__("\n".join(self.problems))

    @property
    def lines(self) -> list[str]:
        """One line per problem as the command line prints it: "error: FIELD: MESSAGE"."""
        return [f"error: {problem}" for problem in self.problems]

    @classmethod
    def of(cls, error: CaseFileError | CaseError, status: int = EXIT_BAD_INPUT) -> CliError:
        return cls([str(problem) for problem in error.problems], status)


def coordinator() -> str:
    """Who is doing this, for the case history: CAREPLAN_COORDINATOR, the coordinator named in the
    settings (the same as the GUI's), else the login name."""
    return coordinator_name(Settings(data_dir()).load())


def load_case_file(path: Path, indications: Iterable[str]) -> Case:
    """The case in a JSON case file, checked whole; CliError lists every problem, one line each."""
    try:
        return load_case(Path(path), frozenset(indications))
    except CaseFileError as exc:
        raise CliError.of(exc) from None


def case_and_pack(path: Path, problems: list[str]) -> tuple[Case, Pack, tuple[Rate, ...], tuple[CostDefault, ...]]:
    """The case file read against the installed pack, with the rates and assumptions in force. When the
    file has problems they are raised together with the command's own so far (``problems``); the
    command raises its own when the file has none."""
    knowledge = read_knowledge()
    pack = knowledge.pack
    try:
        case = load_case_file(path, [i.code for i in pack.indications])
    except CliError as exc:
        raise CliError(problems + exc.problems) from None
    return case, pack, knowledge.rates, knowledge.costs


def write_atomically(target: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``target`` whole or not at all; CliError says why not."""
    from planning.files import write_atomic

    target = Path(target)
    try:
        write_atomic(target, text.encode("utf-8"))
    except OSError as exc:
        if not target.parent.is_dir():
            reason = f"no such folder {target.parent}"
        elif target.is_dir():
            reason = "is a folder"
        else:
            reason = exc.strerror or str(exc)
        raise CliError([f"{target}: cannot write ({reason}); nothing written"], EXIT_FAILURE) from None


def print_utf8(text: str) -> None:
    """Standard output as UTF-8 whatever the terminal's encoding (JSON and case files)."""
    sys.stdout.flush()
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.buffer.flush()


def forgiving_output() -> None:
    """A terminal that cannot show some character gets a replacement, never a crash."""
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="replace")
