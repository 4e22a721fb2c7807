"""Writing files safely: to a temporary file beside the target, then renamed into place; reading JSON
without losing a value to a repeated key.

A failure (full disk, no permission) leaves the target as it was and no temporary file behind.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any


def write_atomic(target: Path, data: bytes) -> None:
    target = Path(target)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def safe_file_name(*parts: str, suffix: str = ".pdf", fallback: str = "plan") -> str:
    """A file name every system accepts: letters, digits, '-' and '_' only, no path, at most 100 characters."""
    text = "_".join(p for p in parts if p)
    text = re.sub(r"[^\w-]+", "_", text, flags=re.UNICODE).strip("._-")
    return (text[:100] or fallback) + suffix


class DuplicateKey(ValueError):
    """A JSON object that names one key twice (a reader keeps only the last: a value would vanish unseen)."""

    def __init__(self, key: str):
        self.key = key
        super().__init__(f"the key {json.dumps(key[:60], ensure_ascii=True)} appears twice in one object")


def unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """``object_pairs_hook`` for :func:`json.loads`: an object as a dict, or DuplicateKey."""
    document: dict[str, Any] = {}
    for key, value in pairs:
        if key in document:
            raise DuplicateKey(key)
        document[key] = value
    return document
