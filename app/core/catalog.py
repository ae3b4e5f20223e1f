"""The signed catalog: what a hub currently offers, checked before anything trusts it.

On disk a catalog is a small JSON envelope around the exact bytes that were signed::

    {"format": "satchel-signed/1",
     "payload_gzip": "<base64 of the gzipped catalog JSON text>",
     "signatures": [{"keyid": "<16 hex>", "sig": "<base64 Ed25519 signature>"}]}

The signature covers ``b"satchel-catalog/1\\n" + payload.encode("utf-8")``, so verification
never depends on re-serialising JSON. The payload is described by :class:`Catalog`.
Publishers write it gzipped (5 times smaller at 5,000 items: every sync that finds a change
fetches the whole catalog); a plain ``"payload": "<catalog JSON text>"`` is read as well.
``python -c 'import json,gzip,base64,sys; e=json.load(sys.stdin);
print(gzip.decompress(base64.b64decode(e["payload_gzip"])).decode())' < catalog.json`` shows it.
"""

from __future__ import annotations

import base64
import gzip
import json
import re
import unicodedata
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from app.core.errors import SignatureError, UnsafeCatalogError
from app.core.signing import PublicKey, SigningKey, b64, unb64
from app.core.timeutil import iso, parse_iso

ENVELOPE_FORMAT = "satchel-signed/1"
SIGNING_CONTEXT = b"satchel-catalog/1\n"
CATALOG_FORMAT = "satchel-catalog"
CATALOG_VERSION = 1
MAX_CATALOG_BYTES = 256 * 1024 * 1024
MAX_ITEMS = 500_000
MAX_ENVELOPE_STRUCTURE = 64 * 1024  # an envelope's JSON outside its strings is tiny
# a gzipped payload: at most this many compressed bytes, inflating at most MAX_INFLATION-fold
# (real catalogs: about 5-fold) - or to INFLATION_FLOOR, for tiny catalogs - and never beyond
# MAX_CATALOG_BYTES; checked before and while inflating, so a bomb costs a few milliseconds
MAX_PACKED_BYTES = 64 * 1024 * 1024
MAX_INFLATION = 50
INFLATION_FLOOR = 1024 * 1024
_INFLATE_STEP = 256 * 1024  # compressed bytes fed to the inflater at a time

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
_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$", re.IGNORECASE)


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


# ----------------------------------------------------------------------------- writing


def _blob_json(ref: BlobRef | None) -> dict[str, Any] | None:
    return None if ref is None else {"sha256": ref.sha256, "size": ref.size}


def catalog_to_json(cat: Catalog) -> dict[str, Any]:
    return {
        "format": CATALOG_FORMAT,
        "version": CATALOG_VERSION,
        "serial": cat.serial,
        "created_at": iso(cat.created_at),
        "valid_until": iso(cat.valid_until),
        "key_id": cat.key_id,
        "index": _blob_json(cat.index),
        **({"replies": [reply_to_json(r) for r in cat.replies]} if cat.replies else {}),
        "items": [
            {
                "id": i.id,
                "status": i.status,
                "title": i.title,
                "description": i.description,
                "kind": i.kind,
                "filename": i.filename,
                "source": i.source,
                "tags": i.tags,
                "owner": i.owner,
                "version": i.version,
                "sha256": i.sha256,
                "size": i.size,
                "published_at": iso(i.published_at),
                "updated_at": iso(i.updated_at),
                "expires_at": iso(i.expires_at),
                "withdrawn_at": iso(i.withdrawn_at),
                "searchable": i.searchable,
                "reason": i.reason,
                "pages": i.pages,
                "text": _blob_json(i.text),
                "thumbnail": _blob_json(i.thumbnail),
                **({"rendition": _blob_json(i.rendition)} if i.rendition else {}),
                **({"audiences": i.audiences} if i.audiences else {}),
                **({"share": i.share} if i.share != SHARE_DEFAULT else {}),
                "history": [
                    {
                        "version": h.version,
                        "sha256": h.sha256,
                        "size": h.size,
                        "published_at": iso(h.published_at),
                        "change_note": h.change_note,
                    }
                    for h in i.history
                ],
            }
            for i in cat.items
        ],
    }


