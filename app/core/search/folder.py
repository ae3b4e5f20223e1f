"""The index folder: which Whoosh index is live, and how a new one replaces it.

Layout of the index folder::

    CURRENT          the name of the live index folder, replaced atomically
    ix-<hex>/        a Whoosh index (FileStorage) + satchel-index.json (the version marker)

A new index (a rebuild, or an adopted shipped index) is always written into a fresh
``ix-<hex>`` folder, checked, and then made live by :meth:`IndexFolder.swap`: the one place
that replaces ``CURRENT``, once per new index. Old folders are removed once nobody holds
their write lock (lock files are never removed on their own).
"""

from __future__ import annotations

import contextlib
import gc
import json
import re
import shutil
import time
import uuid
import warnings
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, NamedTuple

import whoosh.filedb.filestore as _filestore_mod
import whoosh.query as _query_mod

from .schema import Vocabulary, doc_fields, marker
from .segments import INDEX_NAME
from .types import IndexDoc

__all__ = ["CURRENT", "MARKER", "IndexFolder", "Opened", "PreparedIndex"]

filestore: Any = _filestore_mod
Q: Any = _query_mod

MARKER = "satchel-index.json"
CURRENT = "CURRENT"
DIR_RE = re.compile(r"^ix-[0-9a-f]{16}$")


class Opened(NamedTuple):
    """A live index: the Whoosh index, its searcher, and its folder."""

    ix: Any
    searcher: Any
    path: Path


class PreparedIndex:
    """An index folder written from shipped segments, not live yet; holds its write lock."""

    def __init__(self, path: Path, lock: Any) -> None:
        self.path = path
        self._lock: Any = lock

    def release(self) -> None:
        if self._lock is not None:
            with contextlib.suppress(Exception):
                self._lock.release()
            self._lock = None

    def discard(self) -> None:
        """Remove the folder (a sync that failed or was cancelled before the switch)."""
        self.release()
        shutil.rmtree(self.path, ignore_errors=True)


def current_dir(root: Path) -> Path | None:
    """The folder ``CURRENT`` names in ``root`` (None when unreadable or not an index name)."""
    try:
        name = (root / CURRENT).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    if not DIR_RE.match(name):
        return None
    return root / name


def close_quietly(*things: Any) -> None:
    """Close searchers and indexes, ignoring failures (they are being dropped)."""
    for thing in things:
        if thing is not None:
            with contextlib.suppress(Exception):
                thing.close()


