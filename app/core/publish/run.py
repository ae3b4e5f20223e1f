"""One publish as it goes: what was asked, and what each step hands to the next."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from app.core.catalog import Catalog, CatalogItem, Reply
from app.core.errors import CancelledError
from app.core.extract.types import Extraction
from app.core.publish.result import PublishResult
from app.core.publish.scan import Scan
from app.core.publisher_state import HubRecord, PublisherState, Stamp
from app.core.renditions import RenditionStep
from app.core.signing import SigningKey

PublishProgress = Callable[[str, int, int], None]  # stage, done, total
CANCELLED = "Publish cancelled; the hub is unchanged."


@dataclass(slots=True)
class PublishRun:
    """The state the steps of :mod:`app.core.publish.pipeline` share, in step order."""

    # what was asked
    src: Path
    hub_root: Path
    key: SigningKey
    progress: PublishProgress
    cancel: Callable[[], bool]
    now: datetime
    workers: int | None
    state: PublisherState  # what this key published before, to refuse a rolled-back hub
    valid_days: int
    refresh: bool
    max_withdraw_share: float | None  # None: any share may be withdrawn
    recorded_replies: list[Reply]  # replies recorded beside the key
    renditions: bool = True  # render new office files to PDF (render.py)
    # plan
    scan: Scan | None = None
    record: HubRecord | None = None
    result: PublishResult = field(default_factory=lambda: PublishResult(0, changed=False))
    # render (started before extraction, finished after building items)
    rendering: RenditionStep | None = None
    # extract
    extractions: dict[Path, Extraction] = field(default_factory=dict)
    # build items, withdraw: the next catalog's items; objects this publish wrote
    items: list[CatalogItem] = field(default_factory=list)
    fresh: set[str] = field(default_factory=set)
    # verify: the stamp of every object found or made right, for the publisher state
    stamps: dict[str, Stamp] = field(default_factory=dict)
    # write the index: the catalog to sign, or unchanged (the hub already offers it)
    catalog: Catalog | None = None
    unchanged: bool = False

    def planned(self) -> Scan:
        if self.scan is None:
            raise RuntimeError("the plan step has not run")
        return self.scan

    def close(self) -> None:
        """Release what a step left running (LibreOffice, its temporary folder)."""
        if self.rendering is not None:
            self.rendering.close()
            self.rendering = None

    def check_cancel(self) -> None:
        if self.cancel():
            raise CancelledError(CANCELLED)
