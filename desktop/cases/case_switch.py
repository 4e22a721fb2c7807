"""Leaving a case (another one opened, or the case closed): nothing said about it stays on the screen.

Every transient text tied to the open case goes here, in one place: the notice above the cases (a file
saved, a checklist made, a patient exported), the Plan tab's line (a PDF saved as, an e-mail address that is
not valid), the window's status bar message (undo's "Undone: Full name (was …)", "Call logged."). The texts
drawn from the case itself (title, header, forms, screening, estimate, plans) are loaded again with the next
case. Every form tab is scrolled back to its top, so the next case is read from its start.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QAbstractScrollArea, QMainWindow

if TYPE_CHECKING:
    from desktop.cases.page import CasesPage


def leave_case(page: CasesPage) -> None:
    """Forget what was shown about the case open until now (call before the next is shown, or on close)."""
    page.notice.clear()
    page.notice.hide()
    page.plan_panel.state.clear()
    page.editor.undo_feedback.message = ""
    window = page.window()
    if isinstance(window, QMainWindow):
        window.statusBar().clearMessage()  # a message of the last minute was about the case left
    scroll_to_top(page)


def scroll_to_top(page: CasesPage) -> None:
    """Every tab of the case (each form, the screening, the estimate, the plan's versions) at its top."""
    tabs = page.editor.tabs
    for index in range(tabs.count()):
        tab = tabs.widget(index)
        areas = [tab] if isinstance(tab, QAbstractScrollArea) else []
        areas += tab.findChildren(QAbstractScrollArea)
        for area in areas:
            area.verticalScrollBar().setValue(0)
