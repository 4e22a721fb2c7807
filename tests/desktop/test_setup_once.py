"""Set up once (issue 19): the first-run set-up after the passphrase (the coordinator, the organisation with
its logo, the default currency), saved through the settings to every plan, never shown again once finished
or skipped, and editable in Settings (Browse… with a preview, the default currency)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from db.paths import cases_db_path
from db.vault import CaseVault
from desktop.security.access import SetupForm
from desktop.settings.page import SettingsPage
from desktop.settings.setup_dialog import SetupDialog
from desktop.shell.main_window import MainWindow
from services.settings import Settings
from tests.desktop.conftest import make_window
from tests.desktop.test_plan_gui import generate, open_sample

PASS = "correct horse battery"


@pytest.fixture
def base(data_dir: Path) -> Path:
    data_dir.mkdir(parents=True, exist_ok=True)
    return data_dir


@pytest.fixture
def logo(tmp_path: Path) -> Path:
    path = tmp_path / "clinic logo.png"
    Image.new("RGB", (120, 40), (10, 90, 160)).save(path, "PNG")
    return path


def pick(combo, value) -> None:
    """Choose ``value`` in a list box as the coordinator's click does (the item, then ``activated``)."""
    index = combo.findData(value)
    assert index >= 0, value
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def shown_setup(window: MainWindow) -> SetupDialog | None:
    dialogs = [d for d in window.findChildren(SetupDialog) if d.isVisible()]
    return dialogs[0] if dialogs else None


# --- the first-run set-up --------------------------------------------------------------------------------


def test_a_new_data_directory_asks_after_the_passphrase_and_the_plan_carries_the_answers(
    qtbot, base: Path, logo: Path
) -> None:
    vault = CaseVault(cases_db_path(base))
    window = make_window(qtbot, base, vault=vault, set_up=False)
    form = window.gate.form
    assert isinstance(form, SetupForm) and form.isVisible()
    assert shown_setup(window) is None  # the passphrase comes first
    form.passphrase.setText(PASS)
    form.repeat.setText(PASS)
    qtbot.mouseClick(form.encrypt_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.cases is not None and window.gate.curtain is None, timeout=20000)

    dialog = shown_setup(window)
    assert dialog is not None and dialog is window.setup_dialog
    assert QApplication.activeModalWidget() is dialog
    qtbot.keyClicks(dialog.name, "Dana Roe")
    qtbot.keyClicks(dialog.email, "dana@clinica")  # no top-level domain
    qtbot.keyClicks(dialog.phone, "+34 600 123 456")
    dialog.org_name.insert("Clínica Viajes Salud")  # as typed (QTest types ASCII only)
    qtbot.keyClicks(dialog.logo.edit, str(logo))
    dialog.address.insertPlainText("Calle Mayor 1\n46001 Valencia")
    qtbot.keyClicks(dialog.contact, "info@viajes-salud.example")
    pick(dialog.currency.widget, "EUR")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert dialog.isVisible()  # refused: the field is named, nothing stored, nothing typed lost
    assert dialog.errors.isVisible() and dialog.errors.text().startswith("E-mail:")
    assert dialog.email.hasFocus()
    assert Settings(base).load().coordinator_name == ""
    assert dialog.org_name.text() == "Clínica Viajes Salud"

    qtbot.keyClicks(dialog.email, ".es")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    stored = Settings(base).load()
    assert (stored.coordinator_name, stored.coordinator_email, stored.coordinator_phone) == (
        "Dana Roe",
        "dana@clinica.es",
        "+34 600 123 456",
    )
    assert (stored.organisation_name, stored.organisation_logo, stored.organisation_address) == (
        "Clínica Viajes Salud",
        str(logo),
        "Calle Mayor 1\n46001 Valencia",
    )
    assert (stored.organisation_contact, stored.default_currency, stored.setup_done) == (
        "info@viajes-salud.example",
        "EUR",
        True,
    )
    assert window.who == window.cases.who == "Dana Roe"  # changes are recorded in the coordinator's name

    open_sample(window, "Anna")  # a sample case names no coordinator: the plan's is the profile's
    generate(window, qtbot)
    stored_pdf = window.cases_store.plan_pdf(window.cases.plan_panel.version.id)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(stored_pdf)).pages)
    for printed in ("Clínica Viajes Salud", "Dana Roe", "dana@clinica.es", "Calle Mayor 1", "+34 600 123 456"):
        assert printed in text, printed
    page = PdfReader(io.BytesIO(stored_pdf)).pages[0]
    assert any(name.startswith("/") for name in (page["/Resources"].get("/XObject") or {}))  # the logo drawn

    window.cases.new_case()  # no nationality yet: the default currency
    assert window.cases.editor.fields["preferences.currency"].value() == "EUR"
    assert window.cases.editor.current_document()["coordinator"]["name"] == "Dana Roe"


