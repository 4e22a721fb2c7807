"""A page whose whole content scrolls: one frameless scroll area filling its owner."""

from __future__ import annotations

from PySide6.QtWidgets import QScrollArea, QVBoxLayout, QWidget


def fill_with_scrolling(owner: QWidget, body: QWidget) -> QScrollArea:
    """Make ``body`` the scrolling content of ``owner`` (edge to edge, no frame)."""
    area = QScrollArea(owner)
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setWidget(body)
    outer = QVBoxLayout(owner)
    outer.setContentsMargins(0, 0, 0, 0)
    outer.addWidget(area)
    return area
