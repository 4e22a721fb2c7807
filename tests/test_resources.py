"""Everything the app ships is found through resources.locate(), which the bundle answers too
(scripts/check-bundle.sh runs the frozen executables); the version and the build date come from one place."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

import resources
from planning.i18n import catalog_dir
from planning.knowledge.pack import bundled_pack_dir, bundled_version
from reports.fonts import fonts_dir
from resources import BUILD_INFO, FOLDERS, app_version, build_date, locate

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("name", sorted(FOLDERS))
def test_every_shipped_folder_is_found(name: str) -> None:
    folder = locate(name)
    assert folder.is_dir(), folder
    assert any(folder.iterdir())


def test_files_inside_and_where_each_layer_looks() -> None:
    assert json.loads(locate("knowledge", "pack.json").read_text("utf-8"))["version"] == bundled_version()
    assert locate("samples", "sample_cases.json").is_file()
    assert (locate("translations") / "careplan.pot").is_file()
    assert (locate("fonts") / "OFL-1.1.txt").is_file()  # the fonts travel with their licences
    # the call sites go through the one function
    assert bundled_pack_dir() == locate("knowledge")
    assert fonts_dir() == locate("fonts")
    assert catalog_dir() == locate("translations")


def test_an_unknown_name_is_refused_rather_than_guessed() -> None:
    with pytest.raises(ValueError, match="nothing called 'icons'"):
        locate("icons")


def test_the_version_is_the_one_pyproject_gives() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    assert app_version() == project["version"]


def test_no_build_date_from_source_and_the_bundle_record_when_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_date.cache_clear()
    try:
        assert not locate(BUILD_INFO).exists()  # only the bundle build writes one
        assert build_date() is None
        record = tmp_path / BUILD_INFO
        record.write_text('{"built": "2026-12-03", "version": "0.1.0"}', "utf-8")
        monkeypatch.setattr(resources, "locate", lambda name, *parts: record)
        build_date.cache_clear()
        assert build_date() == "2026-12-03"
        record.write_text("not json", "utf-8")
        build_date.cache_clear()
        assert build_date() is None  # a damaged record is no date, never a crash
    finally:
        build_date.cache_clear()
