"""Ranking an OR of words (plain words, expanded prefixes) with numpy, from cached postings.

:func:`run_union` finds what ``searcher.search(q, limit=, filter=, mask=, optimize=False)``
finds for such a query, with the same scores and order, and :func:`.ranking.run` sends every
query of that shape here. Whoosh adds each subquery's score into a per-document array, in
subquery order (its ArrayUnionMatcher; with two subqueries a UnionMatcher: the same sum),
then keeps the top ``limit`` in a heap, ties to the lower document number. Here each term's
contribution ``factor * w / (w + norm[d]) * boost`` is the same IEEE arithmetic on whole
arrays (from :mod:`.postings`, decoded once per term and segment), summed in the same
order, so scores and ranks are identical (``tests/test_search_fast_paths.py``); above 5,000
documents per segment Whoosh sums through a tree of UnionMatchers instead, so a score may
differ from its own in the last bit.

Plain words also get the coordination bonus (:data:`.ranking.COORDINATION`): a document's
score times 1 + COORDINATION x the idf-weighted share of the query's words it holds.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import whoosh.query as _query_mod

from .postings import PostingsCache, deleted_mask

__all__ = ["is_term_union", "run_union"]

Q: Any = _query_mod
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


def is_term_union(q: Any) -> bool:
    """Whether ``q`` is an OR of terms, or of ORs of terms (plain words, expanded prefixes),
    as :class:`.query_compile.QueryCompiler` makes them: :func:`run_union` runs those."""
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


class UnionScorer:
    """Scores of a term union in one leaf searcher, from ``postings`` (see the module
    docstring); ``coordination``: the bonus for holding more of the words (0: none)."""

    def __init__(self, postings: PostingsCache, coordination: float) -> None:
        self._postings = postings
        self._coordination = coordination

    def leaf_scores(self, q: Any, sub: Any) -> FloatArray:
        """Each document's score in leaf searcher ``sub`` (0 for deleted documents)."""
        size = int(sub.doc_count_all())
        if self._coordination:
            scores = self._coordinated(q, sub, size)
        else:
            scores = self._union(q, sub, size)
        deleted = deleted_mask(sub.reader(), size)
        if deleted is not None:
            scores[deleted] = 0.0
        return scores

    def _coordinated(self, q: Any, sub: Any, size: int) -> FloatArray:
        """Each subquery of the top OR is one word (or one OR of words, or a prefix's stems)."""
        subs = q.subqueries
        if len(subs) < 2:
            return self._union(q, sub, size)
        scores = np.zeros(size)
        share = np.zeros(size)
        weights = [_word_weight(s, sub) for s in subs]
        total = sum(weights) or 1.0
        for s, weight in zip(subs, weights, strict=True):
            part = self._term(s, sub, size) if type(s) is Q.Term else self._union(s, sub, size)
            held = part > 0
            scores[held] += part[held]
            share[held] += weight
        factor = self._coordination / total
        return scores * (1.0 + factor * share)

    def _union(self, q: Any, sub: Any, size: int) -> FloatArray:
        subs = q.subqueries
        if len(subs) == 1:  # Whoosh uses the only subquery's matcher as it is
            only = subs[0]
            if type(only) is Q.Term:
                return self._term(only, sub, size)
            return self._union(only, sub, size)
        scores = np.zeros(size)
        for s in subs:
            if type(s) is Q.Term:
                self._add_term(s, sub, scores)
            else:
                part = self._union(s, sub, size)
                held = part > 0
                scores[held] += part[held]
        return scores

    def _term(self, term: Any, sub: Any, size: int) -> FloatArray:
        scores = np.zeros(size)
        self._add_term(term, sub, scores)
        return scores

    def _add_term(self, term: Any, sub: Any, scores: FloatArray) -> None:
        """``scores[d] += score of term in d`` for every posting (what the term's matcher
        with its scorer and boost gives, deleted documents included: the caller zeroes
        them)."""
        if term.fieldname not in sub.schema:
            return
        field = sub.schema[term.fieldname]
        try:
            btext = field.to_bytes(term.text)
        except ValueError:
            return
        reader = sub.reader()
        found = self._postings.get(reader, term.fieldname, btext)
        if found is None or not len(found.ids):
            return
        scorer = sub.weighting.scorer(sub, term.fieldname, btext)
        factor = getattr(scorer, "factor", None)
        norms = getattr(scorer, "norm_array", None)
        if factor is None or norms is None:  # another scorer: Whoosh's matcher, one by one
            _add_term_slowly(term, sub, scores)
            return
        weights = found.weights.astype(np.float64)  # as Whoosh reads them: exact
        part = factor * weights / (weights + norms[found.ids])
        if term.boost != 1.0:
            part = part * float(term.boost)
        scores[found.ids] += part


def _add_term_slowly(term: Any, sub: Any, scores: FloatArray) -> None:
    m = term.matcher(sub)
    while m.is_active():
        scores[m.id()] += float(m.score())
        m.next()


def _word_weight(q: Any, searcher: Any) -> float:
    """The idf of a word's body term (its first term in any field when it has none)."""
    leaves = [q] if type(q) is Q.Term else [t for t in q.leaves() if type(t) is Q.Term]
    if not leaves:
        return 1.0
    body = [t for t in leaves if t.fieldname == "body"]
    term = (body or leaves)[0]
    return float(searcher.idf(term.fieldname, term.text))


def _members(docs: Any, offset: int, size: int) -> BoolArray:
    """True for the documents of leaf ``[offset, offset + size)`` in the set ``docs``."""
    found = np.fromiter(docs, dtype=np.int64)
    found = found[(found >= offset) & (found < offset + size)] - offset
    mask = np.zeros(size, dtype=bool)
    mask[found] = True
    return mask


def bitset(flags: BoolArray) -> int:
    """The bitset (bit n: element n is true) of a boolean array."""
    return int.from_bytes(np.packbits(flags, bitorder="little").tobytes(), "little")


def run_union(
    searcher: Any,
    q: Any,
    limit: int,
    filters: tuple[Any, Any],
    scorer: UnionScorer,
    docs: bool = False,
) -> tuple[list[tuple[float, int]], int, int | None]:
    """(top ``limit`` (score, docnum) best first, number of matches, and when ``docs``
    the bitset of the matching documents before ``allow`` (``restrict`` applied))
    for ``filters`` = (allow, restrict): Whoosh's filter and mask as sets."""
    allow, restrict = filters
    found_docs: list[npt.NDArray[np.int64]] = []
    found_scores: list[FloatArray] = []
    matched = 0
    for sub, offset in searcher.leaf_searchers():
        scores = scorer.leaf_scores(q, sub)
        size = len(scores)
        keep = scores > 0
        if restrict is not None and restrict:
            keep &= ~_members(restrict, offset, size)
        if docs:
            matched |= bitset(keep) << offset
        if allow is not None:
            keep &= _members(allow, offset, size)
        local = np.flatnonzero(keep)
        found_docs.append(local + offset)
        found_scores.append(scores[local])
    all_docs = np.concatenate(found_docs) if found_docs else np.zeros(0, np.int64)
    all_scores = np.concatenate(found_scores) if found_scores else np.zeros(0)
    order = np.lexsort((all_docs, -all_scores))[:limit]
    top = [(float(all_scores[i]), int(all_docs[i])) for i in order]
    return top, len(all_docs), matched if docs else None
