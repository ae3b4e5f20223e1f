"""A rep's local library: the database (truth), verified files, and the search index (cache)."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from sqlalchemy import Engine, bindparam, delete, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, selectinload, sessionmaker

from app.core.db import open_database
from app.core.errors import ConfigError, HashMismatchError, NotFoundError, SatchelError
from app.core.hashing import file_sha256
from app.core.itconfig import ITConfig
from app.core.library_index import LibraryIndex
from app.core.models import HubState, Item, Meta, OwnedFile
from app.core.paths import LibraryPaths
from app.core.signing import PublicKey, parse_public_key
from app.core.text_cache import TextCache
from app.core.timeutil import utcnow

if TYPE_CHECKING:  # text decoding loads on first use, not with the library
    from app.core.extract.types import Segment

log = logging.getLogger(__name__)
#: The payload hash of the catalog the last finished sync left complete (every file there,
#: cleaned up); a sync offered that catalog again stops early (see app.core.sync).
SYNC_COMPLETE_KEY = "sync_complete"
#: Characters of decoded item text kept for search snippets (about 8 MB of mostly ASCII text:
#: a few hundred typical items, enough for the hits of the last several searches).
TEXT_CACHE_CHARS = 8_000_000
_TEXT_SHA = select(Item.text_sha256).where(Item.id == bindparam("item_id"))


def is_visible(item: Item, now: datetime) -> bool:
    """Reps see current items that have not expired."""
    return item.status == "current" and (item.expires_at is None or item.expires_at > now)


class Library(LibraryIndex):
    """Opened once per process and passed to whoever needs it (no global instance). Its
    search index, and the index's bookkeeping, are :class:`LibraryIndex`'s part."""

    def __init__(self, paths: LibraryPaths) -> None:
        self.paths = paths
        paths.ensure()
        self.engine: Engine
        self.sessions: sessionmaker[Session]
        self.engine, self.sessions = open_database(paths.db_path)
        self._index = None
        self._index_repaired = False
        self._texts = TextCache(TEXT_CACHE_CHARS)

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

    def completed_catalog(self) -> str | None:
        """The payload hash :meth:`mark_complete` recorded, if no file went missing since."""
        return self.meta(SYNC_COMPLETE_KEY)

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
