"""The coordinator's settings, one reader and writer for both faces: who the coordinator is, the
organisation printed on documents (its letterhead and its terms of payment and cancellation, per document
language), and the preferences (language, appearance, lock after idle minutes).

Kept as ``preferences.json`` in the data directory (private, written whole or not at all). Qt's own
``settings.ini`` keeps only what is Qt's (the window's geometry); values an older version kept there
are read from it once.
"""

from __future__ import annotations

import configparser
import contextlib
import dataclasses
import getpass
import json
import logging
import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from db.paths import PRIVATE_FILE
from planning.case import currency_codes, email_address
from planning.files import write_atomic
from planning.i18n import DOCUMENT_LOCALES, INTERFACE_LOCALES, _, format_number, language_name
from planning.plan import Coordinator, Organisation, Terms

log = logging.getLogger(__name__)

FILE_NAME = "preferences.json"
LEGACY_FILE = "settings.ini"
APPEARANCES = ("system", "light", "dark")
LOCK_DEFAULT = 10
LOCK_MAX = 480
ENV_COORDINATOR = "CAREPLAN_COORDINATOR"
MAX_TEXT = 500
"""Characters of a one-line text (names, e-mail, contact, logo path)."""
MAX_REGISTRATION = 200
"""Characters of the registration line (company, tax or licence numbers)."""
MAX_PHONE = 40
"""Characters of a telephone number, extension included."""
PHONE_MARKS = " +()-./"
"""What a telephone number may hold besides digits (any script's, e.g. ٠١٢ or fullwidth ０１２)."""
MAX_ADDRESS = 300
MAX_ADDRESS_LINES = 6
"""The postal address: at most this many characters (line breaks included) and lines."""
MAX_TERMS = 1500
MAX_TERMS_LINES = 20
"""Each terms text (payment, cancellation) of one language: at most this many characters and lines."""


RECHECK_MAX = 120
"""The longest re-check age a coordinator can set, in months (ten years)."""


@dataclass(frozen=True)
class Preferences:
    coordinator_name: str = ""
    coordinator_email: str = ""
    organisation_name: str = ""
    organisation_contact: str = ""
    organisation_logo: str = ""
    locale: str = "en"
    appearance: str = "system"
    lock_minutes: int = LOCK_DEFAULT
    coordinator_phone: str = ""
    organisation_address: str = ""
    """Several lines: the line breaks are kept."""
    organisation_registration: str = ""
    payment_terms: dict[str, str] = field(default_factory=dict)
    """Deposit and payment terms by document language (``DOCUMENT_LOCALES``); a language without them
    prints the default wording. Treated as read-only (replace the whole dict to change it)."""
    cancellation_terms: dict[str, str] = field(default_factory=dict)
    """Cancellation terms by document language, as ``payment_terms``."""
    default_currency: str = ""
    """The ISO 4217 code new cases are estimated in when the patient's nationality suggests none; empty: none."""
    setup_done: bool = False
    """The first-run set-up was finished or skipped: it is not offered again (see ``needs_setup``)."""
    recheck_months: int = 0
    """Facts older than this many months are listed in the Library to re-check; 0: the pack's own age."""

    def organisation(self) -> Organisation:
        """The letterhead of documents: only what is set (no name where none is set)."""
        return Organisation(
            name=self.organisation_name,
            contact=self.organisation_contact,
            logo=self.organisation_logo,
            address=self.organisation_address,
            registration=self.organisation_registration,
        )

    def coordinator(self) -> Coordinator:
        """The coordinator as plans print them (the settings' profile)."""
        return Coordinator(name=self.coordinator_name, email=self.coordinator_email, phone=self.coordinator_phone)

    def terms(self, locale: str) -> Terms:
        """The organisation's terms in a document's language; empty where none are set for it."""
        return Terms(payment=self.payment_terms.get(locale, ""), cancellation=self.cancellation_terms.get(locale, ""))


_TEXT_FIELDS = {
    "coordinator_name": MAX_TEXT,
    "coordinator_email": MAX_TEXT,
    "organisation_name": MAX_TEXT,
    "organisation_contact": MAX_TEXT,
    "organisation_logo": MAX_TEXT,
    "organisation_registration": MAX_REGISTRATION,
}
"""One-line texts and their length."""
_TERMS_FIELDS = ("payment_terms", "cancellation_terms")
_LEGACY_KEYS = {
    "coordinator_name": ("profile", "name"),
    "coordinator_email": ("profile", "email"),
    "organisation_name": ("organisation", "name"),
    "organisation_contact": ("organisation", "contact"),
    "organisation_logo": ("organisation", "logo"),
    "locale": ("ui", "locale"),
    "appearance": ("ui", "appearance"),
    "lock_minutes": ("security", "lock_minutes"),
}


