"""Step 2, the downloads: a few threads fetch the objects a sync needs, smallest first."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from app.core.catalog import BlobRef
from app.core.errors import CancelledError
from app.core.hub import DiskFullError
from app.core.sync.results import SyncProgress, SyncResult
from app.core.sync.run_state import CANCELLED, SyncRun, entries

Task = list[tuple[Path, BlobRef]]  # one object, and every name it is wanted under


class Downloads:
    """The download stage: a few threads fetch objects, each task one object, smallest
    first (a hub without ``fetch_threads`` is read on the calling thread alone).

    Progress is counted, reported and followed by a look at ``cancel`` after every chunk
    and every object placed, as one step under one lock: reports never overlap, only grow,
    and have told of every byte that arrived before the sync stops.

    The first error wins: no object is started after it, every thread is joined, and then
    it is raised - a cancellation, a hub error, a hash mismatch or a full disk alike; later
    errors of other threads are dropped. Fetches in flight are stopped at once (between
    chunks; what arrived stays for the next sync to resume) - except after a full disk:
    then each one finishes or hits the wall itself (and its partial file is deleted), so
    no partial download is left on a full disk, and the files that fitted stay."""

    def __init__(
        self,
        run: SyncRun,
        fetch_one: FetchOne,
        result: SyncResult,
        prog: SyncProgress,
        threads: int,
    ) -> None:
        self.sync = run
        self._fetch_one = fetch_one
        self.result = result
        self.prog = prog
        self.threads = threads
        self.stop = threading.Event()  # fetches in flight stop between chunks
        self._lock = threading.Lock()
        self._tasks: Iterator[Task] = iter(())
        self._error: BaseException | None = None
        self._closing = False  # no object is started any more
        self._in_flight: set[Path] = set()
        self._parts = set(entries(run.paths.tmp_dir))  # partials an earlier sync left

    def run(self, tasks: list[Task]) -> None:
        self._tasks = iter(tasks)
        if self.threads == 1:
            self._work()
        else:
            workers = [
                threading.Thread(target=self._work, name=f"sync-fetch-{n}")
                for n in range(min(self.threads, len(tasks)))
            ]
            try:
                for w in workers:
                    w.start()
                for w in workers:
                    w.join()
            except BaseException as exc:  # an interrupt while waiting
                self._fail(exc)
                raise
            finally:
                for w in workers:
                    if w.ident is not None:
                        w.join()
        error = self._error
        if isinstance(error, DiskFullError):
            for part in self._in_flight:  # stopped half-way: give their space back as well
                part.unlink(missing_ok=True)
        if error is not None:
            raise error

    # -------------------------------------------------------------- on a fetching thread

    def _work(self) -> None:
        try:
            while (task := self._next()) is not None:
                self._fetch_one(task, self)
        except DiskFullError as exc:
            self._fail(exc, finish_in_flight=True)
        except BaseException as exc:  # raised by run() once every thread stopped
            self._fail(exc)

    def _next(self) -> Task | None:
        with self._lock:
            if self._closing:
                return None
            if not self.sync.cancelled():
                return next(self._tasks, None)
        self._cancel()
        return None

    def _fail(self, exc: BaseException, *, finish_in_flight: bool = False) -> None:
        with self._lock:
            if self._error is None:
                self._error = exc
            self._closing = True
            if not finish_in_flight:
                self.stop.set()

    def _cancel(self) -> None:
        self._fail(CancelledError(CANCELLED))

    def resumable(self, part: Path) -> int:
        """Bytes already in ``part`` from an earlier sync (no look at the disk for others)."""
        if part not in self._parts:
            return 0
        try:
            return part.stat().st_size
        except FileNotFoundError:
            return 0

    def started(self, part: Path) -> None:
        with self._lock:
            self._in_flight.add(part)

    def on_bytes(self, n: int) -> None:
        with self._lock:
            self.prog.bytes_done += n
            self.result.bytes_fetched += n  # bytes that really came from the hub
            self.sync.report(self.prog)
            cancelled = self.sync.cancelled()
        if cancelled:
            self._cancel()  # this fetch and the others stop at their next chunk

    def fetched(self, part: Path, resumed: int) -> None:
        """``part`` was complete, checked, and moved into place."""
        with self._lock:
            self._in_flight.discard(part)
            self.result.bytes_resumed += resumed
            self.result.files_fetched += 1

    def placed(self, dest: Path) -> None:
        with self._lock:
            self.sync.written.append(dest)
            self.prog.files_done += 1
            self.sync.report(self.prog)


FetchOne = Callable[[Task, Downloads], None]  # fetch one task, on a fetching thread
