"""Case files in and out, for both faces: one reader (size cap, byte-order mark, nesting, lone surrogates,
numbers JSON cannot hold) and one writer; importing and exporting are audited the same way everywhere."""

from __future__ import annotations

import json
import math
from collections.abc import Collection
from pathlib import Path
from typing import Any

from db.case_store import CaseStore, StoredCase
from planning.case import FORMAT, VERSION, Case, CaseError, Problem, parse_case
from planning.files import write_atomic
from planning.i18n import N_

MAX_CASE_FILE_BYTES = 10 * 1024 * 1024
"""A case file larger than this is refused: even the longest notes come nowhere near it."""
MAX_NESTING = 32
"""Arrays and objects inside each other at most this deep (a case needs five)."""


class CaseFileError(ValueError):
    """A case file that cannot be read, imported or written; ``problems`` say where and what, one each.

    A problem about the file as a whole names the file as its field."""

    def __init__(self, problems: Collection[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def lines(self) -> list[str]:
        """The problems in English, "WHERE: WHAT" (the command line)."""
        return [str(problem) for problem in self.problems]

    def localized_lines(self) -> list[str]:
        """The problems in the interface language (the GUI)."""
        return [f"{p.field}: {p.localized()}" if p.field else p.localized() for p in self.problems]


def _file_problem(path: Path, template: str, **params: Any) -> CaseFileError:
    return CaseFileError([Problem.of(str(path), template, **params)])


class _BadNumber(ValueError):
    pass


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _BadNumber(f"number out of range: {text}")
    return value


def _no_constant(name: str) -> Any:
    raise _BadNumber(f"{name} is not a JSON number")


def _checked(value: Any, path: Path, depth: int = 0) -> None:
    """Refuse documents nested deeper than a case can be, and texts with a lone surrogate (an escape such
    as "\\ud800" that is no character: it could be neither stored nor shown)."""
    if depth > MAX_NESTING:
        raise _file_problem(path, N_("not valid JSON (nested too deeply)"))
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise _file_problem(path, N_("holds text that is not valid Unicode (a lone surrogate escape)")) from None
    elif isinstance(value, dict):
        for key, item in value.items():
            _checked(key, path, depth + 1)
            _checked(item, path, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _checked(item, path, depth + 1)


def read_document(path: Path) -> Any:
    """The JSON document in a case file, or CaseFileError saying why it cannot be read."""
    path = Path(path)
    try:
        if path.is_dir():
            raise _file_problem(path, N_("is a folder, not a case file"))
        size = path.stat().st_size
        if size > MAX_CASE_FILE_BYTES:
            raise _file_problem(
                path,
                N_("too large for a case file ({size} bytes; at most {limit})"),
                size=f"{size:,}",
                limit=f"{MAX_CASE_FILE_BYTES:,}",
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise _file_problem(path, N_("no such file")) from None
    except PermissionError:
        raise _file_problem(path, N_("not allowed to read it")) from None
    except OSError as exc:
        raise _file_problem(path, N_("cannot read ({reason})"), reason=exc.strerror or str(exc)) from None
    try:
        text = data.decode("utf-8-sig")  # a byte order mark (some Windows editors write one) is fine
    except UnicodeDecodeError:
        raise _file_problem(path, N_("not UTF-8")) from None
    try:
        document = json.loads(text, parse_float=_finite_float, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise _file_problem(
            path, N_("not valid JSON (line {line}: {message})"), line=exc.lineno, message=exc.msg
        ) from None
    except RecursionError:
        raise _file_problem(path, N_("not valid JSON (nested too deeply)")) from None
    except ValueError as exc:  # a bad number (infinite, NaN, or too many digits)
        raise _file_problem(path, N_("not valid JSON ({reason})"), reason=str(exc)) from None
    _checked(document, path)
    return document


def _located(path: Path, error: CaseError) -> CaseFileError:
    """A case's problems; one about the whole document names the file instead of a field."""
    return CaseFileError(
        [p if p.field else Problem(str(path), p.message, p.template, p.params) for p in error.problems]
    )


def load_case(path: Path, indications: Collection[str]) -> Case:
    """The case in a case file, checked whole (screening, estimates and plans of a file)."""
    document = read_document(path)
    try:
        return parse_case(document, indications)
    except CaseError as exc:
        raise _located(Path(path), exc) from None


def import_case(store: CaseStore, path: Path, who: str) -> StoredCase:
    """Add the case in a case file to the store: refused whole, with every problem, unless valid.

    The store audits the import."""
    document = read_document(path)
    try:
        return store.import_document(document, who)
    except CaseError as exc:
        raise _located(Path(path), exc) from None


def case_file_text(stored: StoredCase) -> str:
    """A stored case as a case file of the current version (a case first read from a version-1 file is
    written as the current version, whose fields are a superset)."""
    rest = dict(stored.document)
    rest.pop("version", None)
    head = {"format": rest.pop("format", FORMAT), "version": VERSION}
    document = {**head, "reference": rest.pop("reference", stored.reference), **rest}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def export_case(store: CaseStore, case_id: int, target: Path | None, who: str) -> str:
    """Write a stored case as a case file, whole or not at all, and audit it ("exported").

    ``target`` None: nothing is written (the command line prints the text); the text is returned either way.
    A failed write raises CaseFileError naming the file, changes nothing and is not audited."""
    stored = store.get(case_id)
    if stored is None:
        raise CaseFileError([Problem.of("reference", N_("no such case"))])
    text = case_file_text(stored)
    if target is not None:
        target = Path(target)
        try:
            write_atomic(target, text.encode("utf-8"))
        except OSError as exc:
            if not target.parent.is_dir():
                raise _file_problem(target, N_("cannot write (no such folder); nothing written")) from None
            if target.is_dir():
                raise _file_problem(target, N_("cannot write (is a folder); nothing written")) from None
            raise _file_problem(
                target, N_("cannot write ({reason}); nothing written"), reason=exc.strerror or str(exc)
            ) from None
    store.audit(who, "exported", case_id, "case file")
    return text
