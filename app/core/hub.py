"""Reading a hub: a folder path or an http(s) URL served by any static web server.

A hub holds ``catalog.json`` (signed) and ``objects/<2 hex>/<sha256>``: every published file,
byte for byte, named by its hash. Nothing here trusts what it reads; callers verify.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import shutil
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from app.core.catalog import MAX_CATALOG_BYTES, SHA_RE
from app.core.crashpoints import crashpoint
from app.core.errors import CancelledError, HashMismatchError, HubError, HubUnreachableError

CATALOG_NAME = "catalog.json"
OBJECTS_DIR = "objects"
INBOX_DIR = "inbox"
CHUNK = 1 << 20
DEFAULT_TIMEOUT_S = 30.0

Progress = Callable[[int], None]  # bytes just received
Cancel = Callable[[], bool]


def object_relpath(sha256: str) -> str:
    if not SHA_RE.match(sha256):
        raise HubError(f"{sha256[:80]!r} is not a content hash.")
    return f"{OBJECTS_DIR}/{sha256[:2]}/{sha256}"


class Hub(Protocol):
    location: str

    def read_catalog(self) -> bytes:
        """The catalog envelope's bytes (unverified)."""
        ...

    def fetch_object(
        self, sha256: str, size: int, part: Path, progress: Progress, cancel: Cancel
    ) -> None:
        """Complete ``part`` with the object's bytes, resuming what is already there.

        Raises HashMismatchError (and removes ``part``) when the bytes do not hash to
        ``sha256`` or exceed ``size``.
        """
        ...


def open_hub(location: str, *, timeout_s: float = DEFAULT_TIMEOUT_S) -> Hub:
    parsed = urllib.parse.urlparse(location)
    if parsed.scheme in ("http", "https"):
        return HttpHub(location, timeout_s=timeout_s)
    if parsed.scheme == "file":
        return FolderHub(Path(urllib.request.url2pathname(parsed.path)))
    if parsed.scheme and len(parsed.scheme) > 1:
        raise HubError(f"Hub location {location!r} is neither a folder nor an http(s) URL.")
    return FolderHub(Path(location))


def normalise_location(location: str) -> str:
    """Folders are remembered as absolute paths; URLs as given (with a trailing slash)."""
    parsed = urllib.parse.urlparse(location)
    if parsed.scheme in ("http", "https"):
        return location if location.endswith("/") else location + "/"
    return str(Path(location).expanduser().resolve())


def _check_and_finish(part: Path, sha256: str, size: int) -> None:
    h = hashlib.sha256()
    length = 0
    with part.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            h.update(chunk)
            length += len(chunk)
    if length != size or h.hexdigest() != sha256:
        part.unlink(missing_ok=True)
        raise HashMismatchError(
            f"A file from the hub does not match the catalog (object {sha256[:12]}…, "
            f"{length} bytes, expected {size}); it was discarded."
        )


