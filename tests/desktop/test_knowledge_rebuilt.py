"""The window starts on a damaged knowledge store: rebuilt from the bundled pack (as every command does),
the pack shown, and the coordinator told what happened to what they entered."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from services.stores import knowledge_db_path, open_knowledge
from tests.desktop.conftest import make_window


def test_window_starts_on_a_damaged_knowledge_store(qtbot, data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    store = open_knowledge(data_dir)
    store.set_rate("USD", "EUR", "0.91", "2026-01-05")
    store.close()
    path = knowledge_db_path(data_dir)
    with open(path, "r+b") as file:  # a garbage page past the schema: only SQLite's check finds it
        file.seek(100 * 4096)
        file.write(os.urandom(4096))

    window = make_window(qtbot, data_dir)
    assert window.store is not None and window.cases is not None
    assert window.pack_label.text().startswith("Knowledge pack ")
    assert window.library.tree.topLevelItemCount() > 0
    box = window.last_message
    assert isinstance(box, QMessageBox) and box.objectName() == "knowledgeRebuilt" and box.isVisible()
    assert "rebuilt from the bundled knowledge pack" in box.text()
    assert "were kept" in box.text()
    assert [str(rate.rate) for rate, _note in window.store.coordinator_rates()] == ["0.91"]
    assert any(p.name.startswith("knowledge.sqlite.damaged-") for p in data_dir.iterdir())
    box.done(QMessageBox.StandardButton.Ok)
    window.tasks.wait()


def test_window_starts_on_garbage_and_says_the_own_figures_may_be_lost(qtbot, data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    knowledge_db_path(data_dir).write_bytes(os.urandom(64 * 1024))
    window = make_window(qtbot, data_dir)
    assert window.pack_label.text().startswith("Knowledge pack ")
    box = window.last_message
    assert isinstance(box, QMessageBox) and box.objectName() == "knowledgeRebuilt"
    assert "could not all be read" in box.text()
    box.done(QMessageBox.StandardButton.Ok)
    window.tasks.wait()