def reply_to_json(r: Reply) -> dict[str, Any]:
    return {
        "id": r.id,
        "kind": r.kind,
        "status": r.status,
        "answered_at": iso(r.answered_at),
        "note": r.note,
        "item_id": r.item_id,
        "answer_item": r.answer_item,
    }


def parse_reply(raw: Any) -> Reply:
    """One reply, checked strictly (UnsafeCatalogError when it is not one)."""
    if not isinstance(raw, dict):
        raise UnsafeCatalogError("The catalog has a malformed reply.")
    reply_id = raw.get("id")
    if not isinstance(reply_id, str) or not _EVENT_ID_RE.match(reply_id):
        raise UnsafeCatalogError("The catalog has a reply with a malformed id.")
    kind, status, note = raw.get("kind"), raw.get("status"), raw.get("note") or ""
    if kind not in REPLY_KINDS or status not in REPLY_STATUSES or not isinstance(note, str):
        raise UnsafeCatalogError(f"The catalog's reply {reply_id} is malformed.")
    items = [raw.get("item_id"), raw.get("answer_item")]
    for value in items:
        if value is not None and (not isinstance(value, str) or not ID_RE.match(value)):
            raise UnsafeCatalogError(f"The catalog's reply {reply_id} names an unsafe item id.")
    answered_at = _date(raw.get("answered_at"))
    if answered_at is None:
        raise UnsafeCatalogError(f"The catalog's reply {reply_id} has no date.")
    return Reply(
        id=reply_id,
        kind=str(kind),
        status=str(status),
        answered_at=answered_at,
        note=plain_line(note, MAX_REPLY_NOTE),
        item_id=items[0],
        answer_item=items[1],
    )


def sign_catalog(cat: Catalog, key: SigningKey) -> bytes:
    payload = json.dumps(catalog_to_json(cat), ensure_ascii=False, sort_keys=True, indent=1)
    raw = payload.encode("utf-8")
    sig = key.sign(SIGNING_CONTEXT + raw)
    envelope = {
        "format": ENVELOPE_FORMAT,
        "payload_gzip": base64.b64encode(gzip.compress(raw, compresslevel=6, mtime=0)).decode(),
        "signatures": [{"keyid": key.public.key_id, "sig": b64(sig)}],
    }
    return json.dumps(envelope, ensure_ascii=False).encode("utf-8")


# ----------------------------------------------------------------------------- reading


def verify_envelope(data: bytes, key: PublicKey) -> str:
    """Return the signed payload text if ``key`` signed it; raise SignatureError otherwise.

    Before anything is trusted the envelope is parsed, so it must not be able to cost much:
    beyond the size cap, JSON whose structure outside its strings is more than a few
    signatures' worth (a huge array, deep nesting) is refused before ``json.loads`` could
    spend memory or recursion on it.
    """
    if len(data) > MAX_CATALOG_BYTES:
        raise SignatureError("The hub's catalog is larger than any real catalog; refusing it.")
    try:
        text = data.decode("utf-8")
        if _structure_exceeds(text, MAX_ENVELOPE_STRUCTURE):
            raise SignatureError("The hub's catalog is not a signed Satchel catalog.")
        env = json.loads(text)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise SignatureError("The hub's catalog is not a signed Satchel catalog.") from exc
    if not isinstance(env, dict) or env.get("format") != ENVELOPE_FORMAT:
        raise SignatureError("The hub's catalog is not a signed Satchel catalog.")
    payload = envelope_payload(env)
    sigs = env.get("signatures")
    if payload is None or not isinstance(sigs, list) or not sigs:
        raise SignatureError("The hub's catalog is unsigned.")
    message = SIGNING_CONTEXT + payload.encode("utf-8")
    for entry in sigs:
        if not isinstance(entry, dict) or entry.get("keyid") != key.key_id:
            continue
        try:
            sig = unb64(str(entry.get("sig", "")))
        except ValueError:
            continue
        key.verify(sig, message)  # raises SignatureError on a bad signature
        return payload
    raise SignatureError(
        f"The hub's catalog is not signed by the trusted key {key.key_id}; "
        "it may have been published with another key."
    )


