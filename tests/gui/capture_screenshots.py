"""Screenshots of the real main window on the demo library, light and dark, and of the
Insights view over a month of simulated usage of the demo hub.

Run: ``.venv/bin/python -m tests.gui.capture_screenshots [main] [insights]`` (offscreen;
writes ``resources/screenshots/main-light.png`` and ``main-dark.png``, about 1280x800, and
``insights.png``, 1280x900; with no argument, all of them).
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "resources" / "screenshots"
QUERY = "bedside alarm fatigue"
SIZE = (1280, 800)


def _wait(app: object, until: Callable[[], bool], timeout_s: float = 30.0) -> None:
    """Run the event loop until ``until()`` is true (a QEventLoop, no sleeping)."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    poll = QTimer()
    poll.setInterval(20)
    poll.timeout.connect(lambda: loop.quit() if until() else None)
    deadline = QTimer()
    deadline.setSingleShot(True)
    deadline.timeout.connect(loop.quit)
    poll.start()
    deadline.start(int(timeout_s * 1000))
    loop.exec()
    poll.stop()
    if not until():
        raise TimeoutError("the window did not get there in time")


def _pump(seconds: float) -> None:
    """Run the event loop for a while (a script settling its picture, not a test)."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def capture(home: Path, out: Path, *, dark: bool) -> None:
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtWidgets import QApplication

    from app.core.library import Library
    from app.gui import icons, theme
    from app.gui.gui_settings import GuiSettings
    from app.gui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setStyle("Fusion")
    if dark:
        app.styleHints().setColorScheme(Qt.ColorScheme.Dark)
        app.setPalette(theme.dark_palette())
    else:
        app.styleHints().setColorScheme(Qt.ColorScheme.Light)
        app.setPalette(app.style().standardPalette())
    icons.clear_cache()
    settings = QSettings(str(home / "screenshot-gui.ini"), QSettings.Format.IniFormat)
    settings.clear()
    with Library.open(home) as library:
        window = MainWindow(
            library,
            gui_settings=GuiSettings(home, settings),
            opener=lambda _p: None,
            sync_on_start=True,
        )
        window.resize(*SIZE)
        window.show()
        window.start()
        _wait(app, lambda: window.model.rowCount() > 0 and window.search.ready)
        _wait(app, lambda: window.sync.last_outcome is not None and not window.sync.busy)
        window.splitter.setSizes([230, 520, 530])
        window.search_field.setText(QUERY)
        _wait(app, lambda: window.detail.item_id is not None)
        preview = window.detail.preview
        _wait(app, lambda: preview.currentWidget() is not preview.message)
        _pump(0.8)  # thumbnails load and PDF pages render on worker threads
        window.grab().save(str(out))
        window.shutdown()
        window.deleteLater()
    print(f"wrote {out}")


INSIGHTS_SIZE = (1280, 900)


def capture_insights(home: Path, out: Path) -> None:
    """Thirty days of 24 simulated reps in the demo hub's inbox, loaded into Insights."""
    from datetime import UTC, datetime, timedelta

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from app.core.library import Library
    from app.gui import icons
    from app.gui.insights_window import InsightsWindow
    from tests.helpers.usage_sim import catalogue_items, simulate

    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setStyle("Fusion")
    app.styleHints().setColorScheme(Qt.ColorScheme.Light)
    app.setPalette(app.style().standardPalette())
    icons.clear_cache()
    with Library.open(home) as library:
        hub = Path(str(library.hub_state().location))
    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    sim = simulate(catalogue_items(hub), reps=24, days=30, seed=7, start=today - timedelta(30))
    sim.write_to_folder(hub)
    view = InsightsWindow(home, initial=str(hub))
    view.resize(*INSIGHTS_SIZE)
    view.show()
    shown: list[object] = []
    view.figures_shown.connect(shown.append)
    view.load()
    _wait(app, lambda: bool(shown))
    _pump(0.5)  # the charts lay out
    view.grab().save(str(out))
    view.close()
    view.deleteLater()
    print(f"wrote {out}")


def main(argv: list[str] | None = None) -> int:
    from app.core.demo import install_demo
    from app.core.library import Library

    wanted = set(sys.argv[1:] if argv is None else argv) or {"main", "insights"}
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="satchel-shots-") as tmp:
        home = Path(tmp) / "home"
        with Library.open(home) as library:
            install_demo(library)
        if "main" in wanted:
            capture(home, OUT / "main-light.png", dark=False)
            capture(home, OUT / "main-dark.png", dark=True)
        if "insights" in wanted:
            capture_insights(home, OUT / "insights.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
