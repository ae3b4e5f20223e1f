"""Finding the files marketing means to publish in a folder (and ignoring OS junk)."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from app.core.sidecar import SIDECAR_NAME

JUNK_NAMES = {".ds_store", "thumbs.db", "desktop.ini", "icon\r", SIDECAR_NAME}
JUNK_PATTERNS = ("~$*", ".~lock.*", "*.tmp", "*.part", "*.crdownload", "~*.tmp", ".*")
JUNK_DIRS = {"@eadir", "__macosx", ".git", ".svn", "$recycle.bin", ".trash", ".trashes"}


def is_junk(name: str) -> bool:
    lower = name.lower()
    return lower in JUNK_NAMES or any(fnmatch.fnmatch(lower, p) for p in JUNK_PATTERNS)


@dataclass(frozen=True, slots=True)
class SourceFile:
    path: Path
    rel: str  # POSIX-style path relative to the source root
    size: int
    mtime_ns: int


def scan_source(root: Path) -> Iterator[SourceFile]:
    """Regular files under ``root`` in a stable order; symlinks and junk are skipped."""
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(
            d
            for d in dirnames
            if d.lower() not in JUNK_DIRS
            and not d.startswith(".")
            and not Path(dirpath, d).is_symlink()
        )
        for name in sorted(filenames):
            if is_junk(name):
                continue
            path = Path(dirpath, name)
            try:
                st = path.lstat()
            except OSError:
                continue
            if not _is_regular(st.st_mode):
                continue
            rel = _writable(path.relative_to(root).as_posix())
            yield SourceFile(path, rel, st.st_size, st.st_mtime_ns)


def _writable(text: str) -> str:
    """A name that is not valid Unicode on disk (bytes that are not UTF-8 on Linux come back
    as lone surrogates) cannot be written into the catalog's UTF-8; spell those characters
    as ``\\udcff`` escapes instead - stable between runs, distinct between files."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


def _is_regular(mode: int) -> bool:
    import stat

    return stat.S_ISREG(mode)
