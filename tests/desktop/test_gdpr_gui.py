"""A patient's rights in the real window: export their data, erase them; and what the audit log records."""

from __future__ import annotations

import json
import os
import stat
import time
import zipfile
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLabel

from db.backups import MAX_AGE_DAYS
from db.patient_export import file_stem
from desktop.cases.editor import AUTOSAVE_MS
from desktop.cases.page import EraseDialog
from desktop.plan.panel import PlanPanel, safe_file_name, thunderbird_compose, tidy_outbox
from desktop.shell.main_window import MainWindow
from tests.desktop.test_plan_gui import generate, open_sample

WHO = "Test Coordinator"


def actions(window: MainWindow, case_id: int) -> list[str]:
    return [e.action for e in reversed(window.cases_store.audit_entries(case_id))]


def open_anna(window: MainWindow) -> int:
    open_sample(window, "Anna")
    return window.cases.editor.case.id


def test_opening_a_case_is_audited_once_per_opening(window: MainWindow, qtbot) -> None:
    page = window.cases
    page.add_samples()
    first, second = page.model.rows[0].id, page.model.rows[1].id
    assert actions(window, first).count("viewed") == 1  # add_samples opened the first one
    name = page.editor.fields["patient.full_name"].widget
    qtbot.keyClicks(name, " Jr")
    qtbot.waitUntil(lambda: "edited" in actions(window, first), timeout=AUTOSAVE_MS * 10)
    page.open_case(first)  # already open: not another viewing
    assert actions(window, first).count("viewed") == 1
    page.table.selectRow(page.model.row_of(second))
    assert page.editor.case.id == second and actions(window, second).count("viewed") == 1
    page.table.selectRow(page.model.row_of(first))
    assert actions(window, first).count("viewed") == 2
    entry = window.cases_store.audit_entries(first)[0]
    assert (entry.action, entry.who, entry.detail) == ("viewed", WHO, "")


def test_case_actions_are_in_the_list_and_the_editor_header(window: MainWindow, qtbot) -> None:
    page = window.cases
    page.new_case()
    assert page.editor.header.indexOf(page.editor_tools) >= 0
    assert page.list_tools.menu() is page.case_menu and page.editor_tools.menu() is page.case_menu
    texts = [a.text() for a in page.case_menu.actions() if not a.isSeparator()]
    assert texts[-2:] == ["Export patient data…", "Erase patient…"]  # the patient's rights end the menu
    assert page.export_action.isEnabled() and page.erase_action.isEnabled()


def test_context_menu_on_a_row_opens_that_case_and_shows_the_actions(window: MainWindow, qtbot) -> None:
    page = window.cases
    page.add_samples()
    row = page.model.row_of(page.model.rows[2].id)
    position = page.table.visualRect(page.model.index(row, 0)).center()
    QTimer.singleShot(0, lambda: page.case_menu.isVisible() and page.case_menu.close())
    page.table.customContextMenuRequested.emit(position)
    assert page.editor.case.id == page.model.rows[2].id
    qtbot.waitUntil(lambda: not page.case_menu.isVisible(), timeout=2000)


def test_export_patient_data_from_the_menu(window: MainWindow, qtbot, tmp_path: Path, monkeypatch) -> None:
    case_id = open_anna(window)
    page = window.cases
    generate(window, qtbot, "en")
    reference = page.editor.case.reference
    asked = []

    def save_dialog(parent, title, suggested, filters):
        asked.append((title, Path(suggested).name, filters))
        return str(tmp_path / "export"), filters  # the .zip is added

    monkeypatch.setattr("desktop.cases.page.QFileDialog.getSaveFileName", save_dialog)
    page.export_action.trigger()
    assert asked == [("Export patient data", f"{reference}_data.zip", "ZIP archive (*.zip)")]
    target = tmp_path / "export.zip"
    with zipfile.ZipFile(target) as archive:
        record = json.loads(archive.read("patient.json"))
        [version] = window.cases_store.plan_versions(case_id)
        pdf = archive.read(f"plans/{reference}_v{version.id}_en.pdf")
    assert pdf == window.cases_store.plan_pdf(version.id)
    assert record["reference"] == reference and "Anna" in record["case"]["patient"]["full_name"]
    assert page.notice.isVisible() and str(target) in page.notice.text() and reference in page.notice.text()
    assert actions(window, case_id)[-1] == "data_exported"
    assert window.cases_store.audit_entries(case_id)[0].who == WHO


def test_export_cancelled_or_failing_writes_nothing(window: MainWindow, qtbot, tmp_path: Path, monkeypatch) -> None:
    case_id = open_anna(window)
    page = window.cases
    monkeypatch.setattr("desktop.cases.page.QFileDialog.getSaveFileName", lambda *args: ("", ""))
    assert page.export_patient_data() is None
    warnings = []
    monkeypatch.setattr("desktop.cases.page.QMessageBox.warning", lambda *args: warnings.append(args[2]))
    assert page.export_patient_data_to(tmp_path / "missing" / "x.zip") is None
    assert warnings and "could not be exported" in warnings[0] and "Nothing was written" in warnings[0]
    assert "data_exported" not in actions(window, case_id)
    assert not (tmp_path / "missing").exists()


def drive_erase_dialog(qtbot, typed: list[str], press: str = "erase") -> list[dict]:
    """When the erase dialog opens: type each text in turn, note the button's state, then press."""
    seen: list[dict] = []

    def act() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, EraseDialog):
            QTimer.singleShot(20, act)
            return
        for text in typed:
            dialog.confirm.setText(text)
            seen.append({"text": text, "enabled": dialog.erase_button.isEnabled()})
        (dialog.erase_button if press == "erase" else dialog.cancel_button).click()

    QTimer.singleShot(0, act)
    return seen


