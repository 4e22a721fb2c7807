"""`careplan`: the headless command line. Imports no Qt.

Bad input exits with status 2 and one line per problem (where, and what is wrong); never a traceback.
"""

from __future__ import annotations

import argparse
import getpass
import json
import math
import os
import re
import sys
import unicodedata
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from db.audit_log import CSV_COLUMNS, AuditEntry
from db.case_store import CaseRow, CaseStore
from db.crypto import WrongPassphrase, is_encrypted, key_for, passphrase_problem
from db.knowledge_store import KnowledgeStore
from db.paths import cases_db_path, data_dir, knowledge_db_path, outbox_path
from db.vault import CaseVault, StoreDamaged
from planning.case import CASE_STATUSES, FORMAT, VERSION, Case, CaseError, country_codes, is_locale, parse_case
from planning.eligibility import KIND_WORDS, VERDICTS, Screening, ask_for, centre_review_note, screen
from planning.estimate import Estimate, estimate
from planning.files import write_atomic
from planning.i18n import _, format_number, set_locale
from planning.knowledge.models import Pack, pick
from planning.knowledge.pack import PackError
from planning.plan import Organisation, build_plan

EXIT_OK, EXIT_FAILURE, EXIT_BAD_INPUT = 0, 1, 2

ENV_COORDINATOR = "CAREPLAN_COORDINATOR"
ENV_PASSPHRASE = "CAREPLAN_PASSPHRASE"
MAX_CASE_FILE_BYTES = 10 * 1024 * 1024
"""A case file larger than this is refused: even the longest notes come nowhere near it."""


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


def _open_store() -> KnowledgeStore:
    store = KnowledgeStore.open(knowledge_db_path())
    store.ensure_current()
    return store


def _indication_codes() -> frozenset[str]:
    """The indication codes the installed knowledge pack knows (what a case may name)."""
    store = _open_store()
    try:
        return frozenset(i.code for i in store.pack().indications)
    finally:
        store.close()


def _passphrase(vault: CaseVault) -> str:
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


def _damaged(exc: StoreDamaged) -> CliError:
    """The one line for a damaged store: what is wrong and how to restore the newest good backup."""
    if exc.backup is None:
        return CliError(
            [f"the case store is damaged ({exc.problem}) and there is no good backup; nothing was changed"],
            EXIT_BAD_INPUT,
        )
    made = exc.backup.made_at.strftime("%Y-%m-%d %H:%M UTC")
    return CliError(
        [
            f"the case store is damaged ({exc.problem}); the newest good backup is {exc.backup.path} "
            f"(made {made}): restore it with: careplan backup restore {exc.backup.path}"
        ],
        EXIT_BAD_INPUT,
    )


def _vault() -> CaseVault:
    """The case store's vault, unlocked: a new data directory with CAREPLAN_PASSPHRASE gets an encrypted
    store; an encrypted store takes the passphrase from CAREPLAN_PASSPHRASE or a prompt."""
    vault = CaseVault(cases_db_path())
    state = vault.state()
    if state == "new":
        given = os.environ.get(ENV_PASSPHRASE)
        if given:
            problem = passphrase_problem(given)
            if problem is not None:
                raise CliError([problem.replace("passphrase:", f"{ENV_PASSPHRASE}:", 1)])
            vault.setup(given)
    elif state == "encrypted":
        passphrase = _passphrase(vault)
        try:
            vault.unlock(passphrase)
        except WrongPassphrase:
            raise CliError(
                [f"{ENV_PASSPHRASE}: the passphrase does not open the encrypted case store; nothing was changed"]
            ) from None
        except StoreDamaged as exc:
            raise _damaged(exc) from None
    return vault


def _open_cases(indications: Collection[str] = ()) -> CaseStore:
    """The case store in the data directory, through its vault; ``indications`` only matter for writing."""
    vault = _vault()
    try:
        return vault.open(indications, check_same_thread=True, startup_backup=False)
    except StoreDamaged as exc:
        raise _damaged(exc) from None


def _coordinator() -> str:
    """Who is doing this, for the case history: CAREPLAN_COORDINATOR, else the login name."""
    name = os.environ.get(ENV_COORDINATOR, "").strip()
    if name:
        return name
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name (some containers and services)
        return "unknown"


