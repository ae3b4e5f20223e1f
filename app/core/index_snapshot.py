"""The shipped search index: built once at publish, adopted by every rep's sync.

Indexing is the same work for every rep, and in pure-Python Whoosh it is the slowest part of
a sync (about 40 ms per typical item, one core). So the publisher keeps the index as a few
immutable Whoosh segments stored as content-addressed hub objects, listed in a manifest the
signed catalog points to (``Catalog.index``)::

    {"format": "satchel-index/2",
     "compat": {"schema": 2, "whoosh": "3.54.0"},
     "segments": [{"id": "<segment id>",
                   "docs": [["<item id>", "<stamp>"], ...],   # in document-number order
                   "deleted": [3, 17],                       # document numbers
                   "files": {"MAIN_<segment id>.pst": {"sha256": "...", "size": 123}, ...}}]}

A republish deletes the documents of changed and withdrawn items (the ``deleted`` list, no
file changes) and indexes new and changed items into a new segment, so a small change ships
a small segment. Segments that become mostly deleted, or too many small ones, are re-indexed
into one. New segments are built by as many processes as publish has workers.

A rep adopts a manifest whose live documents are exactly the catalog's current items (each
with the stamp of its indexed fields): the segment files are fetched like any other object,
hash-checked, linked into a new index folder, and the table of contents is written locally.
The rep's Whoosh reads them through a data-only unpickler (``search/safe_pickle.py``).
"""

from __future__ import annotations

import hashlib
import json
import math
import tempfile
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from app.core.catalog import SHA_RE, BlobRef, CatalogItem
from app.core.errors import CancelledError
from app.core.extract.types import Segment
from app.core.hashing import file_sha256
from app.core.hub import copy_into_objects, object_relpath, write_object_bytes
from app.core.search import SearchIndex, SegmentSpec, index_doc_of, segment_of_file
from app.core.textblob import decode_text
from app.core.timeutil import iso

MANIFEST_FORMAT = "satchel-index/2"
MAX_MANIFEST_BYTES = 64 * 1024 * 1024
MAX_SEGMENTS = 12  # beyond this, the smallest segments are re-indexed into one
MAX_DELETED_SHARE = 0.5  # a segment with more deleted documents than this is re-indexed
MIN_PARALLEL_DOCS = 200  # fewer new documents are indexed in one process


class ManifestError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class ShippedSegment:
    segment_id: str
    docs: list[tuple[str, str]]  # (item id, stamp) per document number
    count: int  # documents in the segment: the items, then possibly a vocabulary document
    deleted: frozenset[int]
    files: dict[str, BlobRef]
    lengths: dict[str, int]  # total tokens per field in this segment

    def live(self) -> Iterator[tuple[int, str, str]]:
        for n, (item_id, stamp) in enumerate(self.docs):
            if n not in self.deleted:
                yield n, item_id, stamp

    def spec(self) -> SegmentSpec:
        return SegmentSpec(self.segment_id, self.count, self.deleted, self.lengths)


@dataclass(frozen=True, slots=True)
class IndexManifest:
    compat: dict[str, object]
    segments: list[ShippedSegment]

    def encode(self) -> bytes:
        doc = {
            "format": MANIFEST_FORMAT,
            "compat": self.compat,
            "segments": [
                {
                    "id": s.segment_id,
                    "docs": [list(d) for d in s.docs],
                    "count": s.count,
                    "deleted": sorted(s.deleted),
                    "files": {n: {"sha256": r.sha256, "size": r.size} for n, r in s.files.items()},
                    "lengths": s.lengths,
                }
                for s in self.segments
            ],
        }
        return json.dumps(doc, sort_keys=True, separators=(",", ":")).encode("utf-8")

    @property
    def usable(self) -> bool:
        """Built by the same schema and Whoosh version as this code."""
        return self.compat == SearchIndex.compatibility()

    def live_docs(self) -> dict[str, str]:
        """Item id -> stamp of every document not deleted (an id twice is an error)."""
        found: dict[str, str] = {}
        for segment in self.segments:
            for _n, item_id, stamp in segment.live():
                if item_id in found:
                    raise ManifestError(f"item {item_id!r} is indexed twice")
                found[item_id] = stamp
        return found

    def files(self) -> dict[str, BlobRef]:
        return {name: ref for s in self.segments for name, ref in s.files.items()}

    def specs(self) -> list[SegmentSpec]:
        return [s.spec() for s in self.segments]


