"""The notices at the top of the Cases page (the page's own notice: "Call checklist saved…", a duplicate;
the follow-ups due) take their colours from the palette as it is now: dark in the dark appearance, light
again in the light one, switched while the window is open (they stayed light on a dark window)."""

from __future__ import annotations

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QWidget

from desktop.shell.main_window import MainWindow


def background(widget: QWidget) -> int:
    """The lightness of the widget's own background as drawn: a pixel inside its border and padding."""
    image = widget.grab().toImage()
    return image.pixelColor(3, image.height() // 2).lightness()


def choose(window: MainWindow, qtbot, scheme: str) -> None:
    page = window.settings_page
    page.appearance.setCurrentIndex(page.appearance.findData(scheme))
    page.appearance.activated.emit(page.appearance.currentIndex())  # what choosing it in Settings does
    dark = scheme == "dark"
    qtbot.waitUntil(lambda: (window.palette().color(QPalette.ColorRole.Window).lightness() < 128) == dark)


def test_the_notices_follow_the_appearance(window: MainWindow, qtbot) -> None:
    page = window.cases
    page.show_notice("Call checklist saved in русский: /tmp/checklist.pdf")
    due = page.follow_ups.notice
    due.text.setText("2 follow-ups are due today or overdue.")
    due.show()
    for notice in (page.notice, due):
        notice.resize(600, notice.sizeHint().height())
        assert background(notice) > 160  # light
    for scheme in ("dark", "light", "dark"):
        choose(window, qtbot, scheme)
        QApplication.processEvents()
        window_colour = window.palette().color(QPalette.ColorRole.Window).lightness()
        for notice in (page.notice, due):
            shade = background(notice)
            assert (shade < 100) == (scheme == "dark"), (scheme, notice.objectName(), shade)
            assert abs(shade - window_colour) < 60, (scheme, notice.objectName(), shade, window_colour)
    choose(window, qtbot, "light")
