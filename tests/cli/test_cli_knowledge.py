"""`careplan` on a damaged knowledge store: the store is rebuilt from the bundled pack, the command runs,
and stderr says what happened (the store holds no patient data)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from services.stores import knowledge_db_path
from tests.cli.test_cli import careplan


def test_pack_info_on_a_damaged_knowledge_store_rebuilds_it(data_dir: Path) -> None:
    assert careplan(data_dir, "pack", "info").returncode == 0
    path = knowledge_db_path(data_dir)
    path.write_bytes(os.urandom(path.stat().st_size))
    result = careplan(data_dir, "pack", "info", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["origin"] == "bundled"
    assert result.stderr.startswith("warning: The knowledge store was damaged and has been rebuilt")
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert [p.name for p in data_dir.iterdir() if p.name.startswith("knowledge.sqlite.damaged-")]
    again = careplan(data_dir, "pack", "info")
    assert again.returncode == 0 and again.stderr == ""


def test_a_truncated_knowledge_store_keeps_search_working(data_dir: Path) -> None:
    assert careplan(data_dir, "pack", "info").returncode == 0
    path = knowledge_db_path(data_dir)
    os.truncate(path, path.stat().st_size // 2)
    result = careplan(data_dir, "search", "kymriah", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0]["ref"] == "tisagenlecleucel"
    assert "rebuilt" in result.stderr
