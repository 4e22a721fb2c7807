"""A patient's rights over their data (GDPR): everything about one patient in one file, or erased.

``export_patient`` writes one ZIP archive: ``patient.json`` (the case as stored, its status and dates,
the whole change history, the audit entries, the calls logged and each plan version's details), every plan PDF as it
was made, and a README.txt. ``erase_patient`` removes the case, its history, calls and plans from the store
and the e-mail drafts and attachments named after it from the outbox folder.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from db.backups import remove_leftovers
from db.case_calls import calls
from db.case_store import CaseStore
from planning.files import safe_file_name, write_atomic

EXPORT_FORMAT = "careplan-patient-export"
EXPORT_VERSION = 1


@dataclass(frozen=True)
class Exported:
    """What an export wrote: the archive, the case it holds, and how many plan PDFs."""

    path: Path
    reference: str
    plans: int


@dataclass(frozen=True)
class Erased:
    """What an erase removed: the case's reference, its plan versions and the outbox files, and the
    partial files killed backups or restores had left (``leftovers``). ``log_held``: another connection
    was reading, so the write-ahead log (-wal) could not be copied into the store and emptied: the store
    file and its log still hold the patient until every program using the store has closed it (the last
    one to close copies and removes the log)."""

    reference: str
    plans: int
    files: tuple[Path, ...]
    leftovers: tuple[Path, ...] = ()
    log_held: bool = False


def file_stem(reference: str) -> str:
    """A reference as it starts file names (the rule of ``safe_file_name``, which names the drafts)."""
    return safe_file_name(reference, suffix="", fallback="case")


def pdf_name(reference: str, version_id: int, locale: str) -> str:
    """Where a plan version's PDF is kept in the archive: ``plans/<reference>_v<id>_<locale>.pdf``."""
    return f"plans/{file_stem(reference)}_v{version_id}_{file_stem(locale)}.pdf"


def patient_record(store: CaseStore, case_id: int, exported_at: str, who: str) -> dict[str, Any]:
    """Everything the store holds about one case, as plain JSON (``KeyError`` if there is no such case)."""
    stored = store.get(case_id)
    if stored is None:
        raise KeyError(case_id)
    row = stored.row
    versions = store.plan_versions(case_id)
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": exported_at,
        "exported_by": who,
        "reference": row.reference,
        "case": stored.document,
        "status": row.status,
        "follow_up": row.follow_up,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
        "sample": row.sample,
        "history": [
            {"at": h.at, "who": h.who, "field": h.field, "old": h.old, "new": h.new} for h in store.history(case_id)
        ],
        "audit": [
            {"at": e.at, "who": e.who, "action": e.action, "detail": e.detail}
            for e in reversed(store.audit_entries(case_id))
        ],
        "calls": [
            {"at": c.at, "who": c.who, "note": c.note, "outcome": c.outcome, "follow_up": c.follow_up}
            for c in reversed(calls(store, case_id))
        ],
        "plans": [
            {
                "id": v.id,
                "created_at": v.created_at,
                "who": v.who,
                "locale": v.locale,
                "destinations": list(v.destinations),
                "totals": v.totals,
                "pack_version": v.pack_version,
                "sent_at": v.sent_at,
                "file": pdf_name(row.reference, v.id, v.locale),
            }
            for v in reversed(versions)
        ],
    }


def _readme(reference: str, exported_at: str, who: str, plans: int) -> str:
    return (
        f"CarePlan Desk - personal data export for case {reference}\n"
        f"Exported {exported_at} (UTC) by {who}.\n\n"
        "patient.json   the case as stored (patient, clinical details, preferences, coordinator), its\n"
        "               status, follow-up date, when it was created and last changed, the full change\n"
        "               history (who changed which field, from what to what, when), the audit log\n"
        "               entries for the case, the calls logged (when, who, the note, the outcome and the\n"
        "               follow-up date set), and the details of every plan version (date, who made it,\n"
        "               language, destinations, totals, when it was sent).\n"
        f"plans/         the {plans} plan PDF(s) exactly as they were made, one per version:\n"
        "               <reference>_v<version>_<language>.pdf\n\n"
        "The JSON is UTF-8; dates and times are ISO 8601 in UTC.\n"
    )


def export_patient(store: CaseStore, case_id: int, target: Path, who: str) -> Exported:
    """Write everything about one patient to the ZIP file ``target``, whole or not at all.

    The export is recorded in the audit log (``data_exported``) once the file is in place. Raises
    ``KeyError`` for an unknown case and ``OSError`` when the file cannot be written (nothing is left).
    """
    target = Path(target)
    exported_at = datetime.now(UTC).isoformat(timespec="seconds")
    record = patient_record(store, case_id, exported_at, who)
    reference = record["reference"]
    stamp = datetime.now().timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:

        def add(name: str, data: bytes) -> None:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            archive.writestr(info, data)

        add("README.txt", _readme(reference, exported_at, who, len(record["plans"])).encode("utf-8"))
        add("patient.json", (json.dumps(record, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
        for plan in record["plans"]:
            add(plan["file"], store.plan_pdf(plan["id"]))
    write_atomic(target, buffer.getvalue())
    store.audit(who, "data_exported", case_id, f"{len(record['plans'])} plan PDFs")
    return Exported(target, reference, len(record["plans"]))


def outbox_files(outbox: Path | None, reference: str) -> list[Path]:
    """The files in ``outbox`` made for the case: named ``<reference>_...`` or ``<reference>.<ext>``."""
    if outbox is None or not outbox.is_dir():
        return []
    stem = file_stem(reference)
    return sorted(
        path
        for path in outbox.iterdir()
        if path.is_file() and (path.name.startswith(stem + "_") or path.name.startswith(stem + "."))
    )


def erase_patient(store: CaseStore, case_id: int, who: str, outbox: Path | None = None) -> Erased:
    """Erase one patient for good: the case, its history, calls and plans, and their files in ``outbox``.

    The audit log keeps that a case was erased, by whom and when, and its earlier entries without the
    case or its reference. The partial files a killed backup or restore left beside the store are
    removed. Backups, and the stores restores replaced (``cases.sqlite.replaced-*``), still hold the
    patient until they age out (within MAX_AGE_DAYS). Raises ``KeyError`` for an unknown case.
    """
    plans = len(store.plan_versions(case_id))
    reference = store.erase(case_id, who)
    removed = []
    for path in outbox_files(outbox, reference):
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        removed.append(path)
    store_path = store.path()
    leftovers = remove_leftovers(store_path) if store_path is not None else []
    return Erased(reference, plans, tuple(removed), tuple(leftovers), not store.log_is_empty())
