"""The main window's menu bar and what its menus open: My activity, Insights, diagnostics,
the log folder and About. The window passes in what they need; they own their windows."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QMainWindow

from app.core.diagnostics import diagnostics_text
from app.core.errors import SatchelError
from app.core.itconfig import ITConfig
from app.core.library import Library
from app.gui import icons
from app.gui.about_dialog import AboutDialog, toolkit_version
from app.gui.activity import ActivityDialog
from app.gui.crash_dialog import bring_to_front, open_folder
from app.gui.insights_window import InsightsWindow
from app.gui.window_layout import fit_to_screen
from app.gui.workers import Lane, TaskRunner

log = logging.getLogger(__name__)


class AppMenus(QObject):
    """See the module docstring."""

    diagnostics_copied = Signal(str)
    message = Signal(str)

    def __init__(
        self,
        window: QMainWindow,
        library: Library,
        runner: TaskRunner,
        *,
        it_config: Callable[[], ITConfig],
        pseudonymise: Callable[[], bool],
        leading: list[QAction],
        folder_opener: Callable[[Path], None] = open_folder,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._library = library
        self._runner = runner
        self._it_config = it_config
        self._pseudonymise = pseudonymise
        self._open_folder = folder_opener
        self.activity: ActivityDialog | None = None
        self.insights: InsightsWindow | None = None

        def make(
            text: str, slot: Callable[[], object], tip: str, icon: str | None = None
        ) -> QAction:
            action = QAction(text, window)
            if icon:
                action.setIcon(icons.icon(icon))
            action.setToolTip(tip)
            action.setStatusTip(tip)
            action.triggered.connect(slot)
            return action

        self.activity_action = make(
            "My &activity…", self.open_activity, "What you did, and what waits for upload"
        )
        self.activity_action.setShortcut(QKeySequence("Ctrl+Shift+A"))
        self.insights_action = make(
            "&Insights…", self.open_insights, "Marketing: usage across all reps, with charts"
        )
        self.insights_action.setShortcut(QKeySequence("Ctrl+Shift+I"))
        self.diagnostics_action = make(
            "Copy &diagnostics",
            self.copy_diagnostics,
            "Copy versions, folders, sync state and recent warnings for support",
            "copy",
        )
        self.log_action = make(
            "Open &log folder", self.open_log_folder, "Show the log and crash reports", "folder"
        )
        self.about_action = make(
            "&About Satchel", self.open_about, "Version, key fingerprint and licences", "info"
        )
        self.quit_action = make("&Quit", window.close, "Close Satchel")
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)

        bar = window.menuBar()
        bar.setAccessibleName("Menu bar")
        file_menu = bar.addMenu("&File")
        for action in leading:
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        usage = bar.addMenu("&Usage")
        usage.addAction(self.activity_action)
        usage.addAction(self.insights_action)
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.diagnostics_action)
        help_menu.addAction(self.log_action)
        help_menu.addSeparator()
        help_menu.addAction(self.about_action)

    # ------------------------------------------------------------ usage

    def open_activity(self) -> ActivityDialog:
        if self.activity is None:
            self.activity = ActivityDialog(
                self._library, self._runner, self._window, pseudonymise=self._pseudonymise()
            )
            fit_to_screen(self.activity)
        self.activity.set_pseudonymise(self._pseudonymise())
        bring_to_front(self.activity)
        self.activity.refresh()
        return self.activity

    def journal_changed(self) -> None:
        """Something was recorded or uploaded: refresh My activity if it is open."""
        if self.activity is not None and self.activity.isVisible():
            self.activity.refresh()

    def open_insights(self) -> InsightsWindow:
        if self.insights is None:
            state = self._library.hub_state()
            initial = self._it_config().hub or state.location or ""
            window = InsightsWindow(self._library.paths.home, initial=initial, parent=self._window)
            window.destroyed.connect(self._insights_gone)
            window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.insights = window
        bring_to_front(self.insights)
        return self.insights

    def _insights_gone(self) -> None:
        self.insights = None

    # ------------------------------------------------------------ help

    def copy_diagnostics(self) -> None:
        library, home = self._library, self._library.paths.home
        toolkit, config = toolkit_version(), self._it_config()

        def done(text: object) -> None:
            QGuiApplication.clipboard().setText(str(text))
            self.message.emit("Diagnostics copied; paste them into your message to IT.")
            self.diagnostics_copied.emit(str(text))

        self._runner.submit(
            Lane.IO,
            lambda: diagnostics_text(home, toolkit=toolkit, library=library, it_config=config),
            on_done=done,
        )

    def open_log_folder(self) -> None:
        folder = self._library.paths.log_dir
        folder.mkdir(parents=True, exist_ok=True)
        self._open_folder(folder)

    def open_about(self) -> AboutDialog:
        try:
            key = self._library.trusted_key()
        except SatchelError as exc:
            log.warning("the pinned key cannot be read: %s", exc)
            key = None
        dialog = AboutDialog(
            fingerprint=None if key is None else key.fingerprint, parent=self._window
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        fit_to_screen(dialog)
        dialog.open()
        return dialog

    def shutdown(self) -> None:
        if self.insights is not None:
            self.insights.shutdown()
            self.insights.close()
