"""The Plan tab follows the case it shows: the patient's language as it is typed, the patient's e-mail
before a draft is made, the case's status once a plan is confirmed sent; and its messages never move
the rest of the window."""

from __future__ import annotations

import email
import email.policy
import io
from datetime import date, timedelta
from pathlib import Path

from pypdf import PdfReader

from desktop.cases.model import STATUS
from desktop.plan.panel import FOLLOW_UP_DAYS
from desktop.shell.main_window import MainWindow
from tests.desktop.test_plan_gui import answer, generate, open_sample


def choose(qtbot, combo, name: str) -> None:
    """Pick ``name`` from a closed list box with the keyboard, as the coordinator would."""
    combo.setFocus()
    qtbot.keyClicks(combo, name)
    assert combo.currentText() == name


def plan_text(window: MainWindow) -> str:
    panel = window.cases.plan_panel
    reader = PdfReader(io.BytesIO(window.cases_store.plan_pdf(panel.version.id)))
    return "".join(page.extract_text() for page in reader.pages)


# --- 1. the plan's language is the patient's, as typed ---------------------------------------------


def test_the_plan_follows_the_patients_language_typed_in_the_same_sitting(window: MainWindow, qtbot) -> None:
    """The review's case: a patient set to Spanish in this sitting got an English plan."""
    window.cases.new_case()
    editor, panel = window.cases.editor, window.cases.plan_panel
    qtbot.keyClicks(editor.fields["patient.full_name"].widget, "Lucia Prueba")
    assert panel.language.currentData() == "en"  # no language known yet
    choose(qtbot, editor.fields["patient.language"].widget, "Spanish")
    assert editor.has_pending()  # not saved yet: the Plan tab follows what is typed
    assert panel.language.currentData() == "es"
    editor.tabs.setCurrentIndex(editor.plan_tab)
    generate(window, qtbot)
    assert panel.version.locale == "es"
    assert window.cases_store.get(panel.case_id).document["patient"]["language"] == "es"
    assert "Plan de tratamiento".casefold() in plan_text(window).casefold()


def test_a_language_picked_for_the_plan_holds_until_the_patients_language_changes(window: MainWindow, qtbot) -> None:
    open_sample(window, "Anna")  # German
    editor, panel = window.cases.editor, window.cases.plan_panel
    patient_language = editor.fields["patient.language"].widget
    assert panel.language.currentData() == "de"

    choose(qtbot, panel.language, "English")  # picked here, on purpose: the later choice
    assert panel.picked
    editor.flush()
    window.cases.open_case(panel.case_id)  # the same case shown again (e.g. from the search)
    assert panel.language.currentData() == "en"
    generate(window, qtbot)
    assert panel.version.locale == "en"

    choose(qtbot, patient_language, "Russian")  # the patient's language changed after the pick: it wins
    assert panel.language.currentData() == "ru" and not panel.picked
    editor.undo_stack.undo()  # and undoing it is a change of the patient's language too
    assert editor.fields["patient.language"].value() == "de"
    assert panel.language.currentData() == "de"

    panel.language.setCurrentIndex(panel.language.findData("ar"))  # picked here again
    assert panel.picked
    other = next(r for r in window.cases.model.rows if "Lucia" in r.full_name)
    window.cases.open_case(other.id)  # a pick is for the case it was made for
    assert panel.language.currentData() == "es" and not panel.picked


def test_generate_uses_the_typed_language_even_without_a_signal(window: MainWindow, qtbot) -> None:
    """Belt and braces: the plan is made in the patient's language as the form holds it when it is made."""
    open_sample(window, "Anna")
    editor, panel = window.cases.editor, window.cases.plan_panel
    editor.fields["patient.language"].set_value("es")  # set without an edit signal (as a loaded value)
    assert panel.language.currentData() == "de"
    generate(window, qtbot)
    assert panel.version.locale == "es" and panel.language.currentData() == "es"


# --- 2. and 4. a draft is a draft; "sent" only when confirmed, and the header says so ------------------


