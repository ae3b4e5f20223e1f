"""The shipped index file: one segment's postings in a fixed layout read without any pickle.

The publisher builds each index segment with Whoosh, then writes it out in this format as one
content-addressed hub object; a rep decodes it here, checks every part, and writes its own
Whoosh segment from it (``shipped_segments.py``). Nothing in this module runs a
general-purpose deserializer: the file is a header of counts and a fixed sequence of
sections, each an array of little-endian integers or a run of bytes.

Layout (all integers little-endian)::

    header   magic "SXIX" + u32 format version (1)
             u32 D documents, u32 F fields, u32 T terms, u32 P postings, u32 V value bytes
    sections, exactly these, in this order, each
             tag (4 ASCII bytes), u8 compression (0 none, 1 zlib), 3 zero bytes,
             u32 stored length, u32 raw length, then the stored bytes:
      FLDS  F field names, each u8 length + UTF-8 name                    (raw <= 129 F)
      FTOT  u64[F]   total token count of each field over all documents
      DLEN  u8[F*D]  each document's length byte per field (Whoosh's length quantisation),
                     field-major
      STRO  u32[D+1] offsets into STRV of each document's page/slide starts
      STRV  u32[*]   body token position where each page/slide starts
      TFLD  u16[T]   field number of each term
      TOFF  u32[T+1] offsets of each term into TBYT
      TBYT  u8[*]    term bytes (UTF-8 words, or Whoosh's encoded numbers)
      TPOF  u32[T+1] offsets of each term's postings into PDOC/PWGT/VOFF
      PDOC  u32[P]   document number of each posting
      PWGT  f32[P]   weight of each posting
      VOFF  u32[P+1] offsets of each posting's value into VBYT
      VBYT  u8[V]    posting values: positions (``positions.py``), a u32 count, or nothing

Checks made by :func:`decode` before the data is used, in this order: the header's counts
against the caller's limits (documents: the manifest's document list) and each other; every
section's tag, order, compression flag and raw length against what the counts imply, and
the sum of raw lengths against :data:`MAX_EXPANSION` times the file's size, all before any
section is inflated; inflation is capped at the declared raw length; then every offset
array is monotonic and ends where its data ends, terms are strictly ordered within
contiguous fields, each term's document numbers strictly increase and stay below D, weights
are finite and positive, and every value has the shape its field's format requires.
Anything else raises :class:`ShippedIndexError`, with nothing but the file's own size
allocated.
"""

from __future__ import annotations

import math
import operator
import struct
import sys
import zlib
from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice

from .positions import valid_value as _valid_positions

MAGIC = b"SXIX"
FORMAT_VERSION = 1
_HEADER = struct.Struct("<4sIIIIII")
_SECTION = struct.Struct("<4sB3xII")
SECTIONS = (
    "FLDS",
    "FTOT",
    "DLEN",
    "STRO",
    "STRV",
    "TFLD",
    "TOFF",
    "TBYT",
    "TPOF",
    "PDOC",
    "PWGT",
    "VOFF",
    "VBYT",
)
#: The raw (inflated) sections may total at most this many times the file's size: real
#: segments inflate 2 to 3.4 times (see the README), a zlib bomb a thousand.
MAX_EXPANSION = 16
MAX_FIELDS = 128
MAX_TERM_BYTES = 1024
MAX_STARTS_PER_DOC = 100_000
MAX_WEIGHT = float(2**31)
#: What each field's posting values must look like.
POSITIONS, FREQUENCY, EXISTENCE = "positions", "frequency", "existence"

_BIG_ENDIAN = sys.byteorder == "big"


class ShippedIndexError(ValueError):
    """A shipped index file that is not exactly what this format allows."""


@dataclass(frozen=True, slots=True)
class ShippedIndex:
    """One decoded, checked segment (arrays as in the layout above)."""

    doc_count: int
    fields: list[str]
    field_totals: array[int]
    doc_lengths: bytes
    starts_offsets: array[int]
    starts: array[int]
    term_fields: array[int]
    term_offsets: array[int]
    term_bytes: bytes
    term_postings: array[int]
    docnums: array[int]
    weights: array[float]
    value_offsets: array[int]
    values: bytes

    @property
    def term_count(self) -> int:
        return len(self.term_fields)

    def term(self, n: int) -> bytes:
        return self.term_bytes[self.term_offsets[n] : self.term_offsets[n + 1]]

    def doc_starts(self, docnum: int) -> list[int]:
        return list(self.starts[self.starts_offsets[docnum] : self.starts_offsets[docnum + 1]])

    def length_byte(self, field: int, docnum: int) -> int:
        return self.doc_lengths[field * self.doc_count + docnum]

    def terms_of_field(self, field: int) -> Iterator[int]:
        return (n for n, f in enumerate(self.term_fields) if f == field)


