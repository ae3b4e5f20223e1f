"""What the rest of Satchel asks of a hub: a :class:`Hub` to sync from, an :class:`Inbox` to
upload usage into, a :class:`BatchSource` to read the inbox for marketing's report."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

Progress = Callable[[int], None]  # bytes just received
Cancel = Callable[[], bool]


class Hub(Protocol):
    """A hub. One that may be asked for several objects at once, from several threads,
    says how many in a ``fetch_threads`` attribute (the sync reads it with getattr;
    without it, objects are fetched one at a time)."""

    location: str

    def read_catalog(self, cancel: Cancel | None = None) -> bytes:
        """The catalog envelope's bytes (unverified), read within the hub's time budget.

        Raises CancelledError as soon as ``cancel()`` is true between chunks."""
        ...

    def fetch_object(
        self, sha256: str, size: int, part: Path, progress: Progress, cancel: Cancel
    ) -> None:
        """Complete ``part`` with the object's bytes, resuming what is already there.

        Raises HashMismatchError (and removes ``part``) when the bytes do not hash to
        ``sha256`` or exceed ``size``.
        """
        ...


class Inbox(Protocol):
    """Where a rep's usage batches go: ``put`` writes one file, all or nothing."""

    def put(self, relpath: str, data: bytes) -> None: ...


@dataclass(frozen=True, slots=True)
class BatchRef:
    name: str  # as shown to people: inbox/<device>/<file>
    stem: str  # the file name without .json: the batch id when the app wrote it
    locator: str  # a path or URL


class BatchSource(Protocol):
    """A hub's inbox as marketing's report reads it."""

    location: str

    def read_catalog(self) -> bytes: ...

    def devices(self) -> list[str]:
        """The device folders in the inbox, sorted."""
        ...

    def batches(self, device: str) -> list[BatchRef]:
        """The batch files in one device folder, sorted."""
        ...

    def read(self, ref: BatchRef) -> bytes:
        """The file's bytes (at most one byte past the batch limit); BatchUnreadable if not."""
        ...
