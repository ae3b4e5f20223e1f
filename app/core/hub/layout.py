"""Where things are in a hub: the signed catalog, the objects named by their hash, the inbox.

A hub holds ``catalog.json`` (signed), ``objects/<2 hex>/<sha256>`` (every published file,
byte for byte, named by its hash) and ``inbox/<device>/<batch>.json`` (the reps' usage).
"""

from __future__ import annotations

from app.core.catalog import SHA_RE
from app.core.errors import HubError

CATALOG_NAME = "catalog.json"
OBJECTS_DIR = "objects"
INBOX_DIR = "inbox"
FETCH_THREADS = 4  # objects a sync fetches at once from a folder or web hub


def object_relpath(sha256: str) -> str:
    """``objects/<2 hex>/<sha256>``; HubError for anything that is not a content hash."""
    if not SHA_RE.match(sha256):
        raise HubError(f"{sha256[:80]!r} is not a content hash.")
    return f"{OBJECTS_DIR}/{sha256[:2]}/{sha256}"
