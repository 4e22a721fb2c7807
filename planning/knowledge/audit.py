"""What a pack still owes its readers: undated sources, links to a home page, estimates without a basis,
texts missing a language; and the facts old enough to re-check.

Works on the pack's JSON documents (``Pack.raw``), so every record is seen, whatever the read-models keep.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from planning.i18n import N_

LOCALE_KEY = re.compile(r"^[a-z]{2,3}(_[A-Z][A-Za-z]{1,3})?$")
OWN_KIND = "own"
"""Sources of kind "own" are the organisation's assumptions: they need no link, their figures a basis."""

CATEGORIES = {
    "undated_source": N_("Undated sources backing facts"),
    "home_page_link": N_("Links to a home page, not to the page itself"),
    "no_link": N_("Sources without a link"),
    "estimate_without_basis": N_("Estimates without a basis"),
    "missing_translation": N_("Texts missing a language"),
}
"""The audit's categories, in the order it lists them."""


@dataclass(frozen=True)
class AuditFinding:
    category: str
    where: str
    """File, record and field: "sources.json #3 'fda_abecma'"."""
    detail: str = ""


@dataclass(frozen=True)
class Fact:
    """A sourced record of the pack: where it is, its source and the date it is true as of."""

    where: str
    source: str
    as_of: str
    text: str
    """A few words saying what the fact is (its English text, label or name)."""


def is_text(node: Any) -> bool:
    """True for a text per locale: {"en": "...", "de": "..."}."""
    return (
        isinstance(node, dict)
        and isinstance(node.get("en"), str)
        and all(isinstance(k, str) and LOCALE_KEY.match(k) and isinstance(v, str) for k, v in node.items())
    )


def _label(record: Any) -> str:
    if isinstance(record, dict):
        if "base" in record and "quote" in record:
            return f"{record['base']}/{record['quote']}"
        if "country" in record and "item" in record:
            return f"{record['country']}/{record['item']}"
        for key in ("id", "code", "name"):
            if isinstance(record.get(key), str):
                return record[key]
    return ""


def _walk(node: Any, where: str) -> Iterator[tuple[str, Any]]:
    yield where, node
    if isinstance(node, dict) and not is_text(node):
        for key, value in node.items():
            yield from _walk(value, f"{where}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            label = _label(value)
            yield from _walk(value, f"{where}[{label or index + 1}]")


def _documents(raw: Mapping[str, Any]) -> Iterator[tuple[str, Any]]:
    files = raw.get("pack", {}).get("files", {})
    yield "pack.json", raw.get("pack", {})
    for kind, document in raw.items():
        if kind != "pack":
            yield files.get(kind, f"{kind}.json"), document


def texts(raw: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, str]]]:
    """Every text of the pack with where it is."""
    for name, document in _documents(raw):
        for where, node in _walk(document, name):
            if is_text(node):
                yield where, node


def facts(raw: Mapping[str, Any]) -> Iterator[Fact]:
    """Every sourced record (a record with a source and an as-of date)."""
    for name, document in _documents(raw):
        for where, node in _walk(document, name):
            if isinstance(node, dict) and isinstance(node.get("source"), str) and isinstance(node.get("as_of"), str):
                yield Fact(where, node["source"], node["as_of"], _what(node))


def _what(record: Mapping[str, Any]) -> str:
    for key in ("text", "label", "question", "term", "wording", "patient", "name", "summary"):
        value = record.get(key)
        if isinstance(value, dict) and is_text(value):
            return str(value["en"])
    return _label(record) or str(record.get("name", ""))


def home_page_only(url: str) -> bool:
    """True when ``url`` names a site but no page on it: https://www.fda.gov/ or https://nationalbank.kz."""
    parts = urlsplit(url)
    path = parts.path.strip("/")
    return not parts.query and (not path or re.fullmatch(r"[a-z]{2}(-[a-z]{2})?|index\.html?", path) is not None)


