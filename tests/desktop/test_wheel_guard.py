"""The mouse wheel over a combo box or a spin box that has not got the keyboard focus scrolls the page around
it and leaves the value as it was (a wheel over the Clinical tab once turned "—" into "Unknown" and changed the
prior lines, silently, during a call). Once the box has the focus, the wheel changes it as Qt always does.

Real wheel events are sent to the real widgets of the real window (pytest-qt, offscreen). Qt does not pass a
sent (non-spontaneous) wheel event on to the parents, so these tests also show that the guard hands the wheel to
the scroll area itself; the system's own wheel (X11, xdotool under Xvfb) was checked by hand the same way.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QComboBox, QSpinBox, QWidget

from desktop.shared.wheel_guard import scroll_area_for
from desktop.shell.main_window import PAGES, MainWindow
from tests.desktop.conftest import make_window
from tests.desktop.test_follow_up_gui import on_today, open_dialog, store_with

__all__ = ["on_today"]  # the fixture: the Cases page's clock on the follow-up tests' day

CLINICAL = 1
DOWN = -120
"""One notch of the wheel towards the user (the page scrolls down, a box steps down)."""


def wheel(widget: QWidget, notches: int = 1) -> None:
    """``notches`` turns of the wheel with the pointer over the middle of ``widget``, as the system sends them."""
    local = QPointF(widget.rect().center())
    where = QPointF(widget.mapToGlobal(local))
    for _ in range(notches):
        event = QWheelEvent(
            local,
            where,
            QPoint(0, 0),
            QPoint(0, DOWN),
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        )
        QApplication.sendEvent(widget, event)


def focus(qtbot, widget: QWidget) -> None:
    """Give ``widget`` the keyboard focus as a click or Tab would (its window active first)."""
    window = widget.window()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(widget.hasFocus)


def clinical(window: MainWindow, qtbot) -> tuple[QAbstractScrollArea, QComboBox, QSpinBox]:
    """A new case's Clinical tab in a 1366x768 window: its scroll area, a yes/no box and Prior lines."""
    window.resize(1366, 768)
    window.new_case()
    editor = window.cases.editor
    editor.tabs.setCurrentIndex(CLINICAL)
    area = editor.tabs.currentWidget()
    assert isinstance(area, QAbstractScrollArea)
    qtbot.waitUntil(lambda: area.verticalScrollBar().maximum() > 0)  # a form taller than the window
    combo = editor.fields["clinical.transplant_eligible"].widget
    spin = editor.fields["clinical.prior_lines"].widget
    assert isinstance(combo, QComboBox) and isinstance(spin, QSpinBox)
    return area, combo, spin


def test_the_wheel_over_unfocused_clinical_boxes_scrolls_the_form_and_changes_nothing(
    window: MainWindow, qtbot
) -> None:
    area, combo, spin = clinical(window, qtbot)
    bar = area.verticalScrollBar()
    editor = window.cases.editor
    combo_before, spin_before = combo.currentIndex(), spin.value()
    for box in (combo, spin):
        bar.setValue(bar.minimum())
        area.ensureWidgetVisible(box)  # the pointer can be over it
        assert bar.value() < bar.maximum(), "room to scroll down from here"
        assert not box.hasFocus()
        assert box.focusPolicy() == Qt.FocusPolicy.StrongFocus  # click or Tab: the wheel gives no focus
        before = bar.value()
        wheel(box, 2)
        assert bar.value() > before, "the form scrolls down under the pointer"
        assert combo.currentIndex() == combo_before
        assert spin.value() == spin_before
        assert not box.hasFocus()
    assert editor.fields["clinical.transplant_eligible"].value() is None
    assert editor.fields["clinical.prior_lines"].value() is None


def test_a_focused_box_still_takes_the_wheel(window: MainWindow, qtbot) -> None:
    area, combo, spin = clinical(window, qtbot)
    bar = area.verticalScrollBar()
    area.ensureWidgetVisible(spin)
    focus(qtbot, spin)
    spin.setValue(3)
    before = bar.value()
    wheel(spin)
    assert spin.value() == 2  # one notch down, as Qt always did once the box is being edited
    assert bar.value() == before
    area.ensureWidgetVisible(combo)
    focus(qtbot, combo)
    combo.setCurrentIndex(0)
    wheel(combo)
    assert combo.currentIndex() == 1


def test_the_wheel_over_settings_scrolls_the_page_not_the_lock_minutes(window: MainWindow, qtbot) -> None:
    window.resize(1366, 768)
    window.nav.setCurrentRow(PAGES.index("settings"))
    page = window.settings_page
    assert page is not None
    qtbot.waitUntil(lambda: page.security is not None, timeout=10000)
    lock = page.security.lock
    qtbot.waitUntil(lock.isVisible)
    area = scroll_area_for(lock)
    assert area is not None, "the Settings page scrolls at 1366x768"
    bar = area.verticalScrollBar()
    bar.setValue(bar.minimum())
    area.ensureWidgetVisible(lock, 0, 0)
    minutes, before = lock.value(), bar.value()
    wheel(lock, 2)
    assert lock.value() == minutes
    appearance = page.appearance
    chosen = appearance.currentIndex()
    wheel(appearance, 2)
    assert appearance.currentIndex() == chosen
    assert bar.value() != before, "the page scrolled instead"


def test_the_wheel_over_the_call_dialog_leaves_the_outcome_alone(qtbot, data_dir: Path, on_today) -> None:
    store_with(data_dir, [])
    window = make_window(qtbot, data_dir)
    window.cases.new_case()
    dialog = open_dialog(qtbot, window)
    outcome = dialog.outcome
    assert not outcome.hasFocus()
    wheel(outcome, 3)
    assert outcome.currentIndex() == 0 and outcome.currentData() is None  # still "Not recorded"
    focus(qtbot, outcome)
    wheel(outcome)
    assert outcome.currentIndex() == 1  # the wheel works in the box once it is chosen on purpose
