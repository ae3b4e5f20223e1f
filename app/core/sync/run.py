"""The sync's steps in their order (see :mod:`app.core.sync`), and :func:`sync_library`, which
runs them under the library's sync lock and says a full disk in one sentence."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from filelock import FileLock, Timeout
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from app.core.catalog import CatalogItem
from app.core.crashpoints import crashpoint
from app.core.errors import HubError, SatchelError
from app.core.freshness import VALID_UNTIL_KEY, valid_until_row
from app.core.hub import DiskFullError, Hub, disk_full_error
from app.core.library import Library
from app.core.models import HubState, Item
from app.core.sharing import refresh_share
from app.core.signing import PublicKey
from app.core.sync import cleanup, fetch, index, switch, verify
from app.core.sync.results import ProgressFn, SyncProgress, SyncResult
from app.core.sync.run_state import SyncRun
from app.core.timeutil import utcnow

if TYPE_CHECKING:
    from app.core.index_snapshot import IndexManifest


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
    """Bring ``library`` to the hub's current signed catalog. See :mod:`app.core.sync`.

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
    run = SyncRun(
        library,
        hub,
        key,
        progress or (lambda _p: None),
        cancel or (lambda: False),
        now or utcnow(),
        location=location,
        after_verify=after_verify or (lambda: None),
        audiences=audiences,
    )
    try:
        return run_steps(run)
    except OSError as exc:  # writing into the library failed; what the hub did is HubError
        raise disk_full_error(exc, home / "tmp") or SatchelError(
            f"Could not update the library in {home} ({exc.strerror or exc}); "
            "the library is unchanged."
        ) from exc
    except OperationalError as exc:
        raise _database_full(exc, library) from exc
    finally:
        lock.release()


def _database_full(exc: OperationalError, library: Library) -> BaseException:
    code = getattr(exc.orig, "sqlite_errorcode", None)
    if code is None or code & 0xFF not in (sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR):
        return exc
    return DiskFullError(
        f"The library database in {library.paths.home} could not be written "
        f"({'the disk is full' if code & 0xFF == sqlite3.SQLITE_FULL else 'disk I/O error'});"
        " free some space and sync again - the library is unchanged."
    )


def run_steps(run: SyncRun) -> SyncResult:
    """Step 1, then either nothing more (the catalog completed last time, or every file of
    it in place) or steps 2 to 5."""
    run.report(SyncProgress("catalog"))
    envelope = verify.read_envelope(run)
    if verify.already_complete(run, envelope):
        run.after_verify()
        return _unchanged(run, envelope.state)
    checked = verify.parse_for_rep(run, envelope)
    run.after_verify()
    run.check_cancel()
    catalog, state = checked.catalog, checked.state
    result = SyncResult(serial=catalog.serial, previous_serial=state.serial)
    current = catalog.current()
    expiry_now = max(run.now, catalog.created_at)  # see Library.expiry_now
    result.item_count = sum(1 for i in current if i.expires_at is None or i.expires_at > expiry_now)
    manifest = None
    if not checked.partial:
        manifest = index.to_adopt(run, catalog, current, result, checked.listed)
    if (
        catalog.serial == state.serial
        and manifest is None
        and checked.same_audiences
        and run.complete(current)
    ):
        return _up_to_date(run, checked, current, result)
    job = _fetch_and_switch(run, checked, current, manifest, result)
    crashpoint("sync.after_switch")
    run.report(SyncProgress("index"))
    indexed = index.catch_up(run, job, catalog, result)
    crashpoint("sync.after_index")
    run.report(SyncProgress("cleanup"))
    cleanup.collect_garbage(run, current)
    if indexed:  # else the next sync does not stop early, and tries again
        run.lib.mark_complete(checked.payload_sha)
    return result


def _fetch_and_switch(
    run: SyncRun,
    checked: verify.Verified,
    current: list[CatalogItem],
    manifest: IndexManifest | None,
    result: SyncResult,
) -> index.IndexJob | None:
    """Steps 2 and 3: fetch what is missing - the shipped index's files first, so the rep
    writes its own index from them while the content downloads - then flush and switch.
    Returns the index being written (the switch made the library ready for it)."""
    catalog = checked.catalog
    index_todo = fetch.plan(run, [], index.files_to_fetch(run, manifest))
    content_todo = fetch.plan(run, current)
    everything = [*index_todo.values(), *content_todo.values()]
    prog = SyncProgress("download", 0, len(everything), 0, sum(r.size for r in everything))
    job = None
    if manifest is not None and catalog.index is not None:
        fetch.fetch(run, index_todo, result, prog)
        job = index.IndexJob(run.lib, manifest, current)
        job.start()
    try:
        fetch.fetch(run, content_todo, result, prog)
        run.check_cancel()
        run.report(SyncProgress("switch"))
        fetch.make_durable(run, current)
        crashpoint("sync.before_switch")
        switch.switch(run, catalog, checked.payload_sha, result)
    except BaseException:
        if job is not None:
            job.discard()
        raise
    return job


def _up_to_date(
    run: SyncRun, checked: verify.Verified, current: list[CatalogItem], result: SyncResult
) -> SyncResult:
    """The catalog is the one the library has, every file of it in place: record the sync,
    clean up, and remember the catalog as complete."""
    catalog = checked.catalog
    result.up_to_date = True
    switch.record(
        run, checked.state, catalog.serial, catalog.created_at, checked.payload_sha, result
    )
    with run.lib.sessions.begin() as s:  # rows written before items had a share
        refresh_share(s, current)
    run.lib.set_meta(VALID_UNTIL_KEY, valid_until_row(catalog.valid_until).value)
    cleanup.collect_garbage(run, current)
    run.lib.mark_complete(checked.payload_sha)
    return result


def _unchanged(run: SyncRun, state: HubState) -> SyncResult:
    """The hub offers the catalog this library completed last time: record the sync."""
    serial = state.serial
    result = SyncResult(serial=serial, previous_serial=serial, up_to_date=True)
    expiry_now = max([run.now, *filter(None, [state.catalog_created_at])])
    with run.lib.sessions() as s:
        expiries = s.scalars(select(Item.expires_at).where(Item.status == "current"))
        result.item_count = sum(1 for e in expiries if e is None or e > expiry_now)
    switch.record(run, state, serial, state.catalog_created_at, state.catalog_sha256, result)
    return result
