"""The letterhead, the coordinator's details and the terms a plan prints, as the settings keep them: each
round-trips as typed (line breaks too), an older file without them loads, damaged values become
defaults, and what is out of bounds is cut when stored and named when checked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planning.i18n import DOCUMENT_LOCALES
from planning.plan import Coordinator, Organisation, Terms
from services.settings import (
    FILE_NAME,
    MAX_ADDRESS,
    MAX_ADDRESS_LINES,
    MAX_PHONE,
    MAX_REGISTRATION,
    MAX_TERMS,
    MAX_TERMS_LINES,
    Preferences,
    Settings,
    phone_problem,
    problems,
)

ADDRESS = "Müller Reisen GmbH\nHauptstraße 1\n10115 Berlin"


def stored(tmp_path: Path, values: dict) -> Preferences:
    (tmp_path / FILE_NAME).write_text(json.dumps(values, ensure_ascii=False), encoding="utf-8")
    return Settings(tmp_path).load()


def test_every_new_field_round_trips_as_typed(tmp_path: Path) -> None:
    Settings(tmp_path).update(
        organisation_name="Müller Reisen",
        organisation_contact="+49 30 1234 · info@mueller.example",
        organisation_address=ADDRESS,
        organisation_registration="HRB 12345 B · USt-IdNr. DE123456789",
        coordinator_name="Dana Roe",
        coordinator_email="dana@mueller.example",
        coordinator_phone="+49 (30) 1234-56/78",
        payment_terms={"de": "30 % Anzahlung.\n\nRest vor Reiseantritt.", "ar": "دفعة مقدمة ٣٠٪"},
        cancellation_terms={"zh_CN": "出发前14天可免费取消。"},
    )
    again = Settings(tmp_path).load()
    assert again.organisation() == Organisation(
        name="Müller Reisen",
        contact="+49 30 1234 · info@mueller.example",
        address=ADDRESS,
        registration="HRB 12345 B · USt-IdNr. DE123456789",
    )
    assert again.coordinator() == Coordinator("Dana Roe", "dana@mueller.example", "+49 (30) 1234-56/78")
    assert again.terms("de") == Terms(payment="30 % Anzahlung.\n\nRest vor Reiseantritt.")
    assert again.terms("ar") == Terms(payment="دفعة مقدمة ٣٠٪")
    assert again.terms("zh_CN") == Terms(cancellation="出发前14天可免费取消。")
    assert again.terms("en") == Terms()  # none set: the plan prints its default wording


def test_no_organisation_set_means_no_sender_name(tmp_path: Path) -> None:
    assert Settings(tmp_path).load().organisation() == Organisation()
    assert Preferences().organisation().name == ""  # never the product's name as if it were the sender


def test_a_file_from_before_these_fields_loads_with_their_defaults(tmp_path: Path) -> None:
    loaded = stored(
        tmp_path,
        {
            "coordinator_name": "Dana",
            "coordinator_email": "dana@example.org",
            "organisation_name": "Care Travel",
            "organisation_contact": "Berlin",
            "organisation_logo": "",
            "locale": "de",
            "appearance": "dark",
            "lock_minutes": 5,
        },
    )
    assert (loaded.organisation_name, loaded.locale, loaded.lock_minutes) == ("Care Travel", "de", 5)
    assert (loaded.organisation_address, loaded.organisation_registration, loaded.coordinator_phone) == ("", "", "")
    assert (loaded.payment_terms, loaded.cancellation_terms) == ({}, {})
    assert loaded.coordinator() == Coordinator(name="Dana", email="dana@example.org")


@pytest.mark.parametrize(
    ("values", "field", "expected"),
    [
        ({"organisation_address": ["a", "list"]}, "organisation_address", ""),
        ({"organisation_address": 12}, "organisation_address", ""),
        ({"organisation_registration": {"a": 1}}, "organisation_registration", ""),
        ({"organisation_registration": "HRB\n 1\t2"}, "organisation_registration", "HRB 1 2"),
        ({"coordinator_phone": 4930123}, "coordinator_phone", ""),
        ({"coordinator_phone": "call me maybe"}, "coordinator_phone", ""),
        ({"coordinator_phone": "+49 30\n1234"}, "coordinator_phone", "+49 30 1234"),
        ({"payment_terms": "not a dict"}, "payment_terms", {}),
        ({"payment_terms": ["de", "text"]}, "payment_terms", {}),
        ({"payment_terms": {"de": 5, "en": ["x"], "es": None}}, "payment_terms", {}),
        ({"payment_terms": {"xx": "unknown", "fr": "non", "de": "Anzahlung"}}, "payment_terms", {"de": "Anzahlung"}),
        ({"cancellation_terms": {"de": "  \n \n"}}, "cancellation_terms", {}),
        ({"cancellation_terms": None}, "cancellation_terms", {}),
    ],
)
def test_damaged_values_become_defaults(tmp_path: Path, values: dict, field: str, expected: object) -> None:
    assert getattr(stored(tmp_path, values), field) == expected


def test_multi_line_texts_keep_their_lines_and_lose_stray_whitespace(tmp_path: Path) -> None:
    loaded = stored(
        tmp_path,
        {
            "organisation_address": "\n  Müller   Reisen \r\n\n\n Hauptstraße\t1\r10115 Berlin \n\n",
            "payment_terms": {"en": "\n\nDeposit:  30%\n\n\n\nBalance:\tbefore travel.\x00\n\n"},
        },
    )
    assert loaded.organisation_address == "Müller Reisen\nHauptstraße 1\n10115 Berlin"  # no empty lines in an address
    # one empty line between paragraphs, the control character left out
    assert loaded.payment_terms == {"en": "Deposit: 30%\n\nBalance: before travel."}


def test_values_out_of_bounds_are_cut_when_stored(tmp_path: Path) -> None:
    saved = Settings(tmp_path).update(
        organisation_address="\n".join(f"line {n}" for n in range(10)),
        organisation_registration="R" * 1000,
        payment_terms={"en": "x" * 5000, "de": "\n".join("Zeile" for _ in range(50))},
        cancellation_terms={"es": "y " * 2000},
    )
    assert saved == Settings(tmp_path).load()
    assert saved.organisation_address.splitlines() == [f"line {n}" for n in range(MAX_ADDRESS_LINES)]
    assert len(Settings(tmp_path).update(organisation_address="a" * 1000).organisation_address) == MAX_ADDRESS
    assert saved.organisation_registration == "R" * MAX_REGISTRATION
    assert saved.payment_terms["en"] == "x" * MAX_TERMS
    assert len(saved.payment_terms["de"].splitlines()) == MAX_TERMS_LINES
    assert len(saved.cancellation_terms["es"]) <= MAX_TERMS


@pytest.mark.parametrize(
    "phone",
    ["+49 30 1234 5678", "(030) 123-45.67 / 89", "0049301234", "٠١٢٣ ٤٥٦٧", "＋８６ （１０） １２３４", ""],
)
def test_phone_numbers_are_checked_loosely(phone: str) -> None:
    assert phone_problem(phone) == ""


@pytest.mark.parametrize("phone", ["+49 30 1234 ext. 5", "call me", "+", "030–1234", "1" * (MAX_PHONE + 1)])
def test_a_bad_phone_number_is_named(phone: str) -> None:
    assert phone_problem(phone).startswith("Phone: ")
    assert list(problems(Preferences(coordinator_phone=phone))) == ["coordinator_phone"]


def test_every_problem_is_named_by_field_and_language_at_once() -> None:
    found = problems(
        Preferences(
            coordinator_phone="abc",
            organisation_address="\n".join("x" for _ in range(MAX_ADDRESS_LINES + 1)),
            organisation_registration="R" * (MAX_REGISTRATION + 1),
            payment_terms={"de": "x" * (MAX_TERMS + 1), "en": "fine"},
            cancellation_terms={"ar": "\n".join("س" for _ in range(MAX_TERMS_LINES + 1))},
        )
    )
    assert found == {
        "coordinator_phone": "Phone: use only digits, spaces and + ( ) - . / (e.g. +49 30 1234 5678)",
        "organisation_address": "Address: at most 6 lines",
        "organisation_registration": "Registration: at most 200 characters",
        "payment_terms.de": "Deposit and payment (Deutsch): at most 1,500 characters",
        "cancellation_terms.ar": "Cancellation (العربية): at most 20 lines",
    }
    assert problems(Preferences(organisation_address=ADDRESS, payment_terms={c: "ok" for c in DOCUMENT_LOCALES})) == {}
