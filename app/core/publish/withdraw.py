"""Step 4, withdraw: items of the hub whose file left the source folder."""

from __future__ import annotations

from app.core.publish.items import carry_over
from app.core.publish.run import PublishRun


def withdraw_missing(run: PublishRun) -> None:
    """Items no file of the source claims stay in the catalog, withdrawn (reps remove them);
    then the catalog's items are put in id order."""
    found = run.planned()
    for prev in found.prev_items.values():
        if prev.id in found.used_ids:
            continue
        gone = carry_over(prev)
        if prev.status == "current":
            gone.status = "withdrawn"
            gone.withdrawn_at = run.now
            run.result.withdrawn.append(prev.id)
        run.items.append(gone)
    run.items.sort(key=lambda i: i.id)
