"""Whoosh segments as units of publishing: the publisher builds one from documents.

A Whoosh index is a set of immutable segment files plus a table of contents (TOC) naming the
segments, their document counts and deleted documents. The publisher builds segments (in
parallel, one per worker) and ships each in Satchel's own format (``shipped_format.py``);
a rep writes its own segments from those (``adoption.py``). Segments are written
uncompounded: opening an index maps only the files a query touches.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import whoosh.filedb.filestore as _filestore_mod

from .types import IndexDoc

filestore: Any = _filestore_mod

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
