"""Shipping the journal to the hub's inbox as append-only batches with unique ids.

Two steps, each crash-safe:

1. *pack*: in one transaction, pending events are assigned to a new batch whose bytes are
   frozen in the database. A crash before the commit leaves the events pending; after it,
   the batch exists and will be sent.
2. *send*: each unsent batch is written to ``inbox/<device>/<batch>.json`` (folder hubs:
   temporary file, fsync, rename; URL hubs: HTTP PUT), then marked sent. A crash between the
   two re-sends identical bytes under the same name: the hub ends with one copy, and the
   report counts event ids, not files.
Nothing is deleted locally; events stay in the journal for "My activity" and export.
"""

from __future__ import annotations

import contextlib
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from app import __version__
from app.core.crashpoints import crashpoint
from app.core.errors import CancelledError, HubError
from app.core.hub import Inbox
from app.core.itconfig import load_it_config
from app.core.library import Library
from app.core.models import Event, UploadBatch
from app.core.settings import effective_settings
from app.core.timeutil import utcnow
from app.core.usage.batch import UsageBatch, UsageEvent, batch_name, encode_batch
from app.core.usage.journal import Journal

MAX_EVENTS_PER_BATCH = 5000


@dataclass(slots=True)
class UploadResult:
    batches_sent: int = 0
    events_sent: int = 0
    batches_pending: int = 0


def _wire_data(event: Event, pseudonymise: bool) -> dict[str, Any]:
    data = dict(event.data)
    if pseudonymise and "recipients" in data:
        data["recipients"] = sorted(
            {str(r).rpartition("@")[2].lower() for r in data["recipients"]}
        )  # only the buyer's domain leaves the laptop
    return data


def pack_pending(library: Library) -> int:
    """Freeze pending events into batches (one transaction per batch). Returns batches made."""
    journal = Journal(library)
    device = journal.device_id()
    settings = effective_settings(library, load_it_config())
    made = 0
    while True:
        with library.sessions.begin() as s:
            events = s.scalars(
                select(Event)
                .where(Event.batch_id.is_(None))
                .order_by(Event.time, Event.id)
                .limit(MAX_EVENTS_PER_BATCH)
            ).all()
            if not events:
                return made
            by_rep: dict[str, list[Event]] = defaultdict(list)
            for e in events:
                by_rep[e.rep].append(e)
            for rep, group in by_rep.items():
                batch_id = str(uuid.uuid4())
                wire_rep = journal.pseudonym(rep) if settings.pseudonymise else rep
                payload = encode_batch(
                    UsageBatch(
                        batch_id=batch_id,
                        device_id=device,
                        rep=wire_rep,
                        created_at=utcnow(),
                        app_version=__version__,
                        rep_name="" if settings.pseudonymise else settings.rep_label,
                        events=[
                            UsageEvent(
                                id=e.id,
                                kind=e.kind,
                                time=e.time,
                                item_id=e.item_id,
                                version=e.version,
                                sha256=e.sha256,
                                data=_wire_data(e, settings.pseudonymise),
                            )
                            for e in group
                        ],
                    )
                )
                for e in group:
                    e.batch_id = batch_id
                s.add(
                    UploadBatch(
                        id=batch_id,
                        created_at=utcnow(),
                        event_count=len(group),
                        payload=payload,
                    )
                )
                made += 1
            crashpoint("upload.pack")


def upload_pending(
    library: Library, inbox: Inbox, *, cancel: Callable[[], bool] | None = None
) -> UploadResult:
    """Pack what is pending, then send every unsent batch, oldest first."""
    pack_pending(library)
    device = Journal(library).device_id()
    result = UploadResult()
    with library.sessions() as s:
        unsent = s.scalars(
            select(UploadBatch)
            .where(UploadBatch.uploaded_at.is_(None))
            .order_by(UploadBatch.created_at, UploadBatch.id)
        ).all()
    for batch in unsent:
        if cancel is not None and cancel():
            raise CancelledError("Upload cancelled; the rest stays queued.")
        crashpoint("upload.before_put")
        try:
            inbox.put(batch_name(device, batch.id), batch.payload)
        except HubError as exc:
            with library.sessions.begin() as s, contextlib.suppress(Exception):
                row = s.get(UploadBatch, batch.id)
                if row is not None:
                    row.attempts += 1
                    row.last_error = str(exc)
            result.batches_pending = len(unsent) - result.batches_sent
            raise
        crashpoint("upload.after_put")
        with library.sessions.begin() as s:
            row = s.get(UploadBatch, batch.id)
            assert row is not None
            row.uploaded_at = utcnow()
            row.attempts += 1
            row.last_error = None
        result.batches_sent += 1
        result.events_sent += batch.event_count
    return result
