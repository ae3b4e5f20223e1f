"""A rep's sync: verify the hub's signed catalog, fetch what is missing, switch atomically.

Order of work, so that a sync cut off at any byte leaves the previous library usable:

1. read and verify the catalog (signature, serial, safe names) - nothing written yet;
2. download each missing object into ``tmp/<sha>.part`` (resumable), check its hash, then
   move it into the store - files the current database does not reference yet are inert;
   a folder or web hub is read by a few threads at once (see :class:`_Downloads`). The
   shipped search index's files come first: while the rest downloads, the rep writes its
   own index from them into a folder that is not live yet (:class:`_IndexJob`);
3. one database transaction switches to the new catalog (the atomic step);
4. update the search index: make the written one live, or index what changed locally (a
   cache: the database is reconciled into it if this is cut);
5. delete the files Satchel recorded as its own (see :meth:`Library.own`, written before
   the files) that no current item references: withdrawn, superseded, stale partials.
   Anything else in the library's folders was put there by somebody else and stays.

A disk that fills up (ENOSPC, EFBIG under a file size limit, a full SQLite database) stops
the sync with :class:`~app.core.hub.DiskFullError` before the switch, so the library is
unchanged. The partial download that hit the wall is deleted (a library on a full disk could
not even be opened), and so is any other that cannot finish beside it; files completed stay
for the next sync.

Downloads are hashed as they are written (a resumed one re-reads only what it had) and are
not flushed one by one: just before the switch, everything fetched is made durable at once
(one ``syncfs`` on Linux, else an ``fsync`` per file), so the switch never refers to files a
power cut could still take away.

A sync that finishes step 5 records the catalog it completed (``Meta`` key
:data:`~app.core.library.SYNC_COMPLETE_KEY`). When the hub still offers exactly that signed
catalog, the next sync stops after checking the signature: it neither parses the catalog,
nor looks at every file, nor cleans up. A file dropped into the library by hand is never
handed out, since only files the catalog names are opened. A file changed or
deleted by hand is noticed when it is opened (its hash is checked every time), which clears
the record, so the next sync fetches the approved copy again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import sqlite3
import stat
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from filelock import FileLock, Timeout
from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import OperationalError

from app.core.catalog import (
    BlobRef,
    Catalog,
    CatalogItem,
    audience_matches,
    parse_catalog,
    verify_envelope,
)
from app.core.crashpoints import crashpoint
from app.core.errors import (
    CancelledError,
    HashMismatchError,
    HubError,
    RollbackError,
    SatchelError,
    TrustError,
)
from app.core.freshness import VALID_UNTIL_KEY, valid_until_row
from app.core.hub import DiskFullError, Hub, check_and_finish, disk_full_error, make_durable
from app.core.library import (
    INDEX_MANIFEST_KEY,
    INDEX_PENDING_KEY,
    INDEX_REFUSED_KEY,
    SYNC_COMPLETE_KEY,
    Library,
)
from app.core.models import HubState, Item, ItemVersion, Meta
from app.core.paths import OutsideLibraryError
from app.core.sharing import refresh_share
from app.core.signing import PublicKey
from app.core.timeutil import iso, utcnow

if TYPE_CHECKING:
    from app.core.index_snapshot import IndexManifest
    from app.core.search import PreparedIndex

log = logging.getLogger(__name__)

# the rep audiences the library's items were chosen for ("" or absent: every item)
AUDIENCES_KEY = "sync_audiences"


def audiences_stamp(audiences: frozenset[str] | None) -> str:
    return "" if audiences is None else json.dumps(sorted(audiences))


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
    # current items that left the library because they are not aimed at this rep (any more)
    not_aimed: list[str] = field(default_factory=list)
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
            f"{len(self.updated)} updated, {len(self.withdrawn)} withdrawn"
            + (f", {len(self.not_aimed)} no longer aimed at you" if self.not_aimed else "")
            + "; "
            f"{self.files_fetched} files ({self.bytes_fetched:,} bytes) fetched; "
            f"{self.item_count} items."
        )


ProgressFn = Callable[[SyncProgress], None]


_IN_CHUNK = 500  # ids per "IN (...)" (SQLite limits the variables of one statement)


def sync_library(
    library: Library,
    hub: Hub,
    key: PublicKey,
    *,
    progress: ProgressFn | None = None,
    cancel: Callable[[], bool] | None = None,
    now: datetime | None = None,
    location: str | None = None,
    after_verify: Callable[[], None] | None = None,
    audiences: frozenset[str] | None = None,
) -> SyncResult:
    """Bring ``library`` to the hub's current signed catalog. See the module docstring.

    ``key`` need not be the one the library pinned: a catalog verified with another key
    starts a new serial sequence. The key - and ``location``, when given - are remembered
    only when the sync succeeds, in the transaction that records it. ``after_verify`` runs
    once the hub's catalog has verified against ``key`` (signature, serial), before any
    download: the place to upload usage, which must reach marketing's hub and no other.

    ``audiences`` (keys as :func:`~app.core.catalog.audience_key` makes them; None: all)
    chooses the items this rep gets: those :func:`~app.core.catalog.audience_matches`.
    The others are treated as if the catalog did not list them - neither fetched, listed
    nor indexed. The shipped search index then indexes more than the rep's items, so it is
    not adopted: such a rep's library indexes its items itself.
    """
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
        sync = _Sync(library, hub, key, progress, cancel, now or utcnow())
        sync.location = location
        sync.after_verify = after_verify or (lambda: None)
        sync.audiences = audiences
        return sync.run()
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
        self._real_dirs: set[Path] = set()  # folders checked to be real (not links)
        self._dir_lock = threading.Lock()
        self._written: list[Path] = []  # files this sync put into the library
        self.location: str | None = None  # remembered as the library's hub on success
        self.after_verify: Callable[[], None] = lambda: None
        self.audiences: frozenset[str] | None = None
        self.hidden: set[str] = set()  # current items of the catalog not aimed at this rep

    def check_cancel(self) -> None:
        if self.cancelled():
            raise CancelledError("Sync cancelled; the library is unchanged.")

    def run(self) -> SyncResult:
        self.report(SyncProgress("catalog"))
        data = self.hub.read_catalog(self.cancelled)
        payload = verify_envelope(data, self.key)
        payload_sha = hashlib.sha256(payload.encode("utf-8")).hexdigest()
        state = self.lib.hub_state()
        if state.public_key != self.key.to_pem():  # another key: a new serial sequence
            state.serial, state.catalog_sha256 = 0, None
        same_audiences = (self.lib.meta(AUDIENCES_KEY) or "") == audiences_stamp(self.audiences)
        if payload_sha == state.catalog_sha256 == self.lib.meta(SYNC_COMPLETE_KEY) and (
            self.lib.meta(VALID_UNTIL_KEY) is not None  # recorded (freshness.py)
            and same_audiences
        ):
            self.after_verify()
            return self._unchanged(state)  # the catalog the last finished sync completed
        catalog = parse_catalog(payload)
        listed = len(catalog.items)
        aimed: list[CatalogItem] = []
        partial = False  # some current items are not for this rep: the shipped index (of
        # them all) is not adopted, and this library indexes its own items
        for item in catalog.items:
            if audience_matches(item.audiences, self.audiences):
                aimed.append(item)
            elif item.status == "current":
                partial = True
                self.hidden.add(item.id)
        catalog.items = aimed
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
        self.after_verify()
        self.check_cancel()
        current = catalog.current()
        expiry_now = max(self.now, catalog.created_at)  # see Library.expiry_now
        result.item_count = sum(
            1 for i in current if i.expires_at is None or i.expires_at > expiry_now
        )
        manifest = None if partial else self._index_to_adopt(catalog, current, result, listed)
        if (
            catalog.serial == state.serial
            and manifest is None
            and same_audiences
            and self._complete(current)
        ):
            result.up_to_date = True
            self._record(state, catalog.serial, catalog.created_at, payload_sha, result)
            with self.lib.sessions.begin() as s:  # rows written before items had a share
                refresh_share(s, current)
            self.lib.set_meta(VALID_UNTIL_KEY, valid_until_row(catalog.valid_until).value)
            self._collect_garbage(current)
            self.lib.set_meta(SYNC_COMPLETE_KEY, payload_sha)
            return result

        index_todo = self._plan_fetch([], self._index_files(manifest))
        content_todo = self._plan_fetch(current)
        everything = [*index_todo.values(), *content_todo.values()]
        prog = SyncProgress("download", 0, len(everything), 0, sum(r.size for r in everything))
        index_job = None
        if manifest is not None and catalog.index is not None:
            # the shipped index first: the rep writes its own index from it while the
            # content downloads (the switch below makes it live)
            self._fetch(index_todo, result, prog)
            index_job = _IndexJob(self.lib, manifest, current)
            index_job.start()
        try:
            self._fetch(content_todo, result, prog)
            self.check_cancel()
            self.report(SyncProgress("switch"))
            self._make_durable(current)
            crashpoint("sync.before_switch")
            self._switch(catalog, payload_sha, result)
        except BaseException:
            if index_job is not None:
                index_job.discard()
            raise
        crashpoint("sync.after_switch")
        self.report(SyncProgress("index"))
        indexed = True
        try:
            if index_job is not None and catalog.index is not None:
                try:
                    self._adopt(index_job, catalog.index.sha256, result)
                except Exception as exc:  # refused once: indexed locally from the pending list
                    log.warning("the hub's search index is not used (%s); indexing locally", exc)
                    self.lib.set_meta(INDEX_REFUSED_KEY, catalog.index.sha256)
            self.lib.apply_index_pending()
        except Exception:  # the index is a cache; the pending list survives for next time
            log.exception("search index update failed; it catches up on next open")
            indexed = False  # so the next sync does not stop early, and tries again
        crashpoint("sync.after_index")
        self.report(SyncProgress("cleanup"))
        self._collect_garbage(current)
        if indexed:
            self.lib.set_meta(SYNC_COMPLETE_KEY, payload_sha)
        return result

    def _unchanged(self, state: HubState) -> SyncResult:
        """The hub offers the catalog this library completed last time: record the sync."""
        serial = state.serial
        result = SyncResult(serial=serial, previous_serial=serial, up_to_date=True)
        expiry_now = max([self.now, *filter(None, [state.catalog_created_at])])
        with self.lib.sessions() as s:
            expiries = s.scalars(select(Item.expires_at).where(Item.status == "current"))
            result.item_count = sum(1 for e in expiries if e is None or e > expiry_now)
        self._record(state, serial, state.catalog_created_at, state.catalog_sha256, result)
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

    def _needed(self, item: CatalogItem) -> list[tuple[BlobRef, Path]]:
        """The item's file and blobs, and where each lives in the library."""
        need = [(item.content, self._content_path(item))]
        need += [(r, self.paths.blob_path(r.sha256)) for r in item.derived()]
        return need

    def _missing(self, item: CatalogItem) -> list[tuple[BlobRef, Path]]:
        return [(ref, path) for ref, path in self._needed(item) if not self._have(path, ref.size)]

    def _plan_fetch(
        self, items: list[CatalogItem], extra: Sequence[BlobRef] = ()
    ) -> dict[Path, BlobRef]:
        """Every object not yet in place: destination -> object."""
        todo: dict[Path, BlobRef] = {}
        for item in items:
            for ref, dest in self._missing(item):
                todo[dest] = ref
        for ref in extra:  # shipped search-index files, kept as blobs until written
            path = self.paths.blob_path(ref.sha256)
            if not self._have(path, ref.size):
                todo[path] = ref
        return todo

    def _fetch(self, todo: dict[Path, BlobRef], result: SyncResult, prog: SyncProgress) -> None:
        """Fetch ``todo``; ``prog`` (which may span several calls) counts on from where it
        stands."""
        # one task per object, smallest first: the same bytes wanted under two names are
        # placed by one thread, one after the other (they share tmp/<sha>.part)
        tasks: dict[str, list[tuple[Path, BlobRef]]] = {}
        for dest, ref in sorted(todo.items(), key=lambda kv: kv[1].size):
            tasks.setdefault(ref.sha256, []).append((dest, ref))
        self.lib.own(
            p
            for dest, ref in todo.items()
            for p in (dest, self.paths.part_path(ref.sha256), self._copy_path(ref))
        )
        self.report(prog)
        self._real_dir(self.paths.tmp_dir)
        threads = getattr(self.hub, "fetch_threads", 1)
        _Downloads(self, result, prog, max(1, int(threads))).run(list(tasks.values()))

    def _fetch_task(self, task: list[tuple[Path, BlobRef]], downloads: _Downloads) -> None:
        """Fetch one object and put it in place under each name it is wanted under (on a
        fetching thread)."""
        created: set[Path] = set()  # folders this task made: empty, so no twin to copy
        for dest, ref in task:
            if downloads.stop.is_set():
                return
            self._real_dir(dest.parent, created)
            if dest.parent in created or not self._copy_local_twin(ref, dest):
                part = self.paths.part_path(ref.sha256)
                resumed = downloads.resumable(part)
                downloads.started(part)
                try:
                    self.hub.fetch_object(
                        ref.sha256, ref.size, part, downloads.on_bytes, downloads.stop.is_set
                    )
                except DiskFullError:
                    # give the space back: a library on a full disk cannot even be opened
                    part.unlink(missing_ok=True)
                    raise
                crashpoint("sync.object_fetched")
                part.replace(dest)
                downloads.fetched(part, min(resumed, ref.size))
                created.discard(dest.parent)  # a twin for the next name is there now
            downloads.placed(dest)

    def _real_dir(self, folder: Path, created: set[Path] | None = None) -> None:
        """Make ``folder`` a real folder of the library (never writing through a link): a
        link or file put by hand where one of its folders belongs is removed first.
        ``created`` receives the folders made now. Safe to call from several threads."""
        try:
            self.paths.real_dir(folder, self._real_dirs, created)
            return
        except OutsideLibraryError:
            pass
        with self._dir_lock:  # one thread clears the way, of our own files only
            way = folder.relative_to(self.paths.home).parts
            owned = self.lib.owned()
            for n in range(1, len(way) + 1):
                step = self.paths.home.joinpath(*way[:n])
                if step not in self._real_dirs and _exists(step) and not _is_real_dir(step):
                    if step not in owned:
                        raise SatchelError(
                            f"{step} is in the way of the library's own folders and is not "
                            "Satchel's; move it away and sync again."
                        )
                    _remove_file(step)
            self.paths.real_dir(folder, self._real_dirs, created)

    def _make_durable(self, items: list[CatalogItem]) -> None:
        """Flush what the switch is about to refer to for the first time: this sync's
        downloads, and files an earlier sync fetched but was stopped before switching."""

        def fresh() -> Iterator[Path]:
            yield from self._written
            with self.lib.sessions() as s:
                rows = s.execute(
                    select(Item.sha256, Item.filename, Item.text_sha256, Item.thumb_sha256).where(
                        Item.status == "current"
                    )
                ).all()
            known = {self.paths.content_dir(r[0]) / r[1] for r in rows}
            known |= {self.paths.blob_path(sha) for r in rows for sha in r[2:] if sha}
            known.update(self._written)
            for item in items:
                for _ref, path in self._needed(item):
                    if path not in known and _is_regular(path):
                        known.add(path)
                        yield path

        make_durable(fresh(), self.paths.home)

    def _copy_path(self, ref: BlobRef) -> Path:
        return self.paths.part_path(ref.sha256).with_suffix(".copy")

    def _copy_local_twin(self, ref: BlobRef, dest: Path) -> bool:
        """The same bytes already here under another name (a renamed file): copy locally.

        The copy is hash-checked: a twin changed by hand is not copied (the hub's is fetched).
        """
        folder = self.paths.content_dir(ref.sha256)
        if dest.parent != folder or not folder.is_dir() or folder.is_symlink():
            return False
        for twin in folder.iterdir():
            if twin != dest and self._have(twin, ref.size):
                tmp = self._copy_path(ref)
                shutil.copyfile(twin, tmp)
                try:
                    check_and_finish(tmp, ref.sha256, ref.size)
                except HashMismatchError:
                    continue
                tmp.replace(dest)
                return True
        return False

    # ------------------------------------------------------------------ index

    def _index_to_adopt(
        self, catalog: Catalog, current: list[CatalogItem], result: SyncResult, listed: int
    ) -> IndexManifest | None:
        """The publisher's shipped index, when this library has not adopted it yet and it
        indexes exactly the catalog's current items with this code's schema."""
        from app.core.index_snapshot import ManifestError, decode_manifest, doc_stamp

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
                self.lib.own([path, part])
                resumed = part.stat().st_size if part.exists() else 0

                def on_bytes(n: int) -> None:
                    result.bytes_fetched += n

                self._real_dir(self.paths.tmp_dir)
                self.hub.fetch_object(ref.sha256, ref.size, part, on_bytes, self.cancelled)
                result.bytes_resumed += min(resumed, ref.size)
                result.files_fetched += 1
                self._real_dir(path.parent)
                part.replace(path)
                self._written.append(path)
            manifest = decode_manifest(path.read_bytes(), max_items=2 * listed)
            if not manifest.usable:
                raise ManifestError("it was built by another version of Satchel")
            if manifest.live_docs() != {i.id: doc_stamp(i) for i in current}:
                raise ManifestError("it does not index exactly the catalog's items")
        except ManifestError as exc:
            log.warning("the hub's search index is not used (%s); indexing locally", exc)
            self.lib.set_meta(INDEX_REFUSED_KEY, ref.sha256)
            return None
        return manifest

    def _index_files(self, manifest: IndexManifest | None) -> list[BlobRef]:
        """The shipped segment files to fetch: those the live index was not written from."""
        if manifest is None:
            return []
        have = self.lib.shipped_index_files()
        return [ref for ref in manifest.files() if ref.sha256 not in have]

    def _adopt(self, job: _IndexJob, manifest_sha: str, result: SyncResult) -> None:
        self.lib.adopt_prepared_index(job.result(), manifest_sha)
        result.index_adopted = True

    # ------------------------------------------------------------------ switch

    def _switch(self, catalog: Catalog, payload_sha: str, result: SyncResult) -> None:
        """One transaction: items and their histories as the catalog says, the hub state,
        and the list of items the search index must catch up with. Rows are written in bulk
        (one statement per kind of change), not object by object."""
        from app.core.replies import replies_for_library, replies_meta

        incoming = {i.id: i for i in catalog.current()}
        serial = catalog.serial
        replies = replies_for_library(self.lib, catalog.replies, set(incoming))
        with self.lib.sessions.begin() as s:
            existing = {
                r.id: r
                for r in s.execute(
                    select(
                        Item.id,
                        Item.status,
                        Item.sha256,
                        Item.updated_at,
                        Item.title,
                        Item.first_serial,
                        Item.changed_serial,
                        Item.share,
                        Item.rendition_sha256,
                    )
                )
            }
            for item_id, row in existing.items():
                if item_id not in incoming and row.status == "current":
                    (result.not_aimed if item_id in self.hidden else result.withdrawn).append(
                        item_id
                    )
            for chunk in _chunks(result.withdrawn + result.not_aimed):
                s.execute(
                    update(Item)
                    .where(Item.id.in_(chunk))
                    .values(status="withdrawn", withdrawn_at=self.now)
                    .execution_options(synchronize_session=False)
                )
            inserts: list[dict[str, Any]] = []
            updates: list[dict[str, Any]] = []
            for item_id, new in incoming.items():
                old = existing.get(item_id)
                if old is None or old.status != "current":
                    result.new.append(item_id)
                elif old.sha256 != new.sha256:
                    result.updated.append(item_id)
                elif (old.updated_at, old.title, old.share, old.rendition_sha256) != (
                    new.updated_at,
                    new.title,
                    new.share,
                    new.rendition.sha256 if new.rendition else None,
                ):
                    result.metadata_changed.append(item_id)
                else:
                    continue
                values = _item_row(new)
                if old is None or old.status != "current":
                    values["first_serial"] = values["changed_serial"] = serial
                else:
                    values["first_serial"] = old.first_serial
                    same = old.sha256 == new.sha256
                    values["changed_serial"] = old.changed_serial if same else serial
                (inserts if old is None else updates).append(values)
            if inserts:
                s.execute(insert(Item), inserts)
            if updates:  # by primary key
                s.execute(update(Item), updates)
            rewritten = [r["id"] for r in inserts + updates]
            for chunk in _chunks(rewritten):
                s.execute(
                    delete(ItemVersion)
                    .where(ItemVersion.item_id.in_(chunk))
                    .execution_options(synchronize_session=False)
                )
            versions = [
                {
                    "item_id": item_id,
                    "version": h.version,
                    "sha256": h.sha256,
                    "size": h.size,
                    "published_at": h.published_at,
                    "change_note": h.change_note,
                }
                for item_id in rewritten
                for h in incoming[item_id].history
            ]
            if versions:
                s.execute(insert(ItemVersion), versions)
            state = s.get(HubState, 1) or HubState(id=1)
            s.add(state)
            self._record_into(state, catalog.serial, catalog.created_at, payload_sha, result)
            s.merge(valid_until_row(catalog.valid_until))
            s.merge(Meta(key=AUDIENCES_KEY, value=audiences_stamp(self.audiences)))
            s.merge(replies_meta(replies))
            changed = result.new + result.updated + result.metadata_changed + result.withdrawn
            changed += result.not_aimed
            if changed:  # the index catches up from this list, even after a crash
                pending = s.get(Meta, INDEX_PENDING_KEY)
                ids = set(json.loads(pending.value)) if pending else set()
                s.merge(Meta(key=INDEX_PENDING_KEY, value=json.dumps(sorted(ids | set(changed)))))

    def _record_into(
        self,
        state: HubState,
        serial: int,
        created_at: datetime | None,
        payload_sha: str | None,
        result: SyncResult,
    ) -> None:
        state.serial = serial
        state.catalog_sha256 = payload_sha
        state.catalog_created_at = created_at
        state.public_key = self.key.to_pem()  # remembered now that a sync with it succeeded
        if self.location is not None and self.location != state.location:
            state.location = self.location
            state.is_demo = False
        if not result.up_to_date:
            state.previous_sync_at = state.last_sync_at
        state.last_sync_at = self.now
        summary = asdict(result)
        summary["finished_at"] = iso(self.now)
        state.last_result = summary

    def _record(
        self,
        state: HubState,
        serial: int,
        created_at: datetime | None,
        payload_sha: str | None,
        result: SyncResult,
    ) -> None:
        with self.lib.sessions.begin() as s:
            merged = s.merge(state)
            self._record_into(merged, serial, created_at, payload_sha, result)

    # ------------------------------------------------------------------ cleanup

    def _collect_garbage(self, items: list[CatalogItem]) -> None:
        """Delete the files Satchel recorded as its own that no current item needs.

        Only recorded files are deleted (see :meth:`Library.own`): whatever else is in the
        library's folders was put there by somebody else and is left alone - it is never
        listed nor handed out, since only the files the catalog names are opened. A link at
        a recorded path is removed, never followed; a failure to remove one file never fails
        the sync. Folders left empty by the deletions go too.
        """
        keep = {self._content_path(i) for i in items}
        keep |= {self.paths.blob_path(r.sha256) for i in items for r in i.derived()}
        keep |= {self.paths.blob_path(sha) for sha in self._index_blobs()}
        self.lib.own(keep)  # a library of an earlier version learns what is its own
        gone: list[Path] = []
        for path in sorted(self.lib.owned() - keep):
            if _remove_file(path):
                gone.append(path)
                self._remove_empty_parents(path)
        self.lib.disown(gone)

    def _remove_empty_parents(self, path: Path) -> None:
        tops = (self.paths.files_dir, self.paths.blobs_dir, self.paths.tmp_dir)
        folder = path.parent
        while folder not in tops and any(t in folder.parents for t in tops):
            try:
                folder.rmdir()  # only when empty: never anything but what we removed
            except OSError:
                return
            folder = folder.parent

    def _index_blobs(self) -> set[str]:
        """The adopted index's manifest (its segment files were written into the rep's own
        index, so they are not kept)."""
        sha = self.lib.meta(INDEX_MANIFEST_KEY)
        return {sha} if sha else set()