def _line(value: object) -> str:
    """One line of text: whitespace (line breaks too) collapsed to single spaces, control characters left
    out; not text: empty."""
    if not isinstance(value, str):
        return ""
    return " ".join("".join(c for c in value if unicodedata.category(c) != "Cc" or c.isspace()).split())


def _lines(value: object, paragraphs: bool = True) -> list[str]:
    """The lines of a text of several lines, each as ``_line``; none empty at the start or the end, and
    between paragraphs one empty line (``paragraphs``) or none."""
    if not isinstance(value, str):
        return []
    lines: list[str] = []
    for raw in value.splitlines():
        line = _line(raw)
        if line or (paragraphs and lines and lines[-1]):
            lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    return lines


def _text(value: object, max_chars: int, max_lines: int, paragraphs: bool = True) -> str:
    """A text of several lines (see ``_lines``), cut to its bounds."""
    return "\n".join(_lines(value, paragraphs)[:max_lines])[:max_chars].rstrip()


def _phone(value: object) -> str:
    """A telephone number, one line; anything else than a telephone number: empty."""
    phone = _line(value)[:MAX_PHONE]
    return "" if phone_problem(phone) else phone


def _terms(value: object) -> dict[str, str]:
    """Texts by document language: other languages and empty or non-text values left out."""
    if not isinstance(value, dict):
        return {}
    texts = {locale: _text(value.get(locale), MAX_TERMS, MAX_TERMS_LINES) for locale in DOCUMENT_LOCALES}
    return {locale: text for locale, text in texts.items() if text}


def _clean(values: dict[str, Any]) -> Preferences:
    """Preferences from stored values: unknown keys ignored, wrong types and values replaced by defaults."""
    default = Preferences()
    chosen: dict[str, Any] = {}
    for name, limit in _TEXT_FIELDS.items():
        chosen[name] = _line(values.get(name, ""))[:limit]
    chosen["coordinator_phone"] = _phone(values.get("coordinator_phone"))
    if email_problem(chosen["coordinator_email"]):
        chosen["coordinator_email"] = ""
    currency = _line(values.get("default_currency")).upper()
    chosen["default_currency"] = currency if currency in currency_codes() else ""
    chosen["setup_done"] = values.get("setup_done") is True
    chosen["organisation_address"] = _text(
        values.get("organisation_address"), MAX_ADDRESS, MAX_ADDRESS_LINES, paragraphs=False
    )
    for name in _TERMS_FIELDS:
        chosen[name] = _terms(values.get(name))
    locale = values.get("locale")
    chosen["locale"] = locale if locale in INTERFACE_LOCALES else default.locale
    appearance = values.get("appearance")
    chosen["appearance"] = appearance if appearance in APPEARANCES else default.appearance
    minutes = values.get("lock_minutes", LOCK_DEFAULT)
    try:
        chosen["lock_minutes"] = min(max(int(float(minutes)), 0), LOCK_MAX)
    except (TypeError, ValueError, OverflowError):
        chosen["lock_minutes"] = LOCK_DEFAULT
    try:
        chosen["recheck_months"] = min(max(int(values.get("recheck_months", 0)), 0), RECHECK_MAX)
    except (TypeError, ValueError, OverflowError):
        chosen["recheck_months"] = 0
    return Preferences(**chosen)


def phone_problem(phone: str) -> str:
    """What is wrong with a telephone number as typed (in the interface's language, naming the field);
    empty when nothing is. Loose on purpose: digits of any script, spaces and + ( ) - . / only."""
    text = unicodedata.normalize("NFKC", _line(phone))  # fullwidth ＋（０）, as Chinese input gives them
    if not text:
        return ""
    if len(text) > MAX_PHONE:
        return _("Phone: at most {count} characters").format(count=format_number(MAX_PHONE))
    if not any(c.isdecimal() for c in text) or any(not c.isdecimal() and c not in PHONE_MARKS for c in text):
        return _("Phone: use only digits, spaces and + ( ) - . / (e.g. +49 30 1234 5678)")
    return ""


def email_problem(email: str) -> str:
    """What is wrong with the coordinator's e-mail address as typed (naming the field); empty when nothing is."""
    text = _line(email)
    if not text or email_address(text):
        return ""
    return _("E-mail: not an e-mail address (e.g. name@example.org)")


def currency_problem(code: str) -> str:
    """What is wrong with a default currency as typed (naming the field); empty when nothing is."""
    text = _line(code).upper()
    if not text or text in currency_codes():
        return ""
    return _("Default currency: {code} is no ISO 4217 currency code").format(code=text)


def needs_setup(preferences: Preferences) -> bool:
    """Whether the first-run set-up is still to be offered: it was neither finished nor skipped, and no
    profile is set (the settings of a version before it count as set up)."""
    return not (preferences.setup_done or preferences.coordinator_name or preferences.organisation_name)


