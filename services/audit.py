"""The audit log for both faces: what is recorded for a face's own actions, and the log as a CSV file."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from db.audit_log import CSV_COLUMNS
from db.case_store import CaseStore
from planning.files import write_atomic


def write_audit_csv(store: CaseStore, target: Path, case_id: int | None = None) -> int:
    """The audit log (one case's entries, or all), oldest first, as CSV in UTF-8 with a byte-order mark
    so spreadsheets read it; written whole or not at all. Returns the number of entries."""
    entries = list(reversed(store.audit_entries(case_id)))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    writer.writerows((e.at, e.who, e.action, e.reference or "", e.detail) for e in entries)
    write_atomic(Path(target), ("\ufeff" + buffer.getvalue()).encode("utf-8"))
    return len(entries)