# ----------------------------------------------------------------------------- writing


def encode(index: ShippedIndex, *, level: int = 6) -> bytes:
    """The file for ``index`` (which the caller built from its own Whoosh segment)."""
    names = b"".join(
        bytes((len(raw),)) + raw for raw in (name.encode("utf-8") for name in index.fields)
    )
    parts: list[bytes] = [
        _HEADER.pack(
            MAGIC,
            FORMAT_VERSION,
            index.doc_count,
            len(index.fields),
            index.term_count,
            len(index.docnums),
            len(index.values),
        )
    ]
    raw_sections = [
        names,
        _le(index.field_totals),
        index.doc_lengths,
        _le(index.starts_offsets),
        _le(index.starts),
        _le(index.term_fields),
        _le(index.term_offsets),
        index.term_bytes,
        _le(index.term_postings),
        _le(index.docnums),
        _le(index.weights),
        _le(index.value_offsets),
        index.values,
    ]
    for tag, raw in zip(SECTIONS, raw_sections, strict=True):
        packed = zlib.compress(raw, level) if raw else b""
        compressed = 0 < len(packed) < len(raw)
        body = packed if compressed else raw
        parts.append(_SECTION.pack(tag.encode("ascii"), int(compressed), len(body), len(raw)))
        parts.append(body)
    return b"".join(parts)


def _le(values: array[int] | array[float]) -> bytes:
    if _BIG_ENDIAN and values.itemsize > 1:
        values = array(values.typecode, values)
        values.byteswap()
    return values.tobytes()


# ----------------------------------------------------------------------------- reading


def decode(
    data: bytes,
    *,
    max_docs: int,
    field_kind: Callable[[str], str | None],
) -> ShippedIndex:
    """Check and decode a shipped index file.

    ``max_docs`` is the most documents the segment may hold (the manifest's list for it);
    ``field_kind(name)`` says what the field's posting values look like (POSITIONS,
    FREQUENCY or EXISTENCE), or None for a field this schema does not index.
    """
    docs, nfields, nterms, npost, nvalues = _header(data, max_docs)
    fixed = {
        "FTOT": 8 * nfields,
        "DLEN": nfields * docs,
        "STRO": 4 * (docs + 1),
        "TFLD": 2 * nterms,
        "TOFF": 4 * (nterms + 1),
        "TPOF": 4 * (nterms + 1),
        "PDOC": 4 * npost,
        "PWGT": 4 * npost,
        "VOFF": 4 * (npost + 1),
        "VBYT": nvalues,
    }
    bounds = {
        "FLDS": 129 * nfields,
        "STRV": 4 * MAX_STARTS_PER_DOC * docs,
        "TBYT": MAX_TERM_BYTES * nterms,
    }
    spans = _spans(data, fixed, bounds)

    # Pass 2: inflate (capped at each declared length) and check contents.
    raws = [_inflate(data, span, tag) for tag, span in zip(SECTIONS, spans, strict=True)]
    (names, ftot, dlen, stro, strv, tfld, toff, tbyt, tpof, pdoc, pwgt, voff, vbyt) = raws
    fields = _field_names(names, nfields)
    kinds = []
    for name in fields:
        kind = field_kind(name)
        if kind is None:
            raise ShippedIndexError(f"the field {name!r} is not one this version indexes")
        kinds.append(kind)
    if len(strv) % 4:
        raise ShippedIndexError("section STRV is not a whole number of integers")
    index = ShippedIndex(
        doc_count=docs,
        fields=fields,
        field_totals=_array("Q", ftot),
        doc_lengths=dlen,
        starts_offsets=_array("I", stro),
        starts=_array("I", strv),
        term_fields=_array("H", tfld),
        term_offsets=_array("I", toff),
        term_bytes=tbyt,
        term_postings=_array("I", tpof),
        docnums=_array("I", pdoc),
        weights=_floats(pwgt),
        value_offsets=_array("I", voff),
        values=vbyt,
    )
    _check(index, kinds)
    return index


