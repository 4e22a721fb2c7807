"""The coordinator's settings, one reader and writer for both faces: who the coordinator is, the
organisation printed on documents, and the preferences (language, appearance, lock after idle minutes).

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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from db.paths import PRIVATE_FILE
from planning.files import write_atomic
from planning.i18n import INTERFACE_LOCALES
from planning.plan import Organisation

log = logging.getLogger(__name__)

FILE_NAME = "preferences.json"
LEGACY_FILE = "settings.ini"
APPEARANCES = ("system", "light", "dark")
LOCK_DEFAULT = 10
LOCK_MAX = 480
DEFAULT_ORGANISATION = "CarePlan Desk"
ENV_COORDINATOR = "CAREPLAN_COORDINATOR"
MAX_TEXT = 500


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

    def organisation(self) -> Organisation:
        """The organisation block of documents; the product's name where none is set."""
        return Organisation(
            name=self.organisation_name or DEFAULT_ORGANISATION,
            contact=self.organisation_contact,
            logo=self.organisation_logo,
        )


_TEXT_FIELDS = (
    "coordinator_name",
    "coordinator_email",
    "organisation_name",
    "organisation_contact",
    "organisation_logo",
)
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


def _clean(values: dict[str, Any]) -> Preferences:
    """Preferences from stored values: unknown keys ignored, wrong types and values replaced by defaults."""
    default = Preferences()
    chosen: dict[str, Any] = {}
    for name in _TEXT_FIELDS:
        value = values.get(name, "")
        chosen[name] = " ".join(value.split())[:MAX_TEXT] if isinstance(value, str) else ""
    locale = values.get("locale")
    chosen["locale"] = locale if locale in INTERFACE_LOCALES else default.locale
    appearance = values.get("appearance")
    chosen["appearance"] = appearance if appearance in APPEARANCES else default.appearance
    minutes = values.get("lock_minutes", LOCK_DEFAULT)
    try:
        chosen["lock_minutes"] = min(max(int(float(minutes)), 0), LOCK_MAX)
    except (TypeError, ValueError, OverflowError):
        chosen["lock_minutes"] = LOCK_DEFAULT
    return Preferences(**chosen)


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
        """Store ``preferences`` (cleaned first), whole or not at all; OSError when it cannot be written."""
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
