"""A hub on a local disk, network share or synced cloud folder.

Redirection on disk is refused: a folder hub's objects must be regular files inside the hub
folder - symbolic links (even when their target would hash right), FIFOs and devices are
refused, so a hub can neither make the client read arbitrary local files nor hang it on a
FIFO. Reads are bounded as :mod:`app.core.hub.transfer` says.
"""

from __future__ import annotations

import errno
import hashlib
import io
import os
import stat
from pathlib import Path

from app.core.catalog import MAX_CATALOG_BYTES
from app.core.crashpoints import crashpoint
from app.core.errors import CancelledError, HubError, HubUnreachableError
from app.core.hub import parts
from app.core.hub.durability import local_write_error
from app.core.hub.layout import CATALOG_NAME, FETCH_THREADS, object_relpath
from app.core.hub.protocols import Cancel, Progress
from app.core.hub.transfer import (
    CANCELLED,
    CATALOG_WHAT,
    Deadline,
    TimeBudget,
    catalog_too_big,
    never,
    too_slow,
)


class _NotRegular(Exception):
    pass


def _open_regular(path: Path, *, follow_symlinks: bool) -> io.FileIO:
    """Open ``path`` for reading only if it is a regular file; never blocks on a FIFO."""
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
    if not follow_symlinks:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise _NotRegular(str(path))
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb", buffering=0)
    except BaseException:
        os.close(fd)
        raise


class FolderHub:
    """A hub on a local disk, network share or synced cloud folder. Objects may be fetched
    from several threads at once (each fetch opens its own files)."""

    fetch_threads = FETCH_THREADS

    def __init__(self, root: Path, *, budget: TimeBudget | None = None) -> None:
        self.root = root
        self.location = str(root)
        self.budget = budget or TimeBudget.default()
        self._real_root: str | None = None  # resolved on first use, once
        self._inside: set[str] = set()  # object folders checked to lie inside the hub

    def _missing(self, what: str) -> HubUnreachableError:
        return HubUnreachableError(f"The hub folder {self.root} is not reachable ({what}).")

    def read_catalog(self, cancel: Cancel | None = None) -> bytes:
        path = self.root / CATALOG_NAME
        deadline = Deadline(self.budget)
        if not self.root.is_dir():
            raise self._missing("no such folder")
        try:
            with _open_regular(path, follow_symlinks=True) as fh:
                size = os.fstat(fh.fileno()).st_size
                if size > MAX_CATALOG_BYTES:
                    raise catalog_too_big()
                deadline.size = size
                data = self._read_all(fh, deadline, cancel or never)
        except FileNotFoundError as exc:
            raise HubError(f"{self.root} is not a Satchel hub: it has no {CATALOG_NAME}.") from exc
        except _NotRegular as exc:
            raise HubError(f"The hub's {CATALOG_NAME} is not a regular file.") from exc
        except OSError as exc:
            raise self._missing(exc.strerror or "read error") from exc
        if len(data) > MAX_CATALOG_BYTES:
            raise catalog_too_big()
        return data

    def _read_all(self, fh: io.FileIO, deadline: Deadline, cancel: Cancel) -> bytes:
        """The catalog's bytes, a chunk at a time (a slow share, a cancel, or a file that
        grows while it is read cannot hold the sync up for longer than its budget)."""
        pieces: list[bytes] = []
        got = 0
        while got <= MAX_CATALOG_BYTES:
            if cancel():
                raise CancelledError(CANCELLED)
            chunk = fh.read(min(parts.CHUNK, MAX_CATALOG_BYTES + 1 - got))
            if not chunk:
                break
            pieces.append(chunk)
            got += len(chunk)
            if (elapsed := deadline.overrun(got)) is not None:
                raise too_slow(self.location, CATALOG_WHAT, got, elapsed)
        return b"".join(pieces)

    def _open_object(self, sha256: str) -> io.FileIO:
        src = self.root / object_relpath(sha256)
        try:
            fin = _open_regular(src, follow_symlinks=False)
        except FileNotFoundError as exc:
            if not self.root.is_dir():
                raise self._missing("folder vanished") from exc
            raise HubError(
                f"The hub is missing object {sha256[:12]}… that its catalog lists."
            ) from exc
        except _NotRegular as exc:
            raise HubError(
                f"The hub's object {sha256[:12]}… is not a regular file; refusing to read it."
            ) from exc
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise HubError(
                    f"The hub's object {sha256[:12]}… is a symbolic link; "
                    "refusing to follow it out of the hub."
                ) from exc
            raise self._missing(exc.strerror or "read error") from exc
        # a symlinked folder on the way (objects/ or objects/xx) must not lead out of the hub;
        # the object itself was opened without following a link, so its folder is checked
        # (once per folder: resolving costs a system call per step of the path)
        folder = str(src.parent)
        if folder not in self._inside:
            if self._real_root is None:
                self._real_root = os.path.realpath(self.root)
            root = self._real_root
            if os.path.commonpath([os.path.realpath(folder), root]) != root:
                fin.close()
                raise HubError(
                    f"The hub's object {sha256[:12]}… lies outside the hub folder (a symbolic "
                    "link); refusing to read it."
                )
            self._inside.add(folder)
        return fin

    def fetch_object(
        self, sha256: str, size: int, part: Path, progress: Progress, cancel: Cancel
    ) -> None:
        have, h = parts.resume(part, size)
        with self._open_object(sha256) as fin:
            try:
                fout = parts.open_part(part, have)
            except OSError as exc:
                raise local_write_error(exc, part) from exc
            with fout:
                hole = True  # unknown when the copy stops half-way
                try:
                    length, hole = self._copy(
                        fin, fout, part, h, have, size, progress, cancel, sha256
                    )
                finally:
                    try:
                        parts.close_part(fout, hole=hole)
                    except OSError as exc:
                        raise local_write_error(exc, part) from exc
        parts.finish_hashed(part, h.hexdigest(), length, sha256, size)

    def _copy(
        self,
        fin: io.FileIO,
        fout: io.FileIO,
        part: Path,
        h: hashlib._Hash,
        have: int,
        size: int,
        progress: Progress,
        cancel: Cancel,
        sha256: str,
    ) -> tuple[int, bool]:
        """Copy the object from ``have`` on, hashing it into ``h``; return its length, and
        whether the last chunk became a hole. The copy must finish within the hub's time
        budget for the bytes it has to copy (a share slowed to a trickle gives up)."""
        buf = bytearray(parts.CHUNK)
        view = memoryview(buf)
        if have:
            fin.seek(have)
        length = have
        hole = False
        remaining = size - have
        deadline = Deadline(self.budget, remaining)
        while remaining >= 0:  # one byte past the declared size, to notice a longer object
            if cancel():
                raise CancelledError(CANCELLED)
            if (elapsed := deadline.overrun(length - have)) is not None:
                raise too_slow(self.location, object_relpath(sha256), length - have, elapsed)
            want = min(parts.CHUNK, remaining) if remaining else 1
            try:
                n = fin.readinto(view[:want]) or 0
            except OSError as exc:
                if not self.root.is_dir():
                    raise self._missing("folder vanished") from exc
                raise self._missing(exc.strerror or "read error") from exc
            if not n:
                break
            chunk = buf if n == parts.CHUNK else view[:n]
            h.update(chunk)
            try:
                hole = parts.write_chunk(fout, chunk)
            except OSError as exc:
                raise local_write_error(exc, part) from exc
            length += n
            remaining -= n
            progress(n)
            crashpoint("sync.chunk")
        return length, hole
