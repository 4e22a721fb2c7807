"""One reader and one writer of case files for both faces: what each refuses, in the words it uses."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest

from db.case_store import CaseStore
from planning.case import VERSION
from services.case_files import (
    MAX_CASE_FILE_BYTES,
    MAX_NESTING,
    CaseFileError,
    export_case,
    import_case,
    read_document,
)

CODES = {"lbcl", "mm", "b_all", "fl"}


def sample() -> dict:
    documents = json.loads((resources.files("resources") / "samples" / "sample_cases.json").read_text("utf-8"))
    document = dict(documents[0])
    document.pop("reference", None)
    return document


@pytest.fixture
def store(tmp_path: Path):
    opened = CaseStore.open(tmp_path / "cases.sqlite", CODES)
    yield opened
    opened.close()


def problems_of(path: Path) -> list[str]:
    with pytest.raises(CaseFileError) as caught:
        read_document(path)
    return caught.value.lines()


def test_a_byte_order_mark_is_read_past(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps({"a": "ä"}, ensure_ascii=False).encode())
    assert read_document(path) == {"a": "ä"}


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b'{"patient": {"full_name": "\\ud800"}}', "not valid Unicode (a lone surrogate escape)"),
        (b'{"x": "\\udfff tail"}', "lone surrogate"),
        (b"[" * (MAX_NESTING + 2) + b"]" * (MAX_NESTING + 2), "nested too deeply"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b'{"a": NaN}', "NaN is not a JSON number"),
        (b'{"a": 1e999}', "number out of range"),
        (b"\xff\xfe{}", "not UTF-8"),
        (b'{"a": ', "not valid JSON (line 1"),
    ],
)
def test_what_no_case_file_holds_is_refused_with_one_line(tmp_path: Path, content: bytes, words: str) -> None:
    path = tmp_path / "case.json"
    path.write_bytes(content)
    lines = problems_of(path)
    assert len(lines) == 1 and lines[0].startswith(f"{path}: ") and words in lines[0], lines


def test_a_case_deep_enough_for_its_fields_is_not_nested_too_deeply(tmp_path: Path) -> None:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(sample()), "utf-8")
    assert read_document(path)["patient"]


def test_size_cap_folder_and_missing_file(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    with big.open("wb") as handle:
        handle.truncate(MAX_CASE_FILE_BYTES + 1)
    assert "too large for a case file" in problems_of(big)[0]
    assert "is a folder" in problems_of(tmp_path)[0]
    assert problems_of(tmp_path / "absent.json")[0].endswith(": no such file")


def test_problems_are_in_the_interface_language_too(tmp_path: Path) -> None:
    from planning.i18n import locale_scope

    path = tmp_path / "case.json"
    path.write_bytes(b'{"a": ')
    with pytest.raises(CaseFileError) as caught:
        read_document(path)
    with locale_scope("de"):
        assert "kein gültiges JSON" in caught.value.localized_lines()[0]


def test_an_invalid_case_is_refused_whole_and_nothing_is_created(store: CaseStore, tmp_path: Path) -> None:
    document = sample()
    document["patient"]["date_of_birth"] = "not a date"
    path = tmp_path / "case.json"
    path.write_text(json.dumps(document), "utf-8")
    with pytest.raises(CaseFileError) as caught:
        import_case(store, path, "Desk One")
    assert any(line.startswith("patient.date_of_birth: ") for line in caught.value.lines())
    assert list(store.all_rows()) == []


def test_export_writes_the_current_version_and_audits_only_what_was_written(store: CaseStore, tmp_path: Path) -> None:
    path = tmp_path / "case.json"
    path.write_text(json.dumps({**sample(), "version": 1}), "utf-8")
    stored = import_case(store, path, "Desk One")
    with pytest.raises(CaseFileError) as caught:
        export_case(store, stored.id, tmp_path / "missing" / "out.json", "Desk One")
    assert caught.value.lines() == [
        f"{tmp_path / 'missing' / 'out.json'}: cannot write (no such folder); nothing written"
    ]
    assert [e.action for e in store.audit_entries(stored.id)].count("exported") == 0
    target = tmp_path / "out.json"
    text = export_case(store, stored.id, target, "Desk One")
    written = json.loads(target.read_text("utf-8"))
    assert target.read_text("utf-8") == text
    assert (written["format"], written["version"], written["reference"]) == ("careplan-case", VERSION, stored.reference)
    assert [e.action for e in store.audit_entries(stored.id)].count("exported") == 1
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]
