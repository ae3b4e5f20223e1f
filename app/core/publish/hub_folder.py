"""The hub folder a publish writes: checked, locked, read, and written atomically."""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from app.core.catalog import Catalog, parse_catalog, signer_ids, verify_envelope
from app.core.errors import ConfigError, HubError, SignatureError
from app.core.hub import CATALOG_NAME, FolderHub, copy_into_objects, disk_full_error
from app.core.publisher_state import Stamp
from app.core.signing import SigningKey
from app.core.source_scan import SourceFile

PUBLIC_KEY_NAME = "publisher.pub"
#: What a folder hub holds; a non-empty folder with anything else and no catalog is no hub.
HUB_ENTRIES = {CATALOG_NAME, "objects", "inbox", "publisher.pub", ".publish.lock"}


@contextmanager
def locked_hub(hub_root: Path) -> Iterator[None]:
    """The hub folder, made if missing and locked against another publish; a first publish
    that fails removes the folder it made."""
    created = not hub_root.exists()
    try:
        hub_root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(
            f"Cannot create the hub folder {hub_root} ({exc.strerror or exc})."
        ) from exc
    lock = FileLock(str(hub_root / ".publish.lock"))
    try:
        lock.acquire(timeout=0)
    except Timeout as exc:
        raise HubError(f"Another publish into {hub_root} is running.") from exc
    except OSError as exc:
        if created:
            shutil.rmtree(hub_root, ignore_errors=True)
        raise ConfigError(
            f"Cannot write into the hub folder {hub_root} ({exc.strerror or exc})."
        ) from exc
    ok = False
    try:
        yield
        ok = True
    finally:
        lock.release()
        if created and not ok and not (hub_root / CATALOG_NAME).exists():
            shutil.rmtree(hub_root, ignore_errors=True)  # the folder this publish made


def check_folders(src: Path, hub_root: Path) -> None:
    """The source is a folder; the hub is a hub folder, a missing or an empty one."""
    if not src.is_dir():
        what = "is not a folder" if src.exists() else "does not exist"
        raise ConfigError(f"The source folder {src} {what}.")
    if hub_root.exists() and not hub_root.is_dir():
        raise ConfigError(f"The hub {hub_root} is a file, not a folder; give a hub folder.")
    if src.resolve() == hub_root.resolve() or src.resolve() in hub_root.resolve().parents:
        raise ConfigError("The hub folder must not be inside the source folder.")
    try:
        names = {e.name for e in os.scandir(hub_root)} if hub_root.exists() else set()
    except OSError as exc:
        raise ConfigError(f"Cannot read the hub folder {hub_root} ({exc.strerror}).") from exc
    if CATALOG_NAME not in names and not names <= HUB_ENTRIES:
        raise ConfigError(
            f"The folder {hub_root} is not empty and is not a Satchel hub (it has no "
            f"{CATALOG_NAME}); publish into an existing hub or a new, empty folder."
        )


def read_previous_catalog(hub_root: Path, key: SigningKey) -> Catalog | None:
    return read_hub_catalog(hub_root, key)[0]


def read_hub_catalog(hub_root: Path, key: SigningKey) -> tuple[Catalog | None, str | None]:
    """The hub's catalog as signed by ``key`` and the SHA-256 of its signed payload;
    (None, None) when the hub has none yet. Another key's catalog is refused."""
    if not os.path.lexists(hub_root / CATALOG_NAME):
        return None, None
    data = FolderHub(hub_root).read_catalog()  # a regular file, of a sane size
    try:
        payload = verify_envelope(data, key.public)
    except SignatureError as exc:
        ids = ", ".join(signer_ids(data)) or "an unknown key"
        raise HubError(
            f"The hub {hub_root} is signed by another key ({ids}); "
            f"refusing to publish into it with key {key.public.key_id}."
        ) from exc
    return parse_catalog(payload), hashlib.sha256(payload.encode("utf-8")).hexdigest()


def atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


def store_file(sf: SourceFile, hub_root: Path, sha: str) -> bool:
    try:
        return copy_into_objects(sf.path, hub_root, sha)
    except OSError as exc:
        if disk_full_error(exc, hub_root) is not None:
            raise HubError(
                f"The hub folder's disk is full ({exc.strerror}); free some space and "
                "publish again - the hub's catalog is unchanged."
            ) from exc
        raise HubError(
            f"Cannot copy {sf.rel} into the hub ({exc.strerror or exc}); "
            "the hub's catalog is unchanged."
        ) from exc


def repair_object(write: Callable[[], Stamp], hub_root: Path) -> Stamp:
    try:
        return write()
    except OSError as exc:
        if disk_full_error(exc, hub_root) is not None:
            raise HubError(
                f"The hub folder's disk is full ({exc.strerror}); free some space and "
                "publish again - the hub's catalog is unchanged."
            ) from exc
        raise HubError(
            f"Cannot repair an object in the hub ({exc.strerror or exc}); "
            "the hub's catalog is unchanged."
        ) from exc
