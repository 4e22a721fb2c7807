"""The first-run set-up's settings (services/settings.py): the default currency, the "set up" flag, and the
coordinator's e-mail address checked like the phone number (a message naming the field; never stored bad)."""

from __future__ import annotations

import json
from pathlib import Path

from planning.i18n import locale_scope
from services.settings import FILE_NAME, Preferences, Settings, needs_setup, problems


def test_a_new_data_directory_needs_the_set_up_and_not_once_it_is_done_or_skipped(tmp_path: Path) -> None:
    settings = Settings(tmp_path)
    assert needs_setup(settings.load())
    settings.update(setup_done=True)  # finished or skipped: the same flag
    assert not needs_setup(Settings(tmp_path).load())


def test_an_older_version_s_profile_counts_as_set_up(tmp_path: Path) -> None:
    (tmp_path / FILE_NAME).write_text(json.dumps({"coordinator_name": "Dana Roe"}), encoding="utf-8")
    assert not needs_setup(Settings(tmp_path).load())


def test_the_default_currency_is_kept_as_an_iso_code(tmp_path: Path) -> None:
    settings = Settings(tmp_path)
    assert settings.update(default_currency="eur").default_currency == "EUR"
    assert Settings(tmp_path).load().default_currency == "EUR"


def test_a_bad_default_currency_is_named_and_never_stored(tmp_path: Path) -> None:
    with locale_scope("en"):
        found = problems(Preferences(default_currency="XYZ"))
    assert found == {"default_currency": "Default currency: XYZ is no ISO 4217 currency code"}
    assert Settings(tmp_path).update(default_currency="XYZ").default_currency == ""


def test_a_bad_e_mail_address_is_named_and_never_stored(tmp_path: Path) -> None:
    with locale_scope("en"):
        found = problems(Preferences(coordinator_email="dana@example"))
    assert found == {"coordinator_email": "E-mail: not an e-mail address (e.g. name@example.org)"}
    assert problems(Preferences(coordinator_email="dana@example.org")) == {}
    assert Settings(tmp_path).update(coordinator_email="dana@example").coordinator_email == ""
    assert Settings(tmp_path).update(coordinator_email=" dana@example.org ").coordinator_email == "dana@example.org"


def test_the_flag_is_only_true_when_stored_as_true(tmp_path: Path) -> None:
    (tmp_path / FILE_NAME).write_text(json.dumps({"setup_done": "yes", "default_currency": 7}), encoding="utf-8")
    loaded = Settings(tmp_path).load()
    assert (loaded.setup_done, loaded.default_currency) == (False, "")
