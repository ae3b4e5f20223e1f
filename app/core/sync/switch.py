"""Step 3, the atomic step: one database transaction switches the library to the new
catalog - items and their histories, the hub state, the replies, and the list of items the
search index must catch up with - and returns the :class:`ChangeSet` it made. Rows are
written in bulk (one statement per kind of change), not object by object."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from app.core.catalog import Catalog, CatalogItem
from app.core.freshness import valid_until_row
from app.core.models import HubState, Item, ItemVersion, Meta
from app.core.sync.results import ChangeSet, SyncResult
from app.core.sync.run_state import SyncRun
from app.core.sync.verify import AUDIENCES_KEY, audiences_stamp
from app.core.timeutil import iso

_IN_CHUNK = 500  # ids per "IN (...)" (SQLite limits the variables of one statement)


def switch(run: SyncRun, catalog: Catalog, payload_sha: str, result: SyncResult) -> ChangeSet:
    """Switch to ``catalog`` (see the module docstring); ``result`` takes in the change-set
    and is recorded as the sync's outcome in the same transaction."""
    from app.core.replies import replies_for_library, replies_meta

    incoming = {i.id: i for i in catalog.current()}
    replies = replies_for_library(run.lib, catalog.replies, set(incoming))
    with run.lib.sessions.begin() as s:
        existing = {r.id: r for r in s.execute(select(*_COLUMNS))}
        changes = _changes(existing, incoming, run.hidden)
        result.record(changes)
        _withdraw(s, changes.removed(), run.now)
        rewritten = _write_items(s, existing, incoming, changes, catalog.serial)
        _write_versions(s, rewritten, incoming)
        state = s.get(HubState, 1) or HubState(id=1)
        s.add(state)
        record_into(run, state, catalog.serial, catalog.created_at, payload_sha, result)
        s.merge(valid_until_row(catalog.valid_until))
        s.merge(Meta(key=AUDIENCES_KEY, value=audiences_stamp(run.audiences)))
        s.merge(replies_meta(replies))
        # the index catches up from this list, even after a crash
        run.lib.queue_index_update(s, changes.changed() + changes.removed())
    return changes


_COLUMNS = (
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


def _changes(
    existing: dict[str, Any], incoming: dict[str, CatalogItem], hidden: set[str]
) -> ChangeSet:
    new: list[str] = []
    updated: list[str] = []
    metadata: list[str] = []
    for item_id, item in incoming.items():
        old = existing.get(item_id)
        if old is None or old.status != "current":
            new.append(item_id)
        elif old.sha256 != item.sha256:
            updated.append(item_id)
        elif _described(old) != _described_new(item):
            metadata.append(item_id)
    left = [i for i, row in existing.items() if i not in incoming and row.status == "current"]
    withdrawn = [i for i in left if i not in hidden]
    not_aimed = [i for i in left if i in hidden]
    return ChangeSet(
        tuple(new), tuple(updated), tuple(metadata), tuple(withdrawn), tuple(not_aimed)
    )


def _described(old: Any) -> tuple[Any, ...]:
    """What an item row says about an item besides its file (a change is "metadata")."""
    return (old.updated_at, old.title, old.share, old.rendition_sha256)


def _described_new(new: CatalogItem) -> tuple[Any, ...]:
    rendition = new.rendition.sha256 if new.rendition else None
    return (new.updated_at, new.title, new.share, rendition)


def _withdraw(s: Session, ids: tuple[str, ...], now: datetime) -> None:
    for chunk in _chunks(list(ids)):
        s.execute(
            update(Item)
            .where(Item.id.in_(chunk))
            .values(status="withdrawn", withdrawn_at=now)
            .execution_options(synchronize_session=False)
        )


def _write_items(
    s: Session,
    existing: dict[str, Any],
    incoming: dict[str, CatalogItem],
    changes: ChangeSet,
    serial: int,
) -> list[str]:
    """Insert or update the rows of the changed items; returns their ids."""
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    changed = set(changes.changed())
    for item_id, new in incoming.items():  # in the catalog's order
        if item_id not in changed:
            continue
        old = existing.get(item_id)
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
    return [r["id"] for r in inserts + updates]


def _write_versions(s: Session, rewritten: list[str], incoming: dict[str, CatalogItem]) -> None:
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


def record_into(
    run: SyncRun,
    state: HubState,
    serial: int,
    created_at: datetime | None,
    payload_sha: str | None,
    result: SyncResult,
) -> None:
    """The hub state after a sync that succeeded (also one that found nothing to do)."""
    state.serial = serial
    state.catalog_sha256 = payload_sha
    state.catalog_created_at = created_at
    state.public_key = run.key.to_pem()  # remembered now that a sync with it succeeded
    if run.location is not None and run.location != state.location:
        state.location = run.location
        state.is_demo = False
    if not result.up_to_date:
        state.previous_sync_at = state.last_sync_at
    state.last_sync_at = run.now
    summary = asdict(result)
    summary["finished_at"] = iso(run.now)
    state.last_result = summary


def record(
    run: SyncRun,
    state: HubState,
    serial: int,
    created_at: datetime | None,
    payload_sha: str | None,
    result: SyncResult,
) -> None:
    """:func:`record_into` in a transaction of its own."""
    with run.lib.sessions.begin() as s:
        merged = s.merge(state)
        record_into(run, merged, serial, created_at, payload_sha, result)


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
