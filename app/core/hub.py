"""Reading a hub: a folder path or an http(s) URL served by any static web server.

A hub holds ``catalog.json`` (signed) and ``objects/<2 hex>/<sha256>``: every published file,
byte for byte, named by its hash. Nothing here trusts what it reads; callers verify.

What a hostile or broken hub can do to a reader, and what it gets:

* endless data: the catalog is read up to :data:`MAX_CATALOG_BYTES` (+1), an object up to
  its declared size (+1); anything longer is refused, never stored whole;
* slow retrieval: every network read waits at most ``timeout_s`` (``SATCHEL_HUB_TIMEOUT``
  seconds, default 30), a transfer that after ``timeout_s`` still averages under
  :data:`MIN_BYTES_PER_S` is abandoned, and every file - the catalog included - must arrive
  within its :class:`TimeBudget` (``max(60 s, size / 8 KiB/s)``; ``SATCHEL_HUB_DEADLINE``
  sets the 60 s), checked as bytes arrive; what arrived of an object is kept and the next
  sync resumes. Reading the catalog, like every object, stops at the sync's ``cancel``;
* truncation (a connection closed early, a lying Content-Length): the partial file is kept
  for resuming and the sync stops with "stopped answering"; a complete answer that is too
  short, too long or different fails its hash and is discarded;
* redirection on disk: a folder hub's objects must be regular files inside the hub folder -
  symbolic links (even when their target would hash right), FIFOs and devices are refused,
  so a hub can neither make the client read arbitrary local files nor hang it on a FIFO.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import http.client
import io
import os
import stat
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, cast

from app.core.catalog import MAX_CATALOG_BYTES, SHA_RE, plain_line
from app.core.crashpoints import crashpoint
from app.core.errors import (
    CancelledError,
    HashMismatchError,
    HubError,
    HubUnreachableError,
    SatchelError,
)

CATALOG_NAME = "catalog.json"
OBJECTS_DIR = "objects"
INBOX_DIR = "inbox"
CHUNK = 1 << 20
DEFAULT_TIMEOUT_S = 30.0
TIMEOUT_ENV = "SATCHEL_HUB_TIMEOUT"
MIN_BYTES_PER_S = 1024  # slower than this on average (after timeout_s) is a stalled download
DEFAULT_DEADLINE_S = 60.0
DEADLINE_ENV = "SATCHEL_HUB_DEADLINE"
MIN_FILE_RATE = 8 * 1024  # bytes/s a whole file must average once past the base deadline

Progress = Callable[[int], None]  # bytes just received
Cancel = Callable[[], bool]

_DISK_FULL = frozenset({errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)})
_ZEROS = bytes(CHUNK)


class DiskFullError(SatchelError):
    """The library's disk (or the process's file size limit) has no room for a download."""


def disk_full_error(exc: BaseException, where: Path) -> DiskFullError | None:
    """A DiskFullError for an OSError that means "no space" (ENOSPC, EFBIG, EDQUOT), else None."""
    if isinstance(exc, OSError) and exc.errno in _DISK_FULL:
        return DiskFullError(
            f"The disk holding {where.parent} is full ({exc.strerror or 'no space left'}); "
            "free some space and sync again - the library is unchanged."
        )
    return None


def local_write_error(exc: OSError, where: Path) -> SatchelError:
    """What to tell the user when writing a download into the library fails."""
    return disk_full_error(exc, where) or SatchelError(
        f"Could not write {where.name} into the library folder {where.parent} "
        f"({exc.strerror or exc}); the library is unchanged."
    )


def default_timeout_s() -> float:
    """Seconds a network read may wait: ``SATCHEL_HUB_TIMEOUT`` if set to a sane number."""
    try:
        value = float(os.environ.get(TIMEOUT_ENV, ""))
    except ValueError:
        return DEFAULT_TIMEOUT_S
    return value if 0 < value <= 3600 else DEFAULT_TIMEOUT_S


def default_deadline_s() -> float:
    """Seconds any one file may take at least: ``SATCHEL_HUB_DEADLINE`` if set to a sane
    number, else 60."""
    try:
        value = float(os.environ.get(DEADLINE_ENV, ""))
    except ValueError:
        return DEFAULT_DEADLINE_S
    return value if 0 < value <= 86_400 else DEFAULT_DEADLINE_S


@dataclass(frozen=True, slots=True)
class TimeBudget:
    """How long one file from a hub may take in all: ``max(base_s, size / min_rate)``
    seconds from its request, so a hub that trickles a file (even just fast enough to pass
    the stall check) is given up on in bounded time. When the size is not known in advance
    (a catalog served without Content-Length) the bytes received so far stand in for it:
    past ``base_s`` the transfer must keep averaging ``min_rate``."""

    base_s: float = DEFAULT_DEADLINE_S
    min_rate: float = MIN_FILE_RATE

    @classmethod
    def default(cls) -> TimeBudget:
        return cls(base_s=default_deadline_s())

    def seconds(self, size: int) -> float:
        return max(self.base_s, size / self.min_rate)


class _Deadline:
    """The clock of one file against its :class:`TimeBudget`."""

    def __init__(self, budget: TimeBudget, size: int | None = None) -> None:
        self.budget = budget
        self.size = size
        self.start = time.monotonic()

    def elapsed(self) -> float:
        return time.monotonic() - self.start

    def overrun(self, got: int) -> float | None:
        """Seconds elapsed when the file has taken longer than its budget, else None."""
        elapsed = time.monotonic() - self.start
        allowed = self.budget.seconds(self.size if self.size is not None else got)
        return elapsed if elapsed > allowed else None


def _amount(n: int) -> str:
    """Bytes as people read them: 300 bytes, 12 KB, 3.4 MB."""
    if n < 1000:
        return "1 byte" if n == 1 else f"{n:,} bytes"
    if n < 1_000_000:
        return f"{n / 1000:.0f} KB"
    return f"{n / 1_000_000:.1f} MB"


def too_slow(location: str, what: str, got: int, elapsed: float) -> HubUnreachableError:
    """The one sentence for a file that took longer than it may."""
    seconds = f"{elapsed:.1f}" if elapsed < 9.95 else f"{elapsed:.0f}"
    return HubUnreachableError(
        f"The hub {location} sent {what} too slowly: {_amount(got)} in {seconds} s; " + _then(what)
    )


CATALOG_WHAT = "the catalog"
CANCELLED = "Sync cancelled; the library is unchanged."


def _never() -> bool:
    return False


def _then(what: str) -> str:
    """What happens after a transfer failed: objects resume, the catalog is read again."""
    if what == CATALOG_WHAT:
        return "try again on a better connection."
    return "the next sync resumes where this one stopped."


def object_relpath(sha256: str) -> str:
    if not SHA_RE.match(sha256):
        raise HubError(f"{sha256[:80]!r} is not a content hash.")
    return f"{OBJECTS_DIR}/{sha256[:2]}/{sha256}"


FETCH_THREADS = 4  # objects a sync fetches at once from a folder or web hub


class Hub(Protocol):
    """A hub. One that may be asked for several objects at once, from several threads,
    says how many in a ``fetch_threads`` attribute (the sync reads it with getattr;
    without it, objects are fetched one at a time)."""

    location: str

    def read_catalog(self, cancel: Cancel | None = None) -> bytes:
        """The catalog envelope's bytes (unverified), read within the hub's time budget.

        Raises CancelledError as soon as ``cancel()`` is true between chunks."""
        ...

    def fetch_object(
        self, sha256: str, size: int, part: Path, progress: Progress, cancel: Cancel
    ) -> None:
        """Complete ``part`` with the object's bytes, resuming what is already there.

        Raises HashMismatchError (and removes ``part``) when the bytes do not hash to
        ``sha256`` or exceed ``size``.
        """
        ...


def open_hub(
    location: str, *, timeout_s: float | None = None, budget: TimeBudget | None = None
) -> Hub:
    """The hub at ``location``. ``timeout_s`` bounds each network read; ``budget`` each
    whole file (both default to their environment variables, then 30 s and 60 s)."""
    parsed = urllib.parse.urlparse(location)
    if parsed.scheme in ("http", "https"):
        return HttpHub(location, timeout_s=timeout_s, budget=budget)
    if parsed.scheme == "file":
        return FolderHub(Path(urllib.request.url2pathname(parsed.path)), budget=budget)
    if parsed.scheme and len(parsed.scheme) > 1:
        raise HubError(f"Hub location {location!r} is neither a folder nor an http(s) URL.")
    return FolderHub(Path(location), budget=budget)


def normalise_location(location: str) -> str:
    """Folders are remembered as absolute paths; URLs as given (with a trailing slash)."""
    parsed = urllib.parse.urlparse(location)
    if parsed.scheme in ("http", "https"):
        return location if location.endswith("/") else location + "/"
    return str(Path(location).expanduser().resolve())


def _part_size(part: Path, size: int) -> int:
    """Bytes already downloaded into ``part`` (a part longer than the object is dropped)."""
    try:
        have = part.stat().st_size
    except FileNotFoundError:
        return 0
    if have > size:
        part.unlink()
        return 0
    return have


def _resume(part: Path, size: int) -> tuple[int, hashlib._Hash]:
    """Where a download into ``part`` resumes, and the hash of the bytes before that point
    (read once; from then on the bytes are hashed as they are written)."""
    have = _part_size(part, size)
    try:
        return have, _hash_prefix(part, have)
    except (HashMismatchError, FileNotFoundError):
        return 0, hashlib.sha256()


def _write(fout: io.FileIO, data: bytes | bytearray | memoryview) -> bool:
    """Write all of ``data`` at the current position; a whole chunk of zeros becomes a hole
    (so a sparse file stays sparse), and True is returned for it. Compare bytes or
    bytearray, not memoryview: only those compare with memcmp."""
    if len(data) == CHUNK and not isinstance(data, memoryview) and data == _ZEROS:
        fout.seek(CHUNK, os.SEEK_CUR)
        return True
    view = memoryview(data)
    while view:
        written = fout.write(view)
        view = view[written or 0 :]
    return False


def _open_part(part: Path, offset: int) -> io.FileIO:
    """``part`` opened for writing at ``offset`` (created if missing, cut to ``offset``)."""
    flags = os.O_WRONLY | os.O_CREAT | getattr(os, "O_BINARY", 0)
    if not offset:  # a new download: no cutting or seeking needed
        return os.fdopen(os.open(part, flags | os.O_TRUNC, 0o644), "wb", buffering=0)
    fout = os.fdopen(os.open(part, flags, 0o644), "wb", buffering=0)
    try:
        fout.truncate(offset)
        fout.seek(offset)
    except BaseException:
        fout.close()
        raise
    return fout


def _close_part(fout: io.FileIO, *, hole: bool = True, durable: bool = False) -> None:
    """Fix the part's length (when the last write was a hole, or may have been); ``durable``
    also flushes it to the disk (publisher side).

    A rep's downloads are not flushed one by one: the sync makes all of them durable at
    once just before its catalog switch (see :func:`make_durable`)."""
    if hole:
        fout.truncate(fout.tell())  # a trailing hole still counts as written
    if durable:
        with contextlib.suppress(OSError):
            os.fsync(fout.fileno())


def _hash_prefix(part: Path, length: int) -> hashlib._Hash:
    """A SHA-256 fed with the first ``length`` bytes of ``part`` (a resumed download)."""
    h = hashlib.sha256()
    if not length:
        return h
    buf = bytearray(CHUNK)
    view = memoryview(buf)
    left = length
    with part.open("rb", buffering=0) as fh:
        while left and (n := fh.readinto(view[: min(CHUNK, left)])):
            h.update(view[:n])
            left -= n
    if left:  # shorter than it was a moment ago: start again
        raise HashMismatchError(f"The partial download {part.name} changed while resuming.")
    return h


def _refuse(part: Path, sha256: str, length: int, size: int) -> HashMismatchError:
    part.unlink(missing_ok=True)
    return HashMismatchError(
        f"A file from the hub does not match the catalog (object {sha256[:12]}…, "
        f"{length} bytes, expected {size}); it was discarded."
    )


def finish_hashed(part: Path, digest: str, length: int, sha256: str, size: int) -> None:
    """Raise HashMismatchError (and remove ``part``) unless the bytes written into it -
    ``length`` of them, hashing to ``digest`` as they were written - are exactly the object."""
    if length != size or digest != sha256:
        raise _refuse(part, sha256, length, size)


def check_and_finish(part: Path, sha256: str, size: int) -> None:
    """Raise HashMismatchError (and remove ``part``) unless it holds exactly the object
    (reads the whole file: for a file not hashed while it was written)."""
    try:
        length = part.stat().st_size
        digest = _hash_prefix(part, length).hexdigest()
    except HashMismatchError:
        raise _refuse(part, sha256, -1, size) from None
    finish_hashed(part, digest, length, sha256, size)


def make_durable(paths: Iterable[Path], home: Path) -> None:
    """Flush downloaded files (and the folders that name them) to the disk, once, before
    the catalog switch that starts using them.

    On Linux one ``syncfs`` of the library's file system does it; elsewhere every file
    (and, on POSIX, every folder holding one) is flushed with ``fsync`` - Windows cannot
    flush a folder, and needs a writable handle to flush a file. Raises OSError when the
    disk reports a failed write, so the switch does not happen.
    """
    if _syncfs(home):
        return
    # Windows flushes a file only through a handle that may write
    flags = os.O_RDWR | getattr(os, "O_BINARY", 0) if os.name == "nt" else os.O_RDONLY
    folders: set[Path] = set()
    for path in paths:
        fd = os.open(path, flags)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        folders.add(path.parent)
    if os.name == "nt":
        return
    for folder in sorted(folders):
        try:
            fd = os.open(folder, os.O_RDONLY)
        except OSError:
            continue
        try:
            with contextlib.suppress(OSError):  # some file systems cannot flush a folder
                os.fsync(fd)
        finally:
            os.close(fd)


def _syncfs(home: Path) -> bool:
    """``syncfs(2)`` on the file system holding ``home``; False where there is none."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes  # only here: a no-op sync never needs it

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        syncfs = libc.syncfs
    except (OSError, AttributeError):
        return False
    fd = os.open(home, os.O_RDONLY)
    try:
        if syncfs(fd) != 0:
            err = ctypes.get_errno()
            raise OSError(err, os.strerror(err), str(home))
    finally:
        os.close(fd)
    return True


