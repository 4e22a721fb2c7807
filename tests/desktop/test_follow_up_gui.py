"""Following up in the real window (pytest-qt, offscreen): Ctrl+Shift+L logs a call for the open case and
the call shows in its Timeline tab; the follow-ups due today or overdue are announced when the cases open
and counted in the status bar, and both filter the list (today's date injected)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

import desktop.cases.page as page_module
from db.case_store import CaseStore
from db.paths import cases_db_path
from db.vault import CaseVault
from desktop.cases.follow_up import CallDialog
from desktop.shell.main_window import MainWindow
from services.calls import NOTE_MAX
from tests.desktop.conftest import make_window

TODAY = date(2026, 6, 15)
"""The day the tests run on, whatever the computer's clock says."""


class Today(date):
    @classmethod
    def today(cls) -> date:
        return TODAY


@pytest.fixture
def on_today(monkeypatch: pytest.MonkeyPatch) -> None:
    """The Cases page's clock says TODAY (it reads date.today() when it is built)."""
    monkeypatch.setattr(page_module, "date", Today)


def store_with(data_dir: Path, cases: list[tuple[str, date | None, str]]) -> None:
    """A plain case store as the first start sets it up, holding cases (name, follow-up, status)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = cases_db_path(data_dir)
    CaseVault(path).setup(None)
    store: CaseStore = CaseVault(path).open(frozenset({"lbcl"}))
    try:
        for name, follow_up, status in cases:
            case_id = store.create({"patient": {"full_name": name}}, "Desk One").id
            store.set_follow_up(case_id, follow_up, "Desk One")
            store.set_status(case_id, status, "Desk One")
    finally:
        store.close()


def names(window: MainWindow) -> set[str]:
    return {row.full_name for row in window.cases.model.rows}


def test_due_follow_ups_are_announced_counted_and_filtered(qtbot, data_dir: Path, on_today) -> None:
    day = timedelta(days=1)
    store_with(
        data_dir,
        [
            ("Due Yesterday", TODAY - day, "plan_sent"),
            ("Due Today", TODAY, "follow_up"),
            ("Due Tomorrow", TODAY + day, "plan_sent"),
            ("Closed Overdue", TODAY - day, "closed"),
            ("No Date", None, "counseling"),
        ],
    )
    window = make_window(qtbot, data_dir)
    page = window.cases
    follow_ups = page.follow_ups
    notice, status = follow_ups.notice, follow_ups.status_button
    # at start: a notice on the Cases page and the count in the status bar; the list is not filtered yet
    assert notice.isVisible() and notice.text.text() == "2 follow-ups are due today or overdue."
    assert status.isVisible() and status.text() == "2 follow-ups due"
    assert status.parent() is window.statusBar() or window.statusBar().isAncestorOf(status)
    assert len(names(window)) == 5
    qtbot.mouseClick(notice.show_button, Qt.MouseButton.LeftButton)
    assert names(window) == {"Due Yesterday", "Due Today"} and page.due_filter.isChecked()
    assert not notice.isVisible()
    # midnight passes: tomorrow's follow-up is due now, in the status bar and in the filtered list
    page.today = lambda: TODAY + day
    follow_ups.check_day()
    assert status.text() == "3 follow-ups due"
    assert names(window) == {"Due Yesterday", "Due Today", "Due Tomorrow"}
    # from another page, the status bar's count shows the Cases page filtered to the due cases
    page.due_filter.setChecked(False)
    window.nav.setCurrentRow(1)
    qtbot.mouseClick(status, Qt.MouseButton.LeftButton)
    assert window.nav.currentRow() == 0 and window.stack.currentWidget() is page
    assert page.due_filter.isChecked() and len(names(window)) == 3
    # a follow-up moved in the editor: the count follows at once
    due_today = next(row.id for row in page.model.rows if row.full_name == "Due Today")
    page.open_case(due_today)
    edit = page.editor.follow_up.edit
    edit.selectAll()
    qtbot.keyClicks(edit, (TODAY + 10 * day).isoformat())
    assert status.text() == "2 follow-ups due"


def test_nothing_due_shows_no_notice(qtbot, data_dir: Path, on_today) -> None:
    store_with(data_dir, [("Later", TODAY + timedelta(days=3), "plan_sent")])
    window = make_window(qtbot, data_dir)
    assert not window.cases.follow_ups.notice.isVisible()
    assert window.cases.follow_ups.status_button.text() == "No follow-ups due"


def shown_lines(text: str) -> list[str]:
    """The timeline's text as lines, without blank ones and without the bidi isolates around dates."""
    return [line for line in text.replace("\u2068", "").replace("\u2069", "").splitlines() if line.strip()]


