"""Loading the hub into the report database: idempotent, streamed batch by batch.

Every batch is decoded on its own and written in chunks of a few thousand rows with
INSERT ... ON CONFLICT DO NOTHING, so an event id or batch already loaded is skipped and
loading the same inbox twice changes nothing. A batch's row is written in the same
transaction as (or after) its last events, so a batch listed as loaded is loaded whole.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, Table, delete, func, select
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.sql.dml import Insert

from app.core.catalog import Catalog, CatalogItem
from app.core.errors import CancelledError
from app.core.hub import BatchRef, BatchSource
from app.core.report.database import database_problem, insert_ignoring
from app.core.report.rows import batch_row, clean_text, event_row
from app.core.report.schema import CatalogueItem, LoadedBatch, UsageRecord
from app.core.report.sources import BatchUnreadable
from app.core.timeutil import utcnow
from app.core.usage.batch import BatchError, UsageBatch, decode_batch

CHUNK_ROWS = 5000  # events per INSERT round and per transaction
CHUNK_BATCHES = 500
LOOKUP_CHUNK = 500

LoadProgress = Callable[[str, int, int], None]  # stage, done, total
Cancel = Callable[[], bool]


@dataclass(frozen=True, slots=True)
class MalformedBatch:
    name: str  # inbox/<device>/<file>
    reason: str


@dataclass(slots=True)
class LoadResult:
    devices: int = 0
    batch_files: int = 0
    batches_loaded: int = 0
    batches_already_loaded: int = 0
    events_in_loaded_batches: int = 0
    events_added: int = 0  # fewer than the above when retried batches repeat events
    events_total: int = 0  # in the report database, after loading
    batches_total: int = 0  # in the report database, after loading
    catalogue_items: int = 0  # in the hub's catalogue (current and withdrawn)
    malformed: list[MalformedBatch] = field(default_factory=list)


def _table(model: type[Any]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


def count_events(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(UsageRecord)).scalar_one())


def count_batches(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(LoadedBatch)).scalar_one())


def load_catalogue(engine: Engine, catalog: Catalog, now: datetime | None = None) -> int:
    """Replace the catalogue snapshot with ``catalog``.

    Items are current, withdrawn, or expired (current in the catalog but past their expiry
    at ``now``): reps no longer see expired items, so they are neither catalogue nor unused.
    """
    moment = now or utcnow()

    def status(item: CatalogItem) -> str:
        expired = item.expires_at is not None and item.expires_at <= moment
        return "expired" if item.status == "current" and expired else item.status

    rows = [
        {
            "id": item.id,
            "title": clean_text(item.title),
            "version": item.version,
            "status": status(item),
            "published_at": item.published_at,
        }
        for item in catalog.items
    ]
    table = _table(CatalogueItem)
    try:
        with engine.begin() as conn:
            conn.execute(delete(table))
            for start in range(0, len(rows), CHUNK_ROWS):
                conn.execute(table.insert(), rows[start : start + CHUNK_ROWS])
    except (DBAPIError, SQLAlchemyError) as exc:
        raise database_problem(engine, exc) from exc
    return len(rows)


class _ChunkWriter:
    """Buffers rows and writes them a chunk at a time; batch rows after their events."""

    def __init__(self, engine: Engine, loaded_at: datetime) -> None:
        self.engine = engine
        self.loaded_at = loaded_at
        self.insert_events: Insert = insert_ignoring(engine, _table(UsageRecord))
        self.insert_batches: Insert = insert_ignoring(engine, _table(LoadedBatch))
        self.events: list[dict[str, Any]] = []
        self.batches: list[dict[str, Any]] = []

    def add(self, batch: UsageBatch) -> None:
        for event in batch.events:
            self.events.append(event_row(batch, event))
            if len(self.events) >= CHUNK_ROWS:
                self.flush()
        self.batches.append(batch_row(batch, self.loaded_at))
        if len(self.batches) >= CHUNK_BATCHES:
            self.flush()

    def flush(self) -> None:
        if not self.events and not self.batches:
            return
        with self.engine.begin() as conn:
            if self.events:
                conn.execute(self.insert_events, self.events)
            if self.batches:
                conn.execute(self.insert_batches, self.batches)
        self.events = []
        self.batches = []


def _known_batches(engine: Engine, ids: Iterable[str]) -> set[str]:
    wanted = list(ids)
    known: set[str] = set()
    with engine.connect() as conn:
        for start in range(0, len(wanted), LOOKUP_CHUNK):
            part = wanted[start : start + LOOKUP_CHUNK]
            known.update(
                conn.execute(
                    select(LoadedBatch.batch_id).where(LoadedBatch.batch_id.in_(part))
                ).scalars()
            )
    return known


def load_inbox(
    engine: Engine,
    source: BatchSource,
    *,
    progress: LoadProgress | None = None,
    cancel: Cancel | None = None,
    now: datetime | None = None,
) -> LoadResult:
    """Load every batch in ``source``'s inbox not loaded yet; malformed files are counted."""
    try:
        return _load(engine, source, progress or (lambda *_: None), cancel or (lambda: False), now)
    except (DBAPIError, SQLAlchemyError) as exc:
        raise database_problem(engine, exc) from exc


def _load(
    engine: Engine,
    source: BatchSource,
    progress: LoadProgress,
    cancel: Cancel,
    now: datetime | None,
) -> LoadResult:
    result = LoadResult()
    before = count_events(engine)
    writer = _ChunkWriter(engine, now or utcnow())
    this_run: set[str] = set()
    devices = source.devices()
    result.devices = len(devices)
    progress("reading usage batches", 0, len(devices))
    for done, device in enumerate(devices, 1):
        refs = source.batches(device)
        result.batch_files += len(refs)
        known = _known_batches(engine, (r.stem for r in refs))
        for ref in refs:
            if cancel():
                writer.flush()
                raise CancelledError(
                    "Report cancelled; the batches read so far are kept for the next report."
                )
            if ref.stem in known or ref.stem in this_run:
                result.batches_already_loaded += 1
                continue
            batch = _read(source, ref, result)
            if batch is None:
                continue
            if batch.batch_id != ref.stem and (
                batch.batch_id in this_run or _known_batches(engine, [batch.batch_id])
            ):
                result.batches_already_loaded += 1
                continue
            this_run.add(batch.batch_id)
            writer.add(batch)
            result.batches_loaded += 1
            result.events_in_loaded_batches += len(batch.events)
        progress("reading usage batches", done, len(devices))
    writer.flush()
    result.events_total = count_events(engine)
    result.events_added = result.events_total - before
    result.batches_total = count_batches(engine)
    return result


def _read(source: BatchSource, ref: BatchRef, result: LoadResult) -> UsageBatch | None:
    try:
        return decode_batch(source.read(ref))
    except BatchUnreadable as exc:
        result.malformed.append(MalformedBatch(ref.name, f"cannot be read ({exc})"))
    except BatchError as exc:
        result.malformed.append(MalformedBatch(ref.name, str(exc)))
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:
        # decode_batch lets a few of these through (e.g. a version of 1e999, deep nesting)
        result.malformed.append(MalformedBatch(ref.name, f"malformed batch ({exc})"))
    return None
