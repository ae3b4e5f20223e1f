"""First run with nothing configured: install the bundled demo library in the background."""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal, Slot

from app.core.errors import CancelledError, SatchelError
from app.core.library import Library
from app.gui.banners import Banner
from app.gui.child_jobs import SetupProgress, demo_job
from app.gui.process_job import run_in_child
from app.gui.workers import Lane, TaskRunner


class DemoSetup(QObject):
    """Runs :func:`app.gui.child_jobs.demo_job` (publish the bundled demo into a local hub,
    sync it, build the index) in a child process, waited for on the write lane."""

    progress = Signal(str, int, int)  # stage, done, total
    finished = Signal(object)  # SyncResult
    failed = Signal(str)
    _relay = Signal(object)

    def __init__(self, library: Library, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._library = library
        self._runner = runner
        self._cancel = threading.Event()
        self.running = False
        self._relay.connect(self._forward)

    def start(self) -> None:
        if self.running:
            return
        self.running = True
        relay, cancel = self._relay, self._cancel
        home = str(self._library.paths.home)
        self._runner.submit(
            Lane.WRITE,
            lambda: run_in_child(demo_job, home, progress=relay.emit, cancel=cancel),
            on_done=self._done,
            on_error=self._error,
        )

    def cancel(self) -> None:
        self._cancel.set()

    def show_in(
        self, banner: Banner, *, then: Callable[[], None], help: Callable[[], None]
    ) -> None:
        """Progress in ``banner``; ``then`` when the demo is ready; on failure the banner
        says why and offers Settings (``help``)."""
        self.progress.connect(lambda _stage, done, total: banner.set_progress(done, total))

        def done(_result: object) -> None:
            banner.hide()
            then()

        def failed(message: str) -> None:
            banner.show_message(
                f"The demo library could not be set up: {message}",
                warning=True,
                button="Settings…",
            )
            banner.action.connect(help)

        self.finished.connect(done)
        self.failed.connect(failed)

    @Slot(object)
    def _forward(self, p: object) -> None:
        if self.running and isinstance(p, SetupProgress):
            self.progress.emit(p.stage, p.done, p.total)

    def _done(self, result: object) -> None:
        self.running = False
        self.finished.emit(result)

    def _error(self, exc: BaseException) -> None:
        self.running = False
        if isinstance(exc, CancelledError):
            self.failed.emit("Setting up the demo library was cancelled.")
        elif isinstance(exc, SatchelError):
            self.failed.emit(str(exc))
        else:
            self.failed.emit(f"The demo library could not be set up ({type(exc).__name__}).")
