"""Key derivation and the SQLCipher key: deterministic per salt, NFC-normalised, never printed."""

from __future__ import annotations

import sqlite3
import unicodedata
from pathlib import Path

import pytest

from db.connection import connect
from db.crypto import (
    KEY_BYTES,
    MIN_PASSPHRASE,
    SALT_BYTES,
    Key,
    WrongPassphrase,
    derive,
    is_encrypted,
    key_for,
    new_key,
    passphrase_problem,
)

SALT = bytes(range(SALT_BYTES))


def test_derive_is_deterministic_for_one_salt_and_differs_across_salts() -> None:
    first, again = derive("correct horse battery", SALT), derive("correct horse battery", SALT)
    assert first.raw == again.raw and first == again
    assert len(first.raw) == KEY_BYTES and first.salt == SALT
    assert derive("correct horse battery", bytes(SALT_BYTES)).raw != first.raw
    assert derive("correct horse batterY", SALT).raw != first.raw


def test_new_key_uses_a_fresh_salt() -> None:
    one, two = new_key("same passphrase"), new_key("same passphrase")
    assert len(one.salt) == SALT_BYTES
    assert one.salt != two.salt and one.raw != two.raw


def test_the_same_passphrase_typed_composed_or_decomposed_gives_the_same_key() -> None:
    composed = unicodedata.normalize("NFC", "Zoë Ångström çalış")
    decomposed = unicodedata.normalize("NFD", composed)
    assert composed != decomposed
    assert derive(composed, SALT).raw == derive(decomposed, SALT).raw
    assert derive(decomposed, SALT).matches(composed)


def test_key_repr_and_str_hide_the_bytes() -> None:
    key = derive("a secret phrase", SALT)
    for shown in (repr(key), str(key), f"{key}", repr([key]), repr({"k": key})):
        assert key.raw.hex() not in shown
        assert key.raw.hex()[:8] not in shown
        assert "hidden" in shown


def test_matches_only_the_right_passphrase() -> None:
    key = derive("a secret phrase", SALT)
    assert key.matches("a secret phrase")
    assert not key.matches("a secret phrase ")
    assert not key.matches("")


def test_pragma_hands_sqlcipher_the_raw_key_and_our_salt(tmp_path: Path) -> None:
    key = new_key("a secret phrase")
    assert key.pragma() == f"\"x'{key.raw.hex()}{key.salt.hex()}'\""
    path = tmp_path / "store.sqlite"
    db = connect(path, key=key)
    db.execute("CREATE TABLE t (x)")
    db.conn.commit()
    db.conn.close()
    assert path.read_bytes()[:SALT_BYTES] == key.salt  # the salt is the file's header
    assert is_encrypted(path)
    assert key_for(path, "a secret phrase") == key
    with pytest.raises(sqlite3.DatabaseError, match="file is not a database"):
        sqlite3.connect(path).execute("SELECT * FROM sqlite_master").fetchall()


def test_a_wrong_key_raises_wrong_passphrase(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite"
    key = new_key("a secret phrase")
    connect(path, key=key).conn.close()
    connect(path, key=key).execute("CREATE TABLE t (x)")
    with pytest.raises(WrongPassphrase):
        connect(path, key=key_for(path, "another phrase"))


def test_is_encrypted_and_key_for_on_plain_missing_and_empty_files(tmp_path: Path) -> None:
    plain = tmp_path / "plain.sqlite"
    sqlite3.connect(plain).execute("CREATE TABLE t (x)").connection.commit()
    empty = tmp_path / "empty.sqlite"
    empty.touch()
    assert not is_encrypted(plain)
    assert not is_encrypted(empty)
    assert not is_encrypted(tmp_path / "missing.sqlite")
    with pytest.raises(WrongPassphrase):
        key_for(empty, "a secret phrase")


def test_passphrase_problems_name_the_field() -> None:
    assert passphrase_problem("x" * MIN_PASSPHRASE) is None
    assert passphrase_problem("x" * MIN_PASSPHRASE, "x" * MIN_PASSPHRASE) is None
    short = passphrase_problem("x" * (MIN_PASSPHRASE - 1))
    assert short is not None and short.startswith("passphrase:") and str(MIN_PASSPHRASE) in short
    differ = passphrase_problem("long enough one", "long enough two")
    assert differ is not None and differ.startswith("passphrase:")


def test_key_is_a_value() -> None:
    key = Key(b"\x01" * KEY_BYTES, SALT)
    assert key == Key(b"\x01" * KEY_BYTES, SALT)
    with pytest.raises(AttributeError):
        key.raw = b""  # type: ignore[misc]
