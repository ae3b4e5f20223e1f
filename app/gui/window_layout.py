"""Sizes that follow the screen: a default window size from the available geometry, windows
kept inside it, and panes that give way on a narrow window instead of cutting words.

* :func:`default_size` / :func:`fit_to_screen`: every top-level window starts inside the
  screen's available geometry (a 1366x768 laptop at 100 % or 125 % included).
* :class:`ResponsivePanes`: below :data:`NARROW_PX` the filter sidebar folds away and the
  toolbar shows icons only; the detail pane can be collapsed (and comes back) by the rep; the
  splitter keeps fixed stretch factors, so selecting an item never moves it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QScreen
from PySide6.QtWidgets import QMainWindow, QSplitter, QToolBar, QWidget

from app.gui.gui_settings import GuiSettings

NARROW_PX = 1000  # below this the filters fold away (a half-screen window on a laptop)
COMPACT_TOOLBAR_PX = 1180  # below this toolbar buttons show icons only
PREFERRED = QSize(1440, 900)
SIDEBAR_PX, DETAIL_SHARE = 210, 0.55


def screen_of(widget: QWidget | None) -> QScreen:
    screen = widget.screen() if widget is not None else None
    return screen or QGuiApplication.primaryScreen()


def default_size(available: QRect, preferred: QSize = PREFERRED, share: float = 0.92) -> QSize:
    """``preferred``, shrunk to ``share`` of the available area (never taller than it)."""
    width = min(preferred.width(), int(available.width() * share))
    height = min(preferred.height(), int(available.height() * share))
    return QSize(max(width, 480), max(height, 360))


def fit_to_screen(window: QWidget, preferred: QSize | None = None) -> None:
    """Size ``window`` (``preferred`` or its size hint) to lie inside its screen's available
    geometry, and centre it there (on its parent's screen for a dialog)."""
    available = screen_of(window.parentWidget() or window).availableGeometry()
    wanted = preferred or window.sizeHint().expandedTo(window.size())
    size = default_size(available, wanted, share=0.96)
    window.resize(size)
    frame = window.frameGeometry()
    extra = QSize(frame.width() - window.width(), frame.height() - window.height())
    if size.height() + extra.height() > available.height():
        size.setHeight(available.height() - extra.height())
        window.resize(size)
    rect = QRect(available.topLeft(), size + extra)
    rect.moveCenter(available.center())
    window.move(rect.topLeft())


def clamp_to_screen(window: QWidget) -> None:
    """After a restored geometry: pull the window back inside the screen it is on."""
    available = screen_of(window).availableGeometry()
    frame = window.frameGeometry()
    if available.contains(frame):
        return
    extra = QSize(frame.width() - window.width(), frame.height() - window.height())
    size = window.size().boundedTo(available.size() - extra)
    window.resize(size)
    rect = QRect(window.frameGeometry())
    rect.moveLeft(max(available.left(), min(rect.left(), available.right() - rect.width() + 1)))
    rect.moveTop(max(available.top(), min(rect.top(), available.bottom() - rect.height() + 1)))
    window.move(rect.topLeft())


class ResponsivePanes(QObject):
    """Watches the window's width; owns the Filters and Details toggles."""

    narrow_changed = Signal(bool)

    def __init__(
        self,
        window: QWidget,
        splitter: QSplitter,
        sidebar: QWidget,
        detail: QWidget,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._splitter = splitter
        self.toolbar: QToolBar | None = None  # its buttons go icon-only on a narrow window
        self._sidebar = sidebar
        self._detail = detail
        self._narrow: bool | None = None
        self._compact: bool | None = None
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setStretchFactor(2, 1)
        splitter.setChildrenCollapsible(False)
        sidebar.setMinimumWidth(150)
        detail.setMinimumWidth(260)

        self.filters_action = QAction("&Filters", window)
        self.filters_action.setCheckable(True)
        self.filters_action.setChecked(True)
        self.filters_action.setShortcut(QKeySequence("Ctrl+Shift+L"))
        self.filters_action.setToolTip("Show or hide the filters (Ctrl+Shift+L)")
        self.filters_action.toggled.connect(sidebar.setVisible)
        self.details_action = QAction("&Details pane", window)
        self.details_action.setCheckable(True)
        self.details_action.setChecked(True)
        self.details_action.setShortcut(QKeySequence("Ctrl+Shift+D"))
        self.details_action.setToolTip("Show or hide the details and preview (Ctrl+Shift+D)")
        self.details_action.toggled.connect(detail.setVisible)
        window.installEventFilter(self)

    @property
    def narrow(self) -> bool:
        return bool(self._narrow)

    def initial_sizes(self, width: int) -> list[int]:
        side = SIDEBAR_PX if self._sidebar.isVisibleTo(self._window) else 0
        rest = max(width - side, 400)
        results = max(int(rest * (1 - DETAIL_SHARE)), min(rest - 260, 420))
        return [side, results, rest - results]

    def show_details(self) -> None:
        self.details_action.setChecked(True)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if watched is self._window and event.type() == QEvent.Type.Resize:
            self.adapt(self._window.width())
        return False

    def adapt(self, width: int) -> None:
        narrow = width < NARROW_PX
        if narrow != self._narrow:
            first = self._narrow is None
            self._narrow = narrow
            if narrow or not first:
                self.filters_action.setChecked(not narrow)
            self.narrow_changed.emit(narrow)
        compact = width < COMPACT_TOOLBAR_PX
        if compact != self._compact:
            self._compact = compact
            if self.toolbar is not None:
                self.toolbar.setToolButtonStyle(
                    Qt.ToolButtonStyle.ToolButtonIconOnly
                    if compact
                    else Qt.ToolButtonStyle.ToolButtonTextBesideIcon
                )


def restore_layout(
    window: QMainWindow, settings: GuiSettings, splitter: QSplitter, panes: ResponsivePanes
) -> None:
    """The saved geometry (pulled back onto the screen), toolbars, pane sizes and whether the
    details were collapsed; a first start fits the screen with the preset pane shares."""
    geometry = settings.geometry()
    if geometry is None or not window.restoreGeometry(geometry):
        fit_to_screen(window, PREFERRED)
    else:
        clamp_to_screen(window)
    state = settings.window_state()
    if state is not None:
        window.restoreState(state)
    sizes = settings.splitter()
    if sizes is None or not splitter.restoreState(sizes):
        splitter.setSizes(panes.initial_sizes(window.width()))
    panes.adapt(window.width())
    if settings.detail_collapsed():
        panes.details_action.setChecked(False)


def save_layout(
    window: QMainWindow, settings: GuiSettings, splitter: QSplitter, panes: ResponsivePanes
) -> None:
    settings.save_window(window.saveGeometry(), window.saveState(), splitter.saveState())
    settings.set_detail_collapsed(not panes.details_action.isChecked())
    settings.sync()