class FolderHub:
    """A hub on a local disk, network share or synced cloud folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.location = str(root)

    def _missing(self, what: str) -> HubUnreachableError:
        return HubUnreachableError(f"The hub folder {self.root} is not reachable ({what}).")

    def read_catalog(self) -> bytes:
        path = self.root / CATALOG_NAME
        if not self.root.is_dir():
            raise self._missing("no such folder")
        try:
            with path.open("rb") as fh:
                data = fh.read(MAX_CATALOG_BYTES + 1)
        except FileNotFoundError as exc:
            raise HubError(f"{self.root} is not a Satchel hub: it has no {CATALOG_NAME}.") from exc
        except OSError as exc:
            raise self._missing(exc.strerror or "read error") from exc
        return data

    def fetch_object(
        self, sha256: str, size: int, part: Path, progress: Progress, cancel: Cancel
    ) -> None:
        src = self.root / object_relpath(sha256)
        have = part.stat().st_size if part.exists() else 0
        if have > size:
            part.unlink()
            have = 0
        try:
            with src.open("rb") as fin, part.open("ab") as fout:
                fin.seek(have)
                remaining = size - have
                while remaining > 0:
                    if cancel():
                        raise CancelledError("Sync cancelled.")
                    chunk = fin.read(min(CHUNK, remaining))
                    if not chunk:
                        break
                    fout.write(chunk)
                    remaining -= len(chunk)
                    progress(len(chunk))
                    crashpoint("sync.chunk")
                if remaining == 0 and fin.read(1):
                    remaining = -1  # longer than declared
                fout.flush()
                os.fsync(fout.fileno())
        except FileNotFoundError as exc:
            if not self.root.is_dir():
                raise self._missing("folder vanished") from exc
            raise HubError(
                f"The hub is missing object {sha256[:12]}… that its catalog lists."
            ) from exc
        except OSError as exc:
            if exc.errno == errno.ENOSPC:
                raise HubError("The disk is full; free some space and sync again.") from exc
            raise self._missing(exc.strerror or "read error") from exc
        _check_and_finish(part, sha256, size)


class HttpHub:
    """A hub served by any static web server, object store or CDN: plain GETs only."""

    def __init__(self, base_url: str, *, timeout_s: float = DEFAULT_TIMEOUT_S) -> None:
        self.base = base_url if base_url.endswith("/") else base_url + "/"
        self.location = self.base
        self.timeout_s = timeout_s

    def _url(self, rel: str) -> str:
        return urllib.parse.urljoin(self.base, rel)

    def _open(self, rel: str, headers: dict[str, str] | None = None) -> urllib.response.addinfourl:
        req = urllib.request.Request(
            self._url(rel),
            headers={"User-Agent": "Satchel", "Cache-Control": "no-cache", **(headers or {})},
        )
        try:
            resp: urllib.response.addinfourl = urllib.request.urlopen(  # noqa: S310
                req, timeout=self.timeout_s
            )
            return resp
        except urllib.error.HTTPError as exc:
            exc.close()
            if exc.code == 404:
                raise HubError(f"The hub has no {rel} (HTTP 404 from {self.base}).") from exc
            if exc.code == 416:
                raise
            raise HubError(f"The hub answered HTTP {exc.code} for {rel}.") from exc
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            reason = getattr(exc, "reason", exc)
            raise HubUnreachableError(f"The hub {self.base} is not reachable ({reason}).") from exc

    def read_catalog(self) -> bytes:
        with self._open(CATALOG_NAME) as resp:
            try:
                data: bytes = resp.read(MAX_CATALOG_BYTES + 1)
            except (TimeoutError, ConnectionError, OSError) as exc:
                raise HubUnreachableError(
                    f"The hub {self.base} stopped answering while sending the catalog."
                ) from exc
            return data

    def fetch_object(
        self, sha256: str, size: int, part: Path, progress: Progress, cancel: Cancel
    ) -> None:
        rel = object_relpath(sha256)
        have = part.stat().st_size if part.exists() else 0
        if have > size:
            part.unlink()
            have = 0
        part.touch()
        if have < size:
            headers = {"Range": f"bytes={have}-"} if have else {}
            try:
                resp = self._open(rel, headers)
            except urllib.error.HTTPError:  # 416: what we have is all there is
                resp = None
            if resp is not None:
                with resp:
                    mode = "ab" if (have and resp.status == 206) else "wb"
                    try:
                        self._copy(resp, part, mode, size, progress, cancel)
                    except (TimeoutError, ConnectionError) as exc:
                        raise HubUnreachableError(
                            f"The hub {self.base} stopped answering mid-download; "
                            "the next sync resumes where this one stopped."
                        ) from exc
        _check_and_finish(part, sha256, size)

    @staticmethod
    def _copy(
        resp: urllib.response.addinfourl,
        part: Path,
        mode: str,
        size: int,
        progress: Progress,
        cancel: Cancel,
    ) -> None:
        """Append the body to ``part``, reading at most one byte past ``size``."""
        with part.open(mode) as fout:
            written = fout.tell()
            while written <= size:
                if cancel():
                    raise CancelledError("Sync cancelled.")
                chunk = resp.read(min(CHUNK, size + 1 - written))
                if not chunk:
                    break
                fout.write(chunk)
                written += len(chunk)
                progress(len(chunk))
                crashpoint("sync.chunk")
            fout.flush()
            with contextlib.suppress(OSError):
                os.fsync(fout.fileno())


def copy_into_objects(src: Path, hub_root: Path, sha256: str) -> bool:
    """Publisher side: store ``src`` as an immutable object; False if it was already there."""
    dest = hub_root / object_relpath(sha256)
    if dest.exists():
        return False
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{sha256}.{os.getpid()}.tmp")
    shutil.copyfile(src, tmp)
    tmp.replace(dest)
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
