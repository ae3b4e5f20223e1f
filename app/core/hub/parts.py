"""Part files: a download lands in ``tmp/<sha>.part``, resumes from what is there, is hashed
as it is written, and becomes the object only when its length and hash are exactly right.

Chunks of zeros are written as holes, so a sparse object stays sparse on the rep's disk.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
from pathlib import Path

from app.core.errors import HashMismatchError

CHUNK = 1 << 20
_ZEROS = bytes(CHUNK)


def part_size(part: Path, size: int) -> int:
    """Bytes already downloaded into ``part`` (a part longer than the object is dropped)."""
    try:
        have = part.stat().st_size
    except FileNotFoundError:
        return 0
    if have > size:
        part.unlink()
        return 0
    return have


def resume(part: Path, size: int) -> tuple[int, hashlib._Hash]:
    """Where a download into ``part`` resumes, and the hash of the bytes before that point
    (read once; from then on the bytes are hashed as they are written)."""
    have = part_size(part, size)
    try:
        return have, hash_prefix(part, have)
    except (HashMismatchError, FileNotFoundError):
        return 0, hashlib.sha256()


def write_chunk(fout: io.FileIO, data: bytes | bytearray | memoryview) -> bool:
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


def open_part(part: Path, offset: int) -> io.FileIO:
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


def close_part(fout: io.FileIO, *, hole: bool = True, durable: bool = False) -> None:
    """Fix the part's length (when the last write was a hole, or may have been); ``durable``
    also flushes it to the disk (publisher side).

    A rep's downloads are not flushed one by one: the sync makes all of them durable at
    once just before its catalog switch (see :func:`make_durable`)."""
    if hole:
        fout.truncate(fout.tell())  # a trailing hole still counts as written
    if durable:
        with contextlib.suppress(OSError):
            os.fsync(fout.fileno())


def hash_prefix(part: Path, length: int) -> hashlib._Hash:
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


def refuse(part: Path, sha256: str, length: int, size: int) -> HashMismatchError:
    part.unlink(missing_ok=True)
    return HashMismatchError(
        f"A file from the hub does not match the catalog (object {sha256[:12]}…, "
        f"{length} bytes, expected {size}); it was discarded."
    )


def finish_hashed(part: Path, digest: str, length: int, sha256: str, size: int) -> None:
    """Raise HashMismatchError (and remove ``part``) unless the bytes written into it -
    ``length`` of them, hashing to ``digest`` as they were written - are exactly the object."""
    if length != size or digest != sha256:
        raise refuse(part, sha256, length, size)


def check_and_finish(part: Path, sha256: str, size: int) -> None:
    """Raise HashMismatchError (and remove ``part``) unless it holds exactly the object
    (reads the whole file: for a file not hashed while it was written)."""
    try:
        length = part.stat().st_size
        digest = hash_prefix(part, length).hexdigest()
    except HashMismatchError:
        raise refuse(part, sha256, -1, size) from None
    finish_hashed(part, digest, length, sha256, size)
