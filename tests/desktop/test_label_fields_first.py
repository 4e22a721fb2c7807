"""Every field a label condition of the chosen indication turns on is asked first, in bold, on the Clinical
tab: for every indication of the pack, not only those whose record lists them."""

from __future__ import annotations

from desktop.shell.main_window import MainWindow
from planning.label import label_fields


def test_every_field_the_labels_turn_on_leads_the_history_in_bold(window: MainWindow) -> None:
    window.cases.new_case()
    editor = window.cases.editor
    combo = editor.fields["clinical.indication"].widget
    checked = 0
    for indication in editor.pack.indications:
        combo.setCurrentIndex(combo.findData(indication.code))
        combo.activated.emit(combo.currentIndex())
        wanted = [p for p in label_fields(editor.pack, indication.code) if p in editor.history_paths]
        assert set(wanted) <= set(editor.asked), (indication.code, wanted, editor.asked)
        assert editor.history_order[: len(editor.asked)] == editor.asked
        for path in wanted:
            label = editor.rows[path][0]
            assert label.font().bold() and label.text().endswith("●"), (indication.code, path)
        checked += bool(wanted)
    assert checked >= 6  # the approved indications


def test_follicular_lymphoma_asks_the_prior_lines_its_labels_count() -> None:
    from planning.knowledge.pack import load_pack

    assert "clinical.prior_lines" in label_fields(load_pack(), "fl")
