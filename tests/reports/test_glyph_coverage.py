"""Every character the documents can contain has a glyph in a bundled font (fontTools): ReportLab
would otherwise drop it without a word."""

from __future__ import annotations

import json
import unicodedata
from functools import cache
from importlib import resources
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from fontTools.ttLib import TTFont

from reports.text import FONT_FILES, fonts_dir

CATALOGS = sorted(Path(str(resources.files("translations"))).glob("*/LC_MESSAGES/careplan.po"))


@cache
def covered() -> frozenset[int]:
    codes: set[int] = set()
    for file in set(FONT_FILES.values()):
        codes |= set(TTFont(fonts_dir() / file, lazy=True).getBestCmap())
    return frozenset(codes)


def missing(text: str) -> set[str]:
    return {
        c for c in text if not c.isspace() and unicodedata.category(c) not in ("Cf", "Cc") and ord(c) not in covered()
    }


def strings(node) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for value in node.values() for s in strings(value)]
    if isinstance(node, list):
        return [s for value in node for s in strings(value)]
    return []


def test_catalogs_exist() -> None:
    assert {p.parent.parent.name for p in CATALOGS} >= {"zh_CN", "es", "ru", "ar", "de"}


@pytest.mark.parametrize("catalog", CATALOGS, ids=lambda p: p.parent.parent.name)
def test_every_catalog_character_is_covered(catalog: Path) -> None:
    with catalog.open("rb") as handle:
        messages = read_po(handle)
    text = ""
    for message in messages:
        strings_ = message.string if isinstance(message.string, tuple | list) else (message.string,)
        text += "".join(s or "" for s in strings_)
    assert text.strip()
    assert missing(text) == set()


def test_every_pack_text_is_covered() -> None:
    knowledge = Path(str(resources.files("resources"))) / "knowledge"
    text = "".join(s for file in knowledge.glob("*.json") for s in strings(json.loads(file.read_text("utf-8"))))
    assert missing(text) == set()


def test_sample_and_test_case_characters_are_covered() -> None:
    samples = resources.files("resources") / "samples" / "sample_cases.json"
    text = "".join(strings(json.loads(samples.read_text("utf-8"))))
    text += "Мария 王芳 ليلى Zoë Ñúñez Øre Łódź İstanbul Ελένη € £ ¥ ₽ ﷼ د.إ ر.س. – — · « » „ “ ” ‘ ’ × ₂"
    assert missing(text) == set()
