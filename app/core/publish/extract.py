"""Step 2, extract: text and thumbnails of content that is new to its item."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from app.core.errors import CancelledError
from app.core.extract import ExtractionPool, detect_kind
from app.core.extract.errors import human_size
from app.core.extract.types import Extraction
from app.core.publish.run import CANCELLED, PublishProgress, PublishRun

MAX_EXTRACT_BYTES = 2 << 30  # larger files are listed but never handed to an extractor


def extract_new_content(run: PublishRun) -> None:
    """Extract only content that is new to its item, and never a file too large to index."""
    found = run.planned()
    new_content = [
        sf
        for sf, _m, item_id, sha in found.plans
        if item_id not in found.prev_items or found.prev_items[item_id].sha256 != sha
    ]
    run.extractions = {
        sf.path: Extraction(
            kind=detect_kind(sf.path),
            searchable=False,
            reason=f"The file is too large to index ({human_size(sf.size)}; "
            f"the limit is {human_size(MAX_EXTRACT_BYTES)}).",
        )
        for sf in new_content
        if sf.size > MAX_EXTRACT_BYTES
    }
    needs = [sf.path for sf in new_content if sf.size <= MAX_EXTRACT_BYTES]
    run.extractions.update(extract_files(needs, run.workers, run.progress, run.cancel))


def extract_files(
    paths: list[Path],
    workers: int | None,
    progress: PublishProgress,
    cancel: Callable[[], bool],
) -> dict[Path, Extraction]:
    out: dict[Path, Extraction] = {}
    if not paths:
        return out
    with ExtractionPool(workers=workers) as pool:
        for done, (path, extraction) in enumerate(pool.iter_results(paths), 1):
            out[path] = extraction
            progress("extracting", done, len(paths))
            if cancel():
                raise CancelledError(CANCELLED)
    return out
