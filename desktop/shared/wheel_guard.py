"""The mouse wheel scrolls the page, never a field's value behind the coordinator's back.

Qt lets a combo box or a spin box (dates and numbers too) take the wheel whenever the pointer is over it,
and gives it the focus on the way (``Qt.WheelFocus``): scrolling a long form during a call turned "—" into
"Unknown" and 1 prior line into another, silently. Here every such box, anywhere in the application, takes
the wheel only once it has the keyboard focus (clicked or tabbed to: normal Qt behaviour from then on);
until then the wheel goes to the nearest scroll area around it that can scroll that way, as if the box
were not there. Written once, installed on the application (desktop/app.py and the main window), so every
form, page and dialog built now or later is covered.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QAbstractScrollArea, QAbstractSpinBox, QApplication, QComboBox, QLineEdit, QWidget

GUARDED = (QComboBox, QAbstractSpinBox)
"""Boxes whose value the wheel changes."""


def _guarded(watched: QObject) -> QWidget | None:
    """The box the wheel would change: ``watched`` itself, or the box whose text field it is."""
    if isinstance(watched, GUARDED):
        return watched
    if isinstance(watched, QLineEdit) and isinstance(watched.parentWidget(), GUARDED):
        return watched.parentWidget()
    return None


def _has_focus(box: QWidget) -> bool:
    """The box, or a part of it (an editable combo's text field), has the keyboard focus."""
    if box.hasFocus():
        return True
    focused = QApplication.focusWidget()
    return focused is not None and box.isAncestorOf(focused)


def scroll_area_for(box: QWidget, vertical: bool = True) -> QAbstractScrollArea | None:
    """The nearest scroll area around ``box`` that can scroll that way (None when none can)."""
    parent = box.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea):
            bar = parent.verticalScrollBar() if vertical else parent.horizontalScrollBar()
            if bar.maximum() > bar.minimum():
                return parent
        if parent.isWindow():
            return None
        parent = parent.parentWidget()
    return None


def _scroll_instead(box: QWidget, event: QWheelEvent) -> None:
    """Hand the wheel to the scroll area around ``box``, at the same place on the screen."""
    delta = event.angleDelta()
    area = scroll_area_for(box, vertical=abs(delta.y()) >= abs(delta.x()))
    if area is None:
        return
    viewport = area.viewport()
    where = event.globalPosition()
    forwarded = QWheelEvent(
        viewport.mapFromGlobal(where),
        where,
        event.pixelDelta(),
        delta,
        event.buttons(),
        event.modifiers(),
        event.phase(),
        event.inverted(),
        event.source(),
    )
    QApplication.sendEvent(viewport, forwarded)


class WheelGuard(QObject):
    """An application-wide event filter: boxes without the focus do not take the wheel, nor the focus
    from it; the surrounding scroll area scrolls instead."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Wheel:
            box = _guarded(watched)
            if box is None or _has_focus(box) or not isinstance(event, QWheelEvent):
                return False
            _scroll_instead(box, event)
            event.accept()  # handled: the box never sees it, and it does not travel up a second time
            return True
        # Qt hands the focus to a WheelFocus widget before any filter sees the wheel: click or Tab only
        if (
            kind == QEvent.Type.Polish
            and isinstance(watched, GUARDED)
            and watched.focusPolicy() == Qt.FocusPolicy.WheelFocus
        ):
            watched.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        return False


def install_wheel_guard(app: QApplication) -> WheelGuard:
    """Install the guard on ``app`` once (a second call returns the one installed)."""
    guard = app.findChild(WheelGuard, "wheelGuard", Qt.FindChildOption.FindDirectChildrenOnly)
    if guard is None:
        guard = WheelGuard(app)
        guard.setObjectName("wheelGuard")
        app.installEventFilter(guard)
    return guard
