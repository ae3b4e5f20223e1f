"""The shipped extracted-text file: segments with their page/slide location, as JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence

from app.core.extract.types import Segment

TEXT_FORMAT = "satchel-text/1"
MAX_TEXT_BLOB = 64 * 1024 * 1024


def encode_text(segments: Sequence[Segment]) -> bytes:
    doc = {"format": TEXT_FORMAT, "segments": [[s.loc, s.text] for s in segments]}
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def decode_text(data: bytes) -> list[Segment]:
    """Parse a text blob; anything malformed yields no segments rather than an error."""
    if len(data) > MAX_TEXT_BLOB:
        return []
    try:
        doc = json.loads(data.decode("utf-8"))
        out: list[Segment] = []
        for loc, text in doc["segments"]:
            if (loc is None or (isinstance(loc, int) and loc >= 0)) and isinstance(text, str):
                out.append(Segment(loc, text))
        return out
    except (ValueError, KeyError, TypeError):
        return []
