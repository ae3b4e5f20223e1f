"""What every benchmark step shares: the run's folders and options, timers, sizes."""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.tools.bench.rows import Row

REPO = Path(__file__).resolve().parents[3]


RESULTS_MD = Path(__file__).resolve().parent / "RESULTS.md"


RUN_COMMAND = ".venv/bin/python -m app.tools.bench.run --size 5000 --work /tmp/satchel-bench"


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
