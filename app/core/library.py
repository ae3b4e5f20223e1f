"""A rep's local library: the database (truth), verified files, and the search index (cache)."""

from __future__ import annotations

import json
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, bindparam, delete, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, selectinload, sessionmaker

from app.core.db import open_database
from app.core.errors import (
    ConfigError,
    HashMismatchError,
    NotFoundError,
    SatchelError,
    SearchIndexError,
)
from app.core.hashing import file_sha256
from app.core.itconfig import ITConfig
from app.core.models import HubState, Item, Meta, OwnedFile
from app.core.paths import LibraryPaths
from app.core.signing import PublicKey, parse_public_key
from app.core.timeutil import utcnow

if TYPE_CHECKING:  # the search index and text decoding load on first use, not with the
    # library: a sync with nothing to do never needs them
    from app.core.extract.types import Segment
    from app.core.search import (
        FacetCounts,
        IndexDoc,
        PreparedIndex,
        SearchIndex,
        SearchResults,
        ShippedSegmentSpec,
    )

log = logging.getLogger(__name__)
INDEX_PENDING_KEY = "index_pending"
#: The shipped index manifest adopted last, and one refused (not retried every sync).
INDEX_MANIFEST_KEY = "index_manifest"
INDEX_REFUSED_KEY = "index_manifest_refused"
#: The payload hash of the catalog the last finished sync left complete (every file there,
#: cleaned up); a sync offered that catalog again stops early (see app.core.sync).
SYNC_COMPLETE_KEY = "sync_complete"
#: Characters of decoded item text kept for search snippets (about 8 MB of mostly ASCII text:
#: a few hundred typical items, enough for the hits of the last several searches).
TEXT_CACHE_CHARS = 8_000_000
_TEXT_SHA = select(Item.text_sha256).where(Item.id == bindparam("item_id"))


class _TextCache:
    """A thread-safe LRU of decoded texts, bounded by their total number of characters."""

    def __init__(self, budget: int) -> None:
        self._budget = budget
        self._size = 0
        self._entries: OrderedDict[tuple[str, str], tuple[tuple[Segment, ...], int]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[str, str]) -> tuple[Segment, ...] | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            self._entries.move_to_end(key)
            return entry[0]

    def put(self, key: tuple[str, str], segments: tuple[Segment, ...], size: int) -> None:
        if size > self._budget // 4:
            return  # one huge text would push out everything else
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._size -= old[1]
            self._entries[key] = (segments, size)
            self._size += size
            while self._size > self._budget and self._entries:
                _key, (_segments, dropped) = self._entries.popitem(last=False)
                self._size -= dropped


def is_visible(item: Item, now: datetime) -> bool:
    """Reps see current items that have not expired."""
    return item.status == "current" and (item.expires_at is None or item.expires_at > now)


