"""Publisher side: checking a folder hub's objects against their names, and putting right
bytes back.

Someone with write access to the hub folder but no key can overwrite an object's bytes, delete
it, or swap it for a link, a folder or a FIFO. Reps refuse all of these (the hash, or the
file's kind), so every sync of a new rep would fail until marketing notices. The publisher
therefore checks every object its new catalog references (:func:`check_objects`) and
replaces a wrong one atomically (:func:`replace_object_from_file`,
:func:`replace_object_bytes`): a temporary file beside it, flushed, its hash checked, then
renamed over whatever is there; the temporary file is removed on any failure.

An object is right when it is a regular file, inside real (not linked) ``objects/`` folders,
of the declared size, whose bytes hash to its name. Hashing is skipped when the file's stat
(size, mtime_ns, ctime_ns) is exactly what the publisher recorded when it last verified it
(see :mod:`app.core.publisher_state`): rewriting a file's bytes changes its ctime, which no
one but the kernel can set. (On Windows ``st_ctime`` is the creation time, so there an
overwrite in place that also restores the mtime would go unnoticed until the stat changes.)
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import stat
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from app.core.errors import CancelledError, HubError
from app.core.hub.layout import OBJECTS_DIR, object_relpath
from app.core.publisher_state import Stamp

CHUNK = 1 << 20
OK, MISSING, MISMATCH = "ok", "missing", "mismatch"


@dataclass(frozen=True, slots=True)
class ObjectCheck:
    status: str  # OK | MISSING | MISMATCH
    stamp: Stamp | None = None  # the file's stat when it was found right


def object_path(hub_root: Path, sha256: str) -> Path:
    return hub_root / object_relpath(sha256)


def _is_real_dir(path: Path) -> bool:
    try:
        return stat.S_ISDIR(path.lstat().st_mode)
    except OSError:
        return False


def _stamp(st: os.stat_result) -> Stamp:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def stamp_of(hub_root: Path, sha256: str) -> Stamp | None:
    """The stat of a regular object file inside real folders of the hub; None otherwise."""
    path = object_path(hub_root, sha256)
    if not (_is_real_dir(hub_root / OBJECTS_DIR) and _is_real_dir(path.parent)):
        return None  # a linked folder leads out of the hub: reps refuse what is behind it
    try:
        st = path.lstat()
    except OSError:
        return None
    return _stamp(st) if stat.S_ISREG(st.st_mode) else None


def check_object(hub_root: Path, sha256: str, size: int, known: Stamp | None) -> ObjectCheck:
    """Whether the hub holds exactly the object ``sha256`` of ``size`` bytes."""
    path = object_path(hub_root, sha256)
    if not (_is_real_dir(hub_root / OBJECTS_DIR) and _is_real_dir(path.parent)):
        return ObjectCheck(MISSING)
    try:
        st = path.lstat()
    except FileNotFoundError:
        return ObjectCheck(MISSING)
    except OSError:
        return ObjectCheck(MISMATCH)
    if not stat.S_ISREG(st.st_mode) or st.st_size != size:
        return ObjectCheck(MISMATCH)  # a link, folder, FIFO or device, or the wrong length
    stamp = _stamp(st)
    if known is not None and stamp == known:
        return ObjectCheck(OK, stamp)
    try:
        digest = _hash_regular(path)
    except OSError:
        return ObjectCheck(MISMATCH)
    return ObjectCheck(OK, stamp) if digest == sha256 else ObjectCheck(MISMATCH)


def _hash_regular(path: Path) -> str:
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)
    flags |= getattr(os, "O_NONBLOCK", 0)  # never hang on a FIFO swapped in meanwhile
    fd = os.open(path, flags)
    with os.fdopen(fd, "rb", buffering=0) as fh:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"{path.name} is not a regular file")
        h = hashlib.sha256()
        buf = bytearray(CHUNK)
        view = memoryview(buf)
        while n := fh.readinto(buf):
            h.update(view[:n])
    return h.hexdigest()


def check_objects(
    hub_root: Path,
    wanted: Mapping[str, int],
    known: Mapping[str, Stamp],
    *,
    threads: int = 2,
    progress: Callable[[int, int], None] = lambda _done, _total: None,
    cancel: Callable[[], bool] = lambda: False,
) -> dict[str, ObjectCheck]:
    """Check every object in ``wanted`` (sha256 -> size); ``known``: stamps recorded when
    each was last verified. Hashing runs on a few threads (hashlib releases the GIL)."""
    total = len(wanted)
    out: dict[str, ObjectCheck] = {}
    progress(0, total)
    with ThreadPoolExecutor(max_workers=max(1, threads)) as pool:
        futures = {
            sha: pool.submit(check_object, hub_root, sha, size, known.get(sha))
            for sha, size in wanted.items()
        }
        try:
            for done, (sha, future) in enumerate(futures.items(), 1):
                out[sha] = future.result()
                progress(done, total)
                if cancel():
                    raise CancelledError("Publish cancelled; the hub is unchanged.")
        except BaseException:
            for future in futures.values():
                future.cancel()
            raise
    return out


def put_object_bytes(data: bytes, hub_root: Path) -> tuple[str, int, bool]:
    """Store ``data`` as an object unless a file of that name exists (which the caller must
    then check). Returns its hash, its size, and whether it was written now."""
    sha = hashlib.sha256(data).hexdigest()
    dest = object_path(hub_root, sha)
    if os.path.lexists(dest):
        return sha, len(data), False
    _write_into(dest, sha, len(data), lambda fh: _write_all(fh, data))
    return sha, len(data), True


def replace_object_bytes(data: bytes, hub_root: Path) -> Stamp:
    """Put ``data`` in place as its object, replacing whatever has its name; its stamp."""
    sha = hashlib.sha256(data).hexdigest()
    return _write_into(object_path(hub_root, sha), sha, len(data), lambda fh: _write_all(fh, data))


def replace_object_from_file(src: Path, hub_root: Path, sha256: str, size: int) -> Stamp:
    """Copy ``src`` in place as the object ``sha256``, replacing whatever has that name."""

    def copy(fh: _HashingFile) -> None:
        buf = bytearray(CHUNK)
        view = memoryview(buf)
        with src.open("rb", buffering=0) as fin:
            while n := fin.readinto(buf):
                _write_all(fh, view[:n])

    return _write_into(object_path(hub_root, sha256), sha256, size, copy, src=src)


class _HashingFile:
    """A file being written that hashes what goes into it."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.h = hashlib.sha256()
        self.size = 0


