"""One facade for localization: gettext for texts, Babel for numbers, money and dates.

Texts are marked with ``_`` everywhere; the catalogs are the ``.po`` files in ``translations/``, compiled
when first needed (planning.catalogs). A document's language must have a complete catalog (``locale_scope``
raises CatalogError otherwise); the interface falls back to English with a logged warning (``set_locale``).
Never format money, dates or numbers with f-strings: use the helpers here.
"""

from __future__ import annotations

import gettext as _gettext
import logging
import re
from contextvars import ContextVar
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import cache, lru_cache
from pathlib import Path

from planning.catalogs import CatalogError, load_catalog
from resources import locate

DOMAIN = "careplan"
DEFAULT_LOCALE = "en"

_active: ContextVar[tuple[str, _gettext.NullTranslations]] = ContextVar(
    "careplan_locale", default=(DEFAULT_LOCALE, _gettext.NullTranslations())
)
"""The language of texts and formats, per thread and task: a new thread starts in English, and whatever a
background task sets (or a ``locale_scope`` it enters) never changes the language of the interface."""


def catalog_dir() -> Path:
    """The folder of the catalogs (``<locale>/LC_MESSAGES/careplan.po``), installed with the code."""
    try:
        return locate("translations")
    except ModuleNotFoundError:  # an install without them: every catalog is then missing
        return Path("translations")


PSEUDO = "pseudo"
"""A pseudo-locale for testing layouts: every text accented and about 40% longer, so clipped or
untranslated (unmarked) texts stand out."""
_ACCENTED = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", "åƀçđéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýžÅƁÇĐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ"
)
_KEEP = re.compile(r"(\{[a-z_]+\}|&[A-Za-z]|<[^>]+>|\n)")


def pseudo(text: str) -> str:
    """A text as the pseudo-locale shows it; placeholders, accelerators and markup kept as they are."""
    parts = _KEEP.split(text)
    shown = "".join(part if _KEEP.fullmatch(part) else part.translate(_ACCENTED) for part in parts)
    return f"[{shown}{'·' * max(2, len(text) * 2 // 5)}]"


