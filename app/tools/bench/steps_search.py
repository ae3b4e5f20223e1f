"""Benchmark step: warm search latency beside SQLite FTS5 on the same text and queries."""

from __future__ import annotations

import contextlib
import shutil
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from app.tools.bench import corpus_gen, peers
from app.tools.bench.context import Context, percentile, timed
from app.tools.bench.rows import Row
from app.tools.bench.steps_sync import fts_rows

#: Results per search, with snippets, on both sides (a results page): the FTS5 peer takes
#: the top rows by rank, computes snippet() for those only, and counts every match, as
#: Satchel's search does.
SEARCH_LIMIT = 10


def _measure_search(
    search: Callable[[str], int],
    peer: Callable[[str], int],
    queries: list[str],
    repeat: int,
    forget: Callable[[], None] | None = None,
) -> dict[str, Any]:
    """Warm: each query once to warm both (searchers, caches, prefix tables), then timed
    ``repeat`` times. With ``forget`` (Satchel's decoded postings dropped before each
    query), every search decodes its words' postings again: the first search of a word."""
    for q in queries:
        search(q)
        peer(q)
    ours: list[float] = []
    theirs: list[float] = []
    hits = zero = 0
    for _ in range(repeat):
        for q in queries:
            if forget is not None:
                forget()
            t0 = time.perf_counter()
            n = search(q)
            t1 = time.perf_counter()
            peer(q)
            t2 = time.perf_counter()
            ours.append((t1 - t0) * 1000)
            theirs.append((t2 - t1) * 1000)
            hits += n
            zero += n == 0
    return {
        "satchel_ms": ours,
        "peer_ms": theirs,
        "mean_hits": hits / max(1, len(ours)),
        "zero_hit_share": zero / max(1, len(ours)),
    }


#: The two ways a search is timed: with its words' postings already decoded (a word searched
#: before in this session), and as the first search to read them.
MODES = {"": None, "first": "first time each word is read"}


def _rows(ctx: Context, size: int, cls: str, mode: str) -> tuple[Row, Row]:
    key = f"_{mode}" if mode else ""
    label = f", {MODES[mode]}" if mode else ""
    p50 = ctx.add(
        Row(
            f"search_p50_{cls}{key}_{size}",
            f"Search p50, {cls}{label} ({size:,} items)",
            "ms",
            goal="≤ 2× peer",
            goal_kind="ratio",
            goal_value=2.0,
        )
    )
    p95 = ctx.add(
        Row(
            f"search_p95_{cls}{key}_{size}",
            f"Search p95, {cls}{label} ({size:,} items)",
            "ms",
            goal="≤ 30 ms" if size <= 5000 else "≤ 2× peer",
            goal_kind="abs" if size <= 5000 else "ratio",
            goal_value=30.0 if size <= 5000 else 2.0,
        )
    )
    return p50, p95


