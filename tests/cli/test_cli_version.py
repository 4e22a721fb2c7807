"""`careplan --version`: the version, the build date ("from source" here) and the bundled pack's version."""

from __future__ import annotations

import subprocess
import sys

import pytest

import resources
from cli.main import main, version_line
from planning.knowledge.pack import bundled_version
from resources import app_version


def test_version_from_source(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    out, err = capsys.readouterr()
    assert out == f"careplan {app_version()} (from source, knowledge pack {bundled_version()})\n"
    assert err == ""


def test_version_of_a_bundle_names_its_build_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(resources, "build_date", lambda: "2026-12-03")
    assert version_line() == f"careplan {app_version()} (built 2026-12-03, knowledge pack {bundled_version()})"


def test_version_loads_no_command() -> None:
    """The answer needs no command's module (nor the stores', nor ReportLab's)."""
    code = (
        "import sys\nfrom cli.main import main\ntry:\n    main(['--version'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith(('cli.plans', 'cli.cases', 'reportlab', 'sqlite_utils'))))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "[]"


def test_version_is_in_the_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "--version" in capsys.readouterr().out
