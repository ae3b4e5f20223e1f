"""The usage batch: the unit a rep's app uploads into the hub's inbox.

A batch is one immutable JSON file at ``inbox/<device_id>/<batch_id>.json``::

    {"format": "satchel-usage/1",
     "batch_id": "<uuid4>", "device_id": "<uuid4>", "rep": "<rep id or pseudonym>",
     "rep_name": "Ann Example" (optional; never with a pseudonym),
     "created_at": "2026-11-22T10:00:00Z", "app_version": "0.1.0",
     "events": [
        {"id": "<uuid4>", "kind": "open", "time": "2026-11-22T09:59:58Z",
         "item_id": "hospital-pricing", "version": 2, "sha256": "<64 hex>",
         "data": {}},
        ...]}

Event ids are globally unique, so loading a batch twice (or two batches that overlap after a
retry) never counts an event twice. Kinds and their ``data``:

=========  =========  ==============================================================
kind       item?      data
=========  =========  ==============================================================
open       yes        ``{"how": ...}``
preview    yes        ``{"location": int|None}``
send       yes        ``{"send_id": id, "recipients": [..], "account": str|None}``
copy       yes        ``{"how": "copy"|"drag"}``
search     no         ``{"query": str, "results": int, "weak": true (only when weak)}``, with
                      ``"corrected": str`` when the results shown were those of the
                      corrected query
flag       yes        ``{"reason": "outdated"|"incorrect"|"other", "note": str}``
request    no         ``{"text": str, "account": str|None, "needed_by": "YYYY-MM-DD"|None}``
failed     yes        ``{"action": "open"|"send", "reason": str}``: an open or send that did
                      not happen (no program for it, ...); never counted as a use
=========  =========  ==============================================================

A send or copy of an item marked internal (``share = "internal"``) also carries
``"internal": true`` (absent otherwise, and in events recorded before the field).

An open, preview, send or copy that follows a search (the item was among its hits, within
30 minutes) also carries ``"search_id"`` (the search event's id) and ``"rank"`` (1 = best).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from app.core.timeutil import iso, parse_iso

BATCH_FORMAT = "satchel-usage/1"
EVENT_KINDS = ("open", "preview", "send", "copy", "search", "flag", "request", "failed")
USE_KINDS = ("open", "preview", "send", "copy")  # what counts as "used"
FLAG_REASONS = ("outdated", "incorrect", "other")
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
MAX_BATCH_BYTES = 32 * 1024 * 1024


class BatchError(ValueError):
    """A batch file that is not a valid Satchel usage batch."""


@dataclass(frozen=True, slots=True)
class UsageEvent:
    id: str
    kind: str
    time: datetime
    item_id: str | None = None
    version: int | None = None
    sha256: str | None = None
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class UsageBatch:
    batch_id: str
    device_id: str
    rep: str
    created_at: datetime
    events: list[UsageEvent]
    app_version: str = ""
    rep_name: str = ""  # how the report names the rep; never sent when pseudonymised


def batch_name(device_id: str, batch_id: str) -> str:
    """The batch's path relative to the hub root."""
    return f"inbox/{device_id}/{batch_id}.json"


def encode_batch(batch: UsageBatch) -> bytes:
    doc = {
        "format": BATCH_FORMAT,
        "batch_id": batch.batch_id,
        "device_id": batch.device_id,
        "rep": batch.rep,
        "created_at": iso(batch.created_at),
        "app_version": batch.app_version,
        **({"rep_name": batch.rep_name} if batch.rep_name else {}),
        "events": [
            {
                "id": e.id,
                "kind": e.kind,
                "time": iso(e.time),
                "item_id": e.item_id,
                "version": e.version,
                "sha256": e.sha256,
                "data": e.data,
            }
            for e in batch.events
        ],
    }
    return json.dumps(doc, ensure_ascii=False, sort_keys=True).encode("utf-8")


# complexity: one check per field of an uploaded batch
def decode_batch(data: bytes) -> UsageBatch:
    """Parse and validate a batch; raises BatchError with a readable reason."""
    if len(data) > MAX_BATCH_BYTES:
        raise BatchError("batch is larger than any real batch")
    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise BatchError(f"not JSON ({exc})") from exc
    try:
        if doc["format"] != BATCH_FORMAT:
            raise BatchError(f"unknown format {doc['format']!r}")
        for key in ("batch_id", "device_id"):
            if not isinstance(doc[key], str) or not UUID_RE.match(doc[key]):
                raise BatchError(f"{key} is not a uuid")
        events = []
        for raw in doc["events"]:
            if raw["kind"] not in EVENT_KINDS:
                raise BatchError(f"unknown event kind {raw['kind']!r}")
            if not isinstance(raw["id"], str) or not UUID_RE.match(raw["id"]):
                raise BatchError("event id is not a uuid")
            data_field = raw.get("data") or {}
            if not isinstance(data_field, dict):
                raise BatchError("event data is not an object")
            events.append(
                UsageEvent(
                    id=raw["id"],
                    kind=raw["kind"],
                    time=parse_iso(str(raw["time"])),
                    item_id=None if raw.get("item_id") is None else str(raw["item_id"]),
                    version=None if raw.get("version") is None else int(raw["version"]),
                    sha256=None if raw.get("sha256") is None else str(raw["sha256"]),
                    data=data_field,
                )
            )
        return UsageBatch(
            batch_id=doc["batch_id"],
            device_id=doc["device_id"],
            rep=str(doc["rep"]),
            created_at=parse_iso(str(doc["created_at"])),
            events=events,
            app_version=str(doc.get("app_version") or ""),
            rep_name=str(doc.get("rep_name") or ""),
        )
    except BatchError:
        raise
    except (KeyError, TypeError, ValueError, OverflowError, RecursionError) as exc:
        raise BatchError(f"malformed batch ({exc})") from exc