# --- case files ----------------------------------------------------------------------------------


class _BadNumber(ValueError):
    pass


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _BadNumber(f"number out of range: {text}")
    return value


def _no_constant(name: str) -> Any:
    raise _BadNumber(f"{name} is not a JSON number")


def read_case_document(path: Path) -> Any:
    """The JSON document in a case file, or CliError saying why it cannot be read."""
    try:
        if path.is_dir():
            raise CliError([f"{path}: is a folder, not a case file"])
        size = path.stat().st_size
        if size > MAX_CASE_FILE_BYTES:
            raise CliError([f"{path}: too large for a case file ({size:,} bytes; at most {MAX_CASE_FILE_BYTES:,})"])
        data = path.read_bytes()
    except FileNotFoundError:
        raise CliError([f"{path}: no such file"]) from None
    except PermissionError:
        raise CliError([f"{path}: not allowed to read it"]) from None
    except OSError as exc:
        raise CliError([f"{path}: cannot read ({exc.strerror or exc})"]) from None
    try:
        text = data.decode("utf-8-sig")  # a byte order mark (some Windows editors write one) is fine
    except UnicodeDecodeError:
        raise CliError([f"{path}: not UTF-8"]) from None
    try:
        return json.loads(text, parse_float=_finite_float, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise CliError([f"{path}: not valid JSON (line {exc.lineno}: {exc.msg})"]) from None
    except RecursionError:
        raise CliError([f"{path}: not valid JSON (nested too deeply)"]) from None
    except ValueError as exc:  # a bad number (infinite, NaN, or too many digits)
        raise CliError([f"{path}: not valid JSON ({exc})"]) from None


def load_case_file(path: Path, indications: Collection[str]) -> Case:
    """The case in a JSON case file, checked whole; CliError lists every problem, one line each.

    For the commands that work on a case file (plan, screen, estimate). ``indications`` are the codes
    of the installed knowledge pack.
    """
    document = read_case_document(path)
    try:
        return parse_case(document, indications)
    except CaseError as exc:
        raise CliError(_problem_lines(path, exc)) from None


def _problem_lines(path: Path, error: CaseError) -> list[str]:
    """A case's problems as "FIELD: MESSAGE"; one about the whole document names the file instead."""
    return [f"{problem.field or path}: {problem.message}" for problem in error.problems]


def write_atomically(target: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``target`` whole or not at all: a temporary file beside it, then a rename.

    On failure nothing is left behind (no half-written target, no temporary file) and CliError says why.
    """
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


# --- commands ------------------------------------------------------------------------------------


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


def _case_import(args: argparse.Namespace) -> int:
    path = Path(args.file)
    document = read_case_document(path)
    store = _open_cases(_indication_codes())
    try:
        stored = store.import_document(document, _coordinator())
    except CaseError as exc:
        raise CliError(_problem_lines(path, exc)) from None
    finally:
        store.close()
    print(f"Imported case {stored.reference} ({path})")
    return EXIT_OK


def _case_export(args: argparse.Namespace) -> int:
    store = _open_cases()
    try:
        stored = _stored_case(store, args.reference)
        rest = dict(stored.document)
        rest.pop("version", None)  # a case imported from a version-1 file is written as version 2
        head = {"format": rest.pop("format", FORMAT), "version": VERSION}
        document = {**head, "reference": rest.pop("reference", stored.reference), **rest}
        text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
        if args.output == "-":
            _print_utf8(text)
        else:
            write_atomically(Path(args.output), text)
        store.audit(_coordinator(), "exported", stored.id, "case file")
    finally:
        store.close()
    if args.output != "-":
        print(f"Exported case {stored.reference} to {args.output}")
    return EXIT_OK


def _stored_case(store: CaseStore, reference: str):
    stored = store.by_reference(reference)
    if stored is None:
        raise CliError([f"{reference}: no such case"])
    return stored


def _case_export_data(args: argparse.Namespace) -> int:
    from db.patient_export import export_patient

    target = Path(args.output)
    if target.is_dir():
        raise CliError([f"-o: {target} is a folder; name the .zip file to write"])
    if not target.parent.is_dir():
        raise CliError([f"-o: no such folder {target.parent}"])
    store = _open_cases()
    try:
        stored = _stored_case(store, args.reference)
        try:
            result = export_patient(store, stored.id, target, _coordinator())
        except OSError as exc:
            raise CliError([f"{target}: cannot write ({exc.strerror or exc}); nothing written"], EXIT_FAILURE) from None
    finally:
        store.close()
    print(f"Exported all data of case {result.reference} ({result.plans} plan PDFs) to {target}")
    return EXIT_OK


def _case_erase(args: argparse.Namespace) -> int:
    from db.backups import MAX_AGE_DAYS
    from db.patient_export import erase_patient

    if not args.yes:
        raise CliError(
            [
                f"case erase: add --yes to erase {args.reference} for good (the case, its history, its plans and "
                f"its e-mail drafts; this cannot be undone, and backups keep it until they age out within "
                f"{MAX_AGE_DAYS} days)"
            ]
        )
    store = _open_cases()
    try:
        stored = _stored_case(store, args.reference)
        result = erase_patient(store, stored.id, _coordinator(), outbox_path())
    finally:
        store.close()
    files = f", {len(result.files)} outbox files" if result.files else ""
    print(
        f"Erased case {result.reference} ({result.plans} plan versions{files}). "
        f"Backups still hold it until they age out within {MAX_AGE_DAYS} days."
    )
    return EXIT_OK


def _case_record(row: CaseRow) -> dict[str, Any]:
    return {
        "reference": row.reference,
        "full_name": row.full_name,
        "date_of_birth": row.date_of_birth,
        "indication": row.indication,
        "status": row.status,
        "follow_up": row.follow_up,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
        "sample": row.sample,
        "problems": row.problems,
    }


def _case_table(rows: Sequence[CaseRow]) -> list[str]:
    header = ("REFERENCE", "NAME", "STATUS", "FOLLOW-UP", "UPDATED")
    cells = [
        (row.reference, _clip(row.full_name or "-", 40), row.status, row.follow_up or "-", row.updated_at[:10])
        for row in rows
    ]
    widths = [max(len(line[i]) for line in [header, *cells]) for i in range(len(header))]
    return [
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in [header, *cells]
    ]


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _case_list(args: argparse.Namespace) -> int:
    store = _open_cases()
    try:
        rows = [row for row in store.all_rows() if args.status is None or row.status == args.status]
    finally:
        store.close()
    if args.json:
        print(json.dumps([_case_record(row) for row in rows], ensure_ascii=False, indent=2))
    elif rows:
        print("\n".join(_case_table(rows)))
    else:
        print("No cases.")
    return EXIT_OK


# --- audit log and backups -----------------------------------------------------------------------


def _audit_rows(entries: Sequence[AuditEntry]) -> list[tuple[str, str, str, str, str]]:
    return [(e.at, e.who, e.action, e.reference or "", e.detail) for e in entries]


def _audit(args: argparse.Namespace) -> int:
    target = Path(args.csv) if args.csv else None
    if target is not None and not target.parent.is_dir():
        raise CliError([f"--csv: no such folder {target.parent}"])
    store = _open_cases()
    try:
        case_id = _stored_case(store, args.case).id if args.case else None
        entries = list(reversed(store.audit_entries(case_id)))  # oldest first, as in the CSV
        if target is not None and case_id is None:
            store.write_audit_csv(target)
    finally:
        store.close()
    if target is not None:
        if case_id is not None:
            import csv
            import io

            buffer = io.StringIO()
            writer = csv.writer(buffer)
            writer.writerow(CSV_COLUMNS)
            writer.writerows(_audit_rows(entries))
            write_atomically(target, "\ufeff" + buffer.getvalue())  # a BOM, as the whole log's CSV
        print(f"Wrote {len(entries)} audit entries to {target}")
        return EXIT_OK
    if not entries:
        print("No audit entries.")
        return EXIT_OK
    header = ("AT (UTC)", "WHO", "ACTION", "REFERENCE", "DETAIL")
    cells = [
        (at[:19].replace("T", " "), _clip(who, 24), action, reference or "-", detail)
        for at, who, action, reference, detail in _audit_rows(entries)
    ]
    widths = [max(len(line[i]) for line in [header, *cells]) for i in range(len(header) - 1)]
    for line in [header, *cells]:
        columns = [cell.ljust(width) for cell, width in zip(line, widths, strict=False)]
        print("  ".join([*columns, line[-1]]).rstrip())
    return EXIT_OK


def _size(count: int) -> str:
    for unit in ("bytes", "KB", "MB"):
        if count < 1024 or unit == "MB":
            return f"{count} {unit}" if unit == "bytes" else f"{count:.1f} {unit}"
        count /= 1024
    return str(count)


def _backup_now(args: argparse.Namespace) -> int:
    if CaseVault(cases_db_path()).state() == "new":
        raise CliError(["backup now: there is no case store yet"])
    vault = _vault()
    try:
        vault.open((), check_same_thread=True, startup_backup=False).close()
    except StoreDamaged as exc:
        raise _damaged(exc) from None
    made = vault.backup()
    print(f"Backed up the case store to {made.path} ({_size(made.size)})")
    return EXIT_OK


def _backup_list(args: argparse.Namespace) -> int:
    vault = CaseVault(cases_db_path())
    found = vault.list_backups()
    if not found:
        print(f"No backups yet (they are kept in {vault.backups_folder}).")
        return EXIT_OK
    header = ("MADE (UTC)", "SIZE", "FILE")
    cells = [(b.made_at.strftime("%Y-%m-%d %H:%M:%S"), _size(b.size), str(b.path)) for b in found]
    widths = [max(len(line[i]) for line in [header, *cells]) for i in range(2)]
    for line in [header, *cells]:
        print(f"{line[0].ljust(widths[0])}  {line[1].rjust(widths[1])}  {line[2]}")
    return EXIT_OK


def _backup_restore(args: argparse.Namespace) -> int:
    from db.backups import BadBackup

    vault = CaseVault(cases_db_path())
    source = Path(args.file)
    if not source.is_file() and (vault.backups_folder / args.file).is_file():
        source = vault.backups_folder / args.file  # a name as `backup list` shows it
    if not source.is_file():
        raise CliError([f"{args.file}: no such backup file"])
    if is_encrypted(source):
        vault.key = key_for(source, _passphrase(vault))
    elif vault.state() == "encrypted":
        raise CliError([f"{source}: an unencrypted backup cannot replace the encrypted case store"])
    try:
        aside = vault.restore(source)  # checks the backup first; a bad one changes nothing
    except WrongPassphrase:
        raise CliError(
            [f"{ENV_PASSPHRASE}: the passphrase does not open the backup {source.name}; nothing was changed"]
        ) from None
    except BadBackup as exc:
        raise CliError([f"{source}: not a sound backup ({exc.problem}); nothing was changed"]) from None
    store = vault.open((), check_same_thread=True, check_later=True)  # the restored copy was just checked
    try:
        store.audit(_coordinator(), "backup_restored", detail=source.name)
    finally:
        store.close()
    kept = f"; the replaced store is kept as {aside}" if aside else ""
    print(f"Restored the case store from {source}{kept}")
    return EXIT_OK


# --- screening -----------------------------------------------------------------------------------

TABLE_WIDTH = 100
"""Columns the readable screening fits in (a finding's detail is shortened to fit)."""
MARKS = {"met": "✓", "not_met": "✗", "unknown": "?"}
ASCII_MARKS = {"met": "+", "not_met": "x", "unknown": "?"}
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _verdict_words(verdict: str) -> str:
    words = {
        "candidate": _("candidate"),
        "needs_information": _("needs information"),
        "centre_review": _("centre review (outside typical trial criteria)"),
        "not_eligible": _("not eligible"),
        "investigational": _("investigational"),
    }
    return words.get(verdict, verdict)


def _columns(char: str) -> int:
    """Terminal columns a character takes: 2 for wide (CJK) characters, 0 for combining marks."""
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def fit(text: str, width: int) -> str:
    """``text`` on one line, shortened with "…" to at most ``width`` terminal columns."""
    text = " ".join(text.split())
    if sum(_columns(c) for c in text) <= width:
        return text
    kept, used = [], 0
    for char in text:
        used += _columns(char)
        if used > width - 1:
            break
        kept.append(char)
    return "".join(kept).rstrip() + "…"


def _wrapped(text: str, first: str = "", rest: str = "") -> list[str]:
    """Lines of at most TABLE_WIDTH terminal columns (a Chinese character takes two), broken at spaces
    or, in text without spaces, between characters."""
    lines: list[str] = []
    line, used = first, sum(_columns(c) for c in first)
    for word in re.findall(r"\S+\s*|\s+", text) if " " in text else list(text):
        size = sum(_columns(c) for c in word.rstrip())
        if used + size > TABLE_WIDTH and line.strip():
            lines.append(line.rstrip())
            line, used = rest, sum(_columns(c) for c in rest)
        while size > TABLE_WIDTH - used:  # a word longer than a line
            room, piece = TABLE_WIDTH - used, ""
            for char in word:
                if sum(_columns(c) for c in piece + char) > room:
                    break
                piece += char
            lines.append((line + piece).rstrip())
            word = word[len(piece) :]
            line, used = rest, sum(_columns(c) for c in rest)
            size = sum(_columns(c) for c in word.rstrip())
        line += word
        used += sum(_columns(c) for c in word)
    lines.append(line.rstrip())
    return [entry for entry in lines if entry.strip()] or [first.rstrip()]


def _regions_summary(regions: Mapping[str, str]) -> str:
    """Region verdicts grouped, best first: "US, EU: candidate; GB: not eligible"."""
    groups: dict[str, list[str]] = {}
    for region, verdict in regions.items():
        groups.setdefault(verdict, []).append(region)
    ranked = sorted(groups.items(), key=lambda item: VERDICTS.index(item[0]) if item[0] in VERDICTS else len(VERDICTS))
    return "; ".join(f"{', '.join(names)}: {_verdict_words(verdict)}" for verdict, names in ranked)


def screening_table(
    screening: Screening, pack: Pack, locale: str = "en", marks: Mapping[str, str] = MARKS
) -> list[str]:
    """The screening as readable lines: verdict per product and region, each finding with its mark."""
    code = screening.indication
    indication = pack.indication(code) if code else None
    if indication is None:
        name = code or _("not recorded")
    else:
        name = pick(indication.name, locale)
        if code.replace("_", "-").casefold() not in name.casefold():
            name += f" [{code}]"
    lines = [
        fit(
            _("Indication: {name} — overall: {verdict}").format(name=name, verdict=_verdict_words(screening.overall)),
            TABLE_WIDTH,
        ),
        _("Screened on {day} against typical label and trial criteria.").format(day=screening.screened_on.isoformat()),
    ]
    for result in screening.results:
        lines.append("")
        therapy = pack.therapy(result.therapy) if result.therapy else None
        if therapy is None:
            head = _("No approved product for this indication: {verdict} (clinical trials only)").format(
                verdict=_verdict_words(result.verdict)
            )
        else:
            head = f"{therapy.generic_name} ({therapy.short_name}): {_verdict_words(result.verdict)}"
            if result.regions:
                head += " — " + _regions_summary(result.regions)
        lines.append(fit(head, TABLE_WIDTH))
        if result.verdict == "centre_review":
            lines += _wrapped(centre_review_note(result, pack), "  ", "  ")
        for finding in result.findings:
            kind = _(KIND_WORDS[finding.kind])
            if finding.kind == "label" and finding.regions:  # the label's conditions in full: they decide
                lines += _wrapped(f"{finding.label}: {finding.detail}", f"    {marks[finding.status]} ", "        ")
            else:
                lines.append("    " + fit(f"{marks[finding.status]} {kind}: {finding.detail}", TABLE_WIDTH - 4))
    if screening.research_notes:
        lines += ["", _("Research (clinical trials, not approvals):")]
        for note in screening.research_notes:
            source = f" [{note.sourced.source}, {note.sourced.as_of}]"
            lines += _wrapped(pick(note.text, locale) + source, "  - ", "    ")
    if screening.missing:
        lines.append("")
        lines += _wrapped(_("Ask the patient for: {fields}").format(fields=", ".join(ask_for(screening))), "", "  ")
    if screening.unrecognised_therapies:
        lines.append("")
        text = _("Prior therapies not recognised (check them by hand): {entries}").format(
            entries=", ".join(screening.unrecognised_therapies)
        )
        lines += _wrapped(text, "", "  ")
    lines.append("")
    lines += _wrapped(screening.disclaimer)
    return lines


def _screening_date(text: str | None) -> date:
    if text is None:
        return date.today()
    try:
        if not _ISO_DAY.fullmatch(text):
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise CliError([f"--date: must be a date as YYYY-MM-DD, not {text!r}"]) from None


def _terminal_marks() -> Mapping[str, str]:
    """The status marks, plain ASCII where the terminal cannot show ✓ and ✗ (some Windows consoles)."""
    try:
        "".join(MARKS.values()).encode(sys.stdout.encoding or "utf-8")
    except (UnicodeEncodeError, LookupError):
        return ASCII_MARKS
    return MARKS


def _screen(args: argparse.Namespace) -> int:
    problems: list[str] = []
    try:
        on = _screening_date(args.date)
    except CliError as exc:
        problems += exc.problems
        on = date.today()
    if not is_locale(args.locale):
        problems.append(f"--locale: unknown language code {args.locale}")
    store = _open_store()
    try:
        pack = store.pack()
    finally:
        store.close()
    try:
        case = load_case_file(Path(args.file), frozenset(i.code for i in pack.indications))
    except CliError as exc:
        raise CliError(problems + exc.problems) from None
    born = case.patient.date_of_birth
    if born is not None and born > on:
        problems.append(f"patient.date_of_birth: after the screening date {on.isoformat()}")
    if problems:
        raise CliError(problems)
    set_locale(args.locale)
    screening = screen(case, pack, today=on, locale=args.locale)
    if args.json:
        _print_utf8(json.dumps(screening.to_json(), ensure_ascii=False, indent=2) + "\n")
    else:
        if hasattr(sys.stdout, "reconfigure"):
            sys.stdout.reconfigure(errors="replace")  # never a crash on a terminal without some character
        print("\n".join(screening_table(screening, pack, args.locale, _terminal_marks())))
    return EXIT_OK


def _print_utf8(text: str) -> None:
    """Standard output as UTF-8 whatever the terminal's encoding (JSON and case files)."""
    sys.stdout.flush()
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.buffer.flush()


def _countries(args: argparse.Namespace, problems: list[str]) -> list[str]:
    """The --country options, upper-cased; unknown codes become problems."""
    countries = [c.strip().upper() for c in args.country or []]
    problems += [f"--country: unknown country code {c}" for c in countries if c not in country_codes()]
    return countries


def _case_and_pack(args: argparse.Namespace, problems: list[str]):
    """The case file read against the installed pack, with the rates and assumptions in force; every
    problem so far (``problems``) and the case's own are raised together."""
    store = _open_store()
    try:
        pack, rates, costs = store.pack(), store.rates(), store.cost_defaults()
    finally:
        store.close()
    try:
        case = load_case_file(Path(args.file), frozenset(i.code for i in pack.indications))
    except CliError as exc:
        raise CliError(problems + exc.problems) from None
    if problems:
        raise CliError(problems)
    return case, pack, rates, costs


def estimate_table(result: Estimate, pack: Pack, locale: str) -> list[str]:
    """The estimate as a readable table: one block per destination and product."""

    def span(low: Decimal, high: Decimal) -> str:  # whole units: an estimate, not an invoice (JSON keeps cents)
        text = format_number(low.quantize(Decimal(1)), locale)
        return text if low == high else f"{text} – {format_number(high.quantize(Decimal(1)), locale)}"

    lines = [f"Estimate in {result.currency}, whole units; exchange rates as of {result.rates_as_of or '-'}"]
    lines += [f"  1 {r.base} = {r.rate} {r.quote} ({r.sourced.as_of}, {r.sourced.source})" for r in result.rates_used]
    for option in result.options:
        destination = pack.destination(option.country)
        place = pick(destination.name, locale) if destination else option.country
        lines.append("")
        if not option.available:
            lines.append(f"{place}: not available - {option.reason}")
            lines += [f"    beside it: {a.label}: {span(a.low, a.high)} ({a.basis})" for a in option.alternatives]
            continue
        low, high = option.away_days
        fit = {"within": "within budget", "stretching": "stretches the budget", "over": "over budget"}
        budget = f"; {fit[option.budget_fit]}" if option.budget_fit else ""
        open_total = " + the drug (price to be quoted)" if option.total_open else ""
        lines.append(
            f"{place} - {option.therapy_name}: {span(option.total_low, option.total_high)} "
            f"{result.currency}{open_total}{budget}; {low}-{high} days away from home"
        )
        width = max(len(i.label) for i in option.items)
        for item in option.items:
            flag = "  (estimate)" if item.estimate else ""
            amount = "ask the centre for a quote" if item.unpriced else span(item.low, item.high)
            lines.append(f"    {item.label:<{width}}  {amount:>25}{flag}")
        lines += [f"    beside it, not in the total: {a.label}: {span(a.low, a.high)}" for a in option.alternatives]
        if option.insurance_note:
            lines.append(f"    {option.insurance_note}")
    lines += ["", *result.notes] if result.notes else []
    return lines


def _estimate(args: argparse.Namespace) -> int:
    problems: list[str] = []
    if not is_locale(args.locale):
        problems.append(f"--locale: unknown language code {args.locale}")
    countries = _countries(args, problems)
    case, pack, rates, costs = _case_and_pack(args, problems)
    set_locale(args.locale)
    result = estimate(case, pack, countries or None, rates, args.locale, costs)
    if args.json:
        _print_utf8(json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n")
    else:
        if hasattr(sys.stdout, "reconfigure"):
            sys.stdout.reconfigure(errors="replace")
        print("\n".join(estimate_table(result, pack, args.locale)))
    return EXIT_OK


DOCUMENT_LOCALES = ("en", "zh_CN", "es", "ru", "ar", "de")


def organisation() -> Organisation:
    """The organisation block of documents, from Settings (the [organisation] section of settings.ini)."""
    import configparser

    parser = configparser.ConfigParser(interpolation=None)
    parser.read(data_dir() / "settings.ini", encoding="utf-8")
    section = parser["organisation"] if parser.has_section("organisation") else {}
    return Organisation(
        name=section.get("name", "").strip() or "CarePlan Desk",
        contact=section.get("contact", "").strip(),
        logo=section.get("logo", "").strip(),
    )


def _plan(args: argparse.Namespace) -> int:
    problems: list[str] = []
    countries = _countries(args, problems)
    if args.locale and args.locale not in DOCUMENT_LOCALES:
        problems.append(f"--locale: documents are made in {', '.join(DOCUMENT_LOCALES)}, not {args.locale}")
    target = Path(args.output)
    if not target.parent.is_dir():
        problems.append(f"-o: no such folder {target.parent}")
    case, pack, rates, costs = _case_and_pack(args, problems)
    locale = args.locale or (case.patient.language if case.patient.language in DOCUMENT_LOCALES else "en")
    from reports.document import write_pdf

    plan = build_plan(
        case,
        pack,
        case.reference or Path(args.file).stem,
        locale,
        countries=countries or None,
        rates=rates,
        costs=costs,
        organisation=organisation(),
        coordinator=case.coordinator.name or _coordinator(),
    )
    try:
        size = write_pdf(plan, target)
    except OSError as exc:
        raise CliError([f"{target}: cannot write ({exc.strerror or exc}); nothing written"], EXIT_FAILURE) from None
    print(f"Wrote {target} ({size // 1024} KB, {locale})")
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

    case = commands.add_parser("case", help="patient cases: import, export and list case files")
    case_commands = case.add_subparsers(dest="case_command", required=True, metavar="ACTION")
    case_imp = case_commands.add_parser("import", help="add a case from a JSON case file (checked whole first)")
    case_imp.add_argument("file", help="the case file (JSON, UTF-8)")
    case_imp.set_defaults(run=_case_import)
    case_exp = case_commands.add_parser("export", help="write a case as a JSON case file")
    case_exp.add_argument("reference", help="the case's reference, e.g. CP-2026-00001")
    case_exp.add_argument("-o", "--output", required=True, metavar="FILE", help="the file to write ('-' for stdout)")
    case_exp.set_defaults(run=_case_export)
    case_list = case_commands.add_parser("list", help="every case, by reference")
    case_list.add_argument("--json", action="store_true", help="print JSON")
    case_list.add_argument("--status", choices=CASE_STATUSES, help="only cases with this status")
    case_list.set_defaults(run=_case_list)
    case_data = case_commands.add_parser(
        "export-data", help="everything about one patient (GDPR): case, history, audit entries and plan PDFs as a .zip"
    )
    case_data.add_argument("reference", help="the case's reference, e.g. CP-2026-00001")
    case_data.add_argument("-o", "--output", required=True, metavar="FILE.zip", help="the .zip file to write")
    case_data.set_defaults(run=_case_export_data)
    case_erase = case_commands.add_parser(
        "erase", help="erase one patient for good (GDPR): the case, its history, plans and e-mail drafts"
    )
    case_erase.add_argument("reference", help="the case's reference, e.g. CP-2026-00001")
    case_erase.add_argument("--yes", action="store_true", help="confirm: this cannot be undone")
    case_erase.set_defaults(run=_case_erase)

    audit = commands.add_parser("audit", help="the audit log: who did what to which case, and when")
    audit.add_argument("--csv", metavar="FILE", help="write the entries as CSV instead of a table")
    audit.add_argument("--case", metavar="REF", help="only this case's entries")
    audit.set_defaults(run=_audit)

    backup = commands.add_parser("backup", help="backups of the case store: make one, list them, restore one")
    backup_commands = backup.add_subparsers(dest="backup_command", required=True, metavar="ACTION")
    backup_commands.add_parser("now", help="back up the case store now").set_defaults(run=_backup_now)
    backup_commands.add_parser("list", help="the backups, newest first").set_defaults(run=_backup_list)
    restore = backup_commands.add_parser(
        "restore", help="put a backup in place of the case store (the current file is kept aside)"
    )
    restore.add_argument("file", help="the backup file (a path, or a name from `careplan backup list`)")
    restore.set_defaults(run=_backup_restore)

    scr = commands.add_parser(
        "screen", help="pre-screen a case against the typical criteria of every product for its indication"
    )
    scr.add_argument("file", metavar="CASE.json", help="the case file (JSON, UTF-8)")
    scr.add_argument("--json", action="store_true", help="print JSON")
    scr.add_argument(
        "--date", metavar="YYYY-MM-DD", help="screen as of this day (ages are counted on it; default today)"
    )
    scr.add_argument("--locale", default="en", help="language of the texts (default en)")
    scr.set_defaults(run=_screen)

    est = commands.add_parser("estimate", help="cost estimate and journey per destination, in the case's currency")
    est.add_argument("file", help="the case file (JSON)")
    est.add_argument("--json", action="store_true", help="print JSON (amounts as decimal strings)")
    est.add_argument(
        "--country", action="append", metavar="CC", help="a destination (repeat for several; default: the case's)"
    )
    est.add_argument("--locale", default="en", help="language of the texts (default en)")
    est.set_defaults(run=_estimate)

    pdf = commands.add_parser("plan", help="the PDF treatment plan and cost estimate, in the patient's language")
    pdf.add_argument("file", help="the case file (JSON)")
    pdf.add_argument("-o", "--output", required=True, help="where to write the PDF")
    pdf.add_argument("--locale", help=f"document language: {', '.join(DOCUMENT_LOCALES)} (default: the patient's)")
    pdf.add_argument("--country", action="append", metavar="CC", help="a destination (repeat; default: the case's)")
    pdf.set_defaults(run=_plan)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except CliError as exc:
        for line in exc.lines:
            print(line, file=sys.stderr)
        return exc.status
    except CaseError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except PackError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # the reader went away (e.g. `| head`): stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_FAILURE
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"error: {where}{exc.strerror or exc}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # never a traceback: one line, the kind of failure and its message
        print(f"error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_FAILURE


if __name__ == "__main__":
    sys.exit(main())
