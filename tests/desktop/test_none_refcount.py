"""No reference to None is lost while the screening and estimate panels refresh.

PySide6 6.12.0 on CPython 3.11 drops a reference to ``None`` on every call of a Qt method that returns
nothing (``QLabel.setText``, ``QTreeWidgetItem.setToolTip``, ...). A coordinator typing a case makes
thousands of such calls until ``None`` is freed and the interpreter aborts (``none_dealloc``). On
Python 3.12+ ``None`` is immortal: its count does not move whatever a binding does, and the
refreshes still run (they must not fail in other ways).
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from PySide6.QtCore import QCoreApplication, QEvent

from planning.case import parse_case_lenient
from planning.eligibility import screen
from planning.estimate import estimate

REFRESHES = 10_000
HANDFUL = 16  # caches filled on the first refreshes may keep a few references
ABORT_GUARD = 1_000  # stop well before None could be freed (it starts with a few thousand references)

NONE_IS_IMMORTAL = sys.version_info >= (3, 12)


@contextmanager
def quiet_heap() -> Iterator[None]:
    """No other references to None come and go while counting: objects of earlier tests waiting for
    deleteLater or the cycle collector are freed first, and the collector pauses during the count
    (freeing them in the middle would drop None's count without any binding at fault)."""
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@pytest.fixture
def editor(window):
    """The real case editor of the real window, on a case that screens and estimates fully."""
    window.cases.new_case()
    editor = window.cases.editor
    for path, value in {
        "patient.full_name": "Refcount Probe",
        "patient.date_of_birth": "1970-05-01",
        "clinical.indication": "lbcl",
        "clinical.disease_status": "refractory",
        "clinical.prior_lines": 2,
        "clinical.ecog": 1,
        "preferences.currency": "EUR",
    }.items():
        editor.fields[path].set_value(value)
        editor.values[path] = editor.fields[path].value()
    editor.fields["preferences.destinations"].set_value(["CN", "US", "DE", "GB"])
    editor.refresh()
    return editor


def test_none_keeps_its_references_across_panel_refreshes(editor) -> None:
    if NONE_IS_IMMORTAL:
        print(f"Python {sys.version_info.major}.{sys.version_info.minor}: None is immortal; the refreshes still run")
    case = parse_case_lenient(editor.current_document(), editor.indications)
    result = screen(case, editor.pack, locale=editor.locale)
    costed = estimate(case, editor.pack, locale=editor.locale)
    assert result.results and costed.options, "the probe case must fill both panels"
    editor.screening_panel.show_screening(result)
    editor.estimate_panel.show_estimate(costed, result, case.preferences.budget)

    with quiet_heap():
        before = sys.getrefcount(None)
        worst = 0
        for done in range(1, REFRESHES + 1):
            editor.screening_panel.show_screening(result)
            editor.estimate_panel.show_estimate(costed, result, case.preferences.budget)
            drift = before - sys.getrefcount(None)
            worst = max(worst, drift)
            if drift > ABORT_GUARD:  # the broken binding: fail now, before the interpreter aborts
                pytest.fail(f"None lost {drift} references in {done} refreshes (PySide6 reference leak)")
    assert worst <= HANDFUL, f"None lost up to {worst} references across {REFRESHES} refreshes"
    assert editor.screening_panel.tree.topLevelItemCount() == len(result.results)


def test_typing_keeps_none_alive(editor, qtbot) -> None:
    """Edits through the form (validation, screening, estimate, title, save state) lose nothing either."""
    field = editor.fields["clinical.diagnosis_text"].widget
    field.setFocus()
    qtbot.keyClicks(field, "warm")  # caches filled by the first edits are not a leak
    with quiet_heap():
        before = sys.getrefcount(None)
        for round_ in range(300):
            qtbot.keyClicks(field, "ab")
            qtbot.keyClick(field, "\b")
            drift = before - sys.getrefcount(None)
            if drift > ABORT_GUARD:
                pytest.fail(f"None lost {drift} references after {round_ * 3} keystrokes")
        drift = before - sys.getrefcount(None)
    assert drift <= HANDFUL
    assert field.text().startswith("warm" + "a" * 10)
