"""The audit log for both faces: what is recorded for a face's own actions, and the log as a CSV file."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from db.audit_log import CSV_COLUMNS
from db.case_store import CaseStore
from planning.files import write_atomic

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet read a cell as a formula (or, for tab and carriage return, shift it into one)."""


def csv_cell(text: str) -> str:
    """A cell a spreadsheet shows as text: one that starts like a formula (= + - @, a tab or a carriage
    return) gets a single quote in front, the way spreadsheets mark text typed by hand ("'=1+2"), so a name
    or detail such as "=HYPERLINK(...)" is never run when the file is opened. Anything else is unchanged."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def write_audit_csv(store: CaseStore, target: Path, case_id: int | None = None) -> int:
    """The audit log (one case's entries, or all), oldest first, as CSV in UTF-8 with a byte-order mark
    so spreadsheets read it; written whole or not at all. Returns the number of entries.

    Every cell goes through :func:`csv_cell`: a text starting like a formula is prefixed with a single
    quote (what is stored is unchanged; only the file is)."""
    entries = list(reversed(store.audit_entries(case_id)))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    writer.writerows([csv_cell(cell) for cell in (e.at, e.who, e.action, e.reference or "", e.detail)] for e in entries)
    write_atomic(Path(target), ("\ufeff" + buffer.getvalue()).encode("utf-8"))
    return len(entries)
