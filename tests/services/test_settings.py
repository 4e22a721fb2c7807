"""One settings file for both faces: what the GUI stores is what the command line reads, exactly."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from services.settings import FILE_NAME, LOCK_MAX, Preferences, Settings, coordinator_name


def test_values_round_trip_exactly_commas_quotes_and_all(tmp_path: Path) -> None:
    settings = Settings(tmp_path)
    settings.update(organisation_name='Müller, Weiß & "Partner"', organisation_contact="+49 30 1234, Berlin")
    again = Settings(tmp_path).load()
    assert again.organisation().name == 'Müller, Weiß & "Partner"'
    assert again.organisation().contact == "+49 30 1234, Berlin"


def test_the_file_is_private(tmp_path: Path) -> None:
    Settings(tmp_path).update(coordinator_name="Dana")
    assert stat.S_IMODE((tmp_path / FILE_NAME).stat().st_mode) == 0o600


def test_values_an_older_version_kept_in_qt_settings_are_read_once(tmp_path: Path) -> None:
    (tmp_path / "settings.ini").write_text(
        '[organisation]\nname="Care, Travel \\"Plus\\""\ncontact=Hauptstr. 1\n'
        "[profile]\nname=Dana Roe\n[ui]\nlocale=de\nappearance=dark\n"
        "[window]\ngeometry=@ByteArray(\\x1\\xd9)\n",
        encoding="utf-8",
    )
    loaded = Settings(tmp_path).load()
    assert loaded.organisation_name == 'Care, Travel "Plus"'
    assert loaded.organisation_contact == "Hauptstr. 1"
    assert (loaded.coordinator_name, loaded.locale, loaded.appearance) == ("Dana Roe", "de", "dark")
    assert not (tmp_path / FILE_NAME).exists()  # read, not written, until something changes


def test_a_damaged_file_is_kept_aside_and_defaults_are_used(tmp_path: Path) -> None:
    (tmp_path / FILE_NAME).write_text("{not json", encoding="utf-8")
    assert Settings(tmp_path).load() == Preferences()
    assert (tmp_path / "preferences.damaged").read_text(encoding="utf-8") == "{not json"


@pytest.mark.parametrize(
    ("stored", "field", "expected"),
    [
        ({"locale": "xx"}, "locale", "en"),
        ({"appearance": "neon"}, "appearance", "system"),
        ({"lock_minutes": "many"}, "lock_minutes", 10),
        ({"lock_minutes": 10_000}, "lock_minutes", LOCK_MAX),
        ({"lock_minutes": -5}, "lock_minutes", 0),
        ({"coordinator_name": ["a list"]}, "coordinator_name", ""),
        ({"organisation_name": "  two\n lines  "}, "organisation_name", "two lines"),
    ],
)
def test_wrong_values_become_defaults(tmp_path: Path, stored: dict, field: str, expected: object) -> None:
    (tmp_path / FILE_NAME).write_text(json.dumps(stored), encoding="utf-8")
    assert getattr(Settings(tmp_path).load(), field) == expected


def test_the_coordinator_is_the_environments_then_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAREPLAN_COORDINATOR", "From Env")
    assert coordinator_name(Preferences(coordinator_name="Dana")) == "From Env"
    monkeypatch.delenv("CAREPLAN_COORDINATOR")
    assert coordinator_name(Preferences(coordinator_name="Dana")) == "Dana"
    assert coordinator_name(Preferences())  # the login name, never empty
