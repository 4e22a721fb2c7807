"""The GUI and the command line are two faces of one set of use cases: the same input gives the same
result and the same audit entry, whichever face a coordinator uses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib import resources
from pathlib import Path

from pypdf import PdfReader

from desktop.shell.main_window import MainWindow
from services.case_files import MAX_CASE_FILE_BYTES


def careplan(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "CAREPLAN_DATA_DIR": str(data_dir), "CAREPLAN_COORDINATOR": "Test Coordinator"}
    return subprocess.run([sys.executable, "-m", "cli", *args], capture_output=True, text=True, env=env, timeout=120)


def sample_document(index: int = 0) -> dict:
    documents = json.loads((resources.files("resources") / "samples" / "sample_cases.json").read_text("utf-8"))
    document = dict(documents[index])
    document.pop("reference", None)
    return document


def test_a_case_file_with_a_byte_order_mark_is_imported_by_both(
    window: MainWindow, data_dir: Path, tmp_path: Path
) -> None:
    source, other = tmp_path / "bom.json", tmp_path / "bom-other.json"
    source.write_bytes(b"\xef\xbb\xbf" + json.dumps(sample_document(0), ensure_ascii=False).encode("utf-8"))
    other.write_bytes(b"\xef\xbb\xbf" + json.dumps(sample_document(1), ensure_ascii=False).encode("utf-8"))
    assert window.import_case(source)
    gui_reference = window.cases.editor.case.reference
    window.tasks.wait()
    window.close()
    result = careplan(data_dir, "case", "import", str(other))
    assert result.returncode == 0, result.stderr
    listed = json.loads(careplan(data_dir, "case", "list", "--json").stdout)
    assert len(listed) == 2 and gui_reference in {row["reference"] for row in listed}


def test_a_too_large_case_file_is_refused_by_both_with_the_same_words(
    window: MainWindow, data_dir: Path, tmp_path: Path
) -> None:
    source = tmp_path / "huge.json"
    with source.open("wb") as handle:
        handle.truncate(MAX_CASE_FILE_BYTES + 1)
    assert not window.import_case(source)
    shown = window.last_message.informativeText()
    window.close()
    result = careplan(data_dir, "case", "import", str(source))
    assert result.returncode == 2
    assert result.stderr.strip() == f"error: {shown}"
    assert "too large for a case file" in shown


def test_an_export_from_either_face_writes_the_same_file_and_the_same_audit_entry(
    window: MainWindow, data_dir: Path, tmp_path: Path
) -> None:
    source = tmp_path / "case.json"
    source.write_text(json.dumps(sample_document(1), ensure_ascii=False), "utf-8")
    assert window.import_case(source)
    reference = window.cases.editor.case.reference
    from_gui = tmp_path / "gui.json"
    assert window.export_case(from_gui)
    window.tasks.wait()
    window.close()
    from_cli = tmp_path / "cli.json"
    result = careplan(data_dir, "case", "export", reference, "-o", str(from_cli))
    assert result.returncode == 0, result.stderr
    assert from_gui.read_bytes() == from_cli.read_bytes()
    audit = careplan(data_dir, "audit", "--case", reference, "--csv", str(tmp_path / "audit.csv"))
    assert audit.returncode == 0, audit.stderr
    rows = [line.split(",") for line in (tmp_path / "audit.csv").read_text("utf-8-sig").splitlines()[1:]]
    exports = [(row[1], row[2], row[3], row[4]) for row in rows if row[2] == "exported"]
    assert exports == [("Test Coordinator", "exported", reference, "case file")] * 2


def test_the_organisation_set_in_the_gui_reaches_the_command_lines_plan_as_typed(
    window: MainWindow, data_dir: Path, tmp_path: Path
) -> None:
    page = window.settings_page
    page.org_name.setText('Müller, Weiß & "Partner" Reisen')
    page.org_name.editingFinished.emit()
    window.close()
    case = tmp_path / "case.json"
    case.write_text(json.dumps(sample_document(0), ensure_ascii=False), "utf-8")
    target = tmp_path / "plan.pdf"
    result = careplan(data_dir, "plan", str(case), "-o", str(target), "--locale", "en")
    assert result.returncode == 0, result.stderr
    text = PdfReader(target).pages[0].extract_text()
    assert 'Müller, Weiß & "Partner" Reisen' in text
    assert window.preferences().organisation().name == 'Müller, Weiß & "Partner" Reisen'


def test_a_backups_size_reads_the_same_in_both(window: MainWindow, data_dir: Path, qtbot) -> None:
    window.tasks.wait()  # the start-up backup
    section = window.settings_page.security
    section.show_backups()
    qtbot.waitUntil(lambda: section.table.rowCount() > 0, timeout=10000)
    gui_size = section.table.item(0, 1).text()
    window.close()
    listed = careplan(data_dir, "backup", "list")
    assert listed.returncode == 0, listed.stderr
    first = listed.stdout.splitlines()[1]
    assert f"  {gui_size}  " in first
