"""Lab fields show their unit before a value is typed ("— mL/min"), whole, in every interface language."""

from __future__ import annotations

import pytest

from desktop.shell.main_window import MainWindow
from tests.desktop.conftest import make_window
from tests.desktop.test_language import interface_in

UNITS = {
    "clinical.creatinine_clearance_ml_min": "mL/min",
    "clinical.lvef_percent": "%",
    "clinical.alt_x_uln": "× ULN",
    "clinical.bilirubin_x_uln": "× ULN",
    "clinical.spo2_percent": "%",
    "clinical.ecog": "0–4",
    "clinical.karnofsky_lansky": "0–100",
}


def check_units(window: MainWindow, qtbot) -> None:
    window.resize(1366, 768)
    window.new_case()
    editor = window.cases.editor
    spin = editor.fields["clinical.creatinine_clearance_ml_min"].widget
    editor.focus_field("clinical.creatinine_clearance_ml_min")
    qtbot.waitUntil(spin.isVisible)
    for path, unit in UNITS.items():
        field = editor.fields[path]
        assert field.value() is None  # empty: nothing typed yet
        spin = field.widget
        shown = spin.lineEdit().text()
        assert shown.startswith("—") and unit in shown, path
        editor.focus_field(path)
        qtbot.waitUntil(spin.isVisible)
        room = spin.lineEdit().width()
        assert spin.lineEdit().fontMetrics().horizontalAdvance(shown) <= room, path  # not clipped
    months = editor.fields["clinical.months_to_progression"].widget
    assert months.lineEdit().text() == "—" + months.suffix()


def test_lab_units_are_shown_on_empty_fields(window: MainWindow, qtbot) -> None:
    check_units(window, qtbot)
    creatinine = window.cases.editor.fields["clinical.creatinine_clearance_ml_min"]
    creatinine.widget.setValue(55)
    assert creatinine.value() == 55 and creatinine.widget.lineEdit().text().endswith("mL/min")


@pytest.mark.parametrize("locale", ["ar", "de", "zh_CN"])
def test_lab_units_in_other_languages(qtbot, data_dir, locale: str) -> None:
    with interface_in(locale):
        window = make_window(qtbot, data_dir, locale)
        check_units(window, qtbot)
        window.close()
