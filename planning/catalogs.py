"""The translation catalogs, read from their sources, so every install has the same texts: a wheel, an
editable install, pipx and the one-folder bundle alike.

The ``.po`` files in ``translations/<locale>/LC_MESSAGES/`` are the only source. A compiled catalog (``.mo``)
is a cache of one, used only when it was compiled from exactly these sources: its stamp (the SHA-256 of
the ``.po`` and of the template ``careplan.pot``) is inside it. It is looked for beside the ``.po`` (where
``scripts/catalogs.py compile`` put it: a source tree, a bundle), then in the user's cache folder
(``CAREPLAN_CACHE_DIR``/catalogs overrides it). Otherwise the ``.po`` is compiled with Babel (20-40 ms),
kept in the cache for the next start, and used at once even when the cache cannot be written.

A compiled catalog also records how many of the template's texts it leaves untranslated (missing, empty
or fuzzy). A document needs every one (:class:`CatalogError` otherwise: a German plan with English headings
is a wrong document); the interface can make do with fewer (see ``planning.i18n.set_locale``).
"""

from __future__ import annotations

import gettext
import hashlib
import io
import logging
import os
import re
from pathlib import Path

DOMAIN = "careplan"
TEMPLATE = f"{DOMAIN}.pot"
APP_NAME = "CarePlanDesk"  # the cache folder's name, as db.paths names the data folder
ENV_CACHE_DIR = "CAREPLAN_CACHE_DIR"
STAMP, SOURCE, UNTRANSLATED = "careplan-catalog", "source", "untranslated"
"""The two messages a compiled catalog carries about itself, in the context STAMP: SOURCE (its stamp) and
UNTRANSLATED (how many of the template's texts it lacks). Looked up by these names, never as literals,
so the extraction of texts to translate passes them by."""
_LOCALE_NAME = re.compile(r"[A-Za-z]{2,3}(?:_[A-Za-z0-9]{2,8})*")

_log = logging.getLogger(__name__)

MISSING, DAMAGED, INCOMPLETE = "missing", "damaged", "incomplete"


class CatalogError(Exception):
    """The catalog of a language a document is written in is missing, cannot be read or lacks texts: the
    document would carry English headings, labels and footers. ``translations``: what could be read of an
    incomplete catalog (the interface may use it; a document may not)."""

    def __init__(
        self,
        locale: str,
        problem: str,
        path: Path,
        untranslated: int = 0,
        translations: gettext.NullTranslations | None = None,
    ):
        self.locale = locale
        self.problem = problem
        self.path = Path(path)
        self.untranslated = untranslated
        self.translations = translations
        super().__init__(self.summary)

    @property
    def summary(self) -> str:
        """One line in English, for logs."""
        detail = f", {self.untranslated} texts untranslated" if self.problem == INCOMPLETE else ""
        return f"the {self.locale} catalog is {self.problem} ({self.path}{detail})"

    def __str__(self) -> str:
        """One line in the current language: which catalog, where, and what to do."""
        from planning.i18n import _, current_locale, is_rtl, isolate, language_name

        try:
            language = language_name(self.locale, current_locale())
        except Exception:  # a locale Babel does not know
            language = self.locale
        if self.problem == MISSING:
            text = _("The {language} catalog is missing ({path}): reinstall CarePlan Desk.")
        elif self.problem == DAMAGED:
            text = _("The {language} catalog cannot be read ({path}): reinstall CarePlan Desk.")
        else:
            text = _("The {language} catalog is incomplete ({path}): reinstall CarePlan Desk.")
        path = isolate(str(self.path)) if is_rtl(current_locale()) else str(self.path)
        return text.format(language=language, path=path)


def cache_dir() -> Path:
    """Where compiled catalogs are kept: ``CAREPLAN_CACHE_DIR``/catalogs, else the user's cache folder."""
    override = os.environ.get(ENV_CACHE_DIR)
    if override:
        return Path(override).expanduser() / "catalogs"
    from platformdirs import user_cache_path

    return user_cache_path(APP_NAME, appauthor=False) / "catalogs"


def source_of(root: Path, locale: str) -> Path:
    """The ``.po`` of ``locale`` under ``root`` (``de_DE`` falls back to ``de``), or where it belongs."""
    names = [locale, locale.split("_")[0]] if _LOCALE_NAME.fullmatch(locale) else []
    for name in dict.fromkeys(names):
        po = root / name / "LC_MESSAGES" / f"{DOMAIN}.po"
        if po.is_file() or po.with_suffix(".mo").is_file():
            return po
    return root / (names[0] if names else "?") / "LC_MESSAGES" / f"{DOMAIN}.po"


def stamp_of(po: Path) -> str:
    """What a compiled catalog must have been compiled from: the ``.po`` and the template beside it."""
    digest = hashlib.sha256(po.read_bytes())
    template = po.parent.parent.parent / TEMPLATE
    digest.update(b"\0" + (template.read_bytes() if template.is_file() else b""))
    return digest.hexdigest()


