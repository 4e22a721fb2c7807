"""Save PNGs of the Library pages of issue 20: a product's safety, each journey topic, a destination's
centres and visas, and the facts to re-check.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/shots_library.py OUTDIR [--dark] [--locale ar]
"""

from __future__ import annotations

from PySide6.QtTest import QTest
from shots_common import argument_parser, data_folder, finish, main_window, png, shot, start

from planning.i18n import _


def main() -> int:
    parser = argument_parser()
    parser.add_argument("--therapy", default="ciltacabtagene")
    parser.add_argument("--destination", default="DE")
    args, _app = start(parser)
    window = main_window(args, data_folder("careplan-library-shots-"), lambda w: w.library.pack is not None)
    pack = window.library.pack
    assert pack is not None
    window.open_record("therapy", args.therapy)
    view = window.library.view
    QTest.qWait(200)
    shot(window, png(args, "library-therapy"))
    view.find(_("Safety"))  # bring the safety section to the top, then let go of the found word
    top = view.cursorRect().top()
    cursor = view.textCursor()
    cursor.clearSelection()
    view.setTextCursor(cursor)
    bar = view.verticalScrollBar()
    bar.setValue(min(bar.maximum(), bar.value() + top - 12))
    shot(window, png(args, "library-therapy-safety"))
    for topic in pack.journey:
        window.open_record("journey", topic.id)
        shot(window, png(args, f"library-journey-{topic.kind}"))
    window.open_record("recheck", "facts")
    shot(window, png(args, "library-recheck"))
    window.open_destination(args.destination)
    QTest.qWait(300)
    shot(window, png(args, "destination"))
    detail = window.destinations.findChild(type(view))
    if detail is not None:
        detail.verticalScrollBar().setValue(detail.verticalScrollBar().maximum())
        shot(window, png(args, "destination-end"))
    return finish(window)


if __name__ == "__main__":
    raise SystemExit(main())
