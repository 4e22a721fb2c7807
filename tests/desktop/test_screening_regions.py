"""The Screening tab leads with the products for the patient's chosen destinations; the products approved only
in other regions are folded in one section (collapsed, counted, opened from the keyboard)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox

from desktop.cases.screening_panel import OTHERS, PRODUCT, SOURCE_ROLE
from desktop.shell.main_window import MainWindow


def choose_indication(window: MainWindow, code: str) -> None:
    combo = window.cases.editor.fields["clinical.indication"].widget
    combo.setCurrentIndex(combo.findData(code))
    combo.activated.emit(combo.currentIndex())  # as a pick from the list


def top_rows(panel) -> list[str]:
    return [panel.tree.topLevelItem(i).data(PRODUCT, SOURCE_ROLE) for i in range(panel.tree.topLevelItemCount())]


def test_destinations_in_china_lead_and_the_rest_is_folded(window: MainWindow, qtbot) -> None:
    window.activateWindow()
    window.new_case()
    editor = window.cases.editor
    panel = editor.screening_panel
    choose_indication(window, "lbcl")
    assert OTHERS not in top_rows(panel)  # no destination chosen: every product shown
    assert set(top_rows(panel)) == {"tisagenlecleucel", "axicabtagene", "lisocabtagene", "relmacabtagene"}

    china = editor.fields["preferences.destinations"].widget.findChild(QCheckBox, "check_CN")
    china.click()
    rows = top_rows(panel)
    assert rows[:2] == ["axicabtagene", "relmacabtagene"] and rows[-1] == OTHERS
    folded = panel.others
    assert folded is not None and not folded.isExpanded()  # collapsed by default
    assert folded.text(PRODUCT) == "2 products approved only in other regions"
    assert {folded.child(i).data(PRODUCT, SOURCE_ROLE) for i in range(2)} == {"tisagenlecleucel", "lisocabtagene"}
    axi = panel.tree.topLevelItem(0)
    assert axi.text(PRODUCT).split("\n")[1].startswith("China")  # the destination's region first

    editor.tabs.setCurrentIndex(editor.screening_tab)
    panel.tree.setFocus()
    panel.tree.setCurrentItem(folded)
    qtbot.keyClick(panel.tree, Qt.Key.Key_Right)  # opened from the keyboard
    assert folded.isExpanded()
    editor.fields["clinical.ecog"].widget.setValue(1)  # screened again: what was opened stays open
    assert panel.others is not None and panel.others.isExpanded()
    qtbot.keyClick(panel.tree, Qt.Key.Key_Left)
    assert not panel.others.isExpanded()

    china.click()  # no destination again: nothing folded
    assert OTHERS not in top_rows(panel) and len(top_rows(panel)) == 4
