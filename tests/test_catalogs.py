"""The translation catalogs: complete, no fuzzy entries, placeholders intact, up to date with the code."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from planning.i18n import _, locale_scope, ngettext

ROOT = Path(str(resources.files("translations")))
LOCALES = ("zh_CN", "es", "ru", "ar", "de")
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def catalog(locale: str):
    with (ROOT / locale / "LC_MESSAGES" / "careplan.po").open("rb") as handle:
        return read_po(handle, locale=locale)


@pytest.mark.parametrize("locale", LOCALES)
def test_catalog_is_complete_and_placeholders_match(locale: str) -> None:
    with (ROOT / "careplan.pot").open("rb") as handle:
        template = {m.id for m in read_po(handle) if m.id}
    messages = [m for m in catalog(locale) if m.id]
    assert template <= {m.id for m in messages}  # every text in the code is in the catalog
    for message in messages:
        assert not message.fuzzy, message.id
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set().union(*(PLACEHOLDER.findall(i) for i in ids))
        for string in strings:
            assert string, message.id
            assert set(PLACEHOLDER.findall(string)) <= wanted, (message.id, string)


@pytest.mark.parametrize(
    ("locale", "english"),
    [("ru", "Summary"), ("de", "Summary"), ("zh_CN", "Summary"), ("ar", "Summary"), ("es", "Summary")],
)
def test_a_known_text_resolves_per_language(locale: str, english: str) -> None:
    with locale_scope(locale):
        translated = _(english)
    assert translated and translated != english


def test_plurals_follow_the_language() -> None:
    with locale_scope("ru"):
        forms = {ngettext("{count} case", "{count} cases", n).format(count=n) for n in (1, 2, 5)}
    assert len(forms) == 3  # Russian has three forms


def test_every_literal_text_in_the_code_is_extracted() -> None:
    """Babel cannot see _() inside an f-string (before Python 3.12): such a text would stay English."""
    code = Path(__file__).resolve().parent.parent
    literals = set()
    for folder in ("planning", "db", "reports", "desktop"):
        for file in (code / folder).glob("*.py"):
            text = file.read_text("utf-8")
            literals |= set(re.findall(r"\b_\('((?:[^'\\]|\\.)*)'\)", text))
            literals |= {m for m in re.findall(r'\b_\("((?:[^"\\]|\\.)*)"\)', text) if "\\" not in m}
    with (ROOT / "careplan.pot").open("rb") as handle:
        extracted = {m.id for m in read_po(handle) if m.id}
    assert sorted(literals - extracted) == []