def envelope_payload(env: dict[str, Any]) -> str | None:
    """The payload text of a parsed envelope, inflated if it is gzipped; None when there is
    none. Raises SignatureError on a damaged one, or one that is or inflates too large.

    The signature covers the inflated payload, so it must be inflated before it can be
    verified: the packed size is checked before decoding, and the inflated size as it grows
    (see :func:`inflate_bounded`), never by inflating everything first."""
    payload = env.get("payload")
    if isinstance(payload, str):
        return payload
    packed = env.get("payload_gzip")
    if not isinstance(packed, str):
        return None
    if len(packed) > (MAX_PACKED_BYTES + 2) // 3 * 4:  # base64: 4 characters per 3 bytes
        raise SignatureError("The hub's catalog is larger than any real catalog; refusing it.")
    try:
        data = base64.b64decode(packed, validate=True)
        return inflate_bounded(data).decode("utf-8")
    except (ValueError, zlib.error) as exc:  # binascii.Error and UnicodeDecodeError too
        raise SignatureError("The hub's catalog is not a signed Satchel catalog.") from exc


def inflate_limit(packed_size: int) -> int:
    """The most bytes ``packed_size`` gzipped bytes of a catalog may inflate to."""
    return min(MAX_CATALOG_BYTES, max(INFLATION_FLOOR, packed_size * MAX_INFLATION))


def inflate_bounded(data: bytes) -> bytes:
    """Inflate one gzip member of at most :data:`MAX_PACKED_BYTES`, refusing (with a
    SignatureError) as soon as the output passes :func:`inflate_limit`; ValueError or
    zlib.error when it is not exactly one complete gzip member."""
    if len(data) > MAX_PACKED_BYTES:
        raise SignatureError("The hub's catalog is larger than any real catalog; refusing it.")
    limit = inflate_limit(len(data))
    inflate = zlib.decompressobj(wbits=31)
    out: list[bytes] = []
    size = 0
    view = memoryview(data)
    fed = 0
    while fed < len(data) and not inflate.eof:
        pending: bytes | memoryview = view[fed : fed + _INFLATE_STEP]
        fed += len(pending)
        while pending and not inflate.eof:
            chunk = inflate.decompress(pending, limit + 1 - size)
            size += len(chunk)
            if size > limit:
                raise _bomb(len(data), limit)
            out.append(chunk)
            pending = inflate.unconsumed_tail
    if not inflate.eof or inflate.unused_data or fed < len(data):
        raise ValueError("the payload is not one complete gzip member")
    return b"".join(out)


def _bomb(packed: int, limit: int) -> SignatureError:
    if limit >= MAX_CATALOG_BYTES:
        return SignatureError("The hub's catalog is larger than any real catalog; refusing it.")
    return SignatureError(
        f"The hub's catalog inflates more than {MAX_INFLATION}-fold from {packed:,} packed "
        "bytes (a decompression bomb); refusing it."
    )


def _structure_exceeds(text: str, limit: int) -> bool:
    """True when ``text`` has more than ``limit`` characters of JSON outside its strings.

    Strings are skipped by the json module's own (C) string scanner, so the real envelope
    (three strings and a signature or two) costs one pass over the payload.
    """
    i, n, outside = 0, len(text), 0
    while True:
        quote = text.find('"', i)
        outside += (n if quote < 0 else quote) - i
        if outside > limit:
            return True
        if quote < 0:
            return False
        _value, i = json.decoder.scanstring(text, quote + 1)  # type: ignore[attr-defined]


def signer_ids(data: bytes) -> list[str]:
    """Key ids that claim to have signed an envelope (unverified; for error messages)."""
    try:
        env = json.loads(data.decode("utf-8"))
        return [str(s.get("keyid")) for s in env.get("signatures", []) if isinstance(s, dict)]
    except (UnicodeDecodeError, json.JSONDecodeError, AttributeError):
        return []


def load_verified_catalog(data: bytes, key: PublicKey) -> Catalog:
    return parse_catalog(verify_envelope(data, key))


def parse_catalog(payload: str) -> Catalog:
    """Parse and strictly validate a verified payload. Anything off raises UnsafeCatalogError."""
    try:
        raw = json.loads(payload)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise UnsafeCatalogError("The signed catalog is not valid JSON.") from exc
    try:
        return _parse(raw)
    except UnsafeCatalogError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as exc:
        raise UnsafeCatalogError(f"The signed catalog is malformed ({exc}).") from exc


