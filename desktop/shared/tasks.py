"""One way to run work off the GUI thread: a function in a worker, its result back on the GUI thread.

The function never touches a widget. Errors are routed to one callback; nothing is lost silently.
"""

from __future__ import annotations

import contextvars
import itertools
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)


class _Signals(QObject):
    finished = Signal(int, bool, object)


class _Job(QRunnable):
    def __init__(self, job_id: int, fn: Callable[[], Any], signals: _Signals):
        super().__init__()
        self.job_id, self.fn, self.signals = job_id, fn, signals
        self.context = contextvars.copy_context()  # the caller's language; what the job sets stays in the job

    def run(self) -> None:
        try:
            result = self.context.run(self.fn)
        except Exception as exc:  # routed to the caller's error handler on the GUI thread
            log.debug("background task failed", exc_info=True)
            self.signals.finished.emit(self.job_id, False, exc)
        else:
            self.signals.finished.emit(self.job_id, True, result)


class TaskRunner(QObject):
    """Runs functions in one worker thread; callbacks arrive on the GUI thread, in order."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)  # one serialising worker: writes never race
        self._signals = _Signals()
        # A bound slot of an object living on the GUI thread: the call is queued onto that thread.
        self._signals.finished.connect(self._finish)
        self._callbacks: dict[int, tuple[Callable[[Any], None], Callable[[Exception], None]]] = {}
        self._ids = itertools.count(1)

    def run(
        self,
        fn: Callable[[], Any],
        on_success: Callable[[Any], None],
        on_error: Callable[[Exception], None],
    ) -> None:
        job_id = next(self._ids)
        self._callbacks[job_id] = (on_success, on_error)
        self.pool.start(_Job(job_id, fn, self._signals))

    @Slot(int, bool, object)
    def _finish(self, job_id: int, ok: bool, payload: object) -> None:
        on_success, on_error = self._callbacks.pop(job_id)
        if ok:
            on_success(payload)
        else:
            on_error(payload)  # type: ignore[arg-type]

    def busy(self) -> bool:
        return bool(self._callbacks)

    def wait(self, msecs: int = 30000) -> bool:
        return self.pool.waitForDone(msecs)
