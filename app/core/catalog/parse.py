"""Reading a catalog's payload: every field checked, every name made safe, nothing trusted
that the checks did not pass."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from app.core.catalog.envelope import envelope_payload, verify_envelope
from app.core.catalog.model import (
    _EVENT_ID_RE,
    CATALOG_FORMAT,
    CATALOG_VERSION,
    ID_RE,
    KINDS,
    MAX_AUDIENCES,
    MAX_ITEMS,
    MAX_REPLIES,
    MAX_REPLY_NOTE,
    REPLY_KINDS,
    REPLY_STATUSES,
    SHA_RE,
    SHARE_DEFAULT,
    SHARE_VALUES,
    BlobRef,
    Catalog,
    CatalogItem,
    Reply,
    VersionEntry,
    check_audience,
)
from app.core.catalog.names import check_filename, plain_line
from app.core.errors import SignatureError, UnsafeCatalogError
from app.core.signing import PublicKey
from app.core.timeutil import parse_iso


def load_verified_catalog(data: bytes, key: PublicKey) -> Catalog:
    return parse_catalog(verify_envelope(data, key))


def parse_catalog(payload: str) -> Catalog:
    """Parse and strictly validate a verified payload. Anything off raises UnsafeCatalogError."""
    try:
        raw = json.loads(payload)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise UnsafeCatalogError("The signed catalog is not valid JSON.") from exc
    try:
        return _parse(raw)
    except UnsafeCatalogError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as exc:
        raise UnsafeCatalogError(f"The signed catalog is malformed ({exc}).") from exc


def _parse(raw: Any) -> Catalog:
    if not isinstance(raw, dict) or raw.get("format") != CATALOG_FORMAT:
        raise UnsafeCatalogError("The signed payload is not a Satchel catalog.")
    if raw.get("version") != CATALOG_VERSION:
        raise UnsafeCatalogError(
            f"The catalog has format version {raw.get('version')}; this Satchel reads "
            f"version {CATALOG_VERSION}. Please update the app."
        )
    serial = _int(raw["serial"], "serial")
    items_raw = raw["items"]
    if not isinstance(items_raw, list) or len(items_raw) > MAX_ITEMS:
        raise UnsafeCatalogError("The catalog's item list is malformed.")
    items = [_parse_item(i) for i in items_raw]
    seen: set[str] = set()
    for item in items:
        if item.id in seen:
            raise UnsafeCatalogError(f"The catalog lists item {item.id!r} twice.")
        seen.add(item.id)
    return Catalog(
        serial=serial,
        created_at=parse_iso(str(raw["created_at"])),
        key_id=str(raw.get("key_id", "")),
        items=items,
        index=_blob(raw.get("index")),
        valid_until=_date(raw.get("valid_until")),
        replies=_replies(raw.get("replies")),
    )


def _replies(value: Any) -> list[Reply]:
    if value is None:
        return []
    if not isinstance(value, list) or len(value) > MAX_REPLIES:
        raise UnsafeCatalogError("The catalog's reply list is malformed.")
    replies = [parse_reply(r) for r in value]
    if len({r.id for r in replies}) != len(replies):
        raise UnsafeCatalogError("The catalog answers one flag or request twice.")
    return replies


def parse_reply(raw: Any) -> Reply:
    """One reply, checked strictly (UnsafeCatalogError when it is not one)."""
    if not isinstance(raw, dict):
        raise UnsafeCatalogError("The catalog has a malformed reply.")
    reply_id = raw.get("id")
    if not isinstance(reply_id, str) or not _EVENT_ID_RE.match(reply_id):
        raise UnsafeCatalogError("The catalog has a reply with a malformed id.")
    kind, status, note = raw.get("kind"), raw.get("status"), raw.get("note") or ""
    if kind not in REPLY_KINDS or status not in REPLY_STATUSES or not isinstance(note, str):
        raise UnsafeCatalogError(f"The catalog's reply {reply_id} is malformed.")
    items = [raw.get("item_id"), raw.get("answer_item")]
    for value in items:
        if value is not None and (not isinstance(value, str) or not ID_RE.match(value)):
            raise UnsafeCatalogError(f"The catalog's reply {reply_id} names an unsafe item id.")
    answered_at = _date(raw.get("answered_at"))
    if answered_at is None:
        raise UnsafeCatalogError(f"The catalog's reply {reply_id} has no date.")
    return Reply(
        id=reply_id,
        kind=str(kind),
        status=str(status),
        answered_at=answered_at,
        note=plain_line(note, MAX_REPLY_NOTE),
        item_id=items[0],
        answer_item=items[1],
    )


def _int(value: Any, name: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0 or value > 2**53:
        raise UnsafeCatalogError(f"The catalog's {name} is not a valid number.")
    return value


def _sha(value: Any) -> str:
    if not isinstance(value, str) or not SHA_RE.match(value):
        raise UnsafeCatalogError(
            f"The catalog names an object {str(value)[:80]!r} that is not a hash."
        )
    return value


def _blob(value: Any) -> BlobRef | None:
    if value is None:
        return None
    return BlobRef(_sha(value["sha256"]), _int(value["size"], "size"))


def _date(value: Any) -> datetime | None:
    return None if value is None else parse_iso(str(value))


def _parse_item(raw: Any) -> CatalogItem:
    item_id = _item_id(raw["id"])
    status = raw.get("status", "current")
    if status not in ("current", "withdrawn"):
        raise UnsafeCatalogError(f"Item {item_id} has an unknown status {status!r}.")
    kind = raw.get("kind", "other")
    tags = _tags(raw.get("tags"), item_id)
    audiences = _audiences(raw.get("audiences"), item_id)
    published_at = _date(raw["published_at"])
    updated_at = _date(raw["updated_at"])
    assert published_at is not None and updated_at is not None
    history = _history(raw.get("history"))
    return CatalogItem(
        id=item_id,
        status=status,
        title=plain_line(str(raw.get("title") or "")) or item_id,
        description=str(raw.get("description") or ""),
        kind=kind if kind in KINDS else "other",
        filename=check_filename(raw["filename"], item_id),
        source=str(raw.get("source") or ""),
        tags=tags,
        owner=_text_or_none(raw.get("owner")),
        version=_int(raw["version"], "version"),
        sha256=_sha(raw["sha256"]),
        size=_int(raw["size"], "size"),
        published_at=published_at,
        updated_at=updated_at,
        expires_at=_date(raw.get("expires_at")),
        withdrawn_at=_date(raw.get("withdrawn_at")),
        searchable=bool(raw.get("searchable", True)),
        reason=_text_or_none(raw.get("reason")),
        pages=None if raw.get("pages") is None else _int(raw["pages"], "pages"),
        text=_blob(raw.get("text")),
        thumbnail=_blob(raw.get("thumbnail")),
        rendition=_blob(raw.get("rendition")),
        no_preview=None if raw.get("no_preview") is None else plain_line(str(raw["no_preview"])),
        history=history,
        audiences=audiences,
        share=_share(raw.get("share"), item_id),
    )


def _item_id(value: Any) -> str:
    if not isinstance(value, str) or not ID_RE.match(value):
        raise UnsafeCatalogError(
            f"The catalog has an item id {str(value)[:80]!r} that is not safe."
        )
    return value


def _tags(value: Any, item_id: str) -> dict[str, list[str]]:
    tags_raw = value or {}
    if not isinstance(tags_raw, dict):
        raise UnsafeCatalogError(f"Item {item_id} has malformed tags.")
    return {
        str(k): [str(v) for v in (vals if isinstance(vals, list) else [vals])]
        for k, vals in tags_raw.items()
    }


def _history(value: Any) -> list[VersionEntry]:
    return [
        VersionEntry(
            version=_int(h["version"], "version"),
            sha256=_sha(h["sha256"]),
            size=_int(h["size"], "size"),
            published_at=parse_iso(str(h["published_at"])),
            change_note=str(h.get("change_note") or ""),
        )
        for h in value or []
    ]


def _text_or_none(value: Any) -> str | None:
    return None if value is None else str(value)


def _share(value: Any, item_id: str) -> str:
    """Absent in catalogs signed before the field (and for shareable items): the default. A
    value this app does not know (a later publisher's) is taken as the safe one, internal."""
    if value is None:
        return SHARE_DEFAULT
    if not isinstance(value, str) or len(value) > 32:
        raise UnsafeCatalogError(f"Item {item_id} has a malformed share value.")
    return value if value in SHARE_VALUES else "internal"


def _audiences(value: Any, item_id: str) -> list[str]:
    """An item's audiences: absent (catalogs before the field) or a short list of labels."""
    if value is None:
        return []
    if not isinstance(value, list) or len(value) > MAX_AUDIENCES:
        raise UnsafeCatalogError(f"Item {item_id} has a malformed audience list.")
    try:
        return [check_audience(v) for v in value]
    except ValueError as exc:
        raise UnsafeCatalogError(f"Item {item_id} has a malformed audience ({exc}).") from exc


def read_catalog_unverified(data: bytes) -> Catalog:
    """Marketing's own view of its hub (reports): parse without a trust decision.

    Clients never use this; they call :func:`load_verified_catalog`.
    """
    try:
        env = json.loads(data.decode("utf-8"))
        payload = envelope_payload(env)
    except (UnicodeDecodeError, json.JSONDecodeError, AttributeError, SignatureError) as exc:
        raise UnsafeCatalogError("The hub's catalog is not a Satchel catalog.") from exc
    if not isinstance(payload, str):
        raise UnsafeCatalogError("The hub's catalog is not a Satchel catalog.")
    return parse_catalog(payload)
