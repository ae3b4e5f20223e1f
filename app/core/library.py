"""A rep's local library: the database (truth), verified files, and the search index (cache)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from types import TracebackType

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from app.core.db import open_database
from app.core.errors import ConfigError, HashMismatchError, NotFoundError, SatchelError
from app.core.extract.types import Segment
from app.core.hashing import file_sha256
from app.core.itconfig import ITConfig
from app.core.models import HubState, Item, Meta
from app.core.paths import LibraryPaths
from app.core.search import IndexDoc, SearchIndex, SearchResults
from app.core.signing import PublicKey, parse_public_key
from app.core.textblob import decode_text
from app.core.timeutil import utcnow

log = logging.getLogger(__name__)
INDEX_PENDING_KEY = "index_pending"


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

    def require_hub(self, config: ITConfig | None = None) -> tuple[str, PublicKey]:
        """The hub and key to sync with: IT's locked values, else the rep's, else IT's presets."""
        state = self.hub_state()
        config = config or ITConfig()
        location = state.location
        if config.hub and (config.is_locked("hub") or not location or state.is_demo):
            location = config.hub
        key = None if state.public_key is None else parse_public_key(state.public_key)
        if config.trusted_key and (config.is_locked("trusted_key") or key is None or state.is_demo):
            key = config.public_key()
        if not location:
            raise ConfigError("No hub is configured: pass --hub FOLDER_OR_URL.")
        if key is None:
            raise ConfigError("No trusted key is pinned: pass --trust KEY.pub (marketing's key).")
        if location != state.location or key.to_pem() != state.public_key:
            self.configure_hub(location, key)  # a new key starts a new serial sequence
        return location, key

    def meta(self, key: str) -> str | None:
        with self.sessions() as s:
            row = s.get(Meta, key)
            return None if row is None else row.value

    def set_meta(self, key: str, value: str) -> None:
        with self.sessions.begin() as s:
            s.merge(Meta(key=key, value=value))

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
        path = self.file_path(item)
        if not path.is_file():
            raise SatchelError(f"The file of {item.id!r} is missing; sync again to restore it.")
        if file_sha256(path) != item.sha256:
            path.unlink(missing_ok=True)
            raise HashMismatchError(
                f"The local copy of {item.id!r} was changed outside Satchel and was removed; "
                "sync again to restore the approved version."
            )
        return path

    def thumbnail_path(self, item: Item) -> Path | None:
        if item.thumb_sha256 is None:
            return None
        path = self.paths.blob_path(item.thumb_sha256)
        return path if path.exists() else None

    def segments(self, item_id: str) -> Sequence[Segment]:
        with self.sessions() as s:
            sha = s.scalar(select(Item.text_sha256).where(Item.id == item_id))
        if sha is None:
            return []
        try:
            return decode_text(self.paths.blob_path(sha).read_bytes())
        except OSError:
            return []

    # ------------------------------------------------------------------ search

    def index_docs(self, ids: Iterable[str] | None = None) -> Iterator[IndexDoc]:
        wanted = None if ids is None else set(ids)
        with self.sessions() as s:
            rows = s.scalars(select(Item).where(Item.status == "current")).all()
        for item in rows:
            if wanted is not None and item.id not in wanted:
                continue
            yield IndexDoc(
                id=item.id,
                title=item.title,
                description=item.description,
                tags={k: list(v) for k, v in item.tags.items()},
                kind=item.kind,
                filename=item.filename,
                version=item.version,
                sha256=item.sha256,
                updated_at=item.updated_at,
                expires_at=item.expires_at,
                searchable=item.searchable,
                segments=self.segments(item.id),
            )

    @property
    def index(self) -> SearchIndex:
        """The search index, opened (and rebuilt from the database if needed) on first use."""
        if self._index is None:
            index = SearchIndex(self.paths.index_dir, self.segments)
            rebuilt = index.open_or_rebuild(lambda: self.index_docs())
            self._index = index
            if rebuilt:
                self.set_meta(INDEX_PENDING_KEY, "[]")
            else:
                self.apply_index_pending()
        return self._index

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
    ) -> SearchResults:
        return self.index.search(
            query, limit=limit, filters=filters, now=self.expiry_now(), prefix_last=prefix_last
        )
