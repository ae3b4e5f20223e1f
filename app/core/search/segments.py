"""Whoosh segments as shippable units: build one from documents, assemble an index from many.

A Whoosh index is a set of immutable segment files plus a table of contents (TOC) naming the
segments, their document counts and deleted documents. The publisher builds segments (in
parallel, one per worker) and ships their files content-addressed; a rep's library writes the
table of contents itself from the signed manifest (``index_snapshot.py``), so the only
pickle Whoosh reads with classes in it is one the rep's own code wrote (see
``safe_pickle.py``). Segments are written uncompounded: opening an index maps only the files
a query touches.
"""

from __future__ import annotations

import os
import re
import shutil
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import whoosh.codec.whoosh3 as _w3_mod
import whoosh.filedb.filestore as _filestore_mod
import whoosh.index as _index_mod

from .types import IndexDoc

w3: Any = _w3_mod
filestore: Any = _filestore_mod
windex: Any = _index_mod

INDEX_NAME = "MAIN"
SEGMENT_ID_RE = re.compile(r"^[0-9a-z]{8,32}$")
# The files of segment <id>: MAIN_<id>.<ext> (never a TOC "_MAIN_<n>.toc", never a lock).
_FILE_RE = re.compile(r"^MAIN_([0-9a-z]{8,32})\.([A-Za-z0-9_]{1,80}(?:\.col)?)$")


@dataclass(frozen=True, slots=True)
class BuiltSegment:
    segment_id: str
    ids: list[str]  # item id of each document, in document-number order
    doc_count: int  # documents in the segment: the items, then possibly a vocabulary
    files: list[Path]
    field_lengths: dict[str, int]  # total tokens per field (BM25's average lengths)


@dataclass(frozen=True, slots=True)
class SegmentSpec:
    """What a rep's table of contents says about one shipped segment."""

    segment_id: str
    doc_count: int
    deleted: frozenset[int]
    field_lengths: Mapping[str, int]


def segment_of_file(name: str) -> str | None:
    """The segment id a shipped file belongs to, or None when the name is not a segment
    file (a table of contents, a lock, anything else is refused by the caller)."""
    match = _FILE_RE.match(name)
    return match.group(1) if match else None


def build_segment(
    schema: Any,
    docs: Iterable[IndexDoc],
    fields_of: Callable[[IndexDoc], dict[str, object]],
    folder: Path,
    trailer: Callable[[], dict[str, object] | None] = lambda: None,
) -> BuiltSegment:
    """Write ``docs`` as one uncompounded segment into an empty ``folder``; ``trailer()``
    may add one last document that is not an item (the segment's vocabulary)."""
    folder.mkdir(parents=True, exist_ok=False)
    ix = filestore.FileStorage(str(folder)).create().create_index(schema)
    ids: list[str] = []
    try:
        writer = ix.writer(limitmb=256, compound=False)
        try:
            seen: set[str] = set()
            for doc in docs:
                if doc.id in seen:
                    continue
                seen.add(doc.id)
                ids.append(doc.id)
                writer.add_document(**fields_of(doc))
            if (extra := trailer()) is not None:
                writer.add_document(**extra)
        except BaseException:
            writer.cancel()
            raise
        writer.commit(merge=False)
        segments = ix._segments()
    finally:
        ix.close()
    if len(segments) != 1:
        raise RuntimeError(f"expected one segment, Whoosh wrote {len(segments)}")
    segment_id = str(segments[0].segid)
    lengths = {str(k): int(v) for k, v in getattr(segments[0], "_fieldlengths", {}).items()}
    files = sorted(p for p in folder.iterdir() if segment_of_file(p.name) == segment_id)
    return BuiltSegment(segment_id, ids, int(segments[0].doc_count_all()), files, lengths)


def assemble_index(
    schema: Any,
    folder: Path,
    segments: Sequence[SegmentSpec],
    files: Mapping[str, Path],
) -> None:
    """Make ``folder`` (new, empty) a Whoosh index of ``segments`` whose ``files`` (Whoosh
    file name -> verified local file) are linked in, or copied where links are impossible.
    The table of contents is written here, from ``segments``, never taken from a hub."""
    known = {spec.segment_id for spec in segments}
    for name in files:
        owner = segment_of_file(name)
        if owner is None or owner not in known:
            raise ValueError(f"refusing index file {name!r}")
    folder.mkdir(parents=True, exist_ok=False)
    for name, src in files.items():
        dest = folder / name
        try:
            os.link(src, dest)
        except OSError:
            shutil.copyfile(src, dest)
    storage = filestore.FileStorage(str(folder))
    codec = w3.W3Codec()
    toc_segments = []
    for spec in segments:
        segment = w3.W3Segment(
            codec,
            INDEX_NAME,
            doccount=spec.doc_count,
            segid=spec.segment_id,
            deleted=set(spec.deleted) or None,
        )
        segment._fieldlengths = defaultdict(int, spec.field_lengths)
        toc_segments.append(segment)
    windex.TOC(schema, toc_segments, 1).write(storage, INDEX_NAME)
