"""The state one sync carries through its steps, and the file checks they share."""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from app.core.catalog import BlobRef, CatalogItem
from app.core.errors import CancelledError
from app.core.hub import Hub
from app.core.library import Library
from app.core.paths import LibraryPaths
from app.core.signing import PublicKey
from app.core.sync.results import ProgressFn

CANCELLED = "Sync cancelled; the library is unchanged."


def _nothing() -> None:
    return None


def _never() -> bool:
    return False


@dataclass(slots=True)
class SyncRun:
    """One sync of ``lib`` from ``hub``: what it was asked, and what it wrote so far."""

    lib: Library
    hub: Hub
    key: PublicKey
    report: ProgressFn
    cancelled: Callable[[], bool]
    now: datetime
    location: str | None = None  # remembered as the library's hub on success
    after_verify: Callable[[], None] = _nothing
    audiences: frozenset[str] | None = None
    hidden: set[str] = field(default_factory=set)  # current items not aimed at this rep
    written: list[Path] = field(default_factory=list)  # files this sync put in the library
    real_dirs: set[Path] = field(default_factory=set)  # folders checked to be real (no link)
    dir_lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def paths(self) -> LibraryPaths:
        return self.lib.paths

    def check_cancel(self) -> None:
        if self.cancelled():
            raise CancelledError(CANCELLED)

    def content_path(self, item: CatalogItem) -> Path:
        return self.paths.content_dir(item.sha256) / item.filename

    def needed(self, item: CatalogItem) -> list[tuple[BlobRef, Path]]:
        """The hub objects the item needs, and where each lives in the library: its file
        under its name, the others (:meth:`CatalogItem.derived`) as blobs."""
        need = [(item.content, self.content_path(item))]
        need += [(r, self.paths.blob_path(r.sha256)) for r in item.derived()]
        return need

    def missing(self, item: CatalogItem) -> list[tuple[BlobRef, Path]]:
        return [(ref, path) for ref, path in self.needed(item) if not self.have(path, ref.size)]

    def complete(self, items: list[CatalogItem]) -> bool:
        return all(not self.missing(i) for i in items)

    @staticmethod
    def have(path: Path, size: int) -> bool:
        """A regular file of the right size (a link put there by hand does not count)."""
        try:
            st = path.lstat()
        except OSError:
            return False
        return stat.S_ISREG(st.st_mode) and st.st_size == size


def exists(path: Path) -> bool:
    """Anything at ``path``, even a link to nowhere."""
    return os.path.lexists(path)


def is_real_dir(path: Path) -> bool:
    try:
        return stat.S_ISDIR(path.lstat().st_mode)
    except OSError:
        return False


def is_regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(path.lstat().st_mode)
    except OSError:
        return False


def entries(folder: Path) -> list[Path]:
    try:
        return list(folder.iterdir())
    except OSError:
        return []
