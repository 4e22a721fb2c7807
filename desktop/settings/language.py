"""The interface language: the languages offered, and Qt's own translations (standard buttons, dialogs)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator

from planning.i18n import PSEUDO

LANGUAGES = ("en", "zh_CN", "es", "ru", "ar", "de", PSEUDO)


def language_name(code: str) -> str:
    """A language's name in that language (how people look for their own)."""
    if code == PSEUDO:
        return "Pseudo-locale (layout test)"
    from babel import Locale

    return Locale.parse(code).get_display_name(code) or code


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
