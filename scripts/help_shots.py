"""Save a PNG of each page of the help window (the guide and the shortcut sheet), for looking and docs/.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/help_shots.py OUTDIR [--dark] [--locale ar]
        [--help-size 1366x768] [--pages call,shortcuts]

The real main window on a new data folder (no encryption), F1 pressed, then every page of the contents.
"""

from __future__ import annotations

from PySide6.QtTest import QTest
from shots_common import (
    argument_parser,
    data_folder,
    finish,
    main_window,
    png,
    shot,
    start,
)

from desktop.help.content import PAGES, SHORTCUTS
from desktop.help.shortcut_sheet import shortcut_rows


def main() -> int:
    parser = argument_parser()
    parser.add_argument("--help-size", default="900x640", help="the help window's size (its own default: 900x640)")
    parser.add_argument("--pages", default="", help="only these pages, e.g. call,shortcuts")
    args, _app = start(parser)
    window = main_window(args, data_folder("careplan-help-shots-"), lambda w: w.cases is not None, settle=0)
    window.cases.new_case()  # the case's own keys (undo, the tabs) are in the sheet too
    QTest.qWait(200)
    help_window = window.help.show(PAGES[0])
    help_window.resize(*(int(v) for v in args.help_size.split("x")))
    for name in args.pages.split(",") if args.pages else (*PAGES, SHORTCUTS):
        help_window.show_page(name)
        shot(help_window, png(args, f"help-{name}"))
    for row in shortcut_rows(window):  # what the sheet lists, as text too
        print(f"{row.group or '-'}\t{row.name}\t{', '.join(row.keys)}")
    help_window.close()
    return finish(window)


if __name__ == "__main__":
    raise SystemExit(main())
