"""Opening another case leaves nothing of the previous one: no text of it in the window, one row selected,
every form at its top; and "Mark as sent…" never pushes a sooner follow-up later."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QScrollArea

from desktop.plan.sent_confirmation import medium_date
from desktop.shared.status_label import StatusLabel
from desktop.shell.main_window import PAGES, MainWindow
from planning.follow_up import FOLLOW_UP_DAYS, SentFollowUp, follow_up_when_sent
from tests.desktop.test_plan_gui import answer, generate

WHO = "Test Coordinator"


def add_case(window: MainWindow, name: str, email: str | None = None) -> int:
    document = {
        "format": "careplan-case",
        "version": 2,
        "patient": {"full_name": name, "email": email, "language": "en"},
        "clinical": {"indication": "lbcl"},
    }
    case_id = window.cases_store.create(document, WHO).id
    window.cases.apply_filters()
    return case_id


def selected_ids(window: MainWindow) -> list[int]:
    table = window.cases.table
    return [index.data(Qt.ItemDataRole.UserRole) for index in table.selectionModel().selectedRows()]


def painted_selected(window: MainWindow, case_ids: list[int]) -> list[int]:
    """The cases whose list row is painted in the highlight colour on the window's screen now."""
    page = window.cases
    shot = window.screen().grabWindow(window.winId()).toImage()  # what was painted, not a fresh render
    highlight = page.table.palette().color(page.table.palette().ColorRole.Highlight).name()
    painted = []
    for case_id in case_ids:
        rect = page.table.visualRect(page.model.index(page.model.row_of(case_id), 0))
        point = page.table.viewport().mapTo(window, rect.center())
        point.setX(point.x() + 40)  # in the row's background beside the name, not on its text
        if shot.pixelColor(point).name() == highlight:
            painted.append(case_id)
    return painted


def test_a_case_opened_from_the_global_search_is_the_only_one_selected(window: MainWindow, qtbot) -> None:
    ids = [add_case(window, f"Person {n:02d}") for n in range(12)]
    page = window.cases
    page.table.selectRow(page.model.row_of(ids[3]))
    qtbot.wait(50)
    assert page.editor.case is not None and page.editor.case.id == ids[3]
    assert painted_selected(window, ids) == [ids[3]]
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(window.search, "Person 08")
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    qtbot.wait(100)
    assert window.nav.currentRow() == PAGES.index("cases")
    assert page.editor.case is not None and page.editor.case.id == ids[8]
    rows = page.table.selectionModel().selectedRows()
    assert [index.row() for index in rows] == [page.model.row_of(ids[8])]
    assert page.table.selectionModel().currentIndex().row() == page.model.row_of(ids[8])
    assert painted_selected(window, ids) == [ids[8]]  # the row of the case left is no longer highlighted


def visible_texts(window: MainWindow) -> str:
    """Every text the window shows now: its visible labels (their whole text, also where elided), the status
    bar's message and the titles of the windows shown."""
    texts = [window.statusBar().currentMessage()]
    for label in window.findChildren(QLabel):
        if label.isVisible():
            texts.append(label.toolTip() if isinstance(label, StatusLabel) else "")
            texts.append(label.text())
    texts += [w.windowTitle() for w in QApplication.topLevelWidgets() if w.isVisible()]
    return "\n".join(texts)


def test_nothing_of_the_case_left_shows_on_the_case_opened(
    window: MainWindow, qtbot, tmp_path: Path, monkeypatch
) -> None:
    page = window.cases
    first = add_case(window, "Ahmed Zaher", "ahmed.zaher@@example.cn")
    second = add_case(window, "Bruno Costa", "bruno@example.pt")
    reference = window.cases_store.get(first).reference
    traces = ("Ahmed", "Zaher", "ahmed.zaher", reference)

    def left_over() -> list[str]:
        shown = visible_texts(window)
        return [trace for trace in traces if trace in shown]

    page.open_case(first)
    page.editor.tabs.setCurrentIndex(page.editor.plan_tab)
    generate(window, qtbot, "en")
    panel = page.plan_panel
    panel.save_to(tmp_path / panel.file_name())
    assert "Ahmed" in panel.state.text()
    page.table.selectRow(page.model.row_of(second))  # as the coordinator clicks the other case
    assert page.editor.case is not None and page.editor.case.id == second
    assert left_over() == []

    page.open_case(first)
    page.editor.tabs.setCurrentIndex(page.editor.plan_tab)
    answer("noRecipient", "Correct the Patient e-mail")
    assert panel.email() is None
    assert "ahmed.zaher@@example.cn" in panel.state.text()
    name = page.editor.fields["patient.full_name"]
    name.widget.setFocus()
    qtbot.keyClicks(name.widget, " Jr")
    page.editor.undo_stack.undo()  # "Undone: Full name (was “Ahmed Zaher Jr”)" in the status bar
    assert "Ahmed" in window.statusBar().currentMessage()
    page.show_notice(f"Call checklist saved: {reference}")
    assert left_over()
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(window.search, "Bruno")
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    assert page.editor.case is not None and page.editor.case.id == second
    assert left_over() == []
    assert panel.state.text() == ""

    page.open_case(first)
    panel.save_to(tmp_path / panel.file_name())
    page.close_case()
    assert left_over() == []


