"""The plan preview: the zoom level is always shown and moves by fine steps; the preview pops out to a
window of its own with the same PDF, and follows a plan made again."""

from __future__ import annotations

from itertools import pairwise

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPdf import QPdfDocument

from desktop.plan.preview import ZOOM_STEPS, next_step, percent, typed_zoom
from desktop.shell.main_window import MainWindow
from tests.desktop.test_plan_gui import generate, open_sample


def test_zoom_steps_are_fine_and_typed_levels_are_read() -> None:
    assert next_step(1.0, 1) == 1.1 and next_step(1.0, -1) == 0.9
    assert next_step(ZOOM_STEPS[-1], 1) == ZOOM_STEPS[-1] and next_step(ZOOM_STEPS[0], -1) == ZOOM_STEPS[0]
    near = [s for s in ZOOM_STEPS if 0.75 <= s <= 1.5]  # finer than the 25 % steps of before
    assert all(b / a <= 1.2 for a, b in pairwise(near))
    assert typed_zoom("140") == 1.4 and typed_zoom("140 %") == 1.4 and typed_zoom("٪١٤٠") == 1.4
    assert typed_zoom("9999") == ZOOM_STEPS[-1] and typed_zoom("fit") is None


def test_the_zoom_level_is_shown_and_changes_by_a_step(window: MainWindow, qtbot) -> None:
    window.resize(1366, 768)
    open_sample(window, "Anna")
    panel = window.cases.plan_panel
    window.cases.editor.tabs.setCurrentWidget(panel)
    generate(window, qtbot, "en")
    preview = panel.preview
    box = preview.zoom_box
    qtbot.waitUntil(lambda: "Fit width" in box.currentText() and "%" in box.currentText())
    preview.set_zoom(1.0)
    assert box.currentText() == percent(1.0) == "100%"
    window.activateWindow()
    preview.view.setFocus()
    qtbot.waitUntil(preview.view.hasFocus)
    qtbot.keyClick(preview.view, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert preview.view.zoomFactor() == pytest.approx(1.1) and box.currentText() == "110%"
    qtbot.keyClick(preview.view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(preview.view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert preview.view.zoomFactor() == pytest.approx(0.9) and box.currentText() == "90%"
    box.lineEdit().selectAll()
    qtbot.keyClicks(box.lineEdit(), "140")
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Return)
    assert preview.view.zoomFactor() == pytest.approx(1.4) and box.currentText() == "140%"
    box.setCurrentIndex(box.findData(2.0))
    box.activated.emit(box.currentIndex())
    assert preview.view.zoomFactor() == pytest.approx(2.0) and box.currentText() == "200%"


def test_the_preview_pops_out_with_the_same_pdf_and_follows_a_new_plan(window: MainWindow, qtbot) -> None:
    open_sample(window, "Anna")
    panel = window.cases.plan_panel
    generate(window, qtbot, "en")
    pages = panel.document.pageCount()
    assert pages >= 2
    panel.go_to_page(2)
    qtbot.waitUntil(lambda: panel.preview.current_page() == 1)
    panel.pop_out_button.click()
    popped = panel.preview_window
    assert popped is not None and popped.isWindow() and popped.isVisible()
    inner = popped.preview
    assert inner.document.pageCount() == pages and inner.page.maximum() == pages
    qtbot.waitUntil(lambda: inner.current_page() == 1)  # the page the tab showed
    inner.step_zoom(1)  # its own zoom: the tab's stays as it was
    assert panel.preview.fitting() and not inner.fitting()
    popped.resize(700, 500)
    assert popped.size().width() == 700  # resizable
    generate(window, qtbot, "de")  # a plan made again shows there too
    assert popped.isVisible() and inner.document.status() == QPdfDocument.Status.Ready
    assert inner.document is panel.document and inner.page.maximum() == panel.document.pageCount()
    inner.go_to_page(1)
    qtbot.waitUntil(lambda: inner.current_page() == 0)
    panel.go_to_page(2)
    qtbot.waitUntil(lambda: panel.preview.current_page() == 1)
    popped.close()  # closing it: the tab shows the page last read there
    qtbot.waitUntil(lambda: panel.preview.current_page() == 0)
    assert not popped.isVisible() and panel.document.pageCount() >= 2


def test_the_lock_covers_the_popped_out_preview(qtbot, encrypted_window: MainWindow) -> None:
    """The pop-out shows the patient's plan: the lock covers it like every other window."""
    from desktop.security.access import Curtain

    window = encrypted_window
    qtbot.waitUntil(lambda: not window.tasks.busy(), timeout=20000)
    open_sample(window, "Anna")
    panel = window.cases.plan_panel
    generate(window, qtbot, "en")
    popped = panel.pop_out()
    window.lock.lock()
    curtains = [c for c in popped.findChildren(Curtain) if c.parentWidget() is popped]
    assert len(curtains) == 1 and curtains[0].isVisible() and curtains[0].geometry() == popped.rect()
    assert popped.grab().toImage() == curtains[0].grab().toImage()  # nothing of the plan shows
    window.lock.disarm()


def test_quitting_closes_the_popped_out_preview(window: MainWindow, qtbot) -> None:
    """The pop-out is the main window's: when the main window closes it closes too, so the app quits
    instead of running on behind a lone preview of a patient's plan."""
    open_sample(window, "Anna")
    panel = window.cases.plan_panel
    generate(window, qtbot, "en")
    popped = panel.pop_out()
    assert popped.isVisible()
    window.close()
    qtbot.waitUntil(lambda: not window.isVisible())
    assert not popped.isVisible()
