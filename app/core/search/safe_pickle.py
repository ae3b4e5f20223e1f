"""Whoosh reads its segment files with pickle; here those reads can only build plain data.

Whoosh (pure Python) stores posting blocks, term infos and stored fields as pickles, and
``pickle.loads`` on crafted bytes runs code. Nothing a hub serves reaches these reads any
more: the shipped index is Satchel's own pickle-free format, and a rep writes every segment
file of its index itself from checked values (``shipped_format.py``, ``adoption.py``). This
module stays as a second wall for the rep's own files (a damaged or tampered library folder):
:func:`install` replaces the unpickling Whoosh does while reading segments with an unpickler
whose ``find_class`` (the only door through which a pickle reaches a class or function, as
the pickle documentation explains under "Restricting Globals") admits nothing but the few
names Whoosh's own files need:

* in segment data (postings, stored fields, columns): no global at all, except
  ``_codecs.encode``, which protocol-2 pickles use to spell bytes and which is answered by a
  function that only turns a latin-1 string into bytes;
* in the table of contents (``StructFile.read_pickle``): also Whoosh's segment and codec
  classes and ``defaultdict``/``int``.

A restricted unpickler is no defence against a class-free pickle built to exhaust the C
stack or memory; that is why no hub byte is ever unpickled.

Writes: Whoosh pickles its posting blocks with protocol 2, which spells each bytes value
(every posting's positions) as a call to ``_codecs.encode``; :func:`install` also makes
it write protocol 5, where bytes are plain data: a block of 128 body postings then decodes
in 14 us instead of 43 us, and is 40 % smaller before compression. Segments written with
protocol 2 (by an earlier version) read as before.
"""

from __future__ import annotations

import io
import pickle
from typing import Any

import whoosh.codec.whoosh3 as _w3_mod
import whoosh.columns as _columns_mod
import whoosh.filedb.structfile as _structfile_mod
import whoosh.formats as _formats_mod

w3: Any = _w3_mod
columns: Any = _columns_mod
structfile: Any = _structfile_mod
formats: Any = _formats_mod

_installed = False


def _latin1_bytes(text: object, encoding: object = "latin1") -> bytes:
    """What protocol-2 pickles call as ``_codecs.encode(text, "latin1")`` to spell bytes."""
    if not isinstance(text, str) or encoding not in ("latin1", "latin-1"):
        raise pickle.UnpicklingError("refusing an unexpected _codecs.encode call")
    return text.encode("latin1")


_DATA_GLOBALS: dict[tuple[str, str], Any] = {("_codecs", "encode"): _latin1_bytes}


def _toc_globals() -> dict[tuple[str, str], Any]:
    import collections

    return {
        **_DATA_GLOBALS,
        ("whoosh.codec.whoosh3", "W3Segment"): w3.W3Segment,
        ("whoosh.codec.whoosh3", "W3Codec"): w3.W3Codec,
        ("collections", "defaultdict"): collections.defaultdict,
        ("builtins", "int"): int,
        ("builtins", "set"): set,
        ("builtins", "frozenset"): frozenset,
    }


class _Restricted(pickle.Unpickler):
    def __init__(self, file: Any, allowed: dict[tuple[str, str], Any]) -> None:
        super().__init__(file)
        self._allowed = allowed

    def find_class(self, module: str, name: str) -> Any:
        found = self._allowed.get((module, name))
        if found is None:
            raise pickle.UnpicklingError(f"refusing {module}.{name} in an index file")
        return found

    def persistent_load(self, pid: Any) -> Any:
        raise pickle.UnpicklingError("refusing a persistent id in an index file")


#: The unpickler reads ahead (``peek``) through a buffered reader instead of calling
#: ``read`` for every opcode: a posting block decodes 2.7 times faster (118 -> 43 us).
_READ_AHEAD_MAX = 1 << 20


def data_loads(data: bytes) -> Any:
    """Unpickle segment data: plain values only."""
    size = min(max(len(data), io.DEFAULT_BUFFER_SIZE), _READ_AHEAD_MAX)
    return _Restricted(io.BufferedReader(io.BytesIO(data), buffer_size=size), _DATA_GLOBALS).load()


WRITE_PROTOCOL = 5


def _dumps(obj: Any, protocol: int | None = None) -> bytes:
    """What Whoosh's posting writer calls as ``dumps(data, 2)``: protocol 5 instead."""
    return pickle.dumps(obj, WRITE_PROTOCOL)


def install() -> None:
    """Route Whoosh's segment reads through the restricted unpickler, and its posting
    writes to protocol 5 (idempotent)."""
    global _installed
    if _installed:
        return
    toc_allowed = _toc_globals()
    for module in (w3, columns, formats):
        module.loads = data_loads
    w3.dumps = _dumps

    def read_pickle(self: Any) -> Any:
        return _Restricted(self.file, toc_allowed).load()

    structfile.StructFile.read_pickle = read_pickle
    _installed = True
