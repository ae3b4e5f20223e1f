"""The main window's frame around the panes: toolbar (search, sort, filters, sync, request,
settings), the one-row notice area and the status bar. Built here, wired by the window."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app.gui import icons
from app.gui.banners import Banner, BannerArea, SyncStatus
from app.gui.detail_pane import DetailPane
from app.gui.empty_state import EmptyState
from app.gui.facet_presenter import FacetPresenter
from app.gui.filter_chips import FilterChips
from app.gui.item_delegate import ItemDelegate
from app.gui.results_view import ResultsHeader, ResultsView, SearchField
from app.gui.sidebar import Sidebar
from app.gui.window_layout import ResponsivePanes

if TYPE_CHECKING:
    from app.gui.main_window import MainWindow


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


def build_widgets(window: MainWindow) -> None:
    """The window's widgets: toolbar, notices, sidebar | results | details, status bar."""
    window.search_field = SearchField(window)
    window.sort_box = QComboBox(window)
    window.sort_box.setAccessibleName("Sort by")
    window.sort_box.setToolTip("Sort by")

    window.sidebar = Sidebar(window)
    window.results = ResultsView(window)
    window.results.setModel(window.proxy)
    window.results.setItemDelegate(ItemDelegate(window.model, window.results))
    window.results.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    window.results_header = ResultsHeader(window)
    window.filter_chips = FilterChips(window)
    window.empty_state = EmptyState(window)
    window.list_stack = QStackedWidget(window)
    window.list_stack.addWidget(window.results)
    window.list_stack.addWidget(window.empty_state)
    window.detail = DetailPane(window.library, window.runner, window.item_actions, window)

    center = QWidget(window)
    column = QVBoxLayout(center)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(0)
    column.addWidget(window.results_header)
    column.addWidget(window.filter_chips)
    column.addWidget(window.list_stack, 1)
    # the chips, the sidebar's live counts and "Clear filters" (parented to the window)
    FacetPresenter(
        search=window.search,
        sidebar=window.sidebar,
        chips=window.filter_chips,
        header=window.results_header,
        model=window.model,
        proxy=window.proxy,
        parent=window,
    )
    center.setMinimumWidth(260)

    window.splitter = QSplitter(Qt.Orientation.Horizontal, window)
    window.splitter.setObjectName("panes")
    window.splitter.setAccessibleName("Panes")
    window.splitter.addWidget(window.sidebar)
    window.splitter.addWidget(center)
    window.splitter.addWidget(window.detail)

    window.panes = ResponsivePanes(window, window.splitter, window.sidebar, window.detail)
    window.panes.filters_action.setIcon(icons.icon("filter"))
    window.panes.filters_action.setData("filter")
    chrome = build_chrome(
        window,
        window.search_field,
        window.sort_box,
        leading=[window.panes.filters_action],
        trailing=[window.item_actions.request],
    )
    window.panes.toolbar = chrome.toolbar
    window.chrome = chrome
    window.sync_action, window.settings_action = chrome.sync_action, chrome.settings_action
    window.sync_action.triggered.connect(window.sync_now)
    window.settings_action.triggered.connect(window.open_settings)
    chrome.focus_action.triggered.connect(window.focus_search)
    window.banners = chrome.banners
    window.setup_banner, window.demo_banner = chrome.setup_banner, chrome.demo_banner
    window.stale_banner, window.freshness_banner = chrome.stale_banner, chrome.freshness_banner
    window.error_banner = chrome.error_banner
    window.sync_status = chrome.sync_status

    body = QWidget(window)
    layout = QVBoxLayout(body)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    layout.addWidget(window.banners)
    layout.addWidget(window.splitter, 1)
    window.setCentralWidget(body)
