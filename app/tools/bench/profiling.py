"""Profiling helpers for the slow steps, on the runner's artifacts (WORK/run-SIZE).

Each action does one step alone, to be run under a sampling profiler, e.g.::

    py-spy record -r 100 --subprocesses --format raw -o /tmp/publish.raw -- \\
        .venv/bin/python -m app.tools.bench.profiling publish --run /tmp/satchel-bench/run-5000
    .venv/bin/python -m app.tools.bench.profiling top /tmp/publish.raw

The no-op sync and the start-up were profiled the same way around
``main.py --home WORK/run-SIZE/home sync`` and ``-m app.gui.tools.startup_probe --home …``
(with ``--subprocesses``; QT_QPA_PLATFORM=offscreen).

Actions: ``publish`` (a fresh hub from run/src), ``sync`` (a first sync of run/hub into a fresh
home, then one search), ``search`` (every benchmark query, warm, on run/home), ``top`` (the
functions with the largest share of samples in a py-spy raw file: own time and inclusive).
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import time
from collections import Counter
from pathlib import Path

from app.tools.bench import corpus_gen

_FRAME = re.compile(r"^(?P<func>.*) \((?P<file>[^()]*?)(?::(?P<line>\d+))?\)$")


def _short(frame: str) -> str:
    match = _FRAME.match(frame.strip())
    if not match:
        return frame.strip()
    path = match["file"]
    for marker in ("site-packages/", "/work/main/", "lib/python3.11/"):
        if marker in path:
            path = path.split(marker, 1)[1]
    return f"{match['func']} ({path})"


# complexity: the profile's columns and filters
def top(raw: Path, n: int, prefix: str | None) -> str:
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    total = 0
    for line in raw.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = [_short(f) for f in stack.split(";") if f and not f.startswith("process ")]
        frames = [f for f in frames if not f.startswith("<module>")] or frames
        if not frames:
            continue
        total += count
        own[frames[-1]] += count
        for frame in set(frames):
            inclusive[frame] += count
    keep = [k for k in inclusive if prefix is None or prefix in k]
    lines = [f"{total} samples", "", "own time:"]
    lines += [f"  {c / total:6.1%}  {f}" for f, c in own.most_common(n)]
    lines += ["", "inclusive:"]
    lines += [
        f"  {inclusive[f] / total:6.1%}  {f}" for f in sorted(keep, key=lambda k: -inclusive[k])[:n]
    ]
    return "\n".join(lines)


def do_publish(run: Path) -> None:
    from app.core.publish import publish
    from app.core.signing import load_signing_key

    hub = run / "prof-hub"
    shutil.rmtree(hub, ignore_errors=True)
    key = load_signing_key(run / "keys" / "marketing.key")
    started = time.perf_counter()
    print(publish(run / "src", hub, key).summary(), f"{time.perf_counter() - started:.1f} s")


def do_sync(run: Path) -> None:
    from app.core.hub import normalise_location, open_hub
    from app.core.library import Library
    from app.core.signing import load_public_key
    from app.core.sync import sync_library

    home = run / "prof-home"
    shutil.rmtree(home, ignore_errors=True)
    pub = load_public_key(run / "keys" / "marketing.key.pub")
    started = time.perf_counter()
    with Library.open(home) as lib:
        lib.configure_hub(normalise_location(str(run / "hub")), pub)
        print(sync_library(lib, open_hub(str(run / "hub")), pub).summary())
        print(len(lib.search("pricing").hits), "hits", f"{time.perf_counter() - started:.1f} s")


def do_search(run: Path, seed: int, repeat: int) -> None:
    from app.core.library import Library

    queries = [q for qs in corpus_gen.search_queries(seed, 40).values() for q in qs]
    with Library.open(run / "home") as lib:
        for q in queries:
            lib.search(q)
        started = time.perf_counter()
        for _ in range(repeat):
            for q in queries:
                lib.search(q)
        took = (time.perf_counter() - started) / (repeat * len(queries)) * 1000
        print(f"{len(queries)} queries × {repeat}: mean {took:.1f} ms")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Profiling helpers (see the docstring).")
    sub = parser.add_subparsers(dest="action", required=True)
    for name in ("publish", "sync", "search"):
        p = sub.add_parser(name)
        p.add_argument("--run", type=Path, required=True, help="WORK/run-SIZE of a runner run")
        p.add_argument("--seed", type=int, default=1)
        p.add_argument("--repeat", type=int, default=5)
    p = sub.add_parser("top")
    p.add_argument("raw", type=Path)
    p.add_argument("-n", type=int, default=25)
    p.add_argument("--only", default=None, help="inclusive list: frames containing this")
    args = parser.parse_args(argv)
    if args.action == "top":
        print(top(args.raw, args.n, args.only))
    elif args.action == "publish":
        do_publish(args.run)
    elif args.action == "sync":
        do_sync(args.run)
    else:
        do_search(args.run, args.seed, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
