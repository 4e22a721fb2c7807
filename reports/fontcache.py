"""ReportLab's parsed TrueType faces, kept per user so a cold start does not parse 4 MB of Chinese font.

Parsing a font with ReportLab's ``TTFont`` costs about 0.1 s for the 4 MB CJK face, on every start of
the program. What it parses is kept in the user's cache folder (``CAREPLAN_CACHE_DIR`` overrides it),
under a name made of the font file's SHA-256, the ReportLab version and this module's format, and read
back on the next start. The cache is only ever a shortcut: a missing, truncated, damaged or foreign
file, or a folder that cannot be written, means the font is parsed as usual, and nothing is ever
written beside the code. It is read with an unpickler that builds plain data and ReportLab's font-name
strings only (no other class, so no code runs), and the font drawn from it writes the same PDF bytes
as a freshly parsed one (tests/reports/test_typesetting.py).

Of a face's big tables only the character widths are rebuilt as a dict (ReportLab's C width function
needs one); the character-to-glyph map is read by bisection from two arrays (ReportLab looks each
character up once per document), the glyph-to-characters map (used only by HarfBuzz shaping) is
unpickled if ever asked for, and the metrics and glyph offsets stay in arrays.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import tempfile
from array import array
from bisect import bisect_left
from collections.abc import Iterator, Mapping, MutableMapping, Sequence
from pathlib import Path
from typing import Any, overload
from weakref import WeakKeyDictionary

from reportlab import Version as REPORTLAB_VERSION
from reportlab.pdfbase.ttfonts import TTFont, TTFontFace

APP_NAME = "CarePlanDesk"  # as db.paths names the data folder (reports does not import db)
ENV_CACHE_DIR = "CAREPLAN_CACHE_DIR"
CACHE_FORMAT = 3
"""Bumped whenever what is cached changes shape."""
_ARRAYS = {"advances": "d", "bearings": "i", "glyphPos": "I", "codes": "I", "glyphs": "I"}
"""Typecodes of the arrays kept as bytes (TrueType offsets, bearings, code points and glyph ids fit 32 bits)."""
_BIG = ("_ttf_data", "_pdfScale", "filename", "hmetrics", "glyphPos", "charToGlyph", "glyphToChar")
"""Face attributes not pickled as they are: the file itself, a lambda, the path, the big tables."""


def cache_dir() -> Path:
    """Where parsed faces are kept: ``CAREPLAN_CACHE_DIR``/fonts, else the user's cache folder."""
    override = os.environ.get(ENV_CACHE_DIR)
    if override:
        return Path(override).expanduser() / "fonts"
    from platformdirs import user_cache_path

    return user_cache_path(APP_NAME, appauthor=False) / "fonts"


class _PlainUnpickler(pickle.Unpickler):
    """Builds lists, dicts, numbers, strings and ReportLab's font-name bytes; refuses any other class."""

    ALLOWED = frozenset({("reportlab.pdfbase.ttfonts", "TTFNameBytes"), ("reportlab.pdfbase.ttfonts", "TTEncoding")})

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in self.ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not font data")


def _plain(data: bytes) -> Any:
    return _PlainUnpickler(io.BytesIO(data)).load()


class _Metrics(Sequence[tuple[float, int]]):
    """A face's ``hmetrics``, (advance, left side bearing) per glyph, in two arrays. ReportLab keeps the
    first ``whole`` advances in font units (int) and repeats the last one scaled (float) after them."""

    def __init__(self, advances: array, bearings: array, whole: int):
        self._advances, self._bearings, self._whole = advances, bearings, whole

    def __len__(self) -> int:
        return len(self._advances)

    @overload
    def __getitem__(self, index: int) -> tuple[float, int]: ...
    @overload
    def __getitem__(self, index: slice) -> list[tuple[float, int]]: ...
    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        advance = self._advances[index]
        return (int(advance) if index < self._whole else advance), self._bearings[index]


class _CodeToGlyph(Mapping[int, int]):
    """A face's ``charToGlyph`` as sorted code points and their glyphs, read by bisection. Entries
    ReportLab adds later (private-use glyphs of HarfBuzz shaping) are kept beside them."""

    def __init__(self, codes: array, glyphs: array):
        self._codes, self._glyphs, self._added = codes, glyphs, dict[int, int]()

    def __getitem__(self, code: int) -> int:
        if code in self._added:
            return self._added[code]
        index = bisect_left(self._codes, code)
        if index < len(self._codes) and self._codes[index] == code:
            return self._glyphs[index]
        raise KeyError(code)

    def __setitem__(self, code: int, glyph: int) -> None:
        self._added[code] = glyph

    def __iter__(self) -> Iterator[int]:
        yield from self._codes
        yield from (code for code in self._added if code not in self)

    def __len__(self) -> int:
        return len(self._codes) + sum(1 for code in self._added if code not in self)

    def __contains__(self, code: object) -> bool:
        if not isinstance(code, int):
            return False
        if code in self._added:
            return True
        index = bisect_left(self._codes, code)
        return index < len(self._codes) and self._codes[index] == code


