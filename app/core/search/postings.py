"""Postings: a term's documents, weights and positions in one segment, decoded once and kept.

Whoosh keeps a term's postings in blocks of up to 128, each a zlib-compressed pickle of
(document numbers, weights, values) read through :mod:`.safe_pickle`; the values of the
``body`` field are its token positions. Decoding those blocks was about half of a search
(a common word holds a few thousand postings in each of five fields), and the snippets
decoded the body blocks of the top hits once more for their positions.

Here a term's postings in one segment are decoded once, into numpy arrays (documents and
weights) and the tuple of encoded position values, and kept in a cache bounded by bytes
(least recently used out). The key is (segment id, field, term): a Whoosh segment is never
changed once written (its deleted documents are a separate list, which the callers apply),
so an entry is right for as long as its segment lives; :meth:`PostingsCache.clear` drops
everything when the index is replaced.

With :mod:`.ranking`, this is the only module reaching into Whoosh internals (the posting
block reader's attributes); everything read here is what Whoosh's own matchers read.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any

import numpy as np
import numpy.typing as npt
import whoosh.codec.whoosh3 as _whoosh3_mod
import whoosh.matching.wrappers as _wrappers_mod

__all__ = ["DEFAULT_BUDGET", "PostingsCache", "TermPostings", "deleted_mask", "segment_key"]

_W3LeafMatcher: Any = _whoosh3_mod.W3LeafMatcher
_FilterMatcher: Any = _wrappers_mod.FilterMatcher

#: Bytes of decoded postings kept: 8 per posting, plus 8 and the encoded positions per
#: body posting. Every term of the benchmark's 160 searches takes 23 MB over 5,000 items
#: and 90 MB over 20,000.
DEFAULT_BUDGET = 64 * 1024 * 1024
#: Fields whose values (token positions) are kept: the snippets read the body's.
POSITION_FIELDS = frozenset({"body"})

_ENTRY_OVERHEAD = 400  # the key, the entry and its arrays' own objects

IntArray = npt.NDArray[np.int32]
FloatArray = npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True)
class TermPostings:
    """One term's postings in one segment: ``ids`` ascending segment-local document numbers
    (deleted ones included), ``weights`` its weight in each (as Whoosh stores them: 32-bit
    floats), and for :data:`POSITION_FIELDS` each one's encoded token positions: ``values``
    end to end, posting i's ending at ``value_ends[i]`` (empty for other fields)."""

    ids: IntArray
    weights: FloatArray
    values: bytes
    value_ends: npt.NDArray[np.int64]

    @property
    def nbytes(self) -> int:
        return self.ids.nbytes + self.weights.nbytes + len(self.values) + self.value_ends.nbytes

    def index_of(self, docnum: int) -> int | None:
        """The posting of segment-local document ``docnum``, or None."""
        at = int(np.searchsorted(self.ids, docnum))
        if at < len(self.ids) and int(self.ids[at]) == docnum:
            return at
        return None

    def value(self, at: int) -> bytes | None:
        """The encoded positions of posting ``at`` (None: not kept for this field)."""
        if not len(self.value_ends):
            return None
        start = int(self.value_ends[at - 1]) if at else 0
        return self.values[start : int(self.value_ends[at])]


_NO_ENDS = np.zeros(0, np.int64)
_EMPTY = TermPostings(np.zeros(0, np.int32), np.zeros(0, np.float32), b"", _NO_ENDS)


def segment_key(reader: Any) -> str | None:
    """The id of an atomic reader's segment (None for a reader of several segments)."""
    if not reader.is_atomic():
        return None
    segment = reader.segment()
    return None if segment is None else str(segment.segment_id())


def deleted_mask(reader: Any, size: int) -> npt.NDArray[np.bool_] | None:
    """True for each deleted document of an atomic reader (None when it has none)."""
    deleted = getattr(reader, "deleted_docs_set", None)
    if not deleted:
        return None
    mask = np.zeros(size, dtype=bool)
    mask[np.fromiter(deleted, dtype=np.int64, count=len(deleted))] = True
    return mask


