"""A safety net for a Qt binding that loses references to ``None`` (PySide6 6.12 on CPython 3.11).

The fix is the dependency set (pyproject.toml excludes those releases on Python < 3.12). This net is
for an install that ended up with one anyway (a hand-made environment, a distribution's package): at
start a short probe calls a void Qt method a few hundred times; if ``None`` lost references, the
binding leaks, the log says so, and a timer keeps ``None``'s reference count well above what the leak
can take between two ticks, so the interpreter never frees it and never aborts. The count is raised in
place (CPython's ``ob_refcnt``, the first field of every object) rather than by holding references in
a list, which the interpreter would release at exit, freeing None after all. On Python 3.12+ ``None``
is immortal and nothing is done.
"""

from __future__ import annotations

import ctypes
import logging
import sys

from PySide6.QtCore import QObject, QTimer

log = logging.getLogger("desktop.shell.none_guard")

PROBE_CALLS = 200
MARGIN = 1_000_000
"""References kept in reserve: the worst leak seen drops ~500 a refresh, so this lasts minutes."""
TICK_MS = 500


def binding_leaks_none() -> bool:
    """True when a void Qt call loses a reference to None (measured, not guessed from versions)."""
    if sys.version_info >= (3, 12):
        return False
    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(PROBE_CALLS):
        probe.setObjectName("probe")
    return before - sys.getrefcount(None) >= PROBE_CALLS // 2


class NoneReserve(QObject):
    """Tops up references to None on a timer while the application runs."""

    def __init__(self, parent: QObject | None = None, margin: int = MARGIN, tick_ms: int = TICK_MS):
        super().__init__(parent)
        self.margin = margin
        self.floor = sys.getrefcount(None)
        self.count = ctypes.c_ssize_t.from_address(id(None))  # None's ob_refcnt
        self.top_up()
        self.timer = QTimer(self)
        self.timer.setInterval(tick_ms)
        self.timer.timeout.connect(self.top_up)
        self.timer.start()

    def top_up(self) -> None:
        held = sys.getrefcount(None) - self.floor
        if held < self.margin:
            self.count.value += 2 * self.margin - held


def guard_none(app: QObject) -> NoneReserve | None:
    """Probe the binding; when it leaks, log it and keep None alive for the life of ``app``.

    ``CAREPLAN_NONE_GUARD=off`` leaves the binding bare (the soak test measures the binding itself)."""
    import os

    if os.environ.get("CAREPLAN_NONE_GUARD") == "off" or not binding_leaks_none():
        return None
    log.warning("the Qt binding loses references to None: keeping a reserve (install a supported PySide6)")
    return NoneReserve(app)
