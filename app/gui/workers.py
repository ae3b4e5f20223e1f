"""Running core work off the GUI thread; results come back only through a queued signal.

Three lanes, each a QThreadPool:

* ``search``: one thread; searches never wait behind file hashing or a sync.
* ``io``: two threads for reads and disk work (loading rows, thumbnails, hashing a file before
  it is opened, building a mail draft).
* ``write``: one thread; every write to the library (sync, usage journal, favourites, kits,
  settings) runs here, one at a time, in the order it was asked for.

``submit`` returns at once. When the work ends, ``on_done(result)`` or ``on_error(exc)`` is
called on the GUI thread. An error with no ``on_error`` goes to :attr:`TaskRunner.failed`
(the window shows a :class:`~app.core.errors.SatchelError` as its one sentence; anything else
is a bug: logged with its traceback, reported as such).
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from enum import Enum
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


class Lane(Enum):
    SEARCH = "search"
    IO = "io"
    WRITE = "write"


_THREADS = {Lane.SEARCH: 1, Lane.IO: 2, Lane.WRITE: 1}


class _Job(QRunnable):
    def __init__(self, runner: TaskRunner, job_id: int, fn: Callable[[], Any]) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._runner = runner
        self._id = job_id
        self._fn = fn

    def run(self) -> None:
        try:
            result = self._fn()
        except BaseException as exc:  # delivered to the GUI thread, never raised into Qt
            self._runner._finished.emit(self._id, None, exc)
        else:
            self._runner._finished.emit(self._id, result, None)


class TaskRunner(QObject):
    """Owns the worker pools. Create one per window; call :meth:`shutdown` before closing."""

    failed = Signal(object)  # an exception nobody else handled
    _finished = Signal(int, object, object)  # job id, result, error (queued to the GUI thread)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pools: dict[Lane, QThreadPool] = {}
        for lane, threads in _THREADS.items():
            pool = QThreadPool(self)
            pool.setMaxThreadCount(threads)
            pool.setObjectName(f"satchel-{lane.value}")
            self._pools[lane] = pool
        self._callbacks: dict[int, tuple[Done | None, Failed | None]] = {}
        self._ids = itertools.count(1)
        self._closed = False
        self._finished.connect(self._deliver)

    def submit(
        self,
        lane: Lane,
        fn: Callable[[], Any],
        *,
        on_done: Done | None = None,
        on_error: Failed | None = None,
    ) -> int:
        if self._closed:  # a late timer or queued signal after the window closed: drop it
            log.debug("task submitted after shutdown was dropped")
            return -1
        job_id = next(self._ids)
        self._callbacks[job_id] = (on_done, on_error)
        self._pools[lane].start(_Job(self, job_id, fn))
        return job_id

    def pending(self) -> int:
        """Jobs submitted whose results have not been delivered yet."""
        return len(self._callbacks)

    def busy(self, lane: Lane) -> bool:
        return self._pools[lane].activeThreadCount() > 0

    def shutdown(self, timeout_ms: int = 30_000) -> bool:
        """Stop taking work; wait for queued writes to finish (events must not be lost)."""
        self._closed = True
        self._pools[Lane.SEARCH].clear()
        self._pools[Lane.IO].clear()
        ok = True
        for lane in (Lane.SEARCH, Lane.IO, Lane.WRITE):
            ok = self._pools[lane].waitForDone(timeout_ms) and ok
        self._callbacks.clear()
        return ok

    @Slot(int, object, object)
    def _deliver(self, job_id: int, result: object, error: object) -> None:
        on_done, on_error = self._callbacks.pop(job_id, (None, None))
        if self._closed:
            return
        if isinstance(error, BaseException):
            if on_error is not None:
                on_error(error)
            else:
                self.failed.emit(error)
        elif on_done is not None:
            on_done(result)
