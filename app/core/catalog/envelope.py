"""The signed envelope around a catalog: signing, verifying, and bounded inflation.

On disk a catalog is a small JSON envelope around the exact bytes that were signed::

    {"format": "satchel-signed/1",
     "payload_gzip": "<base64 of the gzipped catalog JSON text>",
     "signatures": [{"keyid": "<16 hex>", "sig": "<base64 Ed25519 signature>"}]}

The signature covers ``b"satchel-catalog/1\\n" + payload.encode("utf-8")``, so verification
never depends on re-serialising JSON. The payload is described by :class:`~.model.Catalog`.
Publishers write it gzipped (5 times smaller at 5,000 items: every sync that finds a change
fetches the whole catalog); a plain ``"payload": "<catalog JSON text>"`` is read as well.
``python -c 'import json,gzip,base64,sys; e=json.load(sys.stdin);
print(gzip.decompress(base64.b64decode(e["payload_gzip"])).decode())' < catalog.json`` shows it.
"""

from __future__ import annotations

import base64
import gzip
import json
import zlib
from typing import Any

from app.core.catalog.model import MAX_CATALOG_BYTES, Catalog
from app.core.catalog.wire import catalog_to_json
from app.core.errors import SignatureError
from app.core.signing import PublicKey, SigningKey, b64, unb64

ENVELOPE_FORMAT = "satchel-signed/1"
SIGNING_CONTEXT = b"satchel-catalog/1\n"
MAX_ENVELOPE_STRUCTURE = 64 * 1024  # an envelope's JSON outside its strings is tiny
# a gzipped payload: at most this many compressed bytes, inflating at most MAX_INFLATION-fold
# (real catalogs: about 5-fold) - or to INFLATION_FLOOR, for tiny catalogs - and never beyond
# MAX_CATALOG_BYTES; checked before and while inflating, so a bomb costs a few milliseconds
MAX_PACKED_BYTES = 64 * 1024 * 1024
MAX_INFLATION = 50
INFLATION_FLOOR = 1024 * 1024
_INFLATE_STEP = 256 * 1024  # compressed bytes fed to the inflater at a time


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
