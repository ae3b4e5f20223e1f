"""The shipped search index: built once at publish, written into every rep's own index.

Indexing is the same work for every rep, and in pure-Python Whoosh it is the slowest part of
a sync (about 40 ms per typical item, one core). So the publisher keeps the index as a few
segments, each shipped as one content-addressed hub object in Satchel's own format
(``search/shipped_format.py``: fixed layout, every length checked, no pickle), listed in a
manifest the signed catalog points to (``Catalog.index``)::

    {"format": "satchel-index/3",
     "compat": {"schema": 5, "whoosh": "3.54.0"},
     "segments": [{"file": {"sha256": "...", "size": 123},
                   "docs": [["<item id>", "<stamp>"], ...],   # in document-number order
                   "count": 1001,                            # the docs, then a vocabulary
                   "deleted": [3, 17]}]}                     # document numbers

A republish deletes the documents of changed and withdrawn items (the ``deleted`` list, no
file changes) and indexes new and changed items into a new segment, so a small change ships
a small segment. Segments that become mostly deleted, or too many small ones, are re-indexed
into one. New segments are built by as many processes as publish has workers.

The publisher reads back only what it signed: the manifest and each kept segment file must
match the hashes of the previous signed catalog and decode cleanly, and each item's text
must match its hash before it is indexed; anything else is rebuilt from the source and
reported. A rep adopts a manifest whose live documents are exactly the catalog's current
items (each with the stamp of its indexed fields): each segment file is fetched like any
other object, hash-checked, decoded, checked, and written as a Whoosh segment by the rep's
own code (``search/adoption.py``).
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import tempfile
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from app.core.catalog import SHA_RE, BlobRef, CatalogItem
from app.core.errors import CancelledError
from app.core.extract.types import Segment
from app.core.hashing import file_sha256
from app.core.hub import object_relpath, write_object_bytes
from app.core.search import SearchIndex, ShippedSegmentSpec, index_doc_of
from app.core.textblob import decode_text
from app.core.timeutil import iso

log = logging.getLogger(__name__)

MANIFEST_FORMAT = "satchel-index/3"
MAX_MANIFEST_BYTES = 64 * 1024 * 1024
MAX_SEGMENTS = 12  # beyond this, the smallest segments are re-indexed into one
MAX_DELETED_SHARE = 0.5  # a segment with more deleted documents than this is re-indexed
MIN_PARALLEL_DOCS = 200  # fewer new documents are indexed in one process
#: A shipped segment file may be at most this large: a fixed allowance plus an allowance per
#: document (real segments hold about 20 KB per item of 33k characters of text).
MAX_SEGMENT_FIXED_BYTES = 32 * 1024 * 1024
MAX_SEGMENT_BYTES_PER_DOC = 256 * 1024


class ManifestError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class ShippedSegment:
    file: BlobRef
    docs: list[tuple[str, str]]  # (item id, stamp) per document number
    count: int  # documents in the segment: the items, then possibly a vocabulary document
    deleted: frozenset[int]

    def live(self) -> Iterator[tuple[int, str, str]]:
        for n, (item_id, stamp) in enumerate(self.docs):
            if n not in self.deleted:
                yield n, item_id, stamp

    def spec(self) -> ShippedSegmentSpec:
        return ShippedSegmentSpec(
            self.file.sha256, [d[0] for d in self.docs], self.count, self.deleted
        )


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
                    "file": {"sha256": s.file.sha256, "size": s.file.size},
                    "docs": [list(d) for d in s.docs],
                    "count": s.count,
                    "deleted": sorted(s.deleted),
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

    def files(self) -> list[BlobRef]:
        return [s.file for s in self.segments]

    def specs(self) -> list[ShippedSegmentSpec]:
        return [s.spec() for s in self.segments]


def max_segment_bytes(count: int) -> int:
    return MAX_SEGMENT_FIXED_BYTES + MAX_SEGMENT_BYTES_PER_DOC * count


# complexity: one check per field of an untrusted file
def decode_manifest(data: bytes, *, max_items: int | None = None) -> IndexManifest:
    """Parse and strictly check a manifest (already hash-checked against the catalog).
    ``max_items``: the most documents all segments may hold (from the catalog)."""
    if len(data) > MAX_MANIFEST_BYTES:
        raise ManifestError("the index manifest is too large")
    try:
        raw: Any = json.loads(data.decode("utf-8"))
        if not isinstance(raw, dict) or raw.get("format") != MANIFEST_FORMAT:
            raise ManifestError("unknown index manifest format")
        if not isinstance(raw["segments"], list) or len(raw["segments"]) > 4 * MAX_SEGMENTS:
            raise ManifestError("too many index segments")
        segments = []
        seen_files: set[str] = set()
        total = 0
        for seg in raw["segments"]:
            ref = seg["file"]
            sha, size = ref["sha256"], ref["size"]
            if not isinstance(sha, str) or not SHA_RE.match(sha) or sha in seen_files:
                raise ManifestError("a segment file is malformed or listed twice")
            seen_files.add(sha)
            if not isinstance(seg["docs"], list) or not isinstance(seg["deleted"], list):
                raise ManifestError("a segment's documents are malformed")
            docs = [(_text(d[0]), _text(d[1])) for d in seg["docs"] if len(d) == 2]
            count = seg["count"]
            if type(count) is not int or len(docs) != len(seg["docs"]):
                raise ManifestError("a segment's documents are malformed")
            if not len(docs) <= count <= len(docs) + 1 or count == 0:
                raise ManifestError("a segment's document count does not match its items")
            total += count
            if max_items is not None and total > max_items + len(raw["segments"]):
                raise ManifestError("the manifest lists more documents than the catalog")
            if type(size) is not int or not 0 < size <= max_segment_bytes(count):
                raise ManifestError("a segment file's size is out of range")
            if any(type(n) is not int for n in seg["deleted"]):
                raise ManifestError("a deleted document number is malformed")
            deleted = frozenset(seg["deleted"])
            if any(n < 0 or n >= len(docs) for n in deleted):
                raise ManifestError("a deleted document number is out of range")
            segments.append(ShippedSegment(BlobRef(sha, size), docs, count, deleted))
        compat = raw["compat"]
        if not isinstance(compat, dict):
            raise ManifestError("malformed index manifest compatibility")
        return IndexManifest(dict(compat), segments)
    except ManifestError:
        raise
    except (UnicodeDecodeError, ValueError, KeyError, TypeError, IndexError) as exc:
        raise ManifestError(f"malformed index manifest ({type(exc).__name__})") from exc


def _text(value: object) -> str:
    if not isinstance(value, str) or not 0 < len(value) <= 200:
        raise ManifestError("a manifest entry is not a short string")
    return value


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
        *(["internal"] if item.share == "internal" else []),  # stamps of others unchanged
    ]
    encoded = json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()[:24]


# ----------------------------------------------------------------- publisher


@dataclass(slots=True)
class SnapshotReport:
    """What building the shipped index found wrong in the hub and rebuilt."""

    repaired: list[str] = field(default_factory=list)  # one sentence each


def build_snapshot(
    hub_root: Path,
    items: Sequence[CatalogItem],
    previous: BlobRef | None,
    *,
    workers: int = 2,
    cancel: Callable[[], bool] = lambda: False,
    progress: Callable[[int, int], None] = lambda _done, _total: None,
    report: SnapshotReport | None = None,
) -> BlobRef:
    """Update (or build) the shipped index for ``items``; store it in the hub's objects and
    return the new manifest's reference. ``previous`` is the manifest of the previous
    catalog this publisher signed: it and its segment files are used only if they still
    match their hashes and decode cleanly."""
    report = report if report is not None else SnapshotReport()
    current = {i.id: i for i in items if i.status == "current"}
    stamps = {item_id: doc_stamp(i) for item_id, i in current.items()}
    kept = _kept_segments(_read_manifest(hub_root, previous, report), stamps)
    covered = {item_id for s in kept for _n, item_id, _stamp in s.live()}
    todo = [i for item_id, i in sorted(current.items()) if item_id not in covered]
    built: list[ShippedSegment] = []
    if todo:
        with tempfile.TemporaryDirectory(prefix="satchel-index-") as tmp:
            chunks = _build_segments(hub_root, todo, Path(tmp), workers, cancel, progress)
            for file, ids, count, bad_texts in chunks:
                ref = BlobRef(*write_object_bytes(file.read_bytes(), hub_root))
                built.append(ShippedSegment(ref, [(i, stamps[i]) for i in ids], count, frozenset()))
                report.repaired += [
                    f"the extracted text of {item_id} did not match its hash and was not indexed"
                    for item_id in bad_texts
                ]
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
        kept.append(ShippedSegment(segment.file, segment.docs, segment.count, frozenset(deleted)))
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
) -> list[tuple[Path, list[str], int, list[str]]]:
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
) -> tuple[Path, list[str], int, list[str]]:
    """Index ``items`` (their verified text read from the hub) as one segment and write it
    in the shipped format (in a worker process). Returns the file, the item ids in document
    order, the document count and the items whose text did not match its hash."""
    root = Path(hub_root)
    bad: list[str] = []

    def doc_of(item: CatalogItem) -> Any:
        text = _shipped_text(root, item)
        if text is None:
            bad.append(item.id)
        return index_doc_of(item, text or [])

    built = SearchIndex.build_segment((doc_of(i) for i in items), Path(folder) / "whoosh")
    out = Path(folder) / "shipped.sxix"
    out.write_bytes(SearchIndex.export_segment(Path(folder) / "whoosh"))
    return out, built.ids, built.doc_count, bad


def _shipped_text(hub_root: Path, item: CatalogItem) -> list[Segment] | None:
    """The item's extracted text from the hub, or None when it does not match its hash."""
    if item.text is None or not item.searchable:
        return []
    try:
        data = (hub_root / object_relpath(item.text.sha256)).read_bytes()
    except OSError:
        return None
    if len(data) != item.text.size or hashlib.sha256(data).hexdigest() != item.text.sha256:
        return None
    try:
        return decode_text(data)
    except ValueError:
        return None


