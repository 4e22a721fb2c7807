"""What every command shares: the error that becomes exit status 2 with one line per problem, the
stores opened for one command, who is at work, and output that never fails on a terminal's encoding."""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Iterable
from pathlib import Path

from planning.case import Case, CaseError
from planning.i18n import _
from planning.knowledge.models import CostDefault, Pack, Rate
from services.case_files import CaseFileError, load_case
from services.faults import describe
from services.settings import Settings, coordinator_name
from services.stores import (
    CaseStore,
    CaseVault,
    KnowledgeStore,
    StoreDamaged,
    WrongPassphrase,
    case_vault,
    data_dir,
    open_cases,
    open_knowledge,
    passphrase_problem,
)

EXIT_OK, EXIT_FAILURE, EXIT_BAD_INPUT = 0, 1, 2
ENV_PASSPHRASE = "CAREPLAN_PASSPHRASE"


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


def knowledge() -> KnowledgeStore:
    return open_knowledge()


def coordinator() -> str:
    """Who is doing this, for the case history: CAREPLAN_COORDINATOR, the coordinator named in the
    settings (the same as the GUI's), else the login name."""
    return coordinator_name(Settings(data_dir()).load())


def passphrase(vault: CaseVault) -> str:
    """The passphrase: CAREPLAN_PASSPHRASE, else asked for on a terminal, else CliError."""
    given = os.environ.get(ENV_PASSPHRASE)
    if given:
        return given
    if sys.stdin is not None and sys.stdin.isatty():
        try:
            typed = getpass.getpass(f"Passphrase for the case store ({vault.path}): ")
        except (EOFError, KeyboardInterrupt):
            typed = ""
        if typed:
            return typed
    raise CliError([f"{ENV_PASSPHRASE}: needed to open the encrypted case store"])


def damaged(exc: StoreDamaged) -> CliError:
    """The one line for a damaged store: what is wrong and how to restore the newest good backup."""
    if exc.backup is None:
        return CliError([f"the case store is damaged ({exc.problem}) and there is no good backup; nothing was changed"])
    made = exc.backup.made_at.strftime("%Y-%m-%d %H:%M UTC")
    return CliError(
        [
            f"the case store is damaged ({exc.problem}); the newest good backup is {exc.backup.path} "
            f"(made {made}): restore it with: careplan backup restore {exc.backup.path}"
        ]
    )


def no_store_yet() -> CliError:
    """The one line for a command that needs a case store on a data folder without one."""
    return CliError(
        [
            _(
                "no case store yet; nothing was created. Import a case to create one (careplan case import "
                "FILE, with {variable} set to encrypt it, or --no-encryption)"
            ).format(variable=ENV_PASSPHRASE)
        ]
    )


def wrong_passphrase() -> CliError:
    return CliError(
        [f"{ENV_PASSPHRASE}: " + _("the passphrase does not open the encrypted case store; nothing was changed")]
    )


def _set_up(found: CaseVault, plain: bool) -> None:
    """Create the case store (``case import`` on a new data folder): encrypted with CAREPLAN_PASSPHRASE, or
    plain only when asked for with --no-encryption; never plain by default."""
    given = os.environ.get(ENV_PASSPHRASE) or None
    if given is not None and plain:
        raise CliError([_("--no-encryption: {variable} is set too; choose one").format(variable=ENV_PASSPHRASE)])
    if given is None and not plain:
        raise CliError(
            [
                _(
                    "no case store yet, and a new one is encrypted: set {variable} to its passphrase, or add "
                    "--no-encryption to create it unencrypted"
                ).format(variable=ENV_PASSPHRASE)
            ]
        )
    if given is not None:
        problem = passphrase_problem(given)
        if problem is not None:
            raise CliError([problem.replace("passphrase:", f"{ENV_PASSPHRASE}:", 1)])
    try:
        found.setup(given, chosen_in_app=False)  # exclusive: a set-up running at once in another process wins
    except WrongPassphrase:
        raise wrong_passphrase() from None
    except FileExistsError:
        pass  # another command created it meanwhile, of the other kind: opened as it is, below


def vault(*, create: bool = False, plain: bool = False) -> CaseVault:
    """The case store's vault, unlocked. Only ``create`` (case import) makes a store on a new data
    folder: encrypted with CAREPLAN_PASSPHRASE, or plain with ``plain`` (--no-encryption); any other
    command there is refused (no_store_yet). An encrypted store takes the passphrase from
    CAREPLAN_PASSPHRASE or a prompt; a plain one given a passphrase says on stderr that it is plain."""
    found = case_vault()
    if found.state() == "new":
        if not create:
            raise no_store_yet()
        _set_up(found, plain)
    state = found.state()
    if state == "encrypted" and found.key is None:
        try:
            found.unlock(passphrase(found))
        except WrongPassphrase:
            raise wrong_passphrase() from None
        except StoreDamaged as exc:
            raise damaged(exc) from None
    elif state == "plain" and os.environ.get(ENV_PASSPHRASE):
        print(
            "warning: "
            + _(
                "the case store {path} is not encrypted, so {variable} was not used; encrypt it in CarePlan "
                "Desk (Settings, Security)"
            ).format(path=found.path, variable=ENV_PASSPHRASE),
            file=sys.stderr,
        )
    return found


def cases(indications: Iterable[str] = (), *, create: bool = False, plain: bool = False) -> CaseStore:
    """The case store in the data directory, through its vault; ``indications`` only matter for writing.
    ``create`` and ``plain``: see ``vault``."""
    unlocked = vault(create=create, plain=plain)
    try:
        store = open_cases(unlocked, frozenset(indications))
    except StoreDamaged as exc:
        raise damaged(exc) from None
    if unlocked.backup_failure is not None:
        reason = describe(unlocked.backup_failure, unlocked.path)
        print("warning: " + _("the daily backup could not be made: {reason}").format(reason=reason), file=sys.stderr)
    return store


def fault(exc: BaseException) -> str:
    """A failure in words that name it (a full disk, a read-only folder, a lock ...), one line."""
    return describe(exc)


def stored_id(store: CaseStore, reference: str) -> int:
    stored = store.by_reference(reference)
    if stored is None:
        raise CliError([f"{reference}: no such case"])
    return stored.id


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
    store = knowledge()
    try:
        pack, rates, costs = store.pack(), tuple(store.rates()), tuple(store.cost_defaults())
    finally:
        store.close()
    try:
        case = load_case_file(path, [i.code for i in pack.indications])
    except CliError as exc:
        raise CliError(problems + exc.problems) from None
    return case, pack, rates, costs


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
