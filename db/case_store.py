"""Patient cases: the case documents as typed, their status and follow-up, and a change history.

A case's document is stored exactly as the coordinator typed it, valid or not, so nothing typed is
lost; its problems are counted beside it. The columns the list shows are kept next to the document,
each with an index, so every sort order pages with keyset queries at 100,000 cases.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database, Migrations

from db import audit_log
from db.audit_log import AuditEntry
from db.connection import open_db
from db.contact_words import contact_texts
from db.crypto import Key
from planning.case import CASE_STATUSES, CaseError, Problem, case_problems, flatten, parse_case

migrations = Migrations("careplan-cases")

SORTS: dict[str, str] = {
    "updated": "updated_at",
    "created": "created_at",
    "name": "name_key",
    "reference": "reference",
    "status": "status",
    "follow_up": "coalesce(follow_up, '9999-12-31')",
    "indication": "coalesce(indication, '')",
    "date_of_birth": "coalesce(date_of_birth, '')",
}
"""Sort keys and the SQL expression each orders by; every expression has an index with the id (from a
migration step) and is never NULL (a nullable column is wrapped in coalesce), which keyset paging needs."""

Statement = tuple[str, list[Any]]
"""One SQL statement and its parameters."""

BROAD = 20_000
"""A text search matching more cases than this walks the sort order checking each case's folded words: most
cases match, so a page is found within a few hundred rows."""
NARROW = 2000
"""A text search matching at most this many cases reads its matches and sorts them. Between NARROW and BROAD
the sort index is walked and each entry is looked up among the matches on the index alone, without reading
the case: the words check (BROAD) reads every case it passes, which was slow when the matches lay far down
the order ("GEN-04" sorted by update: 50,000 cases passed, 60 ms)."""


# Migrations are frozen: each step holds, as literals, the statuses, actions and sort expressions
# that were current when it was written, so every install gets the same schema whatever the code's
# constants say now. A later change to CASE_STATUSES, audit_log.ACTIONS or SORTS comes as a new step
# (a CHECK list changes by rebuilding its table). tests/db/schema/ holds the expected schema, and
# tests/db/test_migrations.py fails when a live constant is no longer allowed by it.


@migrations()
def m001_cases(db: Database) -> None:
    statuses = "'new', 'counseling', 'plan_sent', 'follow_up', 'closed'"  # frozen, not CASE_STATUSES
    db.execute(
        f"""
        CREATE TABLE cases (
            id INTEGER PRIMARY KEY,
            reference TEXT NOT NULL UNIQUE,
            full_name TEXT NOT NULL DEFAULT '',
            name_key TEXT NOT NULL DEFAULT '',
            date_of_birth TEXT,
            indication TEXT,
            notes TEXT NOT NULL DEFAULT '',
            words TEXT NOT NULL DEFAULT ' ',
            status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ({statuses})),
            follow_up TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            sample INTEGER NOT NULL DEFAULT 0,
            problems INTEGER NOT NULL DEFAULT 0,
            document TEXT NOT NULL
        )"""
    )
    for statement in (
        "CREATE INDEX cases_by_updated ON cases (updated_at, id)",
        "CREATE INDEX cases_by_created ON cases (created_at, id)",
        "CREATE INDEX cases_by_name ON cases (name_key, id)",
        "CREATE INDEX cases_by_status ON cases (status, id)",
        "CREATE INDEX cases_by_follow_up ON cases (coalesce(follow_up, '9999-12-31'), id)",
        "CREATE INDEX cases_by_indication ON cases (coalesce(indication, ''), id)",
        "CREATE INDEX cases_by_date_of_birth ON cases (coalesce(date_of_birth, ''), id)",
        "CREATE INDEX cases_by_reference ON cases (reference, id)",
    ):
        db.execute(statement)
    db.execute("CREATE INDEX cases_by_name_dob ON cases (name_key, date_of_birth)")
    db.execute("CREATE INDEX cases_due ON cases (coalesce(follow_up, '9999-12-31')) WHERE status != 'closed'")
    db.execute(
        """
        CREATE TABLE case_history (
            id INTEGER PRIMARY KEY,
            case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
            at TEXT NOT NULL,
            who TEXT NOT NULL,
            field TEXT NOT NULL,
            old TEXT,
            new TEXT
        )"""
    )
    db.execute("CREATE INDEX case_history_by_case ON case_history (case_id, id)")
    db.execute(
        # The index holds the words already folded by search_words(), exactly as queries are folded.
        "CREATE VIRTUAL TABLE cases_fts USING fts5(words, content='cases', content_rowid='id', "
        "tokenize='unicode61 remove_diacritics 0', prefix='1 2 3')"
    )
    db.execute(
        "CREATE TRIGGER cases_ai AFTER INSERT ON cases BEGIN "
        "INSERT INTO cases_fts(rowid, words) VALUES (new.id, new.words); END"
    )
    db.execute(
        "CREATE TRIGGER cases_ad AFTER DELETE ON cases BEGIN "
        "INSERT INTO cases_fts(cases_fts, rowid, words) VALUES ('delete', old.id, old.words); END"
    )
    db.execute(
        "CREATE TRIGGER cases_au AFTER UPDATE OF words ON cases BEGIN "
        "INSERT INTO cases_fts(cases_fts, rowid, words) VALUES ('delete', old.id, old.words); "
        "INSERT INTO cases_fts(rowid, words) VALUES (new.id, new.words); END"
    )


@migrations()
def m002_plan_versions(db: Database) -> None:
    """Every generated plan, frozen: its inputs, the document model and the PDF itself."""
    db.execute(
        """
        CREATE TABLE plan_versions (
            id INTEGER PRIMARY KEY,
            case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
            created_at TEXT NOT NULL,
            who TEXT NOT NULL,
            locale TEXT NOT NULL,
            destinations TEXT NOT NULL,
            totals TEXT NOT NULL,
            pack_version TEXT NOT NULL,
            snapshot TEXT NOT NULL,
            model TEXT NOT NULL,
            pdf BLOB NOT NULL,
            sent_at TEXT
        )"""
    )
    db.execute("CREATE INDEX plan_versions_by_case ON plan_versions (case_id, id)")


@migrations()
def m003_audit(db: Database) -> None:
    """The audit log (who, when, what), with the creation of every existing case as its first entries.

    No foreign key: entries outlive erased cases."""
    actions = (  # frozen, not audit_log.ACTIONS
        "'created', 'viewed', 'edited', 'imported', 'exported', 'plan_generated', 'plan_saved', 'printed', "
        "'emailed', 'data_exported', 'erased', 'backup_restored', 'passphrase_changed', 'encryption_enabled'"
    )
    db.execute(
        f"""
        CREATE TABLE audit (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            who TEXT NOT NULL,
            action TEXT NOT NULL CHECK (action IN ({actions})),
            case_id INTEGER,
            reference TEXT,
            detail TEXT NOT NULL DEFAULT ''
        )"""
    )
    db.execute("CREATE INDEX audit_by_case ON audit (case_id, id)")
    db.execute(
        "INSERT INTO audit (at, who, action, case_id, reference) "
        "SELECT h.at, h.who, 'created', c.id, c.reference FROM case_history h JOIN cases c ON c.id = h.case_id "
        "WHERE h.field = 'case' AND h.new = '\"created\"' ORDER BY h.id"
    )


@migrations()
def m004_contact_words(db: Database) -> None:
    """Search words gain the patient's phone number and e-mail address (db/contact_words.py): recomputed
    for every case that has either. The folding is written out here as it was when the step was made."""
    import unicodedata as ud

    word = re.compile(r"[^\W_]+", re.UNICODE)
    digits = re.compile(r"\d+")

    def fold(text: str) -> str:  # name_key()
        decomposed = ud.normalize("NFKD", text.casefold())
        return "".join(c for c in decomposed if not ud.combining(c)).strip()

    def phone_runs(phone: str) -> list[str]:  # contact_words.phone_words()
        groups = digits.findall(phone)
        runs: list[str] = []
        for start in range(len(groups) - 1):
            joined = "".join(groups[start:])
            runs += [joined, joined.lstrip("0")]
        if groups and groups[0].startswith("0"):
            runs.append(groups[0].lstrip("0"))
        return [run for run in dict.fromkeys(runs) if run]

    # Only the cases with a phone or an e-mail change. Their words are those of the name, reference and notes
    # (search_words() of the three, as every write stored them) followed by the contacts' new ones: folding
    # just the contacts gives the words a save computes now, without folding every case's notes again.
    rows = db.execute(
        "SELECT id, words, json_extract(document, '$.patient.phone'), json_extract(document, '$.patient.email') "
        "FROM cases WHERE json_valid(document) AND (json_type(document, '$.patient.phone') = 'text' "
        "OR json_type(document, '$.patient.email') = 'text')"
    ).fetchall()
    changed: list[tuple[str, int]] = []
    for case_id, words, phone, email in rows:
        texts = [value.strip() for value in (phone, email) if isinstance(value, str) and value.strip()]
        if isinstance(phone, str):
            texts += phone_runs(phone)
        if not texts:
            continue
        known = words.split()
        folded = dict.fromkeys([*known, *word.findall(fold(" ".join(texts)))])
        fresh = " " + " ".join(folded) + " "
        if fresh != words:
            changed.append((fresh, case_id))
    db.conn.executemany("UPDATE cases SET words = ? WHERE id = ?", changed)  # the trigger re-indexes them


@migrations()
def m005_calls(db: Database) -> None:
    """The call journal (desktop/cases/follow_up.py, services/calls.py): one row per call logged, erased with
    its case. The audit log learns the action 'call_logged' (its CHECK list is rebuilt with it)."""
    db.execute(
        """
        CREATE TABLE case_calls (
            id INTEGER PRIMARY KEY,
            case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
            at TEXT NOT NULL,
            who TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            outcome TEXT,
            follow_up TEXT
        )"""
    )
    db.execute("CREATE INDEX case_calls_by_case ON case_calls (case_id, id)")
    actions = (  # frozen, not audit_log.ACTIONS: m003's and 'call_logged'
        "'created', 'viewed', 'edited', 'imported', 'exported', 'plan_generated', 'plan_saved', 'printed', "
        "'emailed', 'data_exported', 'erased', 'backup_restored', 'passphrase_changed', 'encryption_enabled', "
        "'call_logged'"
    )
    db.execute("ALTER TABLE audit RENAME TO audit_before_m005")  # its index goes with it
    db.execute(
        f"""
        CREATE TABLE audit (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            who TEXT NOT NULL,
            action TEXT NOT NULL CHECK (action IN ({actions})),
            case_id INTEGER,
            reference TEXT,
            detail TEXT NOT NULL DEFAULT ''
        )"""
    )
    db.execute(
        "INSERT INTO audit (id, at, who, action, case_id, reference, detail) "
        "SELECT id, at, who, action, case_id, reference, detail FROM audit_before_m005 ORDER BY id"
    )
    db.execute("DROP TABLE audit_before_m005")
    db.execute("CREATE INDEX audit_by_case ON audit (case_id, id)")


@dataclass(frozen=True)
class PlanVersion:
    """One generated plan: when, in which language, for which destinations, with which totals."""

    id: int
    case_id: int
    created_at: str
    who: str
    locale: str
    destinations: tuple[str, ...]
    totals: dict[str, Any]
    pack_version: str
    sent_at: str | None


@dataclass(frozen=True)
class CaseRow:
    """A case as the list shows it."""

    id: int
    reference: str
    full_name: str
    date_of_birth: str | None
    indication: str | None
    status: str
    follow_up: str | None
    created_at: str
    updated_at: str
    sample: bool
    problems: int

    def due(self, today: date) -> bool:
        """Follow-up date reached, and the case is not closed."""
        return (
            self.follow_up is not None
            and self.follow_up != ""
            and self.status != "closed"
            and self.follow_up <= today.isoformat()
        )


@dataclass(frozen=True)
class StoredCase:
    row: CaseRow
    document: dict[str, Any]

    @property
    def id(self) -> int:
        return self.row.id

    @property
    def reference(self) -> str:
        return self.row.reference


@dataclass(frozen=True)
class HistoryEntry:
    at: str
    who: str
    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class CaseQuery:
    """What the case list shows: a text search, filters and one sort order."""

    text: str = ""
    status: str | None = None
    due_on: date | None = None
    """Only cases whose follow-up is due on or before this day (and not closed)."""
    sort: str = "updated"
    descending: bool = True


_ROW_COLUMNS = (
    "id, reference, full_name, date_of_birth, indication, status, follow_up, created_at, updated_at, sample, problems"
)
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
"""A word as the full-text tokenizer sees one: letters and digits ("_" separates, as it does there)."""


def name_key(name: str) -> str:
    """A name as it sorts and matches: case-folded, accents removed."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip()