class _NotRegular(Exception):
    pass


def _too_big() -> HubError:
    return HubError("The hub's catalog is larger than any real catalog; refusing it.")


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
        deadline = _Deadline(self.budget)
        if not self.root.is_dir():
            raise self._missing("no such folder")
        try:
            with _open_regular(path, follow_symlinks=True) as fh:
                size = os.fstat(fh.fileno()).st_size
                if size > MAX_CATALOG_BYTES:
                    raise _too_big()
                deadline.size = size
                data = self._read_all(fh, deadline, cancel or _never)
        except FileNotFoundError as exc:
            raise HubError(f"{self.root} is not a Satchel hub: it has no {CATALOG_NAME}.") from exc
        except _NotRegular as exc:
            raise HubError(f"The hub's {CATALOG_NAME} is not a regular file.") from exc
        except OSError as exc:
            raise self._missing(exc.strerror or "read error") from exc
        if len(data) > MAX_CATALOG_BYTES:
            raise _too_big()
        return data

    def _read_all(self, fh: io.FileIO, deadline: _Deadline, cancel: Cancel) -> bytes:
        """The catalog's bytes, a chunk at a time (a slow share, a cancel, or a file that
        grows while it is read cannot hold the sync up for longer than its budget)."""
        parts: list[bytes] = []
        got = 0
        while got <= MAX_CATALOG_BYTES:
            if cancel():
                raise CancelledError(CANCELLED)
            chunk = fh.read(min(CHUNK, MAX_CATALOG_BYTES + 1 - got))
            if not chunk:
                break
            parts.append(chunk)
            got += len(chunk)
            if (elapsed := deadline.overrun(got)) is not None:
                raise too_slow(self.location, CATALOG_WHAT, got, elapsed)
        return b"".join(parts)

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
        have, h = _resume(part, size)
        with self._open_object(sha256) as fin:
            try:
                fout = _open_part(part, have)
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
                        _close_part(fout, hole=hole)
                    except OSError as exc:
                        raise local_write_error(exc, part) from exc
        finish_hashed(part, h.hexdigest(), length, sha256, size)

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
        buf = bytearray(CHUNK)
        view = memoryview(buf)
        if have:
            fin.seek(have)
        length = have
        hole = False
        remaining = size - have
        deadline = _Deadline(self.budget, remaining)
        while remaining >= 0:  # one byte past the declared size, to notice a longer object
            if cancel():
                raise CancelledError(CANCELLED)
            if (elapsed := deadline.overrun(length - have)) is not None:
                raise too_slow(self.location, object_relpath(sha256), length - have, elapsed)
            want = min(CHUNK, remaining) if remaining else 1
            try:
                n = fin.readinto(view[:want]) or 0
            except OSError as exc:
                if not self.root.is_dir():
                    raise self._missing("folder vanished") from exc
                raise self._missing(exc.strerror or "read error") from exc
            if not n:
                break
            chunk = buf if n == CHUNK else view[:n]
            h.update(chunk)
            try:
                hole = _write(fout, chunk)
            except OSError as exc:
                raise local_write_error(exc, part) from exc
            length += n
            remaining -= n
            progress(n)
            crashpoint("sync.chunk")
        return length, hole


