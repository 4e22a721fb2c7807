"""What the screenshot scripts in this folder share: their arguments (OUTDIR, --dark, --locale, --size), the
application with its theme, language and fonts, a new data directory, the real main window on it, and saving
PNGs. A script run as `.venv/bin/python scripts/X.py` finds this module beside it (sys.path[0]).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtGui import QPainter, QPixmap
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from db.case_store import CaseStore
from db.knowledge_store import KnowledgeStore
from desktop.settings.language import use_qt_translations
from desktop.settings.theme import apply_theme
from desktop.shared.fonts import load_bundled_fonts, ui_font
from desktop.shared.tasks import TaskRunner
from desktop.shell.main_window import MainWindow
from planning.i18n import is_rtl, set_locale
from planning.knowledge.pack import load_pack

WHO = "Screenshot Coordinator"


def argument_parser(size: str = "1366x768") -> argparse.ArgumentParser:
    """OUTDIR, --dark, --locale and --size: a script adds its own before calling start()."""
    parser = argparse.ArgumentParser()
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--dark", action="store_true", help="a dark palette")
    parser.add_argument("--locale", default="en", help="interface language (en, zh_CN, es, ru, ar, de, pseudo)")
    parser.add_argument("--size", default=size, help="the main window's size")
    return parser


def window_size(args: argparse.Namespace) -> tuple[int, int]:
    width, height = (int(v) for v in args.size.split("x"))
    return width, height


def suffix(args: argparse.Namespace) -> str:
    """What the file names end with: -dark, then -LOCALE unless English."""
    return ("-dark" if args.dark else "") + ("" if args.locale == "en" else f"-{args.locale}")


def png(args: argparse.Namespace, name: str) -> Path:
    """OUTDIR/NAME-dark-LOCALE.png."""
    return args.outdir / f"{name}{suffix(args)}.png"


def start(parser: argparse.ArgumentParser | None = None) -> tuple[argparse.Namespace, QApplication]:
    """The arguments (OUTDIR made if it is not there yet) and the application: Fusion style, the light or dark
    theme, the language (right to left for Arabic) and the bundled fonts."""
    args = (parser or argument_parser()).parse_args()
    args.outdir.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    app.setStyle("Fusion")
    apply_theme(app, "dark" if args.dark else "light")
    set_locale(args.locale)
    use_qt_translations(app, args.locale)
    if is_rtl(args.locale):
        app.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    load_bundled_fonts()
    app.setFont(ui_font())
    return args, app


def data_folder(prefix: str = "careplan-shots-") -> Path:
    """A new, empty data directory."""
    return Path(tempfile.mkdtemp(prefix=prefix))


def case_store(base: Path) -> CaseStore:
    """The data directory's case store, every indication of the knowledge pack known: to fill before the window."""
    return CaseStore.open(base / "cases.sqlite", {i.code for i in load_pack().indications})


def wait_until(condition: Callable[[], bool]) -> None:
    while not condition():
        QApplication.processEvents()
        QTest.qWait(20)


def main_window(
    args: argparse.Namespace,
    base: Path,
    ready: Callable[[MainWindow], bool] = lambda window: window.store is not None,
    *,
    tasks: TaskRunner | None = None,
    open_store: Callable[[], KnowledgeStore] | None = None,
    open_cases: Callable[[frozenset[str]], CaseStore] | None = None,
    who: str = WHO,
    vault=None,
    settle: int = 200,
    alone: bool = False,
) -> MainWindow:
    """The real main window on `base` at --size, shown, its store loaded; back once `ready` and `settle` ms on,
    and with `alone` any other window closed (a first-run set-up offered at start: not what is shown). Its tasks
    (window.tasks) are a new TaskRunner unless given."""
    window = MainWindow(
        QSettings(str(base / "settings.ini"), QSettings.Format.IniFormat),
        args.locale,
        tasks if tasks is not None else TaskRunner(QApplication.instance()),
        open_store or (lambda: KnowledgeStore.open(base / "knowledge.sqlite")),  # the window prepares it
        open_cases or (lambda codes: CaseStore.open(base / "cases.sqlite", codes)),
        base,
        who,
        vault=vault,
    )
    window.resize(*window_size(args))
    window.show()
    window.load_store()
    wait_until(lambda: ready(window))
    if settle:
        QTest.qWait(settle)
    if alone:
        for widget in QApplication.topLevelWidgets():
            if widget is not window and widget.isVisible() and widget.isWindow():
                widget.close()
    return window


def open_sample(page, name: str):
    """Adds the sample cases to the case list and opens the one whose patient's name holds `name`: its row."""
    page.add_samples()
    row = next(r for r in page.model.rows if name in r.full_name)
    page.open_case(row.id)
    return row


def finish(window: MainWindow) -> int:
    """Closes the window and waits for its tasks: the script's exit status."""
    window.close()
    window.tasks.wait()
    return 0


def save(picture: QPixmap, path: Path) -> None:
    picture.save(str(path))
    print(path)


def shot(widget: QWidget, path: Path, wait: int = 150) -> None:
    """A PNG of `widget` after `wait` ms."""
    QTest.qWait(wait)
    save(widget.grab(), path)


def shooter(args: argparse.Namespace, wait: int = 150) -> Callable[[QWidget, str], None]:
    """shoot(widget, name): a PNG of the widget after `wait` ms, named as png() says."""
    return lambda widget, name: shot(widget, png(args, name), wait)


def composed(window: QWidget, top: QWidget) -> QPixmap:
    """The main window's picture with `top` (a menu, a dialog: a window of its own) painted where it stands."""
    picture = window.grab()
    if top is not window:
        painter = QPainter(picture)
        painter.drawPixmap(window.mapFromGlobal(top.mapToGlobal(QPoint(0, 0))), top.grab())
        painter.end()
    return picture


def make_plan(panel, settle: int = 400) -> None:
    """The plan panel's Generate, waited for."""
    panel.generate()
    while panel.busy:
        QApplication.processEvents()
        QTest.qWait(50)
    QTest.qWait(settle)