def problems(preferences: Preferences) -> dict[str, str]:
    """Every value that would not be kept as typed, by field name: what is wrong, in the interface's
    language, naming the field. ``Settings.save`` cuts such values to their bounds (or drops a bad phone
    number, e-mail address or currency code); a face checks them here first and says so."""
    found: dict[str, str] = {}
    if problem := email_problem(preferences.coordinator_email):
        found["coordinator_email"] = problem
    if problem := phone_problem(preferences.coordinator_phone):
        found["coordinator_phone"] = problem
    if problem := currency_problem(preferences.default_currency):
        found["default_currency"] = problem
    address = preferences.organisation_address
    if problem := _text_problem(_("Address"), address, MAX_ADDRESS, MAX_ADDRESS_LINES, paragraphs=False):
        found["organisation_address"] = problem
    if len(_line(preferences.organisation_registration)) > MAX_REGISTRATION:
        found["organisation_registration"] = _("Registration: at most {count} characters").format(
            count=format_number(MAX_REGISTRATION)
        )
    labels = {"payment_terms": _("Deposit and payment"), "cancellation_terms": _("Cancellation")}
    for name in _TERMS_FIELDS:
        texts = getattr(preferences, name)
        for locale in DOCUMENT_LOCALES:
            label = _("{terms} ({language})").format(terms=labels[name], language=language_name(locale))
            if problem := _text_problem(label, texts.get(locale, ""), MAX_TERMS, MAX_TERMS_LINES):
                found[f"{name}.{locale}"] = problem
    return found


def _text_problem(label: str, text: object, max_chars: int, max_lines: int, paragraphs: bool = True) -> str:
    """Whether a text of several lines is within its bounds once cleaned; empty when it is."""
    lines = _lines(text, paragraphs)
    if len(lines) > max_lines:
        return _("{field}: at most {count} lines").format(field=label, count=format_number(max_lines))
    if len("\n".join(lines)) > max_chars:
        return _("{field}: at most {count} characters").format(field=label, count=format_number(max_chars))
    return ""


def _qt_ini_value(raw: str) -> str:
    """A string as Qt's INI format wrote it: quoted when it holds a comma or spaces at its ends, with
    backslash escapes; Qt's typed values (``@ByteArray(...)``, ``@Invalid()``) are no text."""
    text = raw.strip()
    if text.startswith("@"):
        return ""
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = text[1:-1]
    out, escaped = [], False
    for char in text:
        if escaped:
            out.append({"n": "\n", "t": "\t", "r": "\r"}.get(char, char))
            escaped = False
        elif char == "\\":
            escaped = True
        else:
            out.append(char)
    return "".join(out)


class Settings:
    """The settings file of a data directory."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.path = self.folder / FILE_NAME

    def load(self) -> Preferences:
        """The stored preferences; defaults where none are stored. A damaged file is kept aside (never
        silently overwritten) and the defaults are used."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return self._legacy()
        except (OSError, UnicodeDecodeError):
            log.warning("settings file unreadable; defaults used")
            return Preferences()
        try:
            values = json.loads(text)
            if not isinstance(values, dict):
                raise ValueError("not an object")
        except (ValueError, RecursionError):
            log.warning("settings file damaged; kept aside and defaults used")
            with contextlib.suppress(OSError):
                os.replace(self.path, self.path.with_suffix(".damaged"))
            return Preferences()
        return _clean(values)

    def save(self, preferences: Preferences) -> Preferences:
        """Store ``preferences`` (cleaned first: see ``problems`` for what is not kept as typed), whole or not
        at all; OSError when it cannot be written."""
        cleaned = _clean(dataclasses.asdict(preferences))
        self.folder.mkdir(parents=True, exist_ok=True)
        data = json.dumps(dataclasses.asdict(cleaned), ensure_ascii=False, indent=2) + "\n"
        write_atomic(self.path, data.encode("utf-8"))
        os.chmod(self.path, PRIVATE_FILE)
        return cleaned

    def update(self, **changes: Any) -> Preferences:
        """Change some preferences and store them all."""
        return self.save(dataclasses.replace(self.load(), **changes))

    def _legacy(self) -> Preferences:
        """What an older version kept in Qt's settings.ini (read, not changed)."""
        legacy = self.folder / LEGACY_FILE
        if not legacy.is_file():
            return Preferences()
        parser = configparser.RawConfigParser(strict=False)
        try:
            parser.read(legacy, encoding="utf-8")
        except (configparser.Error, UnicodeDecodeError, OSError):
            return Preferences()
        values: dict[str, Any] = {}
        for name, (section, key) in _LEGACY_KEYS.items():
            if parser.has_option(section, key):
                values[name] = _qt_ini_value(parser.get(section, key))
        return _clean(values)


def coordinator_name(preferences: Preferences) -> str:
    """Who is at work, for case histories and the audit log: CAREPLAN_COORDINATOR, else the name in the
    settings, else the computer's login name."""
    name = os.environ.get(ENV_COORDINATOR, "").strip() or preferences.coordinator_name
    if name:
        return name
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name (some containers and services)
        return "unknown"
