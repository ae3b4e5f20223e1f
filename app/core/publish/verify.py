"""Step 5, verify: every object the next catalog references is checked, and put right.

Before the index is built from the hub's text objects and before the catalog names them,
every file, text and thumbnail object is checked against its hash (the shipped search index
is checked where it is built). Wrong or missing ones are put right from the source folder:

- a file object is copied again from the source file with its hash;
- a text or thumbnail object is made again by extracting the item's source file; when the
  extractor now gives other bytes, a current item takes the new object (and counts as having
  new metadata);
- objects of items no longer in the source folder cannot be recreated: they are reported.

Objects this publish wrote (``fresh``) are stamped as they were written; ones it wrote
although the hub's catalog already listed them were missing, and are reported as restored.
"""

from __future__ import annotations

import hashlib
import os
from datetime import datetime
from functools import partial
from pathlib import Path

from app.core.catalog import BlobRef, CatalogItem
from app.core.extract.types import Extraction
from app.core.hub.verify import (
    MISSING,
    OK,
    check_objects,
    replace_object_bytes,
    replace_object_from_file,
    stamp_of,
)
from app.core.publish.extract import extract_files
from app.core.publish.hub_folder import repair_object
from app.core.publish.run import PublishRun
from app.core.publisher_state import Stamp
from app.core.source_scan import SourceFile
from app.core.textblob import encode_text

Ref = tuple[CatalogItem, str, BlobRef]  # item, role (file, text, thumbnail, rendition), object


def verify_objects(run: PublishRun) -> None:
    found = run.planned()
    previous = found.previous
    listed = {r.sha256 for i in previous.items for r in i.blobs()} if previous else set()
    check = _ObjectCheck(
        run,
        source_by_sha={sha: sf for sf, _m, _id, sha in found.plans},
        rewritten=run.fresh & listed,  # the hub lacked them although its catalog lists them
        fresh=run.fresh - listed,
    )
    run.stamps = check.check(run.record.objects if run.record else {})


