"""Following up a case on the Cases page: the case's Timeline tab, "Log a call" (Ctrl+Shift+L) with its
dialog, and the follow-ups due today or overdue (a notice when the cases open, and a permanent count in
the status bar; both filter the list to the due cases).

The timeline and the call are the services' (services/timeline.py, services/calls.py); the page owns
the case store's connection and everything here runs on its thread.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QPalette, QTextOption
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPlainTextEdit,
    QProxyStyle,
    QPushButton,
    QStyle,
    QTabBar,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.cases import fields as f
from desktop.shared.palette_sheet import follow_palette
from planning.case import CaseError
from planning.i18n import _, format_number, isolate, ngettext
from services.calls import NOTE_MAX, OUTCOME_LABELS, call_problems, clean_note, log_call
from services.timeline import TimelineEntry, case_timeline

if TYPE_CHECKING:
    from desktop.cases.page import CasesPage

LOG_CALL_KEYS = "Ctrl+Shift+L"
DAY_CHECK_MS = 60_000
"""How often the page looks whether the date changed (midnight passed): then the due count is new."""


class CallDialog(QDialog):
    """A call's note (plain text, at most NOTE_MAX characters), an optional outcome and an optional next
    follow-up date. Saving checks it whole; a problem is said under the form, naming the field, and
    nothing typed is lost (the dialog stays open)."""

    def __init__(
        self,
        title: str,
        save: Callable[[str, str | None, date | None], object],
        today: Callable[[], date],
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("callDialog")
        self.setWindowTitle(_("Log a call"))
        self._save, self._today = save, today
        heading = QLabel(title, self)
        heading.setTextFormat(Qt.TextFormat.PlainText)
        heading.setWordWrap(True)
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)
        self.note = QPlainTextEdit(self)
        self.note.setObjectName("callNote")
        self.note.setPlaceholderText(_("What was said, what was agreed, what is still open"))
        self.note.setTabChangesFocus(True)  # Tab leaves the note: no keyboard trap
        self.note.setMinimumHeight(140)
        self.note.setAccessibleName(_("Note"))
        self.count = QLabel(self)
        self.count.setObjectName("callNoteCount")
        self.count.setAlignment(Qt.AlignmentFlag.AlignTrailing)
        self.outcome = QComboBox(self)
        self.outcome.setObjectName("callOutcome")
        self.outcome.addItem(_("Not recorded"), None)
        for code, label in OUTCOME_LABELS.items():
            self.outcome.addItem(_(label), code)
        self.follow_up = f.DateField(self)
        self.follow_up.widget.setObjectName("callFollowUp")
        follow_hint = QLabel(_("Optional. Becomes the case's follow-up date."), self)
        follow_hint.setWordWrap(True)
        self.problems = QLabel(self)
        self.problems.setObjectName("callProblems")
        self.problems.setTextFormat(Qt.TextFormat.PlainText)
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("QLabel#callProblems { color: #c0392b; }")
        self.problems.hide()

        form = QFormLayout()
        note_label = QLabel(_("&Note"), self)
        note_label.setBuddy(self.note)
        outcome_label = QLabel(_("&Outcome"), self)
        outcome_label.setBuddy(self.outcome)
        follow_label = QLabel(_("Next &follow-up"), self)
        follow_label.setBuddy(self.follow_up.widget)
        form.addRow(note_label, self.note)
        form.addRow("", self.count)
        form.addRow(outcome_label, self.outcome)
        form.addRow(follow_label, self.follow_up.widget)
        form.addRow("", follow_hint)
        self.buttons = QDialogButtonBox(self)
        self.save_button = self.buttons.addButton(_("Save call"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setObjectName("saveCall")
        self.save_button.setToolTip(_("Save call (Ctrl+Enter)"))
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.note.installEventFilter(self)  # Ctrl+Enter saves from the note (which would take it for a line)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.problems)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)
        self.note.textChanged.connect(self._count)
        self._count()
        self.note.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.note
            and event.type() in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride)
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            event.accept()
            if event.type() == QEvent.Type.KeyPress:
                self.save()
            return True
        return super().eventFilter(watched, event)

    def values(self) -> tuple[str, str | None, str]:
        """The note, the outcome's code and the follow-up as typed."""
        return self.note.toPlainText(), self.outcome.currentData(), self.follow_up.value() or ""

    def set_values(self, note: str, outcome: str | None, follow_up: str) -> None:
        self.note.setPlainText(note)
        self.outcome.setCurrentIndex(max(0, self.outcome.findData(outcome)))
        self.follow_up.set_value(follow_up or None)

    def _count(self) -> None:
        length = len(clean_note(self.note.toPlainText()))
        self.count.setText(
            _("{count} of {most} characters").format(count=format_number(length), most=format_number(NOTE_MAX))
        )
        over = length > NOTE_MAX
        self.count.setStyleSheet("color: #c0392b; font-weight: bold;" if over else "")
        if over:
            self._show([problem.localized() for problem in call_problems("x" * length, None, None, self._today())])
        elif self.problems.isVisible() and self.problems.property("about") == "length":
            self.problems.hide()

    def _show(self, lines: list[str], about: str = "length") -> None:
        self.problems.setText("\n".join(lines))
        self.problems.setProperty("about", about)
        self.problems.show()

    def save(self) -> None:
        note, outcome, typed = self.values()
        day: date | None = None
        if typed.strip():
            try:
                day = date.fromisoformat(typed.strip())
            except ValueError:
                self._show([_("Next follow-up: type the date as YYYY-MM-DD")], "follow_up")
                self.follow_up.widget.setFocus()
                return
        problems = call_problems(note, outcome, day, self._today())
        if problems:
            self._show([_problem_line(p.field, p.localized()) for p in problems], problems[0].field)
            {"note": self.note, "outcome": self.outcome}.get(problems[0].field, self.follow_up.widget).setFocus()
            return
        try:
            self._save(note, outcome, day)
        except CaseError as exc:
            self._show([_problem_line(p.field, p.localized()) for p in exc.problems], "store")
            return
        except Exception as exc:
            from services.faults import describe, is_passing

            if not is_passing(exc):
                raise
            self._show([_("The call could not be saved: {reason}. What you typed is still here.").format(
                reason=describe(exc))], "store")  # fmt: skip
            return
        self.accept()


