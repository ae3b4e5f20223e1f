"""The one reading of a hub location, shared by every opener (sync, upload, report, watch).

A location is either a web hub - ``http://`` or ``https://`` with a host - or a folder:
``file:`` URLs (``file:///srv/hub``, ``file://localhost/srv/hub``, percent-escapes decoded),
``~`` and ``~user`` expanded, relative paths relative to the working folder, Windows drive
paths (``C:\\hub``: a one-letter "scheme") and UNC paths. Any other scheme is refused with
one sentence, so a typo never becomes a folder named ``ftp:`` in the working folder.
"""

from __future__ import annotations

import os
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from app.core.errors import HubError

WEB_SCHEMES = ("http", "https")


@dataclass(frozen=True, slots=True)
class HubLocation:
    """A parsed hub location: exactly one of ``url`` (a web hub, ending in ``/``) and
    ``folder`` (as given, ``~`` expanded; not resolved, so messages show what was typed)."""

    url: str | None = None
    folder: Path | None = None

    @property
    def is_web(self) -> bool:
        return self.url is not None

    def path(self) -> Path:
        """The folder of a folder hub (HubError for a web hub)."""
        if self.folder is None:
            raise HubError(f"The hub {self.url} is a web address, not a folder.")
        return self.folder

    def normalised(self) -> str:
        """How a library remembers the hub: folders as absolute paths, URLs with a slash."""
        if self.url is not None:
            return self.url
        return str(self.path().resolve())


def parse_location(location: str) -> HubLocation:
    """See the module docstring. HubError (one sentence) for what names no hub."""
    text = location.strip()
    if not text:
        raise HubError("No hub location was given.")
    parsed = urllib.parse.urlparse(text)
    scheme = parsed.scheme.lower()
    if scheme in WEB_SCHEMES:
        if not parsed.netloc:
            raise HubError(f"Hub location {location!r} has no host name.")
        return HubLocation(url=text if text.endswith("/") else text + "/")
    if scheme == "file":
        return HubLocation(folder=_file_url_path(parsed, location))
    if len(scheme) > 1:
        raise HubError(f"Hub location {location!r} is neither a folder nor an http(s) URL.")
    return HubLocation(folder=Path(text).expanduser())


def _file_url_path(parsed: urllib.parse.ParseResult, location: str) -> Path:
    host = parsed.netloc
    if host in ("", "localhost"):
        return Path(urllib.request.url2pathname(parsed.path))
    if os.name == "nt":  # file://server/share/hub: a UNC path
        return Path(urllib.request.url2pathname(f"//{host}{parsed.path}"))
    raise HubError(
        f"Hub location {location!r} names a folder on another computer; mount it and give "
        "the folder's path instead."
    )


def normalise_location(location: str) -> str:
    """Folders are remembered as absolute paths; URLs as given (with a trailing slash)."""
    return parse_location(location).normalised()
