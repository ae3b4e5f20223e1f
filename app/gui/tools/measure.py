"""Start-up time and GUI stalls, measured on the demo library and on a 2,000-item hub.

Run: ``.venv/bin/python -m app.gui.tools.measure [--items 2000] [--work DIR]`` (offscreen). The
generated hub is kept in ``--work`` (default: the system temp folder) and reused.

* start-up: from process creation, and from opening the library, to the first rows shown
  (library opened, list painted), and to the search index ready;
* stall: the longest gap of a 10 ms GUI timer while the window syncs the 2,000-item hub into
  an empty library, with queries typed (one key every 60 ms) during the sync.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

QUERIES = ["hospital pricing", "alarm fatigue", "nordic discount", "case study"]
WORDS = [
    "hospital",
    "pricing",
    "alarm",
    "fatigue",
    "bedside",
    "monitor",
    "ward",
    "nurse",
    "discount",
    "nordic",
    "region",
    "contract",
    "tender",
    "procurement",
    "onboarding",
    "rollout",
    "proposal",
    "case",
    "study",
    "elder",
    "care",
    "clinic",
    "integration",
    "security",
    "compliance",
    "datasheet",
    "battlecard",
    "objection",
    "renewal",
    "pilot",
]


def _wait(until: Callable[[], bool], timeout_s: float = 300.0) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    poll = QTimer()
    poll.setInterval(5)
    poll.timeout.connect(lambda: loop.quit() if until() else None)
    deadline = QTimer()
    deadline.setSingleShot(True)
    deadline.timeout.connect(loop.quit)
    poll.start()
    deadline.start(int(timeout_s * 1000))
    loop.exec()
    poll.stop()
    if not until():
        raise TimeoutError("timed out")


# ------------------------------------------------------------------ fixtures on disk


def make_big_source(src: Path, count: int) -> None:
    """``count`` small documents: text, markdown and DOCX, with plausible words."""
    import random

    from app.tools.collateral import make_docx, make_text

    rng = random.Random(7)
    for n in range(count):
        words = " ".join(rng.choice(WORDS) for _ in range(120))
        folder = src / f"Folder {n % 20:02d}"
        if n % 4 == 0:
            make_docx(folder / f"Brief {n:04d}.docx", [f"Brief {n}", words], title=f"Brief {n}")
        elif n % 4 == 1:
            make_text(folder / f"Notes {n:04d}.md", f"# Notes {n}\n\n{words}\n")
        else:
            make_text(folder / f"Memo {n:04d}.txt", f"Memo {n}\n{words}\n")


def big_hub(work: Path, count: int) -> tuple[Path, Path]:
    from app.core.publish import publish
    from app.core.signing import generate_key, load_signing_key, write_key_pair

    root = work / f"hub-{count}"
    hub, key = root / "hub", root / "keys" / "marketing.key"
    pub = key.with_name(key.name + ".pub")
    if (hub / "catalog.json").exists() and pub.exists():
        return hub, pub
    src = root / "src"
    if not src.exists():
        make_big_source(src, count)
    write_key_pair(generate_key(), key)
    started = time.perf_counter()
    publish(src, hub, load_signing_key(key))
    print(f"published {count} items in {time.perf_counter() - started:.1f} s", flush=True)
    return hub, pub


def synced_home(home: Path, hub: Path, pub: Path) -> Path:
    from app.core.hub import open_hub
    from app.core.library import Library
    from app.core.signing import load_public_key
    from app.core.sync import sync_library
    from app.gui.child_jobs import warm_index

    if home.exists():
        return home
    with Library.open(home) as lib:
        lib.configure_hub(str(hub), load_public_key(pub))
        location, key = lib.require_hub()
        sync_library(lib, open_hub(location), key)
        warm_index(lib)
    return home


def demo_home(work: Path) -> Path:
    from app.core.demo import install_demo
    from app.core.library import Library
    from app.gui.child_jobs import warm_index

    home = work / "demo-home"
    if not home.exists():
        with Library.open(home) as lib:
            install_demo(lib)
            warm_index(lib)
    return home


# ------------------------------------------------------------------ measurements


def startup_child(home: Path) -> dict[str, float]:
    """Runs in a fresh process: times to the first rows painted and to the index ready."""
    import psutil

    born = psutil.Process().create_time()
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from app.core.library import Library
    from app.gui.gui_settings import GuiSettings
    from app.gui.main_window import MainWindow

    app = QApplication(sys.argv)
    opened_at = time.perf_counter()
    library = Library.open(home)
    settings = QSettings(str(home.parent / f"{home.name}-measure.ini"), QSettings.Format.IniFormat)
    window = MainWindow(library, gui_settings=GuiSettings(home, settings), sync_on_start=False)
    window.resize(1280, 800)
    window.show()
    window.start()
    _wait(lambda: window.model.rowCount() > 0)
    window.results.viewport().repaint()  # the first rows, painted
    rows_at = time.perf_counter()
    rows_wall = time.time()
    _wait(lambda: window.search.ready)
    index_at = time.perf_counter()
    out = {
        "rows": window.model.rowCount(),
        "process_to_rows_ms": (rows_wall - born) * 1000,
        "open_to_rows_ms": (rows_at - opened_at) * 1000,
        "open_to_index_ms": (index_at - opened_at) * 1000,
    }
    window.shutdown()
    library.close()
    del app
    return out


def measure_startup(home: Path, runs: int = 3) -> dict[str, float]:
    best: dict[str, float] = {}
    for _ in range(runs):
        proc = subprocess.run(
            [sys.executable, "-m", "app.gui.tools.measure", "--startup-child", str(home)],
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).resolve().parents[3],
        )
        result = json.loads(proc.stdout.strip().splitlines()[-1])
        for k, v in result.items():
            best[k] = min(best.get(k, v), v)
    return best


def measure_sync_stall(home: Path, hub: Path, pub: Path) -> dict[str, float]:
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from app.core.library import Library
    from app.core.signing import load_public_key
    from app.gui.gui_settings import GuiSettings
    from app.gui.main_window import MainWindow
    from app.gui.tools.stall import StallMeter

    app = QApplication.instance() or QApplication(sys.argv)
    with Library.open(home) as lib:
        lib.configure_hub(str(hub), load_public_key(pub))
    library = Library.open(home)
    settings = QSettings(str(home.parent / "stall.ini"), QSettings.Format.IniFormat)
    window = MainWindow(library, gui_settings=GuiSettings(home, settings), sync_on_start=False)
    window.resize(1280, 800)
    window.show()
    window.start()
    _wait(lambda: window.search.ready and window._snapshot is not None)

    typed: dict[str, Any] = {"text": "", "query": 0, "answers": 0, "pause": 0}
    window.search.results.connect(lambda _o: typed.__setitem__("answers", typed["answers"] + 1))

    def type_key() -> None:
        """One key every 60 ms; after each query a pause of about a second (reading)."""
        if int(typed["pause"]) > 0:
            typed["pause"] = int(typed["pause"]) - 1
            return
        query = QUERIES[int(typed["query"]) % len(QUERIES)]
        text = str(typed["text"])
        if len(text) >= len(query):
            typed["query"] = int(typed["query"]) + 1
            typed["text"] = ""
            window.search_field.clear()
            return
        typed["text"] = query[: len(text) + 1]
        window.search_field.setText(str(typed["text"]))
        if typed["text"] == query:
            typed["pause"] = 16

    keys = QTimer()
    keys.setInterval(60)
    keys.timeout.connect(type_key)
    done = {"sync": False, "rows": False}
    window.sync.finished.connect(lambda _o: done.__setitem__("sync", True))
    window.snapshot_applied.connect(lambda: done.__setitem__("rows", done["sync"] or done["rows"]))
    meter = StallMeter()
    meter.start()
    keys.start()
    started = time.perf_counter()
    window.sync_now()
    _wait(lambda: done["sync"] and done["rows"], timeout_s=900)
    took = time.perf_counter() - started
    keys.stop()
    worst = meter.stop()
    out = {
        "items": window.model.rowCount(),
        "sync_s": took,
        "worst_stall_ms": worst,
        "ticks": meter.ticks,
        "search_answers_during_sync": typed["answers"],
    }
    window.shutdown()
    library.close()
    del app
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument(
        "--work", type=Path, default=Path(tempfile.gettempdir()) / "satchel-measure"
    )
    parser.add_argument("--startup-child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.startup_child:
        print(json.dumps(startup_child(args.startup_child)))
        return 0
    work: Path = args.work
    work.mkdir(parents=True, exist_ok=True)
    demo = demo_home(work)
    print("start-up, demo library:", measure_startup(demo), flush=True)
    hub, pub = big_hub(work, args.items)
    big = synced_home(work / f"home-{args.items}", hub, pub)
    print(f"start-up, {args.items} items:", measure_startup(big), flush=True)
    fresh = work / f"stall-home-{time.time_ns()}"
    print("sync with typing:", measure_sync_stall(fresh, hub, pub), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
