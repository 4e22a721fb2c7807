"""The Plan tab of a case: generate the PDF, preview it, save, print, e-mail, and every version kept."""

from __future__ import annotations

import email
import email.policy
import shutil
import subprocess
from collections.abc import Callable
from datetime import date, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

from babel.dates import format_datetime
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QLocale, QPointF, QSize, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
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
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.shared.plain import plain
from desktop.shared.tasks import TaskRunner
from planning.case import email_address, parse_case_lenient
from planning.estimate import estimate
from planning.files import safe_file_name, write_atomic
from planning.i18n import (
    DOCUMENT_LOCALES,
    _,
    babel_locale,
    country_name,
    format_money,
    isolate,
    language_name,
    locale_scope,
)
from planning.knowledge.models import CostDefault, Pack, Rate
from planning.plan import Organisation, build_plan, plan_from_json, plan_to_json
from services.paths import PRIVATE_FOLDER
from services.stores import CaseStore, PlanVersion

FOLLOW_UP_DAYS = 14
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


LETTER_TERRITORIES = frozenset(
    {
        QLocale.Country.UnitedStates,
        QLocale.Country.Canada,
        QLocale.Country.Mexico,
        QLocale.Country.Philippines,
        QLocale.Country.Chile,
        QLocale.Country.Colombia,
        QLocale.Country.Venezuela,
    }
)


def paper_for(locale: QLocale) -> QPageSize.PageSizeId:
    """Letter where it is the usual paper (the Americas' Letter countries), A4 everywhere else."""
    return QPageSize.PageSizeId.Letter if locale.territory() in LETTER_TERRITORIES else QPageSize.PageSizeId.A4