_NETWORK_ERRORS = (OSError, http.client.HTTPException, ValueError)


class _RangeNotSatisfiable(Exception):
    pass


class HttpHub:
    """A hub served by any static web server, object store or CDN: plain GETs only.
    Every request opens its own connection, so objects may be fetched from several threads."""

    fetch_threads = FETCH_THREADS

    def __init__(
        self, base_url: str, *, timeout_s: float | None = None, budget: TimeBudget | None = None
    ) -> None:
        self.base = base_url if base_url.endswith("/") else base_url + "/"
        self.location = self.base
        self.timeout_s = default_timeout_s() if timeout_s is None else timeout_s
        self.budget = budget or TimeBudget.default()

    def _url(self, rel: str) -> str:
        return urllib.parse.urljoin(self.base, rel)

    def _unreachable(self, exc: BaseException) -> HubUnreachableError:
        if isinstance(exc, http.client.HTTPException):
            text = "its answer is not HTTP"  # never echo what a hostile server sent
        else:
            reason = getattr(exc, "reason", None) or exc
            text = plain_line(str(reason), 120) or exc.__class__.__name__
        return HubUnreachableError(f"The hub {self.base} is not reachable ({text}).")

    def _open(self, rel: str, headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
        req = urllib.request.Request(
            self._url(rel),
            headers={"User-Agent": "Satchel", "Cache-Control": "no-cache", **(headers or {})},
        )
        try:
            resp = urllib.request.urlopen(req, timeout=self.timeout_s)  # noqa: S310
            return cast(http.client.HTTPResponse, resp)
        except urllib.error.HTTPError as exc:
            exc.close()
            if exc.code == 404:
                raise HubError(f"The hub has no {rel} (HTTP 404 from {self.base}).") from exc
            if exc.code == 416:
                raise _RangeNotSatisfiable(rel) from exc
            raise HubError(f"The hub answered HTTP {exc.code} for {rel}.") from exc
        except _NETWORK_ERRORS as exc:
            raise self._unreachable(exc) from exc

    def _stream(
        self,
        resp: http.client.HTTPResponse,
        limit: int,
        sink: Callable[[bytes], None],
        progress: Progress,
        cancel: Cancel,
        what: str,
        deadline: _Deadline,
    ) -> int:
        """Hand at most ``limit`` body bytes to ``sink``; return how many.

        Raises HubUnreachableError when the server stalls, trickles, takes longer than the
        file's time budget (``deadline``, checked as bytes arrive; a silent server is cut
        off by the per-read timeout), or closes the connection before the end of its own
        Content-Length; CancelledError as soon as ``cancel()`` is true between reads.
        """
        declared = resp.getheader("Content-Length")
        expected = int(declared) if declared and declared.strip().isdigit() else None
        start = time.monotonic()
        got = 0
        while got < limit:
            if cancel():
                raise CancelledError(CANCELLED)
            try:
                chunk = resp.read1(min(CHUNK, limit - got))
            except _NETWORK_ERRORS as exc:
                if (elapsed := deadline.overrun(got)) is not None:
                    raise too_slow(self.base, what, got, elapsed) from exc
                raise HubUnreachableError(
                    f"The hub {self.base} stopped answering while sending {what}; " + _then(what)
                ) from exc
            if not chunk:
                if expected is not None and got < expected:
                    raise HubUnreachableError(
                        f"The hub {self.base} closed the connection after {got:,} of "
                        f"{expected:,} bytes of {what}; " + _then(what)
                    )
                break
            sink(chunk)
            got += len(chunk)
            progress(len(chunk))
            crashpoint("sync.chunk")
            elapsed = time.monotonic() - start
            if elapsed > self.timeout_s and got < MIN_BYTES_PER_S * elapsed:
                raise too_slow(self.base, what, got, deadline.elapsed())
            if (overrun := deadline.overrun(got)) is not None:
                raise too_slow(self.base, what, got, overrun)
        return got

    def read_catalog(self, cancel: Cancel | None = None) -> bytes:
        parts: list[bytes] = []
        deadline = _Deadline(self.budget)
        with self._open(CATALOG_NAME) as resp:
            declared = resp.getheader("Content-Length") or ""
            if declared.strip().isdigit():
                if int(declared) > MAX_CATALOG_BYTES:
                    raise _too_big()
                deadline.size = int(declared)
            got = self._stream(
                resp,
                MAX_CATALOG_BYTES + 1,
                parts.append,
                lambda _n: None,
                cancel or _never,
                CATALOG_WHAT,
                deadline,
            )
        if got > MAX_CATALOG_BYTES:
            raise _too_big()
        return b"".join(parts)

    def fetch_object(
        self, sha256: str, size: int, part: Path, progress: Progress, cancel: Cancel
    ) -> None:
        rel = object_relpath(sha256)
        have, h = _resume(part, size)
        length = have
        if have < size:
            deadline = _Deadline(self.budget, size - have)
            try:
                resp: http.client.HTTPResponse | None = self._open(
                    rel, {"Range": f"bytes={have}-"} if have else {}
                )
            except _RangeNotSatisfiable:  # what we have is all there is
                resp = None
            if resp is not None:
                with resp:
                    offset = self._resume_offset(resp, have, rel)
                    if offset != have:  # the server sends the whole object: start again
                        h, length = hashlib.sha256(), offset
                    try:
                        fout = _open_part(part, offset)
                    except OSError as exc:
                        raise local_write_error(exc, part) from exc

                    def sink(chunk: bytes) -> None:
                        h.update(chunk)
                        try:
                            _write(fout, chunk)
                        except OSError as exc:
                            raise local_write_error(exc, part) from exc

                    with fout:
                        try:
                            length += self._stream(
                                resp, size + 1 - offset, sink, progress, cancel, rel, deadline
                            )
                        finally:
                            try:
                                _close_part(fout)
                            except OSError as exc:
                                raise local_write_error(exc, part) from exc
        finish_hashed(part, h.hexdigest(), length, sha256, size)

    def _resume_offset(self, resp: http.client.HTTPResponse, have: int, rel: str) -> int:
        """Where the body starts in the object: ``have`` for a matching 206, else 0."""
        if resp.status != 206:
            return 0  # the whole object (a server without ranges): start again
        content_range = resp.getheader("Content-Range") or ""
        unit, _, spec = content_range.partition(" ")
        first = spec.partition("-")[0].strip()
        if unit.strip().lower() != "bytes" or not first.isdigit():
            raise HubError(f"The hub answered a resumed download of {rel} without a valid range.")
        if int(first) not in (0, have):
            raise HubError(
                f"The hub answered a resumed download of {rel} with the wrong range "
                f"({content_range[:80]})."
            )
        return int(first)


def _copy_hashing(src: Path, dest: Path) -> tuple[str, int]:
    """Copy ``src`` to ``dest`` (holes stay holes) and return the SHA-256 and size copied."""
    h = hashlib.sha256()
    size = 0
    buf = bytearray(CHUNK)
    view = memoryview(buf)
    with src.open("rb", buffering=0) as fin, _open_part(dest, 0) as fout:
        while n := fin.readinto(buf):
            h.update(view[:n])
            _write(fout, buf if n == CHUNK else view[:n])
            size += n
        _close_part(fout, durable=True)
    return h.hexdigest(), size


def copy_into_objects(src: Path, hub_root: Path, sha256: str) -> bool:
    """Publisher side: store ``src`` as an immutable object; False if it was already there.

    The copy is hashed as it is written: a file changed since it was hashed is refused,
    so an object's name always is the hash of its bytes.
    """
    dest = hub_root / object_relpath(sha256)
    if dest.exists():
        return False
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{sha256}.{os.getpid()}.tmp")
    try:
        copied, _size = _copy_hashing(src, tmp)
        if copied != sha256:
            raise HubError(f"{src} changed while it was being published; publish again.")
        tmp.replace(dest)
    finally:
        tmp.unlink(missing_ok=True)
    return True


def write_object_bytes(data: bytes, hub_root: Path) -> tuple[str, int]:
    sha = hashlib.sha256(data).hexdigest()
    dest = hub_root / object_relpath(sha)
    if not dest.exists():
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(f".{sha}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        tmp.replace(dest)
    return sha, len(data)
