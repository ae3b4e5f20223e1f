"""Starting the desktop app."""

from __future__ import annotations

import sys
from pathlib import Path

from app.core.logsetup import setup_logging


def run_gui(home: Path) -> int:
    from PySide6.QtWidgets import QApplication

    from app.core.library import Library
    from app.gui import icons
    from app.gui.main_window import MainWindow

    setup_logging(home / "logs")
    qt_app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(qt_app, QApplication)
    qt_app.setApplicationName("Satchel")
    qt_app.setOrganizationName("Satchel")
    qt_app.setApplicationDisplayName("Satchel")
    qt_app.setWindowIcon(icons.app_icon())
    library = Library.open(home)
    try:
        window = MainWindow(library)
        window.show()
        window.start()
        code = qt_app.exec()
        window.shutdown()
    finally:
        library.close()
    return int(code)
