"""Benchmark step: start-up until rows and until the index is ready, and peak memory, beside
a bare Qt window listing the same rows."""

from __future__ import annotations

import contextlib
import json
import statistics
import subprocess
import sys
import threading
import time
from typing import Any

from app.tools.bench.context import REPO, Context, child_env
from app.tools.bench.rows import Row


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
        "app.gui.tools.startup_probe",
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
            "(app/gui/tools/startup_probe.py): window shown and its model has rows"
        )
        tree = max(r["tree_peak_mb"] for r in runs)
        memory.note = (
            f"main process (VmHWM); with its child processes (index job, sync) the polled "
            f"peak of the whole tree was {tree:.0f} MB"
        )
        ctx.raw["startup"] = {"runs": runs, "bare": bare}
