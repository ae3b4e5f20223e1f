"""The rep's sync, as the command line and the window both run it: once the hub's catalog
verified against marketing's key, upload the usage waiting in the journal (it must reach
marketing's hub and no other), then pull the hub. A failed upload never fails the sync:
the usage stays queued for the next one."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from app.core.errors import CancelledError, SatchelError
from app.core.hub import open_hub, open_inbox
from app.core.itconfig import ITConfig
from app.core.library import Library
from app.core.replies import unseen_replies
from app.core.settings import rep_audiences
from app.core.signing import PublicKey
from app.core.sync.results import ProgressFn, SyncResult
from app.core.sync.run import sync_library
from app.core.usage.upload import UploadResult, upload_pending

log = logging.getLogger(__name__)

#: Told once the upload is over: what was sent, and why usage stays queued (None: it did not).
UploadFn = Callable[[UploadResult, str | None], None]


@dataclass(frozen=True, slots=True)
class RepSyncOutcome:
    result: SyncResult
    uploaded: UploadResult
    upload_error: str | None  # why the usage stays queued, when the upload failed
    replies: tuple[str, ...]  # marketing's new answers to the rep's flags and requests


def rep_sync(
    library: Library,
    config: ITConfig,
    *,
    location: str | None = None,
    key: PublicKey | None = None,
    progress: ProgressFn | None = None,
    cancel: Callable[[], bool] | None = None,
    on_upload: UploadFn | None = None,
) -> RepSyncOutcome:
    """Upload, then pull the hub :meth:`Library.require_hub` chooses (``location`` and
    ``key``: the command's own, else IT's locked values, the rep's, IT's presets). The
    replies returned are marked seen: each is shown once."""
    location, key = library.require_hub(config, location=location, key=key)
    uploaded = UploadResult()
    error: str | None = None

    def upload() -> None:  # only once the hub's catalog verified against the key
        nonlocal uploaded, error
        try:
            uploaded = upload_pending(library, open_inbox(location), cancel=cancel)
        except CancelledError:
            raise
        except SatchelError as exc:
            error = str(exc)
            log.warning("usage upload failed: %s", exc)
        if on_upload is not None:
            on_upload(uploaded, error)

    result = sync_library(
        library,
        open_hub(location),
        key,
        progress=progress,
        cancel=cancel,
        location=location,
        after_verify=upload,
        audiences=rep_audiences(library, config),
    )
    replies = tuple(kept.sentence() for kept in unseen_replies(library))
    return RepSyncOutcome(result, uploaded, error, replies)
