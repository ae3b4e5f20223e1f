"""Turning a decoded batch into database rows: what reps typed is kept, made storable.

Anything a rep could type reaches the database cleaned only as far as every database can
store it: NUL characters and lone surrogates become U+FFFD. Numbers that do not fit a
64-bit column are dropped (kept in ``data`` only as cleaned JSON).
"""

from __future__ import annotations

import math
import re
from datetime import datetime
from typing import Any

from app.core.usage.batch import USE_KINDS, UUID_RE, UsageBatch, UsageEvent

_UNSTORABLE = re.compile(r"[\x00\ud800-\udfff]")
_WHITESPACE = re.compile(r"\s+")
_MAX_INT = 2**63 - 1


def clean_text(value: str) -> str:
    return _UNSTORABLE.sub("\ufffd", value)


def clean_json(value: Any) -> Any:
    """A copy of decoded JSON whose strings (keys too) are storable and ints fit 64 bits."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_text(str(k)): clean_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clean_json(v) for v in value]
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > _MAX_INT:
        return str(value)
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # NaN and Infinity are not JSON to PostgreSQL
    return value


def normalise_query(query: str) -> str:
    """How searches are grouped: trimmed, lower-cased, runs of whitespace made one space."""
    return _WHITESPACE.sub(" ", query.strip()).lower()


def _text(value: Any) -> str | None:
    return clean_text(value) if isinstance(value, str) else None


def _int(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and -_MAX_INT <= value <= _MAX_INT:
        return value
    return None


def batch_row(batch: UsageBatch, loaded_at: datetime) -> dict[str, Any]:
    return {
        "batch_id": batch.batch_id,
        "device_id": batch.device_id,
        "rep": clean_text(batch.rep),
        "created_at": batch.created_at,
        "loaded_at": loaded_at,
        "event_count": len(batch.events),
    }


def event_row(batch: UsageBatch, event: UsageEvent) -> dict[str, Any]:
    data = event.data
    row: dict[str, Any] = {
        "id": event.id,
        "batch_id": batch.batch_id,
        "device_id": batch.device_id,
        "rep": clean_text(batch.rep),
        "kind": event.kind,
        "time": event.time,
        "item_id": None if event.item_id is None else clean_text(event.item_id),
        "version": _int(event.version),
        "sha256": None if event.sha256 is None else clean_text(event.sha256),
        "query": None,
        "result_count": None,
        "reason": None,
        "note": None,
        "text": None,
        "account": None,
        "needed_by": None,
        "search_id": None,
        "weak": None,
        "internal": None,
        "data": clean_json(data),
    }
    if batch.rep_name:  # the rep's name when the batch was made (the rep id never changes)
        row["data"] = {**row["data"], "rep_name": clean_text(batch.rep_name)}
    if event.kind == "search":
        query = _text(data.get("query"))
        row["query"] = None if query is None else normalise_query(query)
        row["result_count"] = _int(data.get("results"))
        row["weak"] = data.get("weak") is True
    elif event.kind == "flag":
        row["reason"] = _text(data.get("reason"))
        row["note"] = _text(data.get("note"))
    elif event.kind == "request":
        row["text"] = _text(data.get("text"))
        row["account"] = _text(data.get("account"))
        row["needed_by"] = _text(data.get("needed_by"))
    elif event.kind == "send":
        row["account"] = _text(data.get("account"))
    if event.kind in ("send", "copy"):
        row["internal"] = data.get("internal") is True  # an internal item went out
    if event.kind in USE_KINDS:
        search_id = _text(data.get("search_id"))
        row["search_id"] = search_id if search_id and UUID_RE.match(search_id) else None
    return row
