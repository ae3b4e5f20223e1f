"""Step 4: the search index. The publisher's shipped index, when it indexes exactly this
rep's items, is written into a folder that is not live yet while the content downloads
(:class:`IndexJob`) and made live after the switch; otherwise the library indexes what the
switch changed (the pending list, written in the switch's transaction: the index is a cache
the database is reconciled into if this step is cut)."""

from __future__ import annotations

import logging
import os
import threading
from typing import TYPE_CHECKING

from app.core.catalog import BlobRef, Catalog, CatalogItem
from app.core.library import Library
from app.core.sync import fetch
from app.core.sync.results import SyncResult
from app.core.sync.run_state import SyncRun

if TYPE_CHECKING:
    from app.core.index_snapshot import IndexManifest
    from app.core.search import PreparedIndex

log = logging.getLogger(__name__)


class IndexJob(threading.Thread):
    """Writes the publisher's shipped index into the rep's own, not yet live, index folder,
    while the sync downloads content. Touches files only, never the database: the stored
    fields come from the verified catalog's items."""

    def __init__(self, lib: Library, manifest: IndexManifest, current: list[CatalogItem]) -> None:
        super().__init__(name="satchel-index-writer", daemon=True)
        from app.core.search import index_doc_of

        self._lib = lib
        self._specs = manifest.specs()
        self._files = {r.sha256: lib.paths.blob_path(r.sha256) for r in manifest.files()}
        self._docs = [index_doc_of(item, ()) for item in current]
        self._prepared: PreparedIndex | None = None
        self._error: BaseException | None = None

    def run(self) -> None:
        try:
            # one CPU is left to the downloads running meanwhile
            workers = max(1, (os.cpu_count() or 1) - 1)
            self._prepared = self._lib.prepare_shipped_index(
                self._specs, self._files, self._docs, workers=workers
            )
        except BaseException as exc:  # handed to the sync by result()
            self._error = exc

    def result(self) -> PreparedIndex:
        """The prepared index; raises what preparing it raised (ValueError: refused)."""
        self.join()
        if self._error is not None:
            raise self._error
        if self._prepared is None:
            raise ValueError("the shipped index was not written")
        return self._prepared

    def discard(self) -> None:
        """The sync failed or was cancelled: wait, then remove what was written."""
        self.join()
        if self._prepared is not None:
            self._prepared.discard()


def to_adopt(
    run: SyncRun, catalog: Catalog, current: list[CatalogItem], result: SyncResult, listed: int
) -> IndexManifest | None:
    """The publisher's shipped index, when this library has not adopted it yet and it
    indexes exactly the catalog's current items with this code's schema."""
    from app.core.index_snapshot import ManifestError, decode_manifest, doc_stamp

    ref = catalog.index
    if ref is None or run.lib.shipped_index_seen(ref.sha256):
        return None
    path = run.paths.blob_path(ref.sha256)
    try:
        if not run.have(path, ref.size):
            _fetch_manifest(run, ref, result)
        manifest = decode_manifest(path.read_bytes(), max_items=2 * listed)
        if not manifest.usable:
            raise ManifestError("it was built by another version of Satchel")
        if manifest.live_docs() != {i.id: doc_stamp(i) for i in current}:
            raise ManifestError("it does not index exactly the catalog's items")
    except ManifestError as exc:
        log.warning("the hub's search index is not used (%s); indexing locally", exc)
        run.lib.refuse_shipped_index(ref.sha256)
        return None
    return manifest


def _fetch_manifest(run: SyncRun, ref: BlobRef, result: SyncResult) -> None:
    path = run.paths.blob_path(ref.sha256)
    part = run.paths.part_path(ref.sha256)
    run.lib.own([path, part])
    resumed = part.stat().st_size if part.exists() else 0

    def on_bytes(n: int) -> None:
        result.bytes_fetched += n

    fetch.real_dir(run, run.paths.tmp_dir)
    run.hub.fetch_object(ref.sha256, ref.size, part, on_bytes, run.cancelled)
    result.bytes_resumed += min(resumed, ref.size)
    result.files_fetched += 1
    fetch.real_dir(run, path.parent)
    part.replace(path)
    run.written.append(path)


def files_to_fetch(run: SyncRun, manifest: IndexManifest | None) -> list[BlobRef]:
    """The shipped segment files to fetch: those the live index was not written from."""
    if manifest is None:
        return []
    have = run.lib.shipped_index_files()
    return [ref for ref in manifest.files() if ref.sha256 not in have]


def catch_up(run: SyncRun, job: IndexJob | None, catalog: Catalog, result: SyncResult) -> bool:
    """Make the written shipped index live, or index what the switch changed. False when
    the index could not be brought up to date (it catches up on the next open or sync)."""
    try:
        if job is not None and catalog.index is not None:
            try:
                run.lib.adopt_prepared_index(job.result(), catalog.index.sha256)
                result.index_adopted = True
            except Exception as exc:  # refused once: indexed locally from the pending list
                log.warning("the hub's search index is not used (%s); indexing locally", exc)
                run.lib.refuse_shipped_index(catalog.index.sha256)
        run.lib.apply_index_pending()
    except Exception:  # the index is a cache; the pending list survives for next time
        log.exception("search index update failed; it catches up on next open")
        return False
    return True
