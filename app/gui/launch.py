"""Starting the desktop app.

Uncaught errors go to :class:`app.gui.crash_handler.CrashHandler` (a crash report and a
dialog, or a plain message for a problem the rep can act on) instead of ending the app.

Smoke mode for packaged builds: with ``SATCHEL_EXIT_WHEN_READY=1`` the app prints
``window ready`` to stdout once the main window shows its first rows (after the demo
setup, on a first run) and exits with code 0. It exits with 1 if the window is not ready
within ``SATCHEL_READY_TIMEOUT_S`` seconds (default 120) or the first-run setup fails, and
with 70 if a crash report was written.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.core.logsetup import setup_logging

if TYPE_CHECKING:  # Qt is imported only when the window is wanted
    from PySide6.QtWidgets import QApplication

    from app.gui.crash_handler import CrashHandler
    from app.gui.main_window import MainWindow

READY_ENV = "SATCHEL_EXIT_WHEN_READY"
READY_TIMEOUT_ENV = "SATCHEL_READY_TIMEOUT_S"
READY_LINE = "window ready"
EXIT_NOT_READY = 1
EXIT_CRASHED = 70


def _say(text: str, *, error: bool = False) -> None:
    stream = sys.stderr if error else sys.stdout
    if stream is not None:  # a windowed frozen build may have no console
        print(text, file=stream, flush=True)


def _ready_timeout_s() -> float:
    try:
        return max(1.0, float(os.environ.get(READY_TIMEOUT_ENV, "120")))
    except ValueError:
        return 120.0


def run_gui(home: Path) -> int:
    from PySide6.QtWidgets import QApplication, QMessageBox

    from app.core.errors import SatchelError
    from app.core.library import Library
    from app.core.paths import home_status
    from app.gui import icons
    from app.gui.about_dialog import toolkit_version
    from app.gui.crash_handler import CrashHandler
    from app.gui.main_window import MainWindow

    if home_status(home) != "foreign":  # never a log file in a folder that is not ours
        setup_logging(home / "logs")
    qt_app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(qt_app, QApplication)
    qt_app.setApplicationName("Satchel")
    qt_app.setOrganizationName("Satchel")
    qt_app.setApplicationDisplayName("Satchel")
    qt_app.setWindowIcon(icons.app_icon())
    smoke = os.environ.get(READY_ENV) == "1"

    state: dict[str, Any] = {}
    crashes = CrashHandler(
        home,
        toolkit=toolkit_version(),
        library=lambda: state.get("library"),
        window=lambda: state.get("window"),
    )
    crashes.install()
    try:
        try:
            library = Library.open(home)
        except SatchelError as exc:  # the folder is unusable: say so, in one sentence
            if smoke:
                _say(f"satchel: {exc}", error=True)
            else:
                QMessageBox.warning(None, "Satchel", str(exc))
            return 1
        state["library"] = library
        try:
            window = MainWindow(library, on_bug=crashes.report)
            state["window"] = window
            if smoke:
                _exit_when_ready(window, qt_app, crashes)
            window.show()
            window.start()
            code = qt_app.exec()
            window.shutdown()
        finally:
            state.clear()
            library.close()
        return int(code)
    finally:
        crashes.uninstall()


def _exit_when_ready(window: MainWindow, qt_app: QApplication, crashes: CrashHandler) -> None:
    from PySide6.QtCore import QTimer

    done = {"exited": False}

    def finish(code: int, text: str, *, error: bool = False) -> None:
        if done["exited"]:
            return
        done["exited"] = True
        _say(text, error=error)
        qt_app.exit(code)

    def check() -> None:
        if window.model.rowCount() > 0 and window.results.isVisible():
            finish(0, READY_LINE)

    def applied() -> None:
        QTimer.singleShot(0, check)  # after the list has painted its first rows

    window.snapshot_applied.connect(applied)
    window.demo_setup.failed.connect(
        lambda message: finish(EXIT_NOT_READY, f"satchel: setup failed: {message}", error=True)
    )
    crashes.crash_reported.connect(
        lambda path: finish(EXIT_CRASHED, f"satchel: crash report written to {path}", error=True)
    )
    timeout_s = _ready_timeout_s()
    timer = QTimer(window)
    timer.setSingleShot(True)
    timer.timeout.connect(
        lambda: finish(
            EXIT_NOT_READY, f"satchel: window not ready after {timeout_s:.0f} s", error=True
        )
    )
    timer.start(int(timeout_s * 1000))