def audit(raw: Mapping[str, Any]) -> list[AuditFinding]:
    """Every finding of the pack's documents ``raw``, by category then place."""
    findings: list[AuditFinding] = []
    sources = {s["id"]: s for s in raw.get("sources", []) if isinstance(s, dict) and "id" in s}
    claims_only: dict[str, bool] = {}
    for name, document in _documents(raw):
        for _where, node in _walk(document, name):
            if isinstance(node, dict) and isinstance(node.get("source"), str) and "as_of" in node:
                claim = node.get("unverified") is True
                claims_only[node["source"]] = claims_only.get(node["source"], True) and claim
    for source_id, source in sources.items():
        where = f"sources.json [{source_id}]"
        own = source.get("kind") == OWN_KIND
        if source.get("date") == "undated" and not own and source_id in claims_only and not claims_only[source_id]:
            findings.append(
                AuditFinding("undated_source", where, "backs facts not marked unverified; give its own date")
            )
        url = source.get("url", "")
        if not url and not own:
            findings.append(AuditFinding("no_link", where, source.get("title", "")))
        elif url and home_page_only(url):
            findings.append(AuditFinding("home_page_link", where, url))
    for name, document in _documents(raw):
        for where, node in _walk(document, name):
            if not isinstance(node, dict) or "source" not in node:
                continue
            if node.get("estimate") is True and not is_text(node.get("basis")):
                findings.append(AuditFinding("estimate_without_basis", where, _what(node)[:80]))
    locales = [loc for loc in raw.get("pack", {}).get("locales", ["en"]) if loc != "en"]
    for where, text in texts(raw):
        missing = [loc for loc in locales if not text.get(loc, "").strip()]
        if missing:
            findings.append(AuditFinding("missing_translation", where, ", ".join(missing)))
    order = list(CATEGORIES)
    findings.sort(key=lambda f: (order.index(f.category), f.where))
    return findings


def fact_date(as_of: str) -> date | None:
    """The last day an as-of date can mean: "2024" -> 31 Dec 2024, "2024-04" -> 30 Apr 2024."""
    try:
        parts = [int(p) for p in as_of.split("-")]
    except ValueError:
        return None
    if len(parts) == 1:
        return date(parts[0], 12, 31)
    if len(parts) == 2:
        following = date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
        return date.fromordinal(following.toordinal() - 1)
    return date(*parts[:3])


def months_between(earlier: date, later: date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month - (later.day < earlier.day)


def to_recheck(raw: Mapping[str, Any], today: date, months: int) -> list[tuple[Fact, int]]:
    """Facts true as of more than ``months`` months before ``today``, oldest first, with their age in
    months; the organisation's own assumptions are included (they age too)."""
    old: list[tuple[Fact, int]] = []
    for fact in facts(raw):
        day = fact_date(fact.as_of)
        if day is None:
            continue
        age = months_between(day, today)
        if age > months:
            old.append((fact, age))
    old.sort(key=lambda item: (-item[1], item[0].where))
    return old


def content_counts(raw: Mapping[str, Any]) -> dict[str, Any]:
    """What the pack holds: sourced facts (unconfirmed claims and estimates among them), sources and those
    with a deep link, and its texts with the number written in each language."""
    all_facts = list(facts(raw))
    marked = {"unverified": 0, "estimate": 0}
    for name, document in _documents(raw):
        for _where, node in _walk(document, name):
            if isinstance(node, dict) and isinstance(node.get("source"), str) and "as_of" in node:
                marked["unverified"] += node.get("unverified") is True
                marked["estimate"] += node.get("estimate") is True
    sources = [s for s in raw.get("sources", []) if isinstance(s, dict)]
    linked = [s for s in sources if s.get("url") and not home_page_only(s["url"])]
    all_texts = [text for _where, text in texts(raw)]
    locales = raw.get("pack", {}).get("locales", ["en"])
    return {
        "facts": len(all_facts),
        "unverified": marked["unverified"],
        "estimates": marked["estimate"],
        "sources": len(sources),
        "deep_links": len(linked),
        "dated_sources": sum(1 for s in sources if s.get("date") not in (None, "undated")),
        "texts": len(all_texts),
        "texts_by_language": {loc: sum(1 for t in all_texts if t.get(loc, "").strip()) for loc in locales},
    }
