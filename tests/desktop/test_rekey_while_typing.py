"""One owner per connection: the store is encrypted once and re-keyed 199 times from Settings while a
coordinator types into the open case. The connection is released by its owner (the GUI thread) and
the worker re-encrypts on one of its own; no error, no crash, and every character typed is stored."""

from __future__ import annotations

import pytest

from desktop.shell.main_window import MainWindow
from services.stores import CaseStore, CaseVault, WrongPassphrase

ROUNDS = 200


def passphrase(round_: int) -> str:
    return f"passphrase number {round_:03d}"


def test_rekeying_200_times_while_typing_loses_nothing(window: MainWindow, qtbot) -> None:
    window.new_case()
    editor = window.cases.editor
    case_id = editor.case.id
    notes = editor.fields["clinical.notes"].widget
    notes.setFocus()
    typed = ""
    section = window.settings_page.security
    current = ""
    for round_ in range(ROUNDS):
        before = f"r{round_} "
        qtbot.keyClicks(notes, before)  # saved by autosave before the store is released
        typed += before
        dialog = section.open_passphrase_dialog()
        new = passphrase(round_)
        if current:
            dialog.edits["current"].setText(current)
        dialog.edits["new"].setText(new)
        dialog.edits["repeat"].setText(new)
        assert dialog.submit()
        during = f"w{round_} "
        for char in during:  # typed while the worker re-encrypts: kept in the form, saved afterwards
            qtbot.keyClick(notes, char)
        typed += during
        qtbot.waitUntil(lambda dialog=dialog: not dialog.busy, timeout=30000)
        assert not dialog.isVisible(), dialog.status.text()  # accepted: no error
        assert dialog.report is not None and dialog.report.kept == ()
        current = new
        if round_ % 50 == 0:
            qtbot.wait(250)  # let an autosave interval pass now and then
    window.flush()
    assert notes.toPlainText() == typed
    window.tasks.wait()
    window.close()

    vault = CaseVault(window.vault.path)
    with pytest.raises(WrongPassphrase):
        vault.unlock(passphrase(ROUNDS - 2))  # the one before the last no longer opens it
    vault.unlock(current)
    store = CaseStore.open(vault.path, (), key=vault.key)
    try:
        assert store.get(case_id).document["clinical"]["notes"] == typed
        changes = [e.action for e in store.audit_entries() if e.action in ("encryption_enabled", "passphrase_changed")]
        assert changes.count("encryption_enabled") == 1 and changes.count("passphrase_changed") == ROUNDS - 1
    finally:
        store.close()
