"""A rep's sync: verify the hub's signed catalog, fetch what is missing, switch atomically.

Order of work, so that a sync cut off at any byte leaves the previous library usable:

1. read and verify the catalog (signature, serial, safe names) - nothing written yet;
2. download each missing object into ``tmp/<sha>.part`` (resumable), check its hash, then
   move it into the store - files the current database does not reference yet are inert;
3. one database transaction switches to the new catalog (the atomic step);
4. update the search index (a cache: the database is reconciled into it if this is cut);
5. delete files no current item references (withdrawn, superseded, stale partials, and
   anything dropped into the library's folders by hand; links are removed, never followed).

A disk that fills up (ENOSPC, EFBIG under a file size limit, a full SQLite database) stops
the sync with :class:`~app.core.hub.DiskFullError` before the switch, so the library is
unchanged. The partial download that hit the wall is deleted (a library on a full disk could
not even be opened); files completed before it stay for the next sync.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import sqlite3
import stat
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from filelock import FileLock, Timeout
from sqlalchemy import delete, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from app.core.catalog import BlobRef, Catalog, CatalogItem, load_verified_catalog, verify_envelope
from app.core.crashpoints import crashpoint
from app.core.errors import (
    CancelledError,
    HashMismatchError,
    HubError,
    RollbackError,
    SatchelError,
    TrustError,
)
from app.core.hub import DiskFullError, Hub, check_and_finish, disk_full_error
from app.core.index_snapshot import IndexManifest, ManifestError, decode_manifest, doc_stamp
from app.core.library import INDEX_MANIFEST_KEY, INDEX_PENDING_KEY, INDEX_REFUSED_KEY, Library
from app.core.models import HubState, Item, ItemVersion, Meta
from app.core.signing import PublicKey
from app.core.timeutil import iso, utcnow

log = logging.getLogger(__name__)


@dataclass(slots=True)
class SyncProgress:
    stage: str  # "catalog", "download", "switch", "index", "cleanup"
    files_done: int = 0
    files_total: int = 0
    bytes_done: int = 0
    bytes_total: int = 0


@dataclass(slots=True)
class SyncResult:
    serial: int
    previous_serial: int
    up_to_date: bool = False
    new: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    metadata_changed: list[str] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)
    files_fetched: int = 0
    bytes_fetched: int = 0
    bytes_resumed: int = 0
    item_count: int = 0
    index_adopted: bool = False  # the publisher's shipped index became this library's

    def summary(self) -> str:
        if self.up_to_date:
            return f"Library up to date (catalog serial {self.serial}, {self.item_count} items)."
        return (
            f"Synced catalog serial {self.serial}: {len(self.new)} new, "
            f"{len(self.updated)} updated, {len(self.withdrawn)} withdrawn; "
            f"{self.files_fetched} files ({self.bytes_fetched:,} bytes) fetched; "
            f"{self.item_count} items."
        )


ProgressFn = Callable[[SyncProgress], None]


def _payload_sha(data: bytes, key: PublicKey) -> str:
    return hashlib.sha256(verify_envelope(data, key).encode("utf-8")).hexdigest()


def sync_library(
    library: Library,
    hub: Hub,
    key: PublicKey,
    *,
    progress: ProgressFn | None = None,
    cancel: Callable[[], bool] | None = None,
    now: datetime | None = None,
) -> SyncResult:
    """Bring ``library`` to the hub's current signed catalog. See the module docstring."""
    home = library.paths.home
    lock = FileLock(str(home / "sync.lock"))
    try:
        lock.acquire(timeout=0)
    except Timeout as exc:
        raise HubError("Another sync of this library is running.") from exc
    except OSError as exc:
        raise disk_full_error(exc, home / "sync.lock") or SatchelError(
            f"The library folder {home} cannot be written ({exc.strerror or exc})."
        ) from exc
    try:
        return _Sync(library, hub, key, progress, cancel, now or utcnow()).run()
    except OSError as exc:  # writing into the library failed; what the hub did is HubError
        raise disk_full_error(exc, home / "tmp") or SatchelError(
            f"Could not update the library in {home} ({exc.strerror or exc}); "
            "the library is unchanged."
        ) from exc
    except OperationalError as exc:
        code = getattr(exc.orig, "sqlite_errorcode", None)
        if code is None or code & 0xFF not in (sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR):
            raise
        raise DiskFullError(
            f"The library database in {home} could not be written "
            f"({'the disk is full' if code & 0xFF == sqlite3.SQLITE_FULL else 'disk I/O error'});"
            " free some space and sync again - the library is unchanged."
        ) from exc
    finally:
        lock.release()


