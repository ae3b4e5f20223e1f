"""Satchel's benchmark runner: each step side by side with a peer doing the same job plainly.

    .venv/bin/python -m tests.bench.run --size 5000 --work /tmp/satchel-bench [--write-readme]
    .venv/bin/python -m tests.bench.run --size 5000 --search-sizes 5000 20000 ...

Steps (all in one process unless said; the machine's page cache is warm for both sides):

1. corpus: generated once per (size, seed) under WORK and reused (tests/bench/corpus_gen.py);
2. publish: ``publish()`` of the corpus into a fresh hub vs bare text extraction of the same
   files with the same libraries in a process pool of all CPUs (peers.bare_extract_all);
3. first sync until searchable: ``Library.open`` + ``sync_library`` + one ``Library.search``
   vs ``rsync -a HUB/ COPY/``, with the time of each sync stage (from its progress reports);
   the sync's "index" stage (adopting the shipped index, or building one) vs building SQLite
   FTS5 from the same shipped text;
4. no-op sync: ``sync_library`` on the up-to-date library (median of several) and
   ``python main.py --home H sync`` as a command, vs a no-op ``rsync -a``;
5. delta sync after 1% of the files change and are republished: bytes the sync fetched
   (objects + the catalog) vs the bytes of the changed files, and time vs ``rsync -a`` of the
   changed hub onto the earlier copy;
6. search: warm ``Library.search`` latency (p50, p95) for one-, two-, three-word and prefix
   queries vs SQLite FTS5 (bm25 with the same field weights, snippet()) on the same text and
   queries; at sizes other than --size (--search-sizes) both indexes are built straight from
   the generator's text (no publish/sync), through Satchel's own ``SearchIndex``;
7. start-up: ``python -m tests.bench.gui_probe`` (``main.py``'s code path, watched from
   inside; see that module) with QT_QPA_PLATFORM=offscreen, time until the window shows rows
   and until its search index is ready, and its peak memory, vs a bare Qt window listing the
   same number of rows.

Wall-clock times are the figures; CPU seconds (this process and its children) are added to
the notes of publish and first sync, as they suffer less from other work on the machine.

Prints a markdown table, stores WORK/results-LABEL.json and .md (LABEL: the size, or
--label); ``--write-readme`` also (re)writes tests/bench/RESULTS.md from every
results-*.json in WORK, and ``--render-only`` does only that. Search at 20,000 without
publishing 20,000 files: ``--size 5000 --skip publish sync noop delta startup
--search-sizes 20000 --label search-20000`` after a full 5,000 run.
Figures are only reported, never asserted (tests/bench/test_bench_smoke.py checks each row
has a number).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.bench import corpus_gen, peers

REPO = Path(__file__).resolve().parents[2]
RESULTS_MD = Path(__file__).resolve().parent / "RESULTS.md"
RUN_COMMAND = ".venv/bin/python -m tests.bench.run --size 5000 --work /tmp/satchel-bench"


# ----------------------------------------------------------------------------- rows


@dataclass(slots=True)
class Row:
    key: str
    label: str
    unit: str  # "s", "ms", "MB"
    satchel: float | None = None
    peer: float | None = None
    peer_name: str = ""
    goal: str = ""  # as shown
    goal_kind: str | None = None  # "ratio" (satchel/peer) or "abs" (satchel), compared <=/<
    goal_value: float | None = None
    strict: bool = False
    note: str = ""
    error: str | None = None

    @property
    def ratio(self) -> float | None:
        if self.satchel is None or not self.peer:
            return None
        return self.satchel / self.peer

    @property
    def met(self) -> bool | None:
        value = self.ratio if self.goal_kind == "ratio" else self.satchel
        if self.goal_kind is None or value is None or self.goal_value is None:
            return None
        return value < self.goal_value if self.strict else value <= self.goal_value

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "ratio": self.ratio, "met": self.met}


def fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "n/a"
    if unit == "ms":
        return f"{value:.1f} ms" if value < 100 else f"{value:.0f} ms"
    if unit == "s":
        return (
            f"{value:.3f} s" if value < 1 else f"{value:.2f} s" if value < 100 else f"{value:.0f} s"
        )
    if unit == "MB":
        return f"{value:.2f} MB" if value < 10 else f"{value:.1f} MB"
    return f"{value:g} {unit}"


def table(rows: list[dict[str, Any]]) -> str:
    out = [
        "| Measure | Satchel | Peer | Ratio | Goal | Met? |",
        "|---|---:|---|---:|---|:---:|",
    ]
    for r in rows:
        peer = fmt(r["peer"], r["unit"]) + (f" ({r['peer_name']})" if r["peer_name"] else "")
        if r["peer"] is None and not r["peer_name"]:
            peer = "—"
        ratio = "—" if r["ratio"] is None else f"{r['ratio']:.2f}×"
        met = {True: "yes", False: "**no**", None: "—"}[r["met"]]
        satchel = fmt(r["satchel"], r["unit"]) if r["error"] is None else "error"
        out.append(f"| {r['label']} | {satchel} | {peer} | {ratio} | {r['goal'] or '—'} | {met} |")
    return "\n".join(out)


# ----------------------------------------------------------------------------- helpers


CPU: dict[str, float] = {"last": 0.0}


def cpu_seconds() -> float:
    """User + system CPU of this process and its finished children (pools, rsync)."""
    own, kids = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    """Wall seconds of ``fn()`` and its value; its CPU seconds are left in CPU["last"]
    (less sensitive than wall time to other work on a shared machine)."""
    cpu = cpu_seconds()
    started = time.perf_counter()
    value = fn()
    wall = time.perf_counter() - started
    CPU["last"] = cpu_seconds() - cpu
    return wall, value


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    pos = (len(ordered) - 1) * q
    lo, hi = int(pos), min(int(pos) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def tree_bytes(root: Path) -> tuple[int, int]:
    files = total = 0
    for dirpath, _dirs, names in os.walk(root):
        for name in names:
            files += 1
            total += Path(dirpath, name).stat().st_size
    return files, total


def hub_objects(hub: Path) -> dict[str, int]:
    return {p.name: p.stat().st_size for p in (hub / "objects").glob("*/*") if p.is_file()}


def child_env(work: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("SATCHEL_HOME", None)
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        env[var] = str(work / "xdg" / var.lower())
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHONPATH"] = str(REPO)
    return env


@dataclass
class Context:
    args: argparse.Namespace
    work: Path
    run: Path
    corpus: Path
    rows: list[Row] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)
    state: dict[str, Any] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return int(self.args.size)

    def add(self, row: Row) -> Row:
        self.rows.append(row)
        return row

    @contextlib.contextmanager
    def step(self, name: str, *rows: Row) -> Iterator[None]:
        """Run one step; on failure its rows say so and the run goes on."""
        print(f"[bench] {name}…", file=sys.stderr, flush=True)
        started = time.perf_counter()
        try:
            yield
        except Exception as exc:
            message = f"{type(exc).__name__}: {exc}"
            traceback.print_exc()
            self.raw.setdefault("errors", {})[name] = traceback.format_exc()
            for row in rows:
                if row.satchel is None:
                    row.error = message
                    row.note = (row.note + " " if row.note else "") + f"error: {message}"
        finally:
            print(
                f"[bench] {name}: {time.perf_counter() - started:.1f} s",
                file=sys.stderr,
                flush=True,
            )


# ----------------------------------------------------------------------------- steps


def step_publish(ctx: Context) -> None:
    from app.core.publish import publish
    from app.core.signing import generate_key, write_key_pair
    from app.core.source_scan import scan_source

    row = ctx.add(
        Row(
            "publish",
            f"Publish {ctx.size:,} items",
            "s",
            goal="≤ 1.5× peer",
            goal_kind="ratio",
            goal_value=1.5,
        )
    )
    with ctx.step("publish", row):
        src, hub = ctx.run / "src", ctx.run / "hub"
        peers.link_tree(ctx.corpus, src)
        (src / corpus_gen.MANIFEST).unlink(missing_ok=True)
        key = generate_key()
        ctx.state["pub"] = write_key_pair(key, ctx.run / "keys" / "marketing.key")
        ctx.state["key"] = key
        files = [sf.path for sf in scan_source(src)]
        peers.read_all(files)
        _wall, (peer_s, chars) = timed(lambda: peers.bare_extract_all(files, ctx.args.workers))
        peer_cpu = CPU["last"]
        row.peer, row.peer_name = peer_s, f"bare text extraction, {ctx.args.workers} processes"
        key_path = ctx.run / "keys" / "marketing.key"  # the publisher state lives beside it
        seconds, result = timed(
            lambda: publish(src, hub, key, workers=ctx.args.workers, key_path=key_path)
        )
        satchel_cpu = CPU["last"]
        row.satchel = seconds
        objects, hub_bytes = tree_bytes(hub / "objects")
        row.note = (
            f"{len(files):,} files; hub {objects:,} objects, {hub_bytes / 1e6:,.0f} MB; "
            f"{len(result.unsearchable)} unsearchable; CPU time Satchel {satchel_cpu:.0f} s, "
            f"peer {peer_cpu:.0f} s (ratio {satchel_cpu / max(peer_cpu, 1e-9):.2f}×)"
        )
        ctx.raw["publish"] = {
            "seconds": seconds,
            "peer_seconds": peer_s,
            "peer_chars": chars,
            "cpu_seconds": satchel_cpu,
            "peer_cpu_seconds": peer_cpu,
            "summary": result.summary(),
            "unsearchable": result.unsearchable,
            "hub_objects": objects,
            "hub_bytes": hub_bytes,
            "catalog_bytes": (hub / "catalog.json").stat().st_size,
        }


class StageClock:
    """Wall-clock time spent in each sync stage, from the sync's progress reports."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.marks: list[tuple[str, float]] = []

    def __call__(self, progress: Any) -> None:
        if not self.marks or self.marks[-1][0] != progress.stage:
            self.marks.append((progress.stage, time.perf_counter()))

    def stages(self, end: float) -> dict[str, float]:
        out: dict[str, float] = {}
        points = [*self.marks, ("end", end)]
        for (stage, t), (_next, t2) in zip(points, points[1:], strict=False):
            out[stage] = out.get(stage, 0.0) + (t2 - t)
        return {k: round(v, 4) for k, v in out.items()}


