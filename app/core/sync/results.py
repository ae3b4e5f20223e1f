"""What a sync reports while it runs (:class:`SyncProgress`) and when it ends
(:class:`SyncResult`, with the :class:`ChangeSet` its switch made)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(slots=True)
class SyncProgress:
    stage: str  # "catalog", "download", "switch", "index", "cleanup"
    files_done: int = 0
    files_total: int = 0
    bytes_done: int = 0
    bytes_total: int = 0


ProgressFn = Callable[[SyncProgress], None]


@dataclass(frozen=True, slots=True)
class ChangeSet:
    """The items one catalog switch changed, by id."""

    new: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()  # a new version of the file
    metadata_changed: tuple[str, ...] = ()  # same file, other title or date
    withdrawn: tuple[str, ...] = ()
    not_aimed: tuple[str, ...] = ()  # current items no longer aimed at this rep

    def changed(self) -> tuple[str, ...]:
        """Items to show anew: new, updated, or with new metadata."""
        return self.new + self.updated + self.metadata_changed

    def removed(self) -> tuple[str, ...]:
        """Items that left the library: withdrawn, or no longer aimed at this rep."""
        return self.withdrawn + self.not_aimed

    def __bool__(self) -> bool:
        return bool(self.changed() or self.removed())


@dataclass(slots=True)
class SyncResult:
    serial: int
    previous_serial: int
    up_to_date: bool = False
    new: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    metadata_changed: list[str] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)
    # current items that left the library because they are not aimed at this rep (any more)
    not_aimed: list[str] = field(default_factory=list)
    files_fetched: int = 0
    bytes_fetched: int = 0
    bytes_resumed: int = 0
    item_count: int = 0
    index_adopted: bool = False  # the publisher's shipped index became this library's

    @property
    def changes(self) -> ChangeSet:
        return ChangeSet(
            tuple(self.new),
            tuple(self.updated),
            tuple(self.metadata_changed),
            tuple(self.withdrawn),
            tuple(self.not_aimed),
        )

    def record(self, changes: ChangeSet) -> None:
        """Take in the change-set of the switch."""
        self.new = list(changes.new)
        self.updated = list(changes.updated)
        self.metadata_changed = list(changes.metadata_changed)
        self.withdrawn = list(changes.withdrawn)
        self.not_aimed = list(changes.not_aimed)

    def summary(self) -> str:
        if self.up_to_date:
            return f"Library up to date (catalog serial {self.serial}, {self.item_count} items)."
        return (
            f"Synced catalog serial {self.serial}: {len(self.new)} new, "
            f"{len(self.updated)} updated, {len(self.withdrawn)} withdrawn"
            + (f", {len(self.not_aimed)} no longer aimed at you" if self.not_aimed else "")
            + "; "
            f"{self.files_fetched} files ({self.bytes_fetched:,} bytes) fetched; "
            f"{self.item_count} items."
        )
