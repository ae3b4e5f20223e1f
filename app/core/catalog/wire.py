"""A catalog as JSON, the way a publisher writes it (before signing)."""

from __future__ import annotations

from typing import Any

from app.core.catalog.model import (
    CATALOG_FORMAT,
    CATALOG_VERSION,
    SHARE_DEFAULT,
    BlobRef,
    Catalog,
    Reply,
)
from app.core.timeutil import iso


def _blob_json(ref: BlobRef | None) -> dict[str, Any] | None:
    return None if ref is None else {"sha256": ref.sha256, "size": ref.size}


def catalog_to_json(cat: Catalog) -> dict[str, Any]:
    return {
        "format": CATALOG_FORMAT,
        "version": CATALOG_VERSION,
        "serial": cat.serial,
        "created_at": iso(cat.created_at),
        "valid_until": iso(cat.valid_until),
        "key_id": cat.key_id,
        "index": _blob_json(cat.index),
        **({"replies": [reply_to_json(r) for r in cat.replies]} if cat.replies else {}),
        "items": [
            {
                "id": i.id,
                "status": i.status,
                "title": i.title,
                "description": i.description,
                "kind": i.kind,
                "filename": i.filename,
                "source": i.source,
                "tags": i.tags,
                "owner": i.owner,
                "version": i.version,
                "sha256": i.sha256,
                "size": i.size,
                "published_at": iso(i.published_at),
                "updated_at": iso(i.updated_at),
                "expires_at": iso(i.expires_at),
                "withdrawn_at": iso(i.withdrawn_at),
                "searchable": i.searchable,
                "reason": i.reason,
                "pages": i.pages,
                "text": _blob_json(i.text),
                "thumbnail": _blob_json(i.thumbnail),
                **({"rendition": _blob_json(i.rendition)} if i.rendition else {}),
                **({"no_preview": i.no_preview} if i.no_preview else {}),
                **({"audiences": i.audiences} if i.audiences else {}),
                **({"share": i.share} if i.share != SHARE_DEFAULT else {}),
                "history": [
                    {
                        "version": h.version,
                        "sha256": h.sha256,
                        "size": h.size,
                        "published_at": iso(h.published_at),
                        "change_note": h.change_note,
                    }
                    for h in i.history
                ],
            }
            for i in cat.items
        ],
    }


def reply_to_json(r: Reply) -> dict[str, Any]:
    return {
        "id": r.id,
        "kind": r.kind,
        "status": r.status,
        "answered_at": iso(r.answered_at),
        "note": r.note,
        "item_id": r.item_id,
        "answer_item": r.answer_item,
    }
