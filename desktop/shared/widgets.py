"""Small builders for the widgets every page makes the same way."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QPushButton, QTableView, QWidget


def push_button(text: str, name: str, clicked: Callable[[], object], parent: QWidget) -> QPushButton:
    """A button with an object name (for tests and styles) that calls ``clicked``."""
    button = QPushButton(text, parent)
    button.setObjectName(name)
    button.clicked.connect(lambda _checked=False: clicked())
    return button


def row_table(model: QAbstractItemModel, name: str, parent: QWidget) -> QTableView:
    """A read-only table of whole rows on ``model``: alternating colours, no row numbers, no wrapping."""
    table = QTableView(parent)
    table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.verticalHeader().hide()
    table.setWordWrap(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    return table
