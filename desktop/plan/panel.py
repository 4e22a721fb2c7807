"""The Plan tab of a case: generate the PDF, preview it, save, print, e-mail, and every version kept."""

from __future__ import annotations

import email
import email.policy
import shutil
import subprocess
from collections.abc import Callable
from datetime import date
from email.message import EmailMessage
from pathlib import Path

from babel.dates import format_date
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.plan.compare import compare_button
from desktop.plan.no_mail import tell_no_mail_program
from desktop.plan.preview import PdfPreview, PreviewWindow
from desktop.plan.sent_confirmation import sent_question
from desktop.shared.plain import plain
from desktop.shared.printing import ask_printer, print_document
from desktop.shared.questions import careful_question
from desktop.shared.status_label import StatusLabel
from desktop.shared.tasks import TaskRunner
from planning.case import email_address, parse_case_lenient
from planning.catalogs import CatalogError
from planning.files import safe_file_name, write_atomic
from planning.follow_up import FOLLOW_UP_DAYS as FOLLOW_UP_DAYS  # the usual follow-up after a plan was sent
from planning.follow_up import follow_up_when_sent
from planning.i18n import (
    DOCUMENT_LOCALES,
    _,
    babel_locale,
    country_name,
    format_local_time,
    isolate,
    language_name,
    locale_scope,
    ngettext,
)
from planning.knowledge.models import CostDefault, Pack, Rate
from planning.plan import plan_from_json, plan_to_json
from planning.plan_diff import FACTS_KEY, listed_totals, plan_facts
from services.paths import PRIVATE_FOLDER
from services.plans import make_plan
from services.settings import Preferences
from services.stores import CaseStore, PlanVersion

OUTBOX_DAYS = 7
"""E-mail drafts and their PDFs older than this are removed from the outbox (the plan stays in the case)."""


def thunderbird_compose(draft: Path) -> str:
    """Thunderbird's ``-compose`` argument for an .eml draft: To, subject, text and the PDF attached.

    Thunderbird would read a whole .eml given as ``message=`` as the text, so the attachment is written
    beside the draft and handed over as a file URL; quotes inside values are made typographic so they
    cannot end a value early."""
    message = email.message_from_bytes(draft.read_bytes(), policy=email.policy.default)
    parts = []
    for key in ("to", "subject"):
        if message[key]:
            parts.append(f"{key}='{_quoted(str(message[key]))}'")
    body = message.get_body(("plain",))
    if body is not None:
        parts.append(f"body='{_quoted(body.get_content())}'")
    for attachment in message.iter_attachments():
        target = draft.with_name(safe_file_name(Path(attachment.get_filename() or "plan").stem))
        write_atomic(target, attachment.get_content())
        parts.append(f"attachment='{target.as_uri()}'")
    return ",".join(parts)


def tidy_outbox(folder: Path, days: int = OUTBOX_DAYS, now: float | None = None) -> list[Path]:
    """Remove the files in ``folder`` last changed more than ``days`` ago; returns what was removed."""
    import time

    limit = (time.time() if now is None else now) - days * 86400
    removed = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return removed
    for path in entries:
        try:
            if path.is_file() and path.stat().st_mtime < limit:
                path.unlink()
                removed.append(path)
        except OSError:
            continue
    return removed


def _quoted(text: str) -> str:
    return text.replace("'", "\u2019")


def default_opener(path: Path) -> None:
    """Open an e-mail draft: Thunderbird's compose window where it exists, else the system's handler."""
    thunderbird = shutil.which("thunderbird")
    if thunderbird and path.suffix == ".eml":
        subprocess.Popen([thunderbird, "-compose", thunderbird_compose(path)])
        return
    if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
        raise OSError(f"no program opens {path.name}")


