"""Background sync: upload pending usage, then pull the hub; progress, cancel, online state.

A sync is started on demand (toolbar, F5), by a timer every ``sync_interval_min`` minutes,
and when a watched folder hub publishes a new catalog. It runs in a child process (see
:mod:`app.gui.child_jobs` for why) that the write lane waits for, so library writes stay one
at a time. Progress arrives about 20 times a second. Cancelling sets a flag the core checks
between files and between chunks; the core then leaves the library as it was.

When a sync ends, only what its change-set names is read back (:func:`load_sync_changes`,
off the GUI thread) and handed on in :attr:`SyncController.changes_loaded`: the window
applies those rows instead of reloading the whole library.
"""

from __future__ import annotations

import enum
import logging
import threading
from dataclasses import dataclass, replace

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from sqlalchemy import select

from app.core.errors import CancelledError, HubUnreachableError, SatchelError
from app.core.library import Library
from app.core.models import Item
from app.core.sync import SyncProgress
from app.gui.child_jobs import SyncOutcome, sync_job
from app.gui.item_data import (
    HubInfo,
    ItemSummary,
    LibrarySnapshot,
    load_hub_info,
    load_summaries,
)
from app.gui.process_job import run_in_child
from app.gui.watch_bridge import HubWatchBridge
from app.gui.workers import Lane, TaskRunner

log = logging.getLogger(__name__)


class Connection(enum.Enum):
    UNKNOWN = "Hub not checked yet"
    ONLINE = "Online"
    OFFLINE = "Offline"
    FAILED = "Sync failed"


@dataclass(frozen=True, slots=True)
class SyncChanges:
    """A finished sync's change-set, read back for the window."""

    changed: tuple[ItemSummary, ...]  # new, updated or re-described, and visible
    removed: tuple[str, ...]  # withdrawn, no longer aimed at the rep, or not visible
    hub: HubInfo  # the hub state the sync recorded

    def onto(self, previous: LibrarySnapshot) -> LibrarySnapshot:
        """``previous`` with the sync's hub state (its rows are the model's business)."""
        return replace(previous, hub=self.hub)


def load_sync_changes(library: Library, outcome: SyncOutcome) -> SyncChanges:
    """The rows ``outcome``'s change-set names, and the items that expired meanwhile
    (runs on a worker thread)."""
    changes = outcome.result.changes
    now = library.expiry_now()
    wanted = changes.changed()
    shown = load_summaries(library, wanted, now=now)
    visible = {s.id for s in shown}
    hidden = tuple(i for i in wanted if i not in visible)  # expired already
    with library.sessions() as s:
        stmt = select(Item.id).where(Item.status == "current", Item.expires_at <= now)
        expired = tuple(s.scalars(stmt))
    removed = tuple(dict.fromkeys(changes.removed() + hidden + expired))
    return SyncChanges(tuple(shown), removed, load_hub_info(library))


class SyncController(QObject):
    """See the module docstring."""

    started = Signal()
    progress = Signal(object)  # SyncProgress (a copy)
    finished = Signal(object)  # SyncOutcome
    changes_loaded = Signal(object)  # SyncChanges, after finished
    failed = Signal(str)  # one sentence for the rep
    cancelled = Signal()
    state_changed = Signal()
    _progress_relay = Signal(object)

    def __init__(
        self,
        library: Library,
        runner: TaskRunner,
        parent: QObject | None = None,
        *,
        watch_bridge: HubWatchBridge | None = None,
    ) -> None:
        super().__init__(parent)
        self._library = library
        self._runner = runner
        self._cancel: threading.Event | None = None
        self._again = False
        self._quiet = False
        self.connection = Connection.UNKNOWN
        self.last_message = ""
        self.last_outcome: SyncOutcome | None = None
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._periodic)
        self._progress_relay.connect(self._relay_progress)
        self.watch = watch_bridge or HubWatchBridge(self)
        self.watch.catalog_changed.connect(
            self._catalog_changed, Qt.ConnectionType.QueuedConnection
        )

    # ------------------------------------------------------------ state

    @property
    def busy(self) -> bool:
        return self._cancel is not None

    def set_interval(self, minutes: int) -> None:
        """Sync every ``minutes`` (0 turns the timer off)."""
        if minutes > 0:
            self._timer.start(minutes * 60_000)
        else:
            self._timer.stop()

    def watch_hub(self, location: str | None, polling: bool | None) -> bool:
        return self.watch.watch(location, polling)

    def stop(self) -> None:
        """Stop timers and the watcher, cancel a running sync (window closing)."""
        self._timer.stop()
        self.watch.stop()
        self._again = False
        self.cancel()

    # ------------------------------------------------------------ actions

    def sync_now(self, *, quiet: bool = False) -> bool:
        """Start a sync unless one is running. ``quiet``: a failure only changes the status."""
        if self._cancel is not None:
            return False
        cancel = threading.Event()
        self._cancel = cancel
        self._quiet = quiet
        relay = self._progress_relay
        home = str(self._library.paths.home)
        self._runner.submit(
            Lane.WRITE,
            lambda: run_in_child(sync_job, home, progress=relay.emit, cancel=cancel),
            on_done=self._done,
            on_error=self._error,
        )
        self.started.emit()
        return True

    def cancel(self) -> None:
        if self._cancel is not None:
            self._cancel.set()

    # ------------------------------------------------------------ results

    @Slot(object)
    def _relay_progress(self, progress: object) -> None:
        if self._cancel is not None and isinstance(progress, SyncProgress):
            self.progress.emit(progress)

    def _done(self, outcome: object) -> None:
        self._cancel = None
        assert isinstance(outcome, SyncOutcome)
        self.last_outcome = outcome
        self.connection = Connection.ONLINE
        self.last_message = outcome.result.summary()
        self.state_changed.emit()
        self.finished.emit(outcome)
        library = self._library
        self._runner.submit(
            Lane.IO,
            lambda: load_sync_changes(library, outcome),
            on_done=self.changes_loaded.emit,
            on_error=self._changes_failed,
        )
        self._maybe_again()

    def _changes_failed(self, exc: BaseException) -> None:
        log.error("reading what the sync changed failed", exc_info=exc)
        self.failed.emit("The library changed but could not be read back; restart Satchel.")

    def _error(self, exc: BaseException) -> None:
        self._cancel = None
        if isinstance(exc, CancelledError):
            self.last_message = "Sync cancelled; the library is unchanged."
            self.state_changed.emit()
            self.cancelled.emit()
            return
        if isinstance(exc, HubUnreachableError):
            self.connection = Connection.OFFLINE
            message = str(exc)
        elif isinstance(exc, SatchelError):
            self.connection = Connection.FAILED
            message = str(exc)
        else:
            log.error("sync failed", exc_info=exc)
            self.connection = Connection.FAILED
            message = f"Sync failed unexpectedly ({type(exc).__name__}); details are in the log."
        self.last_message = message
        self.state_changed.emit()
        if not self._quiet or not isinstance(exc, HubUnreachableError):
            self.failed.emit(message)
        self._maybe_again()

    def _maybe_again(self) -> None:
        if self._again:
            self._again = False
            self.sync_now(quiet=True)

    @Slot()
    def _periodic(self) -> None:
        self.sync_now(quiet=True)

    @Slot()
    def _catalog_changed(self) -> None:
        if self._cancel is not None:
            self._again = True  # the catalog changed mid-sync: go again once this one ends
        else:
            self.sync_now(quiet=True)