def test_skipped_once_it_is_not_shown_again_and_settings_shows_what_it_saved(qtbot, base: Path) -> None:
    window = make_window(qtbot, base, set_up=False)  # a plain store: no passphrase asked
    dialog = shown_setup(window)
    assert dialog is not None
    qtbot.keyClicks(dialog.name, "Not kept")
    qtbot.mouseClick(dialog.skip_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    stored = Settings(base).load()
    assert stored.setup_done and stored.coordinator_name == ""  # skipped: nothing typed there is stored
    window.close()

    again = make_window(qtbot, base, set_up=False)
    assert again.setup_dialog is None and shown_setup(again) is None


def test_escape_skips_too_and_a_finished_set_up_is_not_shown_again(qtbot, base: Path) -> None:
    window = make_window(qtbot, base, set_up=False)
    dialog = shown_setup(window)
    assert dialog is not None
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and Settings(base).load().setup_done


def test_the_usual_test_window_is_set_up_already(window: MainWindow) -> None:
    assert window.setup_dialog is None and shown_setup(window) is None


def test_settings_built_before_the_set_up_was_saved_show_its_values(qtbot, base: Path) -> None:
    window = make_window(qtbot, base, set_up=False)
    dialog = shown_setup(window)
    page = window.settings_page  # e.g. Settings was the page shown at start
    assert page is not None and page.name.text() == ""
    dialog.name.setText("Dana Roe")
    dialog.org_name.setText("Care Travel")
    pick(dialog.currency.widget, "GBP")
    assert dialog.save()
    assert (page.name.text(), page.org_name.text(), page.currency.value()) == ("Dana Roe", "Care Travel", "GBP")


# --- the logo: Browse… and its preview -------------------------------------------------------------------


def test_browse_chooses_the_logo_and_shows_its_preview(qtbot, tmp_path: Path, logo: Path) -> None:
    asked: list[str] = []

    def chooser(parent, folder: str) -> str:
        asked.append(folder)
        return str(logo)

    dialog = SetupDialog(Settings(tmp_path / "data"), frozenset({"USD", "EUR"}), "en", choose_logo=chooser)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.logo.preview.isHidden()
    qtbot.mouseClick(dialog.logo.browse, Qt.MouseButton.LeftButton)
    assert asked == [str(Path.home())]  # no logo yet: from the home folder
    assert dialog.logo.edit.text() == str(logo)
    preview = dialog.logo.preview.pixmap()
    assert dialog.logo.preview.isVisible() and not preview.isNull()
    size = preview.deviceIndependentSize()
    assert (round(size.width()), round(size.height())) == (108, 36)  # 120×40 scaled into the box, kept 3:1
    qtbot.mouseClick(dialog.logo.browse, Qt.MouseButton.LeftButton)
    assert asked[-1] == str(logo.parent)  # again: from the chosen logo's folder


def test_a_chosen_file_that_is_no_image_is_named_without_a_preview(qtbot, tmp_path: Path) -> None:
    text = tmp_path / "logo.png"
    text.write_text("not an image", encoding="utf-8")
    dialog = SetupDialog(Settings(tmp_path / "data"), frozenset({"USD"}), "en", choose_logo=lambda *_a: str(text))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.logo.browse, Qt.MouseButton.LeftButton)
    assert dialog.logo.error.isVisible() and dialog.logo.error.text() == "Logo: must be a PNG or JPEG image"
    assert dialog.logo.preview.isHidden()
    assert not dialog.save() and "Logo: must be a PNG or JPEG image" in dialog.errors.text()
    assert not Settings(tmp_path / "data").load().setup_done


def test_settings_browse_stores_the_logo_and_shows_it(window: MainWindow, qtbot, data_dir: Path, logo: Path) -> None:
    page = SettingsPage(window.settings, window.store, "en", choose_logo=lambda *_a: str(logo))
    qtbot.addWidget(page)
    page.show()
    qtbot.mouseClick(page.logo_field.browse, Qt.MouseButton.LeftButton)
    assert Settings(data_dir).load().organisation_logo == str(logo)
    assert page.logo_field.preview.isVisible() and not page.logo_field.preview.pixmap().isNull()


def test_settings_keeps_the_default_currency_for_new_cases(window: MainWindow, qtbot, data_dir: Path) -> None:
    page = window.settings_page
    combo = page.currency.widget
    assert combo.findData("SAR") > 0  # the currencies the rate table reaches are offered
    chf = combo.findData("CHF")
    assert chf < 0 or not combo.model().item(chf).isEnabled()  # others greyed: no rate
    pick(combo, "GBP")
    assert Settings(data_dir).load().default_currency == "GBP"
    window.cases.new_case()
    assert window.cases.editor.fields["preferences.currency"].value() == "GBP"


def test_a_bad_e_mail_in_settings_is_named_and_not_stored(window: MainWindow, qtbot, data_dir: Path) -> None:
    page = window.settings_page
    qtbot.keyClicks(page.email, "dana@example")
    page.email.editingFinished.emit()
    assert not page.profile_errors.isHidden() and page.profile_errors.text().startswith("E-mail:")
    assert Settings(data_dir).load().coordinator_email == ""
    assert page.email.text() == "dana@example"  # kept typed


