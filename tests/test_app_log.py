"""The application log holds what happened, never to whom: a distinctive patient name goes through the
real window (create, edit, plan, export error, a failing background task, an unhandled exception) and
is then searched for in every file under the data directory's logs/."""

from __future__ import annotations

import logging
import sys
import threading
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from desktop.shell import app_log
from desktop.shell.app_log import LOG_FILE, PatientSafeFormatter, install_excepthook, log_folder, setup_logging
from planning.case import empty_document
from tests.desktop.conftest import make_window

NAME = "Zebulon Quirrelmayer-Oyelaran"
FRAGMENTS = (NAME, "Quirrelmayer", "quirrelmayer", "Zebulon", "Oyelaran", "zebulon@")


class Leak(ValueError):
    """An exception whose message carries patient content, as real ones do."""


@pytest.fixture
def logged(data_dir: Path) -> Iterator[list[str]]:
    """The app's log set-up on the test's data dir (DEBUG, to see everything); the hook's shown messages."""
    data_dir.mkdir(parents=True, exist_ok=True)
    shown: list[str] = []
    hooks = sys.excepthook, threading.excepthook
    handler = setup_logging(data_dir, logging.DEBUG)
    install_excepthook(lambda: shown.append("shown"))
    yield shown
    sys.excepthook, threading.excepthook = hooks
    logging.getLogger().removeHandler(handler)
    handler.close()
    logging.captureWarnings(False)
    logging.getLogger().setLevel(logging.WARNING)


def log_text(data_dir: Path) -> str:
    files = [p for p in log_folder(data_dir).rglob("*") if p.is_file()]
    assert files, "the log was written"
    return "\n".join(p.read_text("utf-8", errors="replace") for p in files)


def assert_no_patient_content(data_dir: Path) -> str:
    text = log_text(data_dir)
    for fragment in FRAGMENTS:
        assert fragment not in text
    return text


def record(name: str, msg, args=(), exc_info=None) -> logging.LogRecord:
    return logging.LogRecord(name, logging.ERROR, __file__, 1, msg, args, exc_info)


def test_the_formatter_keeps_event_names_numbers_and_exception_types_only() -> None:
    formatter = PatientSafeFormatter()
    line = formatter.format(record("desktop.plan.panel", "plan generated: %d pages in %.1f ms", (3, 41.25)))
    assert line.endswith("desktop.plan.panel: plan generated: 3 pages in 41.2 ms")
    line = formatter.format(record("desktop.cases.page", "opened case %s (%d)", (NAME, 7)))
    assert "opened case <str> (7)" in line and NAME not in line
    line = formatter.format(record("db.case_store", "saved %(who)s", ({"who": NAME},)))
    assert "saved <str>" in line and NAME not in line
    line = formatter.format(record("desktop.x", "count %d", (NAME,)))  # a mismatch keeps the template
    assert line.endswith("count %d")
    line = formatter.format(record("fontTools.subset", f"glyph missing for {NAME}"))
    assert "fontTools.subset: (message withheld)" in line and NAME not in line
    try:
        try:
            raise KeyError(NAME)
        except KeyError as inner:
            raise Leak(f"invalid date for {NAME}") from inner
    except Leak:
        line = formatter.format(record("desktop.shared.tasks", "task failed", exc_info=sys.exc_info()))
    assert NAME not in line
    assert "task failed | tests.test_app_log.Leak at test_app_log.py:" in line
    assert "; caused by KeyError at test_app_log.py:" in line


def test_log_files_rotate_and_stay_private(data_dir: Path, logged: list[str]) -> None:
    handler = next(h for h in logging.getLogger().handlers if isinstance(h, app_log.PrivateRotatingFileHandler))
    assert handler.maxBytes == app_log.MAX_BYTES == 1_000_000 and handler.backupCount == app_log.BACKUPS == 3
    handler.maxBytes = 2_000
    events = logging.getLogger("desktop.test")
    for number in range(400):
        events.info("event %d of a long burst", number)
    folder = log_folder(data_dir)
    names = sorted(p.name for p in folder.iterdir())
    assert names == [LOG_FILE, f"{LOG_FILE}.1", f"{LOG_FILE}.2", f"{LOG_FILE}.3"]
    assert folder.stat().st_mode & 0o777 == 0o700
    assert {oct(p.stat().st_mode & 0o777) for p in folder.iterdir()} == {"0o600"}
    assert "event 399 of a long burst" in (folder / LOG_FILE).read_text("utf-8")


