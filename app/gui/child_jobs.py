"""Long library jobs that run in a child process (no Qt here): sync, demo setup, index warm-up.

Why a process: syncing ends with the search index update, and Whoosh does much of that in
long C calls (sorting every posting of the batch, regular expressions over whole documents)
that hold Python's global interpreter lock for hundreds of milliseconds. In a worker *thread*
the window would freeze meanwhile; in a child process it cannot. The child opens the library
itself (SQLite and the index are safe across processes), reports progress through
:func:`app.gui.process_job.run_in_child`, and checks the cancel flag the core polls.

Each job is a top-level function ``job(home, progress, cancel)`` so it can be named across
the process boundary; it returns a small picklable result.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from app.core.demo import install_demo
from app.core.itconfig import load_it_config
from app.core.library import Library
from app.core.sync import SyncProgress, SyncResult, rep_sync
from app.core.timeutil import utcnow

log = logging.getLogger(__name__)

Report = Callable[[Any], None]
Cancel = Callable[[], bool]


@dataclass(frozen=True, slots=True)
class SyncOutcome:
    result: SyncResult
    uploaded_events: int
    upload_warning: str | None
    finished_at: datetime
    replies: tuple[str, ...] = ()  # marketing's new answers to the rep's flags and requests

    def headline(self) -> str:
        """The window's one line about the sync."""
        r = self.result
        if r.up_to_date:
            return "Library up to date."
        return (
            f"Sync done: {len(r.new)} new, {len(r.updated)} updated, {len(r.withdrawn)} withdrawn."
        )


@dataclass(frozen=True, slots=True)
class SetupProgress:
    """Progress of the demo setup: publishing the bundled files, then syncing them."""

    stage: str
    done: int
    total: int


def warm_index(library: Library) -> int:
    """Open (or rebuild) the search index; returns its size. A failed reconcile leaves the
    opened index usable, so it is logged and the count is asked again."""
    try:
        return library.index.doc_count()
    except Exception:
        log.exception("opening the search index reported a problem")
        return library.index.doc_count()


def sync_job(home: str, progress: Report, cancel: Cancel) -> SyncOutcome:
    """Upload pending usage, then pull the hub (:func:`app.core.sync.rep_sync`, as the
    CLI's ``sync`` does, with IT's configuration file honoured the same way)."""
    with Library.open(Path(home)) as library:
        outcome = rep_sync(library, load_it_config(), progress=progress, cancel=cancel)
        warning = None
        if outcome.upload_error is not None:
            warning = f"Usage not uploaded yet, it stays queued ({outcome.upload_error})"
        return SyncOutcome(
            outcome.result, outcome.uploaded.events_sent, warning, utcnow(), outcome.replies
        )


def demo_job(home: str, progress: Report, cancel: Cancel) -> SyncResult:
    """First run: publish the bundled demo into a local hub and sync it (app.core.demo)."""
    with Library.open(Path(home)) as library:

        def on_publish(stage: str, done: int, total: int) -> None:
            progress(SetupProgress("publish", done, total))

        def on_sync(p: SyncProgress) -> None:
            progress(SetupProgress(p.stage, p.files_done, p.files_total))

        result = install_demo(library, progress=on_sync, publish_progress=on_publish, cancel=cancel)
        warm_index(library)
        return result


def index_job(home: str, progress: Report, cancel: Cancel) -> int:
    """Open the index once in the child, so a rebuild (new schema, damage) never runs in the
    window's process; the window then opens the ready index quickly."""
    with Library.open(Path(home)) as library:
        return warm_index(library)