def first_query(ctx: Context) -> str:
    return corpus_gen.search_queries(ctx.args.seed, 1)["1 word"][0]


def step_first_sync(ctx: Context) -> None:
    from app.core.hub import normalise_location, open_hub
    from app.core.library import Library
    from app.core.signing import load_public_key
    from app.core.sync import sync_library

    row = ctx.add(
        Row(
            "first_sync",
            "First sync until searchable",
            "s",
            goal="≤ 1.3× rsync",
            goal_kind="ratio",
            goal_value=1.3,
        )
    )
    files_row = ctx.add(
        Row(
            "first_sync_files",
            "… of which: fetch + verify files",
            "s",
            note="no goal: the copy part alone",
        )
    )
    index_row = ctx.add(
        Row(
            "index_build",
            "… of which: search index (adopt or build)",
            "s",
            note="no goal: peer builds SQLite FTS5 from the same text",
        )
    )
    with ctx.step("first sync", row, files_row, index_row):
        hub = ctx.run / "hub"
        copy = peers.mirror(hub, ctx.run / "rsync-copy")
        row.peer, row.peer_name = copy.seconds, copy.tool
        files_row.peer, files_row.peer_name = copy.seconds, copy.tool
        pub = load_public_key(ctx.state["pub"])
        home = ctx.run / "home"
        clock = StageClock()

        def first_sync() -> Any:
            lib = Library.open(home)
            lib.configure_hub(normalise_location(str(hub)), pub)
            result = sync_library(lib, open_hub(str(hub)), pub, progress=clock)
            synced = time.perf_counter()
            hits = lib.search(first_query(ctx))
            return lib, result, synced, hits

        seconds, (lib, result, synced, hits) = timed(first_sync)
        sync_cpu = CPU["last"]
        stages = clock.stages(synced)
        stages["first search"] = round(clock.started + seconds - synced, 4)
        row.satchel = seconds
        files_row.satchel = stages.get("download", 0.0) + stages.get("catalog", 0.0)
        index_row.satchel = stages.get("index", 0.0)
        ctx.state["lib"] = lib
        row.note = "stages: " + ", ".join(f"{k} {v:.2f} s" for k, v in stages.items())
        row.note += f"; CPU time {sync_cpu:.1f} s"
        ctx.raw["first_sync"] = {
            "cpu_seconds": sync_cpu,
            "seconds": seconds,
            "stages": stages,
            "summary": result.summary(),
            "bytes_fetched": result.bytes_fetched,
            "files_fetched": result.files_fetched,
            "first_search_hits": len(hits.hits) if hasattr(hits, "hits") else None,
            "peer": asdict(copy),
        }
        # peer for the index build: SQLite FTS5 from the same shipped text, read the same way
        fts = peers.Fts5Index(ctx.run / "fts5.db")
        fts_s, count = timed(lambda: fts.add(fts_rows(lib.index_docs())))
        index_row.peer, index_row.peer_name = fts_s, "SQLite FTS5 build"
        ctx.state["fts"] = fts
        ctx.raw["fts5_build"] = {"seconds": fts_s, "docs": count}