def test_setting_up_twice_adds_no_second_handler(data_dir: Path, logged: list[str]) -> None:
    setup_logging(data_dir, logging.DEBUG)
    ours = [h for h in logging.getLogger().handlers if isinstance(h, app_log.PrivateRotatingFileHandler)]
    assert len(ours) == 1


@pytest.mark.qt_no_exception_capture
def test_no_patient_name_reaches_the_log_through_the_real_window(
    qtbot, data_dir: Path, logged: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window(qtbot, data_dir)
    cases = window.cases

    # create and edit a case through the editor, as typed
    cases.new_case()
    editor = cases.editor
    qtbot.keyClicks(editor.fields["patient.full_name"].widget, NAME)
    qtbot.keyClicks(editor.fields["patient.email"].widget, "zebulon@example.invalid")
    window.flush()
    stored = window.cases_store.by_reference(editor.case.reference)
    assert stored.document["patient"]["full_name"] == NAME

    # a plan for a patient with this name
    document = empty_document()
    document["patient"].update(full_name=NAME, language="en", date_of_birth="1970-05-04")
    document["clinical"].update(indication="lbcl", disease_status="relapsed", prior_lines=2, ecog=1)
    document["preferences"].update(destinations=["CN", "DE"], currency="EUR")
    planned = window.cases_store.create(document, "Test Coordinator")
    cases.open_case(planned.id)
    panel = cases.plan_panel
    before = panel.versions.count()
    panel.generate_button.click()
    qtbot.waitUntil(lambda: not panel.busy and panel.versions.count() == before + 1, timeout=60000)

    # an export that fails (the folder does not exist): the message names the path, the log must not
    warned: list[str] = []
    monkeypatch.setattr("desktop.shell.main_window.QMessageBox.warning", lambda *args: warned.append(args[2]))
    assert not window.export_case(tmp_path / f"no folder {NAME}" / f"{NAME}.json")
    assert warned

    # a background task that fails with the name in its message (tasks.py logs it at debug level)
    failures: list[Exception] = []
    window.tasks.run(lambda: (_ for _ in ()).throw(Leak(f"cannot read {NAME}")), lambda _r: None, failures.append)
    qtbot.waitUntil(lambda: bool(failures), timeout=10000)

    # an unhandled exception in a slot: logged by the hook, the user sees a plain message
    def broken_slot() -> None:
        raise Leak(f"unexpected value for {NAME}")

    QTimer.singleShot(0, broken_slot)
    qtbot.waitUntil(lambda: bool(logged), timeout=5000)
    assert logged == ["shown"]

    # an exception in a plain thread, a warning and a library's message carrying the name
    thread = threading.Thread(target=broken_slot)
    thread.start()
    thread.join()
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.warn(f"odd data for {NAME}", UserWarning, stacklevel=1)
    logging.getLogger("PySide6.somewhere").error("case %s", NAME)
    logging.getLogger("desktop.cases.page").warning("opened %s", NAME)
    window.close()
    window.tasks.wait()
    QApplication.processEvents()

    text = assert_no_patient_content(data_dir)
    assert "unhandled exception | tests.test_app_log.Leak at test_app_log.py:" in text  # the log was written
    assert "unhandled exception in a thread | tests.test_app_log.Leak" in text
    assert "background task failed | tests.test_app_log.Leak" in text
    assert "desktop.cases.page: opened <str>" in text
    assert "py.warnings: (message withheld)" in text


def test_the_hook_shows_one_plain_message_and_prints_nothing(
    data_dir: Path, logged: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    try:
        raise Leak(NAME)
    except Leak:
        sys.excepthook(*sys.exc_info())
    captured = capsys.readouterr()
    assert captured.out == captured.err == ""  # no traceback for the user, nothing with the name
    assert logged == ["shown"]
    assert "unhandled exception" in assert_no_patient_content(data_dir)
