"""Fuzzing the shipped index reader (``search/shipped_format.py``) and the rep's writer.

A real segment is built from generated notes with Satchel's own indexing and exported in the
shipped format. Mutants of it (every length and count field set to 0, the maximum, the
file's size + 1 and off by one; sections duplicated, retagged and truncated; seeded bit
flips in the stored bytes and in uncompressed copies, so flips reach the arrays themselves)
are decoded in a child process under an RLIMIT_AS, each within a time bound. A mutant must be
refused with ShippedIndexError, or be accepted as a well-formed index: the rep then writes a
Whoosh segment from it, reads back every term, posting and stored field, and searches it.
Nothing else (no other exception, no crash, no memory error) is allowed.
"""

from __future__ import annotations

import multiprocessing
import random
import resource
import shutil
import struct
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.extract.types import Segment
from app.core.search import IndexDoc, SearchIndex
from app.core.search.shipped_format import (
    _HEADER,
    _SECTION,
    SECTIONS,
    ShippedIndex,
    ShippedIndexError,
    decode,
    encode,
)

DOCS = 24
TIME_BOUND_S = 5.0
#: Address space the child may add to what it had after importing everything.
HEADROOM_BYTES = 384 * 1024 * 1024
WORDS = [
    "pricing",
    "hospital",
    "monitor",
    "warranty",
    "clinic",
    "device",
    "sensor",
    "alarm",
    "nurse",
    "budget",
]


