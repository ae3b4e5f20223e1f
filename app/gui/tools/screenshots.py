"""The README's screenshots, rendered from the real app on the demo library.

What a new user sees: a search with a PowerPoint hit previewed at its slide, the send dialog,
and Insights over six weeks of believable demo usage (:mod:`app.tools.demo_usage`), at
1366x768 (a laptop) and 1920x1080, light and dark. Each screen size runs in its own process
(Qt's offscreen screen has a fixed size); the PNGs are palette-quantised to stay small.

    python -m app.gui.tools.screenshots [--out resources/screenshots] [--all]

Without ``--all`` only the README's set is written (six files); with it every scene at both
sizes and both themes (twelve).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.gui.main_window import MainWindow

SIZES = {"laptop": (1366, 768), "desktop": (1920, 1080)}
THEMES = ("light", "dark")
SCENES = ("search", "send", "insights")
README_SET = (
    ("search", "laptop", "light"),
    ("search", "laptop", "dark"),
    ("send", "laptop", "light"),
    ("insights", "laptop", "dark"),
    ("search", "desktop", "light"),
    ("insights", "desktop", "light"),
)
QUERY = "pricing"
PREVIEWED = "hospital-pricing-2026"  # a deck: its preview opens at the matching slide


def shot_name(scene: str, size: str, theme: str) -> str:
    return f"{scene}-{size}-{theme}.png"


# ------------------------------------------------------------------ in the child process


def _wait(until: Callable[[], bool], timeout_s: float = 60.0) -> None:
    """Run the event loop until ``until()`` holds (no sleeping)."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    poll = QTimer()
    poll.timeout.connect(lambda: loop.quit() if until() else None)
    poll.start(25)
    QTimer.singleShot(int(timeout_s * 1000), loop.quit)
    loop.exec()
    poll.stop()
    if not until():
        raise TimeoutError("the window did not get there in time")


def _settle(ms: int = 600) -> None:
    """Let worker results land and pages paint (a picture settling, not a test)."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def _save(image: object, out: Path) -> None:
    """A palette PNG (256 colours are plenty for a UI), optimised."""
    from PIL import Image
    from PySide6.QtGui import QImage

    assert isinstance(image, QImage)
    if not image.save(str(out)):  # the format follows the .png suffix
        raise OSError(f"could not write {out}")
    with Image.open(out) as shot:
        picture = shot.convert("RGB")
    picture = picture.quantize(256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    picture.save(out, optimize=True)


def _with_dialog(window: object, dialog: object) -> object:
    """The window, dimmed, with ``dialog`` on it in a plain frame with its title (offscreen
    windows have no decorations, and a grab shows one window)."""
    from PySide6.QtCore import QRect, Qt
    from PySide6.QtGui import QColor, QPainter, QPalette
    from PySide6.QtWidgets import QWidget

    assert isinstance(window, QWidget) and isinstance(dialog, QWidget)
    image = window.grab().toImage()
    palette = dialog.palette()
    painter = QPainter(image)
    painter.fillRect(image.rect(), QColor(0, 0, 0, 70))
    title_h = dialog.fontMetrics().height() + 14
    inner = dialog.frameGeometry().translated(-window.frameGeometry().topLeft())
    frame = QRect(inner.left(), inner.top() - title_h, inner.width(), inner.height() + title_h)
    for spread in range(12, 0, -3):  # a soft shadow
        painter.fillRect(
            frame.adjusted(-spread, -spread + 4, spread, spread + 4), QColor(0, 0, 0, 14)
        )
    painter.fillRect(frame, palette.color(QPalette.ColorRole.Window))
    painter.setPen(palette.color(QPalette.ColorRole.WindowText))
    bold = dialog.font()
    bold.setBold(True)
    painter.setFont(bold)
    title = QRect(frame.left(), frame.top(), frame.width(), title_h)
    painter.drawText(title, Qt.AlignmentFlag.AlignCenter, dialog.windowTitle())
    painter.drawPixmap(inner.topLeft(), dialog.grab())
    painter.setPen(palette.color(QPalette.ColorRole.Mid))
    painter.drawRect(frame.adjusted(0, 0, -1, -1))
    painter.end()
    return image


def render_size(home: Path, size: str, out: Path, wanted: list[tuple[str, str]]) -> None:
    """Render (scene, theme) pairs at one screen size; Qt runs offscreen at that size."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    for theme in THEMES:
        scenes = [scene for scene, t in wanted if t == theme]
        if scenes:
            _render_theme(home, size, theme, scenes, out)
            _settle(100)


