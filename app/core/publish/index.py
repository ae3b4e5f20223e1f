"""Step 6, write the index: the next catalog, and the search index shipped with it.

When the hub's catalog already has the same items and replies (and its shipped index is
usable), nothing is built: the run is ``unchanged``, or with ``refresh`` the same items and
index go out again under the next serial with a new validity.
"""

from __future__ import annotations

import json

from app.core.catalog import MAX_REPLIES, Catalog, Reply, catalog_to_json
from app.core.extract.pool import default_workers
from app.core.freshness import valid_until_after
from app.core.index_snapshot import SnapshotReport, build_snapshot, snapshot_usable
from app.core.publish.run import PublishRun


def write_index(run: PublishRun) -> None:
    catalog = _draft_catalog(run)
    previous = run.planned().previous
    previous_index = previous.index if previous else None
    if (
        previous is not None
        and same_items(previous, catalog)
        and snapshot_usable(run.hub_root, previous_index)
    ):
        if not run.refresh:
            run.unchanged = True
            return
        # the same items and index under the next serial: only the validity is new
        catalog.created_at = previous.created_at
        catalog.index = previous_index
        run.result.refreshed = True
    else:
        run.check_cancel()
        run.progress("indexing", 0, 1)
        snapshot_report = SnapshotReport()
        catalog.index = build_snapshot(
            run.hub_root,
            run.items,
            previous_index,
            workers=run.workers or default_workers(),
            cancel=run.cancel,
            progress=lambda done, total: run.progress("indexing", done, total),
            report=snapshot_report,
        )
        run.result.index_repairs = snapshot_report.repaired
    run.catalog = catalog


def _draft_catalog(run: PublishRun) -> Catalog:
    """The next catalog, without its index: the items, and the replies to reps."""
    previous = run.planned().previous
    replies = merged_replies(previous.replies if previous is not None else [], run.recorded_replies)
    said = set(previous.replies) if previous is not None else set()
    run.result.replies = sum(1 for r in replies if r not in said)
    return Catalog(
        serial=(previous.serial if previous else 0) + 1,
        created_at=run.now,
        key_id=run.key.public.key_id,
        items=run.items,
        valid_until=valid_until_after(run.now, run.valid_days),
        replies=replies,
    )


def same_items(a: Catalog, b: Catalog) -> bool:
    def items_json(c: Catalog) -> str:
        return json.dumps(catalog_to_json(c)["items"], sort_keys=True)

    return items_json(a) == items_json(b) and sorted(a.replies, key=_reply_id) == sorted(
        b.replies, key=_reply_id
    )


def _reply_id(reply: Reply) -> str:
    return reply.id


def merged_replies(signed: list[Reply], recorded: list[Reply]) -> list[Reply]:
    """The replies the next catalog carries: those the hub's catalog already signed (a key
    file moved to another machine without its replies file loses none), overridden by the
    ones recorded beside the key; the newest :data:`MAX_REPLIES` when there are more, so
    that reps never refuse the catalog."""
    merged = {r.id: r for r in signed}
    merged.update({r.id: r for r in recorded})
    newest = sorted(merged.values(), key=lambda r: (r.answered_at, r.id), reverse=True)
    return sorted(newest[:MAX_REPLIES], key=_reply_id)