def compile_catalog(po: Path, locale: str, stamp: str | None = None) -> bytes:
    """The ``.po`` compiled (a ``.mo``), stamped with its sources and the number of the template's texts it
    leaves untranslated. Raises Babel's errors (or UnicodeDecodeError, OSError) when it cannot be read."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    stamp = stamp or stamp_of(po)
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    wanted: set[tuple[str | None, str]] = set()
    template = po.parent.parent.parent / TEMPLATE
    if template.is_file():
        with template.open("rb") as handle:
            wanted = {(m.context, _key(m.id)) for m in read_po(handle) if m.id}
    wanted |= {(m.context, _key(m.id)) for m in catalog if m.id}
    untranslated = 0
    for context, key in wanted:
        message = catalog.get(key, context)
        if message is None or message.fuzzy:
            untranslated += 1
            continue
        texts = message.string if isinstance(message.string, tuple | list) else (message.string,)
        if not all(texts):
            untranslated += 1
    catalog.add(SOURCE, stamp, context=STAMP)
    catalog.add(UNTRANSLATED, str(untranslated), context=STAMP)
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def _key(msgid: str | tuple[str, ...] | list[str]) -> str:
    """A message as a catalog looks it up: a plural message by its singular."""
    return msgid if isinstance(msgid, str) else msgid[0]


def _read(data: bytes) -> gettext.GNUTranslations | None:
    try:
        return gettext.GNUTranslations(io.BytesIO(data))
    except Exception:  # a truncated or foreign file: struct, Unicode and "bad magic number" errors
        return None


def _stamped(path: Path, stamp: str) -> gettext.GNUTranslations | None:
    """The compiled catalog at ``path`` if it was compiled from the sources with ``stamp``."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    translations = _read(data)
    if translations is None or translations.pgettext(STAMP, SOURCE) != stamp:
        return None
    return translations


def up_to_date(po: Path) -> bool:
    """Whether the ``.mo`` beside ``po`` was compiled from exactly this ``.po`` and template (what a bundle,
    whose folder may be read-only, must ship so that nothing is compiled at its first start)."""
    try:
        return _stamped(po.with_suffix(".mo"), stamp_of(po)) is not None
    except OSError:
        return False


def _keep(locale: str, stamp: str, data: bytes) -> None:
    """Put a compiled catalog in the cache (and drop that language's older ones); never fails."""
    from planning.files import write_atomic

    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_atomic(folder / f"{locale}-{stamp[:24]}.mo", data)
        for old in folder.glob(f"{locale}-*.mo"):
            if old.name != f"{locale}-{stamp[:24]}.mo":
                old.unlink(missing_ok=True)
    except OSError as exc:
        _log.info("compiled catalog not cached in %s: %s", folder, exc)


def load_catalog(root: Path, locale: str) -> gettext.GNUTranslations:
    """The complete catalog of ``locale`` under ``root``: its up-to-date compiled form, or the ``.po``
    compiled now. Raises :class:`CatalogError` when it is missing, cannot be read or lacks texts."""
    po = source_of(root, locale)
    mo = po.with_suffix(".mo")
    if not po.is_file():
        if not mo.is_file():
            raise CatalogError(locale, MISSING, po)
        # compiled catalogs only, without their sources: nothing to compare them with
        try:
            translations = _read(mo.read_bytes())
        except OSError:
            translations = None
        if translations is None:
            raise CatalogError(locale, DAMAGED, mo)
        return _complete(translations, locale, mo)
    try:
        stamp = stamp_of(po)
    except OSError as exc:
        raise CatalogError(locale, DAMAGED, po) from exc
    cached = cache_dir() / f"{locale}-{stamp[:24]}.mo"
    translations = _stamped(mo, stamp) or _stamped(cached, stamp)
    if translations is None:
        try:
            data = compile_catalog(po, po.parent.parent.name, stamp)
        except Exception as exc:  # Babel's parse errors, a file that is not UTF-8, one that cannot be read
            _log.warning("%s cannot be compiled: %s", po, exc)
            raise CatalogError(locale, DAMAGED, po) from exc
        translations = _read(data)
        if translations is None:  # pragma: no cover - Babel wrote what gettext cannot read
            raise CatalogError(locale, DAMAGED, po)
        _keep(locale, stamp, data)
    return _complete(translations, locale, po)


def _complete(translations: gettext.GNUTranslations, locale: str, path: Path) -> gettext.GNUTranslations:
    counted = translations.pgettext(STAMP, UNTRANSLATED)
    untranslated = int(counted) if counted.isdigit() else 0  # a catalog compiled elsewhere says nothing
    if untranslated:
        raise CatalogError(locale, INCOMPLETE, path, untranslated, translations)
    return translations