class _ObjectCheck:
    def __init__(
        self,
        run: PublishRun,
        source_by_sha: dict[str, SourceFile],
        rewritten: set[str],
        fresh: set[str],
    ) -> None:
        self.run, self.result, self.hub_root = run, run.result, run.hub_root
        self.source_by_sha, self.rewritten, self.fresh = source_by_sha, rewritten, fresh
        self.refs: list[Ref] = []
        for item in run.items:
            self.refs.append((item, "file", item.content))
            self.refs += [(item, "text", item.text)] if item.text else []
            self.refs += [(item, "thumbnail", item.thumbnail)] if item.thumbnail else []
            self.refs += [(item, "rendition", item.rendition)] if item.rendition else []
        self.stamps: dict[str, Stamp] = {}
        self.bad: dict[str, str] = {}  # sha: status, of objects that failed their check
        self.handled: set[str] = set()  # bad objects repaired or reported (each once)

    def check(self, known: dict[str, Stamp]) -> dict[str, Stamp]:
        """The stamp of every object found or made right, for the publisher state."""
        wanted = self._stamp_written()
        checks = check_objects(
            self.hub_root,
            wanted,
            known,
            threads=max(2, min(4, os.cpu_count() or 2)),
            progress=lambda done, total: self.run.progress("verifying", done, total),
            cancel=self.run.cancel,
        )
        self.bad = {sha: check.status for sha, check in checks.items() if check.status != OK}
        self.stamps.update({sha: c.stamp for sha, c in checks.items() if c.stamp is not None})
        if self.bad:
            self._repair()
        return self.stamps

    def _stamp_written(self) -> dict[str, int]:
        """Stamp the objects this publish wrote; the others are to be checked (sha: size)."""
        wanted: dict[str, int] = {}
        for item, role, ref in self.refs:
            written = ref.sha256 in self.fresh or ref.sha256 in self.rewritten
            stamp = stamp_of(self.hub_root, ref.sha256) if written else None
            if stamp is not None and stamp[0] == ref.size:
                self.stamps[ref.sha256] = stamp  # written by this publish, hashed as written
                if ref.sha256 in self.rewritten:
                    self.result.restored.append(f"{item.id} ({role})")
                    self.rewritten.discard(ref.sha256)
            else:
                wanted[ref.sha256] = ref.size
        return wanted

    def _repair(self) -> None:
        rederive: dict[Path, list[Ref]] = {}
        for item, role, ref in self.refs:
            sha = ref.sha256
            if sha not in self.bad or sha in self.handled:
                continue
            if role == "file" and sha in self.source_by_sha:
                src = self.source_by_sha[sha].path
                self.stamps[sha] = repair_object(
                    partial(replace_object_from_file, src, self.hub_root, sha, ref.size),
                    self.hub_root,
                )
                self._note(item, role, sha)
            elif role != "file" and item.sha256 in self.source_by_sha:
                path = self.source_by_sha[item.sha256].path
                rederive.setdefault(path, []).append((item, role, ref))
            else:
                self._unrepairable(item, role, sha)
        run = self.run
        extractions = extract_files(list(rederive), run.workers, run.progress, run.cancel)
        for path, entries in rederive.items():
            for item, role, ref in entries:
                self._rederive(item, role, ref, extractions[path])

    def _rederive(self, item: CatalogItem, role: str, ref: BlobRef, ex: Extraction) -> None:
        data = _derived(ex, role)
        if data is not None and hashlib.sha256(data).hexdigest() == ref.sha256:
            if ref.sha256 not in self.handled:
                self.stamps[ref.sha256] = repair_object(
                    partial(replace_object_bytes, data, self.hub_root), self.hub_root
                )
                self._note(item, role, ref.sha256)
        elif item.status == "current":
            _take_new_derivative(item, role, ex, data, self.hub_root, self.stamps, self.run.now)
            self._note(item, role, ref.sha256, ", extracted again")
            result = self.result
            result.unsearchable.pop(item.id, None)
            if not item.searchable and item.reason:
                result.unsearchable[item.id] = item.reason
            if item.id not in result.added + result.updated + result.metadata_changed:
                result.unchanged -= 1
                result.metadata_changed.append(item.id)
        elif ref.sha256 not in self.handled:
            self._unrepairable(item, role, ref.sha256)

    def _note(self, item: CatalogItem, role: str, sha: str, how: str = "") -> None:
        label = f"{item.id} ({role}{how})"
        (self.result.restored if self.bad[sha] == MISSING else self.result.repaired).append(label)
        self.handled.add(sha)

    def _unrepairable(self, item: CatalogItem, role: str, sha: str) -> None:
        self.result.unrepairable.append(f"{item.id} ({role}, {item.status})")
        self.handled.add(sha)


def _derived(ex: Extraction, role: str) -> bytes | None:
    """The text or thumbnail object an extraction makes (None: it makes none; a damaged PDF
    rendition is dropped, not rendered again: the item keeps no preview until it changes)."""
    if role == "text":
        return encode_text(ex.segments) if ex.segments else None
    if role == "rendition":
        return None
    return ex.thumbnail_png or None


def _take_new_derivative(
    item: CatalogItem,
    role: str,
    ex: Extraction,
    data: bytes | None,
    hub_root: Path,
    stamps: dict[str, Stamp],
    now: datetime,
) -> None:
    """A current item's text or thumbnail, extracted again, came out different: use it."""
    ref: BlobRef | None = None
    if data is not None:
        stamp = repair_object(partial(replace_object_bytes, data, hub_root), hub_root)
        ref = BlobRef(hashlib.sha256(data).hexdigest(), len(data))
        stamps[ref.sha256] = stamp
    if role == "rendition":
        item.rendition = ref
    elif role == "text":
        item.text = ref
        item.searchable = ex.searchable and ref is not None
        item.reason = ex.reason if not ex.searchable else (None if ref else "No text found.")
        item.pages = ex.page_count
    else:
        item.thumbnail = ref
    item.updated_at = now