def step_small_items(ctx: Context) -> None:
    """Many small objects: publish N short text notes, then a first sync until searchable
    beside ``rsync -a`` of the same hub (per-object costs dominate here, not bytes)."""
    import random

    from app.core.hub import normalise_location, open_hub
    from app.core.library import Library
    from app.core.publish import publish
    from app.core.signing import generate_key, load_public_key, write_key_pair
    from app.core.sync import sync_library

    count = int(ctx.args.small_items)
    row = ctx.add(
        Row(
            "small_first_sync",
            f"First sync until searchable, {count:,} small text items",
            "s",
            goal="≤ 1.3× rsync",
            goal_kind="ratio",
            goal_value=1.3,
        )
    )
    with ctx.step("small items", row):
        base = ctx.work / f"small-{count}"
        shutil.rmtree(base, ignore_errors=True)
        src, hub, home = base / "src", base / "hub", base / "home"
        rng = random.Random(ctx.args.seed)
        writer = corpus_gen.Writer(rng, "VitalWatch", "Northwind")
        for n in range(count):
            folder = src / f"notes-{n // 500:02d}"
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"note-{n:05d}.txt").write_text(writer.paragraph(60), encoding="utf-8")
        key = generate_key()
        pub_path = write_key_pair(key, base / "keys" / "marketing.key")
        publish_s, _result = timed(
            lambda: publish(
                src, hub, key, workers=ctx.args.workers, key_path=base / "keys" / "marketing.key"
            )
        )
        copy = peers.mirror(hub, base / "rsync-copy")
        row.peer, row.peer_name = copy.seconds, copy.tool
        pub = load_public_key(pub_path)
        clock = StageClock()

        def first_sync() -> Any:
            with Library.open(home) as lib:
                lib.configure_hub(normalise_location(str(hub)), pub)
                result = sync_library(lib, open_hub(str(hub)), pub, progress=clock)
                synced = time.perf_counter()
                hits = lib.search(first_query(ctx))
                return result, synced, hits

        seconds, (result, synced, _hits) = timed(first_sync)
        stages = clock.stages(synced)
        row.satchel = seconds
        objects, hub_bytes = tree_bytes(hub / "objects")
        row.note = (
            f"hub {objects:,} objects, {hub_bytes / 1e6:,.0f} MB, published in {publish_s:.0f} s; "
            "stages: " + ", ".join(f"{k} {v:.2f} s" for k, v in stages.items())
        )
        ctx.raw["small_items"] = {
            "count": count,
            "publish_seconds": publish_s,
            "seconds": seconds,
            "stages": stages,
            "files_fetched": result.files_fetched,
            "bytes_fetched": result.bytes_fetched,
            "hub_objects": objects,
            "peer": asdict(copy),
        }
        shutil.rmtree(base, ignore_errors=True)