def test_erase_patient_after_typing_the_reference(window: MainWindow, qtbot) -> None:
    case_id = open_anna(window)
    page = window.cases
    generate(window, qtbot, "en")
    page.plan_panel.opener = lambda path: None
    draft = page.plan_panel.email()
    thunderbird_compose(draft)  # writes the PDF beside the draft, as for Thunderbird
    reference = page.editor.case.reference
    outbox = page.plan_panel.outbox
    made = sorted(p.name for p in outbox.iterdir())
    assert sorted(name.rsplit(".", 1)[-1] for name in made) == ["eml", "pdf"]
    assert all(name.startswith(f"{reference}_") for name in made)
    other = outbox / "CP-2026-99999_email.eml"
    other.write_bytes(b"not this case")
    count = page.model.total
    erased = []
    page.case_erased.connect(erased.append)

    seen = drive_erase_dialog(qtbot, ["CP-wrong", reference.lower() + " "])
    page.erase_action.trigger()
    assert window.cases_store.get(case_id) is None
    assert seen[0] == {"text": "CP-wrong", "enabled": False}
    assert seen[1]["enabled"] is True
    assert erased == [reference]
    assert page.model.total == count - 1 and page.model.row_of(case_id) < 0
    assert page.editor.case is None and page.editor_stack.currentWidget() is page.placeholder
    assert page.plan_panel.case_id is None and not page.plan_panel.save_button.isEnabled()
    assert not page.export_action.isEnabled() and not page.erase_action.isEnabled()
    assert window.cases_store.history(case_id) == [] and window.cases_store.plan_versions(case_id) == []
    assert not any(p.name.startswith(f"{reference}_") for p in outbox.iterdir()) and other.exists()
    assert window.cases_store.audit_entries(case_id) == []
    assert all(e.reference != reference for e in window.cases_store.audit_entries())
    assert window.cases_store.audit_entries()[0].action == "erased"
    assert reference in page.notice.text() and str(MAX_AGE_DAYS) in page.notice.text()
    # Nothing saves into the erased case afterwards.
    qtbot.wait(AUTOSAVE_MS * 2)
    assert window.cases_store.get(case_id) is None


def test_erase_cancelled_keeps_everything(window: MainWindow, qtbot) -> None:
    case_id = open_anna(window)
    page = window.cases
    reference = page.editor.case.reference
    drive_erase_dialog(qtbot, [reference], press="cancel")
    assert page.confirm_erase() is None
    assert window.cases_store.get(case_id) is not None and page.editor.case.id == case_id
    assert "erased" not in [e.action for e in window.cases_store.audit_entries()]


def test_erase_dialog_says_what_goes_and_what_stays(qtbot) -> None:
    dialog = EraseDialog("CP-2026-00007", "Anna Beispiel")
    qtbot.addWidget(dialog)
    labels = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "Anna Beispiel" in labels and "CP-2026-00007" in labels
    assert "cannot be undone" in labels and f"within {MAX_AGE_DAYS} days" in labels
    assert not dialog.erase_button.isEnabled()
    dialog.confirm.setText("CP-2026-0000")
    assert not dialog.erase_button.isEnabled() and not dialog.confirmed()
    dialog.confirm.setText("  cp-2026-00007 ")
    assert dialog.erase_button.isEnabled()
    dialog.confirm.returnPressed.emit()
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_save_as_and_print_are_audited(window: MainWindow, qtbot, tmp_path: Path) -> None:
    from PySide6.QtPrintSupport import QPrinter

    case_id = open_anna(window)
    panel = window.cases.plan_panel
    generate(window, qtbot, "en")
    panel.save_to(tmp_path / "plan.pdf")
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    pages = panel.print_to(printer)
    entries = window.cases_store.audit_entries(case_id)
    assert [e.action for e in entries[:2]] == ["printed", "plan_saved"]
    assert entries[0].detail == f"version {panel.version.id}, {pages} pages"
    assert entries[1].detail == f"version {panel.version.id}" and entries[1].who == WHO


def test_old_outbox_files_are_removed_when_the_panel_starts(window: MainWindow, tmp_path: Path) -> None:
    outbox = tmp_path / "outbox"
    outbox.mkdir(mode=0o755)
    old, fresh = outbox / "CP-2026-00001_email.eml", outbox / "CP-2026-00002_email.eml"
    for path in (old, fresh):
        path.write_bytes(b"draft")
    eight_days = time.time() - 8 * 86400
    os.utime(old, (eight_days, eight_days))
    page = window.cases
    panel = PlanPanel(
        window.cases_store,
        page.pack,
        window.tasks,
        lambda: None,
        lambda: [],
        lambda: [],
        lambda: None,
        lambda: WHO,
        outbox,
    )
    assert not old.exists() and fresh.exists()
    assert stat.S_IMODE(outbox.stat().st_mode) == 0o700
    panel.deleteLater()


def test_tidy_outbox_keeps_recent_files_and_folders(tmp_path: Path) -> None:
    (tmp_path / "recent.eml").write_bytes(b"")
    (tmp_path / "old.pdf").write_bytes(b"")
    (tmp_path / "folder").mkdir()
    now = time.time()
    os.utime(tmp_path / "old.pdf", (now - 7 * 86400 - 60, now - 7 * 86400 - 60))
    assert tidy_outbox(tmp_path, now=now) == [tmp_path / "old.pdf"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder", "recent.eml"]
    assert tidy_outbox(tmp_path / "missing") == []


@pytest.mark.parametrize("reference", ["CP-2026-00001", "a b/c", "Ünï-çødé 7", "..x.."])
def test_outbox_names_and_the_erase_match_agree(reference: str) -> None:
    assert safe_file_name(reference, "email", suffix=".eml").startswith(file_stem(reference) + "_")
