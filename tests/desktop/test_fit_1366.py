"""The layout fits a 1366x768 screen without horizontal scrolling: on every page and every tab (the case list
and each case tab, Library, Destinations, Settings and any tabs it has), in English, German (long words) and
Arabic (right to left), no scroll area shows a horizontal scroll bar, no widget reaches past the window's edge
or out of the scroll area it is in, and the case list's Status column is not cut."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QAbstractScrollArea, QTabWidget, QWidget

from desktop.cases.model import STATUS
from desktop.shell.main_window import PAGES, MainWindow
from tests.desktop.conftest import make_window
from tests.desktop.test_language import interface_in, settle, widget_name

SIZE = (1366, 768)
LOCALES = ("en", "de", "ar")


@dataclass(frozen=True)
class Overflow:
    screen: str
    widget: str
    problem: str

    def __str__(self) -> str:
        return f"{self.screen}: {self.widget}: {self.problem}"


def rect_in(window: QWidget, widget: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def overflows(window: MainWindow, screen: str) -> list[Overflow]:
    """What reaches past the window's sides or out of its scroll area's viewport, and visible horizontal bars."""
    found: list[Overflow] = []
    width = window.width()
    for area in window.findChildren(QAbstractScrollArea):
        if area.isVisible() and area.horizontalScrollBar().isVisible():
            found.append(Overflow(screen, widget_name(area), "horizontal scroll bar shown"))
    for widget in window.findChildren(QWidget):
        if not widget.isVisible() or widget.isWindow() or widget.width() <= 1:
            continue
        if isinstance(widget.parentWidget(), QTabWidget):  # a tab widget's own stack holds hidden pages
            continue
        rect = rect_in(window, widget)
        if rect.left() < -1 or rect.right() > width:
            found.append(Overflow(screen, widget_name(widget), f"x {rect.left()}..{rect.right()} of {width}"))
            continue
        viewport = enclosing_viewport(widget)
        if viewport is not None:
            room = rect_in(window, viewport)
            if rect.left() < room.left() - 1 or rect.right() > room.right() + 1:
                found.append(
                    Overflow(
                        screen,
                        widget_name(widget),
                        f"x {rect.left()}..{rect.right()} outside its scroll area {room.left()}..{room.right()}",
                    )
                )
    return found


def enclosing_viewport(widget: QWidget) -> QWidget | None:
    """The viewport of the scroll area ``widget`` is inside (its contents widget excluded), if any."""
    child, parent = widget, widget.parentWidget()
    while parent is not None:
        area = parent.parentWidget()
        if isinstance(area, QAbstractScrollArea) and area.viewport() is parent:
            # the contents widget itself may be wider (a horizontal scroll bar then shows): its children are
            # what must stay inside the viewport
            return None if child is widget else parent
        child, parent = parent, parent.parentWidget()
    return None


def screens(qtbot, window: MainWindow):
    """Each page, and each tab of every tab widget on it, shown in turn: yields the screen's name."""
    for row in range(window.nav.count()):
        window.nav.setCurrentRow(row)
        settle(qtbot, window)
        page = window.stack.currentWidget()
        yield PAGES[row]
        for tabs in page.findChildren(QTabWidget):
            if not tabs.isVisible():
                continue
            for index in range(tabs.count()):
                tabs.setCurrentIndex(index)
                settle(qtbot, window)
                yield f"{PAGES[row]}: {tabs.objectName() or 'tabs'} {index + 1} ({tabs.tabText(index)})"
            tabs.setCurrentIndex(0)
            settle(qtbot, window)


@pytest.mark.parametrize("locale", LOCALES)
def test_every_page_and_tab_fits_1366x768(qtbot, data_dir: Path, locale: str) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    with interface_in(locale):
        window = make_window(qtbot, data_dir, locale)
        window.resize(*SIZE)
        window.cases.add_samples()
        first = window.cases.model.rows[0]
        window.cases.open_case(first.id)
        settle(qtbot, window)
        assert (window.width(), window.height()) == SIZE
        problems: list[str] = []
        for screen in screens(qtbot, window):
            problems += [str(o) for o in overflows(window, screen)]
        assert problems == [], "\n".join(problems)
        window.tasks.wait()


@pytest.mark.parametrize("locale", LOCALES)
def test_the_case_lists_status_column_is_not_cut(qtbot, data_dir: Path, locale: str) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    with interface_in(locale):
        window = make_window(qtbot, data_dir, locale)
        window.resize(*SIZE)
        window.cases.add_samples()
        window.nav.setCurrentRow(0)
        settle(qtbot, window)
        table = window.cases.table
        header = table.horizontalHeader()
        metrics = QFontMetrics(header.font())
        viewport = table.viewport().width()
        needed = [metrics.horizontalAdvance(str(table.model().headerData(STATUS, header.orientation())))]
        for row in range(table.model().rowCount()):
            needed.append(QFontMetrics(table.font()).horizontalAdvance(str(table.model().index(row, STATUS).data())))
        position = header.sectionViewportPosition(STATUS)
        size = header.sectionSize(STATUS)
        assert not header.isSectionHidden(STATUS)
        assert size >= max(needed) + 8, (size, max(needed))
        assert position >= 0 and position + size <= viewport, (position, size, viewport)
        window.tasks.wait()
