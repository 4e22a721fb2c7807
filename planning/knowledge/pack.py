"""Read and validate a knowledge pack, whole, before anything uses it.

A pack is a folder (or a .zip of one, as brought on a USB stick) with ``pack.json`` and one JSON file
per entity kind. It is checked against the app's own JSON Schemas and for references between files
(every source id exists, every therapy and indication named exists). Every problem is reported at
once, naming the file, the record and the field.
"""

from __future__ import annotations

import json
import math
import re
import stat
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, TypeGuard

from planning.case import DISEASE_STATUSES, currency_codes
from planning.files import DuplicateKey, unique_keys
from planning.i18n import N_
from planning.knowledge import parse
from planning.knowledge.models import Pack
from resources import locate

KINDS = (
    "sources",
    "therapies",
    "indications",
    "criteria",
    "destinations",
    "faqs",
    "drug_classes",
    "regimens",
    "rates",
    "cost_defaults",
    "journey",
    "centres",
    "visas",
    "glossary",
)
"""The entity kinds a pack must have, each in its own file."""

MAX_PACK_BYTES = 50 * 1024 * 1024
"""A pack larger than this (uncompressed) is refused: no real pack comes near it."""


@dataclass(frozen=True)
class PackProblem:
    """One thing wrong with a pack: where (file, record, field) and what."""

    file: str
    record: str
    field: str
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.record:
            where += f": record {self.record}"
        if self.field:
            where += f": {self.field}"
        return f"{where}: {self.message}"


