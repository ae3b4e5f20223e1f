"""The library's search index: a cache of its database, kept up to date by a pending list.

:class:`LibraryIndex` is the part of :class:`~app.core.library.Library` that owns the index
and its bookkeeping - the ids a sync's switch queued (in its own transaction, so the index
catches up even after a crash), the shipped index adopted or refused, rebuilding a damaged
index - so no other module reads or writes those keys.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.core.errors import SatchelError, SearchIndexError
from app.core.models import Item, Meta
from app.core.paths import LibraryPaths

if TYPE_CHECKING:  # the search index loads on first use, not with the library: a sync with
    # nothing to do never needs it
    from app.core.extract.types import Segment
    from app.core.search import (
        FacetCounts,
        IndexDoc,
        PreparedIndex,
        SearchIndex,
        SearchResults,
        ShippedSegmentSpec,
    )

log = logging.getLogger("app.core.library")
_T = TypeVar("_T")
INDEX_PENDING_KEY = "index_pending"
#: The shipped index manifest adopted last, and one refused (not retried every sync).
INDEX_MANIFEST_KEY = "index_manifest"
INDEX_REFUSED_KEY = "index_manifest_refused"


class LibraryIndex:
    """The search index of a :class:`~app.core.library.Library` (see the module docstring)."""

    paths: LibraryPaths
    sessions: sessionmaker[Session]
    _index: SearchIndex | None
    _index_repaired: bool  # opening found the index damaged and rebuilt it

    # provided by Library
    def meta(self, key: str) -> str | None:
        raise NotImplementedError

    def set_meta(self, key: str, value: str) -> None:
        raise NotImplementedError

    def segments(self, item_id: str) -> Sequence[Segment]:
        raise NotImplementedError

    def expiry_now(self) -> datetime:
        raise NotImplementedError

    def index_docs(self, ids: Iterable[str] | None = None) -> Iterator[IndexDoc]:
        from app.core.search import index_doc_of

        wanted = None if ids is None else set(ids)
        with self.sessions() as s:
            rows = s.scalars(select(Item).where(Item.status == "current")).all()
        for item in rows:
            if wanted is not None and item.id not in wanted:
                continue
            yield index_doc_of(item, self.segments(item.id))

    @property
    def index(self) -> SearchIndex:
        """The search index, opened (and rebuilt from the database if needed) on first use."""
        if self._index is None:
            from app.core.search import SearchIndex

            index = SearchIndex(self.paths.index_dir, self.segments)
            looked_usable = self._index_looks_usable()
            rebuilt = index.open_or_rebuild(lambda: self.index_docs())
            self._index = index
            if rebuilt:
                self.set_meta(INDEX_PENDING_KEY, "[]")
                if looked_usable:  # a live index of this version that did not open: damage
                    log.warning("the search index was damaged; rebuilt it from the library")
                    self._index_repaired = True
            else:
                self.apply_index_pending()
        return self._index

    def prepare_shipped_index(
        self,
        segments: Sequence[ShippedSegmentSpec],
        files: Mapping[str, Path],
        docs: Iterable[IndexDoc],
        *,
        workers: int | None = None,
    ) -> PreparedIndex:
        """Write the publisher's shipped index (segments of verified local files) into a
        new index folder, not live yet; ``docs`` are the catalog's documents (no text) for
        the stored fields. May run on another thread while a sync downloads content. Raises
        ValueError when a file fails its checks."""
        from app.core.search import SearchIndex

        by_id = {doc.id: doc for doc in docs}
        index = SearchIndex(self.paths.index_dir, self.segments)
        try:
            return index.prepare_adoption(
                segments, files, lambda ids: (by_id[i] for i in ids if i in by_id), workers=workers
            )
        finally:
            index.close()

    def adopt_prepared_index(self, prepared: PreparedIndex, manifest_sha: str) -> None:
        """Make a prepared shipped index this library's index. It indexes exactly the
        switched catalog, so nothing stays pending."""
        if self._index is not None:
            self._index.close()
            self._index = None
        from app.core.search import SearchIndex

        index = SearchIndex(self.paths.index_dir, self.segments)
        try:
            index.commit_adoption(prepared)
        finally:
            index.close()
        self.set_meta(INDEX_PENDING_KEY, "[]")
        self.set_meta(INDEX_MANIFEST_KEY, manifest_sha)

    def adopt_index(
        self,
        segments: Sequence[ShippedSegmentSpec],
        files: Mapping[str, Path],
        manifest_sha: str,
    ) -> None:
        """Prepare and adopt the shipped index in one step, stored fields from the database."""
        from app.core.search import index_doc_of

        with self.sessions() as s:
            rows = s.scalars(select(Item).where(Item.status == "current")).all()
        docs = [index_doc_of(item, ()) for item in rows]
        self.adopt_prepared_index(self.prepare_shipped_index(segments, files, docs), manifest_sha)

    def shipped_index_seen(self, manifest_sha: str) -> bool:
        """This shipped index was adopted already, or refused (it is not retried)."""
        return manifest_sha in (self.meta(INDEX_MANIFEST_KEY), self.meta(INDEX_REFUSED_KEY))

    def refuse_shipped_index(self, manifest_sha: str) -> None:
        """The shipped index failed its checks: this library indexes its items itself."""
        self.set_meta(INDEX_REFUSED_KEY, manifest_sha)

    def adopted_index_manifest(self) -> str | None:
        """The hash of the shipped index's manifest this library adopted last, if any."""
        return self.meta(INDEX_MANIFEST_KEY)

    def queue_index_update(self, session: Session, ids: Iterable[str]) -> None:
        """Add ``ids`` to the items the search index must catch up with, in the caller's
        transaction (a sync's switch), so the index catches up even after a crash."""
        new = set(ids)
        if not new:
            return
        pending = session.get(Meta, INDEX_PENDING_KEY)
        known = set(json.loads(pending.value)) if pending else set()
        session.merge(Meta(key=INDEX_PENDING_KEY, value=json.dumps(sorted(known | new))))

    def reopen_index(self) -> SearchIndex:
        """Close the open search index and open it afresh: another process (a sync in a
        child) changed it. Opening applies what is pending, or rebuilds a damaged index."""
        if self._index is not None:
            self._index.close()
            self._index = None
        return self.index

    def shipped_index_files(self) -> set[str]:
        """Hashes of the shipped segment files the live index was written from."""
        from app.core.search import SearchIndex

        return SearchIndex.shipped_files(self.paths.index_dir)

    def apply_index_pending(self) -> int:
        """Re-index the items a sync changed but did not finish indexing (crash, error).

        The list is written in the same transaction that switches the catalog, so the index
        always catches up with the database. Returns how many ids were applied.
        """
        index = self.index  # opening may rebuild from the database, which clears the list
        pending = json.loads(self.meta(INDEX_PENDING_KEY) or "[]")
        if not pending:
            return 0
        with self.sessions() as s:
            current = set(
                s.scalars(
                    select(Item.id).where(Item.id.in_(pending), Item.status == "current")
                ).all()
            )
        gone = [i for i in pending if i not in current]
        if gone:
            index.delete(gone)
        if current:
            index.upsert(self.index_docs(current))
        self.set_meta(INDEX_PENDING_KEY, "[]")
        log.info("search index caught up: %d updated, %d removed", len(current), len(gone))
        return len(pending)

    def search(
        self,
        query: str,
        *,
        limit: int = 20,
        filters: Mapping[str, str | Sequence[str]] | None = None,
        prefix_last: bool = False,
        correct: bool = True,
        facets: bool = False,
        within: Collection[str] | None = None,
        on_rebuilt: Callable[[int], None] | None = None,
        snippets: int | None = None,
    ) -> SearchResults:
        """Search the index (see :meth:`SearchIndex.search`).

        The index is a cache of the database, so a problem reading it - damaged or truncated
        files, anything Whoosh raises - never fails a search: the index is rebuilt from the
        database and the search runs once more. ``on_rebuilt(items)`` is then called (also
        when opening the index found it damaged and rebuilt it); SearchIndexError, one
        sentence, when the second attempt fails as well."""
        kwargs: dict[str, Any] = {
            "limit": limit,
            "filters": filters,
            "now": self.expiry_now(),
            "prefix_last": prefix_last,
            "correct": correct,
            "facets": facets,
            "within": within,
            "snippets": snippets,
        }
        results = self._read_index(lambda: self.index.search(query, **kwargs), on_rebuilt)
        if self._index_repaired:
            self._index_repaired = False
            if on_rebuilt is not None:
                on_rebuilt(self.index.doc_count())
        return results

    def facet_counts(
        self,
        *,
        filters: Mapping[str, str | Sequence[str]] | None = None,
        within: Collection[str] | None = None,
    ) -> FacetCounts:
        """The facet counts of every current item (within ``within``, None: all): see
        :meth:`SearchIndex.facet_counts`; ``search(facets=True)`` counts a query's results."""
        now = self.expiry_now()
        return self._read_index(
            lambda: self.index.facet_counts(filters=filters, now=now, within=within), None
        )

    def _read_index(self, read: Callable[[], _T], on_rebuilt: Callable[[int], None] | None) -> _T:
        """``read()`` the index; the index is a cache of the database, so a problem reading
        it - damaged or truncated files, anything Whoosh raises - rebuilds it from the
        database and reads once more (``on_rebuilt(items)`` is told); SearchIndexError, one
        sentence, when the second attempt fails as well."""
        try:
            return read()
        except SatchelError:
            raise
        except Exception as exc:  # any failure to read the index: rebuild it, then retry
            log.warning("the search index could not be read (%s); rebuilding it", exc)
            count = self.rebuild_index()
            if on_rebuilt is not None:
                on_rebuilt(count)
            try:
                return read()
            except Exception as again:
                log.exception("search failed again after rebuilding the index")
                raise SearchIndexError(
                    "The search index could not be read even after rebuilding it from the "
                    f"library ({type(again).__name__}); details are in the log."
                ) from again

    def rebuild_index(self) -> int:
        """Rebuild the search index from the database into a fresh folder (the damaged one
        is left for the next clean-up); returns how many items it holds. Raises
        SearchIndexError when that fails."""
        from app.core.search import SearchIndex

        try:
            if self._index is None:
                self._index = SearchIndex(self.paths.index_dir, self.segments)
            self._index.rebuild(lambda: self.index_docs())
            self.set_meta(INDEX_PENDING_KEY, "[]")
            self._index_repaired = False
            return self._index.doc_count()
        except SatchelError:
            raise
        except Exception as exc:
            log.exception("rebuilding the search index failed")
            raise SearchIndexError(
                f"The search index is damaged and could not be rebuilt in {self.paths.index_dir} "
                f"({type(exc).__name__}); details are in the log."
            ) from exc

    def _index_looks_usable(self) -> bool:
        """True when the index folder names a live index that is not of another version, so
        that failing to open it means it is damaged (not missing, and not outdated by an
        upgrade: those are rebuilt quietly)."""
        from app.core.search import SearchIndex
        from app.core.search.whoosh_index import CURRENT, MARKER

        try:
            name = (self.paths.index_dir / CURRENT).read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError):
            return False
        folder = self.paths.index_dir / name
        if not name or name != folder.name or name.startswith(".") or not folder.is_dir():
            return False
        try:
            marker = json.loads((folder / MARKER).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError):
            return True  # its own marker unreadable: damaged
        wanted = SearchIndex.compatibility()
        outdated = isinstance(marker, dict) and set(marker) == set(wanted) and marker != wanted
        return not outdated