class Library:
    """Opened once per process and passed to whoever needs it (no global instance)."""

    def __init__(self, paths: LibraryPaths) -> None:
        self.paths = paths
        paths.ensure()
        self.engine: Engine
        self.sessions: sessionmaker[Session]
        self.engine, self.sessions = open_database(paths.db_path)
        self._index: SearchIndex | None = None
        self._index_repaired = False  # opening found the index damaged and rebuilt it
        self._texts: _TextCache = _TextCache(TEXT_CACHE_CHARS)

    @classmethod
    def open(cls, home: Path) -> Library:
        return cls(LibraryPaths(home))

    def close(self) -> None:
        if self._index is not None:
            self._index.close()
            self._index = None
        self.engine.dispose()

    def __enter__(self) -> Library:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # ------------------------------------------------------------------ state

    def hub_state(self) -> HubState:
        with self.sessions() as s:
            state = s.get(HubState, 1)
            if state is None:
                state = HubState(id=1)
                s.add(state)
                s.commit()
            return state

    def trusted_key(self) -> PublicKey | None:
        pem = self.hub_state().public_key
        return None if pem is None else parse_public_key(pem)

    def configure_hub(
        self, location: str | None, key: PublicKey | None, *, is_demo: bool = False
    ) -> None:
        """Remember the hub and pin its key. A different key starts a new serial sequence."""
        with self.sessions.begin() as s:
            state = s.get(HubState, 1) or HubState(id=1)
            s.add(state)
            if location is not None:
                state.location = location
                state.is_demo = is_demo
            if key is not None:
                pem = key.to_pem()
                if state.public_key is not None and state.public_key != pem:
                    state.serial = 0
                    state.catalog_sha256 = None
                state.public_key = pem

    def require_hub(
        self,
        config: ITConfig | None = None,
        *,
        location: str | None = None,
        key: PublicKey | None = None,
    ) -> tuple[str, PublicKey]:
        """The hub and key to sync with: the command's own (``location``, ``key``), else
        IT's locked values, else the rep's, else IT's presets. Nothing is remembered here:
        a sync remembers the hub and key it succeeded with (see app.core.sync)."""
        state = self.hub_state()
        config = config or ITConfig()
        if location is None:
            location = state.location
            if config.hub and (config.is_locked("hub") or not location or state.is_demo):
                location = config.hub
        if key is None:
            key = None if state.public_key is None else parse_public_key(state.public_key)
            locked = config.is_locked("trusted_key")
            if config.trusted_key and (locked or key is None or state.is_demo):
                key = config.public_key()
        if not location:
            raise ConfigError("No hub is configured: pass --hub FOLDER_OR_URL.")
        if key is None:
            raise ConfigError("No trusted key is pinned: pass --trust KEY.pub (marketing's key).")
        return location, key

    def meta(self, key: str) -> str | None:
        with self.sessions() as s:
            row = s.get(Meta, key)
            return None if row is None else row.value

    def set_meta(self, key: str, value: str) -> None:
        with self.sessions.begin() as s:
            s.merge(Meta(key=key, value=value))

    # ------------------------------------------------------------------ owned files

    def _relative(self, path: Path) -> str:
        return path.relative_to(self.paths.home).as_posix()

    def own(self, paths: Iterable[Path]) -> None:
        """Record files Satchel is about to write into the library (before writing them, so
        a crash never leaves a file of ours that cleaning up would not know)."""
        rows = [{"path": self._relative(p)} for p in paths]
        if not rows:
            return
        with self.sessions.begin() as s:
            for start in range(0, len(rows), 500):
                s.execute(
                    sqlite_insert(OwnedFile).on_conflict_do_nothing(), rows[start : start + 500]
                )

    def owned(self) -> set[Path]:
        with self.sessions() as s:
            return {self.paths.home / p for p in s.scalars(select(OwnedFile.path))}

    def disown(self, paths: Iterable[Path]) -> None:
        rel = [self._relative(p) for p in paths]
        with self.sessions.begin() as s:
            for start in range(0, len(rel), 500):
                s.execute(delete(OwnedFile).where(OwnedFile.path.in_(rel[start : start + 500])))

    def mark_complete(self, payload_sha: str) -> None:
        """The sync of the catalog with this payload hash finished: every file is there and
        cleaned up, so a sync offered the same catalog again can stop early."""
        self.set_meta(SYNC_COMPLETE_KEY, payload_sha)

    def mark_incomplete(self) -> None:
        """A file of the library is missing or was changed by hand: the next sync must look
        at every file (and fetch the approved copies) instead of stopping early."""
        with self.sessions.begin() as s:
            s.execute(delete(Meta).where(Meta.key == SYNC_COMPLETE_KEY))

    # ------------------------------------------------------------------ items

    def expiry_now(self) -> datetime:
        """The time expiry is judged at: this computer's clock, but never earlier than the
        last sync or the creation of the signed catalog it brought. A clock set back cannot
        bring back an item that had expired by then; a clock set ahead hides items early
        until a sync with the right time."""
        state = self.hub_state()
        known = (state.last_sync_at, state.catalog_created_at)
        return max([utcnow(), *(t for t in known if t is not None)])

    def items(self, *, include_hidden: bool = False, now: datetime | None = None) -> list[Item]:
        now = now or self.expiry_now()
        with self.sessions() as s:
            rows = s.scalars(
                select(Item).options(selectinload(Item.versions)).order_by(Item.title)
            ).all()
        return [i for i in rows if include_hidden or is_visible(i, now)]

    def item(self, item_id: str, *, now: datetime | None = None) -> Item:
        with self.sessions() as s:
            item = s.get(Item, item_id, options=[selectinload(Item.versions)])
        if item is None or not is_visible(item, now or self.expiry_now()):
            raise NotFoundError(f"No item {item_id!r} in this library (see `items`).")
        return item

    def file_path(self, item: Item) -> Path:
        return self.paths.content_dir(item.sha256) / item.filename

    def verified_path(self, item: Item) -> Path:
        """The item's local file, after checking its bytes still match the signed hash.

        A file changed or dropped in by hand is never handed out as approved: it is removed,
        and the next sync restores the approved copy.
        """
        path = self.paths.inside(self.file_path(item))  # no link leads out of the library
        if not path.is_file():
            self.mark_incomplete()
            raise SatchelError(f"The file of {item.id!r} is missing; sync again to restore it.")
        if file_sha256(path) != item.sha256:
            path.unlink(missing_ok=True)
            self.mark_incomplete()
            raise HashMismatchError(
                f"The local copy of {item.id!r} was changed outside Satchel and was removed; "
                "sync again to restore the approved version."
            )
        return path

    def thumbnail_path(self, item: Item) -> Path | None:
        if item.thumb_sha256 is None:
            return None
        path = self.paths.blob_path(item.thumb_sha256)
        if path.exists():
            return path
        self.mark_incomplete()  # the next sync fetches it again
        return None

    def rendition_path(self, item: Item) -> Path | None:
        """The item's PDF rendition (an office file's preview, checked against its hash at
        sync), or None when it has none or it is not there (the next sync fetches it)."""
        if item.rendition_sha256 is None:
            return None
        path = self.paths.blob_path(item.rendition_sha256)
        if path.exists():
            return path
        self.mark_incomplete()
        return None

    def segments(self, item_id: str) -> Sequence[Segment]:
        """The item's extracted text (the search index's text loader: snippets of hits).

        Decoded texts are kept in a small LRU keyed by (item id, text sha256): the sha is
        looked up every time, so a sync that changes an item's text is seen at once.
        """
        with self.engine.connect() as conn:
            sha = conn.execute(_TEXT_SHA, {"item_id": item_id}).scalar()
        if sha is None:
            return ()
        key = (item_id, str(sha))
        cached = self._texts.get(key)
        if cached is not None:
            return cached
        try:
            from app.core.textblob import decode_text

            segments = tuple(decode_text(self.paths.blob_path(sha).read_bytes()))
        except OSError:
            self.mark_incomplete()  # the next sync fetches it again
            return ()
        self._texts.put(key, segments, sum(len(s.text) for s in segments))
        return segments

    # ------------------------------------------------------------------ search

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
        }
        try:
            results = self.index.search(query, **kwargs)
        except SatchelError:
            raise
        except Exception as exc:  # any failure to read the index: rebuild it, then retry
            log.warning("the search index could not be read (%s); rebuilding it", exc)
            count = self.rebuild_index()
            if on_rebuilt is not None:
                on_rebuilt(count)
            try:
                return self.index.search(query, **kwargs)
            except Exception as again:
                log.exception("search failed again after rebuilding the index")
                raise SearchIndexError(
                    "The search index could not be read even after rebuilding it from the "
                    f"library ({type(again).__name__}); details are in the log."
                ) from again
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
        return self.index.facet_counts(filters=filters, now=self.expiry_now(), within=within)

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
