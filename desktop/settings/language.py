"""The interface language: the languages offered, and Qt's own translations (standard buttons, dialogs)."""

from __future__ import annotations

import os

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator

from planning.i18n import INTERFACE_LOCALES as LANGUAGES
from planning.i18n import PSEUDO, language_name

__all__ = [
    "DEVELOPER_SWITCH",
    "LANGUAGES",
    "developer_mode",
    "language_name",
    "offered_languages",
    "use_qt_translations",
]

DEVELOPER_SWITCH = "CAREPLAN_DEVELOPER"
"""The environment variable that, set to 1, shows the developers' tools: the pseudo-locale in Settings."""


def developer_mode() -> bool:
    return os.environ.get(DEVELOPER_SWITCH) == "1"


def offered_languages(current: str | None = None) -> list[str]:
    """The languages Settings offers: the real ones; the pseudo-locale (a layout test, no language) only
    with the developer switch, or while the app is in it (started with it by a script or test), so the
    list never names another language than the one shown."""
    return [code for code in LANGUAGES if code != PSEUDO or developer_mode() or current == PSEUDO]


def use_qt_translations(app: QCoreApplication, locale: str) -> bool:
    """Install Qt's translations for ``locale`` (replacing the previous ones); False when Qt has none."""
    for old in getattr(app, "_careplan_translators", []):
        app.removeTranslator(old)
    app._careplan_translators = []  # type: ignore[attr-defined]
    if locale in ("en", PSEUDO):
        return True
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translator = QTranslator(app)
    if not translator.load(f"qtbase_{locale}", folder) and not translator.load(
        f"qtbase_{locale.split('_')[0]}", folder
    ):
        return False
    app.installTranslator(translator)
    app._careplan_translators.append(translator)  # type: ignore[attr-defined]
    return True
