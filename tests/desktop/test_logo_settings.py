"""Settings refuses a logo the plan could not use (too large in bytes or pixels, not a regular file),
says why, and a plan made meanwhile is made without it."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from desktop.settings.preferences import preferences_of
from desktop.shell.main_window import MainWindow
from tests.desktop.conftest import make_window
from tests.reports.test_logo import declared_png


def enter_logo(window: MainWindow, path: str) -> str:
    page = window.settings_page
    page.org_logo.setText(path)
    page.org_logo.editingFinished.emit()
    return page.org_logo_error.text() if not page.org_logo_error.isHidden() else ""


def test_a_logo_out_of_bounds_is_refused_with_its_reason(window: MainWindow, tmp_path: Path) -> None:
    huge = tmp_path / "huge.png"
    with open(huge, "wb") as file:  # sparse: 6 GB that take no room
        file.truncate(6 * 1024**3)
    bomb = declared_png(tmp_path / "bomb.png", 60_000, 60_000)
    good = tmp_path / "logo.png"
    Image.new("RGB", (64, 32), (10, 90, 160)).save(good, "PNG")

    assert enter_logo(window, str(huge)) == "Logo: larger than 2 MB"
    assert enter_logo(window, "/dev/zero") == "Logo: not a regular file"
    assert enter_logo(window, str(bomb)) == "Logo: more than 4,000×4,000 pixels"
    assert enter_logo(window, str(tmp_path / "none.png")) == "Logo: no such file"
    assert window.preferences().organisation().logo == ""  # a refused logo is never stored
    assert enter_logo(window, str(good)) == ""
    assert window.preferences().organisation().logo == str(good)


def test_a_stored_logo_that_grew_is_named_and_the_plan_made_without_it(qtbot, data_dir: Path, tmp_path: Path) -> None:
    data_dir.mkdir(parents=True)
    window = make_window(qtbot, data_dir)
    logo = tmp_path / "logo.png"
    Image.new("RGB", (64, 32)).save(logo, "PNG")
    assert enter_logo(window, str(logo)) == ""
    with open(logo, "r+b") as file:  # replaced since by a file far too large
        file.truncate(3 * 1024**3)
    window.close()

    again = make_window(qtbot, data_dir)
    page = again.settings_page
    assert not page.org_logo_error.isHidden()
    assert page.org_logo_error.text() == "Logo: larger than 2 MB"
    assert preferences_of(again.settings).load().organisation_logo == str(logo)

    again.cases.add_samples()
    panel = again.cases.plan_panel
    panel.generate_button.click()
    qtbot.waitUntil(lambda: not panel.busy, timeout=60000)
    assert panel.versions.count() == 1, panel.state.text()