def _docs() -> list[IndexDoc]:
    rng = random.Random(7)
    docs = []
    for n in range(DOCS):
        pages = [
            Segment(p, " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 60))))
            for p in range(1, rng.randint(2, 4))
        ]
        docs.append(
            IndexDoc(
                id=f"note-{n:03d}",
                title=f"Note {n} {rng.choice(WORDS)}",
                description="generated",
                tags={"product": [rng.choice(["Vital", "Pulse"])], "region": ["DACH"]},
                kind="pdf",
                filename=f"note-{n}.pdf",
                version=1,
                sha256="0" * 64,
                updated_at=datetime(2026, 1, 1, tzinfo=UTC),
                expires_at=None,
                searchable=True,
                segments=pages,
            )
        )
    return docs


def _valid_file(tmp: Path) -> bytes:
    SearchIndex.build_segment(_docs(), tmp / "whoosh")
    return SearchIndex.export_segment(tmp / "whoosh")


@pytest.fixture(scope="module")
def valid_file(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return _valid_file(tmp_path_factory.mktemp("shipped"))


def _field_kind() -> Any:
    from app.core.search.schema import schema as _schema
    from app.core.search.shipped_segments import value_kind

    return value_kind(_schema())


def _sections(data: bytes) -> list[tuple[int, int]]:
    """(offset of the section header, offset after its body) of each section."""
    spans = []
    pos = _HEADER.size
    for _tag in SECTIONS:
        _t, _c, stored, _raw = _SECTION.unpack_from(data, pos)
        spans.append((pos, pos + _SECTION.size + stored))
        pos += _SECTION.size + stored
    return spans


def _u32_values(data: bytes, at: int) -> list[int]:
    (value,) = struct.unpack_from("<I", data, at)
    return sorted({0, 1, 0xFFFFFFFF, len(data) + 1, value + 1, max(0, value - 1)})


def _put(data: bytes, at: int, value: int) -> bytes:
    out = bytearray(data)
    struct.pack_into("<I", out, at, value & 0xFFFFFFFF)
    return bytes(out)


def mutants(data: bytes, seed: int = 11) -> Iterator[tuple[str, bytes]]:
    rng = random.Random(seed)
    for at in range(4, _HEADER.size, 4):  # version and every count
        for value in _u32_values(data, at):
            yield f"header@{at}={value}", _put(data, at, value)
    spans = _sections(data)
    for n, (start, end) in enumerate(spans):
        tag = SECTIONS[n]
        for at in (start + 8, start + 12):  # stored and raw lengths
            for value in _u32_values(data, at):
                yield f"{tag}@{at - start}={value}", _put(data, at, value)
        out = bytearray(data)
        out[start + 4] = 2
        yield f"{tag}:compression=2", bytes(out)
        out = bytearray(data)
        out[start + 4] ^= 1
        yield f"{tag}:compression-flipped", bytes(out)
        yield f"{tag}:duplicated", data[:end] + data[start:end] + data[end:]
        yield f"{tag}:removed", data[:start] + data[end:]
        if n + 1 < len(spans):
            nxt = spans[n + 1]
            yield (
                f"{tag}:swapped",
                data[:start] + data[nxt[0] : nxt[1]] + data[start:end] + data[nxt[1] :],
            )
        for cut in (start, start + 1, start + _SECTION.size, end - 1):
            yield f"truncated@{cut}", data[:cut]
    yield "appended", data + b"\0"
    for n in range(250):
        out = bytearray(data)
        bit = rng.randrange(len(out) * 8)
        out[bit // 8] ^= 1 << (bit % 8)
        yield f"bitflip#{n}@{bit}", bytes(out)
    raw = encode(decode(data, max_docs=DOCS + 1, field_kind=_field_kind()), level=0)
    raw_spans = _sections(raw)
    for n in range(400):  # flips that reach the arrays themselves
        start, end = raw_spans[n % len(raw_spans)]
        if end - start <= _SECTION.size:
            continue
        out = bytearray(raw)
        at = rng.randrange(start + _SECTION.size, end)
        out[at] ^= 1 << rng.randrange(8)
        yield f"raw-bitflip#{n}@{SECTIONS[n % len(raw_spans)]}", bytes(out)
    for n in range(40):
        out = bytearray(raw)
        start, end = raw_spans[rng.randrange(len(raw_spans))]
        if end - start > _SECTION.size + 4:
            at = rng.randrange(start + _SECTION.size, end - 3)
            struct.pack_into("<I", out, at, rng.choice([0, 0xFFFFFFFF, len(raw) + 1, 1 << 31]))
        yield f"raw-word#{n}", bytes(out)


def exercise(ix: ShippedIndex, folder: Path) -> int:
    """Write the rep's segment from an accepted file and read everything back."""
    import whoosh.filedb.filestore as filestore
    import whoosh.index as windex
    import whoosh.query as query

    from app.core.search.schema import schema as _schema
    from app.core.search.segments import INDEX_NAME
    from app.core.search.shipped_segments import write_segment

    schema = _schema()
    folder.mkdir()
    segment = write_segment(
        folder,
        schema,
        ix,
        lambda d: {"id": f"doc-{d}", "title": f"Doc {d}", "kind": "pdf", "version": 1},
        lambda d: {"title_sort": f"doc {d}"},
    )
    storage = filestore.FileStorage(str(folder))
    windex.TOC(schema, [segment], 1).write(storage, INDEX_NAME)
    opened = storage.open_index(INDEX_NAME)
    seen = 0
    with opened.searcher() as searcher:
        reader = searcher.reader()
        for fieldname, text in reader.all_terms():
            matcher = reader.postings(fieldname, text)
            while matcher.is_active():
                matcher.value_as("positions") if fieldname == "body" else matcher.weight()
                seen += 1
                matcher.next()
        for d in range(reader.doc_count_all()):
            reader.stored_fields(d)
        searcher.search(query.Or([query.Term("body", w) for w in WORDS[:3]]), limit=5)
        searcher.search(query.Phrase("body", WORDS[:2]), limit=5)
    opened.close()
    return seen


def run_cases(cases: list[tuple[str, bytes]], results: Any) -> None:
    """In the child: cap the address space, then decode (and exercise) every case."""
    field_kind = _field_kind()
    warm = _scratch()
    try:  # import and warm everything before the cap
        exercise(decode(cases[0][1], max_docs=DOCS + 1, field_kind=field_kind), warm)
    finally:
        shutil.rmtree(warm.parent, ignore_errors=True)
    with Path("/proc/self/status").open(encoding="ascii") as fh:
        vm = next(int(line.split()[1]) * 1024 for line in fh if line.startswith("VmSize:"))
    resource.setrlimit(resource.RLIMIT_AS, (vm + HEADROOM_BYTES, vm + HEADROOM_BYTES))
    out = []
    for name, blob in cases:
        started = time.perf_counter()
        try:
            ix = decode(blob, max_docs=DOCS + 1, field_kind=field_kind)
            again = decode(encode(ix), max_docs=DOCS + 1, field_kind=field_kind)
            outcome = "accepted" if again == ix else "accepted-but-unstable"
            folder = _scratch()
            try:
                exercise(ix, folder)
            finally:
                shutil.rmtree(folder.parent, ignore_errors=True)
        except ShippedIndexError:
            outcome = "refused"
        except BaseException as exc:  # what the test reports as a failure
            outcome = f"error:{type(exc).__name__}:{exc}"[:200]
        out.append((name, outcome, time.perf_counter() - started))
    results.put(out)


def _scratch() -> Path:
    return Path(tempfile.mkdtemp(prefix="satchel-fuzz-")) / "ix"


def test_every_mutant_is_refused_or_works_under_a_memory_cap(valid_file: bytes) -> None:
    cases = [("original", valid_file), *mutants(valid_file)]
    ctx = multiprocessing.get_context("spawn")
    results = ctx.Queue()
    child = ctx.Process(target=run_cases, args=(cases, results))
    child.start()
    outcomes = results.get(timeout=600)
    child.join(timeout=60)
    assert child.exitcode == 0
    assert len(outcomes) == len(cases) > 900
    errors = [(name, outcome) for name, outcome, _s in outcomes if outcome.startswith("error")]
    assert errors == []
    unstable = [name for name, outcome, _s in outcomes if outcome == "accepted-but-unstable"]
    assert unstable == []
    slow = [(name, round(s, 2)) for name, _o, s in outcomes if s > TIME_BOUND_S]
    assert slow == []
    counts: dict[str, int] = {}
    for _name, outcome, _s in outcomes:
        counts[outcome] = counts.get(outcome, 0) + 1
    assert outcomes[0][1] == "accepted"
    assert counts["refused"] > len(cases) / 2
    print(f"\nshipped-format fuzz: {len(cases)} cases, {counts}")


@settings(
    max_examples=300,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    cuts=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), min_size=1, max_size=6),
    truncate=st.none() | st.integers(0, 10**6),
)
def test_random_byte_edits_are_refused_or_decode_consistently(
    valid_file: bytes, cuts: list[tuple[int, int]], truncate: int | None
) -> None:
    data = bytearray(valid_file)
    for at, value in cuts:
        data[at % len(data)] = value
    blob = bytes(data if truncate is None else data[: truncate % len(data)])
    try:
        ix = decode(blob, max_docs=DOCS + 1, field_kind=_field_kind())
    except ShippedIndexError:
        return
    assert decode(encode(ix), max_docs=DOCS + 1, field_kind=_field_kind()) == ix


def test_a_bomb_and_huge_claims_are_refused_before_allocating(valid_file: bytes) -> None:
    kinds = _field_kind()
    bomb_body = __import__("zlib").compress(b"\0" * (64 * 1024 * 1024), 9)
    header = _HEADER.pack(b"SXIX", 1, DOCS, 1, 0, 0, 64 * 1024 * 1024)
    sections = b""
    for tag in SECTIONS:
        if tag == "VBYT":
            sections += _SECTION.pack(tag.encode(), 1, len(bomb_body), 64 * 1024 * 1024)
            sections += bomb_body
        elif tag == "FLDS":
            sections += _SECTION.pack(tag.encode(), 0, 3, 3) + b"\x02id"
        else:
            size = {"FTOT": 8, "DLEN": DOCS, "STRO": 4 * (DOCS + 1), "TOFF": 4, "TPOF": 4}
            n = size.get(tag, 4 if tag == "VOFF" else 0)
            sections += _SECTION.pack(tag.encode(), 0, n, n) + b"\0" * n
    started = time.perf_counter()
    with pytest.raises(ShippedIndexError, match="inflate"):
        decode(header + sections, max_docs=DOCS + 1, field_kind=kinds)
    huge = _put(valid_file, 24, 0xFFFFFFFF)  # ten-digit posting count
    with pytest.raises(ShippedIndexError):
        decode(huge, max_docs=DOCS + 1, field_kind=kinds)
    with pytest.raises(ShippedIndexError, match="documents"):
        decode(valid_file, max_docs=DOCS - 1, field_kind=kinds)
    assert time.perf_counter() - started < 1.0
