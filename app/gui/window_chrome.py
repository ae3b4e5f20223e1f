"""The main window's frame around the panes: toolbar (search, sort, filters, sync, request,
settings), the one-row notice area and the status bar. Built here, wired by the window."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QComboBox, QLabel, QMainWindow, QToolBar, QWidget

from app.gui import icons
from app.gui.banners import Banner, BannerArea, SyncStatus
from app.gui.results_view import SearchField


@dataclass
class Chrome:
    toolbar: QToolBar
    sync_action: QAction
    settings_action: QAction
    focus_action: QAction
    banners: BannerArea
    error_banner: Banner
    setup_banner: Banner
    freshness_banner: Banner
    stale_banner: Banner
    demo_banner: Banner
    sync_status: SyncStatus

    def refresh_icons(self) -> None:
        self.sync_action.setIcon(icons.icon("sync"))
        self.settings_action.setIcon(icons.icon("settings"))
        for action in self.toolbar.actions():
            name = action.data()
            if isinstance(name, str):
                action.setIcon(icons.icon(name))


def build_chrome(
    window: QMainWindow,
    search_field: SearchField,
    sort_box: QComboBox,
    *,
    leading: list[QAction],
    trailing: list[QAction],
) -> Chrome:
    """Toolbar: ``leading`` toggles, search, sort, Sync, ``trailing`` actions, Settings."""
    bar = QToolBar("Main", window)
    bar.setObjectName("main-toolbar")
    bar.setMovable(False)
    bar.setIconSize(QSize(18, 18))
    bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    bar.setAccessibleName("Main toolbar")
    window.addToolBar(bar)
    for action in leading:
        bar.addAction(action)
    bar.addWidget(search_field)
    label = QLabel("  Sort ", window)
    label.setBuddy(sort_box)
    bar.addWidget(label)
    bar.addWidget(sort_box)
    spacer = QWidget(window)
    spacer.setFixedWidth(8)
    bar.addWidget(spacer)

    sync = QAction(icons.icon("sync"), "Sync", window)
    sync.setShortcut(QKeySequence(Qt.Key.Key_F5))
    sync.setToolTip("Sync with the hub now (F5)")
    settings = QAction(icons.icon("settings"), "Settings", window)
    settings.setShortcut(QKeySequence("Ctrl+,"))
    settings.setToolTip("Hub, key, your details, sync timing and appearance")
    for action in [sync, *trailing, settings]:
        bar.addAction(action)
    for action in [*leading, sync, *trailing, settings]:
        widget = bar.widgetForAction(action)
        if widget is not None:
            widget.setAccessibleName(action.text().replace("&", "").rstrip("…"))

    focus = QAction("Search", window)
    focus.setShortcuts([QKeySequence("Ctrl+K"), QKeySequence("Ctrl+F")])
    window.addAction(focus)

    area = BannerArea(window)
    # most important first: only one shows, "1 of 3 ›" steps through the rest
    error = area.add(Banner(area, warning=True))
    setup = area.add(Banner(area))
    freshness = area.add(Banner(area, warning=True))
    stale = area.add(Banner(area, warning=True))
    demo = area.add(Banner(area))
    status = SyncStatus(window)
    window.statusBar().addPermanentWidget(status)
    window.statusBar().setSizeGripEnabled(True)
    return Chrome(bar, sync, settings, focus, area, error, setup, freshness, stale, demo, status)
