"""The Screening panel of a case: one row per product, expandable to a reason for every criterion."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPalette
from PySide6.QtWidgets import QHeaderView, QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from desktop.shared.plain import plain
from planning.eligibility import (
    KIND_WORDS,
    STATUS_MARKS,
    VERDICT_MARKS,
    VERDICT_WORDS,
    Screening,
    ask_for,
    centre_review_note,
)
from planning.i18n import _, country_name, ngettext
from planning.knowledge.models import Pack, pick
from planning.screening_focus import Focus, focus

SOURCE_ROLE = Qt.ItemDataRole.UserRole + 1
OTHERS = "other-regions"
"""The folded section's key (where a product's id is kept on its row)."""
PRODUCT, RESULT, SOURCE = range(3)


def verdict_colour(verdict: str, dark: bool) -> QColor:
    light = {
        "candidate": "#1e7d32",
        "needs_information": "#9a5200",
        "centre_review": "#6a1b9a",
        "not_eligible": "#c62828",
        "investigational": "#1f5fbf",
        "met": "#1e7d32",
        "not_met": "#c62828",
        "unknown": "#9a5200",
    }
    night = {
        "candidate": "#81c995",
        "needs_information": "#fdd663",
        "centre_review": "#ce93d8",
        "not_eligible": "#f28b82",
        "investigational": "#8ab4f8",
        "met": "#81c995",
        "not_met": "#f28b82",
        "unknown": "#fdd663",
    }
    return QColor((night if dark else light)[verdict])


class ScreeningPanel(QWidget):
    """Shows a Screening; emits ``source_requested`` when a criterion's source is clicked."""

    source_requested = Signal(str)

    def __init__(self, pack: Pack, locale: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("screeningPanel")
        self.pack, self.locale = pack, locale
        self.screening: Screening | None = None
        self.focus = Focus((), (), ())
        self.others: QTreeWidgetItem | None = None
        """The folded section of products approved only outside the chosen destinations (None: nothing folded)."""
        self.summary = QLabel(self)
        self.summary.setObjectName("screeningSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.ask = QLabel(self)
        self.ask.setObjectName("screeningAsk")
        self.ask.setWordWrap(True)
        self.ask.setTextFormat(Qt.TextFormat.PlainText)
        self.unrecognised = QLabel(self)
        self.unrecognised.setObjectName("screeningUnrecognised")
        self.unrecognised.setWordWrap(True)
        self.unrecognised.setTextFormat(Qt.TextFormat.PlainText)  # typed therapy names, never markup
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("screeningTree")
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels([_("Product and criteria"), _("Result"), _("Source")])
        self.tree.setWordWrap(False)  # two lines per row (name, then what the case says), each elided
        self.tree.setUniformRowHeights(False)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(PRODUCT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(RESULT, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(SOURCE, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(SOURCE, self.fontMetrics().horizontalAdvance(_("Source")) + 40)
        self.tree.itemActivated.connect(self._activated)
        self.tree.itemClicked.connect(lambda item, column: column == SOURCE and self._activated(item, column))
        self.notes = QLabel(self)
        self.notes.setObjectName("screeningNotes")
        self.notes.setWordWrap(True)
        self.notes.setTextFormat(Qt.TextFormat.PlainText)
        self.disclaimer = QLabel(self)
        self.disclaimer.setObjectName("screeningDisclaimer")
        self.disclaimer.setWordWrap(True)
        self.disclaimer.setTextFormat(Qt.TextFormat.PlainText)
        layout = QVBoxLayout(self)
        for widget in (self.summary, self.ask, self.unrecognised):
            layout.addWidget(widget)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.notes)
        layout.addWidget(self.disclaimer)

    def _dark(self) -> bool:
        return self.palette().color(QPalette.ColorRole.Window).lightness() < 128

    def _expanded(self) -> set[str]:
        """The products (and the folded section) the user has opened."""
        opened: set[str] = set()
        items = [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
        while items:
            item = items.pop()
            if item is not None and item.isExpanded():
                opened.add(item.data(PRODUCT, SOURCE_ROLE))
                items.extend(item.child(i) for i in range(item.childCount()))
        return opened

    def show_screening(self, screening: Screening, destinations: Sequence[str] | None = None) -> None:
        """Show a new result, keeping the products the user has opened open: first the products for the
        patient's chosen ``destinations`` (all when none is chosen), then the others folded in one section."""
        expanded = self._expanded()
        current = self.tree.currentItem()
        current_key = current.data(PRODUCT, SOURCE_ROLE) if current is not None else None
        self.screening = screening
        self.focus = focus(screening, self.pack, destinations)
        dark = self._dark()
        overall = screening.overall
        counts = {v: sum(r.verdict == v for r in screening.results) for v in VERDICT_WORDS}
        colour = verdict_colour(overall, dark).name()
        total = len(screening.results)
        if screening.indication is None:
            headline = _("Choose the indication on the Clinical tab to screen this case.")
        elif overall == "investigational":
            headline = _("No CAR-T product is approved for this indication: clinical trials only.")
        elif counts["candidate"]:
            headline = _("{count} of {total} approved products fit the typical criteria.").format(
                count=counts["candidate"], total=total
            )
        elif counts["needs_information"]:
            headline = _("{count} of {total} approved products can be judged once the missing answers are in.").format(
                count=counts["needs_information"], total=total
            )
        elif counts["centre_review"]:
            headline = _(
                "{count} of {total} approved products fit the label but are outside the typical trial criteria: "
                "the treating centre decides."
            ).format(count=counts["centre_review"], total=total)
        else:
            headline = _("No approved product fits the typical criteria.")
        self.summary.setText(
            f'<span style="color:{colour}; font-weight:bold; font-size:large">{escape(_(VERDICT_WORDS[overall]))}'
            f"</span> &nbsp; {escape(headline)}"
        )
        wanted = ask_for(screening)
        self.ask.setText(_("Ask the patient for: {items}.").format(items=", ".join(wanted)) if wanted else "")
        self.ask.setVisible(bool(wanted))
        unknown = screening.unrecognised_therapies
        self.unrecognised.setText(
            _("Prior therapies not recognised (check them; they count as unknown): {names}").format(
                names=", ".join(unknown)
            )
            if unknown
            else ""
        )
        self.unrecognised.setVisible(bool(unknown))

        self.tree.clear()
        self.others = None
        if self.focus.others:
            self.others = QTreeWidgetItem(
                [
                    ngettext(
                        "{count} product approved only in other regions",
                        "{count} products approved only in other regions",
                        len(self.focus.others),
                    ).format(count=len(self.focus.others)),
                    "",
                    "",
                ]
            )
            self.others.setData(PRODUCT, SOURCE_ROLE, OTHERS)
            quiet = self.others.font(PRODUCT)
            quiet.setItalic(True)  # a section, not a product
            self.others.setFont(PRODUCT, quiet)
            places = ", ".join(country_name(c, self.locale) for c in destinations or ())
            self.others.setToolTip(
                PRODUCT,
                plain(
                    _(
                        "Not approved in the destinations chosen on the Preferences tab ({places}). Open to see them."
                    ).format(places=places)
                ),
            )
        lead = set(self.focus.regions)
        for result in screening.results:
            name = result.generic_name or _("Clinical trials (no approved product)")
            therapy = self.pack.therapy(result.therapy)
            if therapy is not None:
                name = f"{therapy.generic_name} ({therapy.brands})"
            here = sorted(result.regions.items(), key=lambda pair: pair[0] not in lead)  # the destinations' first
            where = " · ".join(
                f"{country_name(region, self.locale)} {VERDICT_MARKS[verdict]}" for region, verdict in here
            )
            verdict = _(VERDICT_WORDS[result.verdict])
            # "Centre review: outside typical trial criteria" -> "Centre review" in the column; all of it on hover
            top = QTreeWidgetItem([f"{name}\n{where}" if where else name, verdict.split(":")[0], ""])
            top.setToolTip(RESULT, plain(verdict))
            tip = f"{name}\n{where}" if where else name
            if result.verdict == "centre_review":
                note = centre_review_note(result, self.pack)
                tip = f"{tip}\n\n{note}"
                top.setToolTip(RESULT, plain(f"{verdict}\n{note}"))
            elif result.verdict == "not_eligible":
                reasons = list(dict.fromkeys(f.reason or f.label for f in result.reasons()))
                tip = f"{tip}\n\n" + _("Ruled out: {reasons}").format(reasons="; ".join(reasons))
            top.setToolTip(PRODUCT, plain(tip))
            top.setData(PRODUCT, SOURCE_ROLE, result.therapy)
            top.setForeground(RESULT, QBrush(verdict_colour(result.verdict, dark)))
            font = top.font(PRODUCT)
            font.setBold(True)
            top.setFont(PRODUCT, font)
            top.setFont(RESULT, font)
            for finding in result.findings:
                regions = ", ".join(country_name(r, self.locale) for r in finding.regions)
                # a region's label finding already says "Label in ...": no kind in front of it
                label = (
                    finding.label
                    if finding.kind == "label" and finding.regions
                    else f"{_(KIND_WORDS[finding.kind])} · {finding.label}"
                )
                source = self.pack.sources.get(finding.source)
                child = QTreeWidgetItem(
                    [
                        f"{label}\n{finding.reason or finding.value}",
                        f"{STATUS_MARKS[finding.status]} {_(finding.status.replace('_', ' '))}",
                        _("Source"),
                    ]
                )
                tip = (
                    f"{finding.detail}\n{finding.reason}"
                    if finding.reason and finding.reason not in finding.detail
                    else finding.detail
                )
                child.setToolTip(PRODUCT, plain(f"{tip}\n({regions})" if regions else tip))
                publisher = f"{source.publisher}: {source.title}" if source else finding.source
                child.setToolTip(SOURCE, plain(_("Open the source — {publisher}").format(publisher=publisher)))
                child.setData(SOURCE, SOURCE_ROLE, finding.source)
                child.setForeground(RESULT, QBrush(verdict_colour(finding.status, dark)))
                link = self.palette().color(QPalette.ColorRole.Link)
                child.setForeground(SOURCE, QBrush(link))
                top.addChild(child)
            if result in self.focus.others and self.others is not None:
                self.others.addChild(top)
            else:
                self.tree.addTopLevelItem(top)
            top.setExpanded(result.therapy in expanded)
        if self.others is not None:  # folded unless the user opened it
            self.tree.addTopLevelItem(self.others)
            self.others.setExpanded(OTHERS in expanded)
            for i in range(self.others.childCount()):
                folded = self.others.child(i)
                if folded is not None:
                    folded.setExpanded(folded.data(PRODUCT, SOURCE_ROLE) in expanded)
        if current_key is not None:  # the keyboard's place kept (a product or the folded section)
            found = self.tree.findItems("*", Qt.MatchFlag.MatchWildcard | Qt.MatchFlag.MatchRecursive, PRODUCT)
            match = next((item for item in found if item.data(PRODUCT, SOURCE_ROLE) == current_key), None)
            if match is not None:
                self.tree.setCurrentItem(match)
        notes = [pick(note.text, self.locale) for note in screening.research_notes]
        self.notes.setText("\n".join(f"• {n}" for n in notes))
        self.notes.setVisible(bool(notes))
        self.disclaimer.setText(screening.disclaimer)
        self.disclaimer.setStyleSheet(f"color: {verdict_colour('needs_information', dark).name()};")

    def _activated(self, item: QTreeWidgetItem, column: int) -> None:
        source = item.data(SOURCE, SOURCE_ROLE)
        if source:
            self.source_requested.emit(source)