class PlanPanel(QWidget):
    """The plans of the open case.

    The plan's language follows the patient's language (as typed on the Patient tab, saved or not)
    until the coordinator picks another one here; that pick holds for the open case until the patient's
    language is changed again or another case is opened: the latest deliberate choice wins.

    An e-mail is only a draft until the coordinator confirms it was sent ("Mark as sent…"); only then is
    the version marked sent, the case "Plan sent" with a follow-up date, and ``plan_sent`` emitted."""

    plan_sent = Signal(int)
    """A plan of this case (its id) was confirmed sent: the case's status and follow-up changed."""
    field_requested = Signal(str)
    """The coordinator wants to correct a field of the case (its path, e.g. ``patient.email``)."""

    def __init__(
        self,
        store: CaseStore,
        pack: Pack,
        tasks: TaskRunner,
        current: Callable[[], tuple[int, dict, str] | None],
        rates: Callable[[], list[Rate]],
        costs: Callable[[], list[CostDefault]],
        preferences: Callable[[], Preferences],
        who: Callable[[], str],
        outbox: Path,
        opener: Callable[[Path], None] = default_opener,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("planPanel")
        self.store, self.pack, self.tasks = store, pack, tasks
        self._current, self._rates, self._costs = current, rates, costs
        self._preferences, self._who, self.outbox, self.opener = preferences, who, outbox, opener
        self.case_id: int | None = None
        self.version: PlanVersion | None = None
        self.busy = False
        self.picked = False
        """The coordinator chose the plan's language here (after the case was opened and after the patient's
        language last changed): it no longer follows the patient's language."""
        self._outbox_ready = False
        if self.outbox.is_dir():
            self._prepare_outbox()

        self.language = QComboBox(self)
        self.language.setObjectName("planLanguage")
        for code in DOCUMENT_LOCALES:
            self.language.addItem(language_name(code), code)
        self.language.setToolTip(
            _(
                "The patient's language (Patient tab) unless you choose another here; your choice holds for this "
                "case until the patient's language is changed."
            )
        )
        self._following = False
        self.language.currentIndexChanged.connect(self._language_picked)
        self.generate_button = QPushButton(_("Generate the plan"), self)
        self.generate_button.setObjectName("generatePlan")
        self.generate_button.clicked.connect(self.generate)
        self.state = StatusLabel(self)  # plain text, one line, elided: a long message never widens the page
        self.state.setObjectName("planState")
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)  # busy: the render reports no steps
        self.progress.setMaximumWidth(120)
        self.progress.setTextVisible(False)
        keep = self.progress.sizePolicy()
        keep.setRetainSizeWhenHidden(True)  # showing it moves nothing
        self.progress.setSizePolicy(keep)
        self.progress.hide()
        self.versions = QListWidget(self)
        self.versions.setObjectName("planVersions")
        self.versions.currentRowChanged.connect(self._version_chosen)

        self.document = QPdfDocument(self)
        self._buffer: QBuffer | None = None
        self.pop_out_button = QPushButton(_("Pop out"), self)
        self.pop_out_button.setObjectName("planPopOut")
        self.pop_out_button.setToolTip(_("Open the preview in a window of its own, to read it larger"))
        self.pop_out_button.clicked.connect(self.pop_out)
        self.preview = PdfPreview(self.document, self, (self.pop_out_button,))
        self.view, self.page = self.preview.view, self.preview.page
        self.preview_window: PreviewWindow | None = None
        self.save_button = QPushButton(_("Save as…"), self)
        self.save_button.clicked.connect(self.choose_save_target)
        self.print_button = QPushButton(_("Print…"), self)
        self.print_button.clicked.connect(self.print_with_dialog)
        self.mail_button = QPushButton(_("E-mail…"), self)
        self.mail_button.clicked.connect(self.email)
        self.folder_button = QPushButton(_("Save and show in folder"), self)
        self.folder_button.setToolTip(_("Writes the e-mail draft with the plan attached and opens its folder"))
        self.folder_button.clicked.connect(lambda: self.email(in_folder=True))
        self.sent_button = QPushButton(_("Mark as sent…"), self)
        self.sent_button.setObjectName("markSent")
        self.sent_button.setToolTip(
            _("Once the e-mail has gone to the patient: the case becomes “Plan sent” with a follow-up date")
        )
        self.sent_button.clicked.connect(self.confirm_sent)
        for button in self._version_buttons():
            button.setEnabled(False)

        top = QHBoxLayout()
        top.addWidget(QLabel(_("Language of the plan"), self))
        top.addWidget(self.language)
        top.addWidget(self.generate_button)
        top.addWidget(self.progress)
        top.addStretch(1)
        sending = QHBoxLayout()  # what happened last, beside the confirmation that the plan went out
        sending.addWidget(self.state, 1)
        sending.addWidget(self.sent_button)
        actions = QHBoxLayout()
        for widget in (self.save_button, self.print_button, self.mail_button, self.folder_button):
            actions.addWidget(widget)
        actions.addStretch(1)
        preview = self.preview
        history = QWidget(self)
        history_layout = QVBoxLayout(history)
        history_layout.setContentsMargins(0, 0, 0, 0)
        history_layout.addWidget(QLabel(_("Versions"), history))
        history_layout.addWidget(self.versions, 1)
        self.compare_button = compare_button(self)  # what changed between two versions
        history_layout.addWidget(self.compare_button)
        splitter = QSplitter(self)
        splitter.addWidget(history)
        splitter.addWidget(preview)
        splitter.setSizes([260, 600])
        self.versions.setMinimumWidth(180)
        self.versions.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(actions)
        layout.addLayout(sending)
        layout.addWidget(splitter, 1)

    # --- the case and its versions ------------------------------------------------------------

    def _version_buttons(self) -> tuple[QPushButton, ...]:
        """What needs a plan version: save, print, e-mail, show in folder, mark as sent."""
        return (self.save_button, self.print_button, self.mail_button, self.folder_button, self.sent_button)

    def set_case(self, case_id: int, language: str | None) -> None:
        """Show ``case_id``'s plans; the plan's language is the patient's ``language`` (English when it is
        not known), except for the case already open whose plan language was chosen here."""
        if case_id != self.case_id or not self.picked:
            self._show_language(max(self.language.findData(language or "en"), 0))
        self.case_id = case_id
        self.refresh()

    def follow_patient_language(self, language: str | None) -> None:
        """The patient's language was changed (typed on the Patient tab, saved or not): the plan follows it,
        also after a language was picked here (the later choice wins). A cleared or unknown language
        leaves the plan's language as it is."""
        index = self.language.findData(language) if language else -1
        if index >= 0:
            self._show_language(index)

    def _show_language(self, index: int) -> None:
        """The plan's language set to follow the patient's (not a choice made here)."""
        self._following = True
        try:
            self.language.setCurrentIndex(index)
        finally:
            self._following = False
        self.picked = False

    def _language_picked(self, _index: int) -> None:
        if not self._following:  # chosen here (with the mouse, the keyboard, or by a caller)
            self.picked = True

    def clear(self) -> None:
        """No case: nothing shown, nothing to save, print or send (after the case was erased)."""
        self.case_id = None
        self.version = None
        self.picked = False
        self.versions.clear()
        self.document.close()
        self.state.clear()
        for button in self._version_buttons():
            button.setEnabled(False)

    def refresh(self, keep: int | None = None) -> None:
        """List the case's versions, newest first, and show the newest (or version ``keep``)."""
        if self.case_id is None:
            return
        self.versions.blockSignals(True)
        self.versions.clear()
        for version in self.store.plan_versions(self.case_id):
            when = format_local_time(version.created_at)  # medium date, short time: "Dec 3, 2026, 4:08 PM"
            sent_label = _("sent")
            sent = f" · {sent_label}" if version.sent_at else ""
            places = ", ".join(country_name(c) for c in version.destinations)
            item = QListWidgetItem(f"{isolate(when)} · {isolate(language_name(version.locale))}{sent}")
            item.setData(0x0100, version.id)
            item.setToolTip(
                plain(places + "\n" + "\n".join(f"{country_name(c)}: {t}" for c, t in version.totals.items()))
            )
            self.versions.addItem(item)
        self.versions.blockSignals(False)
        if self.versions.count():
            rows = [self.versions.item(row).data(0x0100) for row in range(self.versions.count())]
            row = rows.index(keep) if keep in rows else 0
            self.versions.blockSignals(True)
            self.versions.setCurrentRow(row)
            self.versions.blockSignals(False)
            self._version_chosen(row)
        else:
            self.version = None
            self.document.close()
            for button in self._version_buttons():
                button.setEnabled(False)

    def _version_chosen(self, row: int) -> None:
        if row < 0 or self.case_id is None:
            return
        version_id = self.versions.item(row).data(0x0100)
        self.version = next(v for v in self.store.plan_versions(self.case_id) if v.id == version_id)
        self.show_pdf(self.store.plan_pdf(version_id))
        for button in self._version_buttons():
            button.setEnabled(True)
        self.sent_button.setEnabled(self.version.sent_at is None)  # a version is sent once

    def show_pdf(self, data: bytes) -> None:
        self.document.close()
        self._buffer = QBuffer(self)
        self._buffer.setData(QByteArray(data))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(self._buffer)

    def go_to_page(self, number: int) -> None:
        """Show page ``number`` (1-based) at the top of the preview."""
        self.preview.go_to_page(number)

    def _zoom(self, factor: float) -> None:
        self.preview.zoom_by(factor)

    def pop_out(self) -> PreviewWindow:
        """The preview in a window of its own (desktop/plan/preview.py), at the page shown here."""
        if self.preview_window is None:
            self.preview_window = PreviewWindow(self.document, self)
            self.preview_window.closed.connect(lambda page: self.go_to_page(page + 1))
        self.preview_window.show_page(self.preview.current_page())
        return self.preview_window

    # --- generating ---------------------------------------------------------------------------

    def generate(self) -> None:
        """Build the plan (here: it uses the document's language) and render it in the background."""
        current = self._current()
        if current is None or self.busy:
            return
        case_id, document, reference = current
        if not self.picked:  # the patient's language as typed now, saved or not
            self.follow_patient_language((document.get("patient") or {}).get("language"))
        locale = self.language.currentData()
        case = parse_case_lenient(document, {i.code for i in self.pack.indications})
        rates, costs = self._rates(), self._costs()
        try:
            made = make_plan(case, self.pack, reference, locale, self._preferences(), rates=rates, costs=costs)
        except CatalogError as exc:  # a plan with English labels in a patient's language is never made
            self.state.setText(_("The plan could not be made: {reason}").format(reason=exc))
            return
        plan, result = made.plan, made.estimate
        facts = plan_facts(result, made.screening, self.pack)  # each destination's total as the plan shows it
        totals = listed_totals(facts)
        self.busy = True
        self.generate_button.setEnabled(False)
        self.progress.show()
        self.state.setText(_("Making the plan…"))

        def work() -> bytes:
            from reports.document import render

            return render(plan)

        def done(pdf: bytes) -> None:
            self.busy = False
            self.progress.hide()
            self.generate_button.setEnabled(True)
            self.store.add_plan_version(
                case_id,
                self._who(),
                locale,
                [o.country for o in result.options],
                totals,
                self.pack.info.version,
                {
                    "case": document,
                    "rates": [
                        {"base": r.base, "quote": r.quote, "rate": str(r.rate), "as_of": r.sourced.as_of} for r in rates
                    ],
                    "costs": [
                        {"country": c.country, "item": c.item, "low": str(c.low), "high": str(c.high)} for c in costs
                    ],
                    FACTS_KEY: facts,  # what "Compare…" reads
                },
                plan_to_json(plan),
                pdf,
            )
            if self.case_id != case_id:  # another case is open now: the plan is kept in its own case, unsaid
                return
            self.refresh()
            pages = self.document.pageCount()
            self.state.setText(
                ngettext(
                    "Plan ready in {language}: {pages} page", "Plan ready in {language}: {pages} pages", pages
                ).format(language=isolate(language_name(locale)), pages=isolate(str(pages)))
            )

        def failed(error: Exception) -> None:
            self.busy = False
            self.progress.hide()
            self.generate_button.setEnabled(True)
            if self.case_id == case_id:
                self.state.setText(_("The plan could not be made: {reason}").format(reason=error))

        self.tasks.run(work, done, failed)

    def regenerate(self, version_id: int) -> bytes:
        """The PDF drawn again from a version's frozen document model (same content, whatever changed since)."""
        from reports.document import render

        return render(plan_from_json(self.store.plan_model(version_id)))

    # --- getting it to the patient ------------------------------------------------------------

    def file_name(self) -> str:
        assert self.version is not None and self.case_id is not None
        stored = self.store.get(self.case_id)
        name = (stored.row.full_name if stored else "") or ""
        return safe_file_name(stored.reference if stored else "plan", name, self.version.created_at[:10])

    def choose_save_target(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Save the plan"), str(Path.home() / self.file_name()), _("PDF (*.pdf)")
        )
        if path:
            self.save_to(Path(path))

    def save_to(self, path: Path) -> None:
        assert self.version is not None
        try:
            write_atomic(path, self.store.plan_pdf(self.version.id))
        except OSError as exc:
            QMessageBox.warning(
                self,
                _("Save the plan"),
                plain(_("The plan could not be saved: {reason}").format(reason=exc.strerror or exc)),
            )
            return
        self.store.audit(self._who(), "plan_saved", self.case_id, f"version {self.version.id}")
        self.state.setText(_("Saved {path}").format(path=isolate(str(path))))

    def print_with_dialog(self) -> None:
        printer = ask_printer(self)
        if printer is not None:
            self.print_to(printer)

    def print_to(self, printer) -> int:
        """Every page onto the printer (desktop.shared.printing); returns the pages printed."""
        pages = print_document(self.document, printer)
        if self.version is not None:
            self.store.audit(self._who(), "printed", self.case_id, f"version {self.version.id}, {pages} pages")
        return pages

    def _prepare_outbox(self) -> None:
        """The outbox folder private to the user; the first time, drafts older than OUTBOX_DAYS go."""
        self.outbox.mkdir(parents=True, exist_ok=True, mode=PRIVATE_FOLDER)
        if self._outbox_ready:
            return
        self.outbox.chmod(PRIVATE_FOLDER)
        tidy_outbox(self.outbox)
        self._outbox_ready = True

    def recipient_problem(self, patient: dict) -> str | None:
        """Why the patient's e-mail cannot be the draft's To: (empty, or not one valid address), in words
        naming the field; None when it can."""
        typed = patient.get("email")
        if email_address(typed) is not None:
            return None
        if not isinstance(typed, str) or not typed.strip():
            return _("Patient e-mail is empty: the draft would have no recipient.")
        return _("Patient e-mail “{address}” is not one valid address: the draft would have no recipient.").format(
            address=isolate(typed.strip())
        )

    def ask_without_recipient(self, problem: str) -> bool:
        """Whether the coordinator chooses to make the draft without a recipient (and type the address in
        the mail program); the default answer is to correct the Patient e-mail first."""
        box, go_on = careful_question(
            self,
            _("E-mail…"),
            problem,
            _(
                "Correct the Patient e-mail on the Patient tab, or make the draft without a recipient and type "
                "the address in your mail program."
            ),
            _("Make the draft without a recipient"),
            _("Correct the Patient e-mail"),
            "noRecipient",
        )
        box.exec()
        return box.clickedButton() is go_on

    def email(self, in_folder: bool = False) -> Path | None:
        """An e-mail draft (.eml, unsent) with the plan attached, opened for the coordinator to send.

        ``in_folder`` opens the draft's folder instead; when no mail program opens the draft, the PDF is saved
        beside it and the coordinator told so, with the folder offered (desktop/plan/no_mail.py). An empty
        or invalid Patient e-mail is named first, and the draft made without a recipient only when the
        coordinator chooses so (None: no draft). The draft is audited as a plan saved as a file; the plan
        counts as sent only once the coordinator confirms it (``confirm_sent``)."""
        assert self.version is not None and self.case_id is not None
        self._current()  # what was typed on the Patient tab a moment ago is saved first
        stored = self.store.get(self.case_id)
        assert stored is not None
        patient = stored.document.get("patient") or {}
        problem = self.recipient_problem(patient)
        if problem is not None:
            self.state.setText(problem)
            if not self.ask_without_recipient(problem):
                self.state.setText(problem + " " + _("No draft was made."))
                self.field_requested.emit("patient.email")
                return None
        with locale_scope(self.version.locale):
            subject = _("Your treatment plan and cost estimate ({reference})").format(reference=stored.reference)
            body = (
                _(
                    "Dear {name},\n\nplease find attached your treatment plan and cost estimate. It is counseling "
                    "information, not a medical decision: the treating centre decides. We are glad to answer your "
                    "questions.\n\nKind regards,\n{coordinator}\n{organisation}"
                )
                .format(
                    name=patient.get("full_name") or "",
                    coordinator=self._who(),
                    organisation=self._preferences().organisation().name,
                )
                .rstrip()
            )
        message = EmailMessage()
        message["To"] = email_address(patient.get("email")) or ""  # the case rule: one clean address
        message["Subject"] = subject
        message["X-Unsent"] = "1"
        message.set_content(body)
        message.add_attachment(
            self.store.plan_pdf(self.version.id), maintype="application", subtype="pdf", filename=self.file_name()
        )
        self._prepare_outbox()
        path = self.outbox / safe_file_name(stored.reference, "email", suffix=".eml")
        write_atomic(path, bytes(message))
        self.store.audit(self._who(), "plan_saved", self.case_id, f"version {self.version.id}, e-mail draft (not sent)")
        self.state.setText(_("E-mail draft made, not sent yet: mark it as sent once it has gone to the patient."))
        try:
            self.opener(path.parent if in_folder else path)
        except OSError:
            if in_folder:
                QMessageBox.information(
                    self,
                    _("E-mail…"),
                    plain(_("The e-mail draft is saved here: {path}").format(path=isolate(str(path)))),
                )
            else:  # no mail program: said in plain words, the PDF beside the draft, the folder offered
                write_atomic(path.parent / self.file_name(), self.store.plan_pdf(self.version.id))
                tell_no_mail_program(self, path.parent, self.opener)
        self.state.setText(_("E-mail draft made, not sent yet: mark it as sent once it has gone to the patient."))
        self.sent_button.setEnabled(self.version.sent_at is None)
        return path

    def confirm_sent(self) -> bool:
        """Ask whether the plan shown has gone to the patient; on "yes", ``mark_sent``."""
        if self.version is None or self.version.sent_at is not None:
            return False
        stored = self.store.get(self.case_id) if self.case_id is not None else None
        # the usual follow-up, unless one set before is sooner (a call logged today): that one stays
        choice = follow_up_when_sent(stored.row.follow_up if stored else None, date.today())
        follow_up = choice.day
        when = format_local_time(self.version.created_at)
        box = QMessageBox(
            QMessageBox.Icon.Question, _("Mark as sent"), _("Has this plan been sent to the patient?"), parent=self
        )
        box.setObjectName("confirmSent")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setInformativeText(sent_question(isolate(when), isolate(language_name(self.version.locale)), choice))
        sent = box.addButton(_("Yes, it was sent"), QMessageBox.ButtonRole.AcceptRole)
        not_yet = box.addButton(_("Not yet"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(not_yet)
        box.setEscapeButton(not_yet)
        box.exec()
        if box.clickedButton() is not sent:
            return False
        self.mark_sent(follow_up)
        return True

    def mark_sent(self, follow_up: date) -> None:
        """The version shown went to the patient: marked sent (audited as e-mailed), the case "Plan sent" with
        a follow-up on ``follow_up``; whoever shows the case's status hears of it through ``plan_sent``."""
        assert self.version is not None and self.case_id is not None
        case_id, version_id = self.case_id, self.version.id
        self.store.mark_sent(version_id, self._who(), follow_up)
        self.refresh(keep=version_id)
        self.state.setText(
            _("Plan marked as sent; follow-up on {date}.").format(
                date=isolate(format_date(follow_up, "medium", locale=babel_locale()))
            )
        )
        self.plan_sent.emit(case_id)
