"""Undo says what it undid and shows the field: the field's tab comes forward, the field has the focus, and
the status bar names it by its label with the value it had; the Edit menu's actions name the field."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop.shell.main_window import MainWindow


def test_undo_from_another_tab_goes_back_to_the_field_and_names_it(window: MainWindow, qtbot) -> None:
    window.resize(1366, 768)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.new_case()
    editor = window.cases.editor
    diagnosis = editor.fields["clinical.diagnosis_text"].widget
    clinical = editor.tabs.indexOf(
        next(editor.tabs.widget(i) for i in range(editor.tabs.count()) if editor.tabs.widget(i).isAncestorOf(diagnosis))
    )
    editor.tabs.setCurrentIndex(clinical)
    diagnosis.setFocus()
    qtbot.keyClicks(diagnosis, "Diffuse large B-cell lymphoma, relapsed twice after R-CHOP and R-ICE")
    assert editor.undo_action.text() == "Undo Diagnosis as reported"
    assert [a.text() for a in window.edit_menu.actions()] == ["Undo Diagnosis as reported", "Redo"]

    editor.tabs.setCurrentWidget(window.cases.plan_panel)  # the coordinator moved on
    language = window.cases.plan_panel.language
    language.setFocus()
    qtbot.waitUntil(language.hasFocus)
    qtbot.keyClick(language, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)

    assert diagnosis.text() == ""
    assert editor.tabs.currentIndex() == clinical
    qtbot.waitUntil(lambda: QApplication.focusWidget() is diagnosis)
    message = window.statusBar().currentMessage().replace("\u2068", "").replace("\u2069", "")  # bidi isolates
    assert message.startswith("Undone: Diagnosis as reported (was “Diffuse large B-cell lymphoma")
    assert message.endswith("…”)") and len(message) < 90  # a long value is cut
    assert editor.redo_action.text() == "Redo Diagnosis as reported" and editor.undo_action.text() == "Undo"

    editor.tabs.setCurrentIndex(0)
    editor.redo_action.trigger()
    assert diagnosis.text().startswith("Diffuse") and editor.tabs.currentIndex() == clinical
    assert window.statusBar().currentMessage() == "Redone: Diagnosis as reported (was “\u2068—\u2069”)"


def test_undo_of_a_choice_names_the_choice_shown(window: MainWindow, qtbot) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.new_case()
    editor = window.cases.editor
    ecog = editor.fields["clinical.ecog"]
    ecog.widget.setValue(2)
    editor.tabs.setCurrentIndex(0)
    editor.undo_action.trigger()
    assert ecog.value() is None
    assert window.statusBar().currentMessage() == "Undone: ECOG performance status (was “\u20682\u2069”)"
    qtbot.waitUntil(lambda: ecog.widget.hasFocus() or ecog.widget.isAncestorOf(QApplication.focusWidget()))