def _write_all(out: _HashingFile, data: bytes | memoryview) -> None:
    out.h.update(data)
    view = memoryview(data)
    while view:
        written = os.write(out.fd, view)
        view = view[written:]
    out.size += len(data)


def _real_folder(folder: Path) -> None:
    """Make ``folder`` a real folder: a link, file or FIFO put there in its place is removed
    (a link is never followed)."""
    try:
        st = folder.lstat()
    except FileNotFoundError:
        folder.mkdir(parents=True, exist_ok=True)
        return
    if stat.S_ISDIR(st.st_mode):
        return
    folder.unlink()
    folder.mkdir()


def _write_into(
    dest: Path,
    sha256: str,
    size: int,
    fill: Callable[[_HashingFile], None],
    *,
    src: Path | None = None,
) -> Stamp:
    """Write an object through a temporary file: filled, flushed, checked, renamed."""
    _real_folder(dest.parent.parent)
    _real_folder(dest.parent)
    tmp = dest.with_name(f".{sha256}.{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o644)
        out = _HashingFile(fd)
        try:
            fill(out)
            os.fsync(fd)
        finally:
            os.close(fd)
        if out.h.hexdigest() != sha256 or out.size != size:
            where = f"{src} changed while it was being published" if src else "the bytes differ"
            raise HubError(f"Cannot repair hub object {sha256[:12]}… ({where}); publish again.")
        if _is_real_dir(dest):  # a folder put where the object belongs
            shutil.rmtree(dest)
        tmp.replace(dest)
        return _stamp(dest.lstat())
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
