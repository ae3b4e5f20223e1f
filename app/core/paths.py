"""Where a rep's library lives on disk, and the one rule: never write outside it."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "Satchel"
HOME_ENV = "SATCHEL_HOME"


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
        for d in (self.home, self.files_dir, self.blobs_dir, self.tmp_dir):
            d.mkdir(parents=True, exist_ok=True)

    def content_dir(self, sha256: str) -> Path:
        return self.inside(self.files_dir / sha256[:2] / sha256)

    def blob_path(self, sha256: str) -> Path:
        return self.inside(self.blobs_dir / sha256[:2] / sha256)

    def part_path(self, sha256: str) -> Path:
        return self.inside(self.tmp_dir / f"{sha256}.part")

    def inside(self, path: Path) -> Path:
        """Return ``path`` if it stays inside the library folder, else raise ValueError."""
        home = self.home.resolve()
        resolved = path.resolve()
        if resolved != home and home not in resolved.parents:
            raise ValueError(f"refusing to touch {path}: outside the library folder")
        return path
