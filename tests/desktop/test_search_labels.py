"""The global search's second lines are words in the interface language, never the pack's codes."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktop.shell.main_window import MainWindow
from planning.knowledge.pack import load_pack


def test_every_indication_status_is_shown_in_words(window: MainWindow, qtbot) -> None:
    statuses = {i.status for i in load_pack().indications}
    assert {"approved", "trials_only"} <= statuses
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(window.search, "lymphoma")
    listing = window.search.results.list
    lines = [listing.item(i).text().split("\n")[1] for i in range(listing.count())]
    indications = [line for line in lines if line.startswith("Indication")]
    assert indications and "Indication · Investigational: trials only" in indications
    assert not any(line.endswith(f" · {code}") for line in lines for code in statuses)
