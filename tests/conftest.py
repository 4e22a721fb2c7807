"""Shared fixtures: a fresh data directory per test, the real bundled pack, copies to break."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The parsed-font cache of the tests' own (never the user's cache folder); shared by every test of a run.
os.environ.setdefault("CAREPLAN_CACHE_DIR", tempfile.mkdtemp(prefix="careplan-test-cache-"))

from planning.knowledge.pack import bundled_pack_dir
from tests.fixtures import FIXTURE_PACK_DIR
from tests.fixtures import fixture_pack as load_fixture_pack


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh, private data directory; CAREPLAN_DATA_DIR points at it."""
    path = tmp_path / "data"
    monkeypatch.setenv("CAREPLAN_DATA_DIR", str(path))
    return path


@pytest.fixture
def pack_copy(tmp_path: Path) -> Path:
    """A copy of the bundled pack's JSON files (without the schemas) to modify."""
    target = tmp_path / "pack"
    target.mkdir()
    for file in bundled_pack_dir().glob("*.json"):
        shutil.copy(file, target / file.name)
    return target


@pytest.fixture(scope="session")
def fixture_pack():
    """The frozen fixture pack (tests/fixtures/pack): for logic tests that pin figures, counts or records."""
    return load_fixture_pack()


@pytest.fixture
def fixture_pack_copy(tmp_path: Path) -> Path:
    """A copy of the fixture pack's JSON files to modify (its records stay where the tests expect them)."""
    target = tmp_path / "fixture-pack"
    target.mkdir()
    for file in FIXTURE_PACK_DIR.glob("*.json"):
        shutil.copy(file, target / file.name)
    return target


def edit_json(path: Path, change) -> None:
    """Load a JSON file, let ``change`` modify it in place, write it back."""
    document = json.loads(path.read_text("utf-8"))
    change(document)
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2), "utf-8")


def bump_version(pack_dir: Path, version: str) -> None:
    edit_json(pack_dir / "pack.json", lambda d: d.update(version=version))


def zip_pack(pack_dir: Path, target: Path, folder: str = "") -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(pack_dir.glob("*.json")):
            archive.write(file, f"{folder}/{file.name}" if folder else file.name)
    return target


@pytest.fixture
def no_catalogs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """No translation catalog at all (an install that lost them): planning.i18n looks in an empty folder."""
    from planning import i18n

    root = tmp_path / "translations"
    root.mkdir()
    monkeypatch.setattr(i18n, "catalog_dir", lambda: root)
    i18n.forget_catalogs()
    yield root
    i18n.forget_catalogs()
