"""Opening a hub location (see :mod:`app.core.hub.location`) to read from it or upload to it."""

from __future__ import annotations

from app.core.hub.folder import FolderHub
from app.core.hub.http import HttpHub
from app.core.hub.inbox import FolderInbox, HttpInbox
from app.core.hub.location import parse_location
from app.core.hub.protocols import Hub, Inbox
from app.core.hub.transfer import TimeBudget


def open_hub(
    location: str, *, timeout_s: float | None = None, budget: TimeBudget | None = None
) -> Hub:
    """The hub at ``location``. ``timeout_s`` bounds each network read; ``budget`` each
    whole file (both default to their environment variables, then 30 s and 60 s)."""
    where = parse_location(location)
    if where.url is not None:
        return HttpHub(where.url, timeout_s=timeout_s, budget=budget)
    return FolderHub(where.path(), budget=budget)


def open_inbox(location: str, *, timeout_s: float | None = None) -> Inbox:
    """The inbox of the hub at ``location``, for uploading usage."""
    where = parse_location(location)
    if where.url is not None:
        return HttpInbox(where.url, timeout_s=timeout_s)
    return FolderInbox(where.path())
