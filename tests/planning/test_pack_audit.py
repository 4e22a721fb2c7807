"""The pack audit: what a pack still owes its readers is found, category by category, on a copy of the frozen
fixture pack broken on purpose; the shipped pack is clean; the facts to re-check are the old ones."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from planning.knowledge.audit import audit, fact_date, facts, home_page_only, months_between, to_recheck
from planning.knowledge.pack import load_pack, read_documents
from tests.conftest import edit_json

SHIPPED = load_pack()


def findings_of(location: Path) -> list[tuple[str, str]]:
    return [(f.category, f.where) for f in audit(read_documents(location))]


@pytest.mark.parametrize(
    "url, home",
    [
        ("https://www.fda.gov/", True),
        ("https://nationalbank.kz", True),
        ("https://www.ema.europa.eu/en", True),
        ("https://www.ema.europa.eu/en/medicines/human/EPAR/tecartus", False),
        ("https://doi.org/10.1056/NEJMoa1707447", False),
        ("https://example.org/?id=262", False),
    ],
)
def test_a_home_page_is_told_from_a_page(url: str, home: bool) -> None:
    assert home_page_only(url) is home


def test_each_kind_of_debt_is_found(fixture_pack_copy: Path) -> None:
    before = set(findings_of(fixture_pack_copy))

    def break_sources(sources: list) -> None:
        sources[1].update(url="https://www.fda.gov/")  # fda_kymriah: to the home page
        sources[2].pop("url", None)  # fda_yescarta: no link
        sources[3].update(date="undated")  # fda_tecartus, backing a boxed warning

    edit_json(fixture_pack_copy / "sources.json", break_sources)
    edit_json(fixture_pack_copy / "indications.json", lambda indications: indications[0]["description"].pop("de"))

    def unfounded(costs: list) -> None:
        costs[0].update(estimate=True)
        costs[0].pop("basis", None)

    edit_json(fixture_pack_copy / "cost_defaults.json", unfounded)
    after = set(findings_of(fixture_pack_copy)) - before
    categories = {category for category, _where in after}
    assert categories == {
        "home_page_link",
        "no_link",
        "undated_source",
        "missing_translation",
        "estimate_without_basis",
    }, after
    assert ("home_page_link", "sources.json [fda_kymriah]") in after
    assert ("undated_source", "sources.json [fda_tecartus]") in after
    assert any(c == "missing_translation" and w.endswith(".description") for c, w in after), after


def test_an_undated_source_may_back_claims_marked_unverified(fixture_pack_copy: Path) -> None:
    edit_json(fixture_pack_copy / "sources.json", lambda s: s[3].update(date="undated"))
    assert ("undated_source", "sources.json [fda_tecartus]") in findings_of(fixture_pack_copy)

    def mark(node) -> None:  # every record citing fda_tecartus becomes an unconfirmed claim
        if isinstance(node, dict):
            if node.get("source") == "fda_tecartus":
                node["unverified"] = True
            for value in node.values():
                mark(value)
        elif isinstance(node, list):
            for value in node:
                mark(value)

    for name in ("therapies.json", "indications.json", "criteria.json"):
        edit_json(fixture_pack_copy / name, mark)
    assert load_pack(fixture_pack_copy)  # still a valid pack
    assert ("undated_source", "sources.json [fda_tecartus]") not in findings_of(fixture_pack_copy)


def test_the_shipped_pack_is_clean() -> None:
    findings = audit(SHIPPED.raw)
    assert not findings, "\n".join(f"{f.category}: {f.where} {f.detail}" for f in findings[:40])


def test_every_patient_facing_text_of_the_shipped_pack_has_every_language() -> None:
    missing = [f for f in audit(SHIPPED.raw) if f.category == "missing_translation"]
    assert set(SHIPPED.info.locales) == {"en", "zh_CN", "es", "ru", "ar", "de"}
    assert not missing, f"{len(missing)} texts lack a language, e.g. " + "; ".join(
        f"{f.where} ({f.detail})" for f in missing[:10]
    )


def test_no_fact_is_dated_after_its_source() -> None:
    """A fact is true as of its source's own date at the latest (not the day someone read it)."""
    late = []
    for fact in facts(SHIPPED.raw):
        source = SHIPPED.sources[fact.source]
        if source.kind == "own" or source.date == "undated":
            continue
        precision = min(len(fact.as_of), len(source.date))  # "2018-05" is as of a source dated "2018-05-01"
        if fact.as_of[:precision] > source.date[:precision]:
            late.append(f"{fact.where}: as of {fact.as_of}, source {fact.source} dated {source.date}")
    assert not late, "\n".join(late[:20])


def test_every_source_of_the_shipped_pack_has_a_deep_link_and_a_reading_date() -> None:
    for source in SHIPPED.sources.values():
        if source.kind == "own":
            continue
        assert source.url and not home_page_only(source.url), source.id
        assert source.read_on, source.id


def test_the_facts_to_recheck_are_the_old_ones(fixture_pack_copy: Path) -> None:
    raw = read_documents(fixture_pack_copy)
    old = to_recheck(raw, date(2026, 12, 3), 18)
    assert old and all(age > 18 for _fact, age in old)
    assert [age for _f, age in old] == sorted((age for _f, age in old), reverse=True)
    dates = {fact.as_of for fact, _age in old}
    assert "2017-08" in dates and "2026-11" not in dates
    assert len(to_recheck(raw, date(2026, 12, 3), 600)) == 0
    assert months_between(date(2025, 6, 3), date(2026, 12, 3)) == 18
    assert fact_date("2024") == date(2024, 12, 31) and fact_date("2024-02") == date(2024, 2, 29)


def test_the_audit_reads_every_pack_file() -> None:
    """Every file with sourced records is read, the new journey files too."""
    names = {f.where.split("[")[0] for f in facts(SHIPPED.raw)}
    declared = set(SHIPPED.raw["pack"]["files"].values())
    assert declared - {"sources.json"} <= names, declared - names


def test_the_content_counts_add_up() -> None:
    from planning.knowledge.audit import content_counts

    counts = content_counts(SHIPPED.raw)
    own = sum(1 for s in SHIPPED.sources.values() if s.kind == "own")
    assert counts["sources"] == len(SHIPPED.sources) and counts["deep_links"] == counts["sources"] - own
    assert counts["facts"] == len(list(facts(SHIPPED.raw))) > counts["unverified"] + counts["estimates"] > 0
    assert set(counts["texts_by_language"]) == set(SHIPPED.info.locales)
    assert all(n == counts["texts"] for n in counts["texts_by_language"].values()), counts["texts_by_language"]
