"""A line edit's placeholder is drawn where the field says it is: an icon added to the field (the global
search's magnifier, loaded a moment after the window is shown) moves the text, and the whole field is
drawn again. Qt repainted only the icon's corner, so the screen kept the text at its old place, its
start under the icon: "rch cases, therapies…" (and "ث في…" in Arabic) after a language switch rebuilt
the window, until something else repainted it (locking and unlocking)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QIcon, QImage, QPixmap
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLineEdit, QWidget

from desktop.shared.widgets import set_placeholder
from planning.i18n import is_rtl, set_locale
from tests.desktop.conftest import make_window


def on_screen(edit: QLineEdit) -> QImage:
    """The field as the screen shows it now (the window's backing store), not drawn afresh."""
    window = edit.window()
    corner = edit.mapTo(window, QPoint(0, 0))
    shot = window.screen().grabWindow(window.winId()).toImage()
    return shot.copy(corner.x(), corner.y(), edit.width(), edit.height())


def stale_pixels(edit: QLineEdit) -> int:
    """How many pixels of the field on screen differ from the field drawn afresh."""
    shown, fresh = on_screen(edit), edit.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    shown = shown.convertToFormat(QImage.Format.Format_RGB32)
    assert shown.size() == fresh.size()
    return sum(shown.pixel(x, y) != fresh.pixel(x, y) for x in range(edit.width()) for y in range(edit.height()))


def test_an_icon_added_to_a_shown_field_redraws_its_placeholder(qtbot) -> None:
    holder = QWidget()
    qtbot.addWidget(holder)
    edit = QLineEdit(holder)
    QHBoxLayout(holder).addWidget(edit)
    set_placeholder(edit, "Search cases, therapies, indications, questions, destinations (Ctrl+K)")
    holder.resize(700, 40)
    holder.show()
    qtbot.waitExposed(holder)
    qtbot.wait(50)
    icon = QPixmap(16, 16)
    icon.fill(QColor("red"))
    action = edit.addAction(QIcon(icon), QLineEdit.ActionPosition.LeadingPosition)
    qtbot.wait(50)
    assert stale_pixels(edit) == 0
    action.setVisible(False)  # the text moves back: drawn again too
    qtbot.wait(50)
    assert stale_pixels(edit) == 0


def test_the_search_placeholder_is_whole_on_screen_after_a_language_switch(qtbot, data_dir: Path) -> None:
    """The window rebuilt in Arabic and again in English, as a language switch does: each time the search
    field on screen is the field drawn afresh, its placeholder starting after the magnifier."""
    app = QApplication.instance()
    try:
        for locale in ("en", "ar", "en"):
            set_locale(locale)  # as desktop/app.py opens the window in a language
            app.setLayoutDirection(Qt.LayoutDirection.RightToLeft if is_rtl(locale) else Qt.LayoutDirection.LeftToRight)
            window = make_window(qtbot, data_dir, locale)
            window.show()
            qtbot.waitExposed(window)
            qtbot.waitUntil(lambda w=window: getattr(w, "_search_icon", None) is not None, timeout=10000)
            qtbot.wait(50)
            assert stale_pixels(window.search) == 0, locale
            # after a rebuild the window is on screen before its icons are loaded: load them again so
            window.search.removeAction(window._search_icon)
            window._search_icon = None
            window.search.repaint()  # the placeholder on screen without the magnifier
            window._load_icons()
            qtbot.wait(50)
            assert stale_pixels(window.search) == 0, locale
            assert window.search.layoutDirection() == app.layoutDirection()
            window.close()
    finally:
        set_locale("en")
        app.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