def fts_rows(docs: Any) -> Iterator[tuple[str, str, str, str, str, str]]:
    for d in docs:
        tags = " ".join(v for values in d.tags.values() for v in values)
        body = "\n".join(s.text for s in d.segments)
        yield (d.id, d.title, d.description or "", tags, d.filename, body)


def step_noop(ctx: Context) -> None:
    from app.core.hub import open_hub
    from app.core.signing import load_public_key
    from app.core.sync import sync_library

    inproc = ctx.add(
        Row(
            "noop_sync",
            f"No-op sync, in-process ({ctx.size:,} items)",
            "s",
            goal="< 0.5 s",
            goal_kind="abs",
            goal_value=0.5,
            strict=True,
        )
    )
    command = ctx.add(
        Row(
            "noop_sync_cmd",
            "No-op sync, `python main.py sync`",
            "s",
            goal="< 1 s",
            goal_kind="abs",
            goal_value=1.0,
            strict=True,
        )
    )
    with ctx.step("no-op sync", inproc, command):
        hub, lib = ctx.run / "hub", ctx.state["lib"]
        pub = load_public_key(ctx.state["pub"])
        runs = ctx.args.noop_runs
        peer_runs = [peers.mirror(hub, ctx.run / "rsync-copy") for _ in range(runs)]
        peer_s = statistics.median(p.seconds for p in peer_runs)
        for r in (inproc, command):
            r.peer, r.peer_name = peer_s, f"no-op {peer_runs[0].tool}"
        samples = []
        for _ in range(runs):
            seconds, result = timed(lambda: sync_library(lib, open_hub(str(hub)), pub))
            assert result.up_to_date, result.summary()
            samples.append(seconds)
        inproc.satchel = statistics.median(samples)
        inproc.note = f"median of {runs}"
        lib.close()
        ctx.state.pop("lib")
        cmd = [sys.executable, str(REPO / "main.py"), "--home", str(ctx.run / "home"), "sync"]
        cmd_samples = []
        for _ in range(runs):
            seconds, proc = timed(
                lambda: subprocess.run(
                    cmd,
                    capture_output=True,
                    text=True,
                    env=child_env(ctx.work),
                    cwd=ctx.run,
                    check=False,
                )
            )
            if proc.returncode != 0:
                raise RuntimeError(f"main.py sync failed: {proc.stderr.strip()}")
            cmd_samples.append(seconds)
        command.satchel = statistics.median(cmd_samples)
        command.note = f"median of {runs}; includes interpreter start"
        ctx.raw["noop"] = {
            "in_process": samples,
            "command": cmd_samples,
            "peer": [asdict(p) for p in peer_runs],
        }


