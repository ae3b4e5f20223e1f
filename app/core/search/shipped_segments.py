"""Between Whoosh segments and shipped index files (``shipped_format.py``).

The publisher exports each segment it built into the shipped format
(:func:`export_segment`); a rep writes its own Whoosh segment from a decoded, checked file
(:func:`write_segment`) through Whoosh's codec writers, so every file in a rep's index,
pickles included, is written by the rep's own code from values it checked. Stored fields are
not shipped at all: the rep writes each document's title, description, kind and version from
its verified catalog (``stored_of``), and only the page starts come from the file.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import whoosh.codec.whoosh3 as _w3_mod
import whoosh.filedb.filestore as _filestore_mod
import whoosh.formats as _formats_mod
import whoosh.util.numeric as _numeric_mod

from .positions import SafePositions
from .segments import INDEX_NAME
from .shipped_format import (
    EXISTENCE,
    FREQUENCY,
    POSITIONS,
    ShippedIndex,
    ShippedIndexError,
)

w3: Any = _w3_mod
filestore: Any = _filestore_mod
formats: Any = _formats_mod
length_to_byte: Callable[[int], int] = _numeric_mod.length_to_byte
byte_to_length: Callable[[int], int] = _numeric_mod.byte_to_length
#: zlib level of the posting blocks a rep writes: level 1 writes in half the time of
#: Whoosh's default 3 for files a few per cent larger.
WRITE_COMPRESSION = 1


def value_kind(schema: Any) -> Callable[[str], str | None]:
    """What posting values of each field of ``schema`` look like (None: not indexed)."""

    def kind(name: str) -> str | None:
        if name not in schema:
            return None
        field = schema[name]
        fmt = getattr(field, "format", None)
        if not getattr(field, "indexed", False) or fmt is None:
            return None
        if isinstance(fmt, SafePositions):
            return POSITIONS
        if type(fmt) is formats.Frequency:
            return FREQUENCY
        if type(fmt) is formats.Existence:
            return EXISTENCE
        return None  # Whoosh's pickled Positions, Characters...: never shipped

    return kind


# ----------------------------------------------------------------------------- publisher


def export_segment(folder: Path, schema: Any) -> ShippedIndex:
    """The shipped form of the single segment the publisher just built in ``folder``."""
    ix = filestore.FileStorage(str(folder)).open_index(INDEX_NAME, schema=schema)
    try:
        with ix.reader() as reader:
            return _export(reader, schema)
    finally:
        ix.close()


def _export(reader: Any, schema: Any) -> ShippedIndex:
    docs = int(reader.doc_count_all())
    kind = value_kind(schema)
    term_fields = sorted({fieldname for fieldname, _ in reader.all_terms()})
    scorable = [n for n in schema.names() if getattr(schema[n], "scorable", False)]
    names = sorted(set(term_fields) | {n for n in scorable if reader.field_length(n)})
    if any(kind(n) is None for n in names):
        raise ValueError("the schema has a field the shipped format cannot carry")
    number = {name: n for n, name in enumerate(names)}
    lengths = bytearray()
    for name in names:
        lengths += bytes(length_to_byte(reader.doc_field_length(d, name, 0)) for d in range(docs))
    starts_offsets = array("I", [0])
    starts = array("I")
    for d in range(docs):
        starts.extend(reader.stored_fields(d).get("starts") or ())
        starts_offsets.append(len(starts))
    postings = _Postings()
    for fieldname, btext in reader.all_terms():
        postings.add(number[fieldname], btext, reader.postings(fieldname, btext))
    return ShippedIndex(
        doc_count=docs,
        fields=names,
        field_totals=array("Q", [int(reader.field_length(n)) for n in names]),
        doc_lengths=bytes(lengths),
        starts_offsets=starts_offsets,
        starts=starts,
        term_fields=postings.term_fields,
        term_offsets=postings.term_offsets,
        term_bytes=bytes(postings.term_bytes),
        term_postings=postings.term_postings,
        docnums=postings.docnums,
        weights=postings.weights,
        value_offsets=postings.value_offsets,
        values=bytes(postings.values),
    )


class _Postings:
    """The term and posting tables of the shipped format, filled a term at a time."""

    def __init__(self) -> None:
        self.term_fields = array("H")
        self.term_offsets = array("I", [0])
        self.term_bytes = bytearray()
        self.term_postings = array("I", [0])
        self.docnums = array("I")
        self.weights = array("f")
        self.value_offsets = array("I", [0])
        self.values = bytearray()

    def add(self, field_number: int, btext: bytes, matcher: Any) -> None:
        self.term_fields.append(field_number)
        self.term_bytes += btext
        self.term_offsets.append(len(self.term_bytes))
        while matcher.is_active():
            self.docnums.append(matcher.id())
            self.weights.append(matcher.weight())
            self.values += matcher.value() or b""
            self.value_offsets.append(len(self.values))
            matcher.next()
        self.term_postings.append(len(self.docnums))


# ----------------------------------------------------------------------------- rep


def write_segment(
    folder: Path,
    schema: Any,
    shipped: ShippedIndex,
    stored_of: Callable[[int], Mapping[str, object]],
    columns_of: Callable[[int], Mapping[str, object]],
) -> Any:
    """Write ``shipped`` as a new Whoosh segment in the index folder ``folder`` (whose table of
    contents the caller writes) and return the W3Segment. ``stored_of(docnum)`` gives a
    document's stored fields (from the rep's catalog), ``columns_of(docnum)`` its sortable
    column values; the page starts are added from the file."""
    storage = filestore.FileStorage(str(folder))
    codec = w3.W3Codec(compression=WRITE_COMPRESSION)
    segment = codec.new_segment(storage, INDEX_NAME)
    fields = [schema[name] for name in shipped.fields]
    docs = shipped.doc_count
    if "starts" not in schema or any(f is None for f in fields):
        raise ShippedIndexError("the file does not fit this schema")
    dequantised = [
        [byte_to_length(b) for b in shipped.doc_lengths[n * docs : (n + 1) * docs]]
        for n in range(len(fields))
    ]
    _write_documents(storage, codec, segment, schema, shipped, dequantised, stored_of, columns_of)
    writer = codec.field_writer(storage, segment)
    try:
        for number, (name, field) in enumerate(zip(shipped.fields, fields, strict=True)):
            terms = [t for t in range(shipped.term_count) if shipped.term_fields[t] == number]
            if terms:
                _write_field(writer, name, field, shipped, terms, dequantised[number])
    finally:
        writer.close()
    segment.set_doc_count(docs)
    segment._fieldlengths.clear()
    segment._fieldlengths.update(
        {name: int(total) for name, total in zip(shipped.fields, shipped.field_totals, strict=True)}
    )
    return segment


def _write_documents(
    storage: Any,
    codec: Any,
    segment: Any,
    schema: Any,
    shipped: ShippedIndex,
    dequantised: Sequence[Sequence[int]],
    stored_of: Callable[[int], Mapping[str, object]],
    columns_of: Callable[[int], Mapping[str, object]],
) -> None:
    perdoc = codec.per_document_writer(storage, segment)
    try:
        for d in range(shipped.doc_count):
            perdoc.start_doc(d)
            stored = dict(stored_of(d))
            starts = shipped.doc_starts(d)
            if starts:
                stored["starts"] = starts
            for name, value in stored.items():
                perdoc.add_field(name, schema[name], value, 0)
            for n, name in enumerate(shipped.fields):
                length = dequantised[n][d]
                if length:
                    perdoc.add_field(name, schema[name], None, length)
            for name, value in columns_of(d).items():
                field = schema[name]
                perdoc.add_column_value(name, field.column_type, field.to_column_value(value))
            perdoc.finish_doc()
    finally:
        perdoc.close()
        temp = getattr(perdoc._cols, "_tempstorage", None)
        if temp is not None:
            temp.destroy()


def _write_field(
    writer: Any,
    name: str,
    field: Any,
    shipped: ShippedIndex,
    terms: Sequence[int],
    lengths: Sequence[int],
) -> None:
    """Postings go into Whoosh's posting writer a block at a time: its buffers are filled
    with what ``add_posting`` would have gathered one posting at a time (ids, weights,
    non-empty values, the shortest non-zero and longest length, the largest weight)."""
    writer.start_field(name, field)
    postings = writer._postwriter
    limit = postings._blocklimit
    docnums, weights = shipped.docnums, shipped.weights
    offsets, values = shipped.value_offsets, shipped.values
    has_values = (
        offsets[shipped.term_postings[terms[0]]] != offsets[shipped.term_postings[terms[-1] + 1]]
    )
    for t in terms:
        writer.start_term(shipped.term(t))
        start, end = shipped.term_postings[t], shipped.term_postings[t + 1]
        for first in range(start, end, limit):
            last = min(first + limit, end)
            if postings._ids:
                postings._write_block()
            ids = docnums[first:last]
            block_weights = weights[first:last]
            postings._ids = ids
            postings._weights = block_weights
            if has_values:
                postings._values = [values[offsets[n] : offsets[n + 1]] for n in range(first, last)]
            block_lengths = [lengths[d] for d in ids]
            postings._minlength = min((n for n in block_lengths if n), default=None)
            postings._maxlength = max(block_lengths)
            postings._maxweight = max(0, max(block_weights))
        writer.finish_term()
    writer.finish_field()
