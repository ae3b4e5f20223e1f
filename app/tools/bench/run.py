"""Satchel's benchmark runner: each step side by side with a peer doing the same job plainly.

    .venv/bin/python -m app.tools.bench.run --size 5000 --work /tmp/satchel-bench [--write-readme]
    .venv/bin/python -m app.tools.bench.run --size 5000 --search-sizes 5000 20000 ...

Steps (all in one process unless said; the machine's page cache is warm for both sides):

1. corpus: generated once per (size, seed) under WORK and reused (app/tools/bench/corpus_gen.py);
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
   queries, 10 hits with snippets and the total, vs SQLite FTS5 as its experts would set it
   up (rank = bm25 with the same field weights, top 10 by rank, snippet() for those only,
   count of matches) on the same text and queries; at sizes other than --size
   (--search-sizes) both indexes are built straight from the generator's text (no
   publish/sync), through Satchel's own ``SearchIndex``;
7. start-up: ``python -m app.gui.tools.startup_probe`` (``main.py``'s code path, watched from
   inside; see that module) with QT_QPA_PLATFORM=offscreen, time until the window shows rows
   and until its search index is ready, and its peak memory, vs a bare Qt window listing the
   same number of rows.

Wall-clock times are the figures; CPU seconds (this process and its children) are added to
the notes of publish and first sync, as they suffer less from other work on the machine.

Prints a markdown table, stores WORK/results-LABEL.json and .md (LABEL: the size, or
--label); ``--write-readme`` also (re)writes app/tools/bench/RESULTS.md from every
results-*.json in WORK, and ``--render-only`` does only that. Search at 20,000 without
publishing 20,000 files: ``--size 5000 --skip publish sync noop delta startup
--search-sizes 20000 --label search-20000`` after a full 5,000 run.
Figures are only reported, never asserted (tests/bench/test_bench_smoke.py checks each row
has a number).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from app.core.extract.rendition import SOFFICE_ENV
from app.tools.bench import corpus_gen
from app.tools.bench.context import Context
from app.tools.bench.results import load_average, machine, render_results_md, write_results_md
from app.tools.bench.rows import table
from app.tools.bench.steps_search import step_search
from app.tools.bench.steps_startup import step_startup
from app.tools.bench.steps_sync import (
    step_delta,
    step_first_sync,
    step_noop,
    step_publish,
    step_small_items,
)


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
    parser.add_argument(
        "--search-direct",
        action="store_true",
        help="search at every size on indexes built from the generator's text "
        "(no publish/sync needed), also at --size",
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
        help="only (re)write app/tools/bench/RESULTS.md from WORK/results-*.json",
    )
    parser.add_argument(
        "--write-readme",
        action="store_true",
        help="(re)write app/tools/bench/RESULTS.md from WORK/results-*.json",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.queries, args.repeat, args.noop_runs, args.gui_runs = 6, 2, 2, 1
        args.small_items = min(args.small_items, 60)
        args.gui_settle = 0.3
    args.search_sizes = args.search_sizes or [args.size]
    return args


# complexity: the runner's options and the steps they select
def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    if args.render_only:
        write_results_md(work)
        return 0
    # The peers extract text and copy files; none renders office files to PDF, so the bench
    # publishes without LibreOffice previews (``SATCHEL_SOFFICE=""`` turns them off).
    os.environ[SOFFICE_ENV] = ""
    started_at = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    load_at_start = load_average()
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
        "command": " ".join(["python -m app.tools.bench.run", *(argv or sys.argv[1:])]),
        "machine": {**machine(), "load_at_start": load_at_start, "load_at_end": load_average()},
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


if __name__ == "__main__":
    sys.exit(main())