def _parse(raw: Any) -> Catalog:
    if not isinstance(raw, dict) or raw.get("format") != CATALOG_FORMAT:
        raise UnsafeCatalogError("The signed payload is not a Satchel catalog.")
    if raw.get("version") != CATALOG_VERSION:
        raise UnsafeCatalogError(
            f"The catalog has format version {raw.get('version')}; this Satchel reads "
            f"version {CATALOG_VERSION}. Please update the app."
        )
    serial = _int(raw["serial"], "serial")
    items_raw = raw["items"]
    if not isinstance(items_raw, list) or len(items_raw) > MAX_ITEMS:
        raise UnsafeCatalogError("The catalog's item list is malformed.")
    items = [_parse_item(i) for i in items_raw]
    seen: set[str] = set()
    for item in items:
        if item.id in seen:
            raise UnsafeCatalogError(f"The catalog lists item {item.id!r} twice.")
        seen.add(item.id)
    return Catalog(
        serial=serial,
        created_at=parse_iso(str(raw["created_at"])),
        key_id=str(raw.get("key_id", "")),
        items=items,
        index=_blob(raw.get("index")),
        valid_until=_date(raw.get("valid_until")),
        replies=_replies(raw.get("replies")),
    )


def _replies(value: Any) -> list[Reply]:
    if value is None:
        return []
    if not isinstance(value, list) or len(value) > MAX_REPLIES:
        raise UnsafeCatalogError("The catalog's reply list is malformed.")
    replies = [parse_reply(r) for r in value]
    if len({r.id for r in replies}) != len(replies):
        raise UnsafeCatalogError("The catalog answers one flag or request twice.")
    return replies


