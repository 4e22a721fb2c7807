"""Bundled data: the knowledge pack, fonts with their licences, sample cases, the user guide, the translation
catalogs; and the one way to find them, what this build is and when it was made.

Every file the app ships is found through :func:`locate`, from a source checkout, an installed package and
the one-folder bundle (PyInstaller) alike: it asks ``importlib.resources`` for the package that holds the
file, and the bundle collects these packages' files as package data (``packaging/careplan.spec``), so the
same lookup answers there. Nothing here imports Qt, ReportLab or sqlite: every layer, ``planning``
included, may use it.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from pathlib import Path

__all__ = ["BUILD_INFO", "DISTRIBUTION", "FOLDERS", "app_version", "build_date", "locate"]

DISTRIBUTION = "careplan-desk"
"""The distribution's name (pyproject.toml): its version is the app's version."""

FOLDERS = {
    "knowledge": __name__,
    "fonts": __name__,
    "samples": __name__,
    "help": __name__,
    "translations": "translations",
}
"""What the app ships, by the name :func:`locate` takes first, and the import package that holds it
(the catalogs are a package of their own, ``translations``; the rest lives in this one)."""

BUILD_INFO = "build-info.json"
"""Written into this package's folder by the bundle build only: ``{"built": "YYYY-MM-DD"}``."""


def locate(name: str, *parts: str) -> Path:
    """The path of something the app ships: ``locate("fonts")``, ``locate("knowledge", "pack.json")``,
    ``locate("translations")``, ``locate("samples", "sample_cases.json")``, ``locate("help", "de", "call.md")``.
    The path may not exist (a file the caller then reports missing); ``name`` must be one of :data:`FOLDERS`
    or :data:`BUILD_INFO`."""
    if name != BUILD_INFO and name not in FOLDERS:
        raise ValueError(f"nothing called {name!r} is shipped (known: {', '.join(FOLDERS)}, {BUILD_INFO})")
    package = FOLDERS.get(name, __name__)
    root = Path(str(files(package)))
    return (root / name if package == __name__ else root).joinpath(*parts)


@cache
def app_version() -> str:
    """The app's version, as pyproject.toml gives it (read from the installed distribution's metadata,
    which the bundle carries too); ``"unknown"`` when the code runs without being installed."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:
        return "unknown"


@cache
def build_date() -> str | None:
    """The day the bundle was built (ISO ``YYYY-MM-DD``); None when running from source or a package
    installed with pip (no build record is there)."""
    try:
        record = json.loads(locate(BUILD_INFO).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    built = record.get("built") if isinstance(record, dict) else None
    return built if isinstance(built, str) and built else None
