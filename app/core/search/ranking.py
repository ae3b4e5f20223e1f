"""Ranking: BM25F with our k1 and b, the coordination bonus, and the fast paths.

This is the only module that reaches into Whoosh's internals (matcher blocks, scorer
attributes, the searcher's filter sets): everything here gives exactly what Whoosh's own
scoring gives (``tests/test_search_fast_paths.py`` compares them), only faster.

Plain words are OR-ed and ranked by the BM25F sum: any word may match, and items matching
more of the words rank higher through the sum itself (each word's score saturates with tf)
and a small idf-weighted coordination bonus (COORDINATION). No proximity bonus: it lowered
MAP on the Cranfield collection (tests/test_relevance.py; README, "Relevance"), as did k1
1.2 against 1.6.
"""

from __future__ import annotations

import bisect
import heapq
import math
import threading
from collections import deque
from collections.abc import Iterable, Sequence
from itertools import repeat
from typing import Any

import whoosh.codec.whoosh3 as _whoosh3_mod
import whoosh.matching.wrappers as _wrappers_mod
import whoosh.query as _query_mod
import whoosh.scoring as _scoring_mod

__all__ = [
    "BM25_B",
    "BM25_K1",
    "COORDINATION",
    "Ranked",
    "bits_of",
    "holds",
    "idf",
    "is_term_union",
    "new_searcher",
    "run",
    "split_exclusions",
    "term_bits",
    "term_positions",
]

Q: Any = _query_mod
scoring: Any = _scoring_mod
_W3LeafMatcher: Any = _whoosh3_mod.W3LeafMatcher
_WrappingMatcher: Any = _wrappers_mod.WrappingMatcher
_FilterMatcher: Any = _wrappers_mod.FilterMatcher

BM25_K1 = 1.6
BM25_B = 0.75
#: Plain words (an OR of words): a document's score is multiplied by 1 + COORDINATION x the
#: share of the query's words it holds, each word weighted by its idf. Small: on Cranfield's
#: long questions it costs 0.0005 MAP, but with two or three words it is what puts the deck
#: that has all of them above one that repeats one of them ("quick brown fox").
COORDINATION = 0.25


def new_searcher(ix: Any, norms: NormCache) -> Any:
    """A searcher of ``ix`` scoring with our BM25F (length norms from ``norms``)."""
    return ix.searcher(weighting=_FastBM25F(norms, B=BM25_B, K1=BM25_K1))


class _FastBM25F(scoring.BM25F):  # type: ignore[misc]
    """Whoosh's BM25F, scored from a per-segment table of length norms.

    Same formula and numbers as ``BM25F`` (field lengths as Whoosh stores them); the stock
    scorer reads each document's field length from the column store for every posting,
    which is most of the cost of an OR query over common words.
    """

    def __init__(self, norms: NormCache, **kwargs: float) -> None:
        super().__init__(**kwargs)
        self._norms = norms

    def scorer(self, searcher: Any, fieldname: str, text: str, qf: int = 1) -> Any:
        base = super().scorer(searcher, fieldname, text, qf=qf)
        if not isinstance(base, scoring.BM25FScorer):
            return base
        norms = self._norms.get(searcher, fieldname, base)
        return base if norms is None else _FastScorer(base, norms)


class _FastScorer(scoring.BaseScorer):  # type: ignore[misc]
    def __init__(self, base: Any, norms: list[float]) -> None:
        self._base = base
        self._norms = norms
        self._factor = float(base.idf) * (float(base.K1) + 1.0)

    def score(self, matcher: Any) -> float:
        weight = matcher.weight()
        return float(self._factor * weight / (weight + self._norms[matcher.id()]))

    def supports_block_quality(self) -> bool:
        return bool(self._base.supports_block_quality())

    def max_quality(self) -> float:
        return float(self._base.max_quality())

    def block_quality(self, matcher: Any) -> float:
        return float(self._base.block_quality(matcher))


