"""How long a hub may take: per-read timeouts, a stall check, and a time budget per file.

What a hostile or broken hub can do to a reader, and what it gets:

* endless data: the catalog is read up to :data:`~app.core.catalog.MAX_CATALOG_BYTES` (+1),
  an object up to its declared size (+1); anything longer is refused, never stored whole;
* slow retrieval: every network read waits at most ``timeout_s`` (``SATCHEL_HUB_TIMEOUT``
  seconds, default 30), a transfer that after ``timeout_s`` still averages under
  :data:`MIN_BYTES_PER_S` is abandoned, and every file - the catalog included - must arrive
  within its :class:`TimeBudget` (``max(60 s, size / 8 KiB/s)``; ``SATCHEL_HUB_DEADLINE``
  sets the 60 s), checked as bytes arrive; what arrived of an object is kept and the next
  sync resumes. Reading the catalog, like every object, stops at the sync's ``cancel``;
* truncation (a connection closed early, a lying Content-Length): the partial file is kept
  for resuming and the sync stops with "stopped answering"; a complete answer that is too
  short, too long or different fails its hash and is discarded.

The sentences for these failures live here too, so both kinds of hub say the same.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

from app.core.errors import HubError, HubUnreachableError

DEFAULT_TIMEOUT_S = 30.0
TIMEOUT_ENV = "SATCHEL_HUB_TIMEOUT"
MIN_BYTES_PER_S = 1024  # slower than this on average (after timeout_s) is a stalled download
DEFAULT_DEADLINE_S = 60.0
DEADLINE_ENV = "SATCHEL_HUB_DEADLINE"
MIN_FILE_RATE = 8 * 1024  # bytes/s a whole file must average once past the base deadline

CATALOG_WHAT = "the catalog"
CANCELLED = "Sync cancelled; the library is unchanged."


def default_timeout_s() -> float:
    """Seconds a network read may wait: ``SATCHEL_HUB_TIMEOUT`` if set to a sane number."""
    try:
        value = float(os.environ.get(TIMEOUT_ENV, ""))
    except ValueError:
        return DEFAULT_TIMEOUT_S
    return value if 0 < value <= 3600 else DEFAULT_TIMEOUT_S


def default_deadline_s() -> float:
    """Seconds any one file may take at least: ``SATCHEL_HUB_DEADLINE`` if set to a sane
    number, else 60."""
    try:
        value = float(os.environ.get(DEADLINE_ENV, ""))
    except ValueError:
        return DEFAULT_DEADLINE_S
    return value if 0 < value <= 86_400 else DEFAULT_DEADLINE_S


@dataclass(frozen=True, slots=True)
class TimeBudget:
    """How long one file from a hub may take in all: ``max(base_s, size / min_rate)``
    seconds from its request, so a hub that trickles a file (even just fast enough to pass
    the stall check) is given up on in bounded time. When the size is not known in advance
    (a catalog served without Content-Length) the bytes received so far stand in for it:
    past ``base_s`` the transfer must keep averaging ``min_rate``."""

    base_s: float = DEFAULT_DEADLINE_S
    min_rate: float = MIN_FILE_RATE

    @classmethod
    def default(cls) -> TimeBudget:
        return cls(base_s=default_deadline_s())

    def seconds(self, size: int) -> float:
        return max(self.base_s, size / self.min_rate)


class Deadline:
    """The clock of one file against its :class:`TimeBudget`."""

    def __init__(self, budget: TimeBudget, size: int | None = None) -> None:
        self.budget = budget
        self.size = size
        self.start = time.monotonic()

    def elapsed(self) -> float:
        return time.monotonic() - self.start

    def overrun(self, got: int) -> float | None:
        """Seconds elapsed when the file has taken longer than its budget, else None."""
        elapsed = time.monotonic() - self.start
        allowed = self.budget.seconds(self.size if self.size is not None else got)
        return elapsed if elapsed > allowed else None


def _amount(n: int) -> str:
    """Bytes as people read them: 300 bytes, 12 KB, 3.4 MB."""
    if n < 1000:
        return "1 byte" if n == 1 else f"{n:,} bytes"
    if n < 1_000_000:
        return f"{n / 1000:.0f} KB"
    return f"{n / 1_000_000:.1f} MB"


def too_slow(location: str, what: str, got: int, elapsed: float) -> HubUnreachableError:
    """The one sentence for a file that took longer than it may."""
    seconds = f"{elapsed:.1f}" if elapsed < 9.95 else f"{elapsed:.0f}"
    return HubUnreachableError(
        f"The hub {location} sent {what} too slowly: {_amount(got)} in {seconds} s; "
        + then_what(what)
    )


def never() -> bool:
    return False


def then_what(what: str) -> str:
    """What happens after a transfer failed: objects resume, the catalog is read again."""
    if what == CATALOG_WHAT:
        return "try again on a better connection."
    return "the next sync resumes where this one stopped."


def catalog_too_big() -> HubError:
    return HubError("The hub's catalog is larger than any real catalog; refusing it.")