def _header(data: bytes, max_docs: int) -> tuple[int, int, int, int, int]:
    """(documents, fields, terms, postings, value bytes) from a checked header."""
    size = len(data)
    if size < _HEADER.size:
        raise ShippedIndexError("the file is shorter than its header")
    magic, version, docs, nfields, nterms, npost, nvalues = _HEADER.unpack_from(data)
    if magic != MAGIC or version != FORMAT_VERSION:
        raise ShippedIndexError("not a shipped index file of this version")
    if not 0 < docs <= max_docs:
        raise ShippedIndexError(f"{docs} documents, where the manifest allows {max_docs}")
    if not 0 < nfields <= MAX_FIELDS:
        raise ShippedIndexError(f"{nfields} fields")
    if nterms > npost or npost > docs * max(nterms, 1) or nterms > size or npost > size:
        raise ShippedIndexError("term and posting counts do not fit the file")
    return docs, nfields, nterms, npost, nvalues


def _spans(
    data: bytes, fixed: dict[str, int], bounds: dict[str, int]
) -> list[tuple[int, int, int, bool]]:
    """Pass 1: every section header, before anything is inflated or allocated."""
    size = len(data)
    spans: list[tuple[int, int, int, bool]] = []
    pos = _HEADER.size
    total_raw = 0
    for tag in SECTIONS:
        if pos + _SECTION.size > size:
            raise ShippedIndexError(f"the file ends before section {tag}")
        found, comp, stored, raw = _SECTION.unpack_from(data, pos)
        pos += _SECTION.size
        if found != tag.encode("ascii"):
            raise ShippedIndexError(f"section {tag} expected, found {found!r}")
        _check_section(tag, comp, stored, raw, fixed, bounds, size, size - pos)
        spans.append((pos, stored, raw, comp == 1))
        total_raw += raw
        pos += stored
    if pos != size:
        raise ShippedIndexError("the file has bytes after its last section")
    if total_raw > MAX_EXPANSION * size + 65536:
        raise ShippedIndexError("the file would inflate to more than its format allows")
    return spans


def _check_section(
    tag: str,
    comp: int,
    stored: int,
    raw: int,
    fixed: dict[str, int],
    bounds: dict[str, int],
    size: int,
    left: int,
) -> None:
    """One section header against the counts; ``size`` of the file, ``left`` bytes after
    the section header."""
    if comp not in (0, 1):
        raise ShippedIndexError(f"section {tag} has an unknown compression")
    if tag in fixed and raw != fixed[tag]:
        raise ShippedIndexError(f"section {tag} has the wrong length for its counts")
    if tag in bounds and raw > bounds[tag]:
        raise ShippedIndexError(f"section {tag} is longer than its counts allow")
    if (comp == 0 and stored != raw) or (comp == 1 and not 0 < stored <= size):
        raise ShippedIndexError(f"section {tag} has inconsistent lengths")
    if stored > left:
        raise ShippedIndexError(f"section {tag} runs past the end of the file")


def _inflate(data: bytes, span: tuple[int, int, int, bool], tag: str) -> bytes:
    start, stored, raw, compressed = span
    body = data[start : start + stored]
    if not compressed:
        return body
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(body, raw)
        if inflater.unconsumed_tail or not inflater.eof or len(out) != raw:
            raise ShippedIndexError(f"section {tag} does not inflate to its declared length")
    except zlib.error as exc:
        raise ShippedIndexError(f"section {tag} is not valid compressed data") from exc
    if inflater.unused_data:
        raise ShippedIndexError(f"section {tag} has bytes after its compressed data")
    return out


def _array(typecode: str, raw: bytes) -> array[int]:
    values = array(typecode)
    values.frombytes(raw)
    if _BIG_ENDIAN and values.itemsize > 1:
        values.byteswap()
    return values


def _floats(raw: bytes) -> array[float]:
    values = array("f")
    values.frombytes(raw)
    if _BIG_ENDIAN:
        values.byteswap()
    return values


