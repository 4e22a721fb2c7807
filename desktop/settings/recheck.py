"""Settings: after how many months a fact of the knowledge pack is listed in the Library to re-check."""

from __future__ import annotations

from PySide6.QtWidgets import QSpinBox, QWidget

from planning.i18n import _
from services.settings import RECHECK_MAX


def recheck_box(months: int, pack_months: int, parent: QWidget) -> QSpinBox:
    """A spin box of months (1 to RECHECK_MAX); 0 shows as the pack's own age and means it."""
    box = QSpinBox(parent)
    box.setObjectName("recheckMonths")
    box.setRange(0, RECHECK_MAX)
    box.setSuffix(" " + _("months"))
    box.setSpecialValueText(_("the pack's own age ({months} months)").format(months=pack_months))
    box.setValue(months)
    box.setAccessibleName(_("Re-check facts older than"))
    box.setToolTip(_("Facts true as of longer ago than this are listed in the Library under To re-check."))
    return box
