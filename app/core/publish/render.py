"""Steps 2a and 3a, render: office files as PDF previews (see :mod:`app.core.renditions`).

``start_rendering`` hands the new office files to LibreOffice in the background before the
text is extracted, so both run at once; ``add_renditions`` (after the items are built) waits
for it, checks each PDF in the extraction sandbox, writes the usable ones as hub objects and
names them on the new items; items that get none are listed in ``result.no_preview``.
"""

from __future__ import annotations

from app.core.publish.extract import MAX_EXTRACT_BYTES
from app.core.publish.items import put_object
from app.core.publish.run import PublishRun
from app.core.renditions import RenditionStep, attach, store


def start_rendering(run: PublishRun) -> None:
    found = run.planned()
    new_content = [
        sf.path
        for sf, _m, item_id, sha in found.plans
        if sf.size <= MAX_EXTRACT_BYTES
        and (item_id not in found.prev_items or found.prev_items[item_id].sha256 != sha)
    ]
    run.rendering = RenditionStep(new_content, workers=run.workers, enabled=run.renditions)


def add_renditions(run: PublishRun) -> None:
    if run.rendering is None or not run.rendering.paths:
        return
    rendered = run.rendering.collect(run.progress, run.cancel)
    run.check_cancel()
    stored = store(rendered, run.extractions, lambda data: put_object(run, data))
    run.close()  # the PDFs are in the hub now: LibreOffice's folder goes
    items = {item.id: item for item in run.items}
    for sf, _meta, item_id, sha in run.planned().plans:
        item = items.get(item_id)
        if item is None or item.sha256 != sha or sf.path not in stored:
            continue
        note = attach(item, stored[sf.path])
        if note:
            run.result.no_preview[item_id] = note
