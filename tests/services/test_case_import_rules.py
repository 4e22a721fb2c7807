"""Importing a case file, the rule both faces share (services.case_files.import_case): a key named twice is
no JSON, a case already in the store is refused with one problem naming it (or kept beside it, as new),
and the currency must be one the rate table reaches."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from db.case_store import CaseStore
from services.case_files import CaseFileError, DuplicateCase, import_case, load_case, read_document

CODES = {"lbcl", "mm", "b_all", "fl"}


def case_document(**patient: Any) -> dict[str, Any]:
    return {
        "format": "careplan-case",
        "version": 2,
        "patient": {"full_name": "Anna Beispiel", "date_of_birth": "1968-04-12", **patient},
        "clinical": {"indication": "lbcl"},
        "preferences": {"currency": "EUR"},
    }


def write(path: Path, document: Any) -> Path:
    path.write_text(json.dumps(document, ensure_ascii=False), "utf-8")
    return path


@pytest.fixture
def store(tmp_path: Path):
    opened = CaseStore.open(tmp_path / "cases.sqlite", CODES)
    yield opened
    opened.close()


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('{"patient": {"full_name": "Anna", "full_name": "Olga"}}', '"full_name"'),
        ('{"reference": "A", "reference": "B"}', '"reference"'),
        ('{"clinical": {"biomarkers": {"cd19": "positive", "cd19": "negative"}}}', '"cd19"'),
        ('[{"x\\n1": 1, "x\\n1": 2}]', '"x\\n1"'),  # shown escaped: the problem stays on one line
    ],
)
def test_a_key_named_twice_is_refused_naming_it(tmp_path: Path, text: str, key: str) -> None:
    path = tmp_path / "twice.json"
    path.write_text(text, "utf-8")
    with pytest.raises(CaseFileError) as caught:
        read_document(path)
    (line,) = caught.value.lines()
    assert line == f"{path}: not valid JSON (the key {key} appears twice in one object)"
    assert "\n" not in line


def test_the_same_reference_is_refused_naming_the_case(store: CaseStore, tmp_path: Path) -> None:
    path = write(tmp_path / "a.json", case_document() | {"reference": "EXT-1"})
    import_case(store, path, "Desk One")
    with pytest.raises(DuplicateCase) as caught:
        import_case(store, path, "Desk One")
    assert caught.value.existing == "EXT-1"
    assert caught.value.lines() == [f"{path}: already imported: case EXT-1 has the same reference"]
    assert caught.value.localized_lines() == caught.value.lines()  # the GUI's words, in English here
    assert len(list(store.all_rows())) == 1


def test_the_same_patient_is_refused_naming_the_case(store: CaseStore, tmp_path: Path) -> None:
    first = import_case(store, write(tmp_path / "a.json", case_document()), "Desk One")
    other = write(tmp_path / "b.json", case_document(full_name="  ANNA beispiel ") | {"reference": "EXT-9"})
    with pytest.raises(DuplicateCase) as caught:
        import_case(store, other, "Desk One")
    assert caught.value.existing == first.reference
    assert caught.value.lines() == [
        f"{other}: already imported: case {first.reference} has the same name and date of birth"
    ]
    # another date of birth is another patient
    import_case(store, write(tmp_path / "c.json", case_document(date_of_birth="1970-01-01")), "Desk One")
    assert len(list(store.all_rows())) == 2


def test_as_new_keeps_both_under_a_new_reference(store: CaseStore, tmp_path: Path) -> None:
    path = write(tmp_path / "a.json", case_document() | {"reference": "EXT-1"})
    first = import_case(store, path, "Desk One")
    second = import_case(store, path, "Desk One", as_new=True)
    assert first.reference == "EXT-1" and second.reference != "EXT-1"
    assert second.document["patient"] == first.document["patient"]
    assert [e.action for e in store.audit_entries(second.id)][-1] == "created"
    assert "imported" in [e.action for e in store.audit_entries(second.id)]


def test_an_invalid_file_is_refused_before_any_duplicate_check(store: CaseStore, tmp_path: Path) -> None:
    import_case(store, write(tmp_path / "a.json", case_document()), "Desk One")
    bad = write(tmp_path / "b.json", case_document(email="a@x.org\r\nBcc: b@x.org"))
    with pytest.raises(CaseFileError) as caught:
        import_case(store, bad, "Desk One")
    assert not isinstance(caught.value, DuplicateCase)
    assert caught.value.lines() == ["patient.email: contains an invisible control character (U+000D); remove it"]


def test_the_currency_must_be_one_the_rates_reach(store: CaseStore, tmp_path: Path) -> None:
    path = write(tmp_path / "yen.json", case_document() | {"preferences": {"currency": "JPY"}})
    reachable = frozenset({"USD", "EUR", "GBP"})
    with pytest.raises(CaseFileError) as caught:
        import_case(store, path, "Desk One", currencies=reachable)
    assert caught.value.lines() == ["preferences.currency: no exchange rate for JPY; add one in Settings"]
    with pytest.raises(CaseFileError):
        load_case(path, CODES, reachable)
    assert load_case(path, CODES).preferences.currency == "JPY"  # without a rate table: any ISO 4217 code
    assert list(store.all_rows()) == []