class _IndexJob(threading.Thread):
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


class _Downloads:
    """The download stage: a few threads fetch objects, each task one object, smallest
    first (a hub without ``fetch_threads`` is read on the calling thread alone).

    Progress is counted, reported and followed by a look at ``cancel`` after every chunk
    and every object placed, as one step under one lock: reports never overlap, only grow,
    and have told of every byte that arrived before the sync stops.

    The first error wins: no object is started after it, every thread is joined, and then
    it is raised - a cancellation, a hub error, a hash mismatch or a full disk alike; later
    errors of other threads are dropped. Fetches in flight are stopped at once (between
    chunks; what arrived stays for the next sync to resume) - except after a full disk:
    then each one finishes or hits the wall itself (and its partial file is deleted), so
    no partial download is left on a full disk, and the files that fitted stay."""

    def __init__(self, sync: _Sync, result: SyncResult, prog: SyncProgress, threads: int) -> None:
        self.sync = sync
        self.result = result
        self.prog = prog
        self.threads = threads
        self.stop = threading.Event()  # fetches in flight stop between chunks
        self._lock = threading.Lock()
        self._tasks: Iterator[list[tuple[Path, BlobRef]]] = iter(())
        self._error: BaseException | None = None
        self._closing = False  # no object is started any more
        self._in_flight: set[Path] = set()
        self._parts = set(_entries(sync.paths.tmp_dir))  # partials an earlier sync left

    def run(self, tasks: list[list[tuple[Path, BlobRef]]]) -> None:
        self._tasks = iter(tasks)
        if self.threads == 1:
            self._work()
        else:
            workers = [
                threading.Thread(target=self._work, name=f"sync-fetch-{n}")
                for n in range(min(self.threads, len(tasks)))
            ]
            try:
                for w in workers:
                    w.start()
                for w in workers:
                    w.join()
            except BaseException as exc:  # an interrupt while waiting
                self._fail(exc)
                raise
            finally:
                for w in workers:
                    if w.ident is not None:
                        w.join()
        error = self._error
        if isinstance(error, DiskFullError):
            for part in self._in_flight:  # stopped half-way: give their space back as well
                part.unlink(missing_ok=True)
        if error is not None:
            raise error

    # -------------------------------------------------------------- on a fetching thread

    def _work(self) -> None:
        try:
            while (task := self._next()) is not None:
                self.sync._fetch_task(task, self)
        except DiskFullError as exc:
            self._fail(exc, finish_in_flight=True)
        except BaseException as exc:  # raised by run() once every thread stopped
            self._fail(exc)

    def _next(self) -> list[tuple[Path, BlobRef]] | None:
        with self._lock:
            if self._closing:
                return None
            if not self.sync.cancelled():
                return next(self._tasks, None)
        self._cancel()
        return None

    def _fail(self, exc: BaseException, *, finish_in_flight: bool = False) -> None:
        with self._lock:
            if self._error is None:
                self._error = exc
            self._closing = True
            if not finish_in_flight:
                self.stop.set()

    def _cancel(self) -> None:
        self._fail(CancelledError("Sync cancelled; the library is unchanged."))

    def resumable(self, part: Path) -> int:
        """Bytes already in ``part`` from an earlier sync (no look at the disk for others)."""
        if part not in self._parts:
            return 0
        try:
            return part.stat().st_size
        except FileNotFoundError:
            return 0

    def started(self, part: Path) -> None:
        with self._lock:
            self._in_flight.add(part)

    def on_bytes(self, n: int) -> None:
        with self._lock:
            self.prog.bytes_done += n
            self.result.bytes_fetched += n  # bytes that really came from the hub
            self.sync.report(self.prog)
            cancelled = self.sync.cancelled()
        if cancelled:
            self._cancel()  # this fetch and the others stop at their next chunk

    def fetched(self, part: Path, resumed: int) -> None:
        """``part`` was complete, checked, and moved into place."""
        with self._lock:
            self._in_flight.discard(part)
            self.result.bytes_resumed += resumed
            self.result.files_fetched += 1

    def placed(self, dest: Path) -> None:
        with self._lock:
            self.sync._written.append(dest)
            self.prog.files_done += 1
            self.sync.report(self.prog)