def _problem_line(field: str, message: str) -> str:
    """A problem as the dialog says it: the field's label, then what is wrong."""
    label = {"note": _("Note"), "outcome": _("Outcome"), "follow_up": _("Next follow-up")}.get(field)
    return f"{label}: {message}" if label else message


class TimelineView(QWidget):
    """The open case's timeline, newest first: what happened (bold), when (the locale's medium date) and who,
    with a call's note or an edit's fields below. One read-only document: long notes wrap, the text can be
    selected and copied, and a case with hundreds of entries shows at once. Every text from the case is
    escaped into it (shown as written, never read as markup)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("timelineView")
        self.entries: list[TimelineEntry] = []
        self.summary = QLabel(self)
        self.summary.setObjectName("timelineSummary")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.browser = QTextBrowser(self)
        self.browser.setObjectName("caseTimeline")
        self.browser.setAccessibleName(_("Timeline"))
        self.browser.setOpenLinks(False)
        self.browser.setOpenExternalLinks(False)
        self.browser.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # the text wraps
        self.browser.setTabChangesFocus(True)  # Tab moves on: no keyboard trap
        self.browser.document().setDocumentMargin(10)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.browser, 1)

    def show_entries(self, entries: list[TimelineEntry]) -> None:
        self.entries = entries
        calls = sum(1 for e in entries if e.kind == "call")
        self.summary.setText(
            ngettext("{count} entry", "{count} entries", len(entries)).format(count=format_number(len(entries)))
            + "  ·  "
            + ngettext("{count} call", "{count} calls", calls).format(count=format_number(calls))
        )
        text = self.palette().color(QPalette.ColorRole.Text)
        dim = f"rgba({text.red()}, {text.green()}, {text.blue()}, 0.62)"  # when and who, quieter in both themes
        option = QTextOption(self.browser.document().defaultTextOption())
        option.setTextDirection(self.layoutDirection())  # Arabic: every paragraph right to left
        self.browser.document().setDefaultTextOption(option)
        parts: list[str] = []
        for place, entry in enumerate(entries[:MAX_SHOWN]):
            when = " · ".join(isolate(part) for part in (entry.when, entry.who) if part)
            parts.append(
                f"<p style='margin:{14 if place else 0}px 0 2px 0'><b>{escape(entry.title)}</b><br/>"
                f"<span style='color:{dim}'>{escape(when)}</span></p>"
            )
            if entry.detail:
                lines = "<br/>".join(escape(line) for line in entry.detail.split("\n"))
                parts.append(f"<p style='margin:2px 0 2px 16px; white-space:pre-wrap'>{lines}</p>")
        if not entries:
            nothing = _("Nothing has happened to this case yet.")
            parts.append(f"<p>{escape(nothing)}</p>")
        if len(entries) > MAX_SHOWN:
            more = len(entries) - MAX_SHOWN
            older = ngettext(
                "{count} older entry is not shown: see it with careplan timeline.",
                "{count} older entries are not shown: see them with careplan timeline.",
                more,
            ).format(count=format_number(more))
            parts.append(f"<p><i>{escape(older)}</i></p>")
        self.browser.setHtml("".join(parts))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.LayoutDirectionChange) and self.entries:
            self.show_entries(self.entries)  # the theme's colours, the language's direction

    def text(self) -> str:
        """The timeline as shown, as plain text."""
        return self.browser.toPlainText()


MAX_SHOWN = 1000
"""The newest entries the tab shows (a case worked on for years may have more; the command line shows all)."""


def _keys_text() -> str:
    return QKeySequence(LOG_CALL_KEYS).toString(QKeySequence.SequenceFormat.NativeText)


class DueNotice(QFrame):
    """The notice when the cases open: "3 follow-ups are due today or overdue" with Show and a close button."""

    show_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("dueNotice")
        follow_palette(  # dark in the dark appearance, also when it is chosen while the window is open
            self,
            "QFrame#dueNotice { border: 1px solid palette(highlight); border-radius: 4px;"
            " background: palette(alternate-base); }",
        )
        self.text = QLabel(self)
        self.text.setObjectName("dueNoticeText")
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setWordWrap(True)
        self.show_button = QPushButton(_("Show"), self)
        self.show_button.setObjectName("dueNoticeShow")
        self.show_button.setToolTip(_("Show only the cases whose follow-up is due"))
        self.show_button.clicked.connect(self.show_requested)
        close = QToolButton(self)
        close.setObjectName("dueNoticeClose")
        close.setText("✕")
        close.setAutoRaise(True)
        close.setToolTip(_("Close this notice"))
        close.setAccessibleName(_("Close this notice"))
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 4, 4)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.show_button)
        layout.addWidget(close)
        self.hide()

    def set_count(self, count: int) -> None:
        self.text.setText(
            ngettext(
                "{count} follow-up is due today or overdue.", "{count} follow-ups are due today or overdue.", count
            ).format(count=format_number(count))
        )


class FollowUps(QObject):
    """Wires the Timeline tab, Log a call and the due follow-ups into a Cases page."""

    def __init__(self, page: CasesPage):
        super().__init__(page)
        self.page = page
        self.drafts: dict[int, tuple[str, str | None, str]] = {}
        """What was typed in a call dialog that was closed without saving, per case: shown again next time."""
        self.dialog: CallDialog | None = None
        self.due = 0
        self._announced = False
        self._day = page.today()

        self.log_call_action = QAction(_("Log a call…"), page)
        self.log_call_action.setObjectName("logCall")
        self.log_call_action.setShortcut(QKeySequence(LOG_CALL_KEYS))
        self.log_call_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.log_call_action.triggered.connect(self.log_call)
        page.addAction(self.log_call_action)  # the key works wherever the focus is in the window
        menu = page.case_menu
        first = menu.actions()[0] if menu.actions() else None
        menu.insertAction(first, self.log_call_action)
        if first is not None:
            menu.insertSeparator(first)
        menu.aboutToShow.connect(self._enable)
        self.header_button = QPushButton(_("Log a call…"), page.editor)
        self.header_button.setObjectName("logCallButton")
        self.header_button.setToolTip(_("Log a call ({keys})").format(keys=_keys_text()))
        self.header_button.clicked.connect(self.log_call)
        header = page.editor.header
        header.insertWidget(header.count() - 1 if header.count() else 0, self.header_button)

        self.timeline = TimelineView(page.editor)
        self.timeline_tab = page.editor.tabs.addTab(self.timeline, _("Timeline"))
        compact_tabs(page.editor.tabs.tabBar())  # seven tabs in view at 1280 px, in every language
        page.editor.tabs.currentChanged.connect(lambda _index: self.refresh_timeline())
        page.case_opened.connect(lambda _case_id: self.refresh_timeline())

        self.notice = DueNotice(page)
        self.notice.show_requested.connect(self.show_due)
        self.status_button = QToolButton(page)  # shown in the window's status bar (attach_status_bar)
        self.status_button.hide()
        self.status_button.setObjectName("dueStatus")
        self.status_button.setAutoRaise(True)
        self.status_button.setToolTip(_("Show only the cases whose follow-up is due"))
        self.status_button.clicked.connect(self.show_due)
        page.due_changed.connect(self.set_due)
        self.day_timer = QTimer(self)
        self.day_timer.setInterval(DAY_CHECK_MS)
        self.day_timer.timeout.connect(self.check_day)
        self.day_timer.start()

    # --- the timeline ------------------------------------------------------------------------

    def refresh_timeline(self) -> None:
        """Read the open case's timeline again when its tab is shown (it is read only then)."""
        editor = self.page.editor
        if editor.case is None or editor.tabs.currentWidget() is not self.timeline:
            return
        editor.flush()  # what was just typed is in the history first
        try:
            entries = case_timeline(self.page.store, editor.case.id)
        except KeyError:  # erased meanwhile
            entries = []
        self.timeline.show_entries(entries)

    # --- log a call --------------------------------------------------------------------------

    def _enable(self) -> None:
        self.log_call_action.setEnabled(self.page.editor.case is not None)

    def log_call(self) -> CallDialog | None:
        """Open the call dialog for the open case (nothing without one); it is saved by its Save button."""
        page = self.page
        case = page.editor.case
        if case is None:
            page.show_notice(_("Open a case to log a call for it."))
            return None
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.raise_()
            self.dialog.activateWindow()
            return self.dialog
        page.editor.flush()
        name = page.editor.fields["patient.full_name"].value() or _("Name not entered yet")
        title = _("Call with {name} ({reference})").format(name=isolate(name), reference=isolate(case.reference))
        case_id = case.id

        def save(note: str, outcome: str | None, day: date | None) -> object:
            return log_call(page.store, case_id, page.who, note, outcome, day, page.today())

        dialog = CallDialog(title, save, page.today, page)
        if case_id in self.drafts:
            dialog.set_values(*self.drafts[case_id])
        dialog.accepted.connect(lambda: self._logged(case_id))
        dialog.rejected.connect(lambda: self._keep_draft(case_id, dialog))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _keep_draft(self, case_id: int, dialog: CallDialog) -> None:
        note, outcome, follow_up = dialog.values()
        if note.strip() or outcome or follow_up.strip():
            self.drafts[case_id] = (note, outcome, follow_up)
        else:
            self.drafts.pop(case_id, None)

    def _logged(self, case_id: int) -> None:
        self.drafts.pop(case_id, None)
        page = self.page
        stored = page.store.get(case_id)
        if stored is not None:
            page.editor.show_row(stored.row)  # the follow-up the call set, in the header
            page.model.update_row(case_id)
        page.apply_filters()  # the due count and the list follow a new follow-up date
        self.refresh_timeline()
        window = page.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(_("Call logged."), 5000)

    # --- follow-ups due ----------------------------------------------------------------------

    def set_due(self, count: int) -> None:
        """The number of follow-ups due today or overdue changed (or was counted again)."""
        self.due = count
        text = ngettext("{count} follow-up due", "{count} follow-ups due", count) if count else _("No follow-ups due")
        self.status_button.setText(text.format(count=format_number(count)))
        self.status_button.setEnabled(count > 0)
        self.notice.set_count(count)
        if not self._announced:
            self._announced = True
            self.notice.setVisible(count > 0)
        elif not count:
            self.notice.hide()

    def check_day(self) -> None:
        """When the date changed since the last look (midnight passed), count again for the new day."""
        today = self.page.today()
        if today != self._day:
            self._day = today
            self.page.apply_filters()

    def show_due(self) -> None:
        """Show the Cases page's list filtered to the due cases (any search or status filter cleared)."""
        page = self.page
        self.notice.hide()
        for widget in (page.search, page.status_filter, page.due_filter):
            widget.blockSignals(True)
        try:
            page.search.clear()
            page.status_filter.setCurrentIndex(0)
            page.due_filter.setChecked(True)
        finally:
            for widget in (page.search, page.status_filter, page.due_filter):
                widget.blockSignals(False)
        page.apply_filters()
        page.table.setFocus(Qt.FocusReason.OtherFocusReason)


TAB_SPACE = 14
"""The room beside a case tab's text, in pixels (Fusion gives 24): with the Timeline the case has seven tabs,
which then stay in view at 1280 pixels in the longer languages (German, Russian) too."""


class _CompactTabs(QProxyStyle):
    def pixelMetric(self, metric: QStyle.PixelMetric, option=None, widget=None) -> int:
        if metric == QStyle.PixelMetric.PM_TabBarTabHSpace:
            return TAB_SPACE
        return super().pixelMetric(metric, option, widget)


def compact_tabs(bar: QTabBar) -> None:
    """Less room beside the tab texts of ``bar``, drawn otherwise in the application's own style."""
    style = _CompactTabs(QApplication.style().name())
    style.setParent(bar)  # kept as long as the bar
    bar.setStyle(style)


def attach_status_bar(window: QMainWindow, page: CasesPage, show_page: Callable[[], object]) -> None:
    """Put the page's "N follow-ups due" in the window's status bar (permanent); a click shows the Cases
    page (``show_page``) with the list filtered to the due cases."""
    button = page.follow_ups.status_button
    window.statusBar().addPermanentWidget(button)
    button.show()
    button.clicked.disconnect()
    button.clicked.connect(lambda: (show_page(), page.follow_ups.show_due()))