class PlanPanel(QWidget):
    def __init__(
        self,
        store: CaseStore,
        pack: Pack,
        tasks: TaskRunner,
        current: Callable[[], tuple[int, dict, str] | None],
        rates: Callable[[], list[Rate]],
        costs: Callable[[], list[CostDefault]],
        organisation: Callable[[], Organisation],
        who: Callable[[], str],
        outbox: Path,
        opener: Callable[[Path], None] = default_opener,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("planPanel")
        self.store, self.pack, self.tasks = store, pack, tasks
        self._current, self._rates, self._costs = current, rates, costs
        self._organisation, self._who, self.outbox, self.opener = organisation, who, outbox, opener
        self.case_id: int | None = None
        self.version: PlanVersion | None = None
        self.busy = False
        self._outbox_ready = False
        if self.outbox.is_dir():
            self._prepare_outbox()

        self.language = QComboBox(self)
        self.language.setObjectName("planLanguage")
        for code in DOCUMENT_LOCALES:
            self.language.addItem(language_name(code), code)
        self.generate_button = QPushButton(_("Generate the plan"), self)
        self.generate_button.setObjectName("generatePlan")
        self.generate_button.clicked.connect(self.generate)
        self.state = QLabel(self)
        self.state.setObjectName("planState")
        self.state.setTextFormat(Qt.TextFormat.PlainText)  # file paths and reasons, never markup
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)  # busy: the render reports no steps
        self.progress.setMaximumWidth(120)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.versions = QListWidget(self)
        self.versions.setObjectName("planVersions")
        self.versions.currentRowChanged.connect(self._version_chosen)

        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setObjectName("planPreview")
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self._buffer: QBuffer | None = None

        zoom_in = QPushButton("+", self)
        zoom_in.setToolTip(_("Zoom in"))
        zoom_in.clicked.connect(lambda: self._zoom(1.25))
        zoom_out = QPushButton("−", self)
        zoom_out.setToolTip(_("Zoom out"))
        zoom_out.clicked.connect(lambda: self._zoom(0.8))
        self.page = QSpinBox(self)
        self.page.setObjectName("planPage")
        self.page.setRange(1, 1)
        self.page.setPrefix(_("Page") + " ")
        self.page.valueChanged.connect(self.go_to_page)
        self.view.pageNavigator().currentPageChanged.connect(self._page_shown)
        self.document.pageCountChanged.connect(lambda count: self.page.setRange(1, max(count, 1)))
        fit = QPushButton(_("Fit width"), self)
        fit.clicked.connect(lambda: self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth))
        self.save_button = QPushButton(_("Save as…"), self)
        self.save_button.clicked.connect(self.choose_save_target)
        self.print_button = QPushButton(_("Print…"), self)
        self.print_button.clicked.connect(self.print_with_dialog)
        self.mail_button = QPushButton(_("E-mail…"), self)
        self.mail_button.clicked.connect(self.email)
        self.folder_button = QPushButton(_("Save and show in folder"), self)
        self.folder_button.setToolTip(_("Writes the e-mail draft with the plan attached and opens its folder"))
        self.folder_button.clicked.connect(lambda: self.email(in_folder=True))
        for button in (self.save_button, self.print_button, self.mail_button, self.folder_button):
            button.setEnabled(False)

        top = QHBoxLayout()
        top.addWidget(QLabel(_("Language of the plan"), self))
        top.addWidget(self.language)
        top.addWidget(self.generate_button)
        top.addWidget(self.progress)
        top.addWidget(self.state, 1)
        tools = QHBoxLayout()
        for widget in (self.page, zoom_out, zoom_in, fit):
            tools.addWidget(widget)
        tools.addStretch(1)
        for button in (zoom_out, zoom_in):
            button.setMaximumWidth(40)
        actions = QHBoxLayout()
        for widget in (self.save_button, self.print_button, self.mail_button, self.folder_button):
            actions.addWidget(widget)
        actions.addStretch(1)
        preview = QWidget(self)
        preview_layout = QVBoxLayout(preview)
        preview_layout.setContentsMargins(0, 0, 0, 0)
        preview_layout.addLayout(tools)
        preview_layout.addWidget(self.view, 1)
        history = QWidget(self)
        history_layout = QVBoxLayout(history)
        history_layout.setContentsMargins(0, 0, 0, 0)
        history_layout.addWidget(QLabel(_("Versions"), history))
        history_layout.addWidget(self.versions, 1)
        splitter = QSplitter(self)
        splitter.addWidget(history)
        splitter.addWidget(preview)
        splitter.setSizes([260, 600])
        self.versions.setMinimumWidth(180)
        self.versions.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(actions)
        layout.addWidget(splitter, 1)

    # --- the case and its versions ------------------------------------------------------------

    def set_case(self, case_id: int, language: str | None) -> None:
        self.case_id = case_id
        self.language.setCurrentIndex(max(self.language.findData(language or "en"), 0))
        self.refresh()

    def clear(self) -> None:
        """No case: nothing shown, nothing to save, print or send (after the case was erased)."""
        self.case_id = None
        self.version = None
        self.versions.clear()
        self.document.close()
        self.state.clear()
        for button in (self.save_button, self.print_button, self.mail_button, self.folder_button):
            button.setEnabled(False)

    def refresh(self) -> None:
        if self.case_id is None:
            return
        self.versions.blockSignals(True)
        self.versions.clear()
        for version in self.store.plan_versions(self.case_id):
            when = format_datetime(
                datetime.fromisoformat(version.created_at).astimezone(), "short", locale=babel_locale()
            )
            sent_label = _("sent")
            sent = f" · {sent_label}" if version.sent_at else ""
            places = ", ".join(country_name(c) for c in version.destinations)
            item = QListWidgetItem(f"{when} · {language_name(version.locale)}{sent}")
            item.setData(0x0100, version.id)
            item.setToolTip(
                plain(places + "\n" + "\n".join(f"{country_name(c)}: {t}" for c, t in version.totals.items()))
            )
            self.versions.addItem(item)
        self.versions.blockSignals(False)
        if self.versions.count():
            self.versions.setCurrentRow(0)
            self._version_chosen(0)
        else:
            self.version = None
            self.document.close()
            for button in (self.save_button, self.print_button, self.mail_button, self.folder_button):
                button.setEnabled(False)

    def _version_chosen(self, row: int) -> None:
        if row < 0 or self.case_id is None:
            return
        version_id = self.versions.item(row).data(0x0100)
        self.version = next(v for v in self.store.plan_versions(self.case_id) if v.id == version_id)
        self.show_pdf(self.store.plan_pdf(version_id))
        for button in (self.save_button, self.print_button, self.mail_button, self.folder_button):
            button.setEnabled(True)

    def show_pdf(self, data: bytes) -> None:
        self.document.close()
        self._buffer = QBuffer(self)
        self._buffer.setData(QByteArray(data))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(self._buffer)

    def go_to_page(self, number: int) -> None:
        """Show page ``number`` (1-based) at the top of the preview."""
        if 1 <= number <= self.document.pageCount():
            self.view.pageNavigator().jump(number - 1, QPointF(0, 0), self.view.pageNavigator().currentZoom())

    def _page_shown(self, index: int) -> None:
        self.page.blockSignals(True)
        self.page.setValue(index + 1)
        self.page.blockSignals(False)

    def _zoom(self, factor: float) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(self.view.zoomFactor() * factor)

    # --- generating ---------------------------------------------------------------------------

    def generate(self) -> None:
        """Build the plan (here: it uses the document's language) and render it in the background."""
        current = self._current()
        if current is None or self.busy:
            return
        case_id, document, reference = current
        locale = self.language.currentData()
        case = parse_case_lenient(document, {i.code for i in self.pack.indications})
        rates, costs = self._rates(), self._costs()
        with locale_scope(locale):
            result = estimate(case, self.pack, None, rates, locale, costs)
        plan = build_plan(
            case,
            self.pack,
            reference,
            locale,
            organisation=self._organisation(),
            coordinator=case.coordinator.name or self._who(),
            estimated=result,
        )
        totals = {
            o.country: format_money(o.total_low.quantize(1), result.currency, "en")
            + "–"
            + format_money(o.total_high.quantize(1), result.currency, "en")
            for o in result.options
            if o.available
        }
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
                },
                plan_to_json(plan),
                pdf,
            )
            self.refresh()
            self.state.setText(_("Plan ready: {pages} pages").format(pages=self.document.pageCount()))

        def failed(error: Exception) -> None:
            self.busy = False
            self.progress.hide()
            self.generate_button.setEnabled(True)
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
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageSize(QPageSize(paper_for(QLocale.system())))
        dialog = QPrintDialog(printer, self)
        if dialog.exec():
            self.print_to(printer)

    def print_to(self, printer) -> int:
        """Each page rendered at a bounded resolution (200 dpi) onto the printer; returns pages printed."""
        painter = QPainter(printer)
        pages = self.document.pageCount()
        try:
            for page in range(pages):
                if page:
                    printer.newPage()
                size = self.document.pagePointSize(page)
                scale = 200 / 72
                image = self.document.render(page, QSize(int(size.width() * scale), int(size.height() * scale)))
                target = painter.viewport()
                ratio = min(target.width() / image.width(), target.height() / image.height())
                painter.save()
                painter.scale(ratio, ratio)
                painter.drawImage(QPointF(0, 0), image)
                painter.restore()
        finally:
            painter.end()
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

    def email(self, in_folder: bool = False) -> Path | None:
        """An e-mail draft (.eml, unsent) with the plan attached, opened for the coordinator to send.

        ``in_folder`` (or a mail program that cannot be started) opens the draft's folder instead."""
        assert self.version is not None and self.case_id is not None
        stored = self.store.get(self.case_id)
        patient = stored.document.get("patient", {}) if stored else {}
        with locale_scope(self.version.locale):
            subject = _("Your treatment plan and cost estimate ({reference})").format(reference=stored.reference)
            body = _(
                "Dear {name},\n\nplease find attached your treatment plan and cost estimate. It is counseling "
                "information, not a medical decision: the treating centre decides. We are glad to answer your "
                "questions.\n\nKind regards,\n{coordinator}\n{organisation}"
            ).format(
                name=patient.get("full_name") or "",
                coordinator=self._who(),
                organisation=self._organisation().name,
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
        try:
            self.opener(path.parent if in_folder else path)
        except OSError:
            try:
                self.opener(path.parent)
            except OSError:
                QMessageBox.information(
                    self,
                    _("E-mail…"),
                    plain(_("The e-mail draft is saved here: {path}").format(path=isolate(str(path)))),
                )
        self.store.mark_sent(self.version.id, self._who(), date.today() + timedelta(days=FOLLOW_UP_DAYS))
        self.state.setText(_("E-mail draft ready; the case is marked plan sent with a follow-up in two weeks."))
        self.refresh()
        return path
