"""What the views show about items, read from the library in bulk. No Qt here.

A :class:`LibrarySnapshot` is loaded on a worker thread (one query for the item columns the
list sorts and filters on, one for the rep's own usage counts) and handed to the GUI thread.
Heavier row data (thumbnails, version history) is loaded lazily, per row, elsewhere.
"""

from __future__ import annotations

import enum
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from app.core.collections import Collections
from app.core.freshness import Freshness, library_freshness
from app.core.library import Library
from app.core.models import Event, Item
from app.core.timeutil import utcnow

#: Events that count as "used by me" for sorting.
USE_KINDS = ("open", "preview", "send")
EXPIRING_WITHIN = timedelta(days=30)
#: Sidebar facets: (key, label). "type" is the item kind, the others are tag kinds.
FACETS: tuple[tuple[str, str], ...] = (
    ("type", "Type"),
    ("product", "Product"),
    ("segment", "Segment"),
    ("stage", "Stage"),
    ("region", "Region"),
    ("share", "Sharing"),  # internal / external (app.core.sharing), counted like a tag
)
SHARE_LABELS = {"internal": "Internal only", "external": "Shareable"}
KIND_LABELS = {
    "pdf": "PDF",
    "pptx": "PowerPoint",
    "docx": "Word",
    "xlsx": "Excel",
    "image": "Image",
    "video": "Video",
    "text": "Text",
    "csv": "CSV",
    "html": "HTML",
    "other": "Other",
}


class Badge(enum.Enum):
    INTERNAL = "Internal"
    NEW = "New"
    UPDATED = "Updated"
    EXPIRING = "Expiring soon"
    UNSEARCHABLE = "Not searchable"


@dataclass(frozen=True, slots=True)
class ItemSummary:
    """The columns of one item the list needs to sort, filter and paint a row."""

    id: str
    title: str
    description: str
    kind: str
    filename: str
    sha256: str
    version: int
    size: int
    updated_at: datetime
    expires_at: datetime | None
    first_serial: int
    changed_serial: int
    searchable: bool
    unsearchable_reason: str | None
    page_count: int | None
    thumb_sha256: str | None
    tags: Mapping[str, tuple[str, ...]]
    title_key: str = ""
    share: str = "external"  # "internal": for the reps' eyes only (app.core.sharing)
    rendition_sha256: str | None = None  # a PDF of an office file, page = slide/page/sheet

    @property
    def internal(self) -> bool:
        return self.share == "internal"

    def facet_values(self, facet: str) -> tuple[str, ...]:
        if facet == "type":
            return (self.kind,)
        if facet == "share":
            return (self.share,)
        return self.tags.get(facet, ())


@dataclass(frozen=True, slots=True)
class HubInfo:
    location: str | None
    is_demo: bool
    serial: int
    last_sync_at: datetime | None
    last_result: Mapping[str, Any] | None
    # the date of the signed catalog the library holds and until when it is vouched for
    freshness: Freshness = field(default_factory=lambda: Freshness(None, None))


@dataclass(frozen=True, slots=True)
class LibrarySnapshot:
    items: list[ItemSummary]
    use_counts: dict[str, int]
    favourites: frozenset[str]
    kits: dict[str, list[str]]
    hub: HubInfo
    loaded_at: datetime = field(default_factory=utcnow)