def _field_names(raw: bytes, count: int) -> list[str]:
    names: list[str] = []
    pos = 0
    for _ in range(count):
        if pos >= len(raw):
            raise ShippedIndexError("the field table is short")
        n = raw[pos]
        name_bytes = raw[pos + 1 : pos + 1 + n]
        if n == 0 or len(name_bytes) != n:
            raise ShippedIndexError("the field table is malformed")
        try:
            names.append(name_bytes.decode("utf-8"))
        except UnicodeDecodeError as exc:
            raise ShippedIndexError("a field name is not UTF-8") from exc
        pos += 1 + n
    if pos != len(raw) or len(set(names)) != len(names):
        raise ShippedIndexError("the field table is malformed")
    return names


def _offsets_ok(offsets: Sequence[int], end: int) -> bool:
    """Offsets start at 0, never decrease and end exactly at ``end``."""
    return (
        offsets[0] == 0
        and offsets[-1] == end
        and all(map(operator.le, offsets, islice(offsets, 1, None)))
    )


def _increasing(values: Sequence[int]) -> bool:
    return all(map(operator.lt, values, islice(values, 1, None)))


def _check(ix: ShippedIndex, kinds: list[str]) -> None:
    _check_tables(ix)
    previous: tuple[int, bytes] | None = None
    finished: set[int] = set()
    for t in range(ix.term_count):
        field = ix.term_fields[t]
        if field >= len(kinds):
            raise ShippedIndexError("a term names a field that is not in the field table")
        term = ix.term(t)
        if not 0 < len(term) <= MAX_TERM_BYTES:
            raise ShippedIndexError("a term is empty or too long")
        if previous is not None:
            _check_order(previous, (field, term), finished)
        previous = (field, term)
        start, end = ix.term_postings[t], ix.term_postings[t + 1]
        if start == end:
            raise ShippedIndexError("a term has no postings")
        ids = ix.docnums[start:end]
        if ids[-1] >= ix.doc_count or not _increasing(ids):
            raise ShippedIndexError("a term's document numbers are out of order or range")
        _check_values(ix, kinds[field], start, end)


def _check_tables(ix: ShippedIndex) -> None:
    """Field totals, page starts, offset tables and weights."""
    docs = ix.doc_count
    if any(total > MAX_WEIGHT * docs for total in ix.field_totals):
        raise ShippedIndexError("a field's total length is out of range")
    if not _offsets_ok(ix.starts_offsets, len(ix.starts)):
        raise ShippedIndexError("the page offsets are malformed")
    for d in range(docs):
        own = ix.starts[ix.starts_offsets[d] : ix.starts_offsets[d + 1]]
        if len(own) > MAX_STARTS_PER_DOC or not all(map(operator.le, own, islice(own, 1, None))):
            raise ShippedIndexError("a document's page starts are out of order")
    if not _offsets_ok(ix.term_offsets, len(ix.term_bytes)):
        raise ShippedIndexError("the term offsets are malformed")
    if not _offsets_ok(ix.term_postings, len(ix.docnums)):
        raise ShippedIndexError("the posting offsets are malformed")
    if not _offsets_ok(ix.value_offsets, len(ix.values)):
        raise ShippedIndexError("the value offsets are malformed")
    weights = ix.weights
    if weights and (
        any(map(math.isnan, weights)) or min(weights) <= 0.0 or max(weights) > MAX_WEIGHT
    ):
        raise ShippedIndexError("a posting weight is out of range")


def _check_order(previous: tuple[int, bytes], this: tuple[int, bytes], finished: set[int]) -> None:
    """Terms grouped by field, each field's terms strictly increasing."""
    if previous[0] != this[0]:
        if this[0] in finished:
            raise ShippedIndexError("a field's terms are not contiguous")
        finished.add(previous[0])
    elif this[1] <= previous[1]:
        raise ShippedIndexError("terms are not in strictly increasing order")


def _check_values(ix: ShippedIndex, kind: str, start: int, end: int) -> None:
    offsets = ix.value_offsets
    if kind == EXISTENCE:
        if offsets[start] != offsets[end]:
            raise ShippedIndexError("a field without values has posting values")
        return
    if kind == FREQUENCY:
        if any(offsets[n + 1] - offsets[n] != 4 for n in range(start, end)):
            raise ShippedIndexError("a frequency value is not four bytes")
        return
    values = ix.values
    if not all(_valid_positions(values[offsets[n] : offsets[n + 1]]) for n in range(start, end)):
        raise ShippedIndexError("a positions value is malformed")