def open_dialog(qtbot, window: MainWindow) -> CallDialog:
    """Ctrl+Shift+L typed in the open case's name field, as a coordinator on the phone would."""
    name = window.cases.editor.fields["patient.full_name"].widget
    name.setFocus()
    qtbot.keyClick(name, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: window.cases.follow_ups.dialog is not None and window.cases.follow_ups.dialog.isVisible())
    return window.cases.follow_ups.dialog


def test_ctrl_shift_l_logs_a_call_that_shows_in_the_timeline(qtbot, data_dir: Path, on_today) -> None:
    store_with(data_dir, [])
    window = make_window(qtbot, data_dir)
    page = window.cases
    case = page.new_case()
    qtbot.keyClicks(page.editor.fields["patient.full_name"].widget, "Marisol Quintana")
    dialog = open_dialog(qtbot, window)
    assert "Marisol Quintana" in dialog.windowTitle() + dialog.findChild(type(page.count_label)).text()
    qtbot.keyClicks(dialog.note, "Spoke about costs in EUR.")
    qtbot.keyClick(dialog.note, Qt.Key.Key_Return)
    qtbot.keyClicks(dialog.note, "Sends the <b>PET</b> report by Friday.")
    dialog.outcome.setCurrentIndex(dialog.outcome.findData("reached"))
    qtbot.keyClicks(dialog.follow_up.edit, "2026-06-19")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    # the case's follow-up is the call's, in the header and in the store; the count follows
    assert page.editor.follow_up.value() == "2026-06-19"
    assert page.store.get(case.id).row.follow_up == "2026-06-19"
    assert [e.action for e in page.store.audit_entries(case.id)][:2] == ["edited", "call_logged"]  # the follow-up
    # the Timeline tab, newest first: the call with its note as typed (plain text), then the edits, then creation
    tabs = page.editor.tabs
    tabs.setCurrentWidget(page.follow_ups.timeline)
    lines = shown_lines(page.follow_ups.timeline.text())
    assert lines[0] == "Call logged"
    assert lines[1].endswith(" · Test Coordinator") and "2026" in lines[1]  # when (medium date) and who
    assert lines[2:6] == [
        "Spoke with the patient",
        "Spoke about costs in EUR.",
        "Sends the <b>PET</b> report by Friday.",  # as typed: never read as markup
        "Next follow-up: Jun 19, 2026",
    ]
    assert "Changed Full name" in lines and lines[-2] == "Case created"
    # a second call, from the button in the case's header, shows at once on top
    qtbot.mouseClick(page.follow_ups.header_button, Qt.MouseButton.LeftButton)
    second = page.follow_ups.dialog
    assert second is not dialog and second.isVisible()
    second.outcome.setCurrentIndex(second.outcome.findData("no_answer"))
    qtbot.keyClick(second.note, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # Ctrl+Enter saves
    qtbot.waitUntil(lambda: not second.isVisible())
    lines = shown_lines(page.follow_ups.timeline.text())
    assert lines[0] == "Call logged" and lines[2] == "No answer"


def test_a_call_that_cannot_be_saved_says_why_and_keeps_what_was_typed(qtbot, data_dir: Path, on_today) -> None:
    store_with(data_dir, [])
    window = make_window(qtbot, data_dir)
    page = window.cases
    case = page.new_case()
    dialog = open_dialog(qtbot, window)
    long_note = "x" * (NOTE_MAX + 5)
    dialog.note.setPlainText(long_note)
    assert dialog.problems.isVisible() and f"is {NOTE_MAX + 5:,} characters long" in dialog.problems.text()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.note.toPlainText() == long_note
    assert dialog.problems.text().startswith("Note: ")
    dialog.note.setPlainText("Call back next week")
    qtbot.keyClicks(dialog.follow_up.edit, "2026-06-1")  # not a whole date
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.problems.text() == "Next follow-up: type the date as YYYY-MM-DD"
    dialog.follow_up.set_value("2026-06-01")  # in the past
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.problems.text().startswith("Next follow-up: ")
    assert "already passed" in dialog.problems.text()
    assert not [e for e in page.store.audit_entries(case.id) if e.action == "call_logged"]
    # closed without saving: the draft comes back next time
    dialog.reject()
    again = open_dialog(qtbot, window)
    assert again.note.toPlainText() == "Call back next week" and again.follow_up.value() == "2026-06-01"
    again.reject()
    QApplication.processEvents()


def test_without_an_open_case_the_keys_say_what_to_do(qtbot, data_dir: Path, on_today) -> None:
    store_with(data_dir, [("Somebody", None, "new")])
    window = make_window(qtbot, data_dir)
    page = window.cases
    page.close_case()
    page.search.setFocus()
    qtbot.keyClick(page.search, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert page.follow_ups.dialog is None
    assert page.notice.isVisible() and page.notice.text() == "Open a case to log a call for it."