def _item_row(new: CatalogItem) -> dict[str, Any]:
    """The items row for a current catalog item (serials are added by the caller)."""
    return {
        "id": new.id,
        "title": new.title,
        "description": new.description,
        "kind": new.kind,
        "filename": new.filename,
        "tags": new.tags,
        "owner": new.owner,
        "status": "current",
        "withdrawn_at": None,
        "version": new.version,
        "sha256": new.sha256,
        "size": new.size,
        "text_sha256": new.text.sha256 if new.text else None,
        "thumb_sha256": new.thumbnail.sha256 if new.thumbnail else None,
        "rendition_sha256": new.rendition.sha256 if new.rendition else None,
        "searchable": new.searchable,
        "unsearchable_reason": new.reason,
        "page_count": new.pages,
        "published_at": new.published_at,
        "updated_at": new.updated_at,
        "expires_at": new.expires_at,
        "share": new.share,
    }


def _chunks(ids: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(ids), _IN_CHUNK):
        yield ids[start : start + _IN_CHUNK]


def _entries(folder: Path) -> list[Path]:
    try:
        return list(folder.iterdir())
    except OSError:
        return []


def _exists(path: Path) -> bool:
    """Anything at ``path``, even a link to nowhere."""
    return os.path.lexists(path)


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


def _remove_file(path: Path) -> bool:
    """Delete a file Satchel recorded (a link there is removed, not followed; a folder is
    somebody else's and stays). True when nothing is at ``path`` afterwards."""
    try:
        if _is_real_dir(path):
            log.warning("a folder was put where a file of the library was: %s", path.name)
            return False
        path.unlink(missing_ok=True)
    except OSError as exc:
        log.warning("could not remove %s from the library: %s", path.name, exc.strerror or exc)
        return False
    finally:
        crashpoint("sync.gc")
    return True
