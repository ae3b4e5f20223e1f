"""Term positions stored without pickle: a width byte, then the position deltas as an array.

Whoosh's own ``Positions`` format stores each posting's positions as a pickled list, so every
phrase query and snippet lookup unpickled bytes that, for a shipped index, came from the hub.
Satchel's text fields use :class:`SafePositions` instead. A value is::

    width (1 byte: 1, 2 or 4)  +  deltas (little-endian unsigned integers of that width)

so any value decodes in C (``array.frombytes`` and ``itertools.accumulate``), its length alone
says how many positions it holds, and a malformed one is refused by :func:`valid_value`
without allocating more than its own size.
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Iterable, Sequence
from itertools import accumulate
from typing import Any

import whoosh.formats as _formats_mod

formats: Any = _formats_mod

_TYPECODES = {1: "B", 2: "H", 4: "I"}
_BIG_ENDIAN = sys.byteorder == "big"
for _width, _code in _TYPECODES.items():
    if array(_code).itemsize != _width:  # pragma: no cover - every CPython platform we ship
        raise ImportError(f"array({_code!r}) is not {_width} bytes on this platform")


def encode_positions(positions: Sequence[int]) -> bytes:
    """The value of one posting whose (ascending, non-negative) positions are ``positions``."""
    deltas = [b - a for a, b in zip((0, *positions), positions, strict=False)]
    top = max(deltas, default=0)
    width = 1 if top < 0x100 else 2 if top < 0x10000 else 4
    packed = array(_TYPECODES[width], deltas)
    if _BIG_ENDIAN and width > 1:
        packed.byteswap()
    return bytes((width,)) + packed.tobytes()


def decode_positions(value: bytes) -> list[int]:
    """Positions of a value written by :func:`encode_positions`; ValueError if malformed."""
    if not valid_value(value):
        raise ValueError("malformed positions value")
    width = value[0]
    deltas = array(_TYPECODES[width])
    deltas.frombytes(value[1:])
    if _BIG_ENDIAN and width > 1:
        deltas.byteswap()
    return list(accumulate(deltas))


def position_count(value: bytes) -> int:
    if not valid_value(value):
        raise ValueError("malformed positions value")
    return (len(value) - 1) // value[0]


def valid_value(value: bytes) -> bool:
    """Whether ``value`` is a well-formed positions value holding at least one position."""
    return len(value) > 1 and value[0] in _TYPECODES and (len(value) - 1) % value[0] == 0


class SafePositions(formats.Positions):  # type: ignore[misc]
    """Whoosh's Positions format with the pickle-free value layout above."""

    def encode(self, poslist: Iterable[int]) -> bytes:
        return encode_positions(list(poslist))

    def decode_positions(self, valuestring: bytes) -> list[int]:
        return decode_positions(valuestring)

    def decode_frequency(self, valuestring: bytes) -> int:
        return position_count(valuestring)

    def decode_weight(self, valuestring: bytes) -> float:
        return float(position_count(valuestring) * self.field_boost)

    def decode_position_boosts(self, valuestring: bytes) -> list[tuple[int, float]]:
        return [(pos, 1.0) for pos in decode_positions(valuestring)]

    def combine(self, vs: Iterable[bytes]) -> bytes:
        merged: set[int] = set()
        for v in vs:
            merged.update(decode_positions(v))
        return encode_positions(sorted(merged))
