"""A hub's inbox, written by reps: one file per usage batch, all or nothing.

Folder hubs: temporary file, fsync, rename (identical bytes already there are left alone);
web hubs: an HTTP PUT of ``inbox/<device>/<batch>.json``.
"""

from __future__ import annotations

import http.client
import os
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from app.core.crashpoints import crashpoint
from app.core.errors import HubError, HubUnreachableError
from app.core.hub.transfer import default_timeout_s


class FolderInbox:
    def __init__(self, root: Path) -> None:
        self.root = root

    def put(self, relpath: str, data: bytes) -> None:
        if not self.root.is_dir():
            raise HubUnreachableError(f"The hub folder {self.root} is not reachable.")
        dest = self.root / relpath
        try:
            dest.parent.mkdir(parents=True, exist_ok=True)
            if dest.is_file() and dest.stat().st_size == len(data) and dest.read_bytes() == data:
                return
            for stale in dest.parent.glob(f".{dest.name}.*.tmp"):  # left by a killed upload
                stale.unlink(missing_ok=True)
            tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
            with tmp.open("wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            crashpoint("upload.put_tmp")
            tmp.replace(dest)
        except PermissionError as exc:
            raise HubError(
                f"This library may not write into the hub's inbox ({self.root / 'inbox'}); "
                "ask IT for write access to it."
            ) from exc
        except OSError as exc:
            raise HubUnreachableError(
                f"Could not write usage into the hub folder ({exc.strerror})."
            ) from exc


class HttpInbox:
    def __init__(self, base_url: str, *, timeout_s: float | None = None) -> None:
        self.base = base_url if base_url.endswith("/") else base_url + "/"
        self.timeout_s = default_timeout_s() if timeout_s is None else timeout_s

    def put(self, relpath: str, data: bytes) -> None:
        url = urllib.parse.urljoin(self.base, urllib.parse.quote(relpath))
        req = urllib.request.Request(
            url,
            data=data,
            method="PUT",
            headers={"Content-Type": "application/json", "User-Agent": "Satchel"},
        )
        try:
            with urllib.request.urlopen(req, timeout=self.timeout_s) as resp:  # noqa: S310
                if resp.status not in (200, 201, 204):
                    raise HubError(f"The hub answered HTTP {resp.status} to an upload.")
        except urllib.error.HTTPError as exc:
            exc.close()
            if exc.code in (401, 403, 405, 501):
                raise HubError(
                    f"The web hub does not accept uploads (HTTP {exc.code}); usage stays queued."
                ) from exc
            raise HubError(f"The hub answered HTTP {exc.code} to an upload.") from exc
        except (OSError, http.client.HTTPException, ValueError) as exc:  # URLError, timeouts
            raise HubUnreachableError(f"The hub {self.base} is not reachable.") from exc