class PostingsCache:
    """Decoded postings by (segment id, field, term), least recently used out past
    ``budget`` bytes. Thread-safe; decoding happens outside the lock."""

    def __init__(self, budget: int = DEFAULT_BUDGET) -> None:
        self._budget = budget
        self._entries: OrderedDict[tuple[str, str, bytes], TermPostings] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    @property
    def size_bytes(self) -> int:
        return self._bytes

    def get(self, reader: Any, field: str, text: str | bytes) -> TermPostings | None:
        """The postings of term ``text`` (as indexed: bytes, or a string the field turns into
        them) in the atomic ``reader``'s segment, or None when the segment does not hold it."""
        if (field, text) not in reader:
            return None
        btext = text if isinstance(text, bytes) else reader.schema[field].to_bytes(text)
        segment = segment_key(reader)
        if segment is None:
            return _read(reader, field, btext)
        key = (segment, field, btext)
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
                return found
        found = _read(reader, field, btext)
        with self._lock:
            if key not in self._entries:
                self._entries[key] = found
                self._bytes += found.nbytes + _ENTRY_OVERHEAD
                while self._bytes > self._budget and len(self._entries) > 1:
                    _, dropped = self._entries.popitem(last=False)
                    self._bytes -= dropped.nbytes + _ENTRY_OVERHEAD
        return found


def _read(reader: Any, field: str, btext: bytes) -> TermPostings:
    """Every posting of a term in one segment, a block at a time (deleted documents too)."""
    m = reader.postings(field, btext)
    if type(m) is _FilterMatcher:
        m = m.child
    if not m.is_active():
        return _EMPTY
    keep_values = field in POSITION_FIELDS
    if type(m) is _W3LeafMatcher and m._i == 0:
        id_parts, weight_parts, value_parts = _read_blocks(m, keep_values)
    else:  # an inlined term (a ListMatcher): a few postings
        id_parts, weight_parts, value_parts = _read_one_by_one(m, keep_values)
    count = sum(map(len, id_parts))
    ids = np.fromiter(chain.from_iterable(id_parts), np.int32, count)
    weights = np.fromiter(chain.from_iterable(weight_parts), np.float32, count)
    if not keep_values:
        return TermPostings(ids, weights, b"", _NO_ENDS)
    values = list(chain.from_iterable(value_parts))
    ends = np.cumsum(np.fromiter(map(len, values), np.int64, len(values)))
    return TermPostings(ids, weights, b"".join(values), ends)


_Parts = tuple[list[Sequence[int]], list[Sequence[float]], list[Sequence[bytes]]]


def _read_blocks(m: Any, keep_values: bool) -> _Parts:
    """The ids, weights (and values) of each block of a W3LeafMatcher at its start."""
    ids: list[Sequence[int]] = []
    weights: list[Sequence[float]] = []
    values: list[Sequence[bytes]] = []
    while True:
        if m._ids is None:
            m._read_ids()
        if m._weights is None:
            m._read_weights()
        ids.append(m._ids)
        weights.append(m._weights)
        if keep_values:
            if m._values is None:
                m._read_values()
            values.append(m._values)
        if m._lastblock:
            return ids, weights, values
        m._goto(m._nextoffset)


def _read_one_by_one(m: Any, keep_values: bool) -> _Parts:
    ids: list[int] = []
    weights: list[float] = []
    values: list[bytes] = []
    while m.is_active():
        ids.append(m.id())
        weights.append(m.weight())
        if keep_values:
            values.append(m.value())
        m.next()
    return [ids], [weights], [values]


def positions_in(
    cache: PostingsCache, leaves: Iterable[tuple[Any, int]], term: bytes, docnums: Sequence[int]
) -> dict[int, list[int]]:
    """Global docnum -> body token positions of ``term``, for those of ``docnums`` holding it.
    ``leaves``: (atomic reader, its first document number)."""
    out: dict[int, list[int]] = {}
    for leaf, offset in leaves:
        size = int(leaf.doc_count_all())
        deleted: frozenset[int] = getattr(leaf, "deleted_docs_set", frozenset())
        local = [
            d - offset for d in docnums if offset <= d < offset + size and d - offset not in deleted
        ]
        if not local:
            continue
        found = cache.get(leaf, "body", term)
        if found is None:
            continue
        decode = leaf.schema["body"].format.decode_positions
        for d in local:
            at = found.index_of(d)
            value = None if at is None else found.value(at)
            if value is not None:
                out[d + offset] = list(decode(value))
    return out