class NormCache:
    """``K1 * (1 - B + B * length / avgfl)`` per document, per (segment, field)."""

    def __init__(self) -> None:
        self._tables: dict[tuple[str, str, float, float, float], list[float]] = {}
        self._lock = threading.Lock()

    def get(self, searcher: Any, fieldname: str, base: Any) -> list[float] | None:
        reader = searcher.reader()
        segment = reader.segment() if reader.is_atomic() else None
        if segment is None:
            return None
        k1, b, avgfl = float(base.K1), float(base.B), float(base.avgfl)
        key = (str(segment.segment_id()), fieldname, k1, b, avgfl)
        with self._lock:
            table = self._tables.get(key)
        if table is None:
            length = reader.doc_field_length
            table = [
                k1 * ((1.0 - b) + b * float(length(d, fieldname, 1) or 0) / avgfl)
                for d in range(int(reader.doc_count_all()))
            ]
            with self._lock:
                if len(self._tables) > 256:
                    self._tables.clear()
                self._tables[key] = table
        return table


class Ranked:
    """What a search found: ``top`` the best (score, docnum) pairs, best first (ties: lower
    docnum first), ``total`` every match that passed the filter and the mask. ``docs``: when
    asked for and known without another pass (plain words), the bitset of the matching
    documents before the filter (mask and exclusions applied): the facet counts' input."""

    __slots__ = ("docs", "top", "total")

    def __init__(self, top: list[tuple[float, int]], total: int, docs: int | None = None) -> None:
        self.top = top
        self.total = total
        self.docs = docs

    def __len__(self) -> int:
        return self.total


def split_exclusions(q: Any, mask: Any, searcher: Any = None) -> tuple[Any, Any]:
    """``And([x, Not(y)])`` at the top (see :meth:`QueryCompiler.parse`) as ``x`` with ``y``
    added to the mask: Whoosh then skips y's documents itself (its AndNot matcher loses
    matches; an inverse matcher would visit every document). ``mask``: a query, or a set
    of document numbers (then ``searcher`` finds y's)."""
    if type(q) is Q.And and len(q.subqueries) == 2 and type(q.subqueries[1]) is Q.Not:
        base, banned = q.subqueries[0], q.subqueries[1].query
        if mask is None:
            return base, banned
        if isinstance(mask, set):
            return base, mask | set(searcher.docs_for_query(banned))
        return base, Q.Or([mask, banned])
    return q, mask


def run(searcher: Any, q: Any, limit: int, filt: Any, mask: Any, *, docs: bool = False) -> Ranked:
    """``docs``: also give :attr:`Ranked.docs` when it comes free (plain words)."""
    q, mask = split_exclusions(q, mask, searcher)
    if is_term_union(q):
        return _run_union(searcher, q, limit, filt, mask, docs)
    # optimize=False: no block-quality skipping, so the collector counts every match as it
    # scores and len(results) is free. With skipping, Whoosh re-runs the whole query to
    # count, which costs more than the skipping saves on OR queries of common words
    # (measured again at 5,000 items: 1.3 to 2.9 times slower with optimize=True, and
    # block-max skipping alone, without the count, saves nothing on these queries).
    collector = searcher.collector(limit=limit, filter=filt, mask=mask, optimize=False)
    # And no matcher replacement: every 10 matches the collector otherwise "replaces" the
    # matcher tree, dropping the OR branches that cannot beat the current 20th score, which
    # even with optimize=False leaves their other matches uncounted (above 5,000 documents
    # per segment, where Whoosh uses UnionMatcher trees, "dach" counted 390 of 3,044 items).
    getattr(collector, "child", collector).replace = 0
    searcher.search_with_collector(q, collector)
    results = collector.results()
    return Ranked([(score, docnum) for score, docnum in results.top_n], len(results))


def is_term_union(q: Any) -> bool:
    """Whether ``q`` is an OR of terms, or of ORs of terms (plain words, expanded prefixes),
    as :class:`.query_compile.QueryCompiler` makes them: :func:`_run_union` runs those."""
    if type(q) is not Q.Or or q.boost != 1.0 or q.minmatch or q.scale:
        return False
    if q.matcher_type != Q.Or.AUTO_MATCHER:
        return False
    for sub in q.subqueries:
        if type(sub) is Q.Term:
            if sub.minquality:
                return False
        elif not is_term_union(sub):
            return False
    return True