def step_delta(ctx: Context) -> None:
    from app.core.hub import open_hub
    from app.core.library import Library
    from app.core.publish import publish
    from app.core.signing import load_public_key
    from app.core.sync import sync_library

    nbytes = ctx.add(
        Row(
            "delta_bytes",
            "Delta sync (1% changed): bytes fetched",
            "MB",
            goal="≤ 1.05× changed",
            goal_kind="ratio",
            goal_value=1.05,
        )
    )
    ntime = ctx.add(
        Row(
            "delta_time",
            "Delta sync (1% changed): time",
            "s",
            goal="≤ 1.0× rsync",
            goal_kind="ratio",
            goal_value=1.0,
        )
    )
    repub = ctx.add(
        Row(
            "republish",
            "Republish after 1% changed",
            "s",
            note="no goal: peer extracts the changed files only",
        )
    )
    with ctx.step("delta sync", nbytes, ntime, repub):
        src, hub = ctx.run / "src", ctx.run / "hub"
        indices = corpus_gen.changed_indices(ctx.args.seed, ctx.size)
        before = hub_objects(hub)
        changed = corpus_gen.write_variants(
            src, ctx.args.seed, ctx.size, indices, 1, ctx.args.workers
        )
        changed_bytes = sum(p.stat().st_size for p in changed)
        peers.read_all(changed)
        repub.peer, _chars = peers.bare_extract_all(changed, ctx.args.workers)
        repub.peer_name = "bare extraction of the changed files"
        repub.satchel, result = timed(
            lambda: publish(
                src,
                hub,
                ctx.state["key"],
                workers=ctx.args.workers,
                key_path=ctx.run / "keys" / "marketing.key",
            )
        )
        repub.note = result.summary()
        added = {k: v for k, v in hub_objects(hub).items() if k not in before}
        catalog_bytes = (hub / "catalog.json").stat().st_size
        pub = load_public_key(ctx.state["pub"])
        lib = Library.open(ctx.run / "home")
        clock = StageClock()
        try:
            seconds, sync = timed(
                lambda: sync_library(lib, open_hub(str(hub)), pub, progress=clock)
            )
            stages = clock.stages(clock.started + seconds)
        finally:
            lib.close()
        copy = peers.mirror(hub, ctx.run / "rsync-copy")
        fetched = sync.bytes_fetched + catalog_bytes
        nbytes.satchel, nbytes.peer = fetched / 1e6, changed_bytes / 1e6
        nbytes.peer_name = f"{len(changed)} changed files"
        nbytes.note = (
            f"objects {sync.bytes_fetched / 1e6:.2f} MB ({sync.files_fetched} files: content, "
            f"text, thumbnails, index segment and manifest) + catalog "
            f"{catalog_bytes / 1e6:.2f} MB; "
            f"{copy.tool} sent {(copy.bytes_sent or 0) / 1e6:.2f} MB"
        )
        ntime.satchel, ntime.peer, ntime.peer_name = seconds, copy.seconds, copy.tool
        ntime.note = "stages: " + ", ".join(f"{k} {v:.2f} s" for k, v in stages.items())
        ctx.raw["delta"] = {
            "changed_indices": indices,
            "changed_bytes": changed_bytes,
            "new_hub_objects": len(added),
            "new_hub_bytes": sum(added.values()),
            "catalog_bytes": catalog_bytes,
            "bytes_fetched": sync.bytes_fetched,
            "files_fetched": sync.files_fetched,
            "sync_seconds": seconds,
            "stages": stages,
            "summary": sync.summary(),
            "republish_seconds": repub.satchel,
            "peer": asdict(copy),
        }


def _measure_search(
    search: Callable[[str], int],
    peer: Callable[[str], int],
    queries: list[str],
    repeat: int,
) -> dict[str, Any]:
    for q in queries:  # warm both: searchers, caches, prefix tables
        search(q)
        peer(q)
    ours: list[float] = []
    theirs: list[float] = []
    hits = zero = 0
    for _ in range(repeat):
        for q in queries:
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


