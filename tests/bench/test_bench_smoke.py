"""Smoke test of the benchmark suite: the whole runner at a tiny size, in a child process.

Only checks that every row produced a number: figures are the runner's to report, never
asserted here (a loaded CI machine would make any timed assertion flaky).
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SIZE = 40


@pytest.mark.slow
def test_runner_produces_every_row(tmp_path: Path) -> None:
    work = tmp_path / "bench"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "app.tools.bench.run",
            "--size",
            str(SIZE),
            "--work",
            str(work),
            "--quick",
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    result = json.loads((work / f"results-{SIZE}.json").read_text())
    rows = result["rows"]
    keys = {r["key"] for r in rows}
    for wanted in (
        "publish",
        "first_sync",
        "noop_sync",
        "noop_sync_cmd",
        "delta_bytes",
        "delta_time",
        "startup",
        "startup_memory",
        "small_first_sync",
    ):
        assert wanted in keys
    assert any(k.startswith("search_p95_") for k in keys)
    missing = [
        (r["label"], r["error"])
        for r in rows
        if not isinstance(r["satchel"], int | float) or not math.isfinite(r["satchel"])
    ]
    assert not missing, missing
    no_peer = [r["label"] for r in rows if not isinstance(r["peer"], int | float)]
    assert not no_peer, no_peer
    assert "| Measure | Satchel | Peer |" in proc.stdout