def _run_union(
    searcher: Any, q: Any, limit: int, filt: Any, mask: Any, docs: bool = False
) -> Ranked:
    """What ``searcher.search(q, limit=, filter=, mask=, optimize=False)`` finds, computed
    the way Whoosh does it but a posting block at a time instead of a posting at a time.

    For an OR, Whoosh adds each subquery's score into a per-document array, in subquery
    order (its ArrayUnionMatcher; with two subqueries, a UnionMatcher: the same sum), then
    keeps the top ``limit`` in a heap. The sums here are done in the same order with the
    same operations, so scores and ranks are identical. (Above 5,000 documents per segment
    Whoosh sums through a tree of UnionMatchers instead, so a score may differ from its own
    in the last bit.) Most of the cost of these queries was the per-posting calls
    (is_active, id, score, weight, next through three matcher layers), not the arithmetic.
    """
    allow = searcher._filter_to_comb(filt)
    restrict = searcher._filter_to_comb(mask)
    items: list[tuple[float, int]] = []  # TopCollector's heap: (score, -docnum)
    total = 0
    matched = 0
    for sub, offset in searcher.leaf_searchers():
        size = int(sub.doc_count_all())
        scores = _coordinated_scores(q, sub, size) if COORDINATION else _union_scores(q, sub, size)
        if docs:  # C loops: about 0.5 ms for 5,000 documents
            matched |= _packed(bytes(map(_ZERO.__lt__, scores))) << offset
        for docnum, score in enumerate(scores):
            if score <= 0:
                continue
            global_docnum = offset + docnum
            if (allow is not None and global_docnum not in allow) or (
                restrict is not None and global_docnum in restrict
            ):
                continue
            total += 1
            if len(items) < limit:
                heapq.heappush(items, (score, -global_docnum))
            elif score > items[0][0]:
                heapq.heapreplace(items, (score, -global_docnum))
    items.sort(reverse=True)
    top = [(score, -negated) for score, negated in items]
    if not docs:
        return Ranked(top, total)
    if restrict is not None:
        matched &= ~bits_of(restrict, int(searcher.doc_count_all()))
    return Ranked(top, total, matched)


def _coordinated_scores(q: Any, searcher: Any, size: int) -> list[float]:
    """:func:`_union_scores` with the bonus for holding more of the words (COORDINATION);
    each subquery of the top OR is one word (or one OR of words, or a prefix's stems)."""
    subs = q.subqueries
    if len(subs) < 2:
        return _union_scores(q, searcher, size)
    scores = [0.0] * size
    share = [0.0] * size
    weights = [_word_weight(sub, searcher) for sub in subs]
    total = sum(weights) or 1.0
    for sub, weight in zip(subs, weights, strict=True):
        if type(sub) is Q.Term:
            part = [0.0] * size
            _add_term_scores(sub, searcher, part)
        else:
            part = _union_scores(sub, searcher, size)
        for docnum, score in enumerate(part):
            if score > 0:
                scores[docnum] += score
                share[docnum] += weight
    factor = COORDINATION / total
    return [
        score * (1.0 + factor * s) if score else 0.0 for score, s in zip(scores, share, strict=True)
    ]


def _word_weight(q: Any, searcher: Any) -> float:
    """The idf of a word's body term (its first term in any field when it has none)."""
    leaves = [q] if type(q) is Q.Term else [t for t in q.leaves() if type(t) is Q.Term]
    if not leaves:
        return 1.0
    body = [t for t in leaves if t.fieldname == "body"]
    term = (body or leaves)[0]
    return float(searcher.idf(term.fieldname, term.text))


