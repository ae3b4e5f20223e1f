"""Start-up probe, run as its own process by the runner (QT_QPA_PLATFORM=offscreen).

    python -m app.gui.tools.startup_probe --home H          # the app, exactly as `main.py --home H`
    python -m app.gui.tools.startup_probe --bare --rows N   # peer: a bare Qt window listing N rows

The app is started through ``app.cli.main.main(["--home", H])``, the code path of
``python main.py --home H``. The window does not announce readiness to other processes, so
the probe hooks ``MainWindow.start`` to watch it from inside: it prints one JSON line per
event to stdout (``rows``: the window is shown and its list model has rows; ``search``: the
window's ``index_ready`` signal, when it has one), then closes the window and prints ``exit``
with the peak resident memory of this process (VmHWM). The runner
times the lines as they arrive, from just before it started this process.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path
from typing import Any

T0 = time.perf_counter()


def emit(event: str, **fields: Any) -> None:
    print(
        json.dumps({"event": event, "t": round(time.perf_counter() - T0, 4), **fields}), flush=True
    )


def peak_mb() -> float:
    """This process's peak resident memory (VmHWM). Not ``ru_maxrss``: on Linux that keeps
    the high-water mark of the process image before exec, i.e. of whoever forked us."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def run_app(home: str, timeout_s: float, settle_s: float) -> int:
    from PySide6.QtCore import QTimer

    from app.gui import main_window

    window_cls: Any = main_window.MainWindow
    original_start = window_cls.start
    seen: dict[str, float] = {}

    def hooked_start(self: Any) -> None:
        has_index_signal = hasattr(self, "index_ready")

        def check() -> None:
            if "rows" not in seen and self.isVisible() and self.model.rowCount() > 0:
                seen["rows"] = time.perf_counter()
                emit("rows", rows=self.model.rowCount(), rss_mb=peak_mb())
            if "rows" in seen and ("search" in seen or not has_index_signal):
                poll.stop()
                QTimer.singleShot(int(settle_s * 1000), self.close)

        def on_index(*_args: Any) -> None:
            if "search" not in seen:
                seen["search"] = time.perf_counter()
                emit("search", rss_mb=peak_mb())
            check()

        def give_up() -> None:
            if "rows" not in seen or (has_index_signal and "search" not in seen):
                emit("timeout", rows=self.model.rowCount())
                self.close()

        poll = QTimer(self)
        poll.setInterval(5)
        poll.timeout.connect(check)
        poll.start()
        if has_index_signal:
            self.index_ready.connect(on_index)
        for name in ("snapshot_applied",):
            if hasattr(self, name):
                getattr(self, name).connect(check)
        QTimer.singleShot(int(timeout_s * 1000), give_up)
        original_start(self)

    window_cls.start = hooked_start
    from app.cli.main import main

    code = main(["--home", home])
    emit("exit", code=code, peak_mb=peak_mb())
    return 0


def run_bare(rows: int, settle_s: float) -> int:
    from PySide6.QtCore import QStringListModel, QTimer
    from PySide6.QtWidgets import QApplication, QListView, QMainWindow

    app = QApplication(sys.argv)
    window = QMainWindow()
    view = QListView(window)
    model = QStringListModel([f"Item {n}" for n in range(rows)], window)
    view.setModel(model)
    window.setCentralWidget(view)
    window.resize(1280, 800)
    window.show()

    def ready() -> None:
        emit("rows", rows=model.rowCount(), rss_mb=peak_mb())
        emit("search", rss_mb=peak_mb())
        QTimer.singleShot(int(settle_s * 1000), window.close)

    QTimer.singleShot(0, ready)
    code = app.exec()
    emit("exit", code=code, peak_mb=peak_mb())
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--home")
    parser.add_argument("--bare", action="store_true")
    parser.add_argument("--rows", type=int, default=0)
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--settle", type=float, default=1.0)
    args = parser.parse_args(argv)
    if args.bare:
        return run_bare(args.rows, args.settle)
    return run_app(args.home, args.timeout, args.settle)


if __name__ == "__main__":
    sys.exit(main())