def test_mark_as_sent_keeps_a_sooner_follow_up_and_says_which_date_is_set(window: MainWindow, qtbot) -> None:
    page, panel, store = window.cases, window.cases.plan_panel, window.cases_store
    today = date.today()
    case_id = add_case(window, "Carla Mendes", "carla@example.pt")
    page.open_case(case_id)
    page._follow_up_changed(case_id, today)  # as a call logged a moment ago sets it: call back today
    generate(window, qtbot, "en")
    seen: list[str] = []
    answer("confirmSent", "Yes, it was sent", seen)
    panel.sent_button.click()
    assert "stays on" in seen[0] and medium_date(today) in seen[0]
    assert store.get(case_id).row.follow_up == today.isoformat()  # not pushed 14 days later
    assert page.editor.follow_up.value() == today.isoformat()
    assert medium_date(today) in panel.state.text()

    # a follow-up already past gives way to the usual one, and the question says which it replaces
    yesterday, usual = today - timedelta(days=1), today + timedelta(days=FOLLOW_UP_DAYS)
    page._follow_up_changed(case_id, yesterday)
    generate(window, qtbot, "en")
    seen.clear()
    answer("confirmSent", "Yes, it was sent", seen)
    panel.sent_button.click()
    assert medium_date(usual) in seen[0] and "replacing" in seen[0] and medium_date(yesterday) in seen[0]
    assert store.get(case_id).row.follow_up == usual.isoformat()


def test_the_follow_up_when_sent_is_the_sooner_one() -> None:
    today = date(2026, 12, 3)
    usual = date(2026, 12, 17)
    assert follow_up_when_sent(None, today) == SentFollowUp(usual, kept=False, replaced=None)
    assert follow_up_when_sent("2026-12-03", today) == SentFollowUp(today, kept=True, replaced=None)
    assert follow_up_when_sent(date(2026, 12, 10), today) == SentFollowUp(date(2026, 12, 10), True, None)
    assert follow_up_when_sent("2026-12-17", today) == SentFollowUp(usual, kept=False, replaced=None)
    assert follow_up_when_sent("2026-12-02", today) == SentFollowUp(usual, False, date(2026, 12, 2))
    assert follow_up_when_sent("2027-01-20", today) == SentFollowUp(usual, False, date(2027, 1, 20))
    assert follow_up_when_sent("not a date", today) == SentFollowUp(usual, kept=False, replaced=None)


def test_the_next_case_opens_with_every_form_at_its_top(window: MainWindow, qtbot) -> None:
    page = window.cases
    first = add_case(window, "Dana Weiss")
    second = add_case(window, "Emil Novak")
    page.open_case(first)
    tabs = page.editor.tabs
    clinical = next(i for i in range(tabs.count()) if tabs.tabText(i).replace("&", "") == "Clinical")
    tabs.setCurrentIndex(clinical)
    area = tabs.widget(clinical)
    assert isinstance(area, QScrollArea)
    qtbot.waitUntil(lambda: area.verticalScrollBar().maximum() > 0)  # at 1366x768 the Clinical tab scrolls
    area.verticalScrollBar().setValue(area.verticalScrollBar().maximum())
    others = [tabs.widget(i) for i in range(tabs.count()) if isinstance(tabs.widget(i), QScrollArea)]
    for other in others:
        other.verticalScrollBar().setValue(other.verticalScrollBar().maximum())
    page.table.selectRow(page.model.row_of(second))
    assert page.editor.case is not None and page.editor.case.id == second
    assert [other.verticalScrollBar().value() for other in others] == [0] * len(others)
    area.verticalScrollBar().setValue(area.verticalScrollBar().maximum())
    page.new_case()
    assert area.verticalScrollBar().value() == 0


def test_a_plan_finished_after_its_case_was_left_is_kept_but_not_shown_on_the_next(window: MainWindow, qtbot) -> None:
    page, panel, store = window.cases, window.cases.plan_panel, window.cases_store
    first = add_case(window, "Farah Nasser", "farah@example.jo")
    second = add_case(window, "Gustav Lind", "gustav@example.se")
    page.open_case(first)
    panel.generate_button.click()
    assert panel.busy
    page.open_case(second)  # the coordinator moves on while the plan is made
    qtbot.waitUntil(lambda: not panel.busy, timeout=60000)
    assert len(store.plan_versions(first)) == 1  # the plan of the case left is kept in it
    assert panel.case_id == second and panel.versions.count() == 0 and panel.version is None
    assert panel.state.text() == ""  # "Plan ready…" belongs to the case left
    assert not panel.save_button.isEnabled() and not panel.sent_button.isEnabled()


def test_a_checklist_finished_after_its_case_was_left_is_saved_but_not_named_on_the_next(
    window: MainWindow, qtbot, tmp_path: Path
) -> None:
    page = window.cases
    first = add_case(window, "Hana Sato", "hana@example.jp")
    second = add_case(window, "Ivo Horvat", "ivo@example.hr")
    reference = window.cases_store.get(first).reference
    target = tmp_path / f"{reference}_Hana_Sato_checklist.pdf"
    page.open_case(first)
    page.call_checklist.choose_target = lambda _parent, _suggested: target
    page.call_checklist.start(locale="en")
    assert page.call_checklist.busy
    page.open_case(second)
    qtbot.waitUntil(lambda: not page.call_checklist.busy, timeout=30000)
    assert target.exists()
    shown = visible_texts(window)
    assert "Hana" not in shown and reference not in shown
