"""Prior therapies typed as free text, matched to the drug classes criteria ask about.

"VRd, daratumumab + pomalidomide, ASCT" -> proteasome inhibitor, IMiD, anti-CD38, stem-cell transplant.
Entries the pack's dictionary does not know are returned, so the coordinator can check them.
"""

from __future__ import annotations

import re
import unicodedata
import weakref
from collections.abc import Iterable
from dataclasses import dataclass

from planning.knowledge.models import Pack

_SPLIT = re.compile(r"\s*(?:[+,;/&]|\band\b|\bwith\b|\bplus\b|\bthen\b|\bfollowed by\b)\s*", re.IGNORECASE)
_WORDS = re.compile(r"[a-z0-9]+")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _compact(text: str) -> str:
    return "".join(_WORDS.findall(_fold(text)))


def _spaced(text: str) -> str:
    return " " + " ".join(_WORDS.findall(_fold(text))) + " "


@dataclass(frozen=True)
class Classified:
    """What a list of prior therapies says about drug classes."""

    classes: frozenset[str]
    recognised: tuple[tuple[str, tuple[str, ...]], ...]
    """Each recognised entry with the classes found in it (possibly none, e.g. FOLFOX)."""
    unrecognised: tuple[str, ...]


class DrugDictionary:
    """The pack's drug classes and regimens, indexed for matching typed names."""

    def __init__(self, pack: Pack):
        self.exact: dict[str, set[str]] = {}
        self.phrases: list[tuple[str, set[str]]] = []
        for drug_class in pack.drug_classes:
            for name in drug_class.names:
                self._add(name, {drug_class.id})
        for regimen in pack.regimens:
            for name in (regimen.name, *regimen.aliases):
                self._add(name, set(regimen.classes))

    def _add(self, name: str, classes: set[str]) -> None:
        self.exact.setdefault(_compact(name), set()).update(classes)
        if len(_compact(name)) >= 3:
            self.phrases.append((_spaced(name), classes))

    def _exact(self, text: str) -> set[str] | None:
        found = self.exact.get(_compact(text))
        return set(found) if found is not None else None

    def _phrase(self, text: str) -> set[str] | None:
        spaced = _spaced(text)
        hits = [classes for phrase, classes in self.phrases if phrase in spaced]
        return set().union(*hits) if hits else None

    def classify(self, entries: Iterable[str]) -> Classified:
        classes: set[str] = set()
        recognised: list[tuple[str, tuple[str, ...]]] = []
        unrecognised: list[str] = []
        for entry in entries:
            if not entry.strip():
                continue
            found = self._exact(entry)  # a name or regimen as a whole: "R-CHOP", "D-VRd"
            if found is None:
                parts = [p.strip() for p in _SPLIT.split(entry) if p.strip()]
                if len(parts) > 1:  # a combination: every part must be known, the unknown ones are listed
                    matched = [(p, self._exact(p) or self._phrase(p)) for p in parts]
                    known = [c for _p, c in matched if c is not None]
                    unrecognised.extend(p for p, c in matched if c is None)
                    found = set().union(*known) if known else None
                    if found is None:
                        continue
                else:
                    found = self._phrase(entry)  # a name inside words: "2 cycles of blinatumomab"
            if found is None:
                unrecognised.append(entry.strip())
            else:
                classes |= found
                recognised.append((entry.strip(), tuple(sorted(found))))
        return Classified(frozenset(classes), tuple(recognised), tuple(unrecognised))


_cache: dict[int, tuple[weakref.ref, DrugDictionary]] = {}


def dictionary(pack: Pack) -> DrugDictionary:
    """The dictionary of ``pack``, built once per pack."""
    cached = _cache.get(id(pack))
    if cached is not None and cached[0]() is pack:
        return cached[1]
    built = DrugDictionary(pack)
    _cache[id(pack)] = (weakref.ref(pack), built)
    return built
