"""Option values checked where they are read (argparse types): a bad value is one line and exit status 2,
before the command opens a store or writes anything."""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

from cli.table import safe
from planning.i18n import _


def whole_number(low: int, high: int) -> Callable[[str], int]:
    """A type for a whole number from ``low`` to ``high``, written with digits only ("20"; not "1e3", "2_0")."""

    def parse(text: str) -> int:
        if not re.fullmatch(r"[0-9]{1,9}", text.strip()) or not low <= int(text) <= high:
            raise argparse.ArgumentTypeError(
                _("must be a whole number from {low} to {high}").format(low=low, high=high)
            )
        return int(text)

    parse.__name__ = "whole number"  # argparse names the type in some messages
    return parse


def file_to_write(text: str) -> Path:
    """A type for a file to write: its folder exists, and it is not a folder itself."""
    path = Path(text)
    if not text.strip():
        raise argparse.ArgumentTypeError(_("name the file to write"))
    if path.is_dir():
        raise argparse.ArgumentTypeError(_("{path} is a folder; name the file to write").format(path=text))
    if not path.parent.is_dir():
        raise argparse.ArgumentTypeError(_("no such folder {folder}").format(folder=path.parent))
    return path


class _CommandsBesideHelp(argparse.HelpFormatter):
    """Each command's help beside its name: argparse measures the commands without their own indent, so a
    name as long as "duplicate" or "plan-diff" got its help on the line below."""

    def add_argument(self, action: argparse.Action) -> None:
        super().add_argument(action)
        if action.help is argparse.SUPPRESS:
            return
        for subaction in getattr(action, "_get_subactions", list)():
            length = len(self._format_action_invocation(subaction)) + self._current_indent + 2 * self._indent_increment
            self._action_max_length = max(self._action_max_length, length)


class Parser(argparse.ArgumentParser):
    """A usage error is one line like every other problem (exit status 2): what is wrong, shown safely, and
    where the help is. Sub-commands' parsers are of this class too."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _CommandsBesideHelp)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        hint = _("see {command} --help").format(command=self.prog)
        self.exit(2, f"error: {safe(message)} ({hint})\n")
