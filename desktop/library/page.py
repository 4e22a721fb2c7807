"""Library: therapies, indications, questions, the journey and sources, each with its sourced, dated facts;
and the facts old enough to re-check."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QHBoxLayout,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from desktop.library import detail_html, journey_html
from desktop.library.journey_html import T_GLOSSARY, T_RECHECK
from desktop.shared.plain import plain
from planning.i18n import _
from planning.knowledge.audit import to_recheck
from planning.knowledge.models import Pack, pick

ROLE = 0x0100  # Qt.UserRole
GLOSSARY_REF = "all"
"""The glossary is one page: a word found by search opens it."""


def page_palette(widget: QWidget) -> detail_html.Palette:
    """Colours for rich-text pages from the widget's palette (light or dark)."""
    palette = widget.palette()
    dark = palette.color(QPalette.ColorRole.Window).lightness() < 128
    return detail_html.Palette(
        muted=palette.color(QPalette.ColorRole.PlaceholderText).name(),
        accent=palette.color(QPalette.ColorRole.Link).name(),
        warn="#e8a33d" if dark else "#9a5200",
        rule=palette.color(QPalette.ColorRole.Mid).name(),
    )


class LibraryPage(QWidget):
    """A tree of records on the left, the open record on the right; links move between records."""

    destination_requested = Signal(str)

    def __init__(self, locale: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("libraryPage")
        self.locale = locale
        self.pack: Pack | None = None
        self.history: list[tuple[str, str]] = []
        self.current: tuple[str, str] | None = None
        self.recheck_setting = 0
        """Months after which a fact is listed to re-check, as set in Settings; 0: the pack's own age."""

        self.tree = QTreeWidget(self)
        self.tree.setObjectName("libraryTree")
        self.tree.setHeaderHidden(True)
        self.tree.setAccessibleName(_("Library contents"))
        self.tree.currentItemChanged.connect(self._tree_changed)
        self.view = QTextBrowser(self)
        self.view.setObjectName("libraryDetail")
        self.view.setOpenLinks(False)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # pages wrap to the width
        self.view.anchorClicked.connect(self._link_clicked)
        self.view.setAccessibleName(_("Details"))
        splitter = QSplitter(self)
        splitter.addWidget(self.tree)
        splitter.addWidget(self.view)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([360, 900])
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self.view.setHtml("<p>" + _("Loading the knowledge pack…") + "</p>")

    # --- content -----------------------------------------------------------------------------

    def set_pack(self, pack: Pack) -> None:
        self.pack = pack
        self.tree.blockSignals(True)
        self.tree.clear()
        self._items: dict[tuple[str, str], QTreeWidgetItem] = {}
        groups = [
            (_("Therapies"), [("therapy", t.id, f"{t.generic_name} ({t.brands})") for t in pack.therapies]),
            (
                _("Indications: CAR-T approved"),
                [("indication", i.code, pick(i.name, self.locale)) for i in pack.indications if i.status == "approved"],
            ),
            (
                _("Indications: investigational"),
                [("indication", i.code, pick(i.name, self.locale)) for i in pack.indications if i.status != "approved"],
            ),
            (_("Questions patients ask"), [("faq", f.id, pick(f.question, self.locale)) for f in pack.faqs]),
            (
                _("The journey"),
                [("journey", t.id, pick(t.title, self.locale)) for t in pack.journey]
                + ([("glossary", GLOSSARY_REF, _(T_GLOSSARY))] if pack.glossary else []),
            ),
            (_("Sources"), [("source", s.id, s.title) for s in sorted(pack.sources.values(), key=lambda s: s.title)]),
        ]
        old = len(to_recheck(pack.raw, date.today(), self.recheck_months()))
        groups.append(
            (
                _(T_RECHECK),
                [
                    (
                        "recheck",
                        "facts",
                        _("Facts older than {months} months ({count})").format(months=self.recheck_months(), count=old),
                    )
                ],
            )
        )
        for title, entries in groups:
            group = QTreeWidgetItem(self.tree, [f"{title} ({len(entries)})"])
            group.setFlags(group.flags() & ~group.flags().ItemIsSelectable)
            for kind, ref, label in entries:
                item = QTreeWidgetItem(group, [label])
                item.setData(0, ROLE, (kind, ref))
                item.setToolTip(0, plain(label))
                self._items[(kind, ref)] = item
            group.setExpanded(kind not in ("source", "recheck"))
        self.tree.blockSignals(False)
        first = pack.therapies[0].id if pack.therapies else None
        if first and self.current is None:
            self.open("therapy", first, remember=False)
        elif self.current:
            self.open(*self.current, remember=False)

    def recheck_months(self) -> int:
        """The age in months after which a fact is to be re-checked: Settings' choice, else the pack's."""
        return self.recheck_setting or (self.pack.info.recheck_months if self.pack else 18)

    def set_recheck_months(self, months: int) -> None:
        """Settings changed the re-check age: the tree's count and an open re-check page follow."""
        self.recheck_setting = months
        if self.pack is not None:
            self.set_pack(self.pack)

    def open(self, kind: str, ref: str, remember: bool = True) -> bool:
        """Show a record; returns False when it does not exist."""
        if self.pack is None:
            return False
        html = self._html(kind, ref)
        if html is None:
            return False
        if remember and self.current and self.current != (kind, ref):
            self.history.append(self.current)
        self.current = (kind, ref)
        self.view.setHtml(html)
        item = self._items.get((kind, GLOSSARY_REF if kind == "glossary" else ref))
        if item is not None:
            self.tree.blockSignals(True)
            self.tree.setCurrentItem(item)
            self.tree.scrollToItem(item)
            self.tree.blockSignals(False)
        return True

    def back(self) -> None:
        if self.history:
            self.open(*self.history.pop(), remember=False)

    def _html(self, kind: str, ref: str) -> str | None:
        pack, loc, pal = self.pack, self.locale, page_palette(self)
        assert pack is not None
        if kind == "therapy" and (t := pack.therapy(ref)):
            return detail_html.therapy_page(pack, t, loc, pal)
        if kind == "indication" and (i := pack.indication(ref)):
            return detail_html.indication_page(pack, i, loc, pal)
        if kind == "faq" and (f := next((f for f in pack.faqs if f.id == ref), None)):
            return detail_html.faq_page(pack, f, loc, pal)
        if kind == "source" and (s := pack.sources.get(ref)):
            return detail_html.source_page(pack, s, loc, pal)
        if kind == "journey" and (j := next((t for t in pack.journey if t.id == ref), None)):
            return journey_html.journey_page(pack, j, loc, pal)
        if kind == "glossary" and pack.glossary:
            return journey_html.glossary_page(pack, loc, pal)
        if kind == "recheck":
            return journey_html.recheck_page(pack, loc, date.today(), self.recheck_months(), pal)
        return None

    # --- events ------------------------------------------------------------------------------

    def _tree_changed(self, item: QTreeWidgetItem | None, _previous) -> None:
        data = item.data(0, ROLE) if item else None
        if data:
            self.open(*data)

    def _link_clicked(self, url: QUrl) -> None:
        target = url.toString()
        kind, _sep, ref = target.partition(":")
        if kind == "destination":
            self.destination_requested.emit(ref)
        elif kind in ("therapy", "indication", "faq", "source", "journey", "glossary", "recheck"):
            self.open(kind, ref)
        elif kind in ("http", "https"):
            from PySide6.QtGui import QDesktopServices

            QDesktopServices.openUrl(url)
