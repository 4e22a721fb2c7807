"""Encryption at rest for patient data: a key derived from the coordinator's passphrase, SQLCipher.

The key is derived once with scrypt (memory-hard, about 0.1 s) from the passphrase and a random salt.
SQLCipher keeps that salt in the first 16 bytes of the file, so nothing beside the database is needed
to open it again. The derived key is handed to SQLCipher in its raw form, which skips SQLCipher's own
key derivation: every further connection (a worker, a backup) opens in microseconds.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path

SALT_BYTES = 16
KEY_BYTES = 32
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
PLAIN_HEADER = b"SQLite format 3\x00"
MIN_PASSPHRASE = 8
"""The shortest passphrase accepted when one is set or changed."""


class WrongPassphrase(Exception):
    """The passphrase does not open the encrypted store (nothing was changed)."""


@dataclass(frozen=True, repr=False)
class Key:
    """A derived database key and the salt it was derived with; never printed."""

    raw: bytes
    salt: bytes

    def pragma(self) -> str:
        """The value for ``PRAGMA key``/``rekey``: raw key plus salt, so SQLCipher writes our salt."""
        return f"\"x'{self.raw.hex()}{self.salt.hex()}'\""

    def matches(self, passphrase: str) -> bool:
        """Whether ``passphrase`` derives this key (compared in constant time)."""
        return hmac.compare_digest(derive(passphrase, self.salt).raw, self.raw)

    def __repr__(self) -> str:
        return "Key(<hidden>)"


def normalise(passphrase: str) -> bytes:
    """The same passphrase typed on any keyboard gives the same bytes (Unicode NFC, UTF-8)."""
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def derive(passphrase: str, salt: bytes) -> Key:
    """The key for ``passphrase`` with ``salt`` (scrypt, N=2^15, r=8, p=1)."""
    raw = hashlib.scrypt(
        normalise(passphrase), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, maxmem=64 * 1024 * 1024, dklen=KEY_BYTES
    )
    return Key(raw, salt)


def new_key(passphrase: str) -> Key:
    """A key for a new store: a fresh random salt."""
    return derive(passphrase, os.urandom(SALT_BYTES))


def passphrase_fault(passphrase: str, repeated: str | None = None) -> str | None:
    """The rule for a new passphrase: ``too_short`` (under MIN_PASSPHRASE), ``differ`` (the repeated
    entry is not the same), or None. Each face words it in its own language."""
    if len(passphrase) < MIN_PASSPHRASE:
        return "too_short"
    if repeated is not None and repeated != passphrase:
        return "differ"
    return None


def passphrase_problem(passphrase: str, repeated: str | None = None) -> str | None:
    """What is wrong with a new passphrase, in English (the command line's wording), or None."""
    fault = passphrase_fault(passphrase, repeated)
    if fault == "too_short":
        return f"passphrase: must be at least {MIN_PASSPHRASE} characters"
    if fault == "differ":
        return "passphrase: the two entries differ"
    return None


def header(path: Path) -> bytes:
    """The first 16 bytes of ``path`` (empty if it is missing or empty)."""
    try:
        with open(path, "rb") as file:
            return file.read(16)
    except FileNotFoundError:
        return b""


def is_encrypted(path: Path) -> bool:
    """Whether ``path`` holds an encrypted store (it exists and is not a plain SQLite file)."""
    start = header(path)
    return bool(start) and start != PLAIN_HEADER


PAGE_SIZE, HMAC_BYTES = 4096, 64
"""SQLCipher 4's page size and its per-page HMAC-SHA512, at the end of each page's reserved bytes."""


def _page_authentic(page: bytes, number: int, mac_key: bytes) -> bool:
    """Whether SQLCipher's HMAC of page ``number`` (1-based) holds for ``mac_key``: over the encrypted
    bytes and the IV (page 1 without its salt), then the page number (little-endian)."""
    body = page[16 if number == 1 else 0 : PAGE_SIZE - HMAC_BYTES]
    mac = hmac.new(mac_key, body + number.to_bytes(4, "little"), hashlib.sha512).digest()
    return hmac.compare_digest(mac, page[PAGE_SIZE - HMAC_BYTES : PAGE_SIZE])


def first_page_damaged(path: Path, key: Key, pages: int = 64) -> bool:
    """Whether ``key`` is the store's own key while its first page is damaged: page 1 of the file fails
    SQLCipher's HMAC with it, and one of the next ``pages`` pages passes. A key that is not the store's
    passes none (a passphrase changed since, or another one), and then this is False.

    Read from the file itself (not its -wal); the HMAC key is SQLCipher's, derived from the raw key
    with the salt masked by 0x3a in 2 rounds of PBKDF2-HMAC-SHA512."""
    mac_key = hashlib.pbkdf2_hmac("sha512", key.raw, bytes(b ^ 0x3A for b in key.salt), 2, 32)
    try:
        with open(path, "rb") as file:
            first = file.read(PAGE_SIZE)
            if len(first) < PAGE_SIZE or _page_authentic(first, 1, mac_key):
                return False
            for number in range(2, pages + 2):
                page = file.read(PAGE_SIZE)
                if len(page) < PAGE_SIZE:
                    return False
                if _page_authentic(page, number, mac_key):
                    return True
    except OSError:
        return False
    return False


def key_for(path: Path, passphrase: str) -> Key:
    """The key ``passphrase`` gives for the existing encrypted store at ``path`` (its salt is its header)."""
    salt = header(path)
    if len(salt) != SALT_BYTES:
        raise WrongPassphrase(f"{path.name}: not an encrypted store")
    return derive(passphrase, salt)
