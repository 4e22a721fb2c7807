"""The running session's trace: a native-crash log and a marker that tells the next start how this one ended.

- ``logs/crash.log`` (0600): ``faulthandler`` writes the Python stack of every thread there when the
  process dies of a fatal signal or a fatal interpreter error (an abort in a binding, a segmentation
  fault). A stack holds file names, line numbers and function names, never values, so no patient data.
- ``logs/session.json`` (0600): the process id, whether the session ended cleanly and the id of the case
  that is open (a number, no patient content). A start that finds a marker not ended cleanly, whose
  process is gone, knows the app closed unexpectedly and which case to open again.

No Qt here: the window calls :meth:`Session.case_opened` and the application :meth:`Session.end`.
"""

from __future__ import annotations

import atexit
import contextlib
import faulthandler
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from services.paths import PRIVATE_FILE, PRIVATE_FOLDER

CRASH_LOG = "crash.log"
MARKER = "session.json"
CRASH_LOG_LIMIT = 256 * 1024
"""A crash log larger than this at start is moved to crash.log.1 (the one before it is dropped)."""

_crash_file: dict[str, IO[str]] = {}  # faulthandler writes to the file's descriptor: keep it open


@dataclass(frozen=True)
class Previous:
    """How the previous session ended."""

    crashed: bool
    case_id: int | None
    crash_log: Path | None


def _alive(pid: int) -> bool:
    if pid <= 0 or pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def _write_private(path: Path, text: str) -> None:
    """Replace ``path`` whole (a crash mid-write leaves the old marker, never half a file)."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    with open(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def enable_crash_trace(folder: Path) -> Path:
    """Let ``faulthandler`` write fatal errors' stacks to ``folder/crash.log`` (private, appended)."""
    folder.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
    path = folder / CRASH_LOG
    if path.exists() and path.stat().st_size > CRASH_LOG_LIMIT:
        os.replace(path, path.with_name(CRASH_LOG + ".1"))
    old = _crash_file.pop("file", None)
    if old is not None:
        faulthandler.disable()
        old.close()
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, PRIVATE_FILE)
    os.chmod(path, PRIVATE_FILE)
    handle = open(descriptor, "a", encoding="utf-8")  # noqa: SIM115 - open for the whole process
    handle.write(f"--- session started {time.strftime('%Y-%m-%dT%H:%M:%S%z')} pid {os.getpid()}\n")
    handle.flush()
    faulthandler.enable(file=handle, all_threads=True)
    if not _crash_file:
        atexit.register(_close_crash_trace)
    _crash_file["file"] = handle
    return path


def _close_crash_trace() -> None:
    """At a normal exit: nothing more can crash that the trace would catch."""
    handle = _crash_file.pop("file", None)
    if handle is not None:
        faulthandler.disable()
        handle.close()


class Session:
    """This run's marker; ``previous`` says how the run before ended (None on a first start or when
    another instance is still running)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.path = folder / MARKER
        self.case_id: int | None = None
        self.previous = self._read_previous()
        self.case_id = self.previous.case_id if self.previous else None
        self._write(clean=False)

    @classmethod
    def start(cls, folder: Path) -> Session:
        """The crash trace on, the marker written; call once when the application starts."""
        enable_crash_trace(folder)
        return cls(folder)

    def _read_previous(self) -> Previous | None:
        try:
            marker = json.loads(self.path.read_text("utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(marker, dict):
            return None
        pid = marker.get("pid")
        if isinstance(pid, int) and not marker.get("clean") and _alive(pid):
            return None  # another window of the app is running: not a crash
        case_id = marker.get("case")
        crash_log = self.folder / CRASH_LOG
        return Previous(
            crashed=not marker.get("clean", False),
            case_id=case_id if isinstance(case_id, int) and not isinstance(case_id, bool) else None,
            crash_log=crash_log if crash_log.exists() else None,
        )

    def _write(self, clean: bool) -> None:
        with contextlib.suppress(OSError):  # a full disk must not stop the app; the next start reopens nothing
            _write_private(self.path, json.dumps({"pid": os.getpid(), "clean": clean, "case": self.case_id}))

    def case_opened(self, case_id: int | None) -> None:
        """Remember the open case (reopened after a restart, expected or not)."""
        if case_id != self.case_id:
            self.case_id = case_id
            self._write(clean=False)

    def end(self) -> None:
        """The application is closing normally."""
        self._write(clean=True)
