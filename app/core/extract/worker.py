"""The body of one extraction worker process (started by :class:`~.pool.ExtractionPool`).

At start it lowers its own limits (RLIMIT_AS to the pool's memory_mb, no core dumps; on
platforms without :mod:`resource`, such as Windows, only the parent's timeout applies),
ignores Ctrl+C (the parent decides when workers stop), says "ready", then extracts one file
per request until told to stop or its pipe closes. Heavy libraries are imported by the
extractors on first use, so a worker only loads what its files need, once.

Messages (JSON, see :mod:`.wire`): parent -> worker ``[task_id, path]`` or ``null`` to stop;
worker -> parent ``["ready", pid]`` then ``["result", task_id, extraction, retire]``. A worker
asks to be retired after a MemoryError (its heap may be in a bad state) or after
``max_tasks`` files (bounds slow leaks in native libraries).

Test hook (off unless the environment variable ``SATCHEL_EXTRACT_TEST_HOOK=1`` is set when
the pool starts; never set by the app): files whose name ends with ``.satchel-test-hang``
block forever, ``.satchel-test-oom`` allocate twice the memory limit, ``.satchel-test-crash``
abort the process. This lets tests drive the time, memory and crash paths deterministically
without slow or huge fixtures.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from multiprocessing.connection import Connection
from pathlib import Path

from .errors import out_of_memory
from .extractor import run_extraction
from .kinds import detect_kind
from .types import Extraction
from .wire import dumps, loads, to_wire

__all__ = ["TEST_HOOK_ENV", "worker_main"]

TEST_HOOK_ENV = "SATCHEL_EXTRACT_TEST_HOOK"


def worker_main(conn: Connection, memory_mb: int, max_chars: int, max_tasks: int) -> None:
    _quiet_signals()
    _limit_resources(memory_mb)
    hooks = os.environ.get(TEST_HOOK_ENV) == "1"
    try:
        conn.send_bytes(dumps(["ready", os.getpid()]))
        for done in range(1, max_tasks + 1):
            try:
                message = loads(conn.recv_bytes())
            except (EOFError, OSError):
                return
            if message is None:
                return
            task_id, path_str = message
            extraction = _extract(Path(path_str), max_chars, memory_mb, hooks)
            retire = extraction.reason == out_of_memory(memory_mb) or done >= max_tasks
            _send_result(conn, task_id, extraction, memory_mb, retire)
            if retire:
                return
    except (BrokenPipeError, EOFError, ConnectionResetError):
        return  # the parent went away
    finally:
        conn.close()


def _extract(path: Path, max_chars: int, memory_mb: int, hooks: bool) -> Extraction:
    try:
        if hooks:
            _test_hook(path, memory_mb)
        return run_extraction(path, max_chars=max_chars, memory_mb=memory_mb)
    except MemoryError:
        kind = detect_kind(path)
        return Extraction(kind=kind, searchable=False, reason=out_of_memory(memory_mb))


def _send_result(
    conn: Connection, task_id: int, extraction: Extraction, memory_mb: int, retire: bool
) -> None:
    try:
        conn.send_bytes(dumps(["result", task_id, to_wire(extraction), retire]))
    except MemoryError:
        failed = Extraction(extraction.kind, searchable=False, reason=out_of_memory(memory_mb))
        conn.send_bytes(dumps(["result", task_id, to_wire(failed), True]))


def _quiet_signals() -> None:
    with contextlib.suppress(ValueError, OSError):
        signal.signal(signal.SIGINT, signal.SIG_IGN)


def _limit_resources(memory_mb: int) -> None:
    try:
        import resource
    except ImportError:  # Windows: the parent's timeout is the only limit
        return
    limit = memory_mb * 1024 * 1024
    try:
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ValueError, OSError):  # e.g. macOS refuses RLIMIT_AS below what is mapped
        pass
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _test_hook(path: Path, memory_mb: int) -> None:
    name = path.name
    if name.endswith(".satchel-test-hang"):
        threading.Event().wait()
    elif name.endswith(".satchel-test-oom"):
        hog = bytearray(2 * memory_mb * 1024 * 1024)
        del hog
    elif name.endswith(".satchel-test-crash"):
        sys.stderr.flush()
        os.abort()
