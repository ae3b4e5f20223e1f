"""How fresh the signed catalog is: its publish date and its "valid until" (TUF's timestamp idea).

A hub has no server-side code, so a mirror or a share can keep serving an old catalog
forever (a freeze): every signature still verifies and the serial never goes backwards. The
publisher therefore signs a ``valid_until`` into every catalog (30 days after publishing by
default; ``publish --valid-days N``, and ``publish --refresh`` re-signs an unchanged
catalog). Past that date a rep is *warned* - in ``sync``'s output and in a banner of the app -
but never locked out: the content stays usable, since marketing forgetting to publish must
not take the collateral away from a rep in front of a customer.

Catalogs signed before the field existed carry no ``valid_until``: they never go stale (no
warning), so upgrading the app does not suddenly warn every rep about an old hub.

The library keeps the catalog's ``created_at`` in its hub state and the ``valid_until`` in
its ``meta`` table (key :data:`VALID_UNTIL_KEY`; an empty value: no limit), both written in
the transaction that switches catalogs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from app.core.models import Meta
from app.core.timeutil import iso, parse_iso, utcnow

if TYPE_CHECKING:
    from app.core.library import Library

VALID_UNTIL_KEY = "catalog_valid_until"
DEFAULT_VALID_DAYS = 30
MAX_VALID_DAYS = 3650


def valid_until_after(published: datetime, days: int) -> datetime:
    return published + timedelta(days=days)


def valid_until_row(valid_until: datetime | None) -> Meta:
    """The ``meta`` row recording a switched catalog's ``valid_until`` ("" for none)."""
    return Meta(key=VALID_UNTIL_KEY, value=iso(valid_until) or "")


def decode_valid_until(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return parse_iso(value)
    except ValueError:
        return None


def human_date(when: datetime) -> str:
    """``3 Dec 2026``, in this computer's time zone."""
    local = when.astimezone()
    return f"{local.day} {local:%b %Y}"


@dataclass(frozen=True, slots=True)
class Freshness:
    """The date of the library's signed catalog and until when it is vouched for."""

    published_at: datetime | None
    valid_until: datetime | None

    def expired(self, now: datetime | None = None) -> bool:
        return self.valid_until is not None and (now or utcnow()) > self.valid_until

    def label(self) -> str:
        """For the status bar: ``Library from 3 Dec 2026`` (empty before any sync)."""
        if self.published_at is None:
            return ""
        return f"Library from {human_date(self.published_at)}"

    def line(self) -> str:
        """For ``sync``'s output: ``Library from 3 Dec 2026, valid until 2 Jan 2027.``"""
        if self.published_at is None:
            return ""
        if self.valid_until is None:
            return f"{self.label()}."
        return f"{self.label()}, valid until {human_date(self.valid_until)}."

    def warning(self, now: datetime | None = None) -> str | None:
        """One sentence when the catalog is past its ``valid_until``; None otherwise."""
        if not self.expired(now) or self.valid_until is None:
            return None
        published = f" (published {human_date(self.published_at)})" if self.published_at else ""
        return (
            f"The hub's catalog{published} was valid only until "
            f"{human_date(self.valid_until)} and the hub offers nothing newer, so it may be "
            "stale or frozen; the library stays usable, but ask marketing to publish again."
        )


def library_freshness(library: Library) -> Freshness:
    """The freshness of the catalog ``library`` last switched to."""
    return Freshness(
        published_at=library.hub_state().catalog_created_at,
        valid_until=decode_valid_until(library.meta(VALID_UNTIL_KEY)),
    )