def sort_key(text: str) -> str:
    """Case- and accent-insensitive key for sorting titles (Lindgården sorts with Lindgarden)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def _is_visible(status: str, expires_at: datetime | None, now: datetime) -> bool:
    return status == "current" and (expires_at is None or expires_at > now)


def _tags(raw: object) -> dict[str, tuple[str, ...]]:
    if not isinstance(raw, dict):
        return {}
    out: dict[str, tuple[str, ...]] = {}
    for key, values in raw.items():
        if isinstance(values, str):
            values = [values]
        if isinstance(values, list):
            clean = tuple(str(v) for v in values if str(v).strip())
            if clean:
                out[str(key).lower()] = clean
    return out


_COLUMNS = (
    Item.id,
    Item.title,
    Item.description,
    Item.kind,
    Item.filename,
    Item.sha256,
    Item.version,
    Item.size,
    Item.updated_at,
    Item.expires_at,
    Item.first_serial,
    Item.changed_serial,
    Item.searchable,
    Item.unsearchable_reason,
    Item.page_count,
    Item.thumb_sha256,
    Item.tags,
    Item.status,
    Item.share,
    Item.rendition_sha256,
)


def load_summaries(
    library: Library, ids: Iterable[str] | None = None, *, now: datetime | None = None
) -> list[ItemSummary]:
    """Visible items (all, or those of ``ids`` that are visible), in title order."""
    now = now or library.expiry_now()  # the same clock rule as the core
    stmt = select(*_COLUMNS).order_by(Item.title)
    if ids is not None:
        wanted = list(ids)
        if not wanted:
            return []
        stmt = stmt.where(Item.id.in_(wanted))
    with library.sessions() as s:
        rows = s.execute(stmt).all()
    out = []
    for r in rows:
        if not _is_visible(r.status, r.expires_at, now):
            continue
        out.append(
            ItemSummary(
                id=r.id,
                title=r.title,
                description=r.description or "",
                kind=r.kind,
                filename=r.filename,
                sha256=r.sha256,
                version=r.version,
                size=r.size,
                updated_at=r.updated_at,
                expires_at=r.expires_at,
                first_serial=r.first_serial,
                changed_serial=r.changed_serial,
                searchable=r.searchable,
                unsearchable_reason=r.unsearchable_reason,
                page_count=r.page_count,
                thumb_sha256=r.thumb_sha256,
                tags=_tags(r.tags),
                title_key=sort_key(r.title),
                share=r.share,
                rendition_sha256=r.rendition_sha256,
            )
        )
    return out


def load_use_counts(library: Library, ids: Iterable[str] | None = None) -> dict[str, int]:
    """How often this rep opened, previewed or sent each item (from the local journal)."""
    stmt = (
        select(Event.item_id, func.count())
        .where(Event.kind.in_(USE_KINDS), Event.item_id.is_not(None))
        .group_by(Event.item_id)
    )
    if ids is not None:
        stmt = stmt.where(Event.item_id.in_(list(ids)))
    with library.sessions() as s:
        return {str(item_id): int(n) for item_id, n in s.execute(stmt).all()}


def load_hub_info(library: Library) -> HubInfo:
    state = library.hub_state()
    return HubInfo(
        location=state.location,
        is_demo=bool(state.is_demo),
        serial=int(state.serial or 0),
        last_sync_at=state.last_sync_at,
        last_result=dict(state.last_result) if state.last_result else None,
        freshness=library_freshness(library),
    )


def load_snapshot(library: Library, *, now: datetime | None = None) -> LibrarySnapshot:
    """Everything the main window lists; runs on a worker thread."""
    collections = Collections(library)
    return LibrarySnapshot(
        items=load_summaries(library, now=now),
        use_counts=load_use_counts(library),
        favourites=frozenset(collections.favourites()),
        kits=collections.kits(),
        hub=load_hub_info(library),
    )


# ---------------------------------------------------------------- badges


def badges_for(summary: ItemSummary, baseline_serial: int, now: datetime) -> tuple[Badge, ...]:
    """``baseline_serial``: the catalog serial the rep had before the last sync that changed
    something; 0 means "no earlier sync" (a first sync badges nothing as new)."""
    out: list[Badge] = [Badge.INTERNAL] if summary.internal else []
    if baseline_serial > 0:
        if summary.first_serial > baseline_serial:
            out.append(Badge.NEW)
        elif summary.changed_serial > baseline_serial:
            out.append(Badge.UPDATED)
    if summary.expires_at is not None and now < summary.expires_at <= now + EXPIRING_WITHIN:
        out.append(Badge.EXPIRING)
    if not summary.searchable:
        out.append(Badge.UNSEARCHABLE)
    return tuple(out)


@dataclass(frozen=True, slots=True)
class Baseline:
    """What "new since the last sync" is measured against, remembered per library.

    ``serial``: the catalog serial before the most recent sync that changed the library;
    ``at_serial``: the serial that sync brought.
    """

    serial: int = 0
    at_serial: int = 0


def advance_baseline(stored: Baseline | None, hub: HubInfo) -> Baseline:
    """The baseline after the library's last recorded sync (by this app or the CLI)."""
    current = stored or Baseline()
    result = hub.last_result or {}
    if result and not result.get("up_to_date", False):
        brought = int(result.get("serial", hub.serial) or 0)
        before = int(result.get("previous_serial", 0) or 0)
        if brought > current.at_serial:
            return Baseline(serial=before, at_serial=brought)
    return current


def facet_counts(items: Iterable[ItemSummary]) -> dict[str, Counter[str]]:
    """How many items carry each facet value (an item counts once per value)."""
    raw: dict[str, dict[str, int]] = {key: {} for key, _ in FACETS}
    kinds, shares = raw["type"], raw["share"]
    tag_facets = [(key, raw[key]) for key, _ in FACETS if key not in ("type", "share")]
    for item in items:
        kinds[item.kind] = kinds.get(item.kind, 0) + 1
        shares[item.share] = shares.get(item.share, 0) + 1
        tags = item.tags
        for key, counts in tag_facets:
            for value in set(tags.get(key, ())):
                counts[value] = counts.get(value, 0) + 1
    return {key: Counter(values) for key, values in raw.items()}


def local_file(library: Library, summary: ItemSummary) -> Path:
    """Where the item's file lives in the library (unverified: see Library.verified_path)."""
    return library.paths.content_dir(summary.sha256) / summary.filename


def thumbnail_file(library: Library, summary: ItemSummary) -> Path | None:
    if summary.thumb_sha256 is None:
        return None
    path = library.paths.blob_path(summary.thumb_sha256)
    return path if path.is_file() else None


def existing_file(library: Library) -> Callable[[ItemSummary], Path | None]:
    """For the list model: an item's local file when it is there (drag-out needs it)."""

    def path_for(summary: ItemSummary) -> Path | None:
        path = local_file(library, summary)
        return path if path.is_file() else None

    return path_for


def rendition_file(library: Library, summary: ItemSummary) -> Path | None:
    """The PDF rendition of an office file, when marketing's publish made one."""
    if summary.rendition_sha256 is None:
        return None
    path = library.paths.blob_path(summary.rendition_sha256)
    return path if path.is_file() else None


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind.upper() or "Other")


def facet_label(key: str, value: str) -> str:
    """A facet value as the sidebar and the chips show it."""
    if key == "type":
        return kind_label(value)
    return SHARE_LABELS.get(value, value) if key == "share" else value


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} bytes"


def matches_facets(item: ItemSummary, facets: Mapping[str, Sequence[str]]) -> bool:
    """AND across facets, OR within one (the same rule as the search filters)."""
    for key, wanted in facets.items():
        if wanted and not set(item.facet_values(key)) & set(wanted):
            return False
    return True