class PackError(Exception):
    """A pack that cannot be used; ``problems`` lists every reason."""

    def __init__(self, problems: Iterable[PackProblem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def bundled_pack_dir() -> Path:
    """The knowledge pack that ships with the app."""
    return locate("knowledge")


def bundled_version() -> str | None:
    """The bundled pack's version, from its pack.json alone (what an installed pack is compared with);
    None when it cannot be read (reading the whole pack, ``read_documents``, then says why)."""
    try:
        document = json.loads((bundled_pack_dir() / "pack.json").read_bytes())
    except (OSError, ValueError):
        return None
    version = document.get("version", "0") if isinstance(document, dict) else None
    return version if isinstance(version, str) else None


def _schema_dir() -> Path:
    return bundled_pack_dir() / "schema"


# --- reading ---------------------------------------------------------------------------------


class _Files:
    """Read access to the files of a pack in a folder or a zip, by bare file name.

    A zip may hold the files at its root or in one folder, but each name once; a folder's files are read
    only when they are regular files inside it (a symbolic link is followed only within the folder); either
    way no more than MAX_PACK_BYTES are read in all."""

    def __init__(self, location: Path):
        self.location = location
        self._zip: dict[str, zipfile.ZipInfo] | None = None
        self._archive: zipfile.ZipFile | None = None
        self._left = MAX_PACK_BYTES
        if location.is_file():
            try:
                archive = zipfile.ZipFile(location)
            except (zipfile.BadZipFile, OSError) as exc:
                raise PackError(
                    [PackProblem(location.name, "", "", f"not a pack folder or .zip file ({exc})")]
                ) from None
            self._archive = archive
            infos = [i for i in archive.infolist() if not i.is_dir()]
            if sum(i.file_size for i in infos) > MAX_PACK_BYTES:
                archive.close()
                raise PackError([PackProblem(location.name, "", "", N_("too large to be a knowledge pack"))])
            # Files may sit at the root of the zip or inside one folder; only bare names count, so a name in
            # two folders would leave to chance which file is the pack's: refused.
            found: dict[str, zipfile.ZipInfo] = {}
            problems = []
            for info in infos:
                name = re.split(r"[/\\]", info.filename)[-1]
                first = found.setdefault(name, info)
                if first is not info:
                    message = N_("holds {name} twice ({first} and {second}); a pack has each file once").format(
                        name=name, first=first.filename, second=info.filename
                    )
                    problems.append(PackProblem(location.name, "", "", message))
            if problems:
                archive.close()
                raise PackError(problems)
            self._zip = found
        elif not location.is_dir():
            raise PackError([PackProblem(location.name, "", "", "no such file or folder")])

    def close(self) -> None:
        if self._archive is not None:
            self._archive.close()

    def _take(self, name: str, size: int) -> None:
        """Count ``size`` bytes against what a pack may hold in all."""
        if size > self._left:
            raise PackError([PackProblem(name, "", "", N_("too large to be a knowledge pack"))])
        self._left -= size

    def read(self, name: str) -> bytes | None:
        if self._zip is not None and self._archive is not None:
            info = self._zip.get(name)
            if info is None:
                return None
            self._take(name, info.file_size)
            try:
                return self._archive.read(info)  # never more than the declared size
            except (zipfile.BadZipFile, OSError, NotImplementedError, RuntimeError, EOFError) as exc:
                reason = N_("cannot be read from the archive ({reason})").format(reason=exc)
                raise PackError([PackProblem(name, "", "", reason)]) from None
        path = self.location / name
        if not path.exists() and not path.is_symlink():
            return None
        try:
            real = path.resolve(strict=True)
            if not real.is_relative_to(self.location.resolve(strict=True)):
                message = N_("is a link to a file outside the pack folder; a pack's files are inside it")
                raise PackError([PackProblem(name, "", "", message)])
            status = real.stat()
            if not stat.S_ISREG(status.st_mode):
                raise PackError([PackProblem(name, "", "", N_("not a regular file"))])
            self._take(name, status.st_size)
            with real.open("rb") as handle:
                data = handle.read(status.st_size + 1)
            self._take(name, max(len(data) - status.st_size, 0))  # it grew while being read
            return data
        except (FileNotFoundError, RuntimeError):  # a dangling link, or a loop of links
            raise PackError([PackProblem(name, "", "", N_("is a link that leads nowhere"))]) from None
        except OSError as exc:
            reason = N_("cannot read ({reason})").format(reason=exc.strerror or exc)
            raise PackError([PackProblem(name, "", "", reason)]) from None


class _NotANumber(ValueError):
    def __init__(self, name: str):
        super().__init__(name)
        self.name = name


def _no_constant(name: str) -> Any:
    """NaN and Infinity are no JSON numbers (Python's reader would take them)."""
    raise _NotANumber(name)


def read_documents(location: Path) -> dict[str, Any]:
    """The pack's JSON documents by kind, parsed but not validated; PackError if unreadable."""
    files = _Files(Path(location))
    try:
        return _read_documents(files)
    finally:
        files.close()


def _read_documents(files: _Files) -> dict[str, Any]:
    problems: list[PackProblem] = []
    documents: dict[str, Any] = {}

    def load(name: str) -> Any:
        raw = files.read(name)
        if raw is None:
            problems.append(PackProblem(name, "", "", "file missing from the pack"))
            return None
        try:
            return json.loads(raw.decode("utf-8"), object_pairs_hook=unique_keys, parse_constant=_no_constant)
        except UnicodeDecodeError:
            problems.append(PackProblem(name, "", "", "not UTF-8 text"))
        except json.JSONDecodeError as exc:
            problems.append(PackProblem(name, "", "", f"not valid JSON (line {exc.lineno}: {exc.msg})"))
        except DuplicateKey as exc:
            message = N_("not valid JSON (the key {key} appears twice in one object)").format(
                key=json.dumps(exc.key[:60], ensure_ascii=True)
            )
            problems.append(PackProblem(name, "", "", message))
        except RecursionError:
            problems.append(PackProblem(name, "", "", N_("not valid JSON (nested too deeply)")))
        except _NotANumber as exc:
            message = N_("not valid JSON ({name} is not a JSON number)").format(name=exc.name)
            problems.append(PackProblem(name, "", "", message))
        return None

    meta = load("pack.json")
    if meta is None:
        raise PackError(problems)
    documents["pack"] = meta
    declared = meta.get("files", {}) if isinstance(meta, dict) else {}
    for kind in KINDS:
        name = declared.get(kind, f"{kind}.json") if isinstance(declared, dict) else f"{kind}.json"
        if not isinstance(name, str) or "/" in name or "\\" in name:
            problems.append(PackProblem("pack.json", "", f"files.{kind}", "must be a bare file name"))
            continue
        documents[kind] = load(name)
    if problems:
        raise PackError(problems)
    return documents


# --- validating ------------------------------------------------------------------------------


@cache
def _validators() -> Mapping[str, Any]:
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource

    schemas = {p.stem.removesuffix(".schema"): json.loads(p.read_text("utf-8")) for p in _schema_dir().glob("*.json")}
    registry = Registry().with_resources((s["$id"], Resource.from_contents(s)) for s in schemas.values())
    return {kind: Draft202012Validator(schema, registry=registry) for kind, schema in schemas.items()}


def _file_name(documents: Mapping[str, Any], kind: str) -> str:
    if kind == "pack":
        return "pack.json"
    declared = documents.get("pack", {}).get("files", {})
    return declared.get(kind, f"{kind}.json") if isinstance(declared, dict) else f"{kind}.json"


def _key(record: Any) -> Any:
    """A record's identity: its id, code or name; a rate by its pair, an assumption by country and item."""
    if not isinstance(record, dict):
        return None
    if "base" in record and "quote" in record:
        return f"{record['base']}/{record['quote']}"
    if "country" in record and "item" in record:
        return f"{record['country']}/{record['item']}"
    return record.get("id") or record.get("code") or record.get("name")


def _record_label(document: Any, index: Any) -> str:
    if isinstance(document, list) and isinstance(index, int) and index < len(document):
        record = document[index]
        if isinstance(record, dict):
            key = _key(record)
            if isinstance(key, str):
                return f"#{index + 1} '{key}'"
        return f"#{index + 1}"
    return ""


def _field_path(parts: Iterable[Any]) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _schema_problems(documents: Mapping[str, Any]) -> Iterator[PackProblem]:
    validators = _validators()
    for kind in ("pack", *KINDS):
        document = documents[kind]
        for error in sorted(validators[kind].iter_errors(document), key=lambda e: list(map(str, e.absolute_path))):
            path = list(error.absolute_path)
            if isinstance(document, list) and path:
                record, field = _record_label(document, path[0]), _field_path(path[1:])
            else:
                record, field = "", _field_path(path)
            message = error.message
            if error.validator == "required":
                message = f"required field missing ({message.split(' is ')[0]})"
            elif error.validator == "additionalProperties":
                message = f"unexpected field ({message})"
            elif len(message) > 160:
                message = message[:157] + "..."
            yield PackProblem(_file_name(documents, kind), record, field, message)


def _walk_sources(node: Any, path: list[Any]) -> Iterator[tuple[list[Any], str]]:
    if isinstance(node, dict):
        if isinstance(node.get("source"), str):
            yield [*path, "source"], node["source"]
        for key, value in node.items():
            yield from _walk_sources(value, [*path, key])
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk_sources(value, [*path, index])


def _reference_problems(documents: Mapping[str, Any]) -> Iterator[PackProblem]:
    sources = {s["id"] for s in documents["sources"]}
    therapies = {t["id"] for t in documents["therapies"]}
    indications = {i["code"] for i in documents["indications"]}

    def problem(kind: str, path: list[Any], message: str) -> PackProblem:
        return PackProblem(
            _file_name(documents, kind), _record_label(documents[kind], path[0]), _field_path(path[1:]), message
        )

    for kind in KINDS:
        if kind == "sources":
            continue
        for path, source_id in _walk_sources(documents[kind], []):
            if source_id not in sources:
                yield problem(kind, path, f"unknown source '{source_id}' (not in sources.json)")
    for kind in KINDS:
        seen: set[str] = set()
        for index, record in enumerate(documents[kind]):
            key = _key(record)
            if key in seen:
                yield problem(kind, [index], f"duplicate id '{key}'")
            seen.add(key)
    subtypes = {i["code"]: {s["code"] for s in i.get("subtypes", [])} for i in documents["indications"]}
    classes = {c["id"] for c in documents["drug_classes"]}
    for index, record in enumerate(documents["therapies"]):
        for a_index, approval in enumerate(record["approvals"]):
            if approval["indication"] not in indications:
                path = [index, "approvals", a_index, "indication"]
                yield problem("therapies", path, f"unknown indication '{approval['indication']}'")
                continue
            for s_index, code in enumerate(approval.get("subtypes", [])):
                if code not in subtypes[approval["indication"]]:
                    path = [index, "approvals", a_index, "subtypes", s_index]
                    yield problem("therapies", path, f"unknown subtype '{code}' of {approval['indication']}")
            for p_index, label_path in enumerate(approval.get("paths", [])):
                for key in ("prior_classes_all", "prior_classes_any", "refractory_to_any"):
                    for c_index, class_id in enumerate(label_path.get(key, [])):
                        if class_id not in classes:
                            path = [index, "approvals", a_index, "paths", p_index, key, c_index]
                            yield problem("therapies", path, f"unknown drug class '{class_id}'")
    for index, record in enumerate(documents["criteria"]):
        for t_index, therapy_id in enumerate(record["applies_to"].get("therapies", [])):
            if therapy_id not in therapies:
                path = [index, "applies_to", "therapies", t_index]
                yield problem("criteria", path, f"unknown therapy '{therapy_id}'")
        for i_index, code in enumerate(record["applies_to"]["indications"]):
            if code != "*" and code not in indications:
                yield problem("criteria", [index, "applies_to", "indications", i_index], f"unknown indication '{code}'")
    for index, record in enumerate(documents["destinations"]):
        for p_index, price in enumerate(record["list_prices"]):
            if price.get("therapy") and price["therapy"] not in therapies:
                path = [index, "list_prices", p_index, "therapy"]
                yield problem("destinations", path, f"unknown therapy '{price['therapy']}'")
    destinations = {d["code"] for d in documents["destinations"]}
    for index, record in enumerate(documents["journey"]):
        for p_index, point in enumerate(record["points"]):
            for i_index, code in enumerate(point.get("indications", [])):
                if code != "*" and code not in indications:
                    path = [index, "points", p_index, "indications", i_index]
                    yield problem("journey", path, f"unknown indication '{code}'")
            for d_index, code in enumerate(point.get("destinations", [])):
                if code not in destinations:
                    path = [index, "points", p_index, "destinations", d_index]
                    yield problem("journey", path, f"unknown destination '{code}'")
    for kind, key in (("centres", "country"), ("visas", "destination")):
        for index, record in enumerate(documents[kind]):
            if record[key] not in destinations:
                yield problem(kind, [index, key], f"unknown destination '{record[key]}'")
    for index, record in enumerate(documents["indications"]):
        approved = any(a["indication"] == record["code"] for t in documents["therapies"] for a in t["approvals"])
        if record["status"] == "approved" and not approved:
            yield problem("indications", [index, "status"], "says approved, but no therapy has an approval for it")
        if record["status"] != "approved" and approved:
            yield problem(
                "indications", [index, "status"], f"says {record['status']}, but a therapy is approved for it"
            )


# --- values the app relies on ------------------------------------------------------------------
# The schema says what type each field has; these checks say what screening, the estimate and the plan
# assume of the values: a criterion's value fits its field and operator, amounts and spans are within
# sane bounds with low <= high, rates are more than 0, every currency converts, every date exists.

NUMERIC_FACTS = {
    "age_years": (0, 130),
    "clinical.ecog": (0, 4),
    "clinical.karnofsky_lansky": (0, 100),
    "clinical.relapse_count": (0, 30),
    "clinical.months_to_progression": (0, 600),
    "clinical.prior_lines": (0, 30),
    "clinical.creatinine_clearance_ml_min": (0, 300),
    "clinical.lvef_percent": (0, 100),
    "clinical.alt_x_uln": (0, 100),
    "clinical.bilirubin_x_uln": (0, 100),
    "clinical.spo2_percent": (0, 100),
}
"""Facts compared with numbers, and the values a threshold may have (as the case format bounds them)."""
BOOLEAN_FACTS = frozenset(
    {
        "performance_poor",
        "clinical.transplant_eligible",
        "clinical.cns_involvement",
        "clinical.active_infection",
        "clinical.hiv_hbv_hcv_active",
        "clinical.prior_allo_sct",
        "clinical.pregnant",
    }
)
CODE_FACTS = frozenset({"clinical.subtype", "clinical.disease_status"})
CLASS_FACTS = frozenset({"prior_therapy_classes", "refractory_classes"})
COMPARISONS = frozenset({"<=", ">=", "<", ">", "==", "!="})
MAX_AMOUNT = Decimal("1e9")
"""An amount in a pack (a price, a cost, a package figure) is at most a thousand million."""
RATE_BOUNDS = (Decimal("1e-6"), Decimal("1e6"))
"""1 base is worth between a millionth and a million of the quote."""
MAX_SPAN = {"hospital_stay_weeks": 520, "waiting_months": 240, "days": 3650}
"""The longest span of each kind a pack may give (ten years)."""
COUNT_ITEMS = {
    "evaluation_days": 3650,
    "collection_days": 3650,
    "lymphodepletion_days": 3650,
    "near_centre_days": 3650,
    "contingency_percent": 100,
}
"""Assumptions that are counts (days, a percentage), not money: their currency is "-"."""
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _is_number(value: Any) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _condition_problem(condition: Mapping[str, Any], subtypes: set[str], classes: set[str]) -> tuple[str, str] | None:
    """What is wrong with a criterion's condition for screening, as (the key at fault, message), or None."""
    fact, operator, value = condition["field"], condition["operator"], condition.get("value")
    listed = operator in ("in", "not_in")
    if fact in NUMERIC_FACTS:
        low, high = NUMERIC_FACTS[fact]
        if operator not in COMPARISONS and not listed:
            return "operator", N_("{field} is a number: compare it, or use in or not_in").format(field=fact)
        values = value if listed and isinstance(value, list) and value else [value]
        if listed and not (isinstance(value, list) and value):
            return "value", N_("{operator} needs a list of values").format(operator=operator)
        if not all(_is_number(v) and low <= v <= high for v in values):
            return "value", N_("must be a number from {low} to {high} for {field}").format(
                low=low, high=high, field=fact
            )
        return None
    if fact in BOOLEAN_FACTS:
        if operator in ("is_true", "is_false"):
            return None if value is None else ("value", N_("{operator} takes no value").format(operator=operator))
        if operator in ("==", "!="):
            return None if isinstance(value, bool) else ("value", N_("must be true or false"))
        return "operator", N_("{field} is true or false: use is_true, is_false, == or !=").format(field=fact)
    if fact in CODE_FACTS:
        known = set(DISEASE_STATUSES) if fact == "clinical.disease_status" else subtypes
        if operator in ("==", "!="):
            values = [value]
        elif listed:
            if not (isinstance(value, list) and value):
                return "value", N_("{operator} needs a list of values").format(operator=operator)
            values = value
        else:
            return "operator", N_("{field} is a code: use ==, !=, in or not_in").format(field=fact)
        unknown = [v for v in values if not isinstance(v, str) or v not in known]
        if unknown:
            return "value", N_("unknown code {code} for {field}").format(code=json.dumps(unknown[0]), field=fact)
        return None
    if fact in CLASS_FACTS:
        if operator not in ("includes_all", "includes_any", "excludes_any"):
            return "operator", N_(
                "{field} is a set of drug classes: use includes_all, includes_any or excludes_any"
            ).format(field=fact)
        if not (isinstance(value, list) and value and all(isinstance(v, str) for v in value)):
            return "value", N_("{operator} needs a list of drug class ids").format(operator=operator)
        unknown = [v for v in value if v not in classes]
        return ("value", N_("unknown drug class '{id}'").format(id=unknown[0])) if unknown else None
    return "field", N_("screening does not know the field {field}").format(field=fact)


def _amount_problem(text: str, *, rate: bool = False) -> str | None:
    value = Decimal(text)  # the schema's pattern: digits with an optional decimal point
    if rate:
        low, high = RATE_BOUNDS
        if not low <= value <= high:
            return N_("a rate must be more than 0, from {low} to {high}").format(low=f"{low:f}", high=f"{high:,f}")
        return None
    return N_("must be at most {limit}").format(limit=f"{MAX_AMOUNT:,.0f}") if value > MAX_AMOUNT else None


def _spans(node: Any, path: list[Any]) -> Iterator[tuple[list[Any], Mapping[str, Any]]]:
    """Every {"low", "high"} span in a record, with its path."""
    if isinstance(node, dict):
        if set(node) == {"low", "high"}:
            yield path, node
            return
        for key, value in node.items():
            yield from _spans(value, [*path, key])
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _spans(value, [*path, index])


def _dates(node: Any, path: list[Any]) -> Iterator[tuple[list[Any], str]]:
    """Every day (YYYY-MM-DD) in a record, with its path."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("as_of", "date") and isinstance(value, str) and _DAY.fullmatch(value):
                yield [*path, key], value
            else:
                yield from _dates(value, [*path, key])
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _dates(value, [*path, index])


def _value_problems(documents: Mapping[str, Any]) -> Iterator[PackProblem]:
    def problem(kind: str, path: list[Any], message: str) -> PackProblem:
        if kind == "pack":
            return PackProblem("pack.json", "", _field_path(path), message)
        return PackProblem(
            _file_name(documents, kind), _record_label(documents[kind], path[0]), _field_path(path[1:]), message
        )

    for kind in ("pack", *KINDS):
        for path, day in _dates(documents[kind], []):
            try:
                date.fromisoformat(day)
            except ValueError:
                yield problem(kind, path, N_("no such day: {day}").format(day=day))

    subtypes = {s["code"] for i in documents["indications"] for s in i.get("subtypes", [])}
    classes = {c["id"] for c in documents["drug_classes"]}
    for index, record in enumerate(documents["criteria"]):
        conditions = (
            [("condition", record["condition"])]
            if "condition" in record
            else [(f"any_of[{n}]", c) for n, c in enumerate(record["any_of"])]
        )
        for where, condition in conditions:
            if (fault := _condition_problem(condition, subtypes, classes)) is not None:
                yield problem("criteria", [index, f"{where}.{fault[0]}"], fault[1])

    for index, record in enumerate(documents["therapies"]):
        for a_index, approval in enumerate(record["approvals"]):
            at: list[Any] = [index, "approvals", a_index]
            for key in ("age_min", "age_max"):
                if approval.get(key) is not None and approval[key] > 130:
                    yield problem("therapies", [*at, key], N_("must be at most {limit}").format(limit=130))
            if approval.get("min_prior_lines") is not None and approval["min_prior_lines"] > 30:
                yield problem("therapies", [*at, "min_prior_lines"], N_("must be at most {limit}").format(limit=30))
            low, high = approval.get("age_min"), approval.get("age_max")
            if low is not None and high is not None and low > high:
                yield problem(
                    "therapies",
                    [*at, "age_min"],
                    N_("is more than age_max ({low} > {high})").format(low=low, high=high),
                )

    for kind in ("therapies", "destinations"):
        for path, span in _spans(documents[kind], []):
            limit = MAX_SPAN.get(str(path[-1]), MAX_SPAN["days"])
            if not (_is_number(span["low"]) and _is_number(span["high"])):
                yield problem(kind, path, N_("low and high must be numbers"))
            elif span["low"] > span["high"]:
                yield problem(kind, path, N_("low is more than high ({low} > {high})").format(**span))
            elif span["high"] > limit:
                yield problem(kind, [*path, "high"], N_("must be at most {limit}").format(limit=limit))

    reachable = _reachable(documents["rates"])
    for index, record in enumerate(documents["rates"]):
        if (found := _amount_problem(record["rate"], rate=True)) is not None:
            yield problem("rates", [index, "rate"], found)
        if record["base"] == record["quote"]:
            yield problem("rates", [index, "quote"], N_("must differ from the base currency"))

    def currency_problem(code: str) -> str | None:
        if code not in currency_codes():
            return N_("unknown currency code {code}").format(code=code)
        if code not in reachable:
            return N_("no exchange rate connects {code} to USD (add one to rates.json)").format(code=code)
        return None

    for index, record in enumerate(documents["rates"]):
        for key in ("base", "quote"):
            if record[key] not in currency_codes():
                yield problem("rates", [index, key], N_("unknown currency code {code}").format(code=record[key]))

    for index, record in enumerate(documents["destinations"]):
        overview = record["overview"]
        if (found := _amount_problem(overview["package_cost_usd"])) is not None:
            yield problem("destinations", [index, "overview", "package_cost_usd"], found)
        for group in ("list_prices", "other_costs"):
            for p_index, price in enumerate(record.get(group, [])):
                place: list[Any] = [index, group, p_index]
                for key in ("amount", "amount_high"):
                    if key in price and (found := _amount_problem(price[key])) is not None:
                        yield problem("destinations", [*place, key], found)
                if "amount_high" in price and Decimal(price["amount_high"]) < Decimal(price["amount"]):
                    yield problem(
                        "destinations",
                        [*place, "amount_high"],
                        N_("is less than amount ({high} < {low})").format(
                            high=price["amount_high"], low=price["amount"]
                        ),
                    )
                if (found := currency_problem(price["currency"])) is not None:
                    yield problem("destinations", [*place, "currency"], found)

    for index, record in enumerate(documents["cost_defaults"]):
        for key in ("low", "high"):
            if (found := _amount_problem(record[key])) is not None:
                yield problem("cost_defaults", [index, key], found)
        low, high = Decimal(record["low"]), Decimal(record["high"])
        if low > high:
            yield problem(
                "cost_defaults",
                [index, "low"],
                N_("low is more than high ({low} > {high})").format(low=record["low"], high=record["high"]),
            )
        item, currency = record["item"], record["currency"]
        if item in COUNT_ITEMS:
            if high > COUNT_ITEMS[item]:
                yield problem(
                    "cost_defaults", [index, "high"], N_("must be at most {limit}").format(limit=COUNT_ITEMS[item])
                )
            if currency != "-":
                yield problem("cost_defaults", [index, "currency"], N_('a count, not money: the currency must be "-"'))
        elif currency == "-":
            yield problem("cost_defaults", [index, "currency"], N_("an amount of money needs a currency"))
        elif (found := currency_problem(currency)) is not None:
            yield problem("cost_defaults", [index, "currency"], found)


def _reachable(rates: list[Mapping[str, Any]]) -> frozenset[str]:
    """The currencies the pack's rates connect to US dollars (the currency of every package figure)."""
    links: dict[str, set[str]] = {}
    for record in rates:
        if Decimal(record["rate"]) > 0:
            links.setdefault(record["base"], set()).add(record["quote"])
            links.setdefault(record["quote"], set()).add(record["base"])
    found, frontier = {"USD"}, ["USD"]
    while frontier:
        frontier = [other for code in frontier for other in links.get(code, ()) if other not in found]
        found.update(frontier)
    return frozenset(found)


def validate_documents(documents: Mapping[str, Any]) -> list[PackProblem]:
    """Every problem of a pack's documents: schema first, then references between files and the values
    screening, the estimate and the plan rely on."""
    problems = list(_schema_problems(documents))
    if problems:
        return problems  # references and values are only checked on well-formed records
    return list(_reference_problems(documents)) + list(_value_problems(documents))


def load_pack(location: Path | str | None = None) -> Pack:
    """Read and validate the pack in a folder or .zip (the bundled pack by default)."""
    documents = read_documents(Path(location) if location is not None else bundled_pack_dir())
    problems = validate_documents(documents)
    if problems:
        raise PackError(problems)
    return parse.pack(documents)
