"""Icons follow the appearance at once: they were made from the window's palette, which follows the
application's a moment later, so they were one theme behind (black on near-black in dark, white on white
after switching back)."""

from __future__ import annotations

from PySide6.QtGui import QIcon, QPalette

from desktop.shell.main_window import MainWindow


def ink(icon: QIcon) -> int:
    """The mean lightness of the icon's drawn (opaque) pixels."""
    image = icon.pixmap(24, 24).toImage()
    opaque = [c for c in (image.pixelColor(x, y) for x in range(24) for y in range(24)) if c.alpha() > 200]
    assert opaque
    return sum(c.lightness() for c in opaque) // len(opaque)


def test_sidebar_and_search_icons_contrast_with_their_background_in_both_directions(window: MainWindow, qtbot) -> None:
    qtbot.waitUntil(lambda: not window.nav.item(0).icon().isNull(), timeout=5000)
    page = window.settings_page
    for scheme in ("dark", "light", "dark", "light"):
        page.appearance.setCurrentIndex(page.appearance.findData(scheme))
        page.appearance.activated.emit(page.appearance.currentIndex())
        qtbot.wait(20)
        background = window.nav.palette().color(QPalette.ColorRole.Base).lightness()
        for icon in [window.nav.item(row).icon() for row in range(window.nav.count())] + [window._search_icon.icon()]:
            assert abs(ink(icon) - background) > 120, (scheme, ink(icon), background)