def test_the_plan_counts_as_sent_only_once_the_coordinator_confirms_it(window: MainWindow, qtbot) -> None:
    open_sample(window, "Anna")
    page, panel, store = window.cases, window.cases.plan_panel, window.cases_store
    case_id = panel.case_id
    generate(window, qtbot)
    version = panel.version
    panel.opener = lambda path: None
    assert panel.sent_button.isEnabled()  # any unsent version can be confirmed, also a draft of yesterday
    panel.mail_button.click()
    assert store.plan_versions(case_id)[0].sent_at is None and store.get(case_id).row.status == "new"
    assert page.editor.status.value() == "new"

    seen: list[str] = []
    answer("confirmSent", "Not yet", seen)
    panel.sent_button.click()
    assert "sent to the patient" in seen[0] and "Plan sent" in seen[0]
    assert store.plan_versions(case_id)[0].sent_at is None and store.get(case_id).row.status == "new"
    assert "emailed" not in [e.action for e in store.audit_entries(case_id)]

    follow_up = date.today() + timedelta(days=FOLLOW_UP_DAYS)
    answer("confirmSent", "Yes, it was sent")
    panel.sent_button.click()
    stored = store.get(case_id)
    assert store.plan_versions(case_id)[0].sent_at
    assert stored.row.status == "plan_sent" and stored.row.follow_up == follow_up.isoformat()
    sent = [e for e in store.audit_entries(case_id) if e.action == "emailed"]
    assert [(e.detail, e.who) for e in sent] == [(f"version {version.id}", "Test Coordinator")]
    # the header and the list show it at once
    assert page.editor.status.value() == "plan_sent"
    assert page.editor.status.widget.currentText() == "Plan sent"
    assert page.editor.follow_up.value() == follow_up.isoformat()
    row = page.model.row_of(case_id)
    assert page.model.index(row, STATUS).data() == "Plan sent"
    # the version says so, stays shown, and is not sent twice
    assert panel.version.id == version.id and panel.version.sent_at
    assert "sent" in panel.versions.currentItem().text()
    assert not panel.sent_button.isEnabled()
    assert "marked as sent" in panel.state.text()


# --- 3. an empty or invalid To: is named before anything is written --------------------------------


def test_an_empty_patient_email_is_named_before_the_draft(window: MainWindow, qtbot) -> None:
    open_sample(window, "Dmitri")  # no e-mail in the case
    page, panel = window.cases, window.cases.plan_panel
    generate(window, qtbot)
    opened: list[Path] = []
    panel.opener = opened.append
    outbox = window.data_dir / "outbox"
    before = sorted(outbox.glob("*.eml"))

    seen: list[str] = []
    answer("noRecipient", "Correct the Patient e-mail", seen)  # the default answer
    assert panel.email() is None
    assert "Patient e-mail is empty" in seen[0]
    assert "Patient e-mail is empty" in panel.state.text() and "No draft was made" in panel.state.text()
    assert sorted(outbox.glob("*.eml")) == before and opened == []
    assert page.editor.tabs.currentIndex() == 0  # the Patient tab, at the field to correct
    email_field = page.editor.fields["patient.email"].widget
    assert email_field.isVisible()

    answer("noRecipient", "Make the draft without a recipient")  # the coordinator's choice
    path = panel.email()
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert message["To"] == "" and opened == [path]
    assert window.cases_store.plan_versions(panel.case_id)[0].sent_at is None


def test_an_address_just_typed_is_checked_as_typed(window: MainWindow, qtbot) -> None:
    open_sample(window, "Anna")
    editor, panel = window.cases.editor, window.cases.plan_panel
    generate(window, qtbot)
    panel.opener = lambda path: None
    field = editor.fields["patient.email"].widget
    field.selectAll()
    qtbot.keyClicks(field, "anna.beispiel@")  # typed over the address, not saved yet when the e-mail is asked for
    assert editor.has_pending()
    seen: list[str] = []
    answer("noRecipient", "Correct the Patient e-mail", seen)
    assert panel.email() is None
    assert "Patient e-mail" in seen[0] and "anna.beispiel@" in seen[0] and "not one valid address" in seen[0]

    qtbot.keyClicks(field, "example.org")
    path = panel.email()  # valid now: no question
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert message["To"] == "anna.beispiel@example.org"


# --- 5. messages never move the window ------------------------------------------------------------


def test_a_long_message_changes_no_size_in_the_window(window: MainWindow, qtbot) -> None:
    """The review's case: with a plain label a 2,000-character message asked for ~14,000 pixels and the
    splitter took them from the case list (400 pixels wide at 1280 × 820, then 226)."""
    window.resize(1280, 820)  # a usual window: the case list and the case side both at their chosen widths
    open_sample(window, "Anna")
    page, editor, panel = window.cases, window.cases.editor, window.cases.plan_panel
    editor.tabs.setCurrentIndex(editor.plan_tab)
    qtbot.wait(50)
    list_width = page.table.width()
    sizes = page.splitter.sizes()
    assert sizes[0] >= 400
    window_size = window.size()
    wanted = editor.minimumSizeHint()
    heights = (panel.state.height(), editor.save_state.height())
    messages = [
        "x" * 2000,  # a path or a reason without a space
        " ".join(["word"] * 400),
        "first line\n" + "y" * 1999,
    ]
    for message in messages:
        for label in (panel.state, editor.save_state):
            label.setText(message)
            qtbot.wait(20)
            assert page.splitter.sizes() == sizes
            assert page.table.width() == list_width
            assert window.size() == window_size
            assert editor.minimumSizeHint() == wanted  # the page asks for no more room
            assert (panel.state.height(), editor.save_state.height()) == heights
            assert label.text() == message  # kept whole
            assert message.splitlines()[-1][:100] in label.toolTip()  # and shown whole on hover
    panel.state.setText("Plan ready")
    qtbot.wait(20)
    assert panel.state.toolTip() == ""  # short enough: no tooltip
    assert page.splitter.sizes() == sizes
