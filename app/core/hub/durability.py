"""Durability on the rep's disk: a full disk said in one sentence, and downloads flushed to
the disk once, just before the catalog switch that starts using them."""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from collections.abc import Iterable
from pathlib import Path

from app.core.errors import SatchelError

_DISK_FULL = frozenset({errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)})


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