def _render_theme(home: Path, size: str, theme: str, scenes: list[str], out: Path) -> None:
    from PySide6.QtCore import QSettings

    from app.core.library import Library
    from app.gui import settings_flow
    from app.gui.gui_settings import GuiSettings
    from app.gui.main_window import MainWindow

    width, height = SIZES[size]
    settings = QSettings(str(home / f"shots-{size}-{theme}.ini"), QSettings.Format.IniFormat)
    settings.clear()
    gui = GuiSettings(home, settings)
    gui.set_appearance(theme)
    with Library.open(home) as library:
        window = MainWindow(library, gui_settings=gui, opener=lambda _p: None)
        window.resize(width, height)
        window.show()
        window.start()
        _wait(lambda: window.model.rowCount() > 0 and window.search.ready)
        _wait(lambda: window.sync.last_outcome is not None and not window.sync.busy)
        settings_flow.set_appearance(window, theme)
        window.search_field.setText(QUERY)
        _wait(lambda: window.detail.preview.item_id == PREVIEWED)
        _settle()
        if "search" in scenes:
            _save(window.grab().toImage(), out / shot_name("search", size, theme))
        if "send" in scenes:
            _send_scene(window, out / shot_name("send", size, theme))
        if "insights" in scenes:
            _insights_scene(window, width, height, out / shot_name("insights", size, theme))
        window.shutdown()
        window.deleteLater()


def _send_scene(window: MainWindow, out: Path) -> None:
    from app.gui.item_dialogs import SendDialog
    from app.gui.window_layout import fit_to_screen

    summaries = window.item_actions.summaries(["price-list", "roi-calculator"])
    dialog = SendDialog(
        [s.title for s in summaries],
        "Alex Morgan",
        window,
        total_size=sum(s.size for s in summaries),
    )
    dialog.recipients.setText("dr.weber@klinikum-nord.example")
    dialog.account.setText("Klinikum Nord")
    fit_to_screen(dialog)
    dialog.show()
    _settle(200)
    _save(_with_dialog(window, dialog), out)
    dialog.close()


def _insights_scene(window: MainWindow, width: int, height: int, out: Path) -> None:
    insights = window.menus.open_insights()
    insights.resize(width, height)
    insights.move(0, 0)
    shown: list[object] = []
    insights.figures_shown.connect(shown.append)
    insights.load()
    _wait(lambda: bool(shown), 120)
    # the demo hub sits in a temporary folder: show where it is, not that folder's name
    hub = insights.source.text()
    insights.source.setText("demo/hub")
    insights.note.setText(insights.note.text().replace(hub, "the demo hub"))
    _settle()
    _save(insights.grab().toImage(), out)
    insights.close()


# ------------------------------------------------------------------ the driver


def _screen_config(folder: Path, width: int, height: int) -> Path:
    path = folder / f"screen-{width}x{height}.json"
    screen = {"name": "shot", "x": 0, "y": 0, "width": width, "height": height}
    screen |= {"logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}
    doc = {"synchronousWindowSystemEvents": False, "windowFrameMargins": False}
    path.write_text(json.dumps({**doc, "screens": [screen]}), encoding="utf-8")
    return path


def render_all(out: Path, wanted: list[tuple[str, str, str]]) -> list[Path]:
    from app.core.demo import install_demo
    from app.core.library import Library
    from app.tools.demo_usage import write_demo_usage

    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="satchel-shots-") as tmp:
        home = Path(tmp) / "home"
        with Library.open(home) as library:
            install_demo(library)
            hub = Path(str(library.hub_state().location))
        write_demo_usage(hub)
        for size in SIZES:
            pairs = [(scene, theme) for scene, s, theme in wanted if s == size]
            if not pairs:
                continue
            width, height = SIZES[size]
            env = dict(os.environ)
            env["QT_QPA_PLATFORM"] = (
                f"offscreen:configfile={_screen_config(Path(tmp), width, height)}"
            )
            job = json.dumps({"home": str(home), "size": size, "out": str(out), "pairs": pairs})
            subprocess.run(
                [sys.executable, "-m", "app.gui.tools.screenshots", "--child", job],
                env=env,
                check=True,
            )
    return [out / shot_name(*w) for w in wanted]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Render the README's screenshots.")
    parser.add_argument("--out", type=Path, default=Path("resources") / "screenshots")
    parser.add_argument("--all", action="store_true", help="every scene, size and theme")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        job = json.loads(args.child)
        pairs = [(str(a), str(b)) for a, b in job["pairs"]]
        render_size(Path(job["home"]), str(job["size"]), Path(job["out"]), pairs)
        return 0
    wanted = (
        [(scene, size, theme) for scene in SCENES for size in SIZES for theme in THEMES]
        if args.all
        else list(README_SET)
    )
    for path in render_all(args.out, wanted):
        print(f"{path} {path.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