class _Sync:
    def __init__(
        self,
        library: Library,
        hub: Hub,
        key: PublicKey,
        progress: ProgressFn | None,
        cancel: Callable[[], bool] | None,
        now: datetime,
    ) -> None:
        self.lib = library
        self.paths = library.paths
        self.hub = hub
        self.key = key
        self.report = progress or (lambda _p: None)
        self.cancelled = cancel or (lambda: False)
        self.now = now

    def check_cancel(self) -> None:
        if self.cancelled():
            raise CancelledError("Sync cancelled; the library is unchanged.")

    def run(self) -> SyncResult:
        self.report(SyncProgress("catalog"))
        data = self.hub.read_catalog()
        catalog = load_verified_catalog(data, self.key)
        payload_sha = _payload_sha(data, self.key)
        state = self.lib.hub_state()
        result = SyncResult(serial=catalog.serial, previous_serial=state.serial)
        if catalog.serial < state.serial:
            raise RollbackError(
                f"The hub offers catalog serial {catalog.serial}, older than serial "
                f"{state.serial} this library already has; refusing it (a rollback or a "
                "stale mirror)."
            )
        if catalog.serial == state.serial and state.catalog_sha256 not in (None, payload_sha):
            raise TrustError(
                f"The hub's catalog serial {catalog.serial} has different content from the "
                "one this library verified before; refusing it."
            )
        current = catalog.current()
        expiry_now = max(self.now, catalog.created_at)  # see Library.expiry_now
        result.item_count = sum(
            1 for i in current if i.expires_at is None or i.expires_at > expiry_now
        )
        manifest = self._index_to_adopt(catalog, current, result)
        if catalog.serial == state.serial and manifest is None and self._complete(current):
            result.up_to_date = True
            self._record(state, catalog, payload_sha, result)
            self._collect_garbage(current)
            return result

        self._fetch_missing(current, result, list(manifest.files().values()) if manifest else [])
        self.check_cancel()
        self.report(SyncProgress("switch"))
        crashpoint("sync.before_switch")
        self._switch(catalog, payload_sha, result)
        crashpoint("sync.after_switch")
        self.report(SyncProgress("index"))
        try:
            if manifest is not None and catalog.index is not None:
                try:
                    self._adopt(manifest, catalog.index.sha256, result)
                except (ValueError, OSError) as exc:  # indexed locally from the pending list
                    log.warning("the hub's search index does not open (%s)", exc)
                    self.lib.set_meta(INDEX_REFUSED_KEY, catalog.index.sha256)
            self.lib.apply_index_pending()
        except Exception:  # the index is a cache; the pending list survives for next time
            log.exception("search index update failed; it catches up on next open")
        crashpoint("sync.after_index")
        self.report(SyncProgress("cleanup"))
        self._collect_garbage(current)
        return result

    # ------------------------------------------------------------------ files

    def _content_path(self, item: CatalogItem) -> Path:
        return self.paths.content_dir(item.sha256) / item.filename

    def _have(self, path: Path, size: int) -> bool:
        """A regular file of the right size (a link put there by hand does not count)."""
        try:
            st = path.lstat()
        except OSError:
            return False
        return stat.S_ISREG(st.st_mode) and st.st_size == size

    def _complete(self, items: list[CatalogItem]) -> bool:
        return all(not t for t in (self._missing(i) for i in items))

    def _missing(self, item: CatalogItem) -> list[tuple[BlobRef, Path]]:
        need: list[tuple[BlobRef, Path]] = []
        dest = self._content_path(item)
        if not self._have(dest, item.size):
            need.append((item.content, dest))
        for ref in (item.text, item.thumbnail):
            if ref is not None:
                path = self.paths.blob_path(ref.sha256)
                if not self._have(path, ref.size):
                    need.append((ref, path))
        return need

    def _fetch_missing(
        self, items: list[CatalogItem], result: SyncResult, extra: Sequence[BlobRef] = ()
    ) -> None:
        todo: dict[Path, BlobRef] = {}
        for item in items:
            for ref, dest in self._missing(item):
                todo[dest] = ref
        for ref in extra:  # shipped search-index files, kept as blobs
            path = self.paths.blob_path(ref.sha256)
            if not self._have(path, ref.size):
                todo[path] = ref
        total_bytes = sum(r.size for r in todo.values())
        prog = SyncProgress("download", 0, len(todo), 0, total_bytes)
        self.report(prog)

        def on_bytes(n: int) -> None:
            prog.bytes_done += n
            result.bytes_fetched += n  # bytes that really came from the hub
            self.report(prog)

        for dest, ref in sorted(todo.items(), key=lambda kv: kv[1].size):
            self.check_cancel()
            if not self._copy_local_twin(ref, dest):
                part = self.paths.part_path(ref.sha256)
                resumed = part.stat().st_size if part.exists() else 0
                try:
                    self.hub.fetch_object(ref.sha256, ref.size, part, on_bytes, self.cancelled)
                except DiskFullError:
                    # give the space back: a library on a full disk cannot even be opened
                    part.unlink(missing_ok=True)
                    raise
                result.bytes_resumed += min(resumed, ref.size)
                result.files_fetched += 1
                crashpoint("sync.object_fetched")
                self.paths.inside(dest).parent.mkdir(parents=True, exist_ok=True)
                part.replace(self.paths.inside(dest))
            prog.files_done += 1
            self.report(prog)

    def _copy_local_twin(self, ref: BlobRef, dest: Path) -> bool:
        """The same bytes already here under another name (a renamed file): copy locally.

        The copy is hash-checked: a twin changed by hand is not copied (the hub's is fetched).
        """
        folder = self.paths.content_dir(ref.sha256)
        if dest.parent != folder or not folder.is_dir() or folder.is_symlink():
            return False
        for twin in folder.iterdir():
            if twin != dest and self._have(twin, ref.size):
                tmp = self.paths.part_path(ref.sha256).with_suffix(".copy")
                shutil.copyfile(twin, tmp)
                try:
                    check_and_finish(tmp, ref.sha256, ref.size)
                except HashMismatchError:
                    continue
                tmp.replace(self.paths.inside(dest))
                return True
        return False

    # ------------------------------------------------------------------ index

    def _index_to_adopt(
        self, catalog: Catalog, current: list[CatalogItem], result: SyncResult
    ) -> IndexManifest | None:
        """The publisher's shipped index, when this library has not adopted it yet and it
        indexes exactly the catalog's current items with this code's schema."""
        ref = catalog.index
        if ref is None or ref.sha256 in (
            self.lib.meta(INDEX_MANIFEST_KEY),
            self.lib.meta(INDEX_REFUSED_KEY),
        ):
            return None
        path = self.paths.blob_path(ref.sha256)
        try:
            if not self._have(path, ref.size):
                part = self.paths.part_path(ref.sha256)
                resumed = part.stat().st_size if part.exists() else 0

                def on_bytes(n: int) -> None:
                    result.bytes_fetched += n

                self.hub.fetch_object(ref.sha256, ref.size, part, on_bytes, self.cancelled)
                result.bytes_resumed += min(resumed, ref.size)
                result.files_fetched += 1
                self.paths.inside(path).parent.mkdir(parents=True, exist_ok=True)
                part.replace(self.paths.inside(path))
            manifest = decode_manifest(path.read_bytes())
            if not manifest.usable:
                raise ManifestError("it was built by another version of Satchel")
            if manifest.live_docs() != {i.id: doc_stamp(i) for i in current}:
                raise ManifestError("it does not index exactly the catalog's items")
        except ManifestError as exc:
            log.warning("the hub's search index is not used (%s); indexing locally", exc)
            self.lib.set_meta(INDEX_REFUSED_KEY, ref.sha256)
            return None
        return manifest

    def _adopt(self, manifest: IndexManifest, manifest_sha: str, result: SyncResult) -> None:
        files = {n: self.paths.blob_path(r.sha256) for n, r in manifest.files().items()}
        self.lib.adopt_index(manifest.specs(), files, manifest_sha)
        result.index_adopted = True

    # ------------------------------------------------------------------ switch

    def _switch(self, catalog: Catalog, payload_sha: str, result: SyncResult) -> None:
        incoming = {i.id: i for i in catalog.current()}
        with self.lib.sessions.begin() as s:
            existing = {i.id: i for i in s.scalars(select(Item)).all()}
            for item_id, row in existing.items():
                if item_id not in incoming and row.status == "current":
                    row.status = "withdrawn"
                    row.withdrawn_at = self.now
                    result.withdrawn.append(item_id)
            for item_id, new in incoming.items():
                old = existing.get(item_id)
                if old is None or old.status != "current":
                    result.new.append(item_id)
                elif old.sha256 != new.sha256:
                    result.updated.append(item_id)
                elif old.updated_at != new.updated_at or old.title != new.title:
                    result.metadata_changed.append(item_id)
                else:
                    continue
                self._upsert(s, old, new, catalog.serial)
            state = s.get(HubState, 1) or HubState(id=1)
            s.add(state)
            self._record_into(state, catalog, payload_sha, result)
            changed = result.new + result.updated + result.metadata_changed + result.withdrawn
            if changed:  # the index catches up from this list, even after a crash
                pending = s.get(Meta, INDEX_PENDING_KEY)
                ids = set(json.loads(pending.value)) if pending else set()
                s.merge(Meta(key=INDEX_PENDING_KEY, value=json.dumps(sorted(ids | set(changed)))))

    def _upsert(self, s: Session, old: Item | None, new: CatalogItem, serial: int) -> None:
        item = old or Item(id=new.id, first_serial=serial)
        if old is None:
            s.add(item)
        elif old.status != "current":
            item.first_serial = serial
        if old is None or old.sha256 != new.sha256 or old.status != "current":
            item.changed_serial = serial
        item.title = new.title
        item.description = new.description
        item.kind = new.kind
        item.filename = new.filename
        item.tags = new.tags
        item.owner = new.owner
        item.status = "current"
        item.withdrawn_at = None
        item.version = new.version
        item.sha256 = new.sha256
        item.size = new.size
        item.text_sha256 = new.text.sha256 if new.text else None
        item.thumb_sha256 = new.thumbnail.sha256 if new.thumbnail else None
        item.searchable = new.searchable
        item.unsearchable_reason = new.reason
        item.page_count = new.pages
        item.published_at = new.published_at
        item.updated_at = new.updated_at
        item.expires_at = new.expires_at
        s.flush()
        s.execute(delete(ItemVersion).where(ItemVersion.item_id == new.id))
        for h in new.history:
            s.add(
                ItemVersion(
                    item_id=new.id,
                    version=h.version,
                    sha256=h.sha256,
                    size=h.size,
                    published_at=h.published_at,
                    change_note=h.change_note,
                )
            )

    def _record_into(
        self, state: HubState, catalog: Catalog, payload_sha: str, result: SyncResult
    ) -> None:
        state.serial = catalog.serial
        state.catalog_sha256 = payload_sha
        state.catalog_created_at = catalog.created_at
        if not result.up_to_date:
            state.previous_sync_at = state.last_sync_at
        state.last_sync_at = self.now
        summary = asdict(result)
        summary["finished_at"] = iso(self.now)
        state.last_result = summary

    def _record(
        self, state: HubState, catalog: Catalog, payload_sha: str, result: SyncResult
    ) -> None:
        with self.lib.sessions.begin() as s:
            merged = s.merge(state)
            self._record_into(merged, catalog, payload_sha, result)

    # ------------------------------------------------------------------ cleanup

    def _collect_garbage(self, items: list[CatalogItem]) -> None:
        """Delete everything in files/, blobs/ and tmp/ that no current item needs.

        Whatever is there - files, folders, links someone put there by hand - is removed
        without following links, and a failure to remove one entry never fails the sync.
        """
        keep_files = {self._content_path(i) for i in items}
        keep_dirs = {p.parent for p in keep_files}
        keep_blobs = {r.sha256 for i in items for r in (i.text, i.thumbnail) if r is not None}
        keep_blobs |= self._index_blobs()
        for top in _entries(self.paths.files_dir):  # files/<2 hex>
            if not _is_real_dir(top):
                _remove(top)
                continue
            for shard in _entries(top):  # files/<2 hex>/<sha256>
                if shard not in keep_dirs or not _is_real_dir(shard):
                    _remove(shard)
                    continue
                for f in _entries(shard):
                    if f not in keep_files or not _is_regular(f):
                        _remove(f)
        for top in _entries(self.paths.blobs_dir):  # blobs/<2 hex>
            if not _is_real_dir(top):
                _remove(top)
                continue
            for blob in _entries(top):
                if blob.name not in keep_blobs or not _is_regular(blob):
                    _remove(blob)
        for part in _entries(self.paths.tmp_dir):
            _remove(part)


    def _index_blobs(self) -> set[str]:
        """The adopted index's manifest and segment files (the live index links to them)."""
        sha = self.lib.meta(INDEX_MANIFEST_KEY)
        if not sha:
            return set()
        try:
            manifest = decode_manifest(self.paths.blob_path(sha).read_bytes())
        except (OSError, ManifestError):
            return set()
        return {sha} | {r.sha256 for r in manifest.files().values()}


def _entries(folder: Path) -> list[Path]:
    try:
        return list(folder.iterdir())
    except OSError:
        return []


def _is_real_dir(path: Path) -> bool:
    try:
        return stat.S_ISDIR(path.lstat().st_mode)
    except OSError:
        return False


def _is_regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(path.lstat().st_mode)
    except OSError:
        return False


def _remove(path: Path) -> None:
    """Delete a file, link or folder without following links; a failure is only logged."""
    try:
        if _is_real_dir(path):
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)
    except OSError as exc:
        log.warning("could not remove %s from the library: %s", path.name, exc.strerror or exc)
    crashpoint("sync.gc")
