"""Read and validate a knowledge pack, whole, before anything uses it.

A pack is a folder (or a .zip of one, as brought on a USB stick) with ``pack.json`` and one JSON file
per entity kind. It is checked against the app's own JSON Schemas and for references between files
(every source id exists, every therapy and indication named exists). Every problem is reported at
once, naming the file, the record and the field.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import Any

from planning.knowledge import parse
from planning.knowledge.models import Pack

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
    return Path(str(resources.files("resources") / "knowledge"))


def _schema_dir() -> Path:
    return bundled_pack_dir() / "schema"


# --- reading ---------------------------------------------------------------------------------


class _Files:
    """Read access to the files of a pack in a folder or a zip, by bare file name."""

    def __init__(self, location: Path):
        self.location = location
        self._zip: dict[str, zipfile.ZipInfo] | None = None
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
                raise PackError([PackProblem(location.name, "", "", "too large to be a knowledge pack")])
            # Files may sit at the root of the zip or inside one folder; only bare names count.
            self._zip = {PurePosixPath(i.filename).name: i for i in infos}
        elif not location.is_dir():
            raise PackError([PackProblem(location.name, "", "", "no such file or folder")])

    def read(self, name: str) -> bytes | None:
        if self._zip is not None:
            info = self._zip.get(name)
            return self._archive.read(info) if info else None
        path = self.location / name
        return path.read_bytes() if path.is_file() else None


def read_documents(location: Path) -> dict[str, Any]:
    """The pack's JSON documents by kind, parsed but not validated; PackError if unreadable."""
    files = _Files(Path(location))
    problems: list[PackProblem] = []
    documents: dict[str, Any] = {}

    def load(name: str) -> Any:
        raw = files.read(name)
        if raw is None:
            problems.append(PackProblem(name, "", "", "file missing from the pack"))
            return None
        try:
            return json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            problems.append(PackProblem(name, "", "", "not UTF-8 text"))
        except json.JSONDecodeError as exc:
            problems.append(PackProblem(name, "", "", f"not valid JSON (line {exc.lineno}: {exc.msg})"))
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
    for index, record in enumerate(documents["indications"]):
        approved = any(a["indication"] == record["code"] for t in documents["therapies"] for a in t["approvals"])
        if record["status"] == "approved" and not approved:
            yield problem("indications", [index, "status"], "says approved, but no therapy has an approval for it")
        if record["status"] != "approved" and approved:
            yield problem(
                "indications", [index, "status"], f"says {record['status']}, but a therapy is approved for it"
            )


def validate_documents(documents: Mapping[str, Any]) -> list[PackProblem]:
    """Every problem of a pack's documents: schema first, then references between files."""
    problems = list(_schema_problems(documents))
    if problems:
        return problems  # references are only checked on well-formed records
    return list(_reference_problems(documents))


def load_pack(location: Path | str | None = None) -> Pack:
    """Read and validate the pack in a folder or .zip (the bundled pack by default)."""
    documents = read_documents(Path(location) if location is not None else bundled_pack_dir())
    problems = validate_documents(documents)
    if problems:
        raise PackError(problems)
    return parse.pack(documents)