def step_search(ctx: Context, size: int) -> None:
    classes = list(corpus_gen.search_queries(ctx.args.seed, 1))
    rows = {(cls, mode): _rows(ctx, size, cls, mode) for mode in MODES for cls in classes}
    all_rows = [r for pair in rows.values() for r in pair]
    with ctx.step(f"search at {size:,}", *all_rows), contextlib.ExitStack() as stack:
        if size == ctx.size and not getattr(ctx.args, "search_direct", False):
            from app.core.library import Library

            lib = stack.enter_context(Library.open(ctx.run / "home"))
            fts = ctx.state.get("fts")
            if fts is None:
                fts = peers.Fts5Index(ctx.run / "fts5.db")
                fts.add(fts_rows(lib.index_docs()))
            lib.search("warmup")  # opens the index
            origin = "library made by publish + sync"
            forget = lib.index.drop_caches

            def search(q: str) -> int:
                return len(lib.search(q, limit=SEARCH_LIMIT).hits)
        else:
            index, fts, build = direct_indexes(ctx, size)
            stack.callback(index.close)
            forget = index.drop_caches
            origin = (
                f"indexes built from the generator's text (no publish; snippet text is read "
                f"from memory, not from blobs on disk): Satchel "
                f"{build['satchel_s']:.0f} s, FTS5 {build['fts5_s']:.0f} s"
            )
            ctx.raw[f"direct_build_{size}"] = build
            from app.core.timeutil import utcnow

            def search(q: str) -> int:
                hits = index.search(q, limit=SEARCH_LIMIT, filters=None, now=utcnow()).hits
                return len(hits)

        queries = corpus_gen.search_queries(ctx.args.seed, ctx.args.queries)
        raw: dict[str, Any] = {"origin": origin}
        for (cls, mode), (p50, p95) in rows.items():
            m = _measure_search(
                search,
                lambda q: len(fts.search(q, SEARCH_LIMIT)),
                queries[cls],
                ctx.args.repeat,
                forget if mode else None,
            )
            plain = [
                timed(partial(fts.search, q, SEARCH_LIMIT, snippet=False))[0] * 1000
                for q in queries[cls]
            ]
            p50.satchel, p50.peer = percentile(m["satchel_ms"], 0.5), percentile(m["peer_ms"], 0.5)
            p95.satchel, p95.peer = (
                percentile(m["satchel_ms"], 0.95),
                percentile(m["peer_ms"], 0.95),
            )
            for r in (p50, p95):
                r.peer_name = f"FTS5 bm25 top {SEARCH_LIMIT} + snippets + count"
            p95.note = (
                f"{len(queries[cls])} queries × {ctx.args.repeat}; mean hits "
                f"{m['mean_hits']:.1f}; FTS5 without snippet p95 "
                f"{percentile(plain, 0.95):.1f} ms; {origin}"
            )
            raw[f"{cls} {mode}".strip()] = {**m, "queries": queries[cls], "fts5_plain_ms": plain}
        ctx.raw[f"search_{size}"] = raw


def direct_indexes(ctx: Context, size: int) -> tuple[Any, Any, dict[str, Any]]:
    """Satchel's SearchIndex and FTS5 over ``size`` generated items, without documents."""
    from app.core.search import IndexDoc, SearchIndex
    from app.core.timeutil import utcnow

    seed = ctx.args.seed
    folder = ctx.work / f"search-{size}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    started = time.perf_counter()
    texts: dict[str, list[Any]] = {}
    docs: list[IndexDoc] = []
    from app.core.extract.types import Segment

    now = utcnow()
    defaults_cache: dict[str, dict[str, Any] | None] = {}
    for i in range(size):
        meta = corpus_gen.item_meta(seed, size, i)
        segs = [
            Segment(loc, text)
            for loc, text in corpus_gen.content_segments(meta, corpus_gen.item_content(seed, meta))
        ]
        if meta.folder not in defaults_cache:
            defaults_cache[meta.folder] = corpus_gen.folder_defaults(seed, meta.folder)
        own = meta.toml or {}
        tags = dict((defaults_cache[meta.folder] or {}).get("tags", {}))
        tags.update(own.get("tags", {}))
        item_id = f"item-{i:05d}"
        texts[item_id] = segs
        docs.append(
            IndexDoc(
                id=item_id,
                title=own.get("title") or meta.doc_title or meta.name.rsplit(".", 1)[0],
                description=own.get("description", ""),
                tags=tags,
                kind=meta.kind,
                filename=meta.name,
                version=1,
                sha256="0" * 64,
                updated_at=now,
                expires_at=None,
                searchable=True,
                segments=segs,
            )
        )
    generated = time.perf_counter() - started
    index = SearchIndex(folder / "index", lambda item_id: texts.get(item_id, []))
    satchel_s, _ = timed(lambda: index.open_or_rebuild(lambda: iter(docs)))
    fts = peers.Fts5Index(folder / "fts5.db")
    fts_s, _ = timed(lambda: fts.add(fts_rows(docs)))
    return index, fts, {"generate_s": generated, "satchel_s": satchel_s, "fts5_s": fts_s}
