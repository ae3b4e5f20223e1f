"""The shipped extracted-text file: segments with their page/slide location, as gzipped JSON.

Extracted text is about as large as the documents it comes from for spreadsheets, and a
tenth to a half for decks; gzip makes it 2-4 times smaller on the hub, on the wire and on
every laptop. Blobs written before compression (plain JSON) are still read.
Decompression is bounded: a blob that would inflate beyond MAX_TEXT_BLOB reads as no text.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Sequence

from app.core.extract.types import Segment

TEXT_FORMAT = "satchel-text/1"
MAX_TEXT_BLOB = 64 * 1024 * 1024  # decoded JSON bytes
_GZIP_MAGIC = b"\x1f\x8b"


def encode_text(segments: Sequence[Segment]) -> bytes:
    doc = {"format": TEXT_FORMAT, "segments": [[s.loc, s.text] for s in segments]}
    raw = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return gzip.compress(raw, compresslevel=6, mtime=0)  # mtime 0: same text, same object


def decode_text(data: bytes) -> list[Segment]:
    """Parse a text blob; anything malformed yields no segments rather than an error."""
    if data[:2] == _GZIP_MAGIC:
        try:
            inflate = zlib.decompressobj(wbits=31)
            data = inflate.decompress(data, MAX_TEXT_BLOB + 1)
        except zlib.error:
            return []
        if inflate.unconsumed_tail or not inflate.eof:
            return []  # larger than any real text, or truncated
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