class IndexFolder:
    """The index folder ``root``; ``new_searcher(ix)`` opens a searcher with our scoring."""

    def __init__(
        self, root: Path, schema: Any, new_searcher: Callable[[Any], Any], lock_timeout: float
    ) -> None:
        self.root = root
        self._schema = schema
        self._new_searcher = new_searcher
        self._lock_timeout = lock_timeout

    def live_dir(self) -> Path | None:
        return current_dir(self.root)

    def open_live(self) -> Opened | None:
        """Open and check the live index; None when it must be rebuilt (missing, damaged,
        of another version, or write-locked by someone else for ``lock_timeout``)."""
        self.root.mkdir(parents=True, exist_ok=True)
        path = current_dir(self.root)
        if path is None or not path.is_dir():
            return None
        opened = self.open_checked(path)
        if opened is not None and not self._wait_write_lock(opened.ix):
            close_quietly(opened.searcher, opened.ix)
            return None
        return opened

    def open_checked(self, path: Path) -> Opened | None:
        """Open the index in ``path`` and touch its files; None when it does not open."""
        # Whoosh leaves a file open when it fails on a damaged index: the failure is expected
        # here (it means "rebuild"), so those files are collected quietly before leaving.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            opened = self._open_checked(path)
            if opened is None:
                gc.collect()
            return opened

    def _open_checked(self, path: Path) -> Opened | None:
        ix = searcher = None
        try:
            if json.loads((path / MARKER).read_text(encoding="utf-8")) != marker():
                return None
            ix = filestore.FileStorage(str(path)).open_index(schema=None)
            if set(ix.schema.names()) != set(self._schema.names()):
                raise ValueError("the index has other fields")
            searcher = self._new_searcher(ix)
            _check_readable(searcher)
            return Opened(ix, searcher, path)
        except Exception:  # corrupt, truncated, missing, unreadable: all mean "rebuild"
            close_quietly(searcher, ix)
            return None

    def _wait_write_lock(self, ix: Any) -> bool:
        """True when the write lock can be taken within lock_timeout (then released)."""
        lock = ix.lock("WRITELOCK")
        deadline = time.monotonic() + self._lock_timeout
        while True:
            try:
                if lock.acquire(blocking=False):
                    lock.release()
                    return True
            except OSError:
                return False
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.05)

    def build(self, all_docs: Callable[[], Iterable[IndexDoc]]) -> Opened:
        """Index ``all_docs()`` into a fresh folder, not live yet (see :meth:`swap`)."""
        self.root.mkdir(parents=True, exist_ok=True)
        path = self._fresh_path()
        storage = filestore.FileStorage(str(path)).create()
        ix = storage.create_index(self._schema)
        try:
            writer = ix.writer(limitmb=256)
            try:
                seen: set[str] = set()
                vocabulary = Vocabulary()
                for doc in all_docs():
                    if doc.id in seen:
                        continue  # first one wins: the catalogue should not repeat ids
                    seen.add(doc.id)
                    writer.add_document(**doc_fields(doc))
                    vocabulary.add(doc)
                if (extra := vocabulary.document()) is not None:
                    writer.add_document(**extra)
            except BaseException:
                writer.cancel()
                raise
            writer.commit()
            self.write_marker(path)
            return Opened(ix, self._new_searcher(ix), path)
        except BaseException:
            close_quietly(ix)
            shutil.rmtree(path, ignore_errors=True)
            raise

    def prepare(self) -> PreparedIndex:
        """A fresh, empty folder for an adopted index, write-locked until it goes live."""
        self.root.mkdir(parents=True, exist_ok=True)
        path = self._fresh_path()
        path.mkdir()
        lock = filestore.FileStorage(str(path)).lock(f"{INDEX_NAME}_WRITELOCK")
        lock.acquire(blocking=False)  # a folder nobody else knows yet
        return PreparedIndex(path, lock)

    def open_prepared(self, prepared: PreparedIndex) -> Opened:
        """Open a prepared folder as an index; ValueError (folder removed) when it does not."""
        try:
            prepared.release()
            opened = self.open_checked(prepared.path)
            if opened is None:
                raise ValueError("the shipped index does not open as an index")
        except BaseException:
            prepared.discard()
            raise
        return opened

    @staticmethod
    def write_marker(path: Path) -> None:
        (path / MARKER).write_text(json.dumps(marker()), encoding="utf-8")

    def swap(self, path: Path) -> None:
        """Make ``path`` the live index: ``CURRENT`` is replaced atomically, once."""
        tmp = self.root / f"{CURRENT}.{uuid.uuid4().hex[:8]}.tmp"
        tmp.write_text(path.name, encoding="utf-8")
        tmp.replace(self.root / CURRENT)

    def remove_stale(self, live: Path | None) -> None:
        """Remove index folders other than ``live``, when nobody holds their lock, and
        temporary files left by an interrupted swap."""
        for child in self.root.iterdir():
            if child == live:
                continue
            if child.name.startswith(f"{CURRENT}.") and child.name.endswith(".tmp"):
                with contextlib.suppress(OSError):
                    child.unlink()
                continue
            if child.is_dir() and DIR_RE.match(child.name) and _lock_free(child):
                shutil.rmtree(child, ignore_errors=True)

    def _fresh_path(self) -> Path:
        return self.root / f"ix-{uuid.uuid4().hex[:16]}"


def _check_readable(searcher: Any) -> None:
    """Touch the index's files so a damaged one fails now rather than mid-search."""
    reader = searcher.reader()
    count = int(searcher.doc_count_all())
    if count:
        for field in ("id", "words", "body"):
            for _ in zip(range(3), reader.lexicon(field), strict=False):
                pass
        first = next(iter(reader.lexicon("id")), None)
        if first is None:
            raise ValueError("empty id lexicon")
        results = searcher.search(Q.Term("id", first.decode("utf-8")), limit=1)
        for hit in results:
            hit.fields()


def _lock_free(path: Path) -> bool:
    try:
        storage = filestore.FileStorage(str(path))
        for lock_file in path.glob("*_WRITELOCK"):
            lock = storage.lock(lock_file.name)
            if not lock.acquire(blocking=False):
                return False
            lock.release()
    except OSError:
        return False
    return True
