"""The result list, its header line (count, "did you mean", "Request this") and the search
field that drives it from the keyboard."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QDrag, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.gui import icons
from app.gui.library_model import Roles

NAV_KEYS = {
    Qt.Key.Key_Up,
    Qt.Key.Key_Down,
    Qt.Key.Key_PageUp,
    Qt.Key.Key_PageDown,
}


class SearchField(QLineEdit):
    """Typing searches; arrows move in the results, Enter opens, Esc clears."""

    navigate = Signal(object)  # a QKeyEvent to pass to the result list
    activated = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("Search inside every document  (Ctrl+K)")
        self.setAccessibleName("Search")
        self.setAccessibleDescription(
            "Type to search; arrow keys move in the results, Enter opens, Escape clears"
        )
        self.setClearButtonEnabled(True)
        self.addAction(icons.icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.setMinimumWidth(240)
        self._passthrough: list[QKeySequence] = []

    def pass_shortcuts(self, sequences: Sequence[QKeySequence]) -> None:
        """Let these shortcuts reach the window's actions (Ctrl+E sends, not "end of line")."""
        self._passthrough = [s for s in sequences if not s.isEmpty()]

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            pressed = QKeySequence(event.keyCombination())
            if any(
                pressed.matches(s) == QKeySequence.SequenceMatch.ExactMatch
                for s in self._passthrough
            ):
                event.ignore()  # not ours: the shortcut map triggers the action
                return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in NAV_KEYS:
            self.navigate.emit(event)
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.activated.emit()
            return
        if key == Qt.Key.Key_Escape and self.text():
            self.clear()
            return
        super().keyPressEvent(event)


class ResultsView(QListView):
    """The item list. Enter opens; dragging out carries the files (recorded as a copy)."""

    activated_items = Signal(list)  # ids to open
    dragged_out = Signal(list)  # ids dropped somewhere outside
    escape = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Library items")
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setUniformItemSizes(True)  # False while snippets show (see ResultsPresenter)
        self.setIconSize(QSize(64, 48))
        self.setAlternatingRowColors(False)
        self.setSpacing(0)
        self.doubleClicked.connect(self._double_clicked)
        # asked before a drag starts (internal items need the rep's yes); None: always
        self.may_drag: Callable[[list[str]], bool] | None = None

    def selected_ids(self) -> list[str]:
        rows = sorted(self.selectionModel().selectedRows(), key=lambda i: i.row())
        return [str(i.data(Roles.ID)) for i in rows]

    def _double_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.activated_items.emit([str(index.data(Roles.ID))])

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            ids = self.selected_ids()
            if ids:
                self.activated_items.emit(ids)
            return
        if event.key() == Qt.Key.Key_Escape:
            self.escape.emit()
            return
        if event.matches(QKeySequence.StandardKey.Copy):
            event.ignore()  # handled by the window's Copy action
            return
        super().keyPressEvent(event)

    def startDrag(self, supportedActions: Qt.DropAction) -> None:
        indexes = [i for i in self.selectedIndexes() if i.isValid()]
        if not indexes:
            return
        ids = [str(i.data(Roles.ID)) for i in indexes]
        if self.may_drag is not None and not self.may_drag(ids):
            return
        mime = self.model().mimeData(indexes)
        if mime is None or not mime.hasUrls():
            return
        drag = QDrag(self)
        drag.setMimeData(mime)
        first = indexes[0].data(Qt.ItemDataRole.DecorationRole)
        if first is not None:
            drag.setPixmap(first.pixmap(QSize(32, 32), self.devicePixelRatioF()))
        if drag.exec(Qt.DropAction.CopyAction) != Qt.DropAction.IgnoreAction:
            self.dragged_out.emit(ids)


_AS_TYPED = "satchel:as-typed"  # the link of "Search instead for ..." (never a query)
_CLEAR_FILTERS = "satchel:clear-filters"  # the link of "... hidden by filters. Clear filters"


class ResultsHeader(QWidget):
    """ "12 results" · "Did you mean …?" · [Request this] on a miss."""

    suggestion_clicked = Signal(str)
    as_typed_clicked = Signal()  # "Search instead for <the query as typed>"
    clear_filters_clicked = Signal()  # "12 more hidden by filters. Clear filters"
    request_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel(self)
        self.summary.setAccessibleName("Result count")
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setWordWrap(True)  # long queries and notes wrap, never widen the window
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.summary.linkActivated.connect(self._link)
        self.suggestion = QLabel(self)
        self.suggestion.setAccessibleName("Did you mean")
        self.suggestion.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.suggestion.setWordWrap(True)
        self.suggestion.linkActivated.connect(self._link)
        self.request = QPushButton(icons.icon("request"), "Request this…", self)
        self.request.setAccessibleName("Request this material from marketing")
        self.request.setToolTip("Nothing found: ask marketing for it")
        self.request.clicked.connect(self.request_clicked)
        # the count (and what filters hide) on the first line, "Did you mean" / "Showing
        # results for" under it: side by side they squeezed each other into narrow columns
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.setSpacing(2)
        first = QHBoxLayout()
        first.addWidget(self.summary, 1)
        first.addWidget(self.request)
        layout.addLayout(first)
        layout.addWidget(self.suggestion)
        self.show_listing(0, 0)

    def show_listing(self, shown: int, total: int) -> None:
        self.summary.setText(f"{shown} items" if shown == total else f"{shown} of {total} items")
        self.suggestion.hide()
        self.request.hide()

    def _link(self, href: str) -> None:
        if href == _AS_TYPED:
            self.as_typed_clicked.emit()
        elif href == _CLEAR_FILTERS:
            self.clear_filters_clicked.emit()
        else:
            self.suggestion_clicked.emit(href)

    def show_results(
        self,
        query: str,
        shown: int,
        suggestion: str | None,
        corrected: str | None = None,
        hidden: int = 0,
    ) -> None:
        """``hidden``: matches of the query that the ticked filters hide."""
        q = html.escape(query.strip())
        more = (
            f" — {hidden} more hidden by filters. <a href='{_CLEAR_FILTERS}'>Clear filters</a>"
            if hidden > 0
            else ""
        )
        if corrected:
            c = html.escape(corrected.strip())
            self.summary.setText(f"{shown} result{'s' if shown != 1 else ''} for “{c}”{more}")
            self.suggestion.setText(
                f"Showing results for <b>{c}</b>. Search instead for <a href='{_AS_TYPED}'>{q}</a>"
            )
            self.suggestion.show()
            self.request.setVisible(shown == 0)
            return
        if shown:
            self.summary.setText(f"{shown} result{'s' if shown != 1 else ''} for “{q}”{more}")
        elif more:
            self.summary.setText(f"Nothing found for “{q}”{more}")
        else:
            self.summary.setText(f"Nothing found for “{q}”.")
        if suggestion:
            s = html.escape(suggestion)
            self.suggestion.setText(f"Did you mean <a href='{s}'><b>{s}</b></a>?")
            self.suggestion.show()
        else:
            self.suggestion.hide()
        self.request.setVisible(shown == 0)
