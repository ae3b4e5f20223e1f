"""Ranking: BM25F with our k1 and b, the coordination bonus, and the fast paths.

With :mod:`.postings` (decoded postings, cached) and :mod:`.union_rank` (plain words
scored on arrays), this is where the search reaches into Whoosh's internals (matcher
blocks, scorer attributes, the searcher's filter sets): everything here gives exactly what
Whoosh's own scoring gives (``tests/test_search_fast_paths.py`` compares them), only faster.

Plain words are OR-ed and ranked by the BM25F sum: any word may match, and items matching
more of the words rank higher through the sum itself (each word's score saturates with tf)
and a small idf-weighted coordination bonus (COORDINATION). No proximity bonus: it lowered
MAP on the Cranfield collection (tests/test_relevance.py; README, "Relevance"), as did k1
1.2 against 1.6.
"""

from __future__ import annotations

import bisect
import math
import threading
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import whoosh.query as _query_mod
import whoosh.scoring as _scoring_mod

from .postings import PostingsCache, positions_in
from .union_rank import UnionScorer, bitset, is_term_union, run_union

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

BM25_K1 = 1.6
BM25_B = 0.75
#: Plain words (an OR of words): a document's score is multiplied by 1 + COORDINATION x the
#: share of the query's words it holds, each word weighted by its idf. Small: on Cranfield's
#: long questions it costs 0.0005 MAP, but with two or three words it is what puts the deck
#: that has all of them above one that repeats one of them ("quick brown fox").
COORDINATION = 0.25


def new_searcher(ix: Any, norms: NormCache, postings: PostingsCache | None = None) -> Any:
    """A searcher of ``ix`` scoring with our BM25F (length norms from ``norms``), plain
    words scored from ``postings`` (a cache of its own when not given)."""
    weighting = _FastBM25F(norms, postings or PostingsCache(), B=BM25_B, K1=BM25_K1)
    return ix.searcher(weighting=weighting)


def postings_of(searcher: Any) -> PostingsCache:
    """The postings cache of a searcher made by :func:`new_searcher` (else a new one)."""
    found = getattr(searcher.weighting, "postings", None)
    return found if isinstance(found, PostingsCache) else PostingsCache()


class _FastBM25F(scoring.BM25F):  # type: ignore[misc]
    """Whoosh's BM25F, scored from a per-segment table of length norms.

    Same formula and numbers as ``BM25F`` (field lengths as Whoosh stores them); the stock
    scorer reads each document's field length from the column store for every posting,
    which is most of the cost of an OR query over common words.
    """

    def __init__(self, norms: NormCache, postings: PostingsCache, **kwargs: float) -> None:
        super().__init__(**kwargs)
        self._norms = norms
        self.postings = postings

    def scorer(self, searcher: Any, fieldname: str, text: str, qf: int = 1) -> Any:
        base = super().scorer(searcher, fieldname, text, qf=qf)
        if not isinstance(base, scoring.BM25FScorer):
            return base
        norms = self._norms.get(searcher, fieldname, base)
        return base if norms is None else _FastScorer(base, *norms)


class _FastScorer(scoring.BaseScorer):  # type: ignore[misc]
    """``factor * weight / (weight + norm)`` per posting; ``factor`` and ``norm_array``
    are what :mod:`.union_rank` computes with on whole arrays."""

    def __init__(self, base: Any, norms: list[float], norm_array: npt.NDArray[np.float64]) -> None:
        self._base = base
        self._norms = norms
        self.norm_array = norm_array
        self._factor = float(base.idf) * (float(base.K1) + 1.0)
        self.factor = self._factor

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
        self._tables: dict[
            tuple[str, str, float, float, float], tuple[list[float], npt.NDArray[np.float64]]
        ] = {}
        self._lock = threading.Lock()

    def get(
        self, searcher: Any, fieldname: str, base: Any
    ) -> tuple[list[float], npt.NDArray[np.float64]] | None:
        """The norms of one segment's field, as a list and as an array."""
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
            norms = [
                k1 * ((1.0 - b) + b * float(length(d, fieldname, 1) or 0) / avgfl)
                for d in range(int(reader.doc_count_all()))
            ]
            table = (norms, np.array(norms, dtype=np.float64))
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
        scorer = UnionScorer(postings_of(searcher), COORDINATION)
        filters = (searcher._filter_to_comb(filt), searcher._filter_to_comb(mask))
        top, total, matched = run_union(searcher, q, limit, filters, scorer, docs)
        return Ranked(top, total, matched)
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


def bits_of(docnums: Iterable[int], size: int) -> int:
    """The bitset (bit n: document n) of ``docnums``, each in ``range(size)``."""
    flags = np.zeros(size, dtype=bool)
    flags[np.fromiter(docnums, dtype=np.int64)] = True
    return bitset(flags)


def term_bits(
    reader: Any, field: str, text: Any, size: int, postings: PostingsCache | None = None
) -> int:
    """The bitset of a term's documents (deleted ones included: the caller masks them)."""
    if (field, text) not in reader:
        return 0
    cache = postings or PostingsCache()
    flags = np.zeros(size, dtype=bool)
    for leaf, offset in reader.leaf_readers():
        found = cache.get(leaf, field, text)
        if found is not None:
            flags[found.ids + offset] = True
    return bitset(flags)


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
    cache = postings_of(searcher)
    for sub, offset in searcher.leaf_searchers():
        local = docnum - offset
        if not 0 <= local < int(sub.doc_count_all()):
            continue
        reader = sub.reader()
        if local in getattr(reader, "deleted_docs_set", frozenset()):
            return False
        for field, text in terms:
            if field not in reader.schema:
                continue
            found = cache.get(reader, field, text)
            if found is not None and found.index_of(local) is not None:
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
    reader: Any,
    docnums: Sequence[int],
    terms: frozenset[str],
    postings: PostingsCache | None = None,
) -> dict[int, dict[str, list[int]]]:
    """docnum → term → body token positions, for the given documents."""
    out: dict[int, dict[str, list[int]]] = {}
    wanted = sorted(set(docnums))
    if not wanted:
        return out
    cache = postings or PostingsCache()
    leaves = reader.leaf_readers()
    field = reader.schema["body"]
    for term in terms:
        if ("body", term) not in reader:
            continue
        for docnum, positions in positions_in(cache, leaves, field.to_bytes(term), wanted).items():
            out.setdefault(docnum, {})[term] = positions
    return out
