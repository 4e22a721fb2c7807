"""The pack is validated whole, and every problem names the file, the record and the field.

The messages name records by position and id, so the tests break copies of the frozen fixture pack
(tests/fixtures/pack), whose records stay where they are; the shipped pack is checked to be valid.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from planning.knowledge.models import Pack
from planning.knowledge.pack import PackError, load_pack
from tests.conftest import edit_json, zip_pack
from tests.fixtures import FIXTURE_PACK_DIR


def problems_of(location: Path) -> list[str]:
    with pytest.raises(PackError) as caught:
        load_pack(location)
    return [str(p) for p in caught.value.problems]


def test_copy_of_bundled_pack_is_valid(pack_copy: Path) -> None:
    assert load_pack(pack_copy).info.version


def test_the_fixture_pack_is_valid_and_frozen(fixture_pack: Pack, fixture_pack_copy: Path) -> None:
    """The logic tests pin the fixture's records: it is the 2026.12.1 pack trimmed (pack/README.md)."""
    assert load_pack(fixture_pack_copy) == fixture_pack  # valid, and the copy the tests below break is the same
    assert (fixture_pack.info.version, fixture_pack.info.as_of) == ("2026.12.1", "2026-12-03")
    assert [t.id for t in fixture_pack.therapies] == [
        "tisagenlecleucel",
        "axicabtagene",
        "brexucabtagene",
        "lisocabtagene",
        "idecabtagene",
        "ciltacabtagene",
        "obecabtagene",
        "relmacabtagene",
        "equecabtagene",
        "zevorcabtagene",
        "satricabtagene",
    ]
    assert {i.code: i.status for i in fixture_pack.indications} == {
        **dict.fromkeys(("b_all", "lbcl", "fl", "mm", "gastric"), "approved"),
        **dict.fromkeys(("sle", "nsclc"), "investigational"),
    }
    assert [d.code for d in fixture_pack.destinations] == ["CN", "US", "GB", "DE"]
    assert (len(fixture_pack.rates), len(fixture_pack.cost_defaults), len(fixture_pack.faqs)) == (13, 48, 3)
    copied = sorted(p.name for p in fixture_pack_copy.iterdir())
    assert sorted(p.name for p in FIXTURE_PACK_DIR.glob("*.json")) == copied


def test_bad_field_type_is_named_with_file_record_and_field(fixture_pack_copy: Path) -> None:
    edit_json(fixture_pack_copy / "therapies.json", lambda d: d[0]["approvals"][0].update(date="August 2017"))
    problems = problems_of(fixture_pack_copy)
    assert len(problems) == 1
    assert problems[0].startswith("therapies.json: record #1 'tisagenlecleucel': approvals[0].date:")


def test_missing_source_is_reported(fixture_pack_copy: Path) -> None:
    edit_json(fixture_pack_copy / "faqs.json", lambda d: d[1].pop("source"))
    (problem,) = problems_of(fixture_pack_copy)
    assert problem.startswith("faqs.json: record #2")
    assert "required field missing ('source')" in problem


def test_unknown_source_id_is_reported(fixture_pack_copy: Path) -> None:
    edit_json(fixture_pack_copy / "destinations.json", lambda d: d[0]["list_prices"][0].update(source="nowhere"))
    (problem,) = problems_of(fixture_pack_copy)
    assert problem.startswith("destinations.json: record #1 'CN': list_prices[0].source:")
    assert "unknown source 'nowhere'" in problem


def test_unknown_therapy_in_criteria_is_reported(fixture_pack_copy: Path) -> None:
    edit_json(fixture_pack_copy / "criteria.json", lambda d: d[0]["applies_to"].update(therapies=["madeupcel"]))
    (problem,) = problems_of(fixture_pack_copy)
    assert "criteria.json: record #1" in problem and "unknown therapy 'madeupcel'" in problem


def test_every_problem_is_reported_at_once(fixture_pack_copy: Path) -> None:
    def break_two(document: list) -> None:
        document[0].pop("maker")
        document[1]["target"] = 42

    edit_json(fixture_pack_copy / "therapies.json", break_two)
    problems = problems_of(fixture_pack_copy)
    assert len(problems) == 2
    assert any("record #1" in p and "'maker'" in p for p in problems)
    assert any("record #2" in p and "target" in p for p in problems)


def test_invalid_json_and_missing_file(fixture_pack_copy: Path) -> None:
    (fixture_pack_copy / "faqs.json").write_text("[{,", "utf-8")
    (fixture_pack_copy / "sources.json").unlink()
    problems = problems_of(fixture_pack_copy)
    assert "sources.json: file missing from the pack" in problems
    assert any(p.startswith("faqs.json: not valid JSON (line 1") for p in problems)


def test_duplicate_ids_are_refused(fixture_pack_copy: Path) -> None:
    edit_json(fixture_pack_copy / "faqs.json", lambda d: d.append(dict(d[0])))
    (problem,) = problems_of(fixture_pack_copy)
    assert "duplicate id" in problem


def test_zip_with_a_folder_inside_loads(pack_copy: Path, tmp_path: Path) -> None:
    archive = zip_pack(pack_copy, tmp_path / "pack.zip", folder="careplan-pack-2026.11.1")
    assert load_pack(archive).info.version == load_pack(pack_copy).info.version


def test_not_a_zip(tmp_path: Path) -> None:
    bogus = tmp_path / "photo.zip"
    bogus.write_bytes(b"\x89PNG not a zip")
    (problem,) = problems_of(bogus)
    assert problem.startswith("photo.zip: not a pack folder or .zip file")
