"""What a catalog says: its items, their objects and histories, marketing's replies, and
who each item is aimed at."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

CATALOG_FORMAT = "satchel-catalog"
CATALOG_VERSION = 1
MAX_CATALOG_BYTES = 256 * 1024 * 1024
MAX_ITEMS = 500_000
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
SHA_RE = re.compile(r"^[0-9a-f]{64}$")
TAG_KINDS = ("product", "segment", "stage", "persona", "region")
KINDS = ("pdf", "pptx", "docx", "xlsx", "text", "html", "csv", "image", "video", "other")
# an audience label, e.g. "region:DACH" or "role:SE": who an item is aimed at (targeting,
# not secrecy - see audience_matches)
AUDIENCE_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9:._/ &+-]{0,63}")
MAX_AUDIENCES = 32
# may a rep hand an item to a customer? "internal": for the rep's eyes only (battlecards,
# price guides); "external": approved to share. Absent in a catalog: SHARE_DEFAULT.
SHARE_VALUES = ("internal", "external")
SHARE_DEFAULT = "external"


@dataclass(frozen=True, slots=True)
class BlobRef:
    """A content-addressed file in the hub's ``objects/`` folder."""

    sha256: str
    size: int


@dataclass(frozen=True, slots=True)
class VersionEntry:
    version: int
    sha256: str
    size: int
    published_at: datetime
    change_note: str = ""


@dataclass(slots=True)
class CatalogItem:
    id: str
    title: str
    kind: str
    filename: str
    version: int
    sha256: str
    size: int
    updated_at: datetime
    published_at: datetime
    status: str = "current"  # current | withdrawn
    description: str = ""
    source: str = ""
    tags: dict[str, list[str]] = field(default_factory=dict)
    owner: str | None = None
    expires_at: datetime | None = None
    withdrawn_at: datetime | None = None
    searchable: bool = True
    reason: str | None = None
    pages: int | None = None
    text: BlobRef | None = None
    thumbnail: BlobRef | None = None
    rendition: BlobRef | None = None  # a PDF of an office file (absent in older catalogs)
    no_preview: str | None = None  # why LibreOffice made none of this version (not tried again)
    history: list[VersionEntry] = field(default_factory=list)
    audiences: list[str] = field(default_factory=list)  # empty: aimed at everyone
    share: str = SHARE_DEFAULT  # "internal" | "external" (SHARE_VALUES)

    @property
    def content(self) -> BlobRef:
        return BlobRef(self.sha256, self.size)

    def blobs(self) -> list[BlobRef]:
        """Every hub object this item needs locally: its bytes and :meth:`derived`."""
        return [self.content, *self.derived()]

    def derived(self) -> list[BlobRef]:
        """The objects made from its bytes at publish: text, thumbnail, PDF rendition."""
        return [r for r in (self.text, self.thumbnail, self.rendition) if r is not None]


REPLY_STATUSES = ("planned", "done", "declined")
REPLY_KINDS = ("flag", "request")
MAX_REPLIES = 20_000
MAX_REPLY_NOTE = 1000
_EVENT_ID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


@dataclass(frozen=True, slots=True)
class Reply:
    """Marketing's answer to a rep's flag or request, signed in the catalog.

    ``id`` is the flag's or request's event id (a random UUID only its rep's app knows
    to be its own); ``item_id`` the item a flag was about; ``answer_item`` the item that
    answers it (a request answered with new material). No rep is named."""

    id: str
    kind: str  # flag | request
    status: str  # planned | done | declined
    answered_at: datetime
    note: str = ""
    item_id: str | None = None
    answer_item: str | None = None


@dataclass(slots=True)
class Catalog:
    serial: int
    created_at: datetime
    key_id: str
    items: list[CatalogItem]
    index: BlobRef | None = None  # the shipped search index's manifest (index_snapshot.py)
    # when reps start being warned that the hub offers nothing newer (see freshness.py);
    # None: no limit (catalogs signed before the field existed)
    valid_until: datetime | None = None
    replies: list[Reply] = field(default_factory=list)  # absent in older catalogs

    def current(self) -> list[CatalogItem]:
        return [i for i in self.items if i.status == "current"]

    def by_id(self) -> dict[str, CatalogItem]:
        return {i.id: i for i in self.items}


def audience_key(label: str) -> str:
    """How audiences compare: trimmed, case-insensitive."""
    return re.sub(" +", " ", label.strip(" ")).casefold()


def audience_matches(item_audiences: list[str], rep_audiences: frozenset[str] | None) -> bool:
    """Is an item aimed at a rep? An item with no audiences is for everyone; otherwise it is
    for a rep when any of its audiences is among the rep's (``rep_audiences`` given as
    :func:`audience_key` values). A rep with no audiences configured (None) sees everything.
    This is targeting, not secrecy: the hub serves every file to anyone who can read it."""
    if not item_audiences or rep_audiences is None:
        return True
    return any(audience_key(a) in rep_audiences for a in item_audiences)


def check_audience(value: Any) -> str:
    """One audience label as typed by marketing or a rep; ValueError when it is not one."""
    label = re.sub(" +", " ", value.strip(" ")) if isinstance(value, str) else ""
    if not AUDIENCE_RE.fullmatch(label):
        raise ValueError(
            f"{str(value)[:80]!r} is not an audience (letters, digits and : . _ / & + - or "
            "spaces, at most 64 characters, such as region:DACH)"
        )
    return label
