"""The first-run set-up, after the passphrase: who the coordinator is, the organisation printed on every plan
(name, logo, address, contact) and the currency new cases are estimated in. Shown until it is finished or
skipped ("Skip for now", Esc or closing it), never again after; everything is editable later in Settings.
Saved through services.settings like every other setting, and checked there first (messages name the field)."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.settings.editors import error_label, show_problems, text_editor
from desktop.settings.logo_field import Chooser, LogoField
from desktop.shared.widgets import set_placeholder
from planning.i18n import _
from planning.money import reachable_currencies
from services.settings import MAX_PHONE, Preferences, Settings, needs_setup, problems

if TYPE_CHECKING:
    from services.stores import KnowledgeStore

log = logging.getLogger(__name__)

FIELDS = (
    "coordinator_name",
    "coordinator_email",
    "coordinator_phone",
    "organisation_name",
    "organisation_logo",
    "organisation_address",
    "organisation_contact",
    "default_currency",
)
"""The settings the set-up asks for, in the order it shows them."""


class SetupDialog(QDialog):
    """The set-up form; ``saved`` holds the preferences as stored once "Save" kept them."""

    def __init__(
        self,
        settings: Settings,
        reachable: frozenset[str],
        locale: str,
        parent: QWidget | None = None,
        choose_logo: Chooser | None = None,
    ):
        from desktop.cases.editor import CurrencyField  # the case editor's list: the currencies the rates reach

        super().__init__(parent)
        self.setObjectName("setupDialog")
        self.setWindowTitle(_("Set up CarePlan Desk"))
        self.settings = settings
        self.saved: Preferences | None = None
        stored = settings.load()

        intro = QLabel(
            _(
                "Your name and your organisation are printed on every plan a patient receives. "
                "Everything here can be changed later in Settings."
            ),
            self,
        )
        intro.setWordWrap(True)

        you = QGroupBox(_("Coordinator"), self)
        you_form = QFormLayout(you)
        self.name = self._line("setupName", stored.coordinator_name, you)
        set_placeholder(self.name, _("as patients should read it"))
        self.email = self._line("setupEmail", stored.coordinator_email, you)
        set_placeholder(self.email, "name@example.org")
        self.phone = self._line("setupPhone", stored.coordinator_phone, you)
        self.phone.setMaxLength(MAX_PHONE)
        set_placeholder(self.phone, "+49 30 1234 5678")
        you_form.addRow(_("Your name"), self.name)
        you_form.addRow(_("Your e-mail"), self.email)
        you_form.addRow(_("Your phone"), self.phone)

        org = QGroupBox(_("Organisation (shown on every plan)"), self)
        org_form = QFormLayout(org)
        self.org_name = self._line("setupOrganisationName", stored.organisation_name, org)
        set_placeholder(self.org_name, _("your organisation's name"))
        self.logo = LogoField(stored.organisation_logo, org, choose_logo)
        self.logo.edit.setObjectName("setupLogo")
        self.address = text_editor("setupAddress", 4, org)
        self.address.setPlainText(stored.organisation_address)
        self.address.setPlaceholderText(_("street and number\npostcode and town\ncountry"))
        self.contact = self._line("setupContact", stored.organisation_contact, org)
        set_placeholder(self.contact, _("phone, e-mail, web site"))
        org_form.addRow(_("Name"), self.org_name)
        org_form.addRow(_("Logo"), self.logo)
        org_form.addRow(_("Address"), self.address)
        org_form.addRow(_("Contact"), self.contact)

        estimates = QGroupBox(_("Estimates"), self)
        estimates_form = QFormLayout(estimates)
        self.currency = CurrencyField(locale, estimates)
        self.currency.widget.setObjectName("setupCurrency")
        self.currency.set_reachable(reachable)
        self.currency.set_value(stored.default_currency or None)
        hint = _("New cases are estimated in it unless the patient's nationality suggests another.")
        self.currency.widget.setToolTip(hint)
        estimates_form.addRow(_("Default currency"), self.currency.widget)
        note = QLabel(hint, estimates)
        note.setWordWrap(True)
        note.setEnabled(False)  # the palette's quieter text
        estimates_form.addRow(note)

        self.errors = error_label("setupErrors", self)
        buttons = QDialogButtonBox(self)
        self.save_button = buttons.addButton(_("Save"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setObjectName("setupSave")
        self.save_button.setDefault(True)
        self.skip_button = buttons.addButton(_("Skip for now"), QDialogButtonBox.ButtonRole.RejectRole)
        self.skip_button.setObjectName("setupSkip")
        self.save_button.clicked.connect(self.save)
        self.skip_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(you)
        layout.addWidget(org)
        layout.addWidget(estimates)
        layout.addWidget(self.errors)
        layout.addWidget(buttons)
        self.setMinimumWidth(620)  # the intro on two lines, the address and contact without scrolling
        self.widgets: dict[str, QWidget] = {
            "coordinator_name": self.name,
            "coordinator_email": self.email,
            "coordinator_phone": self.phone,
            "organisation_name": self.org_name,
            "organisation_logo": self.logo.edit,
            "organisation_address": self.address,
            "organisation_contact": self.contact,
            "default_currency": self.currency.widget,
        }

    @staticmethod
    def _line(name: str, text: str, parent: QWidget) -> QLineEdit:
        edit = QLineEdit(text, parent)
        edit.setObjectName(name)
        return edit

    def typed(self) -> dict[str, str]:
        """The values as the form shows them now, by setting."""
        return {
            "coordinator_name": self.name.text(),
            "coordinator_email": self.email.text().strip(),
            "coordinator_phone": self.phone.text(),
            "organisation_name": self.org_name.text(),
            "organisation_logo": self.logo.path(),
            "organisation_address": self.address.toPlainText(),
            "organisation_contact": self.contact.text(),
            "default_currency": self.currency.value() or "",
        }

    def save(self) -> bool:
        """Keep what is typed and close; a value that would not be kept as typed is named (each message names
        its field), the cursor put in the first, nothing stored and nothing typed lost."""
        typed = self.typed()
        found = {name: text for name, text in problems(Preferences(**typed)).items() if name in FIELDS}
        if typed["organisation_logo"] and (problem := self.logo.check()):
            found["organisation_logo"] = problem
        if found:
            show_problems(self.errors, [found[name] for name in FIELDS if name in found])
            self.widgets[next(name for name in FIELDS if name in found)].setFocus(Qt.FocusReason.OtherFocusReason)
            return False
        try:
            self.saved = self.settings.save(dataclasses.replace(self.settings.load(), **typed, setup_done=True))
        except OSError as exc:
            reason = exc.strerror or str(exc)
            show_problems(self.errors, [_("The settings could not be saved: {reason}").format(reason=reason)])
            return False
        log.info("first-run set-up saved")
        self.accept()
        return True

    def reject(self) -> None:
        """Skipped (the button, Esc or the window's close button): not offered again; nothing typed is kept."""
        try:
            self.settings.update(setup_done=True)
        except OSError:  # offered again at the next start
            log.warning("the set-up could not be marked as skipped")
        super().reject()


def offer_setup(
    parent: QWidget,
    settings: Settings,
    store: KnowledgeStore,
    locale: str,
    saved: Callable[[Preferences], object],
    choose_logo: Chooser | None = None,
) -> SetupDialog | None:
    """Open the set-up over ``parent`` (window-modal) when it was never finished nor skipped; ``saved`` is
    called with the stored preferences once it is saved. The dialog, or None when there is none to show."""
    if not needs_setup(settings.load()):
        return None
    dialog = SetupDialog(settings, reachable_currencies(store.rates()), locale, parent, choose_logo)
    dialog.accepted.connect(lambda: saved(dialog.saved) if dialog.saved is not None else None)
    dialog.open()
    return dialog
