"""Where a rep's library lives on disk, and the one rule: never write outside it."""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from app.core.errors import ConfigError, SatchelError

APP_NAME = "Satchel"
HOME_ENV = "SATCHEL_HOME"


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


@dataclass(frozen=True, slots=True)
class LibraryPaths:
    """The layout of one library folder."""

    home: Path

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

    def ensure(self) -> None:
        """Create the folders, and fail with one clear sentence if the library is read-only.

        Probing by creating a file (rather than trusting permission bits) also catches
        read-only mounts, ACLs and a database file that was made read-only by itself.
        """
        try:
            for d in (self.home, self.files_dir, self.blobs_dir, self.tmp_dir):
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

    def content_dir(self, sha256: str) -> Path:
        return self.inside(self.files_dir / sha256[:2] / sha256)

    def blob_path(self, sha256: str) -> Path:
        return self.inside(self.blobs_dir / sha256[:2] / sha256)

    def part_path(self, sha256: str) -> Path:
        return self.inside(self.tmp_dir / f"{sha256}.part")

    def inside(self, path: Path) -> Path:
        """Return ``path`` if it stays inside the library folder, else raise
        OutsideLibraryError (a ValueError)."""
        home = self.home.resolve()
        resolved = path.resolve()
        if resolved != home and home not in resolved.parents:
            raise OutsideLibraryError(
                f"Refusing to touch {path}: it leads outside the library folder {self.home}."
            )
        return path
