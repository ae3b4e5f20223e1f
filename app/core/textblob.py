"""The shipped extracted-text file: segments with their page/slide location, as gzipped JSON.

Extracted text is about as large as the documents it comes from for spreadsheets, and a
tenth to a half for decks; gzip makes it 2-4 times smaller on the hub, on the wire and on
every laptop. Blobs written before compression (plain JSON) are still read.
Decompression is bounded: a blob that would inflate beyond MAX_TEXT_BLOB reads as no text.

Format ``satchel-text/2`` adds ``repeated``: the lines found on most pages or slides of the
document (running headers and footers, "Page 3 of 12"), in their normal form
(:func:`line_key`), computed once at publish. They stay in the text, so they are indexed and
searchable; snippets leave them out. Older objects (``satchel-text/1``, no ``repeated``) read
as before, and readers of version 1 ignore the new key.
"""

from __future__ import annotations

import gzip
import json
import re
import zlib
from collections import Counter
from collections.abc import Sequence

from app.core.extract.types import Segment

TEXT_FORMAT = "satchel-text/2"
MAX_TEXT_BLOB = 64 * 1024 * 1024  # decoded JSON bytes
_GZIP_MAGIC = b"\x1f\x8b"

#: A line is boilerplate when it is on at least REPEATED_SHARE of a document's segments,
#: and on at least REPEATED_MIN of them (so a 2-page document keeps both pages' lines).
REPEATED_SHARE = 0.6
REPEATED_MIN = 3
MAX_REPEATED_LINE = 200  # longer lines are prose, not running headers
MAX_REPEATED = 50  # lines kept per document
EDGE_LINES = 3  # headers and footers are among a page's first or last lines
MAX_REPEATED_SHARE = 0.5  # of the text: more is repeated content, not headers
_DIGITS = re.compile(r"\d+")
_NUMBER_ONLY = re.compile(r"[#\W]*")


def line_key(line: str) -> str:
    """A line's normal form: whitespace collapsed, lower case, every number as ``#`` (so
    "Page 3 of 12" and "Page 4 of 12" are the same line)."""
    return _DIGITS.sub("#", " ".join(line.split()).lower())


def repeated_lines(segments: Sequence[Segment]) -> list[str]:
    """The keys of the lines that most segments hold among their first or last EDGE_LINES
    lines (see REPEATED_SHARE), sorted. None when they would be most of the document's
    text: then the pages repeat content, not a running header."""
    pages = [s.text for s in segments if s.text.strip()]
    if len(pages) < REPEATED_MIN:
        return []
    seen: Counter[str] = Counter()
    for text in pages:
        lines = [key for line in text.split("\n") if (key := line_key(line))]
        edges = {*lines[:EDGE_LINES], *lines[-EDGE_LINES:]}
        seen.update(k for k in edges if len(k) <= MAX_REPEATED_LINE)
    need = max(REPEATED_MIN, REPEATED_SHARE * len(pages))
    found = sorted(k for k, n in seen.items() if n >= need and _is_boilerplate(k))[:MAX_REPEATED]
    if found and _share(pages, frozenset(found)) > MAX_REPEATED_SHARE:
        return []
    return found


def _share(pages: list[str], keys: frozenset[str]) -> float:
    """The share of the text's characters that lines with these keys hold."""
    total = hidden = 0
    for text in pages:
        for line in text.split("\n"):
            size = len(line.strip())
            total += size
            if size and line_key(line) in keys:
                hidden += size
    return hidden / max(1, total)


def _is_boilerplate(key: str) -> bool:
    # a line of only a number is a page number, unless it is a long one (a figure in a table)
    return not _NUMBER_ONLY.fullmatch(key) or len(key) <= 12


def encode_text(segments: Sequence[Segment]) -> bytes:
    doc: dict[str, object] = {
        "format": TEXT_FORMAT,
        "segments": [[s.loc, s.text] for s in segments],
    }
    repeated = repeated_lines(segments)
    if repeated:
        doc["repeated"] = repeated
    raw = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return gzip.compress(raw, compresslevel=6, mtime=0)  # mtime 0: same text, same object


def decode_text(data: bytes) -> list[Segment]:
    """Parse a text blob; anything malformed yields no segments rather than an error.
    Each segment's ``repeated`` holds the document's repeated lines (empty for old blobs)."""
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
        repeated = _repeated(doc.get("repeated"))
        out: list[Segment] = []
        for loc, text in doc["segments"]:
            if (loc is None or (isinstance(loc, int) and loc >= 0)) and isinstance(text, str):
                out.append(Segment(loc, text, repeated))
        return out
    except (ValueError, KeyError, TypeError, AttributeError):
        return []


def _repeated(value: object) -> frozenset[str]:
    """The ``repeated`` list, checked (anything else: none)."""
    if not isinstance(value, list) or len(value) > MAX_REPEATED:
        return frozenset()
    return frozenset(v for v in value if isinstance(v, str) and len(v) <= MAX_REPEATED_LINE)
