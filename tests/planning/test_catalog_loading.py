"""The catalogs are read from their .po sources in every install: compiled once into the cache, a stale
compiled file never used, and a document language whose catalog is missing, damaged or incomplete refused
with one line (the interface falls back to English, or to what the catalog has, with a warning)."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from planning import catalogs, i18n
from planning.catalogs import (
    DAMAGED,
    INCOMPLETE,
    MISSING,
    CatalogError,
    compile_catalog,
    load_catalog,
    stamp_of,
    up_to_date,
)
from planning.i18n import DOCUMENT_LOCALES, _, check_catalog, locale_scope, set_locale

SOURCES = Path(__file__).resolve().parents[2] / "translations"
TITLE = "Treatment plan and cost estimate"


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of the catalog sources (.po and .pot, no compiled file) that planning.i18n reads, and a cache
    folder of its own."""
    root = tmp_path / "translations"
    root.mkdir()
    shutil.copy(SOURCES / "careplan.pot", root / "careplan.pot")
    for po in SOURCES.glob("*/LC_MESSAGES/careplan.po"):
        target = root / po.relative_to(SOURCES)
        target.parent.mkdir(parents=True)
        shutil.copy(po, target)
    monkeypatch.setattr(i18n, "catalog_dir", lambda: root)
    monkeypatch.setenv("CAREPLAN_CACHE_DIR", str(tmp_path / "cache"))
    i18n.forget_catalogs()
    yield root
    i18n.forget_catalogs()
    set_locale("en")


def po_of(root: Path, locale: str) -> Path:
    return root / locale / "LC_MESSAGES" / "careplan.po"


def title_in(locale: str) -> str:
    with locale_scope(locale):
        return _(TITLE)


def no_compiling(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object, **_kwargs: object) -> bytes:
        raise AssertionError("compiled again")

    monkeypatch.setattr(catalogs, "compile_catalog", refuse)


def test_every_document_language_is_complete_from_its_po_alone(tree: Path) -> None:
    for locale in DOCUMENT_LOCALES:
        check_catalog(locale)  # English needs none; the others compile from their .po
        assert locale == "en" or title_in(locale) != TITLE, locale
    assert not list(tree.rglob("*.mo"))  # nothing written beside the sources
    assert {p.name.split("-")[0] for p in (tree.parent / "cache" / "catalogs").glob("*.mo")} == {
        loc for loc in DOCUMENT_LOCALES if loc != "en"
    }


