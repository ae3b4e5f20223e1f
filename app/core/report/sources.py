"""Finding and reading the batches in a hub's inbox: a folder, or an http(s) URL that lists.

A folder hub is read directly. An http(s) hub must list ``inbox/`` and its subfolders (for
nginx: ``autoindex on``, HTML or JSON format); a static host that lists nothing cannot
tell which batches exist, so the report then asks for the hub folder instead.
"""

from __future__ import annotations

import http.client
import json
import os
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

from app.core.errors import HubUnreachableError
from app.core.hub import (
    DEFAULT_TIMEOUT_S,
    INBOX_DIR,
    BatchRef,
    BatchSource,
    FolderHub,
    HttpHub,
    parse_location,
)
from app.core.report.errors import HubNotListableError
from app.core.usage.batch import MAX_BATCH_BYTES

MAX_LISTING_BYTES = 64 * 1024 * 1024


class BatchUnreadable(Exception):
    """One batch file could not be read (the others still can)."""


def open_source(location: str, *, timeout_s: float = DEFAULT_TIMEOUT_S) -> BatchSource:
    """The inbox of the hub at ``location`` (read as :func:`app.core.hub.parse_location` says)."""
    where = parse_location(location)
    if where.url is not None:
        return HttpSource(where.url, timeout_s=timeout_s)
    return FolderSource(where.path())


def _visible(name: str) -> bool:
    return bool(name) and not name.startswith(".")


class FolderSource:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.location = str(root)
        self._hub = FolderHub(root)

    def read_catalog(self) -> bytes:
        return self._hub.read_catalog()

    def devices(self) -> list[str]:
        inbox = self.root / INBOX_DIR
        if not inbox.is_dir():
            return []
        try:
            with os.scandir(inbox) as entries:
                return sorted(
                    e.name for e in entries if _visible(e.name) and e.is_dir(follow_symlinks=False)
                )
        except OSError as exc:
            raise HubUnreachableError(
                f"The hub's inbox {inbox} cannot be listed ({exc.strerror or exc})."
            ) from exc

    def batches(self, device: str) -> list[BatchRef]:
        folder = self.root / INBOX_DIR / device
        try:
            with os.scandir(folder) as entries:
                names = sorted(
                    e.name
                    for e in entries
                    if _visible(e.name)
                    and e.name.endswith(".json")
                    and e.is_file(follow_symlinks=False)
                )
        except OSError as exc:
            raise HubUnreachableError(
                f"The hub's inbox folder {folder} cannot be listed ({exc.strerror or exc})."
            ) from exc
        return [
            BatchRef(f"{INBOX_DIR}/{device}/{n}", n.removesuffix(".json"), str(folder / n))
            for n in names
        ]

    def read(self, ref: BatchRef) -> bytes:
        try:
            with Path(ref.locator).open("rb") as fh:
                return fh.read(MAX_BATCH_BYTES + 1)
        except OSError as exc:
            if not self.root.is_dir():
                raise HubUnreachableError(f"The hub folder {self.root} vanished.") from exc
            raise BatchUnreadable(exc.strerror or str(exc)) from exc


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs.extend(v for k, v in attrs if k == "href" and v)


_LISTING_MARKS = ("index of", "directory listing", 'href="../"', "parent directory")