def decode_manifest(data: bytes) -> IndexManifest:
    """Parse and strictly check a manifest (already hash-checked against the catalog)."""
    if len(data) > MAX_MANIFEST_BYTES:
        raise ManifestError("the index manifest is too large")
    try:
        raw: Any = json.loads(data.decode("utf-8"))
        if raw["format"] != MANIFEST_FORMAT:
            raise ManifestError("unknown index manifest format")
        segments = []
        seen_ids: set[str] = set()
        seen_files: set[str] = set()
        if len(raw["segments"]) > 4 * MAX_SEGMENTS:
            raise ManifestError("too many index segments")
        for seg in raw["segments"]:
            seg_id = str(seg["id"])
            if seg_id in seen_ids:
                raise ManifestError("a segment is listed twice")
            seen_ids.add(seg_id)
            docs = [(str(item_id), str(stamp)) for item_id, stamp in seg["docs"]]
            deleted = frozenset(int(n) for n in seg["deleted"])
            count = int(seg["count"])
            if not len(docs) <= count <= len(docs) + 1:
                raise ManifestError("a segment's document count does not match its items")
            if any(n < 0 or n >= len(docs) for n in deleted):
                raise ManifestError("a deleted document number is out of range")
            files = {}
            for name, ref in seg["files"].items():
                if segment_of_file(name) != seg_id or name in seen_files:
                    raise ManifestError(f"unsafe index file entry {name!r}")
                seen_files.add(name)
                size = ref["size"]
                if not SHA_RE.match(ref["sha256"]) or not isinstance(size, int) or size < 0:
                    raise ManifestError(f"bad index file entry {name!r}")
                files[name] = BlobRef(ref["sha256"], size)
            if not files:
                raise ManifestError("a segment has no files")
            lengths = {str(k): int(v) for k, v in seg["lengths"].items()}
            if any(v < 0 for v in lengths.values()):
                raise ManifestError("a negative field length")
            segments.append(ShippedSegment(seg_id, docs, count, deleted, files, lengths))
        return IndexManifest(dict(raw["compat"]), segments)
    except ManifestError:
        raise
    except (UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ManifestError(f"malformed index manifest ({exc})") from exc


def doc_stamp(item: CatalogItem) -> str:
    """A digest of everything the index holds for an item: re-index when it changes."""
    fields = [
        item.sha256,
        item.title,
        item.description,
        sorted((k, list(v)) for k, v in item.tags.items()),
        item.kind,
        item.filename,
        item.version,
        iso(item.expires_at) if item.expires_at else None,
        item.searchable,
        item.text.sha256 if item.text else None,
    ]
    encoded = json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()[:24]


# ----------------------------------------------------------------- publisher


def build_snapshot(
    hub_root: Path,
    items: Sequence[CatalogItem],
    previous: BlobRef | None,
    *,
    workers: int = 2,
    cancel: Callable[[], bool] = lambda: False,
    progress: Callable[[int, int], None] = lambda _done, _total: None,
) -> BlobRef:
    """Update (or build) the shipped index for ``items``; store it in the hub's objects and
    return the new manifest's reference."""
    current = {i.id: i for i in items if i.status == "current"}
    stamps = {item_id: doc_stamp(i) for item_id, i in current.items()}
    kept = _kept_segments(_read_manifest(hub_root, previous), stamps)
    covered = {item_id for s in kept for _n, item_id, _stamp in s.live()}
    todo = [i for item_id, i in sorted(current.items()) if item_id not in covered]
    built: list[ShippedSegment] = []
    if todo:
        with tempfile.TemporaryDirectory(prefix="satchel-index-") as tmp:
            chunks = _build_segments(hub_root, todo, Path(tmp), workers, cancel, progress)
            for folder, ids, count, lengths in chunks:
                built.append(_store_segment(hub_root, folder, ids, count, lengths, stamps))
    manifest = IndexManifest(SearchIndex.compatibility(), kept + built)
    return BlobRef(*write_object_bytes(manifest.encode(), hub_root))


def _kept_segments(prev: IndexManifest | None, stamps: dict[str, str]) -> list[ShippedSegment]:
    """The previous segments still worth shipping, with changed and gone items deleted."""
    if prev is None or not prev.usable:
        return []
    kept = []
    for segment in prev.segments:
        deleted = set(segment.deleted)
        for n, item_id, stamp in segment.live():
            if stamps.get(item_id) != stamp:
                deleted.add(n)
        if len(deleted) > MAX_DELETED_SHARE * len(segment.docs):
            continue  # mostly deleted: its live items are re-indexed into the new segment
        kept.append(
            ShippedSegment(
                segment.segment_id,
                segment.docs,
                segment.count,
                frozenset(deleted),
                segment.files,
                segment.lengths,
            )
        )
    kept.sort(key=lambda s: len(s.docs) - len(s.deleted), reverse=True)
    while len(kept) >= MAX_SEGMENTS:
        kept.pop()  # the smallest: re-indexed with the new items
    return kept


def _build_segments(
    hub_root: Path,
    todo: list[CatalogItem],
    tmp: Path,
    workers: int,
    cancel: Callable[[], bool],
    progress: Callable[[int, int], None],
) -> list[tuple[Path, list[str], int, dict[str, int]]]:
    chunks = max(1, min(workers, math.ceil(len(todo) / MIN_PARALLEL_DOCS)))
    parts = [todo[n::chunks] for n in range(chunks)]
    folders = [tmp / f"segment-{n}" for n in range(chunks)]
    progress(0, len(todo))
    if chunks == 1:
        results = [_build_chunk(str(hub_root), parts[0], str(folders[0]))]
        progress(len(todo), len(todo))
        return results
    results = []
    done = 0
    with ProcessPoolExecutor(max_workers=chunks, mp_context=get_context("spawn")) as pool:
        futures = [
            pool.submit(_build_chunk, str(hub_root), part, str(folder))
            for part, folder in zip(parts, folders, strict=True)
        ]
        for future, part in zip(futures, parts, strict=True):
            results.append(future.result())
            done += len(part)
            progress(done, len(todo))
            if cancel():
                for other in futures:
                    other.cancel()
                raise CancelledError("Publish cancelled; the hub is unchanged.")
    return results


def _build_chunk(
    hub_root: str, items: list[CatalogItem], folder: str
) -> tuple[Path, list[str], int, dict[str, int]]:
    """Index ``items`` (their text read from the hub) as one segment (in a worker process)."""
    root = Path(hub_root)
    docs = (index_doc_of(i, _shipped_text(root, i)) for i in items)
    built = SearchIndex.build_segment(docs, Path(folder))
    return Path(folder), built.ids, built.doc_count, built.field_lengths


def _store_segment(
    hub_root: Path,
    folder: Path,
    ids: list[str],
    count: int,
    lengths: dict[str, int],
    stamps: dict[str, str],
) -> ShippedSegment:
    files: dict[str, BlobRef] = {}
    segment_id = ""
    for path in sorted(folder.iterdir()):
        owner = segment_of_file(path.name)
        if owner is None:
            continue  # the builder's own table of contents and lock
        segment_id = owner
        sha = file_sha256(path)
        copy_into_objects(path, hub_root, sha)
        files[path.name] = BlobRef(sha, path.stat().st_size)
    docs = [(i, stamps[i]) for i in ids]
    return ShippedSegment(segment_id, docs, count, frozenset(), files, lengths)


def _shipped_text(hub_root: Path, item: CatalogItem) -> list[Segment]:
    if item.text is None or not item.searchable:
        return []
    try:
        return decode_text((hub_root / object_relpath(item.text.sha256)).read_bytes())
    except OSError:
        return []


def snapshot_usable(hub_root: Path, ref: BlobRef | None) -> bool:
    """Whether the hub's shipped index exists, is complete and fits this code."""
    manifest = _read_manifest(hub_root, ref)
    return manifest is not None and manifest.usable


def _read_manifest(hub_root: Path, ref: BlobRef | None) -> IndexManifest | None:
    if ref is None:
        return None
    try:
        manifest = decode_manifest((hub_root / object_relpath(ref.sha256)).read_bytes())
    except (OSError, ManifestError):
        return None
    if not all((hub_root / object_relpath(r.sha256)).is_file() for r in manifest.files().values()):
        return None
    return manifest
