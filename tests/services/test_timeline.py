"""The case timeline and logging a call, as both faces use them, on a real SQLite store: newest first,
fields by their labels and dates in the interface's locale, calls with their notes, plans made and sent."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from babel.dates import format_date

from db.case_store import CaseStore
from planning.case import CaseError
from planning.i18n import set_locale
from services.calls import NOTE_MAX, log_call
from services.timeline import CALL, CHANGED, CREATED, FOLLOW_UP, PLAN, PLAN_SENT, STATUS, case_timeline

WHO = "Desk One"
TODAY = date(2026, 12, 3)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[CaseStore]:
    store = CaseStore.open(tmp_path / "cases.sqlite", {"lbcl"})
    yield store
    store.close()
    set_locale("en")


def stamp(store: CaseStore, table: str, row_id: int, at: str, column: str = "at") -> None:
    """Move a stored moment (the store stamps with the clock; a test needs moments apart)."""
    store.db.execute(f"UPDATE {table} SET {column} = ? WHERE id = ?", [at, row_id])
    store.db.conn.commit()


def bare(text: str) -> str:
    """A text without the bidi isolates around its dates and names (they keep their order in Arabic)."""
    return text.replace("\u2068", "").replace("\u2069", "")


def worked_case(store: CaseStore) -> int:
    """A case with a day of work: created, edited, a call, a plan made and sent."""
    case_id = store.create({"patient": {"full_name": "Ana"}}, WHO).id
    patient = {"full_name": "Ana Ruiz", "phone": "+34 600"}
    store.save_document(case_id, {"patient": patient}, WHO)
    store.save_document(case_id, {"patient": patient, "clinical": {"diagnosis_text": "DLBCL"}}, WHO)
    note = "Asked about costs.\nSends the PET report."
    log_call(store, case_id, "Desk Two", note, "reached", date(2026, 12, 10), TODAY)
    version = store.add_plan_version(case_id, WHO, "es", ["CN"], {}, "1", {}, {}, b"%PDF")
    store.mark_sent(version.id, "Desk Three", date(2026, 12, 20))
    return case_id


def test_the_timeline_is_newest_first_and_tells_every_kind(store: CaseStore) -> None:
    case_id = worked_case(store)
    entries = case_timeline(store, case_id)
    assert [e.at for e in entries] == sorted((e.at for e in entries), reverse=True)
    kinds = [e.kind for e in entries]
    assert kinds[-1] == CREATED and entries[-1].title == "Case created"
    # the sent plan's status and follow-up come last of all (newest), the first edits just after creation
    assert kinds == [FOLLOW_UP, STATUS, PLAN_SENT, PLAN, CALL, CHANGED, CREATED]
    follow, status, sent, made, call, changed, _created = entries
    assert follow.title == "Follow-up set for \u2068Dec 20, 2026\u2069"  # the date keeps its order in Arabic
    assert follow.detail == "was \u2068Dec 10, 2026\u2069"
    assert bare(status.title) == "Status changed to Plan sent" and status.who == "Desk Three"
    assert sent.title == "Plan version 1 sent" and sent.who == "Desk Three"
    assert bare(made.title) == "Plan version 1 made in Spanish" and made.who == WHO
    assert call.who == "Desk Two" and call.title == "Call logged"
    assert bare(call.detail).splitlines() == [
        "Spoke with the patient",
        "Asked about costs.",
        "Sends the PET report.",
        "Next follow-up: Dec 10, 2026",
    ]
    # the edits of one sitting are one entry naming the fields by their labels, never their paths
    assert changed.title == "Changed 3 fields"
    assert changed.detail == "Full name, Phone, Diagnosis as reported"
    assert all("patient." not in e.detail and "clinical." not in e.detail for e in entries)


def test_a_call_s_own_follow_up_is_told_once_with_the_call(store: CaseStore) -> None:
    case_id = store.create({}, WHO).id
    log_call(store, case_id, WHO, "Call back next week", None, date(2026, 12, 9), TODAY)
    store.set_follow_up(case_id, date(2026, 12, 11), WHO)  # changed later in the editor: told
    entries = case_timeline(store, case_id)
    assert [e.kind for e in entries] == [FOLLOW_UP, CALL, CREATED]
    assert bare(entries[0].title) == "Follow-up set for Dec 11, 2026"


def test_edits_apart_or_by_someone_else_are_separate_entries(store: CaseStore) -> None:
    case_id = store.create({}, WHO).id
    store.save_document(case_id, {"patient": {"full_name": "Ana"}}, WHO)
    store.save_document(case_id, {"patient": {"full_name": "Ana", "phone": "1"}}, WHO)
    store.save_document(case_id, {"patient": {"full_name": "Ana", "phone": "1", "email": "a@b.es"}}, "Other")
    rows = store.db.execute("SELECT id FROM case_history WHERE field != 'case' ORDER BY id").fetchall()
    stamp(store, "case_history", rows[0][0], "2026-12-01T09:00:00.000000+00:00")
    stamp(store, "case_history", rows[1][0], "2026-12-01T11:00:00.000000+00:00")  # two hours later
    stamp(store, "case_history", rows[2][0], "2026-12-01T11:01:00.000000+00:00")
    created = store.db.execute("SELECT id FROM case_history WHERE field = 'case'").fetchone()[0]
    stamp(store, "case_history", created, "2026-12-01T08:00:00.000000+00:00")
    entries = case_timeline(store, case_id)
    assert [(e.kind, e.title, e.who) for e in entries] == [
        (CHANGED, "Changed E-mail", "Other"),
        (CHANGED, "Changed Phone", WHO),
        (CHANGED, "Changed Full name", WHO),
        (CREATED, "Case created", WHO),
    ]


def test_labels_and_dates_follow_the_interface_locale(store: CaseStore) -> None:
    case_id = worked_case(store)
    set_locale("es")
    entries = case_timeline(store, case_id)
    changed = next(e for e in entries if e.kind == CHANGED)
    assert changed.detail == "Nombre completo, Teléfono, Diagnóstico según lo indicado"
    assert next(e for e in entries if e.kind == CREATED).title == "Caso creado"
    call = next(e for e in entries if e.kind == CALL)
    assert "\u2068" + format_date(date(2026, 12, 10), "medium", locale="es") + "\u2069" in call.detail  # 10 dic 2026
    assert "dic 2026" in call.detail and "Dec" not in call.detail
    made = next(e for e in entries if e.kind == PLAN)
    assert "español" in made.title
    status = next(e for e in entries if e.kind == STATUS)
    assert "Plan enviado" in status.title  # the status in the case list's words
    assert all("Dec" not in e.when for e in entries)


def test_an_unknown_case_has_no_timeline(store: CaseStore) -> None:
    with pytest.raises(KeyError):
        case_timeline(store, 404)


def test_a_call_is_refused_whole_naming_the_field(store: CaseStore) -> None:
    case_id = store.create({}, WHO).id
    cases = [
        ("x" * (NOTE_MAX + 1), None, None, "note", f"is {NOTE_MAX + 1:,} characters long"),
        ("   \n ", None, None, "note", "or choose an outcome"),
        ("fine", "shouted", None, "outcome", "must be one of"),
        ("fine", None, date(2026, 12, 2), "follow_up", "has already passed"),
    ]
    for note, outcome, follow_up, field, words in cases:
        with pytest.raises(CaseError) as raised:
            log_call(store, case_id, WHO, note, outcome, follow_up, TODAY)
        assert [p.field for p in raised.value.problems] == [field]
        assert words in raised.value.problems[0].localized()
    assert case_timeline(store, case_id)[0].kind == CREATED  # nothing stored
    assert store.get(case_id).row.follow_up is None


def test_a_note_is_stored_as_plain_text(store: CaseStore) -> None:
    case_id = store.create({}, WHO).id
    log_call(store, case_id, WHO, "  line one\r\nline\x1b[31m two\x00  ", "no_answer", None, TODAY)
    log_call(store, case_id, WHO, "", "left_message", TODAY, TODAY)  # an outcome alone is a call; today is fine
    calls = [e for e in case_timeline(store, case_id) if e.kind == CALL]
    assert calls[1].detail == "No answer\nline one\nline[31m two"
    assert calls[0].detail.startswith("Left a message\nNext follow-up: \u2068")
    assert store.get(case_id).row.follow_up == TODAY.isoformat()


def test_edits_before_and_after_a_plan_are_told_on_each_side_of_it(store: CaseStore) -> None:
    """Typing, a plan, more typing within minutes: the plan is not buried under one run of all the edits."""
    case_id = store.create({}, WHO).id
    store.save_document(case_id, {"patient": {"full_name": "Ana"}}, WHO)
    version = store.add_plan_version(case_id, WHO, "es", ["CN"], {}, "1", {}, {}, b"%PDF")
    store.save_document(case_id, {"patient": {"full_name": "Ana", "phone": "600"}}, WHO)
    created = store.db.execute("SELECT id FROM case_history WHERE field = 'case'").fetchone()[0]
    stamp(store, "case_history", created, "2026-12-01T09:00:00.000000+00:00")
    rows = store.db.execute("SELECT id FROM case_history WHERE field LIKE 'patient.%' ORDER BY id").fetchall()
    stamp(store, "case_history", rows[0][0], "2026-12-01T09:01:00.000000+00:00")
    stamp(store, "plan_versions", version.id, "2026-12-01T09:02:00.000000+00:00", column="created_at")
    stamp(store, "case_history", rows[1][0], "2026-12-01T09:03:00.000000+00:00")  # one sitting, a plan between
    entries = case_timeline(store, case_id)
    assert [(e.kind, bare(e.title)) for e in entries] == [
        (CHANGED, "Changed Phone"),
        (PLAN, "Plan version 1 made in Spanish"),
        (CHANGED, "Changed Full name"),
        (CREATED, "Case created"),
    ]
