"""What a patient's nationality suggests: the language of the plan and the currency of the estimate.

Both come from Babel's data (CLDR), never from a list of our own:

- the language: among the country's official languages (de facto ones included, regional ones not), most
  spoken first, the first that a plan can be written in (``DOCUMENT_LOCALES``) and that at least half the
  population speaks; none otherwise (the coordinator chooses). So Spain gives Spanish, Germany German, Saudi
  Arabia Arabic, China Simplified Chinese, Russia and Kazakhstan Russian (spoken by 72 % there, before
  Kazakh's 64 %), Hong Kong English (Traditional Chinese is no plan language); Belgium, India, Ukraine,
  Belarus and Israel none (their most spoken official languages are no plan language, and the next is
  spoken by less than half);
- the currency: the first legal tender in use there today that the rate table reaches (``reachable``);
  none when it reaches none of them.

Pure functions, shared by the desktop and the command line.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from functools import cache

from planning.i18n import DOCUMENT_LOCALES

SPOKEN_BY = 50.0
"""A language is suggested when at least this percentage of the country's population speaks it."""


def _parts(code: str) -> tuple[str, str | None, str | None]:
    """Language, script and territory of a code such as ``zh``, ``zh_Hant``, ``zh_CN`` or ``sr_Latn_RS``."""
    language, *rest = code.replace("-", "_").split("_")
    script = next((part for part in rest if len(part) == 4 and part.isalpha()), None)
    territory = next((part for part in rest if part != script), None)
    return language.lower(), script, territory


@cache
def _script(code: str, territory: str | None = None) -> str | None:
    """The script a language is written in (in a territory): as given, else the likeliest (CLDR)."""
    from babel.core import get_global

    language, script, own = _parts(code)
    if script:
        return script
    likely = get_global("likely_subtags")
    for key in (f"{language}_{own or territory}", language):
        if key in likely:
            return _parts(likely[key])[1]
    return None


def _document_locale(code: str, territory: str) -> str | None:
    """The plan language that is the official language ``code`` of ``territory`` (same script), if any."""
    language = _parts(code)[0]
    script = _script(code, territory)
    for locale in DOCUMENT_LOCALES:
        if _parts(locale)[0] == language and _script(locale) == script:
            return locale
    return None


def _country(country: object) -> str | None:
    """An ISO 3166-1 alpha-2 code in capitals, or None."""
    if not isinstance(country, str):
        return None
    code = country.strip().upper()
    return code if len(code) == 2 and code.isascii() and code.isalpha() else None


@cache
def suggested_language(country: object) -> str | None:
    """The plan language the nationality ``country`` suggests (see the module's text), or None."""
    from babel.languages import get_official_languages, get_territory_language_info

    territory = _country(country)
    if territory is None:
        return None
    shares = get_territory_language_info(territory)
    for code in get_official_languages(territory, regional=False, de_facto=True):
        locale = _document_locale(code, territory)
        if locale is not None and float(shares.get(code, {}).get("population_percent") or 0) >= SPOKEN_BY:
            return locale
    return None


def suggested_currency(country: object, reachable: Collection[str], on: date | None = None) -> str | None:
    """The currency the nationality ``country`` suggests: its first legal tender in use ``on`` (today) that
    the rate table reaches (``reachable``, see planning.money.reachable_currencies); None otherwise."""
    from babel.numbers import get_territory_currencies

    territory = _country(country)
    if territory is None:
        return None
    for currency in get_territory_currencies(territory, on or date.today(), tender=True):
        if currency in reachable:
            return str(currency)
    return None
