"""What a publish reports: the plan of a dry run and the result of a real one."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from app.core.freshness import human_date
from app.core.timeutil import utcnow


@dataclass(slots=True)
class PublishPlan:
    """What a publish would do, worked out without writing anything."""

    serial: int  # the serial the publish would write
    current_before: int  # items current in the hub now
    new: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    metadata_changed: list[str] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)  # source files that cannot be read
    unchanged: int = 0

    def withdraw_share(self) -> float:
        return len(self.withdrawn) / self.current_before if self.current_before else 0.0

    def lines(self) -> list[str]:
        changes = self.new or self.updated or self.metadata_changed or self.withdrawn
        head = (
            f"Plan for serial {self.serial} (nothing was written):"
            if changes
            else f"Plan: nothing to publish (serial {self.serial - 1} stays)."
        )
        out = [head]
        for label, ids in (
            ("new", self.new),
            ("updated", self.updated),
            ("metadata only", self.metadata_changed),
            ("withdrawn", self.withdrawn),
            ("unreadable", self.unreadable),
        ):
            out.append(f"  {label}: {len(ids)}")
            out.extend(f"    {i}" for i in ids)
        out.append(f"  unchanged: {self.unchanged}")
        if self.withdrawn:
            out.append(
                f"  ({self.withdraw_share():.0%} of the {self.current_before} current items "
                "would be withdrawn)"
            )
        return out


@dataclass(slots=True)
class PublishResult:
    serial: int
    changed: bool
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    metadata_changed: list[str] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)
    unchanged: int = 0
    unsearchable: dict[str, str] = field(default_factory=dict)
    no_preview: dict[str, str] = field(default_factory=dict)  # office items without a PDF
    objects_written: int = 0
    previous_serial: int = 0
    valid_until: datetime | None = None  # of the catalog the hub now offers
    refreshed: bool = False  # re-signed with nothing changed (``refresh``)
    # hub objects put right, as "item-id (file|text|thumbnail)": ones whose bytes did not
    # match their hash (or were not a plain file), ones that were missing, and ones that
    # could not be recreated from the source folder
    repaired: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)
    unrepairable: list[str] = field(default_factory=list)
    state_warning: str | None = None  # the publisher state could not be written
    # the shipped search index's manifest or segments that did not match what was signed
    # (or failed their checks), rebuilt; one sentence each
    index_repairs: list[str] = field(default_factory=list)
    replies: int = 0  # replies to flags and requests signed for the first time (or changed)

    def summary(self) -> str:
        until = human_date(self.valid_until) if self.valid_until else None
        if not self.changed:
            text = f"Hub unchanged (serial {self.serial})."
            if until and self.valid_until is not None and self.valid_until < utcnow():
                text += f" Its catalog was valid until {until}; --refresh re-signs it."
            elif until:
                text += f" Its catalog is valid until {until}."
            return text
        if self.refreshed:
            return (
                f"Refreshed serial {self.serial}: the same items as serial "
                f"{self.previous_serial}, now valid until {until}."
            )
        parts = [
            f"{len(self.added)} new",
            f"{len(self.updated)} updated",
            f"{len(self.metadata_changed)} with new metadata",
            f"{len(self.withdrawn)} withdrawn",
            f"{self.unchanged} unchanged",
        ]
        text = f"Published serial {self.serial}: " + ", ".join(parts) + "."
        if self.replies:
            text += f" {self.replies} new {'reply' if self.replies == 1 else 'replies'} to reps."
        return text + (f" Valid until {until}." if until else "")

    def repair_notes(self) -> list[str]:
        """One sentence per kind of repair done to the hub's objects."""
        notes = []
        if self.repaired:
            notes.append(
                f"Repaired {_count(self.repaired, 'hub object')} that did not match "
                f"{'its hash' if len(self.repaired) == 1 else 'their hashes'}: "
                + ", ".join(self.repaired)
                + "."
            )
        if self.restored:
            notes.append(
                f"Restored {_count(self.restored, 'missing hub object')}: "
                + ", ".join(self.restored)
                + "."
            )
        notes += [f"Search index: {repair}." for repair in dict.fromkeys(self.index_repairs)]
        return notes

    def warnings(self) -> list[str]:
        """Sentences for problems that did not stop the publish."""
        out = []
        if self.unrepairable:
            out.append(
                f"{_count(self.unrepairable, 'hub object')} of items no longer in the source "
                "folder are damaged or missing and cannot be recreated ("
                + ", ".join(self.unrepairable)
                + "); reps never fetch withdrawn items, so no sync needs them."
            )
        if self.state_warning:
            out.append(self.state_warning)
        return out


def _count(things: list[str], noun: str) -> str:
    return f"{len(things)} {noun}{'' if len(things) == 1 else 's'}"
