"""The words a case's phone number and e-mail address add to its search words.

An e-mail address adds its parts ("anna.ivanova@example.com": anna, ivanova, example, com), so a query of
the whole address finds it (every part) and so does one of its parts. A phone number adds its digit
groups and, from each group on, the digits that follow run together, with and without leading zeros:
"+34 600 123 456" adds 34, 600, 123, 456, 34600123456, 600123456 and 123456. Searched as prefixes,
"600 123", "600123", "+34 600" and "34600123456" all find it, however it was written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_DIGITS = re.compile(r"\d+")


def phone_words(phone: str) -> list[str]:
    """The digit runs a phone number is found by (its groups come from the text itself)."""
    groups = _DIGITS.findall(phone)
    runs: list[str] = []
    for start in range(len(groups) - 1):
        joined = "".join(groups[start:])
        runs += [joined, joined.lstrip("0")]
    if groups and groups[0].startswith("0"):
        runs.append(groups[0].lstrip("0"))  # "0034 ..." or a trunk "0" found as "34 ..."
    return [run for run in dict.fromkeys(runs) if run]


def contact_texts(patient: Mapping[str, Any]) -> list[str]:
    """The texts the patient's phone and e-mail add to a case's search words (search_words folds them)."""
    texts: list[str] = []
    for field in ("phone", "email"):
        value = patient.get(field)
        if isinstance(value, str) and value.strip():
            texts.append(value.strip())
    phone = patient.get("phone")
    if isinstance(phone, str):
        texts += phone_words(phone)
    return texts
