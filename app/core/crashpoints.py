"""Named points where the fault-injection tests kill this process with SIGKILL.

Set ``SATCHEL_CRASHPOINT=name`` (optionally ``name:N`` for the N-th time the point is
reached) in a test subprocess's environment. Unset, a crash point is one dictionary lookup.
This is how the crash-consistency tests kill a real sync or upload at exact places.
"""

from __future__ import annotations

import os
import signal

ENV = "SATCHEL_CRASHPOINT"
_hits: dict[str, int] = {}


def crashpoint(name: str) -> None:
    spec = os.environ.get(ENV)
    if not spec:
        return
    target, _, nth = spec.partition(":")
    if target != name:
        return
    _hits[name] = _hits.get(name, 0) + 1
    if _hits[name] >= int(nth or "1"):
        os.kill(os.getpid(), signal.SIGKILL)