def _int(value: Any, name: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0 or value > 2**53:
        raise UnsafeCatalogError(f"The catalog's {name} is not a valid number.")
    return value


def _sha(value: Any) -> str:
    if not isinstance(value, str) or not SHA_RE.match(value):
        raise UnsafeCatalogError(
            f"The catalog names an object {str(value)[:80]!r} that is not a hash."
        )
    return value


def _blob(value: Any) -> BlobRef | None:
    if value is None:
        return None
    return BlobRef(_sha(value["sha256"]), _int(value["size"], "size"))


def _date(value: Any) -> datetime | None:
    return None if value is None else parse_iso(str(value))


def _parse_item(raw: Any) -> CatalogItem:
    item_id = raw["id"]
    if not isinstance(item_id, str) or not ID_RE.match(item_id):
        raise UnsafeCatalogError(
            f"The catalog has an item id {str(item_id)[:80]!r} that is not safe."
        )
    status = raw.get("status", "current")
    if status not in ("current", "withdrawn"):
        raise UnsafeCatalogError(f"Item {item_id} has an unknown status {status!r}.")
    kind = raw.get("kind", "other")
    if kind not in KINDS:
        kind = "other"
    tags_raw = raw.get("tags") or {}
    if not isinstance(tags_raw, dict):
        raise UnsafeCatalogError(f"Item {item_id} has malformed tags.")
    tags = {
        str(k): [str(v) for v in (vals if isinstance(vals, list) else [vals])]
        for k, vals in tags_raw.items()
    }
    audiences = _audiences(raw.get("audiences"), item_id)
    published_at = _date(raw["published_at"])
    updated_at = _date(raw["updated_at"])
    assert published_at is not None and updated_at is not None
    history = [
        VersionEntry(
            version=_int(h["version"], "version"),
            sha256=_sha(h["sha256"]),
            size=_int(h["size"], "size"),
            published_at=parse_iso(str(h["published_at"])),
            change_note=str(h.get("change_note") or ""),
        )
        for h in raw.get("history") or []
    ]
    return CatalogItem(
        id=item_id,
        status=status,
        title=plain_line(str(raw.get("title") or "")) or item_id,
        description=str(raw.get("description") or ""),
        kind=kind,
        filename=check_filename(raw["filename"], item_id),
        source=str(raw.get("source") or ""),
        tags=tags,
        owner=None if raw.get("owner") is None else str(raw["owner"]),
        version=_int(raw["version"], "version"),
        sha256=_sha(raw["sha256"]),
        size=_int(raw["size"], "size"),
        published_at=published_at,
        updated_at=updated_at,
        expires_at=_date(raw.get("expires_at")),
        withdrawn_at=_date(raw.get("withdrawn_at")),
        searchable=bool(raw.get("searchable", True)),
        reason=None if raw.get("reason") is None else str(raw["reason"]),
        pages=None if raw.get("pages") is None else _int(raw["pages"], "pages"),
        text=_blob(raw.get("text")),
        thumbnail=_blob(raw.get("thumbnail")),
        rendition=_blob(raw.get("rendition")),
        history=history,
        audiences=audiences,
        share=_share(raw.get("share"), item_id),
    )


def _share(value: Any, item_id: str) -> str:
    """Absent in catalogs signed before the field (and for shareable items): the default. A
    value this app does not know (a later publisher's) is taken as the safe one, internal."""
    if value is None:
        return SHARE_DEFAULT
    if not isinstance(value, str) or len(value) > 32:
        raise UnsafeCatalogError(f"Item {item_id} has a malformed share value.")
    return value if value in SHARE_VALUES else "internal"


def _audiences(value: Any, item_id: str) -> list[str]:
    """An item's audiences: absent (catalogs before the field) or a short list of labels."""
    if value is None:
        return []
    if not isinstance(value, list) or len(value) > MAX_AUDIENCES:
        raise UnsafeCatalogError(f"Item {item_id} has a malformed audience list.")
    try:
        return [check_audience(v) for v in value]
    except ValueError as exc:
        raise UnsafeCatalogError(f"Item {item_id} has a malformed audience ({exc}).") from exc


def plain_line(text: str, limit: int = 500) -> str:
    """One line of printable text: control and format characters (escape sequences, line
    breaks, bidi overrides) become spaces, runs of spaces one; cut to ``limit`` characters."""
    cleaned = "".join(
        " " if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c for c in text
    )
    return " ".join(cleaned.split())[:limit]


def check_filename(value: Any, item_id: str) -> str:
    """A catalog file name must be one plain name: no folders, no traversal, no devices."""
    if not isinstance(value, str):
        raise UnsafeCatalogError(f"Item {item_id} has no file name.")
    name = unicodedata.normalize("NFC", value)
    bad = (
        not name
        or len(name.encode("utf-8")) > 255
        or name in (".", "..")
        or name.startswith(".")
        or "/" in name
        or "\\" in name
        or ":" in name
        or any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in name)
        or name.endswith((" ", "."))
        or _WINDOWS_RESERVED.match(name) is not None
    )
    if bad:
        raise UnsafeCatalogError(
            f"The catalog gives item {item_id} the file name {value[:80]!r}, which is not a "
            "plain file name (paths, '..', and control characters are refused)."
        )
    return name


def sanitize_filename(name: str, fallback: str) -> str:
    """Make a publisher's file name safe to ship: what :func:`check_filename` accepts."""
    name = unicodedata.normalize("NFC", name)
    name = "".join(
        "_" if c in "/\\:" else c
        for c in name
        if unicodedata.category(c) not in ("Cc", "Cf", "Zl", "Zp")
    )
    name = name.strip().rstrip(".").lstrip(".").strip()
    if _WINDOWS_RESERVED.match(name):
        name = "_" + name
    while len(name.encode("utf-8")) > 255:
        stem, dot, ext = name.rpartition(".")
        name = (stem[:-1] + dot + ext) if stem and len(ext) < 16 else name[:-1]
    if not name or name in (".", ".."):
        name = fallback
    return name


def read_catalog_unverified(data: bytes) -> Catalog:
    """Marketing's own view of its hub (reports): parse without a trust decision.

    Clients never use this; they call :func:`load_verified_catalog`.
    """
    try:
        env = json.loads(data.decode("utf-8"))
        payload = envelope_payload(env)
    except (UnicodeDecodeError, json.JSONDecodeError, AttributeError, SignatureError) as exc:
        raise UnsafeCatalogError("The hub's catalog is not a Satchel catalog.") from exc
    if not isinstance(payload, str):
        raise UnsafeCatalogError("The hub's catalog is not a Satchel catalog.")
    return parse_catalog(payload)
