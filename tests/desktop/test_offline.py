"""The offline guarantee: with every socket blocked, the app starts, searches and shows every screen.

Grow this test with each new screen.
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from tests.desktop.conftest import make_window


class NetworkUsed(AssertionError):
    pass


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    attempts: list[str] = []

    def refuse(*args, **kwargs):
        attempts.append(repr(args[:2]))
        raise NetworkUsed(f"network used: {args[:2]!r}")

    for name in ("connect", "connect_ex", "sendto", "bind"):
        monkeypatch.setattr(socket.socket, name, refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


def test_app_works_with_sockets_blocked(qtbot, data_dir: Path, no_network: list[str]) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    window = make_window(qtbot, data_dir)
    pack = window.store.pack()
    window.focus_search()
    qtbot.keyClicks(window.search, "car")
    assert window.search.hits()
    # every library record renders
    records = (
        [("therapy", t.id) for t in pack.therapies]
        + [("indication", i.code) for i in pack.indications]
        + [("faq", f.id) for f in pack.faqs]
        + [("source", s) for s in pack.sources]
    )
    for kind, ref in records:
        assert window.library.open(kind, ref), (kind, ref)
        assert window.library.view.toPlainText().strip()
    # every destination renders
    for destination in pack.destinations:
        window.open_destination(destination.code)
        assert destination.code == window.destinations.selected_code()
        assert window.destinations.detail.toPlainText().strip()
    # cases: empty state, samples, every case opened, a new case typed and saved
    cases = window.cases
    assert cases.stack.currentWidget() is cases.empty
    cases.add_samples()
    for row in list(cases.model.rows):
        assert cases.open_case(row.id) is not None
        for index in range(cases.editor.tabs.count()):
            cases.editor.tabs.setCurrentIndex(index)
    window.new_case()
    qtbot.keyClicks(cases.editor.fields["patient.full_name"].widget, "Offline Person")
    window.flush()
    assert window.cases_store.get(cases.editor.case.id).document["patient"]["full_name"] == "Offline Person"
    assert no_network == []
    window.close()