def search_words(*texts: str) -> str:
    """The distinct words of ``texts``, folded as the full-text index folds them: " anna ivanova cp 2026 "."""
    words = dict.fromkeys(_WORD.findall(name_key(" ".join(texts))))
    return " " + " ".join(words) + " "


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _row(values: tuple) -> CaseRow:
    """A list row from the first eleven columns (a page's query adds its sort key after them)."""
    case_id, reference, full_name, born, indication, status, follow_up, created, updated, sample, problems = values[:11]
    return CaseRow(
        case_id, reference, full_name, born, indication, status, follow_up, created, updated, bool(sample), problems
    )


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


class CaseStore:
    """Cases in their own SQLite file; every write is one transaction, committed to disk."""

    def __init__(self, db: Database, indications: Collection[str]):
        self.db = db
        self.indications = frozenset(indications)

    @property
    def db(self) -> Database:
        return self._db

    @db.setter
    def db(self, db: Database) -> None:
        """A new connection (services.stores.reconnect) forgets the counts remembered on the old one."""
        self._db = db
        self._counts: dict[Any, int] = {}
        self._counted_at: tuple[int, int] | None = None

    def _remembered(self, key: Any, counting: Callable[[], int], *, text: bool = False) -> int:
        """A count, remembered until the cases change: by this connection (its total of changed rows) or by
        another one (SQLite's data_version). Showing the list counts a text search twice (page and count)
        and the follow-ups due at every keystroke. Of text searches only the latest is kept: each keystroke
        is a new one."""
        conn = self._db.conn
        stamp = (conn.total_changes, conn.execute("PRAGMA data_version").fetchone()[0])
        if stamp != self._counted_at or len(self._counts) > 64:
            self._counts, self._counted_at = {}, stamp
        if key not in self._counts:
            if text:
                self._counts = {k: v for k, v in self._counts.items() if not (isinstance(k, tuple) and k[0] == "text")}
            self._counts[key] = counting()
        return self._counts[key]

    @classmethod
    def open(
        cls,
        path: Path | str,
        indications: Collection[str],
        *,
        check_same_thread: bool = True,
        key: Key | None = None,
    ) -> CaseStore:
        """Open (and migrate) the store; ``key`` for an encrypted one."""
        return cls(cls.connect(path, check_same_thread=check_same_thread, key=key), indications)

    @staticmethod
    def connect(path: Path | str, *, check_same_thread: bool = True, key: Key | None = None) -> Database:
        """The store's connection: durable writes, migrations applied, deleted content overwritten."""
        db = open_db(path, migrations, check_same_thread=check_same_thread, durable=True, key=key)
        db.execute("PRAGMA secure_delete = ON")
        return db

    def close(self) -> None:
        self.db.conn.close()

    # --- writing -----------------------------------------------------------------------------

    def _columns(self, document: Mapping[str, Any]) -> dict[str, Any]:
        found_patient, found_clinical = document.get("patient"), document.get("clinical")
        patient: Mapping[str, Any] = found_patient if isinstance(found_patient, Mapping) else {}
        clinical: Mapping[str, Any] = found_clinical if isinstance(found_clinical, Mapping) else {}
        full_name = _text(patient.get("full_name")) or ""
        notes = _text(clinical.get("notes")) or ""
        return {
            "full_name": full_name,
            "name_key": name_key(full_name),
            "date_of_birth": _text(patient.get("date_of_birth")),
            "indication": _text(clinical.get("indication")),
            "notes": notes,
            "words": search_words(full_name, str(document.get("reference") or ""), notes, *contact_texts(patient)),
            "problems": len(case_problems(document, self.indications)),
        }

    def _next_reference(self, year: int) -> str:
        number = self.db.execute("SELECT coalesce(max(id), 0) + 1 FROM cases").fetchone()[0]
        while True:
            reference = f"CP-{year}-{number:05d}"
            if not self.db.execute("SELECT 1 FROM cases WHERE reference = ?", [reference]).fetchone():
                return reference
            number += 1

    def create(self, typed: Mapping[str, Any], who: str, *, sample: bool = False) -> StoredCase:
        """Store a new case as it is (valid or not); a reference is assigned when it has none."""
        document: dict[str, Any] = json.loads(json.dumps(typed))  # a private copy, plain JSON
        stamp = now()
        with self.db.atomic():
            reference = _text(document.get("reference"))
            if reference is None or self.by_reference(reference) is not None:
                reference = self._next_reference(int(stamp[:4]))
            document["reference"] = reference
            cursor = self.db.execute(
                "INSERT INTO cases (reference, created_at, updated_at, sample, document, full_name, name_key, "
                "date_of_birth, indication, notes, words, problems) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    reference,
                    stamp,
                    stamp,
                    int(sample),
                    json.dumps(document, ensure_ascii=False),
                    *self._columns(document).values(),
                ],
            )
            case_id = cursor.lastrowid
            assert case_id is not None  # an INSERT into a rowid table always has one
            self._record(case_id, who, stamp, [("case", None, "created")])
            audit_log.record(self.db, stamp, who, "created", case_id, reference)
        stored = self.get(case_id)
        assert stored is not None
        return stored

    def import_document(self, document: Any, who: str) -> StoredCase:
        """Store a case from a file: refused whole (CaseError) unless valid; a taken reference is a problem."""
        parse_case(document, self.indications)
        reference = _text(document.get("reference"))
        if reference and self.by_reference(reference) is not None:
            raise CaseError([Problem("reference", f"a case with reference {reference} already exists")])
        stored = self.create(document, who)
        self.audit(who, "imported", stored.id)
        return stored

    def save_document(self, case_id: int, typed: Mapping[str, Any], who: str) -> list[str]:
        """Store the case as typed now; returns the changed field paths (each recorded in the history)."""
        document: dict[str, Any] = json.loads(json.dumps(typed))
        stamp = now()
        with self.db.atomic():
            current = self.db.execute("SELECT document, reference FROM cases WHERE id = ?", [case_id]).fetchone()
            if current is None:
                raise KeyError(case_id)
            document["reference"] = current[1]  # the reference never changes by editing
            before, after = flatten(json.loads(current[0])), flatten(document)
            changed = [
                path
                for path in sorted(before.keys() | after.keys())
                if json.dumps(before.get(path)) != json.dumps(after.get(path))  # False is not 0
            ]
            if not changed:
                return []
            columns = self._columns(document)
            assignments = ", ".join(f"{name} = ?" for name in columns)
            self.db.execute(
                f"UPDATE cases SET document = ?, updated_at = ?, {assignments} WHERE id = ?",
                [json.dumps(document, ensure_ascii=False), stamp, *columns.values(), case_id],
            )
            self._record(case_id, who, stamp, [(path, before.get(path), after.get(path)) for path in changed])
            audit_log.record(self.db, stamp, who, "edited", case_id, current[1], ", ".join(changed))
        return changed

    def set_status(self, case_id: int, status: str, who: str) -> None:
        if status not in CASE_STATUSES:
            raise CaseError([Problem("status", f"must be one of {', '.join(CASE_STATUSES)}")])
        self._set_column(case_id, "status", status, who)

    def set_follow_up(self, case_id: int, day: date | None, who: str) -> None:
        self._set_column(case_id, "follow_up", day.isoformat() if day else None, who)

    def _set_column(self, case_id: int, column: str, value: Any, who: str) -> None:
        stamp = now()
        with self.db.atomic():
            old = self.db.execute(f"SELECT {column}, reference FROM cases WHERE id = ?", [case_id]).fetchone()
            if old is None:
                raise KeyError(case_id)
            if old[0] == value:
                return
            self.db.execute(f"UPDATE cases SET {column} = ?, updated_at = ? WHERE id = ?", [value, stamp, case_id])
            self._record(case_id, who, stamp, [(column, old[0], value)])
            audit_log.record(self.db, stamp, who, "edited", case_id, old[1], column)

    def _record(self, case_id: int, who: str, stamp: str, changes: list[tuple[str, Any, Any]]) -> None:
        self.db.conn.executemany(
            "INSERT INTO case_history (case_id, at, who, field, old, new) VALUES (?, ?, ?, ?, ?, ?)",
            [
                (case_id, stamp, who, path, json.dumps(old, ensure_ascii=False), json.dumps(new, ensure_ascii=False))
                for path, old, new in changes
            ],
        )

    # --- reading -----------------------------------------------------------------------------

    def get(self, case_id: int) -> StoredCase | None:
        found = self.db.execute(f"SELECT {_ROW_COLUMNS}, document FROM cases WHERE id = ?", [case_id]).fetchone()
        return StoredCase(_row(found[:-1]), json.loads(found[-1])) if found else None

    def by_reference(self, reference: str) -> StoredCase | None:
        found = self.db.execute("SELECT id FROM cases WHERE reference = ?", [reference]).fetchone()
        return self.get(found[0]) if found else None

    def history(self, case_id: int) -> list[HistoryEntry]:
        rows = self.db.execute(
            "SELECT at, who, field, old, new FROM case_history WHERE case_id = ? ORDER BY id", [case_id]
        ).fetchall()
        return [HistoryEntry(at, who, field, json.loads(old), json.loads(new)) for at, who, field, old, new in rows]

    def is_empty(self) -> bool:
        return self.db.execute("SELECT 1 FROM cases LIMIT 1").fetchone() is None

    def possible_duplicates(
        self, full_name: str, date_of_birth: str | None, exclude: int | None = None
    ) -> list[CaseRow]:
        """Other cases with the same name (case and accents ignored) and date of birth."""
        if not full_name.strip() or not date_of_birth:
            return []
        rows = self.db.execute(
            f"SELECT {_ROW_COLUMNS} FROM cases WHERE name_key = ? AND date_of_birth = ? AND id IS NOT ? LIMIT 5",
            [name_key(full_name), date_of_birth, exclude],
        ).fetchall()
        return [_row(r) for r in rows]

    def _where(self, query: CaseQuery) -> tuple[list[str], list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if query.status:
            clauses.append("status = ?")
            params.append(query.status)
        if query.due_on:
            clauses.append("coalesce(follow_up, '9999-12-31') <= ? AND status != 'closed'")
            params.append(query.due_on.isoformat())
        words = _WORD.findall(name_key(query.text))
        if words:
            match = " ".join('"' + w.replace('"', '""') + '"*' for w in words)
            found = self._matches(match, BROAD)
            if found > BROAD:
                # Most cases match: walk the sort order, checking each case's folded words (cheap, in C).
                for word in words:
                    clauses.append("instr(words, ?) > 0")
                    params.append(" " + word)
            elif found > NARROW:
                # "+" keeps the planner from reading the matches by rowid and sorting them: it walks the
                # sort index and finds each entry's id among the matches (collected once).
                clauses.append("+cases.id IN (SELECT rowid FROM cases_fts WHERE cases_fts MATCH ?)")
                params.append(match)
            else:
                clauses.append("cases.id IN (SELECT rowid FROM cases_fts WHERE cases_fts MATCH ?)")
                params.append(match)
        return clauses, params

    def _matches(self, match: str, cap: int) -> int:
        """How many cases the full-text ``match`` finds, counted up to ``cap`` (more shows as cap + 1)."""
        counted = max(cap, BROAD)
        found = self._remembered(("text", match, counted), lambda: self._count_matches(match, counted), text=True)
        return min(found, cap + 1)

    def _count_matches(self, match: str, cap: int) -> int:
        sql = "SELECT count(*) FROM (SELECT rowid FROM cases_fts WHERE cases_fts MATCH ? LIMIT ?)"
        return self.db.execute(sql, [match, cap + 1]).fetchone()[0]

    def page_statements(
        self, query: CaseQuery, after: tuple[Any, int] | None = None, limit: int = 100
    ) -> list[Statement]:
        """The statements ``page`` runs, in order, each as (sql, params); rows are taken from each in
        turn until ``limit`` are found.

        The first page is one walk down the sort's index. A later page starts at the position
        ``after`` = (sort value, id) with two seeks on that index, so page 900 costs what page 1 does:
        first the rest of the cases that tie with the position (``value = ? AND id > ?``: a seek on
        both index columns), then the cases past the value (``value > ?``). One row-value comparison
        ``(value, id) > (?, ?)`` would read the same rows, but SQLite seeks with it on the first
        column only (the id is the rowid, which row values do not reach) and none at all on an
        expression such as ``coalesce(follow_up, ...)``: it walked every tie, or the whole index.
        Every sort value is NOT NULL (the columns, or coalesce), so ``=`` and ``>`` see every case.
        """
        expression = SORTS[query.sort]
        clauses, params = self._where(query)
        direction = "DESC" if query.descending else "ASC"
        beyond = "<" if query.descending else ">"
        order = f"{expression} {direction}, id {direction}"

        def statement(more: list[str], values: list[Any], order_by: str) -> Statement:
            where = " AND ".join([*clauses, *more])
            sql = f"SELECT {_ROW_COLUMNS}, {expression} FROM cases {'WHERE ' + where + ' ' if where else ''}"
            return f"{sql}ORDER BY {order_by} LIMIT ?", [*params, *values, limit]

        if after is None:
            return [statement([], [], order)]
        value, last_id = after
        return [
            statement([f"{expression} = ?", f"id {beyond} ?"], [value, last_id], f"id {direction}"),
            statement([f"{expression} {beyond} ?"], [value], order),
        ]

    def page(
        self, query: CaseQuery, after: tuple[Any, int] | None = None, limit: int = 100
    ) -> tuple[list[CaseRow], tuple[Any, int] | None]:
        """Up to ``limit`` cases in the query's order after the keyset position ``after``.

        Returns the rows and the position after the last of them (None when there are no more).
        The SQL is ``page_statements``'s.
        """
        found: list[tuple] = []
        for sql, params in self.page_statements(query, after, limit):
            cursor = self.db.execute(sql, params)
            try:
                found += cursor.fetchmany(limit - len(found))
            finally:
                cursor.close()  # reset at once: no read left open on the connection
            if len(found) >= limit:
                break
        rows = [_row(r) for r in found]
        following = (found[-1][-1], found[-1][0]) if len(found) == limit else None
        return rows, following

    def count(self, query: CaseQuery, cap: int = 1000) -> int:
        """How many cases the query finds; a text search is counted up to ``cap`` (more shows as cap + 1)."""
        words = _WORD.findall(name_key(query.text))
        if words and not query.status and not query.due_on:
            return self._matches(" ".join('"' + w.replace('"', '""') + '"*' for w in words), cap)
        if not words:
            cap = 10**9  # counting on an index is cheap: exact
        clauses, params = self._where(query)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        sql = f"SELECT count(*) FROM (SELECT 1 FROM cases {where} LIMIT ?)"
        key = ("text", query, cap) if words else (query, cap)
        return self._remembered(key, lambda: self.db.execute(sql, [*params, cap + 1]).fetchone()[0], text=bool(words))

    def due_count(self, today: date) -> int:
        return self.count(CaseQuery(due_on=today), cap=9999)

    # --- plan versions -------------------------------------------------------------------------

    def add_plan_version(
        self,
        case_id: int,
        who: str,
        locale: str,
        destinations: list[str],
        totals: dict[str, Any],
        pack_version: str,
        snapshot: dict[str, Any],
        model: dict[str, Any],
        pdf: bytes,
    ) -> PlanVersion:
        """Store a generated plan with everything it was made from (one transaction)."""
        stamp = now()
        with self.db.atomic():
            cursor = self.db.execute(
                "INSERT INTO plan_versions (case_id, created_at, who, locale, destinations, totals, pack_version, "
                "snapshot, model, pdf) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    case_id,
                    stamp,
                    who,
                    locale,
                    json.dumps(destinations),
                    json.dumps(totals, ensure_ascii=False),
                    pack_version,
                    json.dumps(snapshot, ensure_ascii=False),
                    json.dumps(model, ensure_ascii=False),
                    pdf,
                ],
            )
            self._record(case_id, who, stamp, [("plan", None, f"version {cursor.lastrowid} ({locale})")])
            self._audit(stamp, who, "plan_generated", case_id, f"version {cursor.lastrowid} ({locale})")
        return self.plan_versions(case_id)[0]

    def plan_versions(self, case_id: int) -> list[PlanVersion]:
        """A case's plans, newest first."""
        rows = self.db.execute(
            "SELECT id, case_id, created_at, who, locale, destinations, totals, pack_version, sent_at "
            "FROM plan_versions WHERE case_id = ? ORDER BY id DESC",
            [case_id],
        ).fetchall()
        return [
            PlanVersion(r[0], r[1], r[2], r[3], r[4], tuple(json.loads(r[5])), json.loads(r[6]), r[7], r[8])
            for r in rows
        ]

    def plan_pdf(self, version_id: int) -> bytes:
        return self.db.execute("SELECT pdf FROM plan_versions WHERE id = ?", [version_id]).fetchone()[0]

    def plan_model(self, version_id: int) -> dict[str, Any]:
        return json.loads(self.db.execute("SELECT model FROM plan_versions WHERE id = ?", [version_id]).fetchone()[0])

    def mark_sent(self, version_id: int, who: str, follow_up: date) -> None:
        """The plan went to the patient: the case becomes "plan sent" with a follow-up date."""
        case_id = self.db.execute("SELECT case_id FROM plan_versions WHERE id = ?", [version_id]).fetchone()[0]
        with self.db.atomic():
            stamp = now()
            self.db.execute("UPDATE plan_versions SET sent_at = ? WHERE id = ?", [stamp, version_id])
            self._audit(stamp, who, "emailed", case_id, f"version {version_id}")
            self.set_status(case_id, "plan_sent", who)
            self.set_follow_up(case_id, follow_up, who)

    # --- audit log and erasing -------------------------------------------------------------------

    def _audit(self, stamp: str, who: str, action: str, case_id: int | None, detail: str = "") -> None:
        reference = None
        if case_id is not None:
            found = self.db.execute("SELECT reference FROM cases WHERE id = ?", [case_id]).fetchone()
            reference = found[0] if found else None
        audit_log.record(self.db, stamp, who, action, case_id, reference, detail)

    def audit(self, who: str, action: str, case_id: int | None = None, detail: str = "") -> None:
        """Record an action the store does not see itself (viewed, printed, exported, ...)."""
        with self.db.atomic():
            self._audit(now(), who, action, case_id, detail)

    def audit_entries(self, case_id: int | None = None, limit: int | None = None) -> list[AuditEntry]:
        """The audit log, newest first (one case's entries, or all)."""
        return audit_log.entries(self.db, case_id, limit)

    def erase(self, case_id: int, who: str) -> str:
        """Erase a patient: the case, its history, calls and plans; audit entries lose what identifies them.

        Deleted pages are overwritten (secure_delete), the full-text index is rebuilt without the
        patient's words and the write-ahead log is emptied (``empty_log``; whether it could be is
        ``log_is_empty``), so the file keeps nothing of them.
        Returns the erased reference (for the caller to remove files named after it).
        """
        with self.db.atomic():
            found = self.db.execute("SELECT reference FROM cases WHERE id = ?", [case_id]).fetchone()
            if found is None:
                raise KeyError(case_id)
            plans = self.db.execute("SELECT count(*) FROM plan_versions WHERE case_id = ?", [case_id]).fetchone()[0]
            self.db.execute("DELETE FROM cases WHERE id = ?", [case_id])
            audit_log.forget_case(self.db, case_id)
            audit_log.record(self.db, now(), who, "erased", detail=f"1 case, {plans} plan versions")
        self.db.execute("INSERT INTO cases_fts(cases_fts) VALUES ('optimize')")
        self.db.conn.commit()
        self.empty_log()
        return found[0]

    def path(self) -> Path | None:
        """The store's file (None in memory)."""
        for _seq, name, file in self.db.execute("PRAGMA database_list").fetchall():
            if name == "main":
                return Path(file) if file else None
        return None

    def empty_log(self) -> bool:
        """Copy the write-ahead log into the store and truncate it to zero bytes. SQLite waits for the
        reads of other connections up to the busy timeout; one that is still reading keeps the log as
        it is (False). True when the -wal is empty or gone (``log_is_empty``)."""
        self.db.conn.commit()
        busy = self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        return not busy and self.log_is_empty()

    def log_is_empty(self) -> bool:
        """Whether the store's -wal holds nothing (no data of any case, erased or not)."""
        path = self.path()
        if path is None:
            return True
        try:
            return path.with_name(path.name + "-wal").stat().st_size == 0
        except FileNotFoundError:
            return True

    def all_rows(self) -> Iterator[CaseRow]:
        """Every case, by reference (for the command line's list)."""
        for values in self.db.execute(f"SELECT {_ROW_COLUMNS} FROM cases ORDER BY reference"):
            yield _row(values)
