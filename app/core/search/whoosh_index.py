"""SearchIndex: the full-text index of the library, on Whoosh (imported only in this package).

The index is a cache of the library: everything in it can be rebuilt from the catalogue, so
:meth:`SearchIndex.open_or_rebuild` rebuilds it, without asking anyone, whenever it is
missing, unreadable, corrupt, locked by someone else, or built by another schema version or
another Whoosh version.

This module is the facade; read the parts one at a time:

- :mod:`.schema`: the fields, the analyzers, the fields of one item;
- :mod:`.folder`: the index folder (``CURRENT`` and ``ix-<hex>`` folders), open, build, swap;
- :mod:`.query_syntax` then :mod:`.query_compile`: what the user typed, as Whoosh queries;
- :mod:`.search_run`: one search (its filters, expiry mask, hits, count, weak check);
- :mod:`.ranking`: scoring and counting (the only module touching Whoosh internals);
- :mod:`.snippets`: each hit's snippet and page; :mod:`.suggest`: typo corrections;
- :mod:`.adoption` and :mod:`.shipped_segments`: the publisher's shipped index.

Threads: every public method may be called from any thread. Searches are serialised by an
internal lock (one Whoosh searcher, reused between commits and replaced after each one;
Whoosh searchers are not safe for concurrent use). The text_loader is called from the
searching thread, under that lock, for the returned hits only. Writes (upsert, delete,
rebuild) are expected to be serialised by the caller, and are also serialised here by a
second lock; a search waits for a write only while the searcher is swapped, not while
documents are being analysed.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

import whoosh.index as _index_mod
import whoosh.query as _query_mod

from app.core.extract.types import Segment

from . import ranking
from .adoption import ShippedSegmentSpec, assemble, read_map
from .facets import FacetCounter
from .folder import (
    CURRENT,
    MARKER,
    IndexFolder,
    Opened,
    PreparedIndex,
    close_quietly,
    current_dir,
)
from .postings import PostingsCache
from .query_compile import QueryCompiler
from .safe_pickle import install as _install_safe_pickle
from .schema import (
    SCHEMA_VERSION,
    VOCABULARY_ID_PREFIX,
    Vocabulary,
    body_terms,
    doc_fields,
    marker,
    micros,
    schema,
)
from .search_run import SearchRun
from .segments import BuiltSegment, build_segment
from .shipped_format import ShippedIndexError
from .shipped_format import decode as decode_shipped
from .shipped_format import encode as encode_shipped
from .shipped_segments import export_segment, value_kind
from .snippets import HitMaker
from .suggest import Corrector
from .types import FacetCounts, Hit, IndexDoc, SearchResults

__all__ = [
    "CURRENT",
    "MARKER",
    "SCHEMA_VERSION",
    "Hit",
    "IndexDoc",
    "PreparedIndex",
    "SearchIndex",
    "SearchResults",
    "body_terms",
]

# Whoosh reads segment files through an unpickler that builds plain data only.
_install_safe_pickle()

windex: Any = _index_mod
Q: Any = _query_mod


class SearchIndex:
    """The library's full-text index. See the module docstring for files and threads.

    ``text_loader(id)`` returns an item's segments: the body text is not stored in the index,
    so snippets and locations are built from it, for the returned hits only.
    """

    def __init__(
        self,
        index_dir: Path,
        text_loader: Callable[[str], Sequence[Segment]],
        *,
        lock_timeout: float = 2.0,
    ) -> None:
        self._root = Path(index_dir)
        self._lock_timeout = lock_timeout
        self._lock = threading.RLock()  # the searcher and the open index
        self._write_lock = threading.RLock()  # writers, rebuilds
        self._schema: Any = schema()
        self._norms = ranking.NormCache()
        self._postings = PostingsCache()  # decoded postings, by segment: see postings.py
        self._folder = IndexFolder(self._root, self._schema, self._new_searcher, lock_timeout)
        self._compiler = QueryCompiler(self._schema)
        self._hit_maker = HitMaker(text_loader, self._compiler)
        self._corrector = Corrector(self._compiler)
        self._facets = FacetCounter()
        self._expiry = ranking.ExpiryMask()
        self._ix: Any = None
        self._searcher: Any = None
        self._dir: Path | None = None
        self._all_docs: Callable[[], Iterable[IndexDoc]] | None = None

    # ----------------------------------------------------------------- lifecycle

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the searcher and the index. Safe to call twice."""
        with self._write_lock, self._lock:
            self._close_open()

    def drop_caches(self) -> None:
        """Forget the decoded postings (the next searches decode what they read again):
        for measuring a search as the first one to read its words."""
        self._postings.clear()

    @property
    def directory(self) -> Path | None:
        """The live Whoosh folder (for diagnostics)."""
        return self._dir

    def open_or_rebuild(self, all_docs: Callable[[], Iterable[IndexDoc]]) -> bool:
        """Open the index, or rebuild it from ``all_docs()``. Returns True when it rebuilt.

        Rebuilds when the index is missing, unreadable, corrupt, of another schema or Whoosh
        version, or when its write lock stays held (by another process) for ``lock_timeout``
        seconds: the rebuild then goes into a fresh folder that replaces it.
        """
        with self._write_lock:
            self._all_docs = all_docs
            with self._lock:
                self._close_open()
            opened = self._folder.open_live()
            if opened is not None:
                self._install(opened)
                return False
            self._rebuild(all_docs)
            return True

    def rebuild(self, all_docs: Callable[[], Iterable[IndexDoc]] | None = None) -> None:
        """Rebuild the whole index into a fresh folder and switch to it."""
        with self._write_lock:
            source = all_docs or self._all_docs
            if source is None:
                raise RuntimeError("rebuild needs all_docs (or a prior open_or_rebuild)")
            self._all_docs = source
            self._rebuild(source)

    def doc_count(self) -> int:
        """Items in the index (expired ones included)."""
        with self._lock:
            searcher = self._require_searcher()
            vocabularies = sum(1 for _ in searcher.reader().iter_prefix("id", VOCABULARY_ID_PREFIX))
            return int(searcher.doc_count()) - vocabularies

    def _rebuild(self, all_docs: Callable[[], Iterable[IndexDoc]]) -> None:
        opened = self._folder.build(all_docs)
        self._folder.swap(opened.path)
        self._install(opened)

    def _install(self, opened: Opened) -> None:
        """Make ``opened`` the index searched here (already named by ``CURRENT``)."""
        with self._lock:
            self._close_open()
            self._ix, self._searcher, self._dir = opened
            self._compiler.forget_prefixes()
            self._postings.clear()
        self._folder.remove_stale(self._dir)

    def _close_open(self) -> None:
        searcher, ix = self._searcher, self._ix
        self._searcher = self._ix = self._dir = None
        close_quietly(searcher, ix)

    def _new_searcher(self, ix: Any) -> Any:
        return ranking.new_searcher(ix, self._norms, self._postings)

    def _require_searcher(self) -> Any:
        if self._searcher is None:
            raise RuntimeError("the search index is not open: call open_or_rebuild first")
        return self._searcher

    # ------------------------------------------------------------------- writing

    def upsert(self, docs: Iterable[IndexDoc]) -> None:
        """Add or replace items (by id). One commit for the batch; nothing on failure."""
        latest: dict[str, IndexDoc] = {}
        for doc in docs:  # update_document does not see documents buffered in the same writer
            latest.pop(doc.id, None)
            latest[doc.id] = doc
        if not latest:
            return

        def write(writer: Any) -> None:
            vocabulary = Vocabulary()
            for doc in latest.values():
                writer.update_document(**doc_fields(doc))
                vocabulary.add(doc)
            if (extra := vocabulary.document()) is not None:
                writer.add_document(**extra)

        self._write(write)

    def delete(self, ids: Iterable[str]) -> None:
        """Remove items by id (unknown ids are ignored). One commit; nothing on failure."""
        wanted = list(dict.fromkeys(ids))
        if not wanted:
            return

        def write(writer: Any) -> None:
            for doc_id in wanted:
                writer.delete_by_term("id", doc_id)

        self._write(write)

    def _write(self, work: Callable[[Any], None]) -> None:
        with self._write_lock:
            ix = self._ix
            if ix is None:
                raise RuntimeError("the search index is not open: call open_or_rebuild first")
            try:
                writer = ix.writer(timeout=self._lock_timeout, delay=0.05)
            except windex.LockError:
                # Another process holds the lock: the index is a cache, so rebuild it into a
                # fresh folder from the catalogue (which already holds these changes).
                if self._all_docs is None:
                    raise
                self._rebuild(self._all_docs)
                return
            try:
                work(writer)
            except BaseException:
                writer.cancel()
                raise
            writer.commit()
            self._refresh()

    def _refresh(self) -> None:
        # A new searcher, not Searcher.refresh(): in whoosh-reloaded 2.7.5 and whoosh3 3.54,
        # refresh() reuses segment readers by segment id and so keeps their old deletion
        # sets (an updated item is then found twice).
        fresh = self._new_searcher(self._ix)
        with self._lock:
            old, self._searcher = self._searcher, fresh
            self._compiler.forget_prefixes()
        if old is not None:
            with self._lock:
                old.close()

    # ----------------------------------------------------------------- shipping

    @staticmethod
    def compatibility() -> dict[str, object]:
        """What shipped segments must have been built with for this code to adopt them."""
        return marker()

    @staticmethod
    def build_segment(docs: Iterable[IndexDoc], folder: Path) -> BuiltSegment:
        """Index ``docs`` as one segment in a new ``folder`` (the publisher's side)."""
        vocabulary = Vocabulary()

        def fields_of(doc: IndexDoc) -> dict[str, object]:
            vocabulary.add(doc)
            return doc_fields(doc)

        return build_segment(schema(), docs, fields_of, folder, vocabulary.document)

    @staticmethod
    def shipped_files(root: Path) -> set[str]:
        """Hashes of the shipped files the live index in ``root`` was written from."""
        live = current_dir(root)
        return set() if live is None else set(read_map(live))

    @staticmethod
    def export_segment(folder: Path) -> bytes:
        """The shipped-format file of the segment :meth:`build_segment` wrote in ``folder``."""
        return encode_shipped(export_segment(folder, schema()))

    @staticmethod
    def check_shipped(data: bytes, count: int) -> bool:
        """Whether ``data`` is a well-formed shipped segment of ``count`` documents."""
        try:
            shipped = decode_shipped(data, max_docs=count, field_kind=value_kind(schema()))
        except ShippedIndexError:
            return False
        return shipped.doc_count == count

    def adopt(
        self,
        segments: Sequence[ShippedSegmentSpec],
        files: Mapping[str, Path],
        docs_of: Callable[[Sequence[str]], Iterable[IndexDoc]],
    ) -> None:
        """Make an index of the publisher's shipped ``segments`` the live index
        (:meth:`prepare_adoption`, then :meth:`commit_adoption`)."""
        self.commit_adoption(self.prepare_adoption(segments, files, docs_of))

    def prepare_adoption(
        self,
        segments: Sequence[ShippedSegmentSpec],
        files: Mapping[str, Path],
        docs_of: Callable[[Sequence[str]], Iterable[IndexDoc]],
        *,
        workers: int | None = None,
    ) -> PreparedIndex:
        """Write an index of the publisher's shipped ``segments`` into a fresh ``ix-<hex>``
        folder that is not live yet (a sync does this while it downloads content).

        ``files`` maps each shipped file's sha256 to its verified local copy; ``docs_of(ids)``
        gives the catalog's documents (text not needed) for the stored fields. The rep writes
        every segment itself (reusing the ones it wrote for an earlier manifest; large ones in
        at most ``workers`` child processes at once, by default one per CPU). The folder's
        write lock is held until :meth:`commit_adoption` or :meth:`PreparedIndex.discard`, so
        no process removes it as stale meanwhile. When a file fails a check, ValueError
        (ShippedIndexError is one) is raised and nothing is left behind.
        """

        def fields_of(ids: Sequence[str]) -> dict[str, dict[str, object]]:
            return {doc.id: doc_fields(doc) for doc in docs_of(ids)}

        prepared = self._folder.prepare()
        try:
            live = self._folder.live_dir()
            assemble(self._schema, prepared.path, live, segments, files, fields_of, workers=workers)
            self._folder.write_marker(prepared.path)
        except BaseException:
            prepared.discard()
            raise
        return prepared

    def commit_adoption(self, prepared: PreparedIndex) -> None:
        """Make a prepared index the live one, atomically; if it does not open and read as
        an index, nothing changes, the folder is removed and ValueError is raised."""
        with self._write_lock:
            opened = self._folder.open_prepared(prepared)
            self._folder.swap(opened.path)
            self._install(opened)

    # ------------------------------------------------------------------ searching

    def search(
        self,
        query: str,
        *,
        limit: int = 20,
        filters: Mapping[str, str | Sequence[str]] | None = None,
        now: datetime | None = None,
        prefix_last: bool = False,
        correct: bool = True,
        facets: bool = False,
        within: Collection[str] | None = None,
        snippets: int | None = None,
    ) -> SearchResults:
        """Search; never raises on a malformed query (it is then read as plain words).

        Typos: every word the index does not know is replaced by the closest known word
        (a word the index does not know matches nothing, so it cannot be what the rep
        meant). When that correction finds something (and ``correct`` is true), the results
        are the correction's and ``corrected`` names it ("Showing results for X. Search
        instead for Y"), also when other words of the query as typed found something
        (``alarm fatige``); with ``correct`` false (the query as typed, on request), a
        correction that finds at least as much is offered as ``suggestion`` ("Did you mean
        X?"). With ``prefix_last``, the last word is corrected only when no indexed word
        starts with it. The CLI and the app both show what this returns: neither retries
        on its own.

        Syntax: plain words (any may match, items matching more rank higher), "phrases",
        ``a OR b``, ``NOT a`` / ``-a``, ``+a`` (required), ``pric*`` (prefix), ``field:value``
        with ``title``, ``description``, ``body``, ``filename``, ``type``/``kind``,
        ``product``, ``segment``, ``stage``, ``persona``, ``region``, ``tag``. Case and
        accents do not matter; words are stemmed (pricing finds priced).

        ``filters``: field → value or values; fields are ``type``/``kind`` and any tag kind.
        AND across fields, OR within one. Items with ``expires_at <= now`` are never returned
        (``now`` defaults to the current time). An empty query lists the items that pass the
        filters, by title. ``prefix_last``: the last word, when not followed by a space, also
        matches as a prefix (search as you type). ``facets``: the results carry the facet
        counts (:mod:`.facets`) of the query they are for, within the items ``within``.
        ``snippets``: how many of the hits, best first, get a snippet and a location (the
        costly part of a search; None: all); the others have an empty snippet.
        """
        limit = max(1, int(limit))
        moment = now or datetime.now(UTC)
        with self._lock:
            run = SearchRun(
                (self._compiler, self._hit_maker, self._expiry),
                self._require_searcher(),
                limit,
                filters,
                moment,
                prefix_last,
            )
            run.want_docs = facets
            run.snippets = snippets
            results = self._answer(run, query, correct)
            if not facets:
                return results
            shown = run.seen.get((results.corrected or query).strip())
            counts = self._facets.count(
                run.searcher,
                None if shown is None else shown[0],
                mask=run._mask,
                filters=filters,
                within=within,
                docs=None if shown is None else shown[1],
            )
            return dataclasses.replace(results, facets=counts)

    def facet_counts(
        self,
        *,
        filters: Mapping[str, str | Sequence[str]] | None = None,
        now: datetime | None = None,
        within: Collection[str] | None = None,
    ) -> FacetCounts:
        """The facet counts (:mod:`.facets`) of every unexpired item, within the items
        ``within`` (None: all); ``search(facets=True)`` counts a query's results."""
        mask = Q.NumericRange("expires", None, micros(now or datetime.now(UTC)))
        with self._lock:
            searcher = self._require_searcher()
            return self._facets.count(searcher, None, mask=mask, filters=filters, within=within)

    def _answer(self, run: SearchRun, query: str, correct: bool) -> SearchResults:
        if not query.strip():
            return run.list_all()
        hits, total, weak = run.query(query)
        correction = self._corrector.correction(run.searcher, query, run.prefix_last)
        if correction is None:
            return SearchResults(hits, total, suggestion=None, weak=weak)
        if correct:
            fixed, found, fixed_weak = run.query(correction)
            if found:
                return SearchResults(
                    fixed, found, suggestion=None, corrected=correction, weak=fixed_weak
                )
            return SearchResults(hits, total, suggestion=None, weak=weak)
        found = run.count(correction)
        suggestion = correction if found and found >= total else None
        return SearchResults(hits, total, suggestion=suggestion, weak=weak)
