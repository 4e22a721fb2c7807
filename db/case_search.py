"""Finding cases from the global search box: by name, reference, phone number, e-mail address or notes, best first.

Three cheap lookups, each on an index, gather a few candidates: the reference as typed (its unique index),
names beginning with the query (the name index) and the cases the full-text index finds for every word as a
prefix (newest first, at most a few dozen). Only those candidates are read and ranked, so a keystroke costs
the same at 100,000 cases as at 100. The ranking, best first: the exact reference; the exact phone number or
e-mail address; a name that begins with the query; every word at the start of a word of the name; then a
match in the phone number, the e-mail address, the reference or the notes. Ties: the case updated last first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from db.case_store import _ROW_COLUMNS, _WORD, CaseRow, CaseStore, _row, name_key, search_words
from db.contact_words import phone_words
from db.faults import database_errors

EXACT_REFERENCE, EXACT_CONTACT, NAME_START, NAME_WORDS, OTHER = range(5)
"""Ranks of a case hit, best first (OTHER: found by its phone, e-mail, reference or notes)."""

MATCHED_FIELDS = ("reference", "name", "phone", "email", "notes")
"""What a hit can be found by, in the order it is told when several fields match."""

_DIGITS = re.compile(r"\d")


@dataclass(frozen=True)
class CaseHit:
    """A case the global search found: its list row, how well it matched (``rank``, lower is better) and
    by which field (``matched``: one of MATCHED_FIELDS); ``detail`` is the phone number or e-mail address
    that matched, as typed in the case ("" for the other fields)."""

    row: CaseRow
    rank: int
    matched: str
    detail: str = ""


def _words(text: str) -> list[str]:
    return search_words(text).split()


def _covers(field_words: list[str], query_words: list[str]) -> bool:
    """Every query word begins a word of the field (how the full-text index matches)."""
    return all(any(w.startswith(q) for w in field_words) for q in query_words)


def _found(field_words: list[str], query_words: list[str]) -> int:
    """How many of the query's words begin a word of the field."""
    return sum(any(w.startswith(q) for w in field_words) for q in query_words)


def search_cases(store: CaseStore, query: str, limit: int = 8) -> list[CaseHit]:
    """Up to ``limit`` cases matching ``query``, best first (see the module's description). Only the words
    of the query count (as the case list's search), never full-text syntax."""
    words = _WORD.findall(name_key(query))
    if not words or limit < 1:
        return []
    db = store.db
    typed = query.strip()
    candidates: dict[int, None] = {}
    for (case_id,) in db.execute("SELECT id FROM cases WHERE reference IN (?, ?)", [typed, typed.upper()]).fetchall():
        candidates[case_id] = None
    key = " ".join(name_key(query).split())
    for (case_id,) in db.execute(
        "SELECT id FROM cases WHERE name_key >= ? AND name_key < ? ORDER BY name_key, id LIMIT ?",
        [key, key + "\U0010ffff", limit],
    ).fetchall():
        candidates[case_id] = None
    match = " ".join('"' + w.replace('"', '""') + '"*' for w in words)
    for (case_id,) in db.execute(
        "SELECT rowid FROM cases_fts WHERE cases_fts MATCH ? ORDER BY rowid DESC LIMIT ?", [match, limit * 4]
    ).fetchall():
        candidates[case_id] = None
    if not candidates:
        return []
    marks = ",".join("?" for _ in candidates)
    rows = db.execute(
        f"SELECT {_ROW_COLUMNS}, name_key, notes, json_extract(document, '$.patient.phone'), "
        f"json_extract(document, '$.patient.email') FROM cases WHERE id IN ({marks})",
        list(candidates),
    ).fetchall()
    digits = "".join(_DIGITS.findall(typed))
    hits = [_ranked(values, typed, key, words, digits) for values in rows]
    hits.sort(key=lambda hit: (hit.row.updated_at, hit.row.id), reverse=True)
    hits.sort(key=lambda hit: hit.rank)  # stable: the case updated last first within a rank
    return hits[:limit]


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _ranked(values: tuple, typed: str, key: str, words: list[str], digits: str) -> CaseHit:
    """A candidate's rank and the field it was found by. Cheap first: the exact reference, phone and e-mail,
    then the name (already folded in its column); the other fields are folded only when they must be."""
    row = _row(values)
    name, notes = values[11], values[12]
    phone, email = _text(values[13]), _text(values[14])
    if row.reference.casefold() == typed.casefold():
        return CaseHit(row, EXACT_REFERENCE, "reference")
    if email and email.casefold() == typed.casefold():
        return CaseHit(row, EXACT_CONTACT, "email", email)
    phone_digits = "".join(_DIGITS.findall(phone))
    if phone_digits and len(digits) >= 6 and phone_digits.lstrip("0").endswith(digits.lstrip("0")):
        return CaseHit(row, EXACT_CONTACT, "phone", phone)
    if key and name.startswith(key):
        return CaseHit(row, NAME_START, "name")
    if _covers(_WORD.findall(name), words):
        return CaseHit(row, NAME_WORDS, "name")
    fields = {
        "reference": lambda: _words(row.reference),
        "name": lambda: _WORD.findall(name),
        "phone": lambda: _words(" ".join([phone, *phone_words(phone)])) if phone else [],
        "email": lambda: _words(email) if email else [],
        "notes": lambda: _words(notes) if notes else [],
    }
    # the field that has most of the query's words (the first of MATCHED_FIELDS on a tie); one that has
    # them all ends the look
    best, most = "notes", -1
    for field in MATCHED_FIELDS:
        found = _found(fields[field](), words)
        if found > most:
            best, most = field, found
        if found == len(words):
            break
    detail = phone if best == "phone" else email if best == "email" else ""
    return CaseHit(row, OTHER, best, detail)


def is_connected(store: CaseStore) -> bool:
    """Whether the store has its connection (it has none while released for re-encryption)."""
    try:
        store.db.conn.total_changes  # noqa: B018 - raises on a closed connection
    except database_errors():
        return False
    return True
