"""Steps 2a and 3a, render: office files as PDF previews (see :mod:`app.core.renditions`).

``start_rendering`` hands the new office files to LibreOffice in the background before the
text is extracted, so both run at once; ``add_renditions`` (after the items are built) waits
for it, checks each PDF in the extraction sandbox, writes the usable ones as hub objects and
names them on the new items; items that get none are listed in ``result.no_preview``.

Current office items published without a rendition and without a recorded reason (before
renditions existed, or while LibreOffice was missing) are rendered too, at most
:data:`BACKFILL` per publish, and count as items with new metadata. A file LibreOffice
failed on keeps its reason in the catalog (``no_preview``) and is not tried again until it
changes.
"""

from __future__ import annotations

from pathlib import Path

from app.core.catalog import CatalogItem
from app.core.publish.extract import MAX_EXTRACT_BYTES
from app.core.publish.items import put_object
from app.core.publish.run import PublishRun
from app.core.renditions import RenditionStep, attach, store, wants_rendition

#: Items of earlier publishes rendered per publish, so that the first publish after an
#: update (or after LibreOffice is installed) stays bounded; the next ones do the rest.
BACKFILL = 100


def start_rendering(run: PublishRun) -> None:
    found = run.planned()
    new: list[Path] = []
    backfill: list[Path] = []
    for sf, _meta, item_id, sha in found.plans:
        prev = found.prev_items.get(item_id)
        if sf.size > MAX_EXTRACT_BYTES:
            continue
        if prev is None or prev.sha256 != sha:
            new.append(sf.path)
        elif _never_rendered(prev) and wants_rendition(sf.path):
            backfill.append(sf.path)
    paths = new + backfill[:BACKFILL]
    run.rendering = RenditionStep(paths, workers=run.workers, enabled=run.renditions)


def _never_rendered(prev: CatalogItem) -> bool:
    return prev.status == "current" and prev.rendition is None and prev.no_preview is None


def add_renditions(run: PublishRun) -> None:
    if run.rendering is None or not run.rendering.paths:
        return
    rendered = run.rendering.collect(run.progress, run.cancel)
    run.check_cancel()
    stored = store(rendered, run.extractions, lambda data: put_object(run, data))
    run.close()  # the PDFs are in the hub now: LibreOffice's folder goes
    items = {item.id: item for item in run.items}
    found = run.planned()
    for sf, _meta, item_id, sha in found.plans:
        item, done = items.get(item_id), stored.get(sf.path)
        if item is None or item.sha256 != sha or done is None:
            continue
        prev = found.prev_items.get(item_id)
        earlier = prev is not None and prev.sha256 == sha  # an item of an earlier publish
        if earlier and done.rendition is None and not done.final:
            continue  # LibreOffice is not there: a later publish tries again
        note = attach(item, done)
        if note:
            run.result.no_preview[item_id] = note
        if earlier:
            _now_with_preview(run, item)


def _now_with_preview(run: PublishRun, item: CatalogItem) -> None:
    """An unchanged item that got its rendition (or its reason for none) has new metadata."""
    result = run.result
    item.updated_at = run.now
    if item.id not in result.added + result.updated + result.metadata_changed:
        result.unchanged -= 1
        result.metadata_changed.append(item.id)
