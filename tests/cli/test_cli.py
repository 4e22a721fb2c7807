"""`careplan` as a user runs it: real processes, exit codes, one clear line per problem."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import bump_version, edit_json, zip_pack


def careplan(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "CAREPLAN_DATA_DIR": str(data_dir)}
    return subprocess.run([sys.executable, "-m", "cli", *args], capture_output=True, text=True, env=env, timeout=60)


def test_pack_info_json(data_dir: Path) -> None:
    result = careplan(data_dir, "pack", "info", "--json")
    assert result.returncode == 0, result.stderr
    info = json.loads(result.stdout)
    assert info["origin"] == "bundled"
    assert info["counts"]["therapies"] == 12
    assert info["counts"]["destinations"] == 4
    assert info["data_dir"] == str(data_dir)


def test_cli_never_imports_qt(data_dir: Path) -> None:
    code = "import sys, cli.main as c; c.main(['search','tisa']); print('PySide6' in sys.modules)"
    env = {**os.environ, "CAREPLAN_DATA_DIR": str(data_dir)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert result.stdout.strip().endswith("False"), result.stdout + result.stderr


def test_search_json(data_dir: Path) -> None:
    result = careplan(data_dir, "search", "kymriah", "--json")
    assert result.returncode == 0
    assert json.loads(result.stdout)[0]["ref"] == "tisagenlecleucel"


def test_broken_pack_import_exits_2_with_one_line_per_problem(data_dir: Path, pack_copy: Path, tmp_path: Path) -> None:
    bump_version(pack_copy, "2099.1.0")

    def break_two(document: list) -> None:
        document[0].pop("maker")
        document[2]["approvals"][0]["region"] = "XX"

    edit_json(pack_copy / "therapies.json", break_two)
    result = careplan(data_dir, "pack", "import", str(zip_pack(pack_copy, tmp_path / "p.zip")))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2
    assert all(line.startswith("error: therapies.json: record #") for line in lines)
    assert "Traceback" not in result.stderr
    info = json.loads(careplan(data_dir, "pack", "info", "--json").stdout)
    assert info["origin"] == "bundled"  # nothing changed


def test_newer_pack_import_then_older_refused(data_dir: Path, pack_copy: Path, tmp_path: Path) -> None:
    bump_version(pack_copy, "2099.1.0")
    ok = careplan(data_dir, "pack", "import", str(zip_pack(pack_copy, tmp_path / "new.zip")))
    assert ok.returncode == 0, ok.stderr
    assert "2099.1.0" in ok.stdout
    bump_version(pack_copy, "2098.1.0")
    old = careplan(data_dir, "pack", "import", str(pack_copy))
    assert old.returncode == 2
    assert old.stderr.strip() == (
        "error: pack.json: version: 2098.1.0 is not newer than the installed pack 2099.1.0; nothing changed"
    )


def test_missing_file(data_dir: Path, tmp_path: Path) -> None:
    result = careplan(data_dir, "pack", "import", str(tmp_path / "nope.zip"))
    assert result.returncode == 2
    assert result.stderr.strip() == "error: nope.zip: no such file or folder"


def test_unknown_command_is_a_usage_error(data_dir: Path) -> None:
    result = careplan(data_dir, "frobnicate")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


# --- options checked where they are read: one line, exit status 2 -----------------------------------


def one_line(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    (line,) = result.stderr.strip().splitlines()
    return line


def test_search_limit_is_a_whole_number_from_1_to_200(data_dir: Path) -> None:
    for bad in ("0", "201", "-1", "abc", "1e3", "2_0", "99999999999999999999"):
        line = one_line(careplan(data_dir, "search", "tisa", "--limit", bad))
        assert line == ("error: argument --limit: must be a whole number from 1 to 200 (see careplan search --help)"), (
            bad
        )
    ok = careplan(data_dir, "search", "lymphoma", "--limit", "1", "--json")
    assert ok.returncode == 0 and len(json.loads(ok.stdout)) == 1
    assert careplan(data_dir, "search", "lymphoma", "--limit", "200").returncode == 0


def test_a_search_query_too_long_is_one_line(data_dir: Path) -> None:
    line = one_line(careplan(data_dir, "search", " ".join(["lymphoma"] * 3_000)))
    assert line == "error: query: query too long (at most 16 words and 200 characters)"
    line = one_line(careplan(data_dir, "search", " ".join(["淋"] * 1_200), "--locale", "zh_CN"))
    assert "query too long" in line and "sqlite" not in line.lower()


def test_audit_csv_target_is_checked_before_anything_is_opened(data_dir: Path, tmp_path: Path) -> None:
    line = one_line(careplan(data_dir, "audit", "--csv", str(tmp_path)))
    assert line == f"error: argument --csv: {tmp_path} is a folder; name the file to write (see careplan audit --help)"
    missing = tmp_path / "missing" / "audit.csv"
    line = one_line(careplan(data_dir, "audit", "--csv", str(missing)))
    assert line == f"error: argument --csv: no such folder {missing.parent} (see careplan audit --help)"
    assert not missing.parent.exists()


def test_usage_errors_are_one_line(data_dir: Path) -> None:
    line = one_line(careplan(data_dir, "frobnicate"))
    assert line.startswith("error: argument COMMAND: invalid choice: 'frobnicate'") and "(see careplan --help)" in line
    line = one_line(careplan(data_dir, "search", "x", "--bogus\x1b[2J"))
    assert "\x1b" not in line and "--bogus\\x1b[2J" in line


def test_a_pack_zip_with_a_name_twice_is_refused(data_dir: Path, pack_copy: Path, tmp_path: Path) -> None:
    bump_version(pack_copy, "2099.1.0")
    archive = zip_pack(pack_copy, tmp_path / "p.zip", folder="a")
    with zipfile.ZipFile(archive, "a") as extra:
        extra.writestr("b/rates.json", "[]")
    line = one_line(careplan(data_dir, "pack", "import", str(archive)))
    assert line == "error: p.zip: holds rates.json twice (a/rates.json and b/rates.json); a pack has each file once"
    info = json.loads(careplan(data_dir, "pack", "info", "--json").stdout)
    assert info["origin"] == "bundled"  # nothing changed
