"""Shipping the search index: built once at publish, adopted by a rep's first sync.

Indexing is the same work for every rep, and in pure-Python Whoosh it is the slowest part of a
first sync. So the publisher keeps the index up to date incrementally and ships its files as
content-addressed objects, listed in a manifest object the signed catalog points to::

    {"format": "satchel-index/1",
     "compat": {"schema": 1, "whoosh": "3.54.0"},
     "files": {"MAIN_abc.seg": {"sha256": "...", "size": 123}, "_MAIN_3.toc": {...}},
     "docs": {"item-id": "<sha256>@<updated_at>", ...}}

A rep adopts the snapshot when its own index would need most of the library re-indexed (a
first sync); small changes are indexed locally. Whoosh segment files never change once
written, so a republish ships only new segments and a new table of contents.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.core.catalog import SHA_RE, BlobRef, CatalogItem
from app.core.extract.types import Segment
from app.core.hub import object_relpath, write_object_bytes
from app.core.search import IndexDoc, SearchIndex
from app.core.timeutil import iso

MANIFEST_FORMAT = "satchel-index/1"
NAME_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,119}$")


class ManifestError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class IndexManifest:
    compat: dict[str, object]
    files: dict[str, BlobRef]
    docs: dict[str, str]

    def encode(self) -> bytes:
        doc = {
            "format": MANIFEST_FORMAT,
            "compat": self.compat,
            "files": {n: {"sha256": r.sha256, "size": r.size} for n, r in self.files.items()},
            "docs": self.docs,
        }
        return json.dumps(doc, sort_keys=True, separators=(",", ":")).encode("utf-8")

    @property
    def usable(self) -> bool:
        return self.compat == SearchIndex.compatibility()


def decode_manifest(data: bytes) -> IndexManifest:
    try:
        raw: Any = json.loads(data.decode("utf-8"))
        if raw["format"] != MANIFEST_FORMAT:
            raise ManifestError("unknown index manifest format")
        files = {}
        for name, ref in raw["files"].items():
            if not NAME_RE.match(name) or not SHA_RE.match(ref["sha256"]):
                raise ManifestError(f"unsafe index file entry {name!r}")
            size = ref["size"]
            if not isinstance(size, int) or size < 0:
                raise ManifestError("bad index file size")
            files[name] = BlobRef(ref["sha256"], size)
        docs = {str(k): str(v) for k, v in raw["docs"].items()}
        return IndexManifest(dict(raw["compat"]), files, docs)
    except ManifestError:
        raise
    except (UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ManifestError(f"malformed index manifest ({exc})") from exc


def doc_stamp(sha256: str, updated_at: object) -> str:
    return f"{sha256}@{updated_at}"


def catalog_index_doc(item: CatalogItem, segments: Sequence[Segment]) -> IndexDoc:
    """The same document a rep's library builds from its database for this item."""
    return IndexDoc(
        id=item.id,
        title=item.title,
        description=item.description,
        tags={k: list(v) for k, v in item.tags.items()},
        kind=item.kind,
        filename=item.filename,
        version=item.version,
        sha256=item.sha256,
        updated_at=item.updated_at,
        expires_at=item.expires_at,
        searchable=item.searchable,
        segments=segments,
    )


def build_snapshot(
    hub_root: Path,
    items: Sequence[CatalogItem],
    previous: BlobRef | None,
    text_of: Callable[[CatalogItem], Sequence[Segment]],
) -> BlobRef:
    """Update (or build) the shipped index for ``items`` and store it in the hub's objects."""
    current = [i for i in items if i.status == "current"]
    stamps = {i.id: doc_stamp(i.sha256, iso(i.updated_at)) for i in current}
    prev = _read_manifest(hub_root, previous)
    with tempfile.TemporaryDirectory(prefix="satchel-index-") as tmp:
        index = SearchIndex(Path(tmp) / "index", lambda _id: [])
        try:
            by_id = {i.id: i for i in current}
            if prev is not None and prev.usable:
                index.adopt({n: hub_root / object_relpath(r.sha256) for n, r in prev.files.items()})
                gone = [i for i in prev.docs if i not in stamps]
                changed = [i for i, s in stamps.items() if prev.docs.get(i) != s]
                if gone:
                    index.delete(gone)
                if changed:
                    index.upsert(catalog_index_doc(by_id[i], text_of(by_id[i])) for i in changed)
            else:
                index.open_or_rebuild(lambda: (catalog_index_doc(i, text_of(i)) for i in current))
            files = {}
            for path in index.live_files():
                sha, size = write_object_bytes(path.read_bytes(), hub_root)
                files[path.name] = BlobRef(sha, size)
        finally:
            index.close()
    manifest = IndexManifest(SearchIndex.compatibility(), files, stamps)
    return BlobRef(*write_object_bytes(manifest.encode(), hub_root))


def _read_manifest(hub_root: Path, ref: BlobRef | None) -> IndexManifest | None:
    if ref is None:
        return None
    try:
        manifest = decode_manifest((hub_root / object_relpath(ref.sha256)).read_bytes())
    except (OSError, ManifestError):
        return None
    if not all((hub_root / object_relpath(r.sha256)).is_file() for r in manifest.files.values()):
        return None
    return manifest
