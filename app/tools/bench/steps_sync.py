"""Benchmark steps: publish, first sync until searchable, many small items, no-op sync and
delta sync, each beside its peer (bare extraction, rsync, SQLite FTS5)."""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import asdict
from typing import Any

from app.tools.bench import corpus_gen, peers
from app.tools.bench.context import CPU, REPO, Context, child_env, hub_objects, timed, tree_bytes
from app.tools.bench.rows import Row


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
