"""Run one job from :mod:`app.gui.child_jobs` in a child process and wait for it.

Called on a worker thread (the write lane, so library writes stay one at a time). The waiting
thread blocks on a pipe, which releases the GIL, so the window stays responsive however hard
the child works. Progress is throttled in the child and handed to ``progress`` here; setting
``cancel`` is passed on to the child, whose core work checks it between files and chunks.
The child's exception is raised again here (a :class:`SatchelError` keeps its sentence).
A job whose work is safe to cut off anywhere (loading the report database) may ask for the
child to be stopped when it has not honoured ``cancel`` within ``terminate_after_s``.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from app.core.errors import CancelledError, SatchelError

log = logging.getLogger(__name__)

Job = Callable[[str, Callable[[Any], None], Callable[[], bool]], Any]

PROGRESS_EVERY_S = 0.05
POLL_S = 0.1


def _child_main(job: Job, home: str, conn: Connection, cancel: Any) -> None:
    """The child's entry point (module level, so spawn can find it)."""
    from app.core.logsetup import setup_logging

    with contextlib.suppress(Exception):
        setup_logging(Path(home) / "logs")
    last: dict[str, float | str] = {"at": 0.0, "kind": ""}

    def progress(p: Any) -> None:
        now = time.monotonic()
        kind = getattr(p, "stage", "")
        if kind != last["kind"] or now - float(last["at"]) >= PROGRESS_EVERY_S:
            last["at"], last["kind"] = now, kind
            conn.send(("progress", p))

    try:
        result = job(home, progress, cancel.is_set)
    except BaseException as exc:  # sent to the parent, which raises it again
        try:
            conn.send(("error", exc))
        except Exception:  # not picklable: send its text
            conn.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))
    else:
        conn.send(("done", result))
    finally:
        conn.close()


def run_in_child(
    job: Job,
    home: str,
    *,
    progress: Callable[[Any], None],
    cancel: threading.Event,
    terminate_after_s: float | None = None,
) -> Any:
    """Run ``job(home, progress, cancel)`` in a fresh process; return its result."""
    ctx = multiprocessing.get_context("spawn")
    receiver, sender = ctx.Pipe(duplex=False)
    child_cancel = ctx.Event()
    process = ctx.Process(
        target=_child_main,
        args=(job, home, sender, child_cancel),
        name=f"satchel-{getattr(job, '__name__', 'job')}",
        daemon=False,  # the demo job starts extraction workers of its own
    )
    process.start()
    sender.close()
    cancelled_at: float | None = None
    try:
        while True:
            if cancel.is_set():
                child_cancel.set()
                now = time.monotonic()
                cancelled_at = cancelled_at or now
                if terminate_after_s is not None and now - cancelled_at > terminate_after_s:
                    log.info(
                        "background job ignored cancel for %.0f s; stopping it", now - cancelled_at
                    )
                    process.terminate()
                    raise CancelledError("Cancelled; what was finished before is kept.")
            try:
                ready = receiver.poll(POLL_S)
            except (EOFError, OSError):
                ready = True
            if not ready:
                if not process.is_alive() and not receiver.poll(0):
                    raise SatchelError(
                        f"The background job stopped unexpectedly (exit code {process.exitcode});"
                        " the library is unchanged, try again."
                    )
                continue
            try:
                kind, payload = receiver.recv()
            except EOFError as exc:
                raise SatchelError(
                    "The background job stopped unexpectedly; the library is unchanged, try again."
                ) from exc
            if kind == "progress":
                progress(payload)
            elif kind == "error":
                raise payload
            else:
                return payload
    finally:
        receiver.close()
        process.join(timeout=10)
        if process.is_alive():
            log.warning("background job did not exit; terminating it")
            process.terminate()
            process.join(timeout=5)
