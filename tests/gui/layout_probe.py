"""Opens the real main window, Insights and every dialog on a demo library under an offscreen
screen of a given size, and prints (as JSON) what does not fit: windows or visible widgets
outside the screen's available geometry, and buttons too narrow for their label.

Run by ``test_layout.py`` in a child process, because the offscreen screen size is fixed
when Qt starts: ``python -m tests.gui.layout_probe HOME`` with ``QT_QPA_PLATFORM`` set to
``offscreen:configfile=screen.json`` (and ``QT_SCALE_FACTOR`` for 125 %).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def _outside(widget: object, available: object) -> list[str]:
    from PySide6.QtCore import QRect
    from PySide6.QtWidgets import QAbstractButton, QWidget

    assert isinstance(widget, QWidget) and isinstance(available, QRect)
    problems = []
    frame = widget.frameGeometry()
    if not available.contains(frame):
        problems.append(f"{widget.accessibleName() or type(widget).__name__} window {frame}")
    for child in widget.findChildren(QWidget):
        if not child.isVisible() or child.isWindow():
            continue
        region = child.visibleRegion()
        if region.isEmpty():
            continue
        box = region.boundingRect()
        top_left = child.mapToGlobal(box.topLeft())
        rect = QRect(top_left, box.size())
        name = child.accessibleName() or child.objectName() or type(child).__name__
        if not available.contains(rect):
            problems.append(f"{name} at {rect}")
        cut = child.width() < child.sizeHint().width() - 1
        if isinstance(child, QAbstractButton) and child.text() and cut:
            problems.append(f"button {child.text()!r} cut: {child.width()} < hint")
    return problems


def probe(home: Path) -> dict[str, list[str]]:
    from PySide6.QtCore import QEventLoop, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from app.core.library import Library
    from app.gui import settings_flow
    from app.gui.gui_settings import GuiSettings
    from app.gui.item_dialogs import FlagDialog, NewKitDialog, RequestDialog, SendDialog
    from app.gui.main_window import MainWindow
    from app.gui.window_layout import fit_to_screen

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    available = app.primaryScreen().availableGeometry()

    def settle(until: object = None, timeout_ms: int = 20_000) -> None:
        loop = QEventLoop()
        poll = QTimer()
        poll.timeout.connect(lambda: loop.quit() if until is None or until() else None)  # type: ignore[operator]
        poll.start(30)
        QTimer.singleShot(timeout_ms, loop.quit)
        loop.exec()

    found: dict[str, list[str]] = {}
    settings = QSettings(str(home / "probe-gui.ini"), QSettings.Format.IniFormat)
    with Library.open(home) as library:
        window = MainWindow(
            library,
            gui_settings=GuiSettings(home, settings),
            opener=lambda _p: None,
            sync_on_start=False,
        )
        window.show()
        window.start()
        settle(lambda: window.model.rowCount() > 0 and window.search.ready)
        window.search_field.setText("pricing")
        settle(lambda: window.detail.item_id is not None)
        found["main"] = _outside(window, available)
        if not window.statusBar().isVisible():
            found["main"].append("status bar hidden")
        insights = window.menus.open_insights()
        settle(lambda: insights.isVisible())
        found["insights"] = _outside(insights, available)
        insights.close()
        dialogs = {
            "settings": settings_flow.make_dialog(window),
            "send": SendDialog(["Hospital pricing 2026", "ROI"], "Alex Rep", window, total_size=9),
            "flag": FlagDialog("Hospital pricing 2026", window),
            "request": RequestDialog("pricing", window),
            "new kit": NewKitDialog([], window),
            "kits": window.manage_kits(),
            "activity": window.menus.open_activity(),
            "about": window.menus.open_about(),
        }
        for name, dialog in dialogs.items():
            fit_to_screen(dialog)
            dialog.show()
            settle(lambda d=dialog: d.isVisible(), 2000)
            found[name] = _outside(dialog, available)
            dialog.close()
        window.shutdown()
    return found


def main() -> int:
    found = probe(Path(sys.argv[1]))
    print(json.dumps(found))
    return 0


if __name__ == "__main__":
    sys.exit(main())