def _union_scores(q: Any, searcher: Any, size: int) -> list[float]:
    """Per-document scores of an OR (see :func:`is_term_union`) in one leaf searcher."""
    subs = q.subqueries
    if len(subs) == 1:  # Whoosh uses the only subquery's matcher as it is
        only = subs[0]
        if type(only) is Q.Term:
            scores = [0.0] * size
            _add_term_scores(only, searcher, scores)
            return scores
        return _union_scores(only, searcher, size)
    scores = [0.0] * size
    for sub in subs:
        if type(sub) is Q.Term:
            _add_term_scores(sub, searcher, scores)
        else:
            for docnum, score in enumerate(_union_scores(sub, searcher, size)):
                if score > 0:
                    scores[docnum] += score
    return scores


def _add_term_scores(term: Any, searcher: Any, scores: list[float]) -> None:
    """``scores[doc] += score of term in doc`` for every posting of the term."""
    m = term.matcher(searcher)
    boost = 1.0
    if type(m) is _WrappingMatcher:  # the term's boost: child score * boost
        boost = float(m.boost)
        m = m.child
    if not m.is_active():
        return
    scorer = getattr(m, "scorer", None)
    if type(m) is _W3LeafMatcher and type(scorer) is _FastScorer and m._i == 0:
        factor, norms = scorer._factor, scorer._norms
        while True:
            if m._ids is None:
                m._read_ids()
            if m._weights is None:
                m._read_weights()
            for docnum, weight in zip(m._ids, m._weights, strict=True):
                # _FastScorer.score, then the WrappingMatcher's boost, as Whoosh does
                scores[docnum] += float(factor * weight / (weight + norms[docnum])) * boost
            if m._lastblock:
                return
            m._goto(m._nextoffset)
    while m.is_active():  # deleted documents (a FilterMatcher), other scorers
        scores[m.id()] += float(m.score()) * boost
        m.next()


_ZERO = 0.0
_BIT_CHARS = b"0" + b"1" * 255  # bytes.translate: a document's flag byte -> its binary digit


def _packed(flags: bytes | bytearray) -> int:
    """The bitset of a one-byte-per-document array (nonzero: set)."""
    return int(flags.translate(_BIT_CHARS)[::-1] or b"0", 2)


def bits_of(docnums: Iterable[int], size: int) -> int:
    """The bitset (bit n: document n) of ``docnums``, each in ``range(size)``."""
    flags = bytearray(size)
    deque(map(flags.__setitem__, docnums, repeat(1)), maxlen=0)
    return _packed(flags)


def term_bits(reader: Any, field: str, text: Any, size: int) -> int:
    """The bitset of a term's documents (deleted ones included: the caller masks them), its
    postings read a block at a time, like :func:`_add_term_scores`."""
    if (field, text) not in reader:
        return 0
    flags = bytearray(size)
    mark = flags.__setitem__
    for leaf, offset in reader.leaf_readers():
        if (field, text) not in leaf:
            continue
        m = leaf.postings(field, text)
        if type(m) is _FilterMatcher:  # deleted documents: the caller masks them out
            m = m.child
        if type(m) is _W3LeafMatcher and m._i == 0:
            while m.is_active():
                if m._ids is None:
                    m._read_ids()
                ids = m._ids if not offset else map(offset.__add__, m._ids)
                deque(map(mark, ids, repeat(1)), maxlen=0)
                if m._lastblock:
                    break
                m._goto(m._nextoffset)
        else:
            deque(map(mark, map(offset.__add__, m.all_ids()), repeat(1)), maxlen=0)
    return _packed(flags)


def holds(searcher: Any, q: Any, docnum: int) -> bool:
    """Whether document ``docnum`` matches ``q``. A term, or an OR of terms (a plain word in
    every field, a prefix's stems) is looked up in the postings of the segment holding the
    document only; anything else goes through Whoosh's matcher."""
    terms = _union_terms(q)
    if terms is not None:
        return _holds_a_term(searcher, terms, docnum)
    matcher = q.matcher(searcher, searcher.boolean_context())
    if matcher.is_active() and matcher.id() < docnum:
        matcher.skip_to(docnum)
    return bool(matcher.is_active() and matcher.id() == docnum)


