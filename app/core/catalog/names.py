"""Names and lines from a catalog made safe to show and to use as file names."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from app.core.errors import UnsafeCatalogError

_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$", re.IGNORECASE)


def plain_line(text: str, limit: int = 500) -> str:
    """One line of printable text: control and format characters (escape sequences, line
    breaks, bidi overrides) become spaces, runs of spaces one; cut to ``limit`` characters."""
    cleaned = "".join(
        " " if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c for c in text
    )
    return " ".join(cleaned.split())[:limit]


def check_filename(value: Any, item_id: str) -> str:
    """A catalog file name must be one plain name: no folders, no traversal, no devices."""
    if not isinstance(value, str):
        raise UnsafeCatalogError(f"Item {item_id} has no file name.")
    name = unicodedata.normalize("NFC", value)
    bad = (
        not name
        or len(name.encode("utf-8")) > 255
        or name in (".", "..")
        or name.startswith(".")
        or "/" in name
        or "\\" in name
        or ":" in name
        or any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in name)
        or name.endswith((" ", "."))
        or _WINDOWS_RESERVED.match(name) is not None
    )
    if bad:
        raise UnsafeCatalogError(
            f"The catalog gives item {item_id} the file name {value[:80]!r}, which is not a "
            "plain file name (paths, '..', and control characters are refused)."
        )
    return name


def sanitize_filename(name: str, fallback: str) -> str:
    """Make a publisher's file name safe to ship: what :func:`check_filename` accepts."""
    name = unicodedata.normalize("NFC", name)
    name = "".join(
        "_" if c in "/\\:" else c
        for c in name
        if unicodedata.category(c) not in ("Cc", "Cf", "Zl", "Zp")
    )
    name = name.strip().rstrip(".").lstrip(".").strip()
    if _WINDOWS_RESERVED.match(name):
        name = "_" + name
    while len(name.encode("utf-8")) > 255:
        stem, dot, ext = name.rpartition(".")
        name = (stem[:-1] + dot + ext) if stem and len(ext) < 16 else name[:-1]
    if not name or name in (".", ".."):
        name = fallback
    return name
