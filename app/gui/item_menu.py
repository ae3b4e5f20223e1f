"""The Item and View menus, the list's context menu, and keyboard shortcuts that work from
the search box as well as from the list.

Every item verb is one QAction (see :mod:`app.gui.actions`) with a window-wide shortcut; the
search field is told to let those key sequences through (it would otherwise take Ctrl+E as
"end of line"), so the rep can type a query and press Ctrl+E to send the top hit.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QWidget

from app.gui import icons
from app.gui.actions import ItemActions
from app.gui.detail_pane import DetailPane
from app.gui.kits_dialog import KitActions, KitsDialog
from app.gui.results_view import SearchField
from app.gui.window_layout import ResponsivePanes, fit_to_screen

SHORTCUTS = {
    "open": "Ctrl+O",
    "preview": "Ctrl+P",
    "send": "Ctrl+E",
    "copy": "Ctrl+Shift+C",
    "favourite": "Ctrl+D",
    "add_to_kit": "Ctrl+Shift+K",
    "flag": "Ctrl+Shift+R",
}


class ItemMenus(QObject):
    """See the module docstring."""

    def __init__(
        self,
        window: QMainWindow,
        item_actions: ItemActions,
        panes: ResponsivePanes,
        search_field: SearchField,
        *,
        detail: DetailPane,
        kits: Callable[[], dict[str, list[str]]],
        kit_ops: KitActions,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._actions = item_actions
        self._panes = panes
        self._detail = detail
        self._kits = kits
        self._kit_ops = kit_ops
        self.kits_dialog: KitsDialog | None = None
        self.preview = QAction(icons.icon("preview"), "&Preview", window)
        self.preview.setData("preview")
        self.preview.setToolTip("Show the preview at the match")
        self.preview.triggered.connect(self.show_preview)
        self.manage_kits_action = QAction(icons.icon("kit"), "Manage &kits…", window)
        self.manage_kits_action.setToolTip("Rename, empty, delete or send your meeting kits")
        self.manage_kits_action.triggered.connect(self.manage_kits)
        a = item_actions
        self.verbs: list[QAction] = [
            a.open,
            self.preview,
            a.send,
            a.copy,
            a.favourite,
            a.add_to_kit,
            a.flag,
        ]
        for name, keys in SHORTCUTS.items():
            action = self.preview if name == "preview" else getattr(a, name)
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            window.addAction(action)
        window.addAction(a.reveal)
        search_field.pass_shortcuts([act.shortcut() for act in self.verbs])

        bar = window.menuBar()
        self.item_menu = QMenu("&Item", window)
        for action in self.verbs:
            if action is a.add_to_kit:
                self.item_menu.addMenu(a.kit_menu).setText("Add to &kit")
            else:
                self.item_menu.addAction(action)
        self.item_menu.addAction(a.reveal)
        self.item_menu.addSeparator()
        self.item_menu.addAction(self.manage_kits_action)
        self.item_menu.addAction(a.request)
        self.view_menu = QMenu("&View", window)
        self.view_menu.addAction(panes.filters_action)
        self.view_menu.addAction(panes.details_action)
        menus = bar.actions()
        before = menus[1] if len(menus) > 1 else None  # after File
        bar.insertMenu(before, self.item_menu) if before else bar.addMenu(self.item_menu)
        bar.insertMenu(before, self.view_menu) if before else bar.addMenu(self.view_menu)

    def show_preview(self) -> None:
        """Item > Preview: the detail pane (shown if collapsed) on its Preview tab."""
        self._panes.show_details()
        self._detail.tabs.setCurrentWidget(self._detail.preview)
        self._detail.preview.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def manage_kits(self) -> KitsDialog:
        """Item > Manage kits: one dialog, kept up to date while it is open."""
        if self.kits_dialog is None:
            dialog = KitsDialog(self._kits(), self._title_of, self._kit_ops, self._window)
            dialog.send_requested.connect(lambda _name, ids: self._actions.send_ids(ids))
            self._actions.kits_loaded.connect(dialog.set_kits)
            fit_to_screen(dialog)
            self.kits_dialog = dialog
        self.kits_dialog.show()
        self.kits_dialog.raise_()
        return self.kits_dialog

    def _title_of(self, item_id: str) -> str | None:
        found = self._actions.summaries([item_id])
        return found[0].title if found else None

    def set_selection(self, count: int) -> None:
        self.preview.setEnabled(count == 1)

    def refresh_icons(self) -> None:
        self.preview.setIcon(icons.icon("preview"))
        self.manage_kits_action.setIcon(icons.icon("kit"))

    def context_menu(self, view: QWidget, pos: QPoint, extra: list[QAction] | None = None) -> QMenu:
        menu = QMenu(self._window)
        for action in [*self.verbs, self._actions.reveal]:
            if action is self._actions.add_to_kit:
                menu.addMenu(self._actions.kit_menu).setText("Add to kit")
            else:
                menu.addAction(action)
        for action in extra or []:
            menu.addAction(action)
        menu.popup(view.mapToGlobal(pos))
        return menu