def test_a_compiled_catalog_is_kept_and_used_until_its_po_changes(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert title_in("de") == "Behandlungsplan und Kostenschätzung"
    (cached,) = (tree.parent / "cache" / "catalogs").glob("de-*.mo")
    i18n.forget_catalogs()
    with monkeypatch.context() as patched:
        no_compiling(patched)
        assert title_in("de") == "Behandlungsplan und Kostenschätzung"  # from the cache
    po = po_of(tree, "de")
    po.write_text(po.read_text("utf-8").replace("Behandlungsplan und", "Neuer Behandlungsplan und"), "utf-8")
    i18n.forget_catalogs()
    assert title_in("de") == "Neuer Behandlungsplan und Kostenschätzung"
    (fresh,) = (tree.parent / "cache" / "catalogs").glob("de-*.mo")  # the old one dropped
    assert fresh != cached


def test_an_up_to_date_compiled_file_beside_the_po_is_used_and_a_stale_one_never(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    po = po_of(tree, "de")
    po.with_suffix(".mo").write_bytes(compile_catalog(po, "de"))  # what scripts/catalogs.py compile writes
    with monkeypatch.context() as patched:
        no_compiling(patched)
        assert title_in("de") == "Behandlungsplan und Kostenschätzung"
    # the .po changes after the .mo was compiled (an edit, a pull, a new release over an old folder)
    po.write_text(po.read_text("utf-8").replace("Behandlungsplan und", "Neuer Behandlungsplan und"), "utf-8")
    i18n.forget_catalogs()
    assert title_in("de") == "Neuer Behandlungsplan und Kostenschätzung"
    # a .mo from another compiler carries no stamp: not trusted beside its .po either
    po.with_suffix(".mo").write_bytes(b"\xde\x12\x04\x95" + b"\0" * 24)
    i18n.forget_catalogs()
    assert title_in("de") == "Neuer Behandlungsplan und Kostenschätzung"


def test_a_cache_that_cannot_be_written_only_costs_the_compile(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = tree.parent / "not-a-folder"
    blocked.write_text("a file where the cache folder would be", "utf-8")
    monkeypatch.setenv("CAREPLAN_CACHE_DIR", str(blocked))
    assert title_in("ru") == "План лечения и оценка стоимости"


def test_compiled_catalogs_alone_are_enough(tree: Path) -> None:
    """A distribution that ships the .mo files only (no sources to compare them with)."""
    po = po_of(tree, "zh_CN")
    po.with_suffix(".mo").write_bytes(compile_catalog(po, "zh_CN"))
    po.unlink()
    assert title_in("zh_CN") == "治疗方案和费用估算"


def test_a_missing_catalog_is_an_error_for_a_document_and_english_for_the_interface(
    tree: Path, caplog: pytest.LogCaptureFixture
) -> None:
    po = po_of(tree, "de")
    po.unlink()
    with pytest.raises(CatalogError) as raised:
        title_in("de")
    assert raised.value.problem == MISSING and raised.value.path == po
    assert str(raised.value) == f"The German catalog is missing ({po}): reinstall CarePlan Desk."
    assert "\n" not in str(raised.value)
    with caplog.at_level(logging.WARNING, "planning.i18n"):
        set_locale("de")
    assert _(TITLE) == TITLE
    assert "the de catalog is missing" in caplog.text and "English" in caplog.text


def test_an_unknown_language_has_no_catalog(tree: Path) -> None:
    for locale in ("fr", "../../etc", ""):
        with pytest.raises(CatalogError) as raised:
            check_catalog(locale)
        assert raised.value.problem == MISSING
        assert raised.value.path.is_relative_to(tree)


def test_an_incomplete_catalog_is_refused_for_a_document_and_used_for_the_interface(
    tree: Path, caplog: pytest.LogCaptureFixture
) -> None:
    po = po_of(tree, "ar")
    text = po.read_text("utf-8")
    cut = text.index('msgid "Summary"')
    po.write_text(text[:cut], "utf-8")  # a file cut short: every text after "Summary" is gone
    with pytest.raises(CatalogError) as raised:
        title_in("ar")
    assert raised.value.problem == INCOMPLETE and raised.value.untranslated > 10
    assert str(raised.value) == f"The Arabic catalog is incomplete ({po}): reinstall CarePlan Desk."
    with caplog.at_level(logging.WARNING, "planning.i18n"):
        set_locale("ar")
    assert _("Budget: {amount}") != "Budget: {amount}"  # what the catalog has is shown
    assert _(TITLE) == TITLE  # the rest in English
    assert "the ar catalog is incomplete" in caplog.text


def test_a_fuzzy_or_empty_translation_makes_a_catalog_incomplete(tree: Path) -> None:
    po = po_of(tree, "es")
    text = po.read_text("utf-8")
    po.write_text(text.replace('msgstr "Plan de tratamiento y estimación de costos"', 'msgstr ""'), "utf-8")
    with pytest.raises(CatalogError) as raised:
        check_catalog("es")
    assert raised.value.problem == INCOMPLETE and raised.value.untranslated == 1
    po.write_text(text.replace(f'msgid "{TITLE}"', f'#, fuzzy\nmsgid "{TITLE}"'), "utf-8")
    i18n.forget_catalogs()
    with pytest.raises(CatalogError):
        check_catalog("es")


def test_a_text_in_the_template_but_not_in_the_po_makes_it_incomplete(tree: Path) -> None:
    template = tree / "careplan.pot"
    template.write_text(template.read_text("utf-8") + '\nmsgid "A text added to the code"\nmsgstr ""\n', "utf-8")
    with pytest.raises(CatalogError) as raised:
        check_catalog("ru")
    assert raised.value.problem == INCOMPLETE and raised.value.untranslated == 1


def test_a_catalog_that_cannot_be_read_is_damaged(tree: Path) -> None:
    po = po_of(tree, "de")
    po.write_bytes(b'msgid "Summary"\nmsgstr "\xff\xfe broken"\n')
    with pytest.raises(CatalogError) as raised:
        check_catalog("de")
    assert raised.value.problem == DAMAGED
    assert "cannot be read" in str(raised.value)


def test_the_error_speaks_the_language_of_the_interface(tree: Path) -> None:
    po_of(tree, "zh_CN").unlink()
    error = CatalogError("zh_CN", MISSING, po_of(tree, "zh_CN"))
    with locale_scope("de"):
        shown = str(error)
    assert shown.startswith("Die Übersetzungsdatei für Chinesisch") and "Installieren Sie CarePlan Desk neu" in shown
    with locale_scope("ar"):
        shown = str(error)
    assert "\u2068" + str(po_of(tree, "zh_CN")) + "\u2069" in shown  # the path keeps its own direction


def test_scripts_compile_writes_stamped_files_the_loader_trusts(tree: Path) -> None:
    po = po_of(tree, "ru")
    first = compile_catalog(po, "ru")
    assert compile_catalog(po, "ru") == first  # the same sources give the same bytes (no rewrite, no churn)
    assert stamp_of(po) != stamp_of(po_of(tree, "de"))
    assert not up_to_date(po)
    po.with_suffix(".mo").write_bytes(first)
    assert up_to_date(po)
    assert load_catalog(tree, "ru").gettext(TITLE) == "План лечения и оценка стоимости"
    (tree / "careplan.pot").write_text((tree / "careplan.pot").read_text("utf-8") + "\n", "utf-8")
    assert not up_to_date(po)  # a new template: compiled again
