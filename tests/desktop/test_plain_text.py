"""Text from a case or a pack is shown as written in every widget: never read by Qt as rich text.

A case whose every text field holds markup, and a pack whose names and notes hold markup, are opened in
the real window; every page, tab and panel is visited, and every widget is walked (labels, tooltips,
item views with their items' tooltips, tab tooltips, rich-text pages, message boxes). Where Qt would
read a text as rich (a label's format, or Qt.mightBeRichText for tooltips and automatic formats), the
markup must be there escaped, never raw.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QLabel,
    QMessageBox,
    QTabBar,
    QTextEdit,
    QWidget,
)

from db.knowledge_store import KnowledgeStore
from db.paths import knowledge_db_path
from desktop.shell.main_window import MainWindow
from tests.conftest import bump_version, edit_json
from tests.desktop.conftest import make_window

MARK = "<h1>x</h1><img src=x>"
"""Markup that Qt would draw as a headline and an image."""
ENTITY = "a&lt;b&gt;"
"""An entity Qt would draw as "<" if it read the text as rich."""

FREE_TEXT = {
    "generic_name",
    "short_name",
    "maker",
    "target",
    "name",
    "title",
    "publisher",
    "citation",
    "components",
    "brands",
    "limits",
    "note",
    "label",
    "detail",
    "reason",
}
"""Pack fields written by people (besides every localized text): names, notes, labels."""


def _mark(node) -> None:
    if isinstance(node, dict):
        localized = "en" in node and all(isinstance(v, str) for v in node.values())
        for key, value in list(node.items()):
            if isinstance(value, str) and (localized or key in FREE_TEXT):
                node[key] = f"{MARK} {value}"
            else:
                _mark(value)
    elif isinstance(node, list):
        for value in node:
            _mark(value)


def marked_pack(pack_dir: Path, version: str = "2099.1.0") -> Path:
    for file in pack_dir.glob("*.json"):
        if file.name != "pack.json":
            edit_json(file, _mark)
    bump_version(pack_dir, version)
    return pack_dir


def marked_case() -> dict:
    return {
        "format": "careplan-case",
        "version": 2,
        "patient": {
            "full_name": f"{MARK} Anna",
            "date_of_birth": "1968-04-12",
            "sex": "female",
            "nationality": "DE",
            "language": "en",
            "email": "anna@example.org",
            "phone": "+49 30 5550100",
            "home_city": f"{ENTITY} {MARK}",
        },
        "clinical": {
            "indication": "mm",
            "diagnosis_text": f"{MARK} {ENTITY}",
            "disease_status": "refractory",
            "prior_lines": 3,
            "prior_therapies": [MARK, "RVd", "daratumumab"],
            "refractory_to": [MARK, "lenalidomide"],
            "biomarkers": {"bcma": "positive"},
            "ecog": 1,
            "creatinine_clearance_ml_min": 64,
            "notes": f"{MARK}\n{MARK}",
        },
        "preferences": {
            "destinations": ["DE", "US", "CN", "GB"],
            "currency": "EUR",
            "budget": 350000,
            "companions": 1,
            "insurance": "partial",
        },
        "coordinator": {"name": f"{MARK} {ENTITY}", "email": "coordinator@example.org"},
    }


def _raw(text: str) -> bool:
    """Whether ``text`` carries the case's or the pack's markup unescaped."""
    return "<h1>" in text or "<img" in text or ENTITY in text


def _rich(text: str, text_format: Qt.TextFormat) -> bool:
    """Whether Qt reads ``text`` as rich text in a widget of ``text_format``."""
    if text_format == Qt.TextFormat.RichText:
        return True
    return text_format == Qt.TextFormat.AutoText and GuiQt.mightBeRichText(text)


def _tip_leak(tip) -> bool:
    """Qt shows a tooltip as rich text when Qt.mightBeRichText says so."""
    return isinstance(tip, str) and bool(tip) and GuiQt.mightBeRichText(tip) and _raw(tip)


def _model_leaks(view: QAbstractItemView, where: str) -> list[str]:
    model = view.model()
    if model is None:
        return []
    found = []

    def columns(parent: QModelIndex) -> int:  # a list model's columnCount is private in PySide6
        count = 0
        while model.hasIndex(0, count, parent):
            count += 1
        return count

    for section in range(columns(QModelIndex())):
        tip = model.headerData(section, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
        if _tip_leak(tip):
            found.append(f"{where} header {section} tooltip: {tip!r}")

    def walk(parent: QModelIndex) -> None:
        for row in range(model.rowCount(parent)):
            for column in range(columns(parent)):
                index = model.index(row, column, parent)
                for role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.WhatsThisRole):
                    tip = index.data(role)
                    if _tip_leak(tip):
                        found.append(f"{where} item ({row}, {column}) tooltip: {tip!r}")
                if column == 0 and model.hasIndex(0, 0, index):
                    walk(index)

    walk(QModelIndex())
    return found


def leaks(widgets: list[QWidget]) -> list[str]:
    """Every place one of ``widgets`` would draw the markup as rich text."""
    found: list[str] = []
    for widget in widgets:
        if not shiboken6.isValid(widget):
            continue
        where = f"{type(widget).__name__}#{widget.objectName()}"
        if _tip_leak(widget.toolTip()):
            found.append(f"{where} tooltip: {widget.toolTip()!r}")
        if isinstance(widget, QLabel) and _rich(widget.text(), widget.textFormat()) and _raw(widget.text()):
            found.append(f"{where} text: {widget.text()!r}")
        if isinstance(widget, QAbstractItemView) and not isinstance(widget, QHeaderView):  # a header: its view's model
            found.extend(_model_leaks(widget, where))
        if isinstance(widget, QTabBar):
            for tab in range(widget.count()):
                if _tip_leak(widget.tabToolTip(tab)):
                    found.append(f"{where} tab {tab} tooltip: {widget.tabToolTip(tab)!r}")
        if isinstance(widget, QTextEdit):
            html = widget.toHtml()
            if "<h1" in html or "<img" in html or ENTITY in widget.toPlainText().replace("a<b>", ENTITY):
                found.append(f"{where} page: markup drawn as rich text")
    return found


def every_widget(window: MainWindow) -> list[QWidget]:
    return [window, *window.findChildren(QWidget), *QApplication.topLevelWidgets()]


@pytest.fixture
def marked_window(qtbot, data_dir: Path, pack_copy: Path) -> MainWindow:
    """The window on a data directory whose installed pack carries markup in its names and notes."""
    data_dir.mkdir(parents=True, exist_ok=True)
    store = KnowledgeStore.open(knowledge_db_path(data_dir))
    try:
        store.ensure_current()
        store.import_pack(marked_pack(pack_copy))
    finally:
        store.close()
    window = make_window(qtbot, data_dir)
    yield window
    window.tasks.wait()


def test_case_and_pack_text_is_never_rich_text(marked_window: MainWindow, qtbot, tmp_path: Path) -> None:
    window = marked_window
    assert window.store.info().version == "2099.1.0"
    assert MARK in window.store.pack().therapies[0].generic_name
    found: list[str] = []

    def collect() -> None:
        found.extend(problem for problem in leaks(every_widget(window)) if problem not in found)

    # the case, each text field with markup, and a possible duplicate of it (the same name and birth date)
    path = tmp_path / "case.json"
    path.write_text(json.dumps(marked_case()), "utf-8")
    assert window.import_case(path)
    editor = window.cases.editor
    first = editor.case.id
    window.cases_store.create(marked_case(), window.who)
    window.cases.apply_filters()
    window.cases.open_case(first)
    assert editor.fields["patient.full_name"].value() == f"{MARK} Anna"
    assert editor.fields["clinical.diagnosis_text"].value() == f"{MARK} {ENTITY}"
    assert not editor.banner.isHidden()
    collect()
    for tab in range(editor.tabs.count()):  # every tab of the editor: patient, clinical, ..., screening, estimate, plan
        editor.tabs.setCurrentIndex(tab)
        qtbot.wait(10)
        collect()
    screening = editor.screening_panel
    for item in range(screening.tree.topLevelItemCount()):
        screening.tree.topLevelItem(item).setExpanded(True)
    assert screening.tree.topLevelItemCount() > 0
    assert editor.estimate_panel.table.columnCount() > 0
    collect()

    # a plan made from it (its versions list and state)
    panel = window.cases.plan_panel
    editor.tabs.setCurrentIndex(editor.plan_tab)
    panel.generate_button.click()
    qtbot.waitUntil(lambda: not panel.busy, timeout=60000)
    assert panel.versions.count() == 1, panel.state.text()
    qtbot.waitUntil(lambda: panel.document.status() == QPdfDocument.Status.Ready, timeout=10000)
    collect()

    # the cases list, searched for the name
    window.nav.setCurrentRow(0)
    qtbot.keyClicks(window.cases.search, "Anna")
    window.cases.apply_filters()
    assert window.cases.model.rowCount() == 2
    collect()

    # the library: every record of the pack
    window.nav.setCurrentRow(1)
    for kind, ref in list(window.library._items):
        assert window.library.open(kind, ref)
        found.extend(problem for problem in leaks([window.library.view]) if problem not in found)
    collect()

    # the destinations: every country's page
    window.nav.setCurrentRow(2)
    destinations = window.destinations
    for row in range(destinations.proxy.rowCount()):
        destinations.table.selectRow(row)
        found.extend(problem for problem in leaks([destinations.detail]) if problem not in found)
    collect()

    # settings: the rates and the estimate assumptions
    window.nav.setCurrentRow(3)
    collect()

    # the global search's results
    window.focus_search()
    qtbot.keyClicks(window.search, "tisa")
    assert window.search.results.list.count() > 0
    collect()
    window.search.clear()

    # a case file refused for a value that holds markup: the problems are listed in the message
    bad = marked_case()
    bad["clinical"]["indication"] = MARK
    path.write_text(json.dumps(bad), "utf-8")
    assert not window.import_case(path)
    box = window.last_message
    assert isinstance(box, QMessageBox) and MARK in box.informativeText()
    collect()
    box.done(QMessageBox.StandardButton.Ok)

    # a pack refused for values that hold markup: the problems are listed in the message
    refused = tmp_path / "refused"
    refused.mkdir()
    documents = window.store.documents()  # the installed (marked) pack, written out with one bad value
    documents["pack"]["version"] = "2099.2.0"
    documents["therapies"][0]["approvals"][0]["agency"] = MARK
    for kind, document in documents.items():
        name = "pack.json" if kind == "pack" else documents["pack"]["files"][kind]
        (refused / name).write_text(json.dumps(document, ensure_ascii=False), "utf-8")
    window.last_message = None
    window.import_pack(refused)
    qtbot.waitUntil(lambda: window.last_message is not None and window.last_message.isVisible(), timeout=10000)
    assert MARK in window.last_message.informativeText()
    collect()
    window.last_message.done(QMessageBox.StandardButton.Ok)

    assert not found, "\n".join(found)
