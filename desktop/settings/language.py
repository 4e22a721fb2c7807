"""The interface language: the languages offered, and Qt's own translations (standard buttons, dialogs)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator

from planning.i18n import INTERFACE_LOCALES as LANGUAGES
from planning.i18n import PSEUDO, language_name

__all__ = ["LANGUAGES", "language_name", "use_qt_translations"]


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
