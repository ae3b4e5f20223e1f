"""Sandboxed, parallel extraction: each file is read in a long-lived worker process.

    with ExtractionPool(timeout_s=30, memory_mb=1024) as pool:
        for path, extraction in pool.iter_results(paths):   # as they finish
            ...
        results = pool.run(paths, on_result=callback)         # or all at once, input order

Workers are started with the "spawn" method (safe in a Qt app: no fork of a threaded
process; it works the same on Linux, macOS and Windows), only as many as there is work for,
and they are kept alive across files and across calls. Each worker limits its own address
space to ``memory_mb`` (where :mod:`resource` exists) and imports the document libraries
lazily. The parent gives each file ``timeout_s`` of wall-clock time from the moment it is
handed to a ready worker; a worker that overruns is killed and replaced, and so is one that
dies. The file then gets ``searchable=False`` with the reason:

* "Text extraction hit the time limit (30 s)." - killed by the parent;
* "Text extraction ran out of memory (limit 1024 MB)." - a MemoryError in the worker (the
  usual effect of RLIMIT_AS), or the worker was SIGKILLed by someone else (on Linux, the
  kernel's out-of-memory killer);
* "The extractor crashed." - any other death (segfault, abort in a native library).

Results cross the process boundary as JSON, checked field by field (see :mod:`.wire`). A pool is not
thread-safe: use it from one thread at a time (e.g. the publisher's QThread). Always close it
(``with`` or :meth:`close`): workers are stopped, joined and their pipes closed. A pool that
is garbage-collected unclosed kills its workers and emits a ResourceWarning.

When the application is frozen (PyInstaller), ``multiprocessing.freeze_support()`` must be
called first thing in ``main``; with "spawn" the entry script is re-imported by each worker,
so keep heavy imports (Qt) under ``if __name__ == "__main__"`` or inside ``main()``.

:meth:`run` raises RuntimeError only for a systemic failure: workers that die before
becoming ready three times in a row (or never become ready within ``start_timeout_s``).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import time
import warnings
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path
from types import TracebackType
from typing import Any

from .errors import crashed, out_of_memory, timed_out
from .extractor import DEFAULT_MAX_CHARS
from .kinds import detect_kind
from .types import Extraction
from .wire import MAX_MESSAGE_BYTES, dumps, from_wire, loads
from .worker import worker_main

__all__ = ["ExtractionPool"]

_MAX_START_FAILURES = 3
_STOP_GRACE_S = 5.0


@dataclass
class _Task:
    id: int
    path: Path
    deadline: float


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    start_deadline: float
    ready: bool = False
    task: _Task | None = None
    exitcode: int | None = None


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))  # the CPUs this process may use
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


class ExtractionPool:
    """Extract files in worker processes with a per-file time limit and a memory limit.

    ``workers`` defaults to the number of CPUs available to this process. ``max_chars`` caps
    the text of each file. ``max_tasks_per_worker`` recycles a worker after that many files.
    """

    def __init__(
        self,
        workers: int | None = None,
        timeout_s: float = 30,
        memory_mb: int = 1024,
        *,
        max_chars: int = DEFAULT_MAX_CHARS,
        start_timeout_s: float = 60,
        max_tasks_per_worker: int = 1000,
    ) -> None:
        if workers is not None and workers < 1:
            raise ValueError("workers must be at least 1")
        if timeout_s <= 0 or memory_mb <= 0 or max_tasks_per_worker < 1:
            raise ValueError("timeout_s, memory_mb and max_tasks_per_worker must be positive")
        self.workers = workers or default_workers()
        self.timeout_s = float(timeout_s)
        self.memory_mb = int(memory_mb)
        self.max_chars = int(max_chars)
        self.start_timeout_s = float(start_timeout_s)
        self.max_tasks_per_worker = int(max_tasks_per_worker)
        self._ctx = multiprocessing.get_context("spawn")
        self._pool: list[_Worker] = []
        self._next_task_id = 0
        self._start_failures = 0
        self._closed = False

    # -- public API -------------------------------------------------------------------

    def __enter__(self) -> ExtractionPool:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def run(
        self,
        paths: Iterable[Path],
        on_result: Callable[[Path, Extraction], None] | None = None,
    ) -> dict[Path, Extraction]:
        """Extract every path; return {path: Extraction} in input order (duplicates once).

        *on_result* is called in this thread as each file finishes (completion order). For
        thousands of files prefer :meth:`iter_results`, which holds no results itself.
        """
        ordered = list(dict.fromkeys(paths))
        done: dict[Path, Extraction] = {}
        for path, extraction in self.iter_results(ordered):
            done[path] = extraction
            if on_result is not None:
                on_result(path, extraction)
        return {path: done[path] for path in ordered}

    def iter_results(self, paths: Iterable[Path]) -> Iterator[tuple[Path, Extraction]]:
        """Yield ``(path, extraction)`` as files finish (completion order, duplicates once).

        Leaving the loop early is fine: files still being extracted are abandoned and their
        workers killed; idle workers stay for the next call.
        """
        if self._closed:
            raise RuntimeError("ExtractionPool is closed")
        pending = deque(dict.fromkeys(paths))
        try:
            while pending or self._busy():
                self._top_up(len(pending) + len(self._busy()))
                self._dispatch(pending)
                yield from self._collect()
        finally:
            for worker in self._busy():
                self._discard(worker, kill=True)

    @property
    def worker_pids(self) -> list[int]:
        """Process ids of the live workers (e.g. to watch their memory with psutil)."""
        return [pid for worker in self._pool if (pid := worker.process.pid) is not None]

    def close(self) -> None:
        """Stop all workers (politely, then by force) and release their resources."""
        if self._closed:
            return
        self._closed = True
        workers, self._pool = self._pool, []
        for worker in workers:
            if worker.task is None:
                with contextlib.suppress(OSError):
                    worker.conn.send_bytes(dumps(None))
        deadline = time.monotonic() + _STOP_GRACE_S
        for worker in workers:
            if worker.task is None:
                worker.process.join(max(0.0, deadline - time.monotonic()))
            self._release(worker, kill=True)

    def __del__(self) -> None:
        if getattr(self, "_closed", True):
            return
        warnings.warn(f"unclosed {self!r}", ResourceWarning, stacklevel=2, source=self)
        try:
            for worker in self._pool:
                self._release(worker, kill=True)
        except Exception:
            pass
        self._closed = True

    # -- worker management ------------------------------------------------------------

    def _busy(self) -> list[_Worker]:
        return [worker for worker in self._pool if worker.task is not None]

    def _top_up(self, wanted: int) -> None:
        while len(self._pool) < min(self.workers, wanted):
            self._pool.append(self._spawn())

    def _spawn(self) -> _Worker:
        parent_conn, child_conn = self._ctx.Pipe(duplex=True)
        process = self._ctx.Process(
            target=worker_main,
            args=(child_conn, self.memory_mb, self.max_chars, self.max_tasks_per_worker),
            name="satchel-extract",
            daemon=True,
        )
        try:
            process.start()
        finally:
            child_conn.close()
        return _Worker(process, parent_conn, time.monotonic() + self.start_timeout_s)

    def _dispatch(self, pending: deque[Path]) -> None:
        for worker in self._pool:
            if not pending:
                return
            if worker.ready and worker.task is None:
                path = pending.popleft()
                self._next_task_id += 1
                task = _Task(self._next_task_id, path, time.monotonic() + self.timeout_s)
                try:
                    worker.conn.send_bytes(dumps([task.id, str(path.absolute())]))
                except OSError:
                    pending.appendleft(path)  # the worker died; _collect will notice
                    continue
                worker.task = task

    def _collect(self) -> list[tuple[Path, Extraction]]:
        """Wait for the next event (result, death, deadline) and handle it."""
        deadlines = [deadline for w in self._pool if (deadline := _deadline(w)) is not None]
        timeout = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
        watched: list[Any] = []
        for worker in self._pool:
            watched += [worker.conn, worker.process.sentinel]
        ready = set(wait(watched, timeout)) if watched else set()
        out: list[tuple[Path, Extraction]] = []
        for worker in list(self._pool):
            if worker.conn in ready or worker.process.sentinel in ready:
                out += self._on_event(worker)
        now = time.monotonic()
        for worker in list(self._pool):
            if worker.task is not None and now >= worker.task.deadline:
                task = worker.task
                self._discard(worker, kill=True)
                out.append((task.path, self._failed(task.path, timed_out(self.timeout_s))))
            elif not worker.ready and now >= worker.start_deadline:
                self._discard(worker, kill=True)
                self._start_failed(None)
        return out

    def _on_event(self, worker: _Worker) -> list[tuple[Path, Extraction]]:
        try:
            if not worker.conn.poll():
                return self._on_death(worker)
            message = loads(worker.conn.recv_bytes(MAX_MESSAGE_BYTES))
            if message[0] == "ready":
                worker.ready = True
                self._start_failures = 0
                return []
            _, task_id, data, retire = message
            extraction = from_wire(data)
        except (EOFError, OSError, ValueError, TypeError, KeyError, IndexError):
            return self._on_death(worker)  # gone, or talking nonsense: treat as dead
        task = worker.task
        worker.task = None
        if retire:
            self._discard(worker, kill=False)
        if task is None or task.id != task_id:
            return []
        return [(task.path, extraction)]

    def _on_death(self, worker: _Worker) -> list[tuple[Path, Extraction]]:
        task, was_ready = worker.task, worker.ready
        self._discard(worker, kill=True)
        code = worker.exitcode
        if not was_ready:
            self._start_failed(code)
            return []
        if task is None:
            return []
        killed = code is not None and hasattr(signal, "SIGKILL") and code == -signal.SIGKILL
        reason = out_of_memory(self.memory_mb) if killed else crashed()
        return [(task.path, self._failed(task.path, reason))]

    def _start_failed(self, code: int | None) -> None:
        self._start_failures += 1
        if self._start_failures >= _MAX_START_FAILURES:
            raise RuntimeError(
                f"extraction workers fail to start (last exit code {code}); "
                f"is memory_mb={self.memory_mb} too low?"
            )

    def _discard(self, worker: _Worker, *, kill: bool) -> None:
        if worker in self._pool:
            self._pool.remove(worker)
        self._release(worker, kill=kill)

    @staticmethod
    def _release(worker: _Worker, *, kill: bool) -> None:
        process = worker.process
        if _is_closed(process):
            return
        if process.is_alive():
            if not kill:
                process.join(_STOP_GRACE_S)
            if process.is_alive():
                process.kill()
        process.join()
        worker.conn.close()
        worker.exitcode = process.exitcode
        process.close()

    @staticmethod
    def _failed(path: Path, reason: str) -> Extraction:
        return Extraction(kind=detect_kind(path), searchable=False, reason=reason)


def _deadline(worker: _Worker) -> float | None:
    """When the parent must act on this worker if it stays silent (None: no hurry)."""
    if worker.task is not None:
        return worker.task.deadline
    return None if worker.ready else worker.start_deadline


def _is_closed(process: BaseProcess) -> bool:
    try:
        process.is_alive()
    except ValueError:
        return True
    return False
