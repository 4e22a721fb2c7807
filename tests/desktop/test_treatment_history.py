"""The treatment history on the Clinical tab: the facts product labels turn on, typed, saved and screened.

The fields a chosen indication's labels ask about come first (in bold); subtypes follow the indication;
biomarkers are stored as a nested object; the Screening tab names the kind of every criterion and the
Estimate tab never shows a missing drug price as 0.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFormLayout

from desktop.cases.editor import AUTOSAVE_MS
from desktop.cases.estimate_panel import ROWS
from desktop.cases.screening_panel import PRODUCT, RESULT
from desktop.shell.main_window import MainWindow
from planning.case import empty_document

CLINICAL = 1
ALL_WELL = {
    "clinical.ecog": 0,
    "clinical.cns_involvement": False,
    "clinical.active_infection": False,
    "clinical.hiv_hbv_hcv_active": False,
    "clinical.prior_allo_sct": False,
    "clinical.pregnant": False,
    "clinical.creatinine_clearance_ml_min": 90,
    "clinical.lvef_percent": 60,
    "clinical.alt_x_uln": 1.0,
    "clinical.bilirubin_x_uln": 0.8,
    "clinical.spo2_percent": 97,
}
"""Every exclusion and trial threshold met (tests/planning/test_eligibility.py ALL_WELL)."""


def saved(window: MainWindow, case_id: int) -> dict:
    return window.cases_store.get(case_id).document


def wait_saved(qtbot, window: MainWindow, case_id: int, path: str, expected) -> None:
    def value():
        node = saved(window, case_id)
        for key in path.split("."):
            node = (node or {}).get(key)
        return node

    qtbot.waitUntil(lambda: value() == expected, timeout=AUTOSAVE_MS * 10)


def choose(editor, path: str, value) -> None:
    """Pick ``value`` from a list as a user does (the list's own signal)."""
    combo = editor.fields[path].widget
    index = combo.findData(value)
    assert index >= 0, (path, value)
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def fill(editor, values: dict) -> None:
    for path, value in values.items():
        widget = editor.fields[path].widget
        if hasattr(widget, "findData"):
            choose(editor, path, value)
        else:
            widget.setValue(value)  # a spin box: its own change signal is the edit


def history_rows(editor) -> list[str]:
    """The treatment-history fields as the form shows them, top to bottom (visible rows only)."""
    form = editor.history_form
    by_label = {label: path for path, (label, _cell) in editor.rows.items()}
    rows = []
    for row in range(form.rowCount()):
        item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
        if item is not None and item.widget() in by_label and form.isRowVisible(row):
            rows.append(by_label[item.widget()])
    return rows


def open_sample(window: MainWindow, name_part: str) -> None:
    window.cases.add_samples()
    row = next(r for r in window.cases.model.rows if name_part in r.full_name)
    window.cases.open_case(row.id)


def product(panel, generic_start: str):
    items = [panel.tree.topLevelItem(i) for i in range(panel.tree.topLevelItemCount())]
    return next(item for item in items if item.text(PRODUCT).startswith(generic_start))


def test_new_fields_are_typed_and_saved_with_nested_biomarkers(window: MainWindow, qtbot) -> None:
    window.new_case()
    editor = window.cases.editor
    case_id = editor.case.id
    editor.tabs.setCurrentIndex(CLINICAL)
    for path in (
        "clinical.subtype",
        "clinical.relapse_count",
        "clinical.months_to_progression",
        "clinical.transplant_eligible",
        "clinical.refractory_to",
        "clinical.biomarkers.cd19",
        "clinical.karnofsky_lansky",
    ):
        widget = editor.fields[path].widget
        label, _cell = editor.rows[path]
        assert widget.objectName() == path
        assert widget.accessibleName() == editor.labels[path]
        assert label.buddy() is widget
        assert editor.fields[path].value() is None  # unknown until typed

    choose(editor, "clinical.indication", "lbcl")
    choose(editor, "clinical.subtype", "pmbcl")
    relapses = editor.fields["clinical.relapse_count"].widget
    relapses.setFocus()
    qtbot.keyClick(relapses, Qt.Key.Key_Up)  # "—" (unknown) -> 0
    qtbot.keyClick(relapses, Qt.Key.Key_Up)  # 1
    months = editor.fields["clinical.months_to_progression"].widget
    months.setFocus()
    months.selectAll()
    qtbot.keyClicks(months, "8")
    assert months.suffix() == " months"
    transplant = editor.fields["clinical.transplant_eligible"].widget
    transplant.setFocus()
    qtbot.keyClicks(transplant, "N")
    qtbot.keyClicks(editor.fields["clinical.refractory_to"].widget, "R-ICE, lenalidomide")
    choose(editor, "clinical.biomarkers.cd19", "positive")
    editor.fields["clinical.karnofsky_lansky"].widget.setValue(80)

    wait_saved(qtbot, window, case_id, "clinical.karnofsky_lansky", 80)
    clinical = saved(window, case_id)["clinical"]
    assert clinical["subtype"] == "pmbcl"
    assert clinical["relapse_count"] == 1
    assert clinical["months_to_progression"] == 8
    assert clinical["transplant_eligible"] is False
    assert clinical["refractory_to"] == ["R-ICE", "lenalidomide"]
    assert clinical["biomarkers"] == {"cd19": "positive", "bcma": None, "cldn18_2": None, "her2": None}
    assert window.cases_store.get(case_id).row.problems == 0

    # undo works on a nested field too, and the undone value is what is stored
    choose(editor, "clinical.biomarkers.cd19", "negative")
    wait_saved(qtbot, window, case_id, "clinical.biomarkers.cd19", "negative")
    editor.undo_action.trigger()
    assert editor.fields["clinical.biomarkers.cd19"].value() == "positive"
    wait_saved(qtbot, window, case_id, "clinical.biomarkers.cd19", "positive")

    # another indication: the chosen subtype is kept as typed and pointed out under the field
    choose(editor, "clinical.indication", "gastric")
    error = editor.errors["clinical.subtype"]
    assert error.isVisibleTo(error.parentWidget()) and error.text() == "must be one of gastric, gej"
    wait_saved(qtbot, window, case_id, "clinical.indication", "gastric")
    assert saved(window, case_id)["clinical"]["subtype"] == "pmbcl"
    choose(editor, "clinical.subtype", "gej")
    assert not error.isVisibleTo(error.parentWidget())
    wait_saved(qtbot, window, case_id, "clinical.subtype", "gej")


def test_an_imported_file_shows_its_biomarkers_and_keeps_them_nested(window: MainWindow, qtbot, tmp_path: Path) -> None:
    document = empty_document()
    document["patient"]["full_name"] = "Imported Marker"
    document["clinical"].update(indication="gastric", subtype="gej", refractory_to=["FOLFOX"])
    document["clinical"]["biomarkers"] = {"cldn18_2": "positive", "her2": "negative"}
    path = tmp_path / "case.json"
    path.write_text(json.dumps(document), "utf-8")
    assert window.import_case(path)
    editor = window.cases.editor
    case_id = editor.case.id
    assert editor.fields["clinical.biomarkers.cldn18_2"].value() == "positive"
    assert editor.fields["clinical.biomarkers.her2"].value() == "negative"
    assert editor.fields["clinical.subtype"].value() == "gej"
    assert editor.fields["clinical.refractory_to"].value() == ["FOLFOX"]
    qtbot.keyClicks(editor.fields["patient.home_city"].widget, "Xi'an")
    wait_saved(qtbot, window, case_id, "patient.home_city", "Xi'an")
    markers = saved(window, case_id)["clinical"]["biomarkers"]
    assert markers["cldn18_2"] == "positive" and markers["her2"] == "negative" and markers["cd19"] is None


def test_the_indication_decides_what_comes_first_and_the_subtypes(window: MainWindow, qtbot) -> None:
    window.new_case()
    editor = window.cases.editor
    editor.tabs.setCurrentIndex(CLINICAL)
    subtype = editor.fields["clinical.subtype"].widget
    assert not subtype.isEnabled()  # no indication yet: no subtypes to offer
    assert history_rows(editor)[:3] == ["clinical.subtype", "clinical.disease_status", "clinical.relapse_count"]

    choose(editor, "clinical.indication", "gastric")
    first = history_rows(editor)[:3]
    assert set(first) == {"clinical.subtype", "clinical.biomarkers.cldn18_2", "clinical.biomarkers.her2"}
    assert first[0] == "clinical.subtype"
    for path in first:
        label, _cell = editor.rows[path]
        assert label.font().bold() and "●" in label.text()
    assert not editor.rows["clinical.ecog"][0].font().bold()
    assert editor.asks_caption.isVisibleTo(editor.history_box) and "Gastric" in editor.asks_caption.text()
    assert subtype.isEnabled()
    assert [subtype.itemData(i) for i in range(subtype.count())] == [None, "gastric", "gej"]
    assert "clinical.biomarkers.cd19" not in history_rows(editor)  # unrelated marker hidden while unknown
    # Tab follows the order shown
    subtype.setFocus()
    qtbot.keyClick(subtype, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is editor.fields[first[1]].widget

    choose(editor, "clinical.indication", "lbcl")
    assert [subtype.itemData(i) for i in range(subtype.count())] == [None, "dlbcl", "pmbcl", "hgbl", "tfl"]
    assert history_rows(editor)[:3] == [
        "clinical.subtype",
        "clinical.months_to_progression",
        "clinical.transplant_eligible",
    ]
    assert "clinical.biomarkers.cd19" in history_rows(editor)
    assert "clinical.biomarkers.cldn18_2" not in history_rows(editor)

    choose(editor, "clinical.indication", "b_all")
    assert not subtype.isEnabled() and subtype.count() == 1
    assert history_rows(editor)[:2] == ["clinical.relapse_count", "clinical.karnofsky_lansky"]
    assert not editor.rows["clinical.subtype"][0].font().bold()


def test_b_all_child_in_first_relapse_then_second(window: MainWindow, qtbot) -> None:
    window.new_case()
    editor = window.cases.editor
    editor.tabs.setCurrentIndex(CLINICAL)
    qtbot.keyClicks(editor.fields["patient.date_of_birth"].edit, f"{date.today().year - 9}-01-01")  # 9 years old
    choose(editor, "patient.sex", "female")
    choose(editor, "clinical.indication", "b_all")
    fill(
        editor,
        {
            **ALL_WELL,
            "clinical.disease_status": "relapsed",
            "clinical.relapse_count": 1,
            "clinical.prior_lines": 2,
            "clinical.karnofsky_lansky": 90,
        },
    )
    qtbot.keyClicks(editor.fields["clinical.prior_therapies"].widget, "Hyper-CVAD")
    panel = editor.screening_panel
    tisa = product(panel, "tisagenlecleucel")
    assert tisa.text(RESULT) == "Not eligible"
    assert panel.screening.result("tisagenlecleucel").regions["US"] == "not_eligible"
    us = next(
        tisa.child(i) for i in range(tisa.childCount()) if "United States" in tisa.child(i).text(PRODUCT).split("\n")[0]
    )
    assert us.text(PRODUCT).startswith("Label in United States (FDA)")  # a label finding says so itself
    assert "second or later relapse" in us.text(PRODUCT)
    assert us.text(RESULT).startswith("✗")
    assert "second or later relapse" in tisa.toolTip(PRODUCT)  # why it is ruled out, on the product

    relapses = editor.fields["clinical.relapse_count"].widget
    relapses.setFocus()
    qtbot.keyClick(relapses, Qt.Key.Key_Up)  # second relapse
    tisa = product(panel, "tisagenlecleucel")
    assert tisa.text(RESULT) == "Candidate"
    assert panel.screening.result("tisagenlecleucel").regions["US"] == "candidate"
    rows = [tisa.child(i).text(PRODUCT) for i in range(tisa.childCount())]
    kinds = {"Label" if row.startswith("Label in ") else row.split(" · ")[0] for row in rows}
    assert kinds == {"Label", "Exclusion", "Trial"}  # every finding says its kind


def test_ecog_2_puts_axi_cel_to_the_centre(window: MainWindow, qtbot) -> None:
    open_sample(window, "Anna")  # large B-cell lymphoma, ECOG 1
    editor = window.cases.editor
    editor.tabs.setCurrentIndex(CLINICAL)
    ecog = editor.fields["clinical.ecog"].widget
    ecog.setFocus()
    qtbot.keyClick(ecog, Qt.Key.Key_Up)  # 2: outside ZUMA-1 (ECOG 0-1)
    panel = editor.screening_panel
    axi = product(panel, "axicabtagene")
    assert axi.text(RESULT) == "Centre review"
    assert axi.toolTip(RESULT).startswith("Centre review: outside typical trial criteria")
    assert "Fits the label; outside the typical trial criteria for" in axi.toolTip(PRODUCT)
    assert "ECOG" in axi.toolTip(PRODUCT)  # which typical criterion the case is outside
    assert "the treating centre decides" in axi.toolTip(RESULT)
    assert product(panel, "lisocabtagene").text(RESULT) == "Candidate"
    assert panel.screening.overall == "candidate"

    # LVEF 35 %: outside TRANSCEND's heart threshold too. When only products for the centre to review are
    # left (here: the real results, those a candidate left out), the headline says the centre decides.
    editor.fields["clinical.lvef_percent"].widget.setValue(35)
    assert panel.screening.result("lisocabtagene").verdict == "centre_review"
    left = tuple(r for r in panel.screening.results if r.verdict == "centre_review")
    assert len(left) >= 3
    panel.show_screening(replace(panel.screening, overall="centre_review", results=left))
    summary = panel.summary.text()
    assert "Centre review: outside typical trial criteria" in summary
    count = len(left)
    assert f"{count} of {count} approved products fit the label but are outside the typical trial criteria" in summary
    assert "the treating centre decides" in summary


def test_a_drug_without_a_recorded_price_is_never_shown_as_zero(window: MainWindow, qtbot) -> None:
    open_sample(window, "Anna")  # large B-cell lymphoma; Germany, United States, China
    editor = window.cases.editor
    boxes = editor.fields["preferences.destinations"].boxes
    boxes["US"].setChecked(False)
    boxes["CN"].setChecked(False)
    ecog = editor.fields["clinical.ecog"].widget
    ecog.setFocus()
    qtbot.keyClick(ecog, Qt.Key.Key_Up)  # 2: liso-cel is the one candidate (no list price in Germany)
    panel = editor.estimate_panel
    (option,) = panel.shown
    assert (option.country, option.therapy) == ("DE", "lisocabtagene") and option.total_open
    drug = panel.table.item(0, 0).text()
    assert drug == "price not recorded — ask the centre for a quote"
    assert "*" not in drug
    total = panel.table.item(len(ROWS), 0).text()
    assert total.startswith("from ") and total.endswith(" + drug")
    assert any(ch.isdigit() for ch in total)
    chart = panel.totals_chart.rows[0]
    assert chart.text.startswith("from ") and chart.text.endswith(" + drug")
    assert (chart.low, chart.high, chart.marker) == (None, None, option.total_low)  # a floor: no bar, a tick
    assert panel.table.item(len(ROWS) + 1, 0).text() == "Not known until the drug is priced"  # budget given


def test_typed_text_is_never_read_as_markup(window: MainWindow, qtbot) -> None:
    open_sample(window, "Dmitri")  # myeloma
    editor = window.cases.editor
    therapies = editor.fields["clinical.prior_therapies"].widget
    therapies.setFocus()
    therapies.end(False)
    qtbot.keyClicks(therapies, ", <b>mysteriomab")
    panel = editor.screening_panel
    assert panel.unrecognised.textFormat() == Qt.TextFormat.PlainText
    assert "<b>mysteriomab" in panel.unrecognised.text()  # shown as typed
    for label in (panel.ask, panel.notes, panel.disclaimer, editor.summary, editor.estimate_panel.notes):
        assert label.textFormat() == Qt.TextFormat.PlainText
