"""The stores a command opens: the knowledge store, and the case store through its vault (created only by
``case import``; unlocked with CAREPLAN_PASSPHRASE or a prompt), with the one-line errors for a store that
is missing, damaged or locked by another passphrase.

Apart from cli.common so that a command that opens no store (plan, screen, estimate) does not import the
store modules: sqlite-utils and the case store cost about a tenth of a second at start."""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Iterable

from cli.common import CliError
from planning.i18n import _
from services.faults import describe
from services.stores import (
    CaseStore,
    CaseVault,
    KnowledgeStore,
    StoreDamaged,
    WrongPassphrase,
    case_vault,
    open_cases,
    open_knowledge,
    passphrase_problem,
)

ENV_PASSPHRASE = "CAREPLAN_PASSPHRASE"


def knowledge() -> KnowledgeStore:
    return open_knowledge()


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


def stored_id(store: CaseStore, reference: str) -> int:
    stored = store.by_reference(reference)
    if stored is None:
        raise CliError([f"{reference}: no such case"])
    return stored.id
