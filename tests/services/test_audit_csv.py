"""The audit log as a CSV file, the one writer both faces use: a byte-order mark for spreadsheets, quoting
that survives commas, quotes and newlines, written whole or not at all."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from db.audit_log import CSV_COLUMNS
from db.case_store import CaseStore
from planning.case import empty_document
from services.audit import write_audit_csv

CODES = {"lbcl", "mm", "b_all"}


@pytest.fixture
def store(tmp_path: Path):
    opened = CaseStore.open(tmp_path / "cases.sqlite", CODES)
    yield opened
    opened.close()


def new_case(store: CaseStore, who: str = "Desk One") -> int:
    document = empty_document()
    document["patient"]["full_name"] = "Csv Tester"
    return store.create(document, who).id


def test_one_cases_entries_only(store: CaseStore, tmp_path: Path) -> None:
    first, second = new_case(store), new_case(store)
    store.audit("Desk One", "exported", second, "case file")
    assert write_audit_csv(store, tmp_path / "one.csv", first) == 1
    rows = list(csv.reader(io.StringIO((tmp_path / "one.csv").read_text("utf-8-sig"), newline="")))
    assert [row[2] for row in rows[1:]] == ["created"]


def test_a_failed_write_leaves_nothing(store: CaseStore, tmp_path: Path) -> None:
    new_case(store)
    with pytest.raises(OSError):
        write_audit_csv(store, tmp_path / "missing" / "audit.csv")
    assert not (tmp_path / "missing").exists()


def test_csv_round_trip(store: CaseStore, tmp_path: Path) -> None:
    first = new_case(store)
    new_case(store, who='Coordinator, "Quoted"\nNewline')
    store.audit("Dörte Ünal", "exported", first, "case.json")
    target = tmp_path / "audit.csv"
    assert write_audit_csv(store, target) == 3
    raw = target.read_bytes()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert tuple(rows[0]) == CSV_COLUMNS
    expected = [[e.at, e.who, e.action, e.reference or "", e.detail] for e in reversed(store.audit_entries())]
    assert rows[1:] == expected
    assert rows[2][1] == 'Coordinator, "Quoted"\nNewline' and rows[3][1] == "Dörte Ünal"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_csv_of_an_empty_log_has_only_the_header(tmp_path: Path) -> None:
    store = CaseStore.open(tmp_path / "cases.sqlite", CODES)
    assert write_audit_csv(store, tmp_path / "a.csv") == 0
    assert (tmp_path / "a.csv").read_text("utf-8-sig").splitlines() == [",".join(CSV_COLUMNS)]
    store.close()


@pytest.mark.parametrize("who", ['=HYPERLINK("http://x","click")', "+1+2", "-2+3", "@SUM(A1)", "\t=1+2", "\r=1+2"])
def test_a_cell_that_starts_like_a_formula_is_text_in_the_file(store: CaseStore, tmp_path: Path, who: str) -> None:
    """A spreadsheet runs "=...", "+...", "-..." and "@..." as formulas: the file has them with a single quote
    in front (as typed-in text), the log itself keeps what was recorded."""
    case_id = new_case(store, who=who)
    store.audit("Desk One", "exported", case_id, "=cmd|' /C calc'!A0")
    target = tmp_path / "audit.csv"
    write_audit_csv(store, target)
    rows = list(csv.reader(io.StringIO(target.read_bytes().decode("utf-8-sig"), newline="")))
    assert rows[1][1] == "'" + who
    assert rows[2][4] == "'=cmd|' /C calc'!A0"
    assert {e.who for e in store.audit_entries()} == {who, "Desk One"}  # stored unchanged
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row)


def test_csv_cell_leaves_ordinary_text_alone() -> None:
    from services.audit import csv_cell

    for text in ("Desk One", "2026-11-26T10:00:00+00:00", "CP-2026-00001", "", "a=b", "patient.email, notes"):
        assert csv_cell(text) == text
