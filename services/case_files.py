"""Case files in and out, for both faces: one reader (size cap, byte-order mark, nesting, lone surrogates,
numbers JSON cannot hold, keys named twice) and one writer; importing (a case already in the store is
refused unless imported as new) and exporting are audited the same way everywhere."""

from __future__ import annotations

import json
import math
from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planning.case import FORMAT, VERSION, Case, CaseError, Problem, parse_case
from planning.files import DuplicateKey, unique_keys, write_atomic
from planning.i18n import N_

if TYPE_CHECKING:  # the case store is imported by those who open one, not by every reader of a case file
    from db.case_store import CaseStore, StoredCase

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


class DuplicateCase(CaseFileError):
    """A case file whose case is already in the store (same reference, or same name and date of birth);
    ``existing`` is that case's reference. Importing it as new keeps both."""

    def __init__(self, problems: Collection[Problem], existing: str):
        super().__init__(problems)
        self.existing = existing


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
        document = json.loads(
            text, parse_float=_finite_float, parse_constant=_no_constant, object_pairs_hook=unique_keys
        )
    except DuplicateKey as exc:  # a reader would keep the last value and lose the first unseen
        raise _file_problem(
            path,
            N_("not valid JSON (the key {key} appears twice in one object)"),
            key=json.dumps(exc.key[:60], ensure_ascii=True),
        ) from None
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


def load_case(path: Path, indications: Collection[str], currencies: Collection[str] | None = None) -> Case:
    """The case in a case file, checked whole (screening, estimates and plans of a file); ``currencies``:
    those the rate table reaches (None: any ISO 4217 code)."""
    document = read_document(path)
    try:
        return parse_case(document, indications, currencies=currencies)
    except CaseError as exc:
        raise _located(Path(path), exc) from None


def existing_case(store: CaseStore, case: Case) -> tuple[str, str] | None:
    """The stored case a case file's case already is, as (its reference, the message saying why), or None:
    the same reference, or the same patient (name, case and accents ignored, and date of birth)."""
    if case.reference and (stored := store.by_reference(case.reference)) is not None:
        return stored.reference, N_("already imported: case {reference} has the same reference")
    if case.patient.full_name and case.patient.date_of_birth:
        rows = store.possible_duplicates(case.patient.full_name, case.patient.date_of_birth.isoformat())
        if rows:
            return rows[0].reference, N_("already imported: case {reference} has the same name and date of birth")
    return None


def case_currencies(folder: Path | None = None) -> frozenset[str]:
    """The currencies the rates in force (the pack's and the coordinator's) reach: what a case's currency
    may be. Both faces pass them to :func:`import_case` and :func:`load_case`."""
    from services.stores import open_knowledge

    store = open_knowledge(folder)
    try:
        return store.currencies()
    finally:
        store.close()


def import_case(
    store: CaseStore,
    path: Path,
    who: str,
    *,
    as_new: bool = False,
    currencies: Collection[str] | None = None,
) -> StoredCase:
    """Add the case in a case file to the store: refused whole, with every problem, unless valid.

    A case already in the store (:func:`existing_case`) is refused with DuplicateCase naming it, unless
    ``as_new``: then it is stored beside it under a new reference. ``currencies``: those the rate table
    reaches (None: any ISO 4217 code). The store audits the import."""
    path = Path(path)
    document = read_document(path)
    try:
        case = parse_case(document, store.indications, currencies=currencies)
    except CaseError as exc:
        raise _located(path, exc) from None
    if as_new:
        document = {**document, "reference": None}
    elif (found := existing_case(store, case)) is not None:
        reference, template = found
        raise DuplicateCase([Problem.of(str(path), template, reference=reference)], reference)
    try:
        return store.import_document(document, who)
    except CaseError as exc:
        raise _located(path, exc) from None


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
