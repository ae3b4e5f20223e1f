"""Where a rep's library lives on disk, and the one rule: never write outside it."""

from __future__ import annotations

import errno
import json
import os
import re
import sqlite3
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import platformdirs

from app.core.errors import ConfigError, SatchelError

APP_NAME = "Satchel"
HOME_ENV = "SATCHEL_HOME"
_HEX64 = re.compile(r"[0-9a-f]{64}")
_REPARSE_POINT = getattr(stat, "FILE_ATTRIBUTE_REPARSE_POINT", 0x400)  # Windows junctions
#: The file that makes a folder a Satchel library. Satchel writes only into a folder that
#: holds it, or one it may make its own (missing, empty, or a library of an earlier version).
MARKER_NAME = ".satchel-library"
MARKER_FORMAT = "satchel-library/1"
#: Tables a library database of an earlier version (before the marker existed) always has.
_LIBRARY_TABLES = frozenset({"items", "item_versions", "hub_state", "events", "meta"})
HomeStatus = Literal["library", "adoptable", "new", "foreign"]


class OutsideLibraryError(SatchelError, ValueError):
    """A path that would lead out of the library folder (a link put there, a bad name)."""


def default_home() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def resolve_home(cli_home: str | os.PathLike[str] | None) -> Path:
    """The library folder: ``--home`` beats ``SATCHEL_HOME`` beats the per-user data dir."""
    if cli_home:
        return Path(cli_home).expanduser().resolve()
    env = os.environ.get(HOME_ENV)
    if env:
        return Path(env).expanduser().resolve()
    return default_home()


def home_status(home: Path) -> HomeStatus:
    """What ``home`` is to Satchel, looking only (nothing is written).

    ``library``: it holds the marker. ``adoptable``: no marker, but it holds a library
    database of an earlier version (the marker is added when it is opened). ``new``: missing,
    empty, or holding nothing but Satchel's own log files (a command that logged there).
    ``foreign``: anything else - a folder of somebody's files, or not a folder at all.
    """
    try:
        st = home.stat()
    except FileNotFoundError:
        return "new"
    except OSError:
        return "foreign"
    if not stat.S_ISDIR(st.st_mode):
        return "foreign"
    marker = home / MARKER_NAME
    if marker.is_file() and not marker.is_symlink():
        return "library"
    try:
        entries = {e.name: e for e in os.scandir(home)}
    except OSError:
        return "foreign"
    if not entries or _only_satchel_logs(entries):
        return "new"
    db = entries.get("satchel.db")
    if db is not None and db.is_file(follow_symlinks=False) and _is_library_db(Path(db.path)):
        return "adoptable"
    return "foreign"


def _only_satchel_logs(entries: dict[str, os.DirEntry[str]]) -> bool:
    logs = entries.get("logs")
    if set(entries) != {"logs"} or logs is None or not logs.is_dir(follow_symlinks=False):
        return False
    try:
        names = [e.name for e in os.scandir(logs.path)]
    except OSError:
        return False
    return all(n.startswith("satchel.log") for n in names)


def _is_library_db(path: Path) -> bool:
    """A SQLite database with the tables of a Satchel library (opened read-only)."""
    try:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    except (sqlite3.Error, ValueError):
        return False
    try:
        rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        version = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except sqlite3.Error:
        return False
    finally:
        conn.close()
    return {r[0] for r in rows} >= _LIBRARY_TABLES and version is not None


def not_a_library_error(home: Path) -> ConfigError:
    if home.exists() and not home.is_dir():
        return ConfigError(f"The library folder {home} is a file, not a folder; choose a folder.")
    return ConfigError(
        f"The folder {home} is not a Satchel library and is not empty; Satchel uses only an "
        "empty or new folder for its library, so choose another one with --home."
    )


