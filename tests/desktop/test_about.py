"""About CarePlan Desk: the version, how it was built, and the knowledge pack in use."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

import resources
from desktop.shell.main_window import MainWindow
from resources import app_version


def shown_about(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> str:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "about", lambda parent, title, text: shown.append(text))
    window.show_about()
    (text,) = shown
    return text


def test_about_names_the_version_the_build_and_the_pack(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    text = shown_about(window, monkeypatch)
    assert f"CarePlan Desk {app_version()}" in text
    assert "Run from source" in text
    assert f"Knowledge pack {window.store.info().version}" in text


def test_about_in_a_bundle_gives_its_build_date(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(resources, "build_date", lambda: "2026-12-03")
    assert "Built on Dec 3, 2026." in shown_about(window, monkeypatch)
