"""The set-up says plainly that there is no display (scripts/bootstrap.sh display_check), instead of Qt's
misleading "xcb-cursor0 is needed", and exits non-zero; a display, or a platform that needs none, passes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BOOTSTRAP = Path(__file__).resolve().parent.parent / "scripts" / "bootstrap.sh"
MESSAGE = "No display found: CarePlan Desk needs a desktop session (or set QT_QPA_PLATFORM=offscreen for tests)."

pytestmark = pytest.mark.skipif(
    shutil.which("bash") is None or not sys.platform.startswith("linux"), reason="the set-up is a Linux bash script"
)


def display_check(**env: str) -> subprocess.CompletedProcess[str]:
    """display_check run as run-app.sh runs it (set -euo pipefail, the script sourced), with only ``env``'s
    display variables."""
    clean = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    clean["PYTHON"] = sys.executable  # no search for an interpreter: not what is tested
    script = f'set -euo pipefail; source "{BOOTSTRAP}"; display_check; echo "display: fine"'
    return subprocess.run(["bash", "-c", script], env={**clean, **env}, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(
    "env",
    [{}, {"QT_QPA_PLATFORM": "xcb"}, {"QT_QPA_PLATFORM": "wayland", "DISPLAY": ":0"}, {"DISPLAY": ""}],
    ids=["nothing", "xcb-without-DISPLAY", "wayland-without-WAYLAND_DISPLAY", "empty-DISPLAY"],
)
def test_no_display_is_said_plainly_and_stops(env: dict[str, str]) -> None:
    result = display_check(**env)
    assert result.returncode != 0
    assert MESSAGE in result.stderr
    assert "display: fine" not in result.stdout
    assert "xcb" not in result.stderr.replace("QT_QPA_PLATFORM", "")


@pytest.mark.parametrize(
    "env",
    [
        {"DISPLAY": ":0"},
        {"WAYLAND_DISPLAY": "wayland-0"},
        {"QT_QPA_PLATFORM": "offscreen"},
        {"QT_QPA_PLATFORM": "xcb", "DISPLAY": ":1"},
    ],
    ids=["x11", "wayland", "offscreen", "xcb-with-DISPLAY"],
)
def test_a_display_or_a_platform_that_needs_none_passes(env: dict[str, str]) -> None:
    result = display_check(**env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "display: fine"


def test_the_app_itself_says_no_display_found() -> None:
    """The installed app and the bundle start without run-app.sh: the app says it plainly too."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    done = subprocess.run(
        [sys.executable, "-c", "import sys; from desktop.app import main; sys.exit(main([]))"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert "No display found" in done.stderr and "xcb" not in done.stderr