@dataclass(frozen=True, slots=True)
class LibraryPaths:
    """The layout of one library folder."""

    home: Path
    _real_home: Path | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def db_path(self) -> Path:
        return self.home / "satchel.db"

    @property
    def files_dir(self) -> Path:
        """Verified content files, one folder per content hash holding the file under its name."""
        return self.home / "files"

    @property
    def blobs_dir(self) -> Path:
        """Verified shipped extras (extracted text, thumbnails), named by hash."""
        return self.home / "blobs"

    @property
    def tmp_dir(self) -> Path:
        """Partial downloads; resumable, never used before their hash is checked."""
        return self.home / "tmp"

    @property
    def index_dir(self) -> Path:
        return self.home / "index"

    @property
    def log_dir(self) -> Path:
        return self.home / "logs"

    @property
    def marker_path(self) -> Path:
        return self.home / MARKER_NAME

    def ensure(self) -> None:
        """Claim the folder (see :func:`home_status`), create the folders, and fail with one
        clear sentence if it is somebody else's or read-only.

        Probing by creating a file (rather than trusting permission bits) also catches
        read-only mounts, ACLs and a database file that was made read-only by itself.
        """
        status = home_status(self.home)
        if status == "foreign":
            raise not_a_library_error(self.home)
        try:
            self.home.mkdir(parents=True, exist_ok=True)
            if status != "library":
                self.marker_path.write_text(
                    json.dumps({"format": MARKER_FORMAT, "note": "A Satchel library folder."})
                    + "\n",
                    encoding="utf-8",
                )
            for d in (self.files_dir, self.blobs_dir, self.tmp_dir):
                d.mkdir(parents=True, exist_ok=True)
            probe = self.home / f".write-test-{os.getpid()}"
            fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.close(fd)
            probe.unlink()
            if self.db_path.exists():
                os.close(os.open(self.db_path, os.O_RDWR))
        except OSError as exc:
            if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
                raise ConfigError(
                    f"The disk holding the library folder {self.home} is full; "
                    "free some space and try again."
                ) from exc
            raise ConfigError(
                f"The library folder {self.home} is not writable "
                f"({exc.strerror or exc}); Satchel needs to write there - fix its permissions "
                "or choose another folder with --home."
            ) from exc

    # Paths named by a content hash. They are built from a checked hash, so they lie inside
    # the library by their very names, and are not resolved (that costs a dozen system calls
    # per path). A link put inside the library by hand is handled where it matters: writers
    # create folders with real_dir(), which refuses links; what is handed out to be opened
    # or removed goes through inside(); the sync's cleanup removes links without following.

    def content_dir(self, sha256: str) -> Path:
        return self.files_dir.joinpath(_hex(sha256)[:2], sha256)

    def blob_path(self, sha256: str) -> Path:
        return self.blobs_dir.joinpath(_hex(sha256)[:2], sha256)

    def part_path(self, sha256: str) -> Path:
        return self.tmp_dir / f"{_hex(sha256)}.part"

    def real_home(self) -> Path:
        """The library folder with links resolved (once per LibraryPaths)."""
        real = self._real_home
        if real is None:
            real = self.home.resolve()
            object.__setattr__(self, "_real_home", real)
        return real

    def inside(self, path: Path) -> Path:
        """Return ``path`` if it stays inside the library folder, else raise
        OutsideLibraryError (a ValueError). Links on the way are followed to check."""
        home = self.real_home()
        resolved = path.resolve()
        if resolved != home and home not in resolved.parents:
            raise OutsideLibraryError(
                f"Refusing to touch {path}: it leads outside the library folder {self.home}."
            )
        return path

    # complexity: each folder on the way checked: link, junction, file
    def real_dir(
        self, folder: Path, checked: set[Path] | None = None, created: set[Path] | None = None
    ) -> Path:
        """Create ``folder`` (a path under ``home``) and each folder on the way, checking
        that every one is a real folder - not a link, nor a junction - so what is written
        into it stays in the library. ``checked`` holds folders this caller already checked
        (they are skipped) and receives the ones checked now; ``created`` receives the
        folders this call made (they are empty).

        A folder this call made needs no further look: ``mkdir`` makes a real folder or
        fails when anything (even a link to nowhere) is there already.
        The library folder itself may be a link (a library moved to another disk).
        """
        if checked is not None and folder in checked:
            return folder
        try:
            rel = folder.relative_to(self.home)
        except ValueError:
            rel = None
        if rel is None or any(p in ("..", ".") for p in rel.parts):
            raise OutsideLibraryError(
                f"Refusing to touch {folder}: it is not a folder of the library {self.home}."
            )
        current = self.home
        for part in rel.parts:
            current = current / part
            if checked is not None and current in checked:
                continue
            try:
                current.mkdir()
            except FileExistsError:
                st = current.lstat()
                reparse = getattr(st, "st_file_attributes", 0) & _REPARSE_POINT
                if not stat.S_ISDIR(st.st_mode) or reparse:
                    raise OutsideLibraryError(
                        f"Refusing to write into {current}: it is not a real folder of the "
                        f"library {self.home} (a link or a file put there by hand)."
                    ) from None
            else:
                if created is not None:
                    created.add(current)
            if checked is not None:
                checked.add(current)
        return folder


def _hex(sha256: str) -> str:
    if not _HEX64.fullmatch(sha256):
        raise OutsideLibraryError(f"{sha256[:80]!r} is not a content hash.")
    return sha256