# --- the nationality prefills the plan language and the currency ----------------------------------------


def test_a_spanish_national_gets_spanish_and_euros_and_undo_takes_them_back(window: MainWindow) -> None:
    window.cases.new_case()
    editor = window.cases.editor
    pick(editor.fields["patient.nationality"].widget, "ES")
    assert editor.fields["patient.language"].value() == "es"
    assert editor.fields["preferences.currency"].value() == "EUR"
    assert editor.fields["patient.language"].widget.currentText() == "Spanish"  # the prefill is visible
    note = window.cases.prefill.note  # and said under the nationality (the currency is on another tab)
    assert not note.isHidden()
    assert note.text() == "Filled in from the nationality: Language of the plan: Spanish; Currency: Euro (EUR)"
    assert window.cases.plan_panel.language.currentData() == "es"  # the plan follows it
    editor.flush()
    saved = window.cases_store.get(editor.case.id).document
    assert (saved["patient"]["language"], saved["preferences"]["currency"]) == ("es", "EUR")

    editor.undo_stack.undo()
    assert note.isHidden()
    editor.undo_stack.undo()
    assert editor.fields["preferences.currency"].value() is None
    assert editor.fields["patient.language"].value() is None
    assert editor.fields["patient.nationality"].value() == "ES"

    pick(editor.fields["patient.nationality"].widget, "DE")  # filled again; then changed with the nationality
    assert (editor.fields["patient.language"].value(), editor.fields["preferences.currency"].value()) == ("de", "EUR")
    pick(editor.fields["patient.nationality"].widget, "SA")
    assert (editor.fields["patient.language"].value(), editor.fields["preferences.currency"].value()) == ("ar", "SAR")


def test_a_language_or_currency_the_coordinator_chose_is_never_overwritten(window: MainWindow) -> None:
    window.cases.new_case()
    editor = window.cases.editor
    pick(editor.fields["patient.language"].widget, "en")
    pick(editor.fields["patient.nationality"].widget, "ES")
    assert editor.fields["patient.language"].value() == "en"  # chosen: kept
    assert editor.fields["preferences.currency"].value() == "EUR"  # empty: filled
    pick(editor.fields["preferences.currency"].widget, "USD")
    pick(editor.fields["patient.nationality"].widget, "CN")
    assert (editor.fields["patient.language"].value(), editor.fields["preferences.currency"].value()) == ("en", "USD")


def test_a_new_case_s_default_currency_gives_way_to_the_nationality_s(window: MainWindow, data_dir: Path) -> None:
    Settings(data_dir).update(default_currency="USD")
    window.cases.new_case()
    editor = window.cases.editor
    assert editor.fields["preferences.currency"].value() == "USD"
    pick(editor.fields["patient.nationality"].widget, "RU")
    assert (editor.fields["patient.language"].value(), editor.fields["preferences.currency"].value()) == ("ru", "RUB")
    pick(editor.fields["patient.nationality"].widget, "CH")  # Swiss francs: no rate, so the default again; German
    assert (editor.fields["patient.language"].value(), editor.fields["preferences.currency"].value()) == ("de", "USD")


def test_an_existing_case_keeps_what_it_holds(window: MainWindow) -> None:
    open_sample(window, "Lucia")  # Mexican, Spanish, pesos: stored values are the coordinator's
    editor = window.cases.editor
    pick(editor.fields["patient.nationality"].widget, "DE")
    assert (editor.fields["patient.language"].value(), editor.fields["preferences.currency"].value()) == ("es", "MXN")
    pick(editor.fields["patient.language"].widget, None)  # emptied by the coordinator: filled at the next pick
    pick(editor.fields["patient.nationality"].widget, "AT")
    assert (editor.fields["patient.language"].value(), editor.fields["preferences.currency"].value()) == ("de", "MXN")


def test_countries_passed_on_the_way_leave_nothing_behind(window: MainWindow, qtbot) -> None:
    """A country picked on the way (typing into the closed list picks each match) leaves nothing behind."""
    window.cases.new_case()
    editor = window.cases.editor
    combo = editor.fields["patient.nationality"].widget
    combo.setFocus()
    qtbot.keyClicks(combo, "Spain")  # typed, as on a call: Saint Barthélemy, … on the way
    assert combo.currentData() == "ES"
    assert (editor.fields["patient.language"].value(), editor.fields["preferences.currency"].value()) == ("es", "EUR")
    pick(combo, "TR")  # Türkiye: Turkish lira (a rate exists), no plan language
    assert (editor.fields["patient.language"].value(), editor.fields["preferences.currency"].value()) == (None, "TRY")
    pick(combo, "CH")  # no rate for francs: the lira filled on the way goes
    assert (editor.fields["patient.language"].value(), editor.fields["preferences.currency"].value()) == ("de", None)
    pick(combo, "IN")  # no language most Indians speak is a plan language: German filled on the way goes too
    assert (editor.fields["patient.language"].value(), editor.fields["preferences.currency"].value()) == (None, "INR")
