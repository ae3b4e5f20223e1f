"""Named points where the fault-injection tests kill this process with SIGKILL.

Set ``SATCHEL_CRASHPOINT=name`` (optionally ``name:N`` for the N-th time the point is
reached) in a test subprocess's environment. Unset, a crash point is one dictionary lookup.
This is how the crash-consistency tests kill a real sync or upload at exact places.
"""

from __future__ import annotations

import os
import signal
import threading

ENV = "SATCHEL_CRASHPOINT"
_hits: dict[str, int] = {}
_lock = threading.Lock()  # a sync fetches on several threads: count every hit once


def crashpoint(name: str) -> None:
    spec = os.environ.get(ENV)
    if not spec:
        return
    target, _, nth = spec.partition(":")
    if target != name:
        return
    with _lock:
        _hits[name] = hit = _hits.get(name, 0) + 1
    if hit >= int(nth or "1"):
        os.kill(os.getpid(), signal.SIGKILL)
