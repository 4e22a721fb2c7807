"""Settings: the coordinator's profile, the organisation's letterhead and terms, the appearance, security and
backups, and the exchange rates in force."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.cases.editor import CurrencyField
from desktop.cases.fields import DateField
from desktop.settings.editors import error_label, on_editing_finished, show_problems, text_editor
from desktop.settings.language import offered_languages
from desktop.settings.logo_field import Chooser, LogoField
from desktop.settings.preferences import preferences_of
from desktop.settings.recheck import recheck_box
from desktop.settings.terms import TermsSection
from desktop.settings.theme import apply_theme
from desktop.shared.plain import plain
from desktop.shared.scrolling import fill_with_scrolling
from desktop.shared.tasks import TaskRunner
from desktop.shared.widgets import fit_header, push_button, set_placeholder
from planning.i18n import N_, _, format_partial_date, language_name
from planning.knowledge.models import pick
from planning.money import RateError, reachable_currencies
from services.settings import MAX_PHONE, MAX_REGISTRATION, Preferences, problems
from services.stores import COORDINATOR_SOURCE, KnowledgeStore

if TYPE_CHECKING:
    from desktop.security.section import SecuritySection
    from services.stores import CaseStore, CaseVault

T_OUTDATED = N_("outdated")


APPEARANCES = (("system", N_("Follow the system")), ("light", N_("Light")), ("dark", N_("Dark")))


class SettingsPage(QWidget):
    profile_changed = Signal(str, str)
    rates_changed = Signal()
    appearance_changed = Signal(str)
    language_changed = Signal(str)
    lock_minutes_changed = Signal(int)
    recheck_months_changed = Signal(int)
    restore_requested = Signal(object)

    def __init__(
        self,
        settings: QSettings,
        store: KnowledgeStore,
        locale: str,
        parent: QWidget | None = None,
        choose_logo: Chooser | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("settingsPage")
        self.settings, self.store, self.locale = settings, store, locale
        self.preferences = preferences_of(settings)
        stored = self.preferences.load()
        self.security: SecuritySection | None = None

        profile = QGroupBox(_("Coordinator"), self)
        form = QFormLayout(profile)
        self.name = QLineEdit(stored.coordinator_name, profile)
        self.name.setObjectName("profileName")
        self.email = QLineEdit(stored.coordinator_email, profile)
        self.email.setObjectName("profileEmail")
        self.phone = QLineEdit(stored.coordinator_phone, profile)
        self.phone.setObjectName("profilePhone")
        self.phone.setMaxLength(MAX_PHONE)
        set_placeholder(self.phone, "+49 30 1234 5678")
        self.profile_errors = error_label("profileErrors", profile)
        for edit in (self.name, self.email, self.phone):
            edit.editingFinished.connect(self._save_profile)
        form.addRow(_("Your name (recorded with every change)"), self.name)
        form.addRow(_("Your e-mail"), self.email)
        form.addRow(_("Your phone"), self.phone)
        self.currency = CurrencyField(locale, profile)  # as the case's: the currencies the rates reach first
        self.currency.widget.setObjectName("defaultCurrency")
        self.currency.set_reachable(reachable_currencies(store.rates()))
        self.currency.set_value(stored.default_currency or None)
        self.currency.widget.setToolTip(
            _("New cases are estimated in it unless the patient's nationality suggests another.")
        )
        self.currency.edited.connect(self._save_currency)
        form.addRow(_("Default currency of new cases"), self.currency.widget)
        form.addRow(self.profile_errors)

        org = QGroupBox(_("Organisation (shown on every plan)"), self)
        org_form = QFormLayout(org)
        self.org_name = QLineEdit(stored.organisation_name, org)
        self.org_name.setObjectName("organisationName")
        set_placeholder(self.org_name, _("your organisation's name"))
        self.org_address = text_editor("organisationAddress", 4, org)
        self.org_address.setPlainText(stored.organisation_address)
        self.org_address.setPlaceholderText(_("street and number\npostcode and town\ncountry"))
        self.org_address.document().setModified(False)
        self.org_contact = QLineEdit(stored.organisation_contact, org)
        self.org_contact.setObjectName("organisationContact")
        set_placeholder(self.org_contact, _("phone, e-mail, web site"))
        self.org_registration = QLineEdit(stored.organisation_registration, org)
        self.org_registration.setObjectName("organisationRegistration")
        self.org_registration.setMaxLength(MAX_REGISTRATION)
        set_placeholder(self.org_registration, _("company, tax or licence number"))
        self.org_errors = error_label("organisationErrors", org)
        # the path, Browse… and a preview; a stored logo that no longer fits (e.g. the file grew since) is named:
        # plans are made without it
        self.logo_field = LogoField(stored.organisation_logo, org, choose_logo)
        self.org_logo = self.logo_field.edit
        self.org_logo.setObjectName("organisationLogo")
        self.org_logo_error = self.logo_field.error
        self.logo_field.chosen.connect(lambda _path: self._save_organisation())
        for edit in (self.org_name, self.org_contact, self.org_registration, self.org_logo):
            edit.editingFinished.connect(self._save_organisation)
        on_editing_finished(self.org_address, self._save_organisation)
        org_form.addRow(_("Name"), self.org_name)
        org_form.addRow(_("Address"), self.org_address)
        org_form.addRow(_("Contact"), self.org_contact)
        org_form.addRow(_("Registration"), self.org_registration)
        org_form.addRow(_("Logo"), self.logo_field)
        org_form.addRow(self.org_errors)

        self.terms = TermsSection(stored, locale, self._store_preferences, self)

        appearance = QGroupBox(_("Appearance"), self)
        self.appearance_box = appearance
        appearance_form = QFormLayout(appearance)
        self.appearance = QComboBox(appearance)
        self.appearance.setObjectName("appearance")
        for key, label in APPEARANCES:
            self.appearance.addItem(_(label), key)
        self.appearance.setCurrentIndex(max(self.appearance.findData(stored.appearance), 0))
        self.appearance.activated.connect(self._appearance)
        appearance_form.addRow(_("Light or dark"), self.appearance)
        self.language = QComboBox(appearance)
        self.language.setObjectName("language")
        for code in offered_languages(locale):
            self.language.addItem(language_name(code), code)
        self.language.setCurrentIndex(max(self.language.findData(locale), 0))
        self.language.activated.connect(lambda _index: self.language_changed.emit(self.language.currentData()))
        appearance_form.addRow(_("Language of the app"), self.language)
        self.recheck = recheck_box(stored.recheck_months, store.pack().info.recheck_months, appearance)
        self.recheck.valueChanged.connect(self._recheck_changed)
        appearance_form.addRow(_("Re-check facts older than"), self.recheck)

        rates = QGroupBox(_("Exchange rates (offline; used by every estimate)"), self)
        rates_layout = QVBoxLayout(rates)
        self.table = QTableWidget(0, 4, rates)
        self.table.setObjectName("ratesTable")
        self.table.setTabKeyNavigation(False)  # arrows move between cells; Tab leaves the table
        self.table.setHorizontalHeaderLabels([_("Rate"), _("As of"), _("Source"), _("Note")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        fit_header(self.table.horizontalHeader())  # no title cut off, the last column still stretched
        rates_layout.addWidget(self.table)

        entry = QHBoxLayout()
        self.base = QLineEdit(rates)
        self.base.setObjectName("rateBase")
        set_placeholder(self.base, "EUR")
        self.base.setMaxLength(3)
        self.quote = QLineEdit(rates)
        self.quote.setObjectName("rateQuote")
        set_placeholder(self.quote, "USD")
        self.quote.setMaxLength(3)
        self.rate = QLineEdit(rates)
        self.rate.setObjectName("rateValue")
        set_placeholder(self.rate, "1.1684")
        self.as_of = DateField(rates)
        self.as_of.edit.setObjectName("rateAsOf")
        self.note = QLineEdit(rates)
        self.note.setObjectName("rateNote")
        set_placeholder(self.note, _("where it comes from, e.g. the central bank's website"))
        for label, widget in ((_("1"), self.base), ("=", self.rate), ("", self.quote), (_("as of"), self.as_of.widget)):
            if label:
                entry.addWidget(QLabel(label, rates))
            entry.addWidget(widget)
        entry.addWidget(self.note, 1)
        rates_layout.addLayout(entry)
        buttons = QHBoxLayout()
        self.save_rate = push_button(_("Save this rate"), "saveRate", self.enter_rate, rates)
        self.remove = push_button(_("Remove my rate"), "removeRate", self.remove_selected, rates)
        buttons.addWidget(self.save_rate)
        buttons.addWidget(self.remove)
        buttons.addStretch(1)
        rates_layout.addLayout(buttons)
        self.rate_errors = QLabel(rates)
        self.rate_errors.setObjectName("rateErrors")
        self.rate_errors.setStyleSheet("color: #d93025;")
        self.rate_errors.setWordWrap(True)
        self.rate_errors.setTextFormat(Qt.TextFormat.PlainText)  # may repeat what was typed
        self.rate_errors.hide()
        rates_layout.addWidget(self.rate_errors)
        hint = QLabel(
            _(
                "A rate you enter replaces the pack's rate for the same two currencies. Rates marked "
                "outdated should be updated before quoting."
            ),
            rates,
        )
        hint.setWordWrap(True)
        rates_layout.addWidget(hint)

        costs = QGroupBox(_("Estimate assumptions (double-click Low or High to change; * = editable estimate)"), self)
        costs_layout = QVBoxLayout(costs)
        self.costs = QTableWidget(0, 6, costs)
        self.costs.setObjectName("costsTable")
        self.costs.setTabKeyNavigation(False)  # arrows move between cells; Tab leaves the table
        self.costs.setHorizontalHeaderLabels([_("Destination"), _("What"), _("Low"), _("High"), _("Unit"), _("Basis")])
        self.costs.verticalHeader().hide()
        self.costs.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.costs.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)  # long labels elide; full text on hover
        header.setStretchLastSection(False)
        self.costs.setWordWrap(False)
        self.costs.setMinimumHeight(260)
        self.costs.itemChanged.connect(self._cost_edited)
        costs_layout.addWidget(self.costs)
        reset = push_button(_("Back to the pack's figure"), "resetCost", self.reset_selected_cost, costs)
        costs_layout.addWidget(reset)
        self.cost_errors = QLabel(costs)
        self.cost_errors.setObjectName("costErrors")
        self.cost_errors.setStyleSheet("color: #d93025;")
        self.cost_errors.setTextFormat(Qt.TextFormat.PlainText)
        self.cost_errors.hide()
        costs_layout.addWidget(self.cost_errors)

        body = QWidget(self)
        layout = QVBoxLayout(body)
        self.body_layout = layout
        layout.addWidget(profile)
        layout.addWidget(org)
        layout.addWidget(self.terms)
        layout.addWidget(appearance)
        layout.addWidget(rates, 1)
        layout.addWidget(costs, 1)
        fill_with_scrolling(self, body)
        self.show_rates()
        self.show_costs()

    def set_security(
        self,
        vault: CaseVault,
        store: CaseStore,
        who: str,
        tasks: TaskRunner | None = None,
        opener: Callable[[Path], None] | None = None,
    ) -> SecuritySection:
        """Show the "Security" and "Backups" groups for this vault and case store (again after a restore)."""
        if self.security is not None:
            self.security.set_store(vault, store, who)
            return self.security
        from desktop.security.section import SecuritySection

        if tasks is None:
            tasks = TaskRunner(self)
        self.security = SecuritySection(self.settings, vault, store, who, self.locale, tasks, self, opener)
        self.security.lock_minutes_changed.connect(self.lock_minutes_changed)
        self.security.restore_requested.connect(self.restore_requested)
        self.body_layout.insertWidget(self.body_layout.indexOf(self.appearance_box) + 1, self.security)
        return self.security

    def show_costs(self) -> None:
        self.costs.blockSignals(True)
        costs = sorted(self.store.cost_defaults(), key=lambda c: (c.country, c.item))
        self.costs.setRowCount(len(costs))
        for row, cost in enumerate(costs):
            source = self.store.pack().sources.get(cost.sourced.source)
            basis = (
                _("changed by you on {date}").format(date=cost.sourced.as_of)
                if cost.sourced.source == COORDINATOR_SOURCE
                else (source.publisher if source else cost.sourced.source)
            )
            unit = cost.currency if cost.currency != "-" else (_("percent") if "percent" in cost.item else _("days"))
            cells = [
                cost.country,
                pick(cost.label, self.locale),
                str(cost.low),
                str(cost.high),
                unit,
                basis + (" *" if cost.estimate else ""),
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(0x0100, (cost.country, cost.item))
                editable = column in (2, 3)
                flags = (
                    item.flags() | Qt.ItemFlag.ItemIsEditable
                    if editable
                    else item.flags() & ~Qt.ItemFlag.ItemIsEditable
                )
                item.setFlags(flags)
                if column == 1:
                    item.setToolTip(plain(pick(cost.label, self.locale)))
                self.costs.setItem(row, column, item)
        self.costs.blockSignals(False)

    def _cost_edited(self, item: QTableWidgetItem) -> None:
        row = item.row()
        country, key = item.data(0x0100)
        low, high = self.costs.item(row, 2).text(), self.costs.item(row, 3).text()
        try:
            self.store.set_cost(country, key, low, high)
        except RateError as exc:
            names = {"low": _("low"), "high": _("high"), "item": _("assumption")}
            self.cost_errors.setText("; ".join(f"{names.get(p.field, p.field)}: {p.localized()}" for p in exc.problems))
            self.cost_errors.show()
            self.show_costs()  # back to the stored figures
            return
        self.cost_errors.hide()
        self.show_costs()
        self.rates_changed.emit()

    def reset_selected_cost(self) -> None:
        for row in {index.row() for index in self.costs.selectedIndexes()}:
            country, key = self.costs.item(row, 0).data(0x0100)
            self.store.reset_cost(country, key)
        self.show_costs()
        self.rates_changed.emit()

    def _save_profile(self) -> None:
        """The name as typed; the e-mail address and the phone number only when they are one (else named, and
        kept typed)."""
        changes = {"coordinator_name": self.name.text()}
        typed = {"coordinator_email": self.email.text().strip(), "coordinator_phone": self.phone.text()}
        refused = self._refused(**typed)
        show_problems(self.profile_errors, list(refused.values()))
        changes.update({name: value for name, value in typed.items() if name not in refused})
        self._store_preferences(**changes)
        if self.security is not None and self.name.text().strip():
            self.security.who = self.name.text().strip()
        self.profile_changed.emit(self.name.text().strip(), self.email.text().strip())

    def _save_organisation(self) -> None:
        """Stored with the preferences, where the command line reads it too."""
        logo = self.logo_field.path()
        problem = self.logo_field.check()  # as the plan reads it: a PNG or JPEG within bounds (with its preview)
        changes = {
            "organisation_name": self.org_name.text(),
            "organisation_contact": self.org_contact.text(),
            "organisation_registration": self.org_registration.text(),
            "organisation_logo": "" if problem else logo,
        }
        refused = self._refused(organisation_address=self.org_address.toPlainText())
        show_problems(self.org_errors, list(refused.values()))
        if not refused:
            changes["organisation_address"] = self.org_address.toPlainText()
        self._store_preferences(**changes)

    @staticmethod
    def _refused(**typed: Any) -> dict[str, str]:
        """What is wrong with the values typed, by field, each message naming its field."""
        return {
            name: text for name, text in problems(dataclasses.replace(Preferences(), **typed)).items() if name in typed
        }

    def _store_preferences(self, **changes: Any) -> Preferences | None:
        """Keep changed preferences, and return them as stored; a disk that refuses them is said plainly
        (what is typed stays shown) and None returned."""
        try:
            return self.preferences.update(**changes)
        except OSError as exc:
            QMessageBox.warning(
                self,
                _("Settings"),
                plain(_("The settings could not be saved: {reason}").format(reason=exc.strerror or exc)),
            )
            return None

    def _recheck_changed(self, months: int) -> None:
        if self._store_preferences(recheck_months=months) is not None:
            self.recheck_months_changed.emit(months)

    def _appearance(self, _index: int) -> None:
        scheme = self.appearance.currentData()
        self._store_preferences(appearance=scheme)
        apply_theme(QApplication.instance(), scheme)
        self.appearance_changed.emit(scheme)

    def show_stored(self) -> None:
        """Show the profile, the letterhead and the default currency as stored now (the set-up saved them)."""
        stored = self.preferences.load()
        for edit, text in (
            (self.name, stored.coordinator_name),
            (self.email, stored.coordinator_email),
            (self.phone, stored.coordinator_phone),
            (self.org_name, stored.organisation_name),
            (self.org_contact, stored.organisation_contact),
            (self.org_registration, stored.organisation_registration),
            (self.org_logo, stored.organisation_logo),
        ):
            edit.setText(text)
        self.org_address.setPlainText(stored.organisation_address)
        self.org_address.document().setModified(False)
        self.currency.set_value(stored.default_currency or None)
        self.logo_field.check()
        if self.security is not None and stored.coordinator_name.strip():
            self.security.who = stored.coordinator_name.strip()

    def _save_currency(self) -> None:
        self._store_preferences(default_currency=self.currency.value() or "")

    def show_rates(self) -> None:
        self.currency.set_reachable(reachable_currencies(self.store.rates()))
        own = {(r.base, r.quote): note for r, note in self.store.coordinator_rates()}
        rates = sorted(self.store.rates(), key=lambda r: (r.base, r.quote))
        self.table.setRowCount(len(rates))
        for row, rate in enumerate(rates):
            mine = rate.sourced.source == COORDINATOR_SOURCE
            source = self.store.pack().sources.get(rate.sourced.source)
            cells = [
                f"1 {rate.base} = {rate.rate} {rate.quote}",
                format_partial_date(rate.sourced.as_of, self.locale) + (f" · {_(T_OUTDATED)}" if rate.outdated else ""),
                _("Entered by you") if mine else (source.publisher if source else rate.sourced.source),
                own.get((rate.base, rate.quote), "") if mine else "",
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(0x0100, (rate.base, rate.quote, mine))
                if source and column == 2:
                    item.setToolTip(plain(source.title))
                self.table.setItem(row, column, item)

    def enter_rate(self) -> bool:
        """Validate and store the rate typed below the table; every problem is named."""
        try:
            self.store.set_rate(
                self.base.text(), self.quote.text(), self.rate.text(), self.as_of.value() or "", self.note.text()
            )
        except RateError as exc:
            names = {"base": _("first currency"), "quote": _("second currency"), "rate": _("rate"), "as_of": _("date")}
            self.rate_errors.setText("\n".join(f"{names[p.field]}: {p.localized()}" for p in exc.problems))
            self.rate_errors.show()
            return False
        self.rate_errors.hide()
        for edit in (self.base, self.quote, self.rate, self.note):
            edit.clear()
        self.as_of.set_value(None)
        self.show_rates()
        self.rates_changed.emit()
        return True

    def remove_selected(self) -> None:
        rows = {index.row() for index in self.table.selectedIndexes()}
        for row in rows:
            base, quote, mine = self.table.item(row, 0).data(0x0100)
            if mine:
                self.store.remove_rate(base, quote)
        self.show_rates()
        self.rates_changed.emit()