class HttpSource:
    def __init__(self, base_url: str, *, timeout_s: float = DEFAULT_TIMEOUT_S) -> None:
        self.base = base_url if base_url.endswith("/") else base_url + "/"
        self.location = self.base
        self.timeout_s = timeout_s
        self._hub = HttpHub(self.base, timeout_s=timeout_s)

    def read_catalog(self) -> bytes:
        return self._hub.read_catalog()

    def _get(self, url: str, limit: int) -> tuple[bytes, str]:
        req = urllib.request.Request(
            url,
            headers={"User-Agent": "Satchel", "Cache-Control": "no-cache"},
        )
        try:
            with urllib.request.urlopen(req, timeout=self.timeout_s) as resp:  # noqa: S310
                body: bytes = resp.read(limit)
                return body, str(resp.headers.get("Content-Type") or "")
        except urllib.error.HTTPError:
            raise
        except (urllib.error.URLError, http.client.HTTPException, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise HubUnreachableError(f"The hub {self.base} is not reachable ({reason}).") from exc

    def _not_listable(self, detail: str) -> HubNotListableError:
        return HubNotListableError(
            f"The hub {self.base} does not list its inbox/ folder ({detail}); report needs "
            "the hub folder itself or a URL whose server lists folders (nginx: autoindex on)."
        )

    def _listing(self, url: str) -> tuple[list[str], list[str]] | None:
        """(folders, files) directly inside ``url``; None when it does not exist (404)."""
        try:
            body, ctype = self._get(url, MAX_LISTING_BYTES)
        except urllib.error.HTTPError as exc:
            exc.close()
            if exc.code == 404:
                return None
            raise self._not_listable(f"HTTP {exc.code} for {url}") from exc
        return self._parse_listing(url, body, ctype)

    # complexity: JSON or HTML listings, every entry checked
    def _parse_listing(self, url: str, body: bytes, ctype: str) -> tuple[list[str], list[str]]:
        text = body.decode("utf-8", errors="replace")
        folders: set[str] = set()
        files: set[str] = set()
        if "json" in ctype.lower() or text.lstrip().startswith("["):
            try:
                entries = json.loads(text)
            except json.JSONDecodeError as exc:
                raise self._not_listable(f"{url} is not a listing") from exc
            if not isinstance(entries, list):
                raise self._not_listable(f"{url} is not a listing")
            for entry in entries:
                if isinstance(entry, dict) and isinstance(entry.get("name"), str):
                    is_dir = entry.get("type") == "directory"
                    (folders if is_dir else files).add(entry["name"])
        else:
            parser = _Links()
            parser.feed(text)
            parser.close()
            for href in parser.hrefs:
                child = self._child(url, href)
                if child is not None:
                    name, is_dir = child
                    (folders if is_dir else files).add(name)
            if not folders and not files and not any(m in text.lower() for m in _LISTING_MARKS):
                raise self._not_listable(f"{url} answered a page that is not a folder listing")
        return (
            sorted(n for n in folders if _visible(n) and "/" not in n),
            sorted(n for n in files if _visible(n) and "/" not in n),
        )

    @staticmethod
    def _child(url: str, href: str) -> tuple[str, bool] | None:
        """(name, is_folder) when ``href`` names an entry directly inside ``url``."""
        if "?" in href or "#" in href:
            return None
        target = urllib.parse.urljoin(url, href)
        base = urllib.parse.urlparse(url)
        parsed = urllib.parse.urlparse(target)
        if (parsed.scheme, parsed.netloc) != (base.scheme, base.netloc):
            return None
        if not parsed.path.startswith(base.path) or parsed.path == base.path:
            return None
        rest = parsed.path[len(base.path) :]
        is_dir = rest.endswith("/")
        rest = rest.rstrip("/") if is_dir else rest
        if not rest or "/" in rest:
            return None
        name = urllib.parse.unquote(rest)
        return None if name in (".", "..") else (name, is_dir)

    def _folder_url(self, *parts: str) -> str:
        return self.base + "".join(urllib.parse.quote(p, safe="") + "/" for p in parts)

    def devices(self) -> list[str]:
        listing = self._listing(self._folder_url(INBOX_DIR))
        if listing is None:
            try:
                root = self._listing(self.base)
            except HubNotListableError:
                root = None
            if root is None:
                raise self._not_listable(f"HTTP 404 for {self._folder_url(INBOX_DIR)}")
            return []  # the server lists folders; the inbox just does not exist yet
        return listing[0]

    def batches(self, device: str) -> list[BatchRef]:
        url = self._folder_url(INBOX_DIR, device)
        listing = self._listing(url)
        if listing is None:
            return []
        return [
            BatchRef(
                f"{INBOX_DIR}/{device}/{n}",
                n.removesuffix(".json"),
                url + urllib.parse.quote(n, safe=""),
            )
            for n in listing[1]
            if n.endswith(".json")
        ]

    def read(self, ref: BatchRef) -> bytes:
        try:
            body, _ctype = self._get(ref.locator, MAX_BATCH_BYTES + 1)
        except urllib.error.HTTPError as exc:
            exc.close()
            raise BatchUnreadable(f"HTTP {exc.code}") from exc
        return body
