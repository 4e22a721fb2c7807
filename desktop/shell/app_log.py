"""The application log: what happened, never to whom. A rotating file in the data directory's logs/.

Patient data must never reach it, so the formatter writes only what cannot hold any:
- the message template of our own packages' records (constant text, e.g. "plan generated"), with
  only numeric arguments filled in (counts, durations); any other argument shows as ``<str>`` etc.;
- records of other libraries: their logger name and level only (their text is withheld);
- exceptions: their type and the code locations of the traceback (file:line function), never the
  message (``ValueError: invalid date 'Anna ...'`` would carry the name) and never local values.

The folder is private (0700) and the files too (0600), the rotated ones included. An unhandled
exception is logged that way and the user sees a plain message, not a traceback.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from services.paths import PRIVATE_FILE, PRIVATE_FOLDER

LOG_FILE = "careplan.log"
MAX_BYTES = 1_000_000
BACKUPS = 3
OUR_PACKAGES = ("desktop", "db", "planning", "reports", "careplan")

log = logging.getLogger("desktop.app")


def _ours(name: str) -> bool:
    return name.split(".", 1)[0] in OUR_PACKAGES


def _safe_argument(value: object) -> object:
    if isinstance(value, bool | int | float):
        return value
    return f"<{type(value).__name__}>"


def describe_exception(exc: BaseException | None, tb: TracebackType | None = None) -> str:
    """``Type at file:line in function <- caller ...`` for the exception and its causes; never its message."""
    parts = []
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        frames = traceback.extract_tb(tb if tb is not None and not parts else exc.__traceback__)
        where = " <- ".join(f"{Path(f.filename).name}:{f.lineno} in {f.name}" for f in reversed(frames[-6:]))
        kind = type(exc)
        name = (
            kind.__qualname__
            if kind.__module__ in ("builtins", "__main__")
            else f"{kind.__module__}.{kind.__qualname__}"
        )
        parts.append(f"{name} at {where}" if where else name)
        exc = exc.__cause__ or (None if exc.__suppress_context__ else exc.__context__)
    return "; caused by ".join(parts)


class PatientSafeFormatter(logging.Formatter):
    """Formats a record without any text that could come from patient data (see the module docstring)."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        safe = logging.makeLogRecord(
            {
                "name": record.name,
                "levelno": record.levelno,
                "levelname": record.levelname,
                "created": record.created,
                "msecs": record.msecs,
                "relativeCreated": record.relativeCreated,
                "msg": self._message(record),
            }
        )
        text = super().format(safe)
        if record.exc_info and record.exc_info[1] is not None:
            text += " | " + describe_exception(record.exc_info[1], record.exc_info[2])
        return text

    @staticmethod
    def _message(record: logging.LogRecord) -> str:
        if not _ours(record.name) or not isinstance(record.msg, str):
            return "(message withheld)"
        if not record.args:
            return record.msg
        args = record.args
        try:
            if isinstance(args, dict):
                return record.msg % {k: _safe_argument(v) for k, v in args.items()}
            return record.msg % tuple(_safe_argument(a) for a in args)
        except (TypeError, ValueError):  # e.g. "%d" given a withheld text: keep the template only
            return record.msg


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A RotatingFileHandler whose files (the new one after each rotation too) are user-only."""

    def _open(self):
        descriptor = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, PRIVATE_FILE)
        os.chmod(self.baseFilename, PRIVATE_FILE)
        return open(descriptor, self.mode, encoding=self.encoding, errors=self.errors)


def log_folder(base: Path) -> Path:
    return Path(base) / "logs"


def setup_logging(base: Path, level: int = logging.INFO) -> PrivateRotatingFileHandler:
    """Send every log record to ``base/logs/careplan.log`` (rotating, ~1 MB x 3), patient-safe.

    Called again (a test, a second window) it replaces the earlier handler instead of adding one.
    """
    folder = log_folder(base)
    folder.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
    os.chmod(folder, PRIVATE_FOLDER)
    handler = PrivateRotatingFileHandler(folder / LOG_FILE, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
    handler.setFormatter(PatientSafeFormatter())
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, PrivateRotatingFileHandler)]:
        root.removeHandler(old)
        old.close()
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > level:
        root.setLevel(level)
    logging.captureWarnings(True)  # warnings go to the log (withheld text), not to stderr
    return handler


def install_excepthook(show: Callable[[], None] | None = None) -> None:
    """Unhandled exceptions (GUI thread or others) are logged patient-safe; ``show`` tells the user plainly.

    Nothing is printed: a traceback never reaches the user, and exception messages can hold names.
    """
    showing = threading.Lock()

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        log.error("unhandled exception", exc_info=(kind, exc, tb))
        if show is not None and showing.acquire(blocking=False):  # one message at a time, never a cascade
            try:
                show()
            except Exception:
                log.error("the error message could not be shown", exc_info=True)
            finally:
                showing.release()

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            log.error("unhandled exception in a thread", exc_info=(args.exc_type, args.exc_value, args.exc_traceback))

    sys.excepthook = hook
    threading.excepthook = thread_hook


def show_error_message(base: Path) -> Callable[[], None]:
    """The plain message for an unexpected error, over the active window (Qt imported when needed)."""

    def show() -> None:
        from PySide6.QtWidgets import QApplication, QMessageBox

        from desktop.shell.main_window import APP_TITLE
        from planning.i18n import _

        box = QMessageBox(
            QMessageBox.Icon.Warning,
            APP_TITLE,
            _("Something unexpected went wrong with the last action."),
            parent=QApplication.activeWindow(),
        )
        box.setInformativeText(
            _(
                "You can carry on working. If it happens again, tell your support contact; the log file "
                "holds no patient data: {path}"
            ).format(path=log_folder(base) / LOG_FILE)
        )
        box.open()

    return show
