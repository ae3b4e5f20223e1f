"""A rep's index written from the publisher's shipped segments.

Each shipped segment file (``shipped_format.py``) is decoded and checked, then written as a
Whoosh segment by the rep's own code (``shipped_segments.write_segment``), with stored fields
taken from the rep's verified catalog. The table of contents is written here too. A segment
the rep already wrote for an earlier manifest (same file hash) is reused by linking its
files from the live index folder, so a delta sync writes only the new segment. Which
shipped file became which local segment is kept in ``shipped.json`` in the index folder,
written and read only by the rep.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import whoosh.codec.whoosh3 as _w3_mod
import whoosh.filedb.filestore as _filestore_mod
import whoosh.index as _index_mod

from .segments import INDEX_NAME, segment_of_file
from .shipped_format import ShippedIndex, ShippedIndexError, decode
from .shipped_segments import value_kind, write_segment

w3: Any = _w3_mod
filestore: Any = _filestore_mod
windex: Any = _index_mod

SHIPPED_MAP = "shipped.json"
_SHA_RE = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True, slots=True)
class ShippedSegmentSpec:
    """One segment of a verified manifest: its file, its documents, which are deleted."""

    file_sha256: str
    ids: Sequence[str]  # item id of each document, in document-number order
    count: int  # documents: the items, then possibly the segment's vocabulary document
    deleted: frozenset[int]


def assemble(
    schema: Any,
    folder: Path,
    live: Path | None,
    segments: Sequence[ShippedSegmentSpec],
    files: Mapping[str, Path],
    fields_of: Callable[[Sequence[str]], Mapping[str, Mapping[str, object]]],
    *,
    workers: int | None = None,
) -> None:
    """Make the new ``folder`` an index of ``segments``.

    ``files`` maps a shipped file's sha256 to its verified local copy (needed only for
    segments not already written into ``live``); ``fields_of(ids)`` gives the stored and
    column values (as ``_doc_fields`` makes them, without text) of the items among ``ids``
    that the rep's catalog holds. New segments are written in parallel processes when there
    are large ones (at most ``workers`` at once; default: one per CPU). Raises
    ShippedIndexError when a file fails a check. ``folder`` exists and is empty but for its
    write lock.
    """
    previous = read_map(live)
    placed: dict[int, Any] = {}
    jobs: list[tuple[int, _Job]] = []
    for n, spec in enumerate(segments):
        reused = previous.get(spec.file_sha256)
        if reused is not None and live is not None and reused["count"] == spec.count:
            segment = _reuse(live, folder, reused)
            if segment is not None:
                placed[n] = segment
                continue
        path = files.get(spec.file_sha256)
        if path is None:
            raise ShippedIndexError("a shipped index file is missing")
        jobs.append((n, _job(schema, folder / f"part-{n}", path, spec, fields_of)))
    for n, (segid, lengths) in zip(
        (n for n, _job_ in jobs), _run_jobs([job for _n, job in jobs], workers), strict=True
    ):
        placed[n] = _segment(segid, segments[n].count, lengths)
        part = folder / f"part-{n}"
        for entry in part.iterdir():
            if segment_of_file(entry.name) == segid:
                entry.replace(folder / entry.name)
        shutil.rmtree(part)
    written = []
    mapping: dict[str, dict[str, Any]] = {}
    for n, spec in enumerate(segments):
        segment = placed[n]
        segment._deleted = set(spec.deleted) or None
        written.append(segment)
        mapping[spec.file_sha256] = {
            "segid": str(segment.segid),
            "count": spec.count,
            "lengths": {str(k): int(v) for k, v in segment._fieldlengths.items()},
        }
    windex.TOC(schema, written, 1).write(filestore.FileStorage(str(folder)), INDEX_NAME)
    (folder / SHIPPED_MAP).write_text(json.dumps(mapping, sort_keys=True), encoding="utf-8")


#: New segments are written in child processes when their files total this much (below it,
#: starting the processes costs more than it saves).
PARALLEL_MIN_BYTES = 1024 * 1024

# (part folder, shipped file, document count, item ids, stored fields per item document,
#  column values per item document)
_Job = tuple[str, str, int, list[str], list[dict[str, object]], list[dict[str, object]]]


def _job(
    schema: Any,
    part: Path,
    path: Path,
    spec: ShippedSegmentSpec,
    fields_of: Callable[[Sequence[str]], Mapping[str, Mapping[str, object]]],
) -> _Job:
    """Everything a process needs to write one segment (plain values only)."""
    known = fields_of(spec.ids)
    stored_names = [n for n in schema.stored_names() if n != "starts"]
    sortable = [n for n in schema.names() if schema[n].column_type is not None]
    stored: list[dict[str, object]] = []
    columns: list[dict[str, object]] = []
    for item_id in spec.ids:
        fields = known.get(item_id)
        if fields is None:  # a deleted document of an item no longer in the catalog
            stored.append({"id": item_id})
            columns.append({})
            continue
        stored.append({n: fields[n] for n in stored_names if fields.get(n) is not None})
        columns.append({n: fields[n] for n in sortable if fields.get(n) is not None})
    return (str(part), str(path), spec.count, list(spec.ids), stored, columns)


def _run_jobs(jobs: list[_Job], workers: int | None) -> list[tuple[str, dict[str, int]]]:
    """Write small segments here; large ones in child processes (also when only one runs
    at a time: a sync downloading meanwhile keeps this process's threads to itself)."""
    if not jobs:
        return []
    size = sum(Path(job[1]).stat().st_size for job in jobs)
    if size < PARALLEL_MIN_BYTES:
        return [write_part(*job) for job in jobs]
    processes = max(1, min(len(jobs), workers or os.cpu_count() or 1))
    with ProcessPoolExecutor(max_workers=processes, mp_context=get_context("spawn")) as pool:
        futures = [pool.submit(write_part, *job) for job in jobs]
        return [future.result() for future in futures]


def write_part(
    part: str,
    path: str,
    count: int,
    ids: list[str],
    stored: list[dict[str, object]],
    columns: list[dict[str, object]],
) -> tuple[str, dict[str, int]]:
    """Check one shipped file and write it as a Whoosh segment in the new folder ``part``
    (in a worker process, or inline). Returns the segment id and its field lengths."""
    from .schema import schema as make_schema

    schema = make_schema()
    shipped = decode(Path(path).read_bytes(), max_docs=count, field_kind=value_kind(schema))
    if shipped.doc_count != count:
        raise ShippedIndexError("a shipped segment's document count differs from its manifest")
    vocabulary = check_ids(shipped, ids)
    Path(part).mkdir()
    segment = write_segment(
        Path(part),
        schema,
        shipped,
        lambda d: stored[d] if d < len(stored) else {"id": vocabulary},
        lambda d: columns[d] if d < len(columns) else {},
    )
    return str(segment.segid), {str(k): int(v) for k, v in segment._fieldlengths.items()}


def _segment(segid: str, count: int, lengths: Mapping[str, int]) -> Any:
    segment = w3.W3Segment(w3.W3Codec(), INDEX_NAME, doccount=count, segid=segid)
    segment._fieldlengths = defaultdict(int, lengths)
    return segment


def read_map(live: Path | None) -> dict[str, dict[str, Any]]:
    """The live index's shipped-file -> local-segment map (empty when absent or damaged),
    without segments whose files are gone (a local write may have merged them away)."""
    if live is None:
        return {}
    try:
        raw = json.loads((live / SHIPPED_MAP).read_text(encoding="utf-8"))
        return {
            sha: {
                "segid": str(entry["segid"]),
                "count": int(entry["count"]),
                "lengths": {str(k): int(v) for k, v in entry["lengths"].items()},
            }
            for sha, entry in raw.items()
            if _SHA_RE.match(sha)
            and segment_of_file(f"{INDEX_NAME}_{entry['segid']}.trm")
            and (live / f"{INDEX_NAME}_{entry['segid']}.trm").is_file()
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def _reuse(live: Path, folder: Path, entry: Mapping[str, Any]) -> Any:
    """Link the rep's own files of an earlier-written segment into ``folder``."""
    segid = entry["segid"]
    names = [p.name for p in live.iterdir() if segment_of_file(p.name) == segid]
    if not names:
        return None
    for name in names:
        try:
            os.link(live / name, folder / name)
        except OSError:
            shutil.copyfile(live / name, folder / name)
    return _segment(segid, entry["count"], entry["lengths"])


def check_ids(shipped: ShippedIndex, ids: Sequence[str]) -> str:
    """Each document's ``id`` term is the manifest's id for it (so deleting an item by id
    deletes exactly its document); returns the vocabulary document's id, if any."""
    try:
        field = shipped.fields.index("id")
    except ValueError as exc:
        raise ShippedIndexError("the shipped segment has no id field") from exc
    seen = [""] * shipped.doc_count
    for t in shipped.terms_of_field(field):
        start, end = shipped.term_postings[t], shipped.term_postings[t + 1]
        docnum = shipped.docnums[start]
        if end - start != 1 or seen[docnum]:
            raise ShippedIndexError("an id term does not name exactly one document")
        try:
            seen[docnum] = shipped.term(t).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ShippedIndexError("an id term is not UTF-8") from exc
    if seen[: len(ids)] != list(ids):
        raise ShippedIndexError("the shipped documents are not the manifest's items")
    extra = seen[len(ids) :]
    if len(extra) > 1 or (extra and not extra[0].startswith("~vocabulary-")):
        raise ShippedIndexError("the shipped segment has documents the manifest does not list")
    return extra[0] if extra else ""
