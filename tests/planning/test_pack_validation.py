"""The pack is validated whole, and every problem names the file, the record and the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from planning.knowledge.pack import PackError, load_pack
from tests.conftest import edit_json, zip_pack


def problems_of(location: Path) -> list[str]:
    with pytest.raises(PackError) as caught:
        load_pack(location)
    return [str(p) for p in caught.value.problems]


def test_copy_of_bundled_pack_is_valid(pack_copy: Path) -> None:
    assert load_pack(pack_copy).info.version


def test_bad_field_type_is_named_with_file_record_and_field(pack_copy: Path) -> None:
    edit_json(pack_copy / "therapies.json", lambda d: d[0]["approvals"][0].update(date="August 2017"))
    problems = problems_of(pack_copy)
    assert len(problems) == 1
    assert problems[0].startswith("therapies.json: record #1 'tisagenlecleucel': approvals[0].date:")


def test_missing_source_is_reported(pack_copy: Path) -> None:
    edit_json(pack_copy / "faqs.json", lambda d: d[1].pop("source"))
    (problem,) = problems_of(pack_copy)
    assert problem.startswith("faqs.json: record #2")
    assert "required field missing ('source')" in problem


def test_unknown_source_id_is_reported(pack_copy: Path) -> None:
    edit_json(pack_copy / "destinations.json", lambda d: d[0]["list_prices"][0].update(source="nowhere"))
    (problem,) = problems_of(pack_copy)
    assert problem.startswith("destinations.json: record #1 'CN': list_prices[0].source:")
    assert "unknown source 'nowhere'" in problem


def test_unknown_therapy_in_criteria_is_reported(pack_copy: Path) -> None:
    edit_json(pack_copy / "criteria.json", lambda d: d[0]["applies_to"].update(therapies=["madeupcel"]))
    (problem,) = problems_of(pack_copy)
    assert "criteria.json: record #1" in problem and "unknown therapy 'madeupcel'" in problem


def test_every_problem_is_reported_at_once(pack_copy: Path) -> None:
    def break_two(document: list) -> None:
        document[0].pop("maker")
        document[1]["target"] = 42

    edit_json(pack_copy / "therapies.json", break_two)
    problems = problems_of(pack_copy)
    assert len(problems) == 2
    assert any("record #1" in p and "'maker'" in p for p in problems)
    assert any("record #2" in p and "target" in p for p in problems)


def test_invalid_json_and_missing_file(pack_copy: Path) -> None:
    (pack_copy / "faqs.json").write_text("[{,", "utf-8")
    (pack_copy / "sources.json").unlink()
    problems = problems_of(pack_copy)
    assert "sources.json: file missing from the pack" in problems
    assert any(p.startswith("faqs.json: not valid JSON (line 1") for p in problems)


def test_duplicate_ids_are_refused(pack_copy: Path) -> None:
    edit_json(pack_copy / "faqs.json", lambda d: d.append(dict(d[0])))
    (problem,) = problems_of(pack_copy)
    assert "duplicate id" in problem


def test_zip_with_a_folder_inside_loads(pack_copy: Path, tmp_path: Path) -> None:
    archive = zip_pack(pack_copy, tmp_path / "pack.zip", folder="careplan-pack-2026.11.1")
    assert load_pack(archive).info.version == load_pack(pack_copy).info.version


def test_not_a_zip(tmp_path: Path) -> None:
    bogus = tmp_path / "photo.zip"
    bogus.write_bytes(b"\x89PNG not a zip")
    (problem,) = problems_of(bogus)
    assert problem.startswith("photo.zip: not a pack folder or .zip file")