def step_search(ctx: Context, size: int) -> None:
    classes = list(corpus_gen.search_queries(ctx.args.seed, 1))
    rows: dict[str, tuple[Row, Row]] = {}
    for cls in classes:
        p50 = ctx.add(
            Row(
                f"search_p50_{cls}_{size}",
                f"Search p50, {cls} ({size:,} items)",
                "ms",
                note="no goal",
            )
        )
        p95 = ctx.add(
            Row(
                f"search_p95_{cls}_{size}",
                f"Search p95, {cls} ({size:,} items)",
                "ms",
                goal="≤ 50 ms" if size <= 5000 else "",
                goal_kind="abs" if size <= 5000 else None,
                goal_value=50.0,
            )
        )
        rows[cls] = (p50, p95)
    all_rows = [r for pair in rows.values() for r in pair]
    with ctx.step(f"search at {size:,}", *all_rows), contextlib.ExitStack() as stack:
        if size == ctx.size:
            from app.core.library import Library

            lib = stack.enter_context(Library.open(ctx.run / "home"))
            fts = ctx.state.get("fts")
            if fts is None:
                fts = peers.Fts5Index(ctx.run / "fts5.db")
                fts.add(fts_rows(lib.index_docs()))
            lib.search("warmup")  # opens the index
            origin = "library made by publish + sync"

            def search(q: str) -> int:
                return len(lib.search(q, limit=20).hits)
        else:
            index, fts, build = direct_indexes(ctx, size)
            stack.callback(index.close)
            origin = (
                f"indexes built from the generator's text (no publish; snippet text is read "
                f"from memory, not from blobs on disk): Satchel "
                f"{build['satchel_s']:.0f} s, FTS5 {build['fts5_s']:.0f} s"
            )
            ctx.raw[f"direct_build_{size}"] = build
            from app.core.timeutil import utcnow

            def search(q: str) -> int:
                return len(index.search(q, limit=20, filters=None, now=utcnow()).hits)

        queries = corpus_gen.search_queries(ctx.args.seed, ctx.args.queries)
        raw: dict[str, Any] = {"origin": origin}
        for cls, (p50, p95) in rows.items():
            m = _measure_search(search, lambda q: len(fts.search(q)), queries[cls], ctx.args.repeat)
            plain = [
                timed(lambda q=q: fts.search(q, snippet=False))[0] * 1000 for q in queries[cls]
            ]
            p50.satchel, p50.peer = percentile(m["satchel_ms"], 0.5), percentile(m["peer_ms"], 0.5)
            p95.satchel, p95.peer = (
                percentile(m["satchel_ms"], 0.95),
                percentile(m["peer_ms"], 0.95),
            )
            for r in (p50, p95):
                r.peer_name = "FTS5 bm25 + snippet"
            p95.note = (
                f"{len(queries[cls])} queries × {ctx.args.repeat}; mean hits "
                f"{m['mean_hits']:.1f}; FTS5 without snippet p95 "
                f"{percentile(plain, 0.95):.1f} ms; {origin}"
            )
            raw[cls] = {**m, "queries": queries[cls], "fts5_plain_ms": plain}
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