class _Deferred(MutableMapping[Any, Any]):
    """A pickled dict unpickled the first time it is used."""

    def __init__(self, payload: bytes):
        self._payload: bytes | None = payload
        self._data: dict[Any, Any] = {}

    def _dict(self) -> dict[Any, Any]:
        if self._payload is not None:
            self._data, self._payload = _plain(self._payload), None
        return self._data

    def __getitem__(self, key: Any) -> Any:
        return self._dict()[key]

    def __setitem__(self, key: Any, value: Any) -> None:
        self._dict()[key] = value

    def __delitem__(self, key: Any) -> None:
        del self._dict()[key]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._dict())

    def __len__(self) -> int:
        return len(self._dict())


def _key(data: bytes) -> str:
    digest = hashlib.sha256(data)
    digest.update(f"\0reportlab {REPORTLAB_VERSION}\0format {CACHE_FORMAT}".encode())
    return digest.hexdigest()[:32]


def _scale(units_per_em: int):
    """ReportLab's font-unit to text-space scale (TTFontFile.extractInfo): a lambda, never pickled."""
    if units_per_em == 1000:
        return lambda x: x
    factor = 1000 / units_per_em
    return lambda x: x * factor


def _array(code: str, data: bytes) -> array:
    values = array(code)
    values.frombytes(data)
    return values


def _cache_file(file: Path, data: bytes) -> Path:
    return cache_dir() / f"{file.stem}-{_key(data)}.pickle"


def _from_cache(file: Path, data: bytes, name: str) -> TTFont | None:
    try:
        stored = _plain(_cache_file(file, data).read_bytes())
        format_, version, face_state, font_state, packed = stored
        if (format_, version) != (CACHE_FORMAT, REPORTLAB_VERSION):
            return None
        arrays = {key: _array(code, packed[key]) for key, code in _ARRAYS.items()}
        glyphs = face_state["numGlyphs"]
        if not (len(arrays["advances"]) == len(arrays["bearings"]) == glyphs == len(arrays["glyphPos"]) - 1):
            return None
        if len(arrays["codes"]) != len(arrays["glyphs"]) or not isinstance(face_state.get("charWidths"), dict):
            return None
        face = TTFontFace.__new__(TTFontFace)
        face.__dict__.update(face_state)
        face.__dict__.update(
            _ttf_data=data,
            filename=str(file),
            _pdfScale=_scale(face_state["unitsPerEm"]),
            hmetrics=_Metrics(arrays["advances"], arrays["bearings"], packed["whole"]),
            glyphPos=arrays["glyphPos"],
            charToGlyph=_CodeToGlyph(arrays["codes"], arrays["glyphs"]),
            glyphToChar=_Deferred(packed["glyphToChar"]),
        )
        font = TTFont.__new__(TTFont)
        font.__dict__.update(font_state)
        font.__dict__.update(fontName=name, face=face, state=WeakKeyDictionary())
        return font
    except Exception:  # missing, unreadable, damaged or foreign: the font is parsed instead
        return None


def _pack(face: TTFontFace) -> dict[str, Any] | None:
    """The big tables as bytes; None when the face is not laid out as this module expects."""
    advances = [advance for advance, _bearing in face.hmetrics]
    whole = next((n for n, advance in enumerate(advances) if not isinstance(advance, int)), len(advances))
    if not all(isinstance(advance, float) for advance in advances[whole:]):
        return None
    codes = sorted(face.charToGlyph)
    return {
        "whole": whole,
        "advances": array("d", advances).tobytes(),
        "bearings": array("i", [bearing for _advance, bearing in face.hmetrics]).tobytes(),
        "glyphPos": array("I", face.glyphPos).tobytes(),
        "codes": array("I", codes).tobytes(),
        "glyphs": array("I", [face.charToGlyph[code] for code in codes]).tobytes(),
        "glyphToChar": pickle.dumps(vars(face)["glyphToChar"], protocol=5),  # not in the type stubs
    }


def _to_cache(file: Path, data: bytes, font: TTFont) -> None:
    target = _cache_file(file, data)
    try:
        packed = _pack(font.face)
        if packed is None:
            return
        face_state = {k: v for k, v in vars(font.face).items() if k not in _BIG}
        font_state = {k: v for k, v in vars(font).items() if k not in ("face", "state", "fontName")}
        payload = pickle.dumps((CACHE_FORMAT, REPORTLAB_VERSION, face_state, font_state, packed), protocol=5)
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        descriptor, temporary = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=target.parent)
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(payload)
            os.replace(temporary, target)  # whole or not at all, also when two processes write it
        except BaseException:
            os.unlink(temporary)
            raise
        for stale in target.parent.glob(f"{file.stem}-*.pickle"):  # this font, an older file or ReportLab
            if stale != target:
                stale.unlink(missing_ok=True)
    except Exception:  # no cache this time (read-only or full disk...): the next start parses again
        return


def load_font(name: str, file: Path) -> TTFont:
    """The TrueType font in ``file``, registered under ``name``: from the cache when it holds this file
    for this ReportLab, else parsed (and cached for the next start)."""
    data = file.read_bytes()
    font = _from_cache(file, data, name)
    if font is None:
        font = TTFont(name, str(file))
        _to_cache(file, data, font)
    return font
