"""Duplicating the open case (the Cases page's "Duplicate case"): the same patient's new episode, made by
``services.case_copy`` and opened, selected in the list, with a notice of what was copied."""

from __future__ import annotations

from typing import TYPE_CHECKING

from planning.i18n import _, isolate
from services.case_copy import duplicate_case
from services.stores import StoredCase

if TYPE_CHECKING:
    from desktop.cases.page import CasesPage


def duplicate_open_case(page: CasesPage) -> StoredCase | None:
    """Copy the open case as typed now into a new case and open it; the list shows it (a search or a filter
    that would hide a new case is cleared). None when no case is open."""
    case = page.editor.case
    if case is None:
        return None
    page.editor.flush()
    copied = duplicate_case(page.store, case.id, page.who)
    for widget in (page.search, page.status_filter, page.due_filter):
        widget.blockSignals(True)
    try:
        page.search.clear()
        if page.status_filter.currentData() not in (None, "new"):
            page.status_filter.setCurrentIndex(0)
        page.due_filter.setChecked(False)
    finally:
        for widget in (page.search, page.status_filter, page.due_filter):
            widget.blockSignals(False)
    page.apply_filters()
    page.open_case(copied.id)
    page.show_notice(
        _(
            "Case {copy} is a copy of {reference} for the same patient: patient, clinical details and preferences "
            "copied; status New, with no follow-up, history or plans."
        ).format(copy=isolate(copied.reference), reference=isolate(case.reference))
    )
    return copied
