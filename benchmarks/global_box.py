"""The global search box (Ctrl+K) per keystroke, for the benchmarks: the real SearchBox (offscreen) on the
knowledge store and a case store, typed into letter by letter; each sample is one keystroke, from the text
changing to the result list painted (services.search.search_everything, as the main window wires it)."""

from __future__ import annotations

import time

TYPED = [
    "Anna Ivanova",  # a name
    "maria",
    "ch",
    "a",  # one letter: most cases have a word that begins with it
    "GEN-0421",  # a reference, typed whole
    "wang li",
    "o",
    "zz",  # nothing
    "number 77",  # words of the notes
    "+34 6",  # a phone number, by its digits
    "600 12",
    "anna.ivanova1",  # an e-mail address
    "kymr",  # the pack
    "lymphoma",
]


def time_global_box(
    app, knowledge, cases, rounds: int = 3, typed: list[str] = TYPED, cpu: list[float] | None = None
) -> list[float]:
    """Milliseconds per keystroke over ``rounds`` of typing every text of ``typed``; the process's CPU time of
    each keystroke is appended to ``cpu`` when given (on a shared machine it shows what waiting added)."""
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QWidget

    from desktop.shell.search_box import SearchBox
    from services.search import search_everything

    window = QWidget()
    window.resize(1200, 800)
    box = SearchBox(lambda text: search_everything(knowledge, cases, text, "en"), window)
    box.setGeometry(200, 10, 600, 30)
    window.show()
    app.processEvents()
    samples: list[float] = []
    for _ in range(rounds):
        for text in typed:
            box.clear()
            app.processEvents()
            for end in range(1, len(text) + 1):
                started, used = time.perf_counter(), time.process_time()
                box.setText(text[:end])  # textChanged: the search runs and the list is filled
                app.processEvents()  # and painted
                samples.append((time.perf_counter() - started) * 1000)
                if cpu is not None:
                    cpu.append((time.process_time() - used) * 1000)
    window.close()
    window.deleteLater()
    app.processEvents()
    app.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # processEvents alone never deletes it
    return samples
