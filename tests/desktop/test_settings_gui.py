"""Settings: exchange rates entered by the coordinator (validated, dated, kept), profile, appearance, the
letterhead and the terms printed on plans."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFocusEvent, QKeyEvent, QPalette
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QWidget

from desktop.settings.preferences import preferences_of
from desktop.shell.main_window import PAGES, MainWindow
from planning.i18n import DOCUMENT_LOCALES
from planning.plan import Coordinator, Organisation, Terms
from planning.plan_sections import DEFAULT_CANCELLATION_TERMS, DEFAULT_PAYMENT_TERMS
from services.settings import Settings
from tests.desktop.conftest import make_window


def test_a_bad_rate_is_refused_with_every_problem_named(window: MainWindow, qtbot) -> None:
    page = window.settings_page
    qtbot.keyClicks(page.base, "XYZ")
    qtbot.keyClicks(page.quote, "USD")
    qtbot.keyClicks(page.rate, "-2")
    qtbot.keyClicks(page.as_of.edit, (date.today() + timedelta(days=3)).isoformat())
    before = window.store.rates()
    assert not page.enter_rate()
    text = page.rate_errors.text()
    assert "first currency: unknown currency code XYZ" in text
    assert "rate: must be a number more than 0" in text
    assert "date: in the future" in text
    assert window.store.rates() == before
    assert page.base.text() == "XYZ"  # nothing typed is lost


def test_a_new_rate_changes_the_estimate_and_is_kept(qtbot, data_dir) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    window = make_window(qtbot, data_dir)
    window.cases.add_samples()
    row = next(r for r in window.cases.model.rows if "Anna" in r.full_name)  # EUR
    window.cases.open_case(row.id)
    us = next(o for o in window.cases.editor.estimate_panel.shown if o.country == "US")
    therapy_before = next(i for i in us.items if i.key == "therapy").low
    page = window.settings_page
    qtbot.keyClicks(page.base, "eur")
    qtbot.keyClicks(page.quote, "usd")
    qtbot.keyClicks(page.rate, "1.0")
    qtbot.keyClicks(page.as_of.edit, "2026-11-20")
    qtbot.keyClicks(page.note, "test rate")
    assert page.enter_rate()
    assert any(
        "1 EUR = 1.0 USD" in page.table.item(r, 0).text() and page.table.item(r, 2).text() == "Entered by you"
        for r in range(page.table.rowCount())
    )
    us = next(o for o in window.cases.editor.estimate_panel.shown if o.country == "US")
    therapy_after = next(i for i in us.items if i.key == "therapy").low
    assert therapy_after > therapy_before  # a dollar now costs one euro, not 0.86
    assert window.cases.editor.estimate.rates_as_of <= "2026-11-20"
    window.close()
    again = make_window(qtbot, data_dir)  # kept across a restart
    assert any(r.base == "EUR" and r.quote == "USD" and str(r.rate) == "1.0" for r in again.store.rates())
    again.close()


def test_appearance_switches_to_dark(window: MainWindow, qtbot) -> None:
    page = window.settings_page
    page.appearance.setCurrentIndex(page.appearance.findData("dark"))
    page.appearance.activated.emit(page.appearance.currentIndex())
    qtbot.waitUntil(lambda: window.palette().color(QPalette.ColorRole.Window).lightness() < 128)
    assert preferences_of(window.settings).load().appearance == "dark"
    page.appearance.setCurrentIndex(page.appearance.findData("light"))
    page.appearance.activated.emit(page.appearance.currentIndex())
    qtbot.waitUntil(lambda: window.palette().color(QPalette.ColorRole.Window).lightness() > 128)


def test_profile_name_is_recorded_with_changes(window: MainWindow, qtbot) -> None:
    page = window.settings_page
    page.name.clear()
    qtbot.keyClicks(page.name, "Olga Coordinator")
    qtbot.keyClick(page.name, Qt.Key.Key_Return)
    window.new_case()
    qtbot.keyClicks(window.cases.editor.fields["patient.full_name"].widget, "Profile Test")
    window.flush()
    history = window.cases_store.history(window.cases.editor.case.id)
    assert history[-1].who == "Olga Coordinator"


def test_an_assumption_changed_in_settings_changes_the_estimate(window: MainWindow, qtbot) -> None:
    window.cases.add_samples()
    row = next(r for r in window.cases.model.rows if "Anna" in r.full_name)  # Germany among the destinations
    window.cases.open_case(row.id)
    germany = next(o for o in window.cases.editor.estimate_panel.shown if o.country == "DE")
    evaluation = next(i for i in germany.items if i.key == "evaluation")
    page = window.settings_page
    table = page.costs
    target = next(r for r in range(table.rowCount()) if table.item(r, 0).data(0x0100) == ("DE", "evaluation"))
    table.item(target, 3).setText("9000")  # the pack says 5,000-12,000 EUR
    germany = next(o for o in window.cases.editor.estimate_panel.shown if o.country == "DE")
    changed = next(i for i in germany.items if i.key == "evaluation")
    assert changed.high == 9000 and changed.high < evaluation.high
    assert "changed by the coordinator" in changed.basis
    # a bad figure is refused, named, and the stored figure stays
    target = next(r for r in range(table.rowCount()) if table.item(r, 0).data(0x0100) == ("DE", "evaluation"))
    table.item(target, 2).setText("twelve")
    assert "low: must be an amount of 0 or more" in page.cost_errors.text()
    target = next(r for r in range(table.rowCount()) if table.item(r, 0).data(0x0100) == ("DE", "evaluation"))
    assert table.item(target, 2).text() == "5000" and table.item(target, 3).text() == "9000"
    # and back to the pack's figure
    table.selectRow(target)
    page.reset_selected_cost()
    germany = next(o for o in window.cases.editor.estimate_panel.shown if o.country == "DE")
    assert next(i for i in germany.items if i.key == "evaluation").high == evaluation.high


# --- the letterhead, the coordinator's phone and the terms printed on plans ------------------------------


def finish(editor: QWidget) -> None:
    """Editing ends as when the focus moves on to another field."""
    QApplication.sendEvent(editor, QFocusEvent(QEvent.Type.FocusOut, Qt.FocusReason.TabFocusReason))


def type_text(qtbot, widget: QWidget, text: str) -> None:
    """Typed key by key; a letter QTest cannot name (ü, ß, Arabic) as a key event that carries it."""
    for char in text:
        if char.isascii():
            qtbot.keyClicks(widget, char)
        else:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def type_lines(qtbot, editor: QPlainTextEdit, lines: list[str]) -> None:
    for number, line in enumerate(lines):
        if number:
            qtbot.keyClick(editor, Qt.Key.Key_Return)
        type_text(qtbot, editor, line)


def test_the_letterhead_and_phone_typed_reach_the_settings(window: MainWindow, qtbot, data_dir: Path) -> None:
    page = window.settings_page
    page.org_name.setText("Müller Reisen")
    type_lines(qtbot, page.org_address, ["Müller Reisen GmbH", "Hauptstraße 1", "10115 Berlin"])
    finish(page.org_address)
    qtbot.keyClicks(page.org_registration, "HRB 12345 B")
    page.org_registration.editingFinished.emit()
    qtbot.keyClicks(page.name, "Dana Roe")
    qtbot.keyClicks(page.phone, "+49 (30) 1234-5678")
    page.phone.editingFinished.emit()
    stored = Settings(data_dir).load()
    assert stored.organisation() == Organisation(
        name="Müller Reisen", address="Müller Reisen GmbH\nHauptstraße 1\n10115 Berlin", registration="HRB 12345 B"
    )
    assert stored.coordinator() == Coordinator(name="Dana Roe", phone="+49 (30) 1234-5678")
    assert window.preferences().organisation().address.count("\n") == 2
    assert page.profile_errors.isHidden() and page.org_errors.isHidden()
    window.close()

    again = make_window(qtbot, data_dir)  # shown again as stored
    page = again.settings_page
    assert page.org_address.toPlainText() == "Müller Reisen GmbH\nHauptstraße 1\n10115 Berlin"
    assert (page.org_registration.text(), page.phone.text()) == ("HRB 12345 B", "+49 (30) 1234-5678")
    again.close()


def test_a_bad_phone_number_is_named_and_not_stored(window: MainWindow, qtbot, data_dir: Path) -> None:
    page = window.settings_page
    qtbot.keyClicks(page.phone, "+49 30 1234")
    page.phone.editingFinished.emit()
    page.phone.clear()
    qtbot.keyClicks(page.phone, "ask at the desk")
    qtbot.keyClicks(page.email, "dana@example.org")
    page.phone.editingFinished.emit()
    assert not page.profile_errors.isHidden()
    assert page.profile_errors.text() == "Phone: use only digits, spaces and + ( ) - . / (e.g. +49 30 1234 5678)"
    stored = Settings(data_dir).load()
    assert (stored.coordinator_phone, stored.coordinator_email) == ("+49 30 1234", "dana@example.org")
    assert page.phone.text() == "ask at the desk"  # nothing typed is lost
    page.phone.setText("+49 30 9876")
    page.phone.editingFinished.emit()
    assert page.profile_errors.isHidden()
    assert Settings(data_dir).load().coordinator_phone == "+49 30 9876"


def test_an_address_too_long_is_named_and_not_stored(window: MainWindow, qtbot, data_dir: Path) -> None:
    page = window.settings_page
    type_lines(qtbot, page.org_address, ["Hauptstraße 1", "10115 Berlin"])
    finish(page.org_address)
    type_lines(qtbot, page.org_address, ["", "a", "b", "c", "d", "e"])
    finish(page.org_address)
    assert page.org_errors.text() == "Address: at most 6 lines"
    assert Settings(data_dir).load().organisation_address == "Hauptstraße 1\n10115 Berlin"
    assert page.org_address.toPlainText().count("\n") == 6


def test_terms_in_two_languages_are_kept_while_switching(window: MainWindow, qtbot, data_dir: Path) -> None:
    terms = window.settings_page.terms
    assert terms.language.currentData() == "en"  # the interface's language first
    assert [terms.language.itemData(i) for i in range(terms.language.count())] == list(DOCUMENT_LOCALES)
    assert terms.payment.placeholderText() == DEFAULT_PAYMENT_TERMS  # what a plan prints where none are set
    assert terms.cancellation.placeholderText() == DEFAULT_CANCELLATION_TERMS

    terms.language.setCurrentIndex(terms.language.findData("de"))
    assert terms.language.currentText() == "Deutsch"
    type_lines(qtbot, terms.payment, ["30 % Anzahlung bei Buchung.", "", "Rest vor Reiseantritt."])
    terms.language.setCurrentIndex(terms.language.findData("ar"))  # switched without leaving the field
    assert terms.payment.toPlainText() == ""
    assert terms.payment.document().defaultTextOption().textDirection() == Qt.LayoutDirection.RightToLeft
    type_text(qtbot, terms.cancellation, "الإلغاء مجاني قبل ١٤ يوما")
    terms.language.setCurrentIndex(terms.language.findData("de"))
    assert terms.payment.toPlainText() == "30 % Anzahlung bei Buchung.\n\nRest vor Reiseantritt."
    assert terms.cancellation.toPlainText() == ""
    qtbot.keyClicks(terms.cancellation, "Storno bis 14 Tage vorher frei.")
    finish(terms.cancellation)
    terms.language.setCurrentIndex(terms.language.findData("ar"))
    assert terms.cancellation.toPlainText() == "الإلغاء مجاني قبل ١٤ يوما"

    stored = Settings(data_dir).load()
    assert stored.terms("de") == Terms(
        payment="30 % Anzahlung bei Buchung.\n\nRest vor Reiseantritt.", cancellation="Storno bis 14 Tage vorher frei."
    )
    assert stored.terms("ar") == Terms(cancellation="الإلغاء مجاني قبل ١٤ يوما")
    assert stored.terms("en") == Terms()


def test_terms_too_long_are_named_with_their_language_and_kept_typed(window: MainWindow, qtbot, data_dir: Path) -> None:
    terms = window.settings_page.terms
    terms.language.setCurrentIndex(terms.language.findData("es"))
    type_text(qtbot, terms.payment, "Depósito del 30 %.")
    finish(terms.payment)
    terms.payment.selectAll()
    terms.payment.insertPlainText("x" * 1501)  # as pasted
    terms.language.setCurrentIndex(terms.language.findData("en"))  # stored on switching: refused, named
    assert terms.errors.text() == "Deposit and payment (español): at most 1,500 characters"
    assert Settings(data_dir).load().payment_terms == {"es": "Depósito del 30 %."}
    terms.language.setCurrentIndex(terms.language.findData("es"))
    assert terms.payment.toPlainText() == "x" * 1501  # nothing typed is lost
    terms.payment.selectAll()
    terms.payment.insertPlainText("Depósito del 20 %.")
    finish(terms.payment)
    assert terms.errors.isHidden()
    assert Settings(data_dir).load().payment_terms == {"es": "Depósito del 20 %."}


def test_what_is_typed_is_stored_when_the_page_is_left(window: MainWindow, qtbot, data_dir: Path) -> None:
    page = window.settings_page
    window.nav.setCurrentRow(PAGES.index("settings"))
    qtbot.keyClicks(page.terms.payment, "Half on booking.")
    qtbot.keyClicks(page.org_address, "1 Main Street")
    window.nav.setCurrentRow(0)  # no focus change: the page is hidden
    stored = Settings(data_dir).load()
    assert (stored.terms("en").payment, stored.organisation_address) == ("Half on booking.", "1 Main Street")


def language_codes(window: MainWindow) -> list[str]:
    combo = window.settings_page.language
    return [combo.itemData(i) for i in range(combo.count())]


def test_the_pseudo_locale_is_offered_only_behind_the_developer_switch(qtbot, data_dir: Path, monkeypatch) -> None:
    monkeypatch.delenv("CAREPLAN_DEVELOPER", raising=False)
    window = make_window(qtbot, data_dir / "coordinator")
    assert language_codes(window) == list(DOCUMENT_LOCALES)  # real languages only
    assert "Pseudo-locale (layout test)" not in [
        window.settings_page.language.itemText(i) for i in range(window.settings_page.language.count())
    ]
    window.close()

    monkeypatch.setenv("CAREPLAN_DEVELOPER", "1")
    window = make_window(qtbot, data_dir / "developer")
    assert language_codes(window) == [*DOCUMENT_LOCALES, "pseudo"]
    window.close()

    monkeypatch.setenv("CAREPLAN_DEVELOPER", "0")  # only 1 turns it on
    window = make_window(qtbot, data_dir / "off")
    assert "pseudo" not in language_codes(window)
    window.close()


def test_an_app_started_in_the_pseudo_locale_still_names_it(qtbot, data_dir: Path, monkeypatch) -> None:
    """A script or test starting the app in it (scripts/screenshots.py --locale pseudo) sees it chosen."""
    monkeypatch.delenv("CAREPLAN_DEVELOPER", raising=False)
    window = make_window(qtbot, data_dir, locale="pseudo")
    assert "pseudo" in language_codes(window)
    assert window.settings_page.language.currentData() == "pseudo"
    window.close()
