"""The publisher's own record of what it published, kept beside the signing key.

The hub is not trusted to say what marketing published last: anyone who can write to the hub
folder (but has no key) can put an older, validly signed ``catalog.json`` back, or change the
bytes of objects. So ``publish`` keeps, next to ``KEY``, a file ``KEY.state.json``::

    {"format": "satchel-publisher-state/1", "key_id": "<16 hex>",
     "hubs": {"/resolved/hub/path": {
         "serial": 3, "catalog_sha256": "<sha256 of the signed payload>",
         "recorded_at": "2026-12-03T10:00:00Z",
         "objects": {"<sha256>": [size, mtime_ns, ctime_ns], ...}}}}

per hub (named by its resolved path): the last serial this key signed there, the hash of that
catalog's signed payload, and every object of it the publisher has verified, with the file's
stat at that moment (an object whose size, mtime and ctime are unchanged is not hashed again).

Before anything is written to a hub, :meth:`PublisherState.check_hub` refuses a hub that
offers a lower serial than the one recorded (a rollback), or the recorded serial with other
content. A hub offering a *higher* serial signed by this key is trusted: the key published
there from another machine, or this machine's record was not written. No record at all (the
first publish with this key, or the key moved to a new machine) trusts the hub's signed
catalog and records it.

The file is replaced atomically (a temporary file beside it, renamed; removed on failure).
Writing re-reads the file and replaces only this hub's entry, so two publishes with one key
into two hubs at once keep each other's entries (at worst one entry is older than it should
be, which only makes the next publish there trust the hub's newer signed catalog).
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.core.catalog import SHA_RE
from app.core.errors import ConfigError, RollbackError, TrustError
from app.core.timeutil import iso, utcnow

STATE_FORMAT = "satchel-publisher-state/1"
STATE_SUFFIX = ".state.json"

Stamp = tuple[int, int, int]  # size, mtime_ns, ctime_ns of a verified hub object


def state_path_for(key_path: Path) -> Path:
    """Where the publisher state of the key at ``key_path`` lives: ``KEY.state.json``."""
    return key_path.with_name(key_path.name + STATE_SUFFIX)


def hub_id(hub_root: Path) -> str:
    return str(hub_root.resolve())


@dataclass(slots=True)
class HubRecord:
    serial: int
    catalog_sha256: str | None
    objects: dict[str, Stamp] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "serial": self.serial,
            "catalog_sha256": self.catalog_sha256,
            "recorded_at": iso(utcnow()),
            "objects": {sha: list(stamp) for sha, stamp in sorted(self.objects.items())},
        }


@dataclass(slots=True)
class PublisherState:
    """What this key published into each hub (see the module docstring)."""

    path: Path | None  # None: no record is kept (a publish without a key file)
    key_id: str
    hubs: dict[str, HubRecord] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path | None, key_id: str) -> PublisherState:
        if path is None:
            return cls(None, key_id)
        raw = _read(path)
        if raw is None or raw.get("key_id") != key_id:
            return cls(path, key_id)  # none yet, or written for a key no longer at this path
        try:
            hubs = {str(name): _parse_record(rec) for name, rec in raw["hubs"].items()}
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise _damaged(path, "its contents are malformed") from exc
        return cls(path, key_id, hubs)

    def record(self, hub_root: Path) -> HubRecord | None:
        return self.hubs.get(hub_id(hub_root))

    def check_hub(self, hub_root: Path, serial: int | None, catalog_sha256: str | None) -> None:
        """Refuse a hub whose catalog is older than, or differs from, the one this key last
        published there. ``serial`` None: the hub has no catalog at all."""
        rec = self.record(hub_root)
        if rec is None:
            return
        if serial is None:
            raise RollbackError(
                f"The hub {hub_root} has no catalog but this key last published serial "
                f"{rec.serial} there; refusing to publish over a rolled-back hub."
            )
        if serial < rec.serial:
            raise RollbackError(
                f"The hub {hub_root} offers catalog serial {serial} but this key last published "
                f"serial {rec.serial} there; refusing to publish over a rolled-back hub."
            )
        if serial == rec.serial and catalog_sha256 != rec.catalog_sha256:
            raise TrustError(
                f"The hub {hub_root} offers catalog serial {serial} with other content than "
                f"the serial {rec.serial} this key last published there; refusing to publish "
                "over a tampered hub."
            )

    def save(self, hub_root: Path, record: HubRecord) -> None:
        """Record ``record`` for ``hub_root`` (atomically; other hubs' entries are kept)."""
        name = hub_id(hub_root)
        self.hubs[name] = record
        if self.path is None:
            return
        try:
            raw = _read(self.path)
        except ConfigError:
            raw = None  # a damaged file is replaced by this publish's record
        hubs: dict[str, Any] = {}
        if raw is not None and raw.get("key_id") == self.key_id:
            others = raw.get("hubs")
            if isinstance(others, dict):
                hubs = dict(others)
        hubs[name] = record.to_json()
        doc = {"format": STATE_FORMAT, "key_id": self.key_id, "hubs": hubs}
        _atomic_write(self.path, json.dumps(doc, indent=1, sort_keys=True).encode("utf-8"))


def _damaged(path: Path, why: str) -> ConfigError:
    return ConfigError(
        f"The publisher state {path} is damaged ({why}); move it aside to publish (the hub's "
        "signed catalog is then trusted as it is)."
    )


def _read(path: Path) -> dict[str, Any] | None:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ConfigError(
            f"Cannot read the publisher state {path} ({exc.strerror or exc})."
        ) from exc
    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise _damaged(path, "it is not JSON") from exc
    if not isinstance(raw, dict) or raw.get("format") != STATE_FORMAT:
        raise _damaged(path, "it is not a Satchel publisher state")
    return raw


def _int(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError("not a count")
    return value


def _parse_record(raw: Any) -> HubRecord:
    sha = raw.get("catalog_sha256")
    if sha is not None and not (isinstance(sha, str) and SHA_RE.match(sha)):
        raise ValueError("not a hash")
    objects: dict[str, Stamp] = {}
    for obj, stamp in (raw.get("objects") or {}).items():
        if not SHA_RE.match(str(obj)) or not isinstance(stamp, list) or len(stamp) != 3:
            raise ValueError("not an object record")
        objects[str(obj)] = (_int(stamp[0]), _int(stamp[1]), _int(stamp[2]))
    return HubRecord(_int(raw["serial"]), sha, objects)


def _atomic_write(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` (owner-only, like the key): all or nothing."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        tmp.replace(path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise ConfigError(
            f"Cannot write the publisher state {path} ({exc.strerror or exc})."
        ) from exc
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
