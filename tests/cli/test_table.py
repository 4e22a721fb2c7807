"""What the command line prints is shown safely: one function (cli.table.safe) for every cell and line."""

from __future__ import annotations

import pytest

from cli.table import fit, safe, table, wrapped


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Anna\nCP-2026-00002", "Anna\\nCP-2026-00002"),
        ("red\x1b[31m", "red\\x1b[31m"),
        ("back\rover", "back\\rover"),
        ("bell\x07", "bell\\x07"),
        ("c1\x9b2J", "c1\\x9b2J"),
        ("del\x7f", "del\\x7f"),
        ("abc\u202edcba", "abc\\u202edcba"),
        ("iso\u2066late\u2069", "iso\\u2066late\\u2069"),
        ("line\u2028sep", "line\\u2028sep"),
        ("José 王 Ольга مرحبا", "José 王 Ольга مرحبا"),
    ],
)
def test_safe_shows_control_characters_as_escapes(text: str, shown: str) -> None:
    assert safe(text) == shown
    assert safe(safe(text)) == safe(text)  # shown once: an escape is plain text


def test_every_cell_of_a_table_is_safe_and_rows_stay_rows() -> None:
    lines = table(("NAME", "DETAIL"), [("Eve\nForged", "x\x1b[2J"), ("Bob", "=1+2\r\nrow")], free_last=True)
    assert len(lines) == 3
    assert lines[1].startswith("Eve\\nForged") and lines[1].endswith("x\\x1b[2J")
    assert lines[2].endswith("=1+2\\r\\nrow")
    assert not any(c in "".join(lines) for c in "\x1b\r\n")


def test_fit_and_wrapped_are_safe() -> None:
    assert fit("a\x1b[2Jb") == "a\\x1b[2Jb"
    assert all("\x1b" not in line for line in wrapped("word \x1b[2J " * 30, "", "  ", width=20))
