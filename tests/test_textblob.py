"""Shipped text blobs: gzipped JSON, old plain blobs still read, inflation bounded."""

from __future__ import annotations

import gzip
import json

from app.core.extract.types import Segment
from app.core.textblob import MAX_TEXT_BLOB, decode_text, encode_text


def test_text_round_trips_compressed_and_deterministic() -> None:
    segments = [Segment(1, "Pricing for 2026 " * 500), Segment(None, "Notes: café")]
    blob = encode_text(segments)
    assert blob[:2] == b"\x1f\x8b" and len(blob) < len("".join(s.text for s in segments)) / 5
    assert encode_text(segments) == blob  # the same text is the same hub object
    assert decode_text(blob) == segments


def test_plain_json_blobs_from_earlier_publishes_are_read() -> None:
    plain = json.dumps({"format": "satchel-text/1", "segments": [[2, "Slide two"]]}).encode()
    assert decode_text(plain) == [Segment(2, "Slide two")]


def test_a_gzip_bomb_or_a_truncated_blob_reads_as_no_text() -> None:
    bomb = gzip.compress(b" " * (MAX_TEXT_BLOB + 10))
    assert len(bomb) < 200_000
    assert decode_text(bomb) == []
    blob = encode_text([Segment(1, "Some text " * 100)])
    assert decode_text(blob[: len(blob) // 2]) == []
    assert decode_text(b"\x1f\x8bnot gzip at all") == []
