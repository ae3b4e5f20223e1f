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
from app.gui.results_view import SearchField
from app.gui.window_layout import ResponsivePanes

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
        show_preview: Callable[[], object],
        manage_kits: Callable[[], object],
    ) -> None:
        super().__init__(window)
        self._window = window
        self._actions = item_actions
        self.preview = QAction(icons.icon("preview"), "&Preview", window)
        self.preview.setData("preview")
        self.preview.setToolTip("Show the preview at the match")
        self.preview.triggered.connect(show_preview)
        self.manage_kits = QAction(icons.icon("kit"), "Manage &kits…", window)
        self.manage_kits.setToolTip("Rename, empty, delete or send your meeting kits")
        self.manage_kits.triggered.connect(manage_kits)
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
        self.item_menu.addAction(self.manage_kits)
        self.item_menu.addAction(a.request)
        self.view_menu = QMenu("&View", window)
        self.view_menu.addAction(panes.filters_action)
        self.view_menu.addAction(panes.details_action)
        menus = bar.actions()
        before = menus[1] if len(menus) > 1 else None  # after File
        bar.insertMenu(before, self.item_menu) if before else bar.addMenu(self.item_menu)
        bar.insertMenu(before, self.view_menu) if before else bar.addMenu(self.view_menu)

    def set_selection(self, count: int) -> None:
        self.preview.setEnabled(count == 1)

    def refresh_icons(self) -> None:
        self.preview.setIcon(icons.icon("preview"))
        self.manage_kits.setIcon(icons.icon("kit"))

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
