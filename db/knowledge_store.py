"""The knowledge store: the installed pack's documents and a full-text index over them.

The store holds the pack that is in use (the bundled one, or a newer one imported from a file) as
its validated JSON documents, and a search index in every locale the records have. It is rebuilt in
one transaction whenever a newer pack arrives; a pack that fails validation changes nothing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlite_utils import Database, Migrations

from db.connection import open_db
from db.knowledge_reader import (
    COORDINATOR_SOURCE,
    INDEX_FORMAT,
    MIGRATION_SET,
    costs_in_force,
    own_costs,
    own_rates,
    rates_in_force,
)
from planning.case import Problem
from planning.i18n import N_, _
from planning.knowledge import parse
from planning.knowledge.models import CostDefault, Pack, PackInfo, Rate, Sourced, has_locale, pick, version_key
from planning.knowledge.pack import (
    COUNT_ITEMS,
    KINDS,
    PackError,
    PackProblem,
    bundled_pack_dir,
    read_documents,
    validate_documents,
)
from planning.knowledge.pack import MAX_AMOUNT as MAX_PACK_AMOUNT
from planning.money import RateError, rate_problems, reachable_currencies

migrations = Migrations(MIGRATION_SET)
"""Their names are db.knowledge_reader.MIGRATIONS too: the reader finds a store lacking one not ready."""


@migrations()
def m001_knowledge_store(db: Database) -> None:
    db.execute("CREATE TABLE pack_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    db.execute("CREATE TABLE pack_documents (kind TEXT PRIMARY KEY, content TEXT NOT NULL)")
    for table, tokenizer in (("search_words", "unicode61 remove_diacritics 2"), ("search_grams", "trigram")):
        db.execute(
            f"CREATE VIRTUAL TABLE {table} USING fts5("
            "kind UNINDEXED, ref UNINDEXED, locale UNINDEXED, subtitle UNINDEXED, title, body, "
            f"tokenize = '{tokenizer}')"
        )


@migrations()
def m002_coordinator_rates(db: Database) -> None:
    """Exchange rates the coordinator entered; kept when a new pack is installed."""
    db.execute(
        "CREATE TABLE coordinator_rates (base TEXT NOT NULL, quote TEXT NOT NULL, rate TEXT NOT NULL, "
        "as_of TEXT NOT NULL, note TEXT NOT NULL DEFAULT '', entered_at TEXT NOT NULL, PRIMARY KEY (base, quote))"
    )


@migrations()
def m003_coordinator_costs(db: Database) -> None:
    """Estimate assumptions the coordinator changed (e.g. a hotel quote); kept when a new pack arrives."""
    db.execute(
        "CREATE TABLE coordinator_costs (country TEXT NOT NULL, item TEXT NOT NULL, low TEXT NOT NULL, "
        "high TEXT NOT NULL, entered_at TEXT NOT NULL, PRIMARY KEY (country, item))"
    )


@dataclass(frozen=True)
class SearchHit:
    """One search result: what it is (``kind``: therapy, indication, faq, destination) and which."""

    kind: str
    ref: str
    title: str
    subtitle: str
    locale: str


def _phrase(text: str) -> str:
    """Words only, lower case, single spaces, padded: for whole-phrase comparison."""
    return " " + " ".join(re.findall(r"\w+", text.casefold())) + " "


_CJK = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_WORD = re.compile(r"\w+", re.UNICODE)
MAX_QUERY_CHARS = 200
"""A search query longer than this is refused (QueryTooLong): a coordinator types a few words."""
MAX_QUERY_WORDS = 16
"""A search query with more distinct words than this is refused: every word is one term of the query, and
what the full-text index does with many terms grows faster than their number."""


class QueryTooLong(ValueError):
    """A search query beyond MAX_QUERY_CHARS characters or MAX_QUERY_WORDS words; nothing was searched."""

    TEMPLATE = N_("query too long (at most {words} words and {characters} characters)")

    def __init__(self) -> None:
        super().__init__(self.TEMPLATE.format(words=MAX_QUERY_WORDS, characters=MAX_QUERY_CHARS))

    def localized(self) -> str:
        """The refusal in the interface language."""
        return _(self.TEMPLATE).format(words=MAX_QUERY_WORDS, characters=MAX_QUERY_CHARS)


def query_words(query: str) -> list[str]:
    """The distinct words of a search query, in order; QueryTooLong beyond the limits (checked before the
    query is split, so a pasted book costs nothing)."""
    if len(query) > MAX_QUERY_CHARS:
        raise QueryTooLong
    words = list(dict.fromkeys(_WORD.findall(query)))
    if len(words) > MAX_QUERY_WORDS:
        raise QueryTooLong
    return words


def search_statement(words: list[str], chain: list[str], limit: int) -> tuple[str, list[Any]]:
    """The SQL of a search for ``words`` (each matched as a prefix, or in Chinese, Japanese and Korean text
    as any part of a word) in the locales of ``chain``: one term per word."""
    placeholders = ",".join("?" for _ in chain)
    if any(_CJK.search(w) for w in words):
        long_words = [w for w in words if len(w) >= 3]
        short_words = [w for w in words if len(w) < 3]
        where = [f"locale IN ({placeholders})"]
        params: list[Any] = list(chain)
        if long_words:
            where.insert(0, "search_grams MATCH ?")
            params.insert(0, " AND ".join('"' + w.replace('"', '""') + '"' for w in long_words))
        for w in short_words:
            where.append("(title LIKE ? OR body LIKE ?)")
            escaped = "%" + w.replace("%", "").replace("_", "") + "%"
            params += [escaped, escaped]
        rank = "bm25(search_grams, 0, 0, 0, 0, 20.0, 1.0)" if long_words else "0"
        sql = (
            f"SELECT kind, ref, locale, subtitle, title, {rank} AS score FROM search_grams "
            f"WHERE {' AND '.join(where)} ORDER BY score LIMIT ?"
        )
    else:
        match = " ".join('"' + w.replace('"', '""') + '"*' for w in words)
        params = [match, *chain]
        sql = (
            "SELECT kind, ref, locale, subtitle, title, bm25(search_words, 0, 0, 0, 0, 20.0, 1.0) AS score "
            f"FROM search_words WHERE search_words MATCH ? AND locale IN ({placeholders}) "
            "ORDER BY score LIMIT ?"
        )
    params.append(limit * len(chain))
    return sql, params


def _documents_for_index(pack: Pack) -> Iterator[tuple[str, str, str, str, str, str]]:
    """(kind, ref, locale, subtitle, title, body) rows: English always, other locales where written."""
    locales = [loc for loc in pack.info.locales if loc != "en"]

    def rows(kind: str, ref: str, texts: list[Mapping[str, str]], make) -> Iterator[tuple]:
        yield (kind, ref, "en", *make("en"))
        for loc in locales:
            if any(has_locale(t, loc) for t in texts):
                yield (kind, ref, loc, *make(loc))

    names = {i.code: i.name for i in pack.indications}
    for t in pack.therapies:

        def therapy_row(loc: str, t=t) -> tuple[str, str, str]:
            indications = " ".join(pick(names.get(a.indication), loc) for a in t.approvals)
            safety = " ".join(pick(w.text, loc) for w in t.boxed_warnings)
            return (
                f"{t.brands} · {t.target} · {t.maker}",
                f"{t.generic_name} {t.short_name} {' '.join(n for n, _ in t.brand_names)}",
                f"{pick(t.summary, loc)} {t.target} {t.maker} {indications} {safety}",
            )

        yield from rows("therapy", t.id, [t.summary], therapy_row)
    for i in pack.indications:

        def indication_row(loc: str, i=i) -> tuple[str, str, str]:
            notes = " ".join(pick(n.text, loc) for n in i.research_notes)
            return (
                i.status,
                f"{pick(i.name, loc)} {' '.join(i.aliases)}",
                f"{pick(i.description, loc)} {notes}",
            )

        yield from rows("indication", i.code, [i.name, i.description], indication_row)
    for f in pack.faqs:
        yield from rows("faq", f.id, [f.question], lambda loc, f=f: ("", pick(f.question, loc), pick(f.answer, loc)))
    for d in pack.destinations:

        def destination_row(loc: str, d=d) -> tuple[str, str, str]:
            body = " ".join(pick(n.text, loc) for n in d.logistics)
            centres = " ".join(f"{c.name} {pick(c.city, loc)} {pick(c.note, loc)}" for c in pack.centres_in(d.code))
            visas = " ".join(
                f"{pick(v.group, loc)} {pick(v.patient, loc)} {pick(v.companion, loc)}" for v in pack.visa_rules(d.code)
            )
            return (
                d.code,
                f"{pick(d.name, loc)} {d.code}",
                f"{pick(d.overview.package_cost_note, loc)} {body} {centres} {visas}",
            )

        yield from rows("destination", d.code, [d.name], destination_row)
    for topic in pack.journey:

        def journey_row(loc: str, topic=topic) -> tuple[str, str, str]:
            points = " ".join(pick(p.text, loc) for p in topic.points)
            return ("", pick(topic.title, loc), f"{pick(topic.intro, loc)} {points}")

        yield from rows("journey", topic.id, [topic.title], journey_row)
    for term in pack.glossary:
        yield from rows(
            "glossary", term.id, [term.term], lambda loc, g=term: ("", pick(g.term, loc), pick(g.meaning, loc))
        )


class KnowledgeStore:
    """Reference data for the app, read-only but for installing a newer pack."""

    def __init__(self, db: Database):
        self.db = db
        self._pack: Pack | None = None

    @classmethod
    def open(cls, path: Path | str, *, check_same_thread: bool = True) -> KnowledgeStore:
        return cls(open_db(path, migrations, check_same_thread=check_same_thread))

    def close(self) -> None:
        self.db.conn.close()

    # --- what is installed -------------------------------------------------------------------

    def _meta(self) -> dict[str, str]:
        return {row["key"]: row["value"] for row in self.db["pack_meta"].rows}

    def info(self) -> PackInfo | None:
        """The installed pack's identity, or None for an empty store."""
        meta = self._meta()
        if "version" not in meta:
            return None
        return PackInfo(
            version=meta["version"],
            as_of=meta["as_of"],
            title=json.loads(meta["title"]),
            locales=tuple(json.loads(meta["locales"])),
        )

    def origin(self) -> str:
        """Where the installed pack came from: "bundled" or the imported file's name."""
        return self._meta().get("origin", "")

    def documents(self) -> dict[str, Any]:
        return {row["kind"]: json.loads(row["content"]) for row in self.db["pack_documents"].rows}

    def pack(self) -> Pack:
        """The installed pack as read-models (parsed once, then kept)."""
        if self._pack is None:
            documents = self.documents()
            if not documents:
                raise PackError([PackProblem("knowledge store", "", "", "no knowledge pack is installed")])
            self._pack = parse.pack(documents)
        return self._pack

    # --- installing --------------------------------------------------------------------------

    def install(self, documents: Mapping[str, Any], origin: str) -> PackInfo:
        """Validate ``documents`` whole, then replace the store's content in one transaction."""
        problems = validate_documents(documents)
        if problems:
            raise PackError(problems)
        pack = parse.pack(documents)
        meta = {
            "version": pack.info.version,
            "as_of": pack.info.as_of,
            "title": json.dumps(pack.info.title, ensure_ascii=False),
            "locales": json.dumps(list(pack.info.locales)),
            "origin": origin,
            "index_format": INDEX_FORMAT,
        }
        rows = list(_documents_for_index(pack))
        with self.db.atomic():
            for table in ("pack_meta", "pack_documents", "search_words", "search_grams"):
                self.db.execute(f"DELETE FROM {table}")
            self.db.table("pack_meta").insert_all({"key": k, "value": v} for k, v in meta.items())
            self.db.table("pack_documents").insert_all(
                {"kind": kind, "content": json.dumps(doc, ensure_ascii=False)} for kind, doc in documents.items()
            )
            for table in ("search_words", "search_grams"):
                self.db.conn.executemany(
                    f"INSERT INTO {table} (kind, ref, locale, subtitle, title, body) VALUES (?, ?, ?, ?, ?, ?)",
                    rows,
                )
        self._pack = pack
        return pack.info

    def ensure_current(self, bundled: Path | None = None) -> bool:
        """Install the bundled pack when the store is empty or older; re-index after an app update.

        Returns True when the store was (re)built. A broken bundled pack raises PackError and leaves
        the store as it was.
        """
        info = self.info()
        bundled_documents = read_documents(bundled or bundled_pack_dir())
        bundled_version = bundled_documents["pack"].get("version", "0")
        missing_kinds = set(KINDS) - set(self.documents()) if info is not None else set()
        if (
            info is None
            or version_key(bundled_version) > info.version_key
            or (missing_kinds and version_key(bundled_version) >= info.version_key)
        ):
            self.install(bundled_documents, "bundled")
            return True
        if self._meta().get("index_format") != INDEX_FORMAT:
            self.install(self.documents(), self.origin())
            return True
        return False

    def import_pack(self, location: Path | str) -> PackInfo:
        """Install a newer pack from a folder or .zip; an older, equal or broken one is refused."""
        location = Path(location)
        documents = read_documents(location)
        problems = validate_documents(documents)
        if problems:
            raise PackError(problems)
        current = self.info()
        new_version = documents["pack"]["version"]
        if current is not None and version_key(new_version) <= current.version_key:
            raise PackError(
                [
                    PackProblem(
                        "pack.json",
                        "",
                        "version",
                        f"{new_version} is not newer than the installed pack {current.version}; nothing changed",
                    )
                ]
            )
        return self.install(documents, location.name)

    # --- exchange rates ----------------------------------------------------------------------

    def coordinator_rates(self) -> list[tuple[Rate, str]]:
        """The rates the coordinator entered, with their notes."""
        return own_rates(self.db.conn)

    def currencies(self) -> frozenset[str]:
        """The currencies the rates in force reach (what a case's currency may be)."""
        return reachable_currencies(self.rates())

    def rates(self) -> list[Rate]:
        """The rates in force: the pack's, then the coordinator's (which replace a pack rate of the same pair,
        in either direction)."""
        return rates_in_force(self.pack(), (rate for rate, _note in self.coordinator_rates()))

    def set_rate(self, base: str, quote: str, rate: str, as_of: str, note: str = "", today: date | None = None) -> Rate:
        """Validate and store a rate (1 base = rate quote, as of a date); RateError lists every problem."""
        problems = rate_problems(base, quote, rate, as_of, today or date.today())
        if problems:
            raise RateError(problems)
        base, quote = base.strip().upper(), quote.strip().upper()
        with self.db.atomic():
            self.db.execute("DELETE FROM coordinator_rates WHERE base = ? AND quote = ?", [quote, base])
            self.db.execute(
                "INSERT OR REPLACE INTO coordinator_rates (base, quote, rate, as_of, note, entered_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [base, quote, str(Decimal(rate.strip())), as_of.strip(), note.strip(), datetime.now(UTC).isoformat()],
            )
        return Rate(base, quote, Decimal(rate.strip()), Sourced(COORDINATOR_SOURCE, as_of.strip()))

    def remove_rate(self, base: str, quote: str) -> None:
        with self.db.atomic():
            self.db.execute("DELETE FROM coordinator_rates WHERE base = ? AND quote = ?", [base, quote])

    # --- estimate assumptions ----------------------------------------------------------------

    def cost_defaults(self) -> list[CostDefault]:
        """The pack's assumptions, with the coordinator's low/high where they changed one."""
        return costs_in_force(self.pack(), own_costs(self.db.conn))

    def set_cost(self, country: str, item: str, low: str, high: str) -> None:
        """Change one assumption's range; RateError lists every problem (nothing is stored then)."""
        problems: list[Problem] = []
        values = []
        for name, text in (("low", low), ("high", high)):
            try:
                value = Decimal(text.strip().replace(",", ""))
                if not value.is_finite() or value < 0:
                    raise InvalidOperation
            except (InvalidOperation, ValueError):
                problems.append(Problem.of(name, N_("must be an amount of 0 or more")))
                continue
            limit = Decimal(COUNT_ITEMS.get(item, MAX_PACK_AMOUNT))  # what a pack may hold, so the estimate can use it
            if value > limit:
                problems.append(Problem.of(name, N_("must be at most {limit}"), limit=f"{limit:,.0f}"))
            else:
                values.append(value)
        if len(values) == 2 and values[0] > values[1]:
            problems.append(Problem.of("high", N_("must not be below the low figure")))
        if self.pack().cost_default(country, item) is None:
            problems.append(Problem.of("item", N_("no assumption {item} for {country}"), item=item, country=country))
        if problems:
            raise RateError(problems)
        with self.db.atomic():
            self.db.execute(
                "INSERT OR REPLACE INTO coordinator_costs (country, item, low, high, entered_at) "
                "VALUES (?, ?, ?, ?, ?)",
                [country, item, str(values[0]), str(values[1]), datetime.now(UTC).isoformat()],
            )

    def reset_cost(self, country: str, item: str) -> None:
        with self.db.atomic():
            self.db.execute("DELETE FROM coordinator_costs WHERE country = ? AND item = ?", [country, item])

    # --- searching ---------------------------------------------------------------------------

    def search(self, query: str, locale: str = "en", limit: int = 20) -> list[SearchHit]:
        """Records matching every word of ``query`` (as a prefix), best first, in ``locale`` or English.

        Chinese, Japanese and Korean text is found by any part of a word: three or more characters
        through the trigram index, one or two characters by a substring scan. A query of more than
        MAX_QUERY_CHARS characters or MAX_QUERY_WORDS distinct words raises QueryTooLong.
        """
        words = query_words(query)
        if not words:
            return []
        from planning.knowledge.models import locale_chain

        chain = locale_chain(locale)
        sql, params = search_statement(words, chain, limit)
        best: dict[tuple[str, str], tuple[int, float, tuple]] = {}
        for order, row in enumerate(self.db.execute(sql, params).fetchall()):
            kind, ref, row_locale = row[0], row[1], row[2]
            preference = chain.index(row_locale)
            current = best.get((kind, ref))
            if current is None or preference < current[0]:
                best[(kind, ref)] = (preference, current[1] if current else order, row)
        # the query as a whole phrase in a record's title or aliases ranks first: "T-cell lymphoma" is the
        # T-cell entry, not the B-cell lymphomas that share two of its three words
        phrase = _phrase(query)
        hits = sorted(best.values(), key=lambda item: (phrase not in _phrase(item[2][4]), item[1]))[:limit]
        return [
            SearchHit(kind=r[0], ref=r[1], locale=r[2], subtitle=r[3], title=self._title(r[0], r[1], r[2]))
            for _, _, r in hits
        ]

    def _title(self, kind: str, ref: str, locale: str) -> str:
        """A record's display title in ``locale`` (the indexed title carries search aliases too)."""
        pack = self.pack()
        if kind == "therapy":
            t = pack.therapy(ref)
            return f"{t.generic_name} ({t.brands})" if t else ref
        if kind == "indication":
            i = pack.indication(ref)
            return pick(i.name, locale) if i else ref
        if kind == "faq":
            f = next((f for f in pack.faqs if f.id == ref), None)
            return pick(f.question, locale) if f else ref
        if kind == "journey":
            topic = next((t for t in pack.journey if t.id == ref), None)
            return pick(topic.title, locale) if topic else ref
        if kind == "glossary":
            term = next((g for g in pack.glossary if g.id == ref), None)
            return pick(term.term, locale) if term else ref
        d = next((d for d in pack.destinations if d.code == ref), None)
        return pick(d.name, locale) if d else ref