class TreeMemory(threading.Thread):
    """Polls the summed resident memory of a process and its children (psutil, if present)."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0
        self.stop = threading.Event()

    def run(self) -> None:
        try:
            import psutil
        except ImportError:
            return
        try:
            root = psutil.Process(self.pid)
        except psutil.Error:
            return
        while not self.stop.is_set():
            total = 0
            try:
                for proc in [root, *root.children(recursive=True)]:
                    with contextlib.suppress(psutil.Error):
                        total += proc.memory_info().rss
            except psutil.Error:
                return
            self.peak = max(self.peak, total)
            self.stop.wait(0.02)


def _probe(ctx: Context, args: list[str], timeout: float) -> dict[str, Any]:
    cmd = [
        sys.executable,
        "-m",
        "tests.bench.gui_probe",
        "--settle",
        str(ctx.args.gui_settle),
        *args,
    ]
    err = ctx.run / "gui-probe.stderr"
    started = time.perf_counter()
    events: dict[str, Any] = {}
    with err.open("ab") as stderr:
        proc = subprocess.Popen(
            cmd, cwd=REPO, env=child_env(ctx.work), stdout=subprocess.PIPE, stderr=stderr, text=True
        )
        assert proc.stdout is not None
        watcher = TreeMemory(proc.pid)
        watcher.start()
        for line in proc.stdout:
            now = time.perf_counter() - started
            with contextlib.suppress(ValueError):
                event = json.loads(line)
                event["wall"] = now
                events[event["event"]] = event
        proc.wait(timeout)
        watcher.stop.set()
        watcher.join()
    events["tree_peak_mb"] = round(watcher.peak / 2**20, 1)
    if "rows" not in events:
        raise RuntimeError(f"the window never showed rows: {events} (see {err})")
    return events


def step_startup(ctx: Context) -> None:
    ready = ctx.add(
        Row(
            "startup",
            f"Start-up to a usable window ({ctx.size:,} items)",
            "s",
            goal="< 1.5 s",
            goal_kind="abs",
            goal_value=1.5,
            strict=True,
        )
    )
    search = ctx.add(Row("startup_search", "Start-up until search is ready", "s", note="no goal"))
    memory = ctx.add(
        Row(
            "startup_memory",
            f"Peak memory, start-up + {ctx.args.gui_settle:g} s idle",
            "MB",
            goal="< 300 MB",
            goal_kind="abs",
            goal_value=300.0,
            strict=True,
        )
    )
    with ctx.step("start-up", ready, search, memory):
        ctx.state.pop("lib", None)
        home = str(ctx.run / "home")
        runs = [_probe(ctx, ["--home", home], 180) for _ in range(ctx.args.gui_runs)]
        bare = [
            _probe(ctx, ["--bare", "--rows", str(ctx.size)], 60) for _ in range(ctx.args.gui_runs)
        ]
        ready.satchel = statistics.median(r["rows"]["wall"] for r in runs)
        if all("search" in r for r in runs):
            search.satchel = statistics.median(r["search"]["wall"] for r in runs)
        memory.satchel = max(r["exit"]["peak_mb"] for r in runs if "exit" in r)
        ready.peer = statistics.median(r["rows"]["wall"] for r in bare)
        search.peer = ready.peer
        memory.peer = max(r["exit"]["peak_mb"] for r in bare)
        for r in (ready, search, memory):
            r.peer_name = "bare Qt window, same row count"
        ready.note = (
            f"median of {len(runs)}; measured in a subprocess started like main.py "
            "(tests/bench/gui_probe.py): window shown and its model has rows"
        )
        tree = max(r["tree_peak_mb"] for r in runs)
        memory.note = (
            f"main process (VmHWM); with its child processes (index job, sync) the polled "
            f"peak of the whole tree was {tree:.0f} MB"
        )
        ctx.raw["startup"] = {"runs": runs, "bare": bare}


# ----------------------------------------------------------------------------- main


def _load() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def machine() -> dict[str, Any]:
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": cpus,
        "rsync": shutil.which("rsync") is not None,
    }


def render_results_md(results: list[dict[str, Any]]) -> str:
    lines = [
        "# Satchel benchmarks",
        "",
        "Generated by `tests/bench/run.py` (see its docstring for how each row is measured);",
        f"reproduce with `{RUN_COMMAND} --write-readme`.",
        "Each Satchel figure stands beside a peer doing the same job plainly, in the same run,",
        "on the same machine; ratios are Satchel / peer. Times are wall-clock with a warm page",
        "cache; search times are warm, in-process. Where the time goes: "
        "[PROFILES.md](PROFILES.md).",
        "",
    ]
    for res in sorted(results, key=lambda r: (-r["size"], r.get("label", ""))):
        c, m = res["corpus"], res["machine"]
        kinds = ", ".join(f"{v:,} {k.upper()}" for k, v in c.get("kinds", {}).items())
        chars = res.get("raw", {}).get("publish", {}).get("peer_chars")
        per_item = (chars or 0) / max(1, res["size"]) / 1000
        text = f", {per_item:.0f}k characters of text per item" if chars else ""
        partial = res.get("label", str(res["size"])) != str(res["size"])
        heading = f"## {res['size']:,} items"
        if partial:
            sizes = ", ".join(f"{int(n):,}" for n in res.get("search_sizes", []))
            heading = f"## {res['label']}" if not sizes else f"## Search at {sizes} items"
            if "small_items" in res.get("raw", {}):
                m = res["machine"]
                heading = f"## {res['raw']['small_items']['count']:,} small text items"
                heading += (
                    f"\n\nRun {res['started']}; load average {m.get('load_at_start')} at start, "
                    f"{m.get('load_at_end')} at end (other work shared the machine)."
                )
        if partial:
            lines += [heading, "", table(res["rows"]), ""]
            notes = [f"- **{r['label']}**: {r['note']}" for r in res["rows"] if r["note"]]
            lines += ["<details><summary>Notes</summary>", "", *notes, "", "</details>", ""]
            continue
        lines += [
            heading,
            "",
            f"Corpus: {c.get('files', 0):,} files ({kinds}), {c.get('bytes', 0) / 1e9:.2f} GB, "
            f"median {c.get('median_bytes', 0) / 1e3:.0f} KB{text}, {c.get('metadata_files', 0)} "
            f"satchel.toml files; generated in {c.get('generate_seconds', 0):.0f} s "
            f"(seed {c.get('seed')}). Machine: {m['cpus']} CPUs, Python {m['python']}, "
            f"load average (1/5/15 min) {m.get('load_at_start')} at start, "
            f"{m.get('load_at_end')} at end (other work shared the machine); run {res['started']}, "
            f"{res['seconds']:.0f} s.",
            "",
            table(res["rows"]),
            "",
        ]
        notes = [f"- **{r['label']}**: {r['note']}" for r in res["rows"] if r["note"]]
        if notes:
            lines += ["<details><summary>Notes</summary>", "", *notes, "", "</details>", ""]
    return "\n".join(lines)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Satchel's benchmarks against peers.")
    parser.add_argument("--size", type=int, default=500, help="items in the corpus")
    parser.add_argument(
        "--work",
        type=Path,
        default=Path("/tmp/satchel-bench"),
        help="work folder; generated corpora are cached here",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--workers",
        type=int,
        default=len(os.sched_getaffinity(0))
        if hasattr(os, "sched_getaffinity")
        else os.cpu_count() or 2,
    )
    parser.add_argument(
        "--search-sizes",
        type=int,
        nargs="*",
        default=None,
        help="sizes to measure search at (default: --size)",
    )
    parser.add_argument("--queries", type=int, default=40, help="queries per class")
    parser.add_argument("--repeat", type=int, default=3, help="passes over the queries")
    parser.add_argument("--noop-runs", type=int, default=5)
    parser.add_argument("--gui-runs", type=int, default=3)
    parser.add_argument(
        "--gui-settle",
        type=float,
        default=1.0,
        help="seconds the window stays open after it is ready (memory)",
    )
    parser.add_argument(
        "--small-items",
        type=int,
        default=10_000,
        help="short text notes for the many-small-objects first sync (0: leave out)",
    )
    parser.add_argument(
        "--skip",
        nargs="*",
        default=[],
        choices=["publish", "sync", "noop", "delta", "search", "startup", "small"],
        help="steps to leave out (later steps need the earlier ones)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="few repetitions (smoke test): figures are rough"
    )
    parser.add_argument(
        "--label",
        default=None,
        help="results file name WORK/results-LABEL.json (default: the size); "
        "e.g. search-20000 for a run with --skip … --search-sizes 20000",
    )
    parser.add_argument(
        "--render-only",
        action="store_true",
        help="only (re)write tests/bench/RESULTS.md from WORK/results-*.json",
    )
    parser.add_argument(
        "--write-readme",
        action="store_true",
        help="(re)write tests/bench/RESULTS.md from WORK/results-*.json",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.queries, args.repeat, args.noop_runs, args.gui_runs = 6, 2, 2, 1
        args.small_items = min(args.small_items, 60)
        args.gui_settle = 0.3
    args.search_sizes = args.search_sizes or [args.size]
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    if args.render_only:
        write_results_md(work)
        return 0
    started_at = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    load_at_start = _load()
    started = time.perf_counter()
    ctx = Context(args, work, work / f"run-{args.size}", work / f"corpus-{args.size}-s{args.seed}")
    print(f"[bench] corpus of {args.size:,} items in {ctx.corpus}…", file=sys.stderr, flush=True)
    manifest = corpus_gen.generate(ctx.corpus, args.size, args.seed, args.workers)
    print(
        f"[bench] corpus: {manifest['bytes'] / 1e9:.2f} GB "
        f"({'reused' if manifest['reused'] else 'generated'})",
        file=sys.stderr,
        flush=True,
    )
    if "publish" not in args.skip:
        shutil.rmtree(ctx.run, ignore_errors=True)
        ctx.run.mkdir(parents=True)
    elif (ctx.run / "keys" / "marketing.key").exists():  # reuse the last run's hub and keys
        from app.core.signing import load_signing_key

        ctx.state["pub"] = ctx.run / "keys" / "marketing.key.pub"
        ctx.state["key"] = load_signing_key(ctx.run / "keys" / "marketing.key")
    try:
        if "publish" not in args.skip:
            step_publish(ctx)
        if "sync" not in args.skip:
            step_first_sync(ctx)
        if "noop" not in args.skip:
            step_noop(ctx)
        if "delta" not in args.skip:
            step_delta(ctx)
        if "search" not in args.skip:
            for size in args.search_sizes:
                step_search(ctx, size)
        if "startup" not in args.skip:
            step_startup(ctx)
        if "small" not in args.skip and args.small_items > 0:
            step_small_items(ctx)
    finally:
        lib = ctx.state.pop("lib", None)
        if lib is not None:
            lib.close()
        fts = ctx.state.pop("fts", None)
        if fts is not None:
            fts.close()
    result = {
        "size": args.size,
        "started": started_at,
        "seconds": time.perf_counter() - started,
        "command": " ".join(["python -m tests.bench.run", *(argv or sys.argv[1:])]),
        "machine": {**machine(), "load_at_start": load_at_start, "load_at_end": _load()},
        "corpus": manifest,
        "rows": [r.as_json() for r in ctx.rows],
        "raw": ctx.raw,
    }
    label = args.label or str(args.size)
    result["label"] = label
    result["search_sizes"] = args.search_sizes
    (work / f"results-{label}.json").write_text(json.dumps(result, indent=1, default=str))
    md = render_results_md([result])
    (work / f"results-{label}.md").write_text(md, encoding="utf-8")
    print(table(result["rows"]))
    if args.write_readme:
        write_results_md(work)
    return 0


def write_results_md(work: Path) -> None:
    everything = [json.loads(p.read_text()) for p in sorted(work.glob("results-*.json"))]
    RESULTS_MD.write_text(render_results_md(everything), encoding="utf-8")
    print(f"[bench] wrote {RESULTS_MD}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