def _union_terms(q: Any) -> list[tuple[str, Any]] | None:
    """The (field, text) of a term or an OR of terms (at any depth); None for anything else."""
    if type(q) is Q.Term:
        return [(q.fieldname, q.text)]
    if type(q) is not Q.Or:
        return None
    out: list[tuple[str, Any]] = []
    for sub in q.subqueries:
        terms = _union_terms(sub)
        if terms is None:
            return None
        out.extend(terms)
    return out


def _holds_a_term(searcher: Any, terms: list[tuple[str, Any]], docnum: int) -> bool:
    for sub, offset in searcher.leaf_searchers():
        local = docnum - offset
        if not 0 <= local < int(sub.doc_count_all()):
            continue
        reader = sub.reader()
        for field, text in terms:
            if (field, text) not in reader:
                continue
            matcher = reader.postings(field, text)
            if matcher.is_active() and matcher.id() < local:
                if type(matcher) is _W3LeafMatcher:
                    _skip_in_blocks(matcher, local)
                else:
                    matcher.skip_to(local)
            if matcher.is_active() and matcher.id() == local:
                return True
        return False
    return False


class ExpiryMask:
    """The documents whose ``expires`` is at or before a moment, from one pass over the
    field's values per searcher (Whoosh would run a numeric range query for every search):
    what ``NumericRange("expires", None, moment)`` matches."""

    def __init__(self) -> None:
        self._owner: Any = None
        self._values: list[int] = []
        self._docs: list[int] = []
        self._lock = threading.Lock()

    def mask(self, searcher: Any, moment: int) -> set[int]:
        with self._lock:
            if self._owner is not searcher:
                self._load(searcher)
            end = bisect.bisect_right(self._values, moment)
            return set(self._docs[:end])

    def _load(self, searcher: Any) -> None:
        field = searcher.schema["expires"]
        pairs: list[tuple[int, int]] = []
        for sub, offset in searcher.leaf_searchers():
            reader = sub.reader()
            for btext in field.sortable_terms(reader, "expires"):
                value = int(field.from_bytes(btext))
                pairs.extend(
                    (value, offset + d) for d in reader.postings("expires", btext).all_ids()
                )
        pairs.sort()
        self._values = [value for value, _ in pairs]
        self._docs = [doc for _, doc in pairs]
        self._owner = searcher


def idf(searcher: Any, term: str) -> float:
    """Robertson idf of a body term (weights the terms when choosing a snippet)."""
    n = int(searcher.doc_count_all()) or 1
    df = int(searcher.doc_frequency("body", term))
    return math.log(1.0 + (n - df + 0.5) / (df + 0.5))


def term_positions(
    reader: Any, docnums: Sequence[int], terms: frozenset[str]
) -> dict[int, dict[str, list[int]]]:
    """docnum → term → body token positions, for the given documents (one pass per term)."""
    out: dict[int, dict[str, list[int]]] = {}
    wanted = sorted(set(docnums))
    if not wanted:
        return out
    for term in terms:
        if ("body", term) not in reader:
            continue
        matcher = reader.postings("body", term)
        skip_to = _skip_in_blocks if type(matcher) is _W3LeafMatcher else _skip_to
        for docnum in wanted:
            if not matcher.is_active():
                break
            if matcher.id() < docnum:
                skip_to(matcher, docnum)
                if not matcher.is_active():
                    break
            if matcher.id() == docnum:
                out.setdefault(docnum, {})[term] = list(matcher.value_as("positions"))
    return out


def _skip_to(matcher: Any, docnum: int) -> None:
    matcher.skip_to(docnum)


def _skip_in_blocks(matcher: Any, docnum: int) -> None:
    """``W3LeafMatcher.skip_to``, but a binary search inside the block rather than a step
    per posting (the hits are few and far apart: most of a block lies between two)."""
    if docnum > matcher._maxid:
        while matcher.is_active() and docnum > matcher._maxid:
            matcher._next_block()
        if not matcher.is_active():
            return
    if matcher._ids is None:
        matcher._read_ids()
    matcher._i = bisect.bisect_left(matcher._ids, docnum, matcher._i, matcher._blocklength)
    if matcher._i == matcher._blocklength:  # not reached: the block's last id is >= docnum
        matcher._next_block()
