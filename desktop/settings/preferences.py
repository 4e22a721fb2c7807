"""The coordinator's preferences for the GUI: the services' settings file of the data directory whose
Qt ``settings.ini`` (window geometry only) the window was given."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from services.settings import Settings


def preferences_of(settings: QSettings) -> Settings:
    return Settings(Path(settings.fileName()).parent)
