"""The interface language: switching keeps what was typed; Arabic mirrors the window; Qt's own texts
are translated; the pseudo-locale shows no clipped text on the main screen."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QToolButton

from desktop.settings.language import LANGUAGES, language_name, use_qt_translations
from planning.i18n import PSEUDO, locale_scope, pseudo, set_locale
from tests.desktop.conftest import make_window

SWITCH = """
import os, sys
from PySide6.QtCore import QTimer, Qt
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
state = {"step": 0}
def drive():
    from desktop.shell.main_window import MainWindow
    windows = [w for w in app.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible() and w.cases]
    if not windows:
        QTimer.singleShot(20, drive); return
    window = windows[0]
    if state["step"] == 0:
        window.new_case()
        window.cases.editor.fields["patient.full_name"].widget.setText("Switch Person")
        window.cases.editor.fields["patient.full_name"].edited.emit()
        state["step"] = 1
        window.settings_page.language_changed.emit("ar")  # what the language box does
        QTimer.singleShot(50, drive); return
    print("direction", int(app.layoutDirection() == Qt.LayoutDirection.RightToLeft), flush=True)
    print("nav", window.nav.item(0).text(), flush=True)
    row = window.cases_store.page(__import__("db.case_store").case_store.CaseQuery())[0][0]
    print("name", row.full_name, flush=True)
    app.quit()
QTimer.singleShot(0, drive)
from desktop.app import main
main([])
"""


def test_switching_to_arabic_mirrors_the_window_and_keeps_what_was_typed(data_dir: Path) -> None:
    env = {
        **os.environ,
        "CAREPLAN_DATA_DIR": str(data_dir),
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
    }
    from db.paths import cases_db_path
    from db.vault import CaseVault

    data_dir.mkdir(parents=True, exist_ok=True)
    CaseVault(cases_db_path(data_dir)).setup(None)  # a store without a passphrase opens with no first-start panel
    result = subprocess.run([sys.executable, "-c", SWITCH], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    lines = dict(line.split(" ", 1) for line in result.stdout.splitlines() if " " in line)
    assert lines["direction"] == "1"
    with locale_scope("ar"):
        from planning.i18n import _

        assert lines["nav"] == _("Cases") != "Cases"
    assert lines["name"] == "Switch Person"
    ini = (data_dir / "settings.ini").read_text("utf-8")
    assert "locale=ar" in ini


def test_qt_translations_exist_for_every_language(qtbot) -> None:
    app = QApplication.instance()
    for code in LANGUAGES:
        assert use_qt_translations(app, code), code
        assert language_name(code)
    use_qt_translations(app, "en")


def test_pseudo_locale_keeps_placeholders_and_stretches() -> None:
    text = pseudo("Knowledge pack {version} · as of {date}")
    assert "{version}" in text and "{date}" in text and len(text) > 40 * 1.3
    assert pseudo("&File").startswith("[&F")


def clipped_texts(root) -> list[tuple[str, str]]:
    """Labels and buttons under ``root`` whose one-line text is wider than the room they have."""
    found = []
    for widget in [w for kind in (QLabel, QPushButton, QToolButton) for w in root.findChildren(kind)]:
        text = widget.text()
        if not widget.isVisible() or not text or (isinstance(widget, QLabel) and widget.wordWrap()):
            continue
        if "<" in text and ">" in text:
            continue  # rich text (the bold title): measured by the document, not the font
        if widget.fontMetrics().horizontalAdvance(text.replace("&", "")) > widget.contentsRect().width() + 2:
            found.append((widget.objectName() or type(widget).__name__, text))
    return found


@pytest.fixture
def pseudo_window(qtbot, data_dir: Path):
    """The main window in the pseudo-locale (40% longer texts), 1280x820, with the sample cases."""
    data_dir.mkdir(parents=True, exist_ok=True)
    set_locale(PSEUDO)
    try:
        window = make_window(qtbot, data_dir, PSEUDO)
        window.resize(1280, 820)
        window.cases.add_samples()
        yield window
        window.close()
    finally:
        set_locale("en")


def test_no_text_is_clipped_on_the_main_screen_in_the_pseudo_locale(qtbot, pseudo_window) -> None:
    window = pseudo_window
    qtbot.wait(50)
    assert clipped_texts(window) == []
    assert all(window.nav.item(i).text().startswith("[") for i in range(window.nav.count()))  # all translated


def test_validation_messages_in_the_interface_language(qtbot, data_dir: Path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    set_locale("de")
    try:
        window = make_window(qtbot, data_dir, "de")
        window.new_case()
        editor = window.cases.editor
        qtbot.keyClicks(editor.fields["patient.email"].widget, "maria@")
        assert editor.errors["patient.email"].text() == "keine E-Mail-Adresse"
        window.close()
    finally:
        set_locale("en")


def test_no_text_is_clipped_on_any_page_in_the_pseudo_locale(qtbot, pseudo_window) -> None:
    window = pseudo_window
    clipped = []
    for row in range(window.nav.count()):
        window.nav.setCurrentRow(row)
        qtbot.wait(30)
        clipped += [(row, *found) for found in clipped_texts(window.stack.currentWidget())]
    assert clipped == []


def test_qt_standard_buttons_are_translated(qtbot) -> None:
    from PySide6.QtWidgets import QDialogButtonBox

    app = QApplication.instance()
    assert use_qt_translations(app, "de")
    try:
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        assert box.button(QDialogButtonBox.StandardButton.Cancel).text().replace("&", "") == "Abbrechen"
    finally:
        use_qt_translations(app, "en")


def test_formats_follow_the_interface_language() -> None:
    from decimal import Decimal

    from planning.i18n import country_name, format_money, format_partial_date

    expected = {
        "en": ("$1,234,567", "Apr 13, 2026", "Germany"),
        "de": ("1.234.567 $", "13.04.2026", "Deutschland"),
        "ru": ("1 234 567 $", "13 апр. 2026 г.", "Германия"),
        "zh_CN": ("US$1,234,567", "2026年4月13日", "德国"),
    }
    for locale, (money, day, country) in expected.items():
        with locale_scope(locale):
            assert format_money(Decimal(1234567), "USD").replace("\xa0", " ").replace("\u202f", " ") == money
            assert format_partial_date("2026-04-13").replace("\u202f", " ") == day
            assert country_name("DE") == country


def test_no_text_is_clipped_in_security_backups_and_the_lock_in_the_pseudo_locale(qtbot, data_dir: Path) -> None:
    from db.paths import cases_db_path
    from db.vault import CaseVault

    data_dir.mkdir(parents=True, exist_ok=True)
    vault = CaseVault(cases_db_path(data_dir))
    vault.setup("correct horse battery")
    set_locale(PSEUDO)
    try:
        window = make_window(qtbot, data_dir, PSEUDO, vault=vault)
        window.resize(1280, 820)
        qtbot.waitUntil(lambda: window.cases is not None, timeout=20000)
        window.nav.setCurrentRow(3)
        security = window.settings_page.security
        qtbot.waitUntil(lambda: security is not None and security.isVisible(), timeout=5000)
        security.back_up_now()
        qtbot.waitUntil(lambda: security.table.rowCount() >= 2, timeout=10000)
        assert clipped_texts(security) == []
        assert security.backup_button.text().startswith("[")  # translated (pseudo), not English
        dialog = security.open_passphrase_dialog()
        qtbot.wait(50)
        assert clipped_texts(dialog) == []
        dialog.reject()
        window.lock.lock()
        qtbot.wait(50)
        assert window.lock.locked and clipped_texts(window.lock.form) == []
        window.lock.unlock()
        window.close()
    finally:
        set_locale("en")