class _PseudoTranslations(_gettext.NullTranslations):
    def gettext(self, message: str) -> str:
        return pseudo(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return pseudo(singular if n == 1 else plural)

    def pgettext(self, context: str, message: str) -> str:
        return pseudo(message)


_log = logging.getLogger(__name__)


@cache
def _translations(locale: str) -> _gettext.NullTranslations:
    """The complete texts of ``locale`` (English needs none); CatalogError when its catalog is missing,
    damaged or incomplete. Remembered once loaded (a failure is tried again next time)."""
    if locale == PSEUDO:
        return _PseudoTranslations()
    if locale.split("_")[0] == DEFAULT_LOCALE:
        return _gettext.NullTranslations()
    return load_catalog(catalog_dir(), locale)


@cache
def _interface_translations(locale: str) -> _gettext.NullTranslations:
    """The texts of the interface in ``locale``: what its catalog has, else English, with a warning in the
    log. The coordinator can still work, and reach Settings, in a language whose catalog is broken; a
    document in that language is refused (``locale_scope``)."""
    try:
        return _translations(locale)
    except CatalogError as exc:
        if exc.translations is not None:
            _log.warning("%s: the interface shows those texts in English", exc.summary)
            return exc.translations
        _log.warning("%s: the interface is shown in English", exc.summary)
        return _gettext.NullTranslations()


def forget_catalogs() -> None:
    """Read the catalogs again when next used (after they changed on disk)."""
    _translations.cache_clear()
    _interface_translations.cache_clear()


def check_catalog(locale: str) -> None:
    """Raise CatalogError unless ``locale`` has a complete catalog (a document can be written in it)."""
    _translations(locale)


def set_locale(locale: str) -> None:
    """Use ``locale`` for the interface's texts and formats from now on, in this thread (English texts
    where its catalog is missing or incomplete: see ``_interface_translations``)."""
    _active.set((locale, _interface_translations(locale)))


def current_locale() -> str:
    return _active.get()[0]


def N_(message: str) -> str:
    """Marks a text for translation where it is defined; ``_()`` translates it where it is shown."""
    return message


def _(message: str) -> str:
    return _active.get()[1].gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _active.get()[1].ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return _active.get()[1].pgettext(context, message)


def babel_locale(locale: str | None = None) -> str:
    """The locale Babel formats with (the pseudo-locale formats as English)."""
    return _locale(locale)


def _locale(locale: str | None) -> str:
    chosen = locale or current_locale()
    return DEFAULT_LOCALE if chosen == PSEUDO else chosen


@cache
def _babel(locale: str):  # -> babel.Locale, parsed once per locale (its data is read from disk)
    from babel import Locale

    return Locale.parse(locale)


@cache
def _whole_money_pattern(locale: str):  # -> babel.numbers.NumberPattern without decimals
    from babel.numbers import parse_pattern

    pattern = parse_pattern(_babel(locale).currency_formats["standard"].pattern)
    pattern.frac_prec = (0, 0)
    return pattern


def format_money(amount: Decimal, currency: str, locale: str | None = None, *, whole: bool = True) -> str:
    """``amount`` in ``currency`` as the locale writes it: $475,000 / 475 000 $US / US$475,000."""
    return _money_text(str(amount), currency, _locale(locale), whole)


@lru_cache(maxsize=4096)
def _money_text(amount: str, currency: str, loc: str, whole: bool) -> str:
    """format_money, remembered: a plan formats the same few hundred amounts again and again, and each
    look-up of Babel's currency data costs a quarter of a millisecond."""
    from babel.numbers import format_currency

    value = Decimal(amount)
    if whole and value == value.to_integral_value():
        return _whole_money_pattern(loc).apply(value, _babel(loc), currency=currency, currency_digits=False)
    return format_currency(value, currency, locale=_babel(loc))


def format_number(value: float | Decimal | int, locale: str | None = None) -> str:
    from babel.numbers import format_decimal

    return format_decimal(value, locale=_babel(_locale(locale)))


def format_partial_date(value: str, locale: str | None = None) -> str:
    """A pack date of a year (2024), a month (2024-04) or a day (2024-04-18) as the locale writes it."""
    from babel.dates import format_date, format_skeleton

    parts = [int(p) for p in value.split("-")]
    loc = _babel(_locale(locale))  # a Locale, not its name: Babel would look the name up again every time
    if len(parts) == 1:
        return str(parts[0])
    if len(parts) == 2:
        return format_skeleton("yMMM", date(parts[0], parts[1], 1), locale=loc)
    return format_date(date(*parts), format="medium", locale=loc)


def format_local_time(stamp: str | datetime, locale: str | None = None, *, seconds: bool = False) -> str:
    """A stored UTC time on this computer's clock, as the language writes it: "Nov 26, 2026, 9:23 AM"
    (medium date, short time; the medium time with ``seconds``)."""
    from babel.dates import format_date, format_time

    moment = datetime.fromisoformat(stamp) if isinstance(stamp, str) else stamp
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    moment = moment.astimezone()
    loc = _babel(_locale(locale))
    glue = str(loc.datetime_formats["medium"]).replace("'", "")  # Babel's own way to join them
    time = format_time(moment, "medium" if seconds else "short", locale=loc)
    return glue.replace("{0}", time).replace("{1}", format_date(moment, "medium", locale=loc))


def format_range(low: float, high: float, locale: str | None = None) -> str:
    """A numeric range: 2–4, or a single number when low equals high."""
    if low == high:
        return format_number(low, locale)
    return f"{format_number(low, locale)}–{format_number(high, locale)}"


def country_name(code: str, locale: str | None = None) -> str:
    return _babel(_locale(locale)).territories.get(code, code)


class locale_scope:
    """Use ``locale`` for texts and formats inside a ``with`` block, then go back (documents in the
    patient's language while the app speaks the coordinator's). Entering it raises CatalogError when the
    language's catalog is missing, damaged or incomplete: never a document with English labels."""

    def __init__(self, locale: str):
        self.locale = locale

    def __enter__(self) -> str:
        self.token = _active.set((self.locale, _translations(self.locale)))
        return self.locale

    def __exit__(self, *_exc: object) -> None:
        _active.reset(self.token)


RTL_LANGUAGES = ("ar", "he", "fa", "ur")


def is_rtl(locale: str) -> bool:
    return locale.split("_")[0] in RTL_LANGUAGES


def isolate(text: str) -> str:
    """``text`` as a first-strong isolate (FSI…PDI): a path, date or Latin name keeps its own order
    inside a right-to-left sentence, and does not reorder the sentence around it."""
    return "\u2068" + text + "\u2069"


DOCUMENT_LOCALES = ("en", "zh_CN", "es", "ru", "ar", "de")
"""The languages a patient's plan is written in (the languages of the catalogs and the fonts)."""


def document_locale_named(tag: str) -> str | None:
    """The document language a typed tag means, or None: "zh", "zh-CN" and "ZH_cn" mean zh_CN, "ar_SA"
    means ar (a region we make no document of falls back to its language)."""
    parts = tag.strip().replace("-", "_").split("_")
    wanted = "_".join([parts[0].lower(), *(p.upper() for p in parts[1:])])
    if wanted in DOCUMENT_LOCALES:
        return wanted
    same_language = [code for code in DOCUMENT_LOCALES if code.split("_")[0] == parts[0].lower()]
    return same_language[0] if len(same_language) == 1 else None


INTERFACE_LOCALES = (*DOCUMENT_LOCALES, PSEUDO)
"""The languages the interface offers: the document languages and the pseudo-locale for layout tests."""


def language_name(code: str, in_locale: str | None = None) -> str:
    """A language's name, in that language by default (how people look for their own)."""
    if code == PSEUDO:
        return "Pseudo-locale (layout test)"
    return _babel(code).get_display_name(_locale(in_locale) if in_locale else code) or code


def format_size(size: int, locale: str | None = None) -> str:
    """A file size as the locale writes it, in decimal units: 96 kB, 1.4 MB."""
    from babel.units import format_unit

    loc = _locale(locale)
    if size < 1000 * 1000:
        return format_unit(max(1, round(size / 1000)), "digital-kilobyte", length="short", locale=loc)
    return format_unit(round(size / 1_000_000, 1), "digital-megabyte", length="short", locale=loc)


FULL_STOPS = ".\u3002\u06d4"
"""The full stops a value may end with and a sentence ends with: Latin (and Arabic), Chinese, Urdu."""
_DOUBLE_STOP = re.compile(r"(?<![.\u3002\u06d4])([.\u3002\u06d4])[.\u3002\u06d4](?=[\s)\]»\"”’]|$)")


def single_stops(text: str) -> str:
    """``text`` with one full stop where a sentence ends with a value that already ends with one: "1,200,000
    ر.س.." and "до 10 дек. 2026 г.. Это" lose the sentence's stop (the value's abbreviation keeps its own).
    An ellipsis written as three or more dots, and two dots inside a word or path ("../"), are kept."""
    if ".." not in text and "\u3002" not in text and "\u06d4" not in text:
        return text
    return _DOUBLE_STOP.sub(r"\1", text)
