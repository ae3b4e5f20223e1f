"""Step 3, build items: each source file stored as an object and described as a catalog item."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from app.core.catalog import BlobRef, CatalogItem, VersionEntry
from app.core.extract import detect_kind
from app.core.extract.types import Extraction
from app.core.hub.verify import put_object_bytes
from app.core.publish.hub_folder import store_file
from app.core.publish.metadata import apply_metadata, metadata_differs, title_from
from app.core.publish.run import PublishRun
from app.core.sidecar import Metadata
from app.core.source_scan import SourceFile
from app.core.textblob import encode_text


def build_items(run: PublishRun) -> None:
    """Every file of the source folder as the next catalog's item, counted in the result
    as added, updated, with new metadata or unchanged."""
    plans = run.planned().plans
    for n, (sf, meta, item_id, sha) in enumerate(plans):
        run.progress("storing", n, len(plans))
        run.items.append(_build_item(run, sf, meta, item_id, sha))


def _build_item(
    run: PublishRun, sf: SourceFile, meta: Metadata, item_id: str, sha: str
) -> CatalogItem:
    result = run.result
    prev = run.planned().prev_items.get(item_id)
    if store_file(sf, run.hub_root, sha):
        result.objects_written += 1
        run.fresh.add(sha)
    content_changed = prev is None or prev.sha256 != sha or prev.status != "current"
    if prev is not None and prev.sha256 == sha:
        item = carry_over(prev)
    else:
        ex = run.extractions.get(sf.path) or Extraction(
            kind=detect_kind(sf.path), searchable=False, reason="The file was not extracted."
        )
        item = new_version(item_id, sf, sha, ex, prev, meta, run.hub_root, run.now, run.fresh)
    apply_metadata(item, sf, meta, item_id)
    if not item.searchable and item.reason:
        result.unsearchable[item_id] = item.reason
    if prev is None:
        result.added.append(item_id)
    elif content_changed:
        result.updated.append(item_id)
        item.updated_at = run.now
    elif metadata_differs(prev, item):
        result.metadata_changed.append(item_id)
        item.updated_at = run.now
    else:
        result.unchanged += 1
    return item


def carry_over(prev: CatalogItem) -> CatalogItem:
    return CatalogItem(**{f: getattr(prev, f) for f in CatalogItem.__dataclass_fields__})


def new_version(
    item_id: str,
    sf: SourceFile,
    sha: str,
    ex: Extraction,
    prev: CatalogItem | None,
    meta: Metadata,
    hub_root: Path,
    now: datetime,
    fresh: set[str],
) -> CatalogItem:
    def put(data: bytes) -> BlobRef:
        return put_bytes(data, hub_root, fresh)

    text_ref = put(encode_text(ex.segments)) if ex.segments else None
    thumb_ref = put(ex.thumbnail_png) if ex.thumbnail_png else None
    version = (prev.version + 1) if prev else 1
    entry = VersionEntry(version, sha, sf.size, now, change_note(meta, prev))
    history = [*prev.history, entry] if prev else [entry]
    return CatalogItem(
        id=item_id,
        title=title_from(ex, Path(sf.rel).name),
        kind=ex.kind,
        filename=Path(sf.rel).name,
        version=version,
        sha256=sha,
        size=sf.size,
        updated_at=now,
        published_at=prev.published_at if prev else now,
        searchable=ex.searchable and bool(ex.segments),
        reason=ex.reason if not ex.searchable else (None if ex.segments else "No text found."),
        pages=ex.page_count,
        text=text_ref,
        thumbnail=thumb_ref,
        history=history,
    )


def put_bytes(data: bytes, hub_root: Path, fresh: set[str]) -> BlobRef:
    """``data`` as a hub object, noted in ``fresh`` when this publish wrote it."""
    sha, size, written = put_object_bytes(data, hub_root)
    if written:
        fresh.add(sha)  # else an object of that name was there: it is checked later
    return BlobRef(sha, size)


def put_object(run: PublishRun, data: bytes) -> BlobRef:
    return put_bytes(data, run.hub_root, run.fresh)


def change_note(meta: Metadata, prev: CatalogItem | None) -> str:
    """The sidecar's change note belongs to the version it was first published with: one
    already in the item's history (left in the sidecar) is not reused for a later one."""
    note = meta.change_note or ""
    if note and prev is not None and any(h.change_note == note for h in prev.history):
        note = ""
    return note or ("First release" if prev is None else "")
