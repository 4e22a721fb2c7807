"""Shared by the child scripts that drive the real app in a process of its own (soak, abort)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication


def shown_window():
    """The app's main window once it is shown with its cases open; None until then."""
    from desktop.shell.main_window import MainWindow

    shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
    return shown[0] if shown and shown[0].cases is not None else None


def set_up_already() -> None:
    """The data directory's first-run set-up counts as done (skipped), as for the windows of the GUI tests
    (tests/desktop/conftest.py make_window): the scripts type into the main window, not into the set-up."""
    from services.paths import data_dir
    from services.settings import Settings, needs_setup

    settings = Settings(data_dir())
    if needs_setup(settings.load()):
        settings.update(setup_done=True)
