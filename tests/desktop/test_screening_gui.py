"""The Screening panel follows the case as it is typed, and its sources are one click away."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktop.cases.screening_panel import RESULT, SOURCE
from desktop.shell.main_window import MainWindow


def shown(widget) -> bool:
    """Shown when its tab is in front (the panel may sit behind another tab)."""
    return widget.isVisibleTo(widget.parentWidget())


def open_sample(window: MainWindow, name_part: str) -> None:
    window.cases.add_samples()
    row = next(r for r in window.cases.model.rows if name_part in r.full_name)
    window.cases.open_case(row.id)


def test_panel_changes_as_fields_change(window: MainWindow, qtbot) -> None:
    open_sample(window, "Anna")  # large B-cell lymphoma, every value present
    editor = window.cases.editor
    panel = editor.screening_panel
    assert panel.screening.overall == "candidate"
    assert "Candidate" in editor.tabs.tabText(editor.screening_tab)
    assert "Candidate" in panel.summary.text()
    assert not shown(panel.ask)

    editor.tabs.setCurrentIndex(1)
    ecog = editor.fields["clinical.ecog"].widget
    ecog.setFocus()
    qtbot.keyClick(ecog, Qt.Key.Key_Up)  # 1 -> 2: liso-cel (TRANSCEND, ECOG <= 2) is still a candidate
    rows = {panel.tree.topLevelItem(i).text(0).split("\n")[0]: panel.tree.topLevelItem(i) for i in range(4)}
    liso = next(item for name, item in rows.items() if name.startswith("lisocabtagene"))
    axi = next(item for name, item in rows.items() if name.startswith("axicabtagene"))
    # ZUMA-1 took ECOG 0-1: axi-cel still fits its label, the treating centre decides
    assert liso.text(RESULT) == "Candidate"
    assert axi.text(RESULT) == "Centre review"  # the column says it short; the whole verdict on hover
    assert axi.toolTip(RESULT).startswith("Centre review: outside typical trial criteria")
    qtbot.keyClick(ecog, Qt.Key.Key_Up)  # 3: nobody
    assert panel.screening.overall == "not_eligible"
    assert "Not eligible" in editor.tabs.tabText(editor.screening_tab)

    qtbot.keyClick(ecog, Qt.Key.Key_Down)
    qtbot.keyClick(ecog, Qt.Key.Key_Down)  # back to 1
    crcl = editor.fields["clinical.creatinine_clearance_ml_min"].widget
    crcl.setValue(crcl.minimum())  # unknown
    # ZUMA-1, TRANSCEND and JULIET set a kidney threshold (none is recorded for relma-cel in China)
    assert panel.screening.result("axicabtagene").verdict == "needs_information"
    assert panel.screening.result("lisocabtagene").verdict == "needs_information"
    assert shown(panel.ask) and "creatinine clearance" in panel.ask.text()
    assert "clinical.creatinine_clearance_ml_min" in panel.screening.missing


def test_unrecognised_prior_therapy_is_listed(window: MainWindow, qtbot) -> None:
    open_sample(window, "Dmitri")  # myeloma
    editor = window.cases.editor
    therapies = editor.fields["clinical.prior_therapies"].widget
    therapies.setFocus()
    therapies.end(False)
    qtbot.keyClicks(therapies, ", mysteriomab")
    panel = editor.screening_panel
    assert shown(panel.unrecognised)
    assert "mysteriomab" in panel.unrecognised.text()


def test_investigational_indication(window: MainWindow) -> None:
    open_sample(window, "Lucia")  # lupus
    panel = window.cases.editor.screening_panel
    assert panel.screening.overall == "investigational"
    assert "clinical trials only" in panel.summary.text()
    assert shown(panel.notes) and panel.notes.text()


def test_source_is_one_click_away(window: MainWindow, qtbot) -> None:
    open_sample(window, "Anna")
    panel = window.cases.editor.screening_panel
    top = panel.tree.topLevelItem(0)
    top.setExpanded(True)
    finding = top.child(0)
    source_id = window.store.pack().criteria[0].sourced.source  # any; compare with the item's own below
    panel.tree.itemClicked.emit(finding, SOURCE)
    kind, ref = window.library.current
    assert kind == "source"
    assert window.stack.currentWidget() is window.library
    assert ref in window.store.pack().sources and source_id
    assert window.store.pack().sources[ref].title in window.library.view.toPlainText()
