"""Publisher side: storing files as immutable objects named by their hash."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from app.core.errors import HubError
from app.core.hub import parts
from app.core.hub.layout import object_relpath


def _copy_hashing(src: Path, dest: Path) -> tuple[str, int]:
    """Copy ``src`` to ``dest`` (holes stay holes) and return the SHA-256 and size copied."""
    h = hashlib.sha256()
    size = 0
    buf = bytearray(parts.CHUNK)
    view = memoryview(buf)
    with src.open("rb", buffering=0) as fin, parts.open_part(dest, 0) as fout:
        while n := fin.readinto(buf):
            h.update(view[:n])
            parts.write_chunk(fout, buf if n == parts.CHUNK else view[:n])
            size += n
        parts.close_part(fout, durable=True)
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
