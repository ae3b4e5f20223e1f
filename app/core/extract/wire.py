"""Messages between the pool and its workers: JSON over the pipe, never pickle.

A worker parses hostile files; were one ever subverted, unpickling its output would run its
code in the app. JSON can only ever decode to plain data, which :func:`from_wire` then checks
field by field. Thumbnails travel as base64; text keeps any lone surrogate ("surrogatepass").
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from .types import Extraction, Segment

__all__ = ["MAX_MESSAGE_BYTES", "dumps", "from_wire", "loads", "to_wire"]

MAX_MESSAGE_BYTES = 256 << 20


def dumps(message: Any) -> bytes:
    return json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8", "surrogatepass"
    )


def loads(data: bytes) -> Any:
    return json.loads(data.decode("utf-8", "surrogatepass"))


def to_wire(extraction: Extraction) -> dict[str, Any]:
    thumbnail = extraction.thumbnail_png
    return {
        "kind": extraction.kind,
        "segments": [[segment.loc, segment.text] for segment in extraction.segments],
        "searchable": extraction.searchable,
        "reason": extraction.reason,
        "title": extraction.title,
        "page_count": extraction.page_count,
        "thumbnail_png": None if thumbnail is None else base64.b64encode(thumbnail).decode(),
    }


def from_wire(data: Any) -> Extraction:
    """Rebuild an Extraction, refusing anything that is not exactly the expected shape."""
    if not isinstance(data, dict):
        raise ValueError("extraction is not an object")
    segments = []
    for item in data["segments"]:
        loc, text = item
        if not (loc is None or _is_int(loc)) or not isinstance(text, str):
            raise ValueError("bad segment")
        segments.append(Segment(loc, text))
    searchable = data["searchable"]
    page_count = data["page_count"]
    if not isinstance(searchable, bool) or not (page_count is None or _is_int(page_count)):
        raise ValueError("bad flags")
    return Extraction(
        kind=_str(data["kind"]) or "other",
        segments=segments,
        searchable=searchable,
        reason=_str(data["reason"]),
        title=_str(data["title"]),
        page_count=page_count,
        thumbnail_png=_png(data["thumbnail_png"]),
    )


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _str(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise ValueError("expected a string")


def _png(value: Any) -> bytes | None:
    if value is None:
        return None
    try:
        return base64.b64decode(_str(value) or "", validate=True)
    except binascii.Error as exc:
        raise ValueError("bad thumbnail") from exc
