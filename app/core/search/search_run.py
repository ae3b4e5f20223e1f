"""One search's run: its searcher, filters, expiry mask and options, and the queries it
answers (ranked hits, a count, whether the best hit is weak). :class:`.SearchIndex` makes one
per search, under the index's lock."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from . import query_syntax, ranking
from .query_compile import (
    NOTHING,
    Q,
    QueryCompiler,
    filter_query,
    query_words,
    with_last_prefix,
)
from .schema import micros
from .snippets import HitMaker
from .types import Hit, SearchResults


class SearchRun:
    """One search's searcher, filter, mask and options (under the index's lock)."""

    def __init__(
        self,
        parts: tuple[QueryCompiler, HitMaker, ranking.ExpiryMask],
        searcher: Any,
        limit: int,
        filters: Mapping[str, str | Sequence[str]] | None,
        now: datetime,
        prefix_last: bool,
    ) -> None:
        self.searcher = searcher
        self._compiler, self._hit_maker, expiry = parts
        self._limit = limit
        self._filter = filter_query(filters)
        # items with expires <= now: NumericRange("expires", None, now), from a table
        self._mask = expiry.mask(searcher, micros(now))
        self.prefix_last = prefix_last
        self.snippets: int | None = None  # hits with a snippet (None: all)
        self.want_docs = False  # keep each query's documents (for the facet counts)
        #: query as run (stripped) -> (its compiled query, its documents when known)
        self.seen: dict[str, tuple[Any, int | None]] = {}

    def list_all(self) -> SearchResults:
        """Every item that passes the filters, by title."""
        results = self.searcher.search(
            Q.Every(),
            limit=self._limit,
            filter=self._filter,
            mask=self._mask,
            sortedby="title_sort",
        )
        hits = [self._hit_maker.listed(hit.fields()) for hit in results]
        return SearchResults(hits=hits, total=len(results), suggestion=None)

    def query(self, query: str) -> tuple[list[Hit], int, bool]:
        """(hits, total, whether the best hit holds fewer than half of the query's words)."""
        searcher = self.searcher
        parsed = self._compiler.parse(searcher, query, prefix_last=self.prefix_last)
        results: ranking.Ranked | None = None
        if parsed is not None:
            try:
                results = self._rank(parsed, self._limit, docs=self.want_docs)
            except Exception:  # a query Whoosh cannot run: read it as plain words
                parsed = self._compiler.parse_plain(searcher, query)
                results = None if parsed is None else self._rank(parsed, self._limit)
        self.seen[query.strip()] = (
            NOTHING if parsed is None else parsed,
            0 if results is None else results.docs,
        )
        if results is None or parsed is None:
            return [], 0, False
        hits = self._hit_maker.hits(searcher, results, parsed, query, self.snippets)
        typed = query
        if self.prefix_last and with_last_prefix(query) != query:
            typed = query + "*"
        weak = bool(results.top) and self._is_weak(typed, results.top[0][1])
        return hits, len(results), weak

    def count(self, query: str) -> int:
        """How many items ``query`` finds (0 when it cannot run)."""
        parsed = self._compiler.parse(self.searcher, query, prefix_last=self.prefix_last)
        if parsed is None:
            return 0
        try:
            return len(self._rank(parsed, 1))
        except Exception:
            return 0

    def _rank(self, parsed: Any, limit: int, *, docs: bool = False) -> ranking.Ranked:
        return ranking.run(self.searcher, parsed, limit, self._filter, self._mask, docs=docs)

    def _is_weak(self, query: str, docnum: int) -> bool:
        """Whether document ``docnum`` holds fewer than half of the query's words: the words
        as typed that are not excluded, not stop words and not ``type:`` filters, each
        phrase word on its own; a prefix is one word, held when any of its completions is
        (one that nothing starts with is a word no item holds)."""
        count = held = 0
        for word in dict.fromkeys(query_words(query_syntax.parse(query))):
            q = self._compiler.compile(self.searcher, word)
            if q is None:
                continue  # a stop word
            count += 1
            held += ranking.holds(self.searcher, q, docnum)
        return 2 * held < count
