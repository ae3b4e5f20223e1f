"""Publishing from a watched folder: marketing's side of ``publish --watch``. No Qt here.

:class:`PublishWatcher` publishes once when it starts, then again each time the source folder
has changed and then been quiet for ``settle_s`` seconds (debounced: a folder being copied in
publishes once, after the copy). Changes are noticed by watchdog's native observer, or by its
polling observer for network shares (chosen by :func:`~app.core.hub.watch.is_network_path`,
forced with ``polling=True``, and used when native watching cannot start). Files an OS or a
sync client leaves around (:func:`~app.core.hub.watch.is_junk`) wake nothing. ``also``
names one more file whose changes publish: marketing's replies file beside the key
(:mod:`app.core.replies`), so a ``respond`` reaches reps without touching the folder.

A file still being written while a publish reads it is caught twice: the publish checks every
object it stores against the hash it read, and the watcher compares every file's size and
modification time before and after the publish - when anything moved, it waits for the folder
to settle again and publishes again. A publish that fails (a :class:`SatchelError` or an
``OSError``: the hub is then as it was, since the catalog is replaced last) is logged in one
sentence and tried again after the next change, or after a back-off that doubles from
``settle_s`` up to ten minutes. :meth:`PublishWatcher.request_stop` (what Ctrl-C calls)
cancels a publish in progress - leaving the hub as it was - and ends :meth:`run`.

Timing uses an injectable ``clock`` and waits on an event, never on sleeps: each wait is
bounded by the time left until the folder counts as settled.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers.api import BaseObserver

from app.core.errors import CancelledError, SatchelError
from app.core.hub.watch import is_junk, is_network_path, start_observer

log = logging.getLogger(__name__)

DEFAULT_SETTLE_S = 30.0
DEFAULT_POLL_INTERVAL_S = 2.0
MAX_RETRY_S = 600.0

Snapshot = dict[str, tuple[int, int]]  # relative path -> (size, mtime_ns)
class PublishOnce(Protocol):
    """Publish once, stopping when ``cancel()`` turns true; ``refresh``: re-sign even when
    nothing changed (see ``publish --refresh``). Returns the summary line."""

    def __call__(self, cancel: Callable[[], bool], refresh: bool = False) -> str: ...


def snapshot(src: Path) -> Snapshot:
    """Size and modification time of every file under ``src`` (junk and links left out)."""
    out: Snapshot = {}
    for folder, dirs, files in os.walk(src):
        base = Path(folder)
        dirs[:] = [d for d in dirs if not is_junk(d) and not (base / d).is_symlink()]
        for name in files:
            if is_junk(name):
                continue
            path = base / name
            try:
                st = path.lstat()
            except OSError:
                continue
            if path.is_symlink():
                continue
            out[path.relative_to(src).as_posix()] = (st.st_size, st.st_mtime_ns)
    return out


class _Events(FileSystemEventHandler):
    def __init__(self, root: Path, poke: Callable[[], None]) -> None:
        self._root = root
        self._poke = poke

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return  # reading a file (the publish itself does) changes nothing
        for raw in (event.src_path, getattr(event, "dest_path", "")):
            if not raw:
                continue
            text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
            try:
                rel = Path(text).relative_to(self._root)
            except ValueError:
                continue
            if not is_junk(rel):
                self._poke()
                return


class _OneFile(FileSystemEventHandler):
    def __init__(self, path: Path, poke: Callable[[], None]) -> None:
        self._name = path.name
        self._poke = poke

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        for raw in (event.src_path, getattr(event, "dest_path", "")):
            text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
            if text and Path(text).name == self._name:
                self._poke()
                return


class PublishWatcher:
    """Runs ``publish_once`` at start and after every settled change of ``src``.

    ``log_line`` receives one line per publish (its summary) and one per failure.
    """

    def __init__(
        self,
        src: Path,
        publish_once: PublishOnce,
        *,
        settle_s: float = DEFAULT_SETTLE_S,
        polling: bool | None = None,
        poll_interval_s: float = DEFAULT_POLL_INTERVAL_S,
        clock: Callable[[], float] = time.monotonic,
        log_line: Callable[[str], None] = print,
        also: Path | None = None,
        refresh_after_s: float | None = None,
    ) -> None:
        self.src = src
        # re-sign this often even when nothing changes, so a quiet hub's catalog never
        # reaches its valid-until while the watcher runs (None: never)
        self._refresh_after_s = refresh_after_s
        self._next_refresh: float | None = None
        self._refresh = False  # the next publish is a refresh
        self.also = also  # one more file whose changes publish (marketing's replies file)
        self._publish_once = publish_once
        self._settle_s = max(0.0, settle_s)
        self._polling_choice = polling
        self._poll_interval_s = poll_interval_s
        self._clock = clock
        self._log_line = log_line
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._due: float | None = None  # when the folder counts as settled (clock time)
        self._failures = 0
        self.uses_polling = False
        self.publishes = 0  # publish attempts, for callers and tests

    # ------------------------------------------------------------------ control

    def request_stop(self) -> None:
        """Stop :meth:`run` (and cancel a publish in progress). Safe from a signal handler."""
        self._stop.set()
        self._wake.set()

    def stopping(self) -> bool:
        return self._stop.is_set()

    def poke(self) -> None:
        """Something changed: publish once the folder has been quiet for ``settle_s``."""
        with self._lock:
            self._due = self._clock() + self._settle_s
        self._wake.set()

    # ------------------------------------------------------------------ the loop

    def run(self) -> None:
        """Publish now, then watch until :meth:`request_stop`. Raises SatchelError when the
        folder cannot be watched at all."""
        observer = self._start()
        try:
            with self._lock:
                self._due = self._clock()  # the first publish: at once
            if self._refresh_after_s is not None:
                self._next_refresh = self._clock() + self._refresh_after_s
            while not self._stop.is_set():
                self._refresh_if_due()
                with self._lock:
                    due = self._due
                if due is None:
                    until = self._next_refresh
                    self._wait(None if until is None else max(0.0, until - self._clock()))
                    continue
                left = due - self._clock()
                if left > 0:
                    self._wait(left)
                    continue
                with self._lock:
                    if self._due != due:  # poked meanwhile: wait for quiet again
                        continue
                    self._due = None
                self._publish()
        finally:
            observer.stop()
            observer.join(timeout=10)

    def _refresh_if_due(self) -> None:
        if self._next_refresh is None or self._clock() < self._next_refresh or self._refresh:
            return
        self._refresh = True
        with self._lock:
            if self._due is None:
                self._due = self._clock()

    def _wait(self, timeout: float | None) -> None:
        self._wake.wait(timeout)
        self._wake.clear()

    def _publish(self) -> None:
        before = snapshot(self.src)
        self.publishes += 1
        try:
            if self._refresh:
                summary = self._publish_once(self.stopping, refresh=True)
            else:
                summary = self._publish_once(self.stopping)
        except CancelledError:
            if self._stop.is_set():
                return
            raise
        except (SatchelError, OSError) as exc:
            self._failures += 1
            retry = min(MAX_RETRY_S, max(self._settle_s, 1.0) * 2 ** (self._failures - 1))
            text = str(exc) if isinstance(exc, SatchelError) else f"{exc.strerror or exc}"
            log.warning("watched publish failed: %s", exc)
            with self._lock:
                changed = self._due is not None  # poked while it ran
            if changed or snapshot(self.src) != before:
                self._log_line(
                    f"Publish failed: {text.rstrip('.')}; the folder changed meanwhile, so it "
                    "is published again once it is quiet."
                )
                self.poke()
                return
            self._log_line(
                f"Publish failed: {text.rstrip('.')}; trying again after the next change "
                f"or in {retry:.0f} s."
            )
            with self._lock:
                if self._due is None:
                    self._due = self._clock() + retry
            return
        self._failures = 0
        if self._refresh and self._refresh_after_s is not None:
            self._refresh = False
            self._next_refresh = self._clock() + self._refresh_after_s
        self._log_line(summary)
        if snapshot(self.src) != before:  # a file changed while it was read: again, later
            log.info("the source folder changed during the publish; publishing again")
            self.poke()

    def _start(self) -> BaseObserver:
        root = self.src
        if not root.is_dir():
            raise SatchelError(f"The source folder {root} is not a folder that can be watched.")
        polling = self._polling_choice
        if polling is None:
            polling = is_network_path(root)
        observer = self._observer(root, polling)
        if observer is None and not polling:
            observer = self._observer(root, True)
        if observer is None:
            raise SatchelError(f"The source folder {root} cannot be watched.")
        if self.also is not None and self.also.parent.is_dir():
            try:
                handler = _OneFile(self.also, self.poke)
                observer.schedule(handler, str(self.also.parent), recursive=False)
            except Exception as exc:  # the source folder is still watched
                log.warning("cannot watch %s: %s", self.also, exc)
        return observer

    def _observer(self, root: Path, polling: bool) -> BaseObserver | None:
        observer = start_observer(
            root, _Events(root, self.poke), polling, self._poll_interval_s, recursive=True
        )
        if observer is not None:
            self.uses_polling = polling
        return observer
