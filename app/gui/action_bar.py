"""A row of action buttons that never cuts a label: what does not fit folds into "More".

Each action gets a tool button with its full text; on every resize the bar shows as many as
fit, in order, and lists the rest in the "More" button's menu. Its minimum width is one
button plus "More", so it never forces the pane (or a splitter) wider.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QResizeEvent, QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QMenu, QSizePolicy, QToolButton, QWidget

SPACING = 2


class ActionBar(QWidget):
    """See the module docstring."""

    def __init__(self, actions: Sequence[QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Item actions")
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self._actions = list(actions)
        self.buttons: list[QToolButton] = []
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(SPACING)
        for action in self._actions:
            button = QToolButton(self)
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            button.setAutoRaise(True)
            button.setIconSize(QSize(16, 16))
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            button.setAccessibleName(action.text().replace("&", "").rstrip("…"))
            if action.menu() is not None:
                button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
            button.setMinimumWidth(button.sizeHint().width())  # shown whole or not at all
            layout.addWidget(button)
            self.buttons.append(button)
        self.more_menu = QMenu(self)
        self.more = QToolButton(self)
        self.more.setText("More")
        self.more.setAccessibleName("More actions")
        self.more.setToolTip("More actions")
        self.more.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.more.setAutoRaise(True)
        self.more.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.more.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.more.setMenu(self.more_menu)
        layout.addWidget(self.more)
        layout.addStretch(1)
        self._fit(self.width())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        first = self.buttons[0].sizeHint().width() if self.buttons else 0
        return QSize(first + SPACING + self.more.sizeHint().width(), super().sizeHint().height())

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        width = sum(b.sizeHint().width() + SPACING for b in self.buttons)
        return QSize(width, super().sizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._fit(event.size().width())

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        self._fit(self.width())

    def folded(self) -> list[QAction]:
        """The actions currently in the "More" menu."""
        return [b.defaultAction() for b in self.buttons if b.isHidden()]

    def _fit(self, width: int) -> None:
        widths = [b.sizeHint().width() + SPACING for b in self.buttons]
        if sum(widths) - SPACING <= width:
            shown = len(self.buttons)
        else:
            room = width - self.more.sizeHint().width() - 2 * SPACING
            shown, used = 0, 0
            for w in widths:
                if used + w > room:
                    break
                used += w
                shown += 1
        self.more_menu.clear()
        for i, button in enumerate(self.buttons):
            button.setVisible(i < shown)
            if i >= shown:
                action = button.defaultAction()
                menu = action.menu()
                if isinstance(menu, QMenu):
                    self.more_menu.addMenu(menu).setText(action.text())
                else:
                    self.more_menu.addAction(action)
        self.more.setVisible(shown < len(self.buttons))