def snapshot_usable(hub_root: Path, ref: BlobRef | None) -> bool:
    """Whether the hub's shipped index matches what was signed and fits this code."""
    report = SnapshotReport()
    manifest = _read_manifest(hub_root, ref, report)
    return manifest is not None and not report.repaired


def _read_manifest(
    hub_root: Path, ref: BlobRef | None, report: SnapshotReport
) -> IndexManifest | None:
    """The signed manifest ``ref`` with only the segments whose files still match their
    hashes and decode cleanly (the others' items are re-indexed)."""
    if ref is None:
        return None
    path = hub_root / object_relpath(ref.sha256)
    try:
        data = path.read_bytes()
        if len(data) != ref.size or hashlib.sha256(data).hexdigest() != ref.sha256:
            report.repaired.append(
                "the hub's search index manifest did not match its hash; rebuilt the index"
            )
            return None
        manifest = decode_manifest(data)
    except OSError:
        report.repaired.append("the hub's search index manifest was missing; rebuilt the index")
        return None
    except ManifestError:
        return None
    if not manifest.usable:
        return None
    good = _verified_files(hub_root, manifest.segments, report)
    return IndexManifest(manifest.compat, good)


def _verified_files(
    hub_root: Path, segments: Sequence[ShippedSegment], report: SnapshotReport
) -> list[ShippedSegment]:
    good = []
    for segment in segments:
        path = hub_root / object_relpath(segment.file.sha256)
        try:
            ok = path.is_file() and path.stat().st_size == segment.file.size
            ok = ok and file_sha256(path) == segment.file.sha256
            ok = ok and SearchIndex.check_shipped(path.read_bytes(), segment.count)
        except OSError:
            ok = False
        if ok:
            good.append(segment)
        else:
            report.repaired.append(
                f"a search index segment ({segment.file.sha256[:12]}) did not match its hash "
                f"or failed its checks; re-indexed its {len(segment.docs)} items"
            )
    return good
