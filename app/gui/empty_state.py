"""What the list shows when it shows nothing: a reason and the next step, never a blank box.

A search that found nothing offers "Request this" with the query filled in, prominently; an
empty kit or an over-filtered list says how to get items back.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QFont, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.gui import icons
from app.gui.appearance import make_primary
from app.gui.plain_text import plain_label


class EmptyState(QWidget):
    """A centred icon, a headline, a hint and (for a search) a primary "Request this" button."""

    request_clicked = Signal(str)  # the query, to prefill the request

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Nothing to show")
        self.setAutoFillBackground(True)
        self.setBackgroundRole(self.backgroundRole().Base)
        self._query = ""
        self.icon = QLabel(self)
        self.icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.headline = plain_label(QLabel(self))  # quotes the query as typed
        self.headline.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.headline.setWordWrap(True)
        font = QFont(self.headline.font())
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.headline.setFont(font)
        self.hint = plain_label(QLabel(self))
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setWordWrap(True)
        self.hint.setForegroundRole(self.hint.foregroundRole().PlaceholderText)
        self.request = QPushButton(icons.icon("request"), "Request this from marketing…", self)
        self.request.setAccessibleName("Request this material from marketing")
        self.request.setDefault(True)
        self.request.setAutoDefault(True)
        make_primary(self.request)
        self.request.clicked.connect(lambda: self.request_clicked.emit(self._query))
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.request)
        row.addStretch(1)
        column = QVBoxLayout(self)
        column.setContentsMargins(24, 24, 24, 24)
        column.setSpacing(10)
        column.addStretch(2)
        column.addWidget(self.icon)
        column.addWidget(self.headline)
        column.addWidget(self.hint)
        column.addSpacing(6)
        column.addLayout(row)
        column.addStretch(3)
        self.show_nothing_found("")

    @property
    def query(self) -> str:
        return self._query

    def _set_icon(self, name: str) -> None:
        colour = self.palette().color(self.palette().ColorRole.PlaceholderText)
        self.icon.setPixmap(
            icons.icon(name, colour).pixmap(QSize(40, 40), self.devicePixelRatioF())
        )

    def show_nothing_found(self, query: str, *, filtered: bool = False) -> None:
        """A search for ``query`` found nothing (``filtered``: filters or a kit narrow it)."""
        self._query = query.strip()
        self._set_icon("search")
        self.headline.setText(f"Nothing found for “{self._query}”")
        hint = "Check the spelling or try a shorter word."
        if filtered:
            hint = "Clear the filters or search the whole library. " + hint
        self.hint.setText(hint + " If it does not exist yet, marketing can make it.")
        self._fit_request()
        self.request.show()

    def update_for(
        self, shown: int, total: int, query: str, *, in_kit: bool, narrowed: bool
    ) -> bool:
        """Set the state for a list showing ``shown`` of ``total``; False: the list has rows
        (or the library is still loading) and this state is not needed."""
        if shown or (not query.strip() and not total):
            return False
        if query.strip():
            self.show_nothing_found(query, filtered=narrowed)
        elif in_kit:
            self.show_empty_list("This kit is empty", "Select items and choose Add to kit.")
        else:
            self.show_empty_list(
                "No items match these filters", "Clear a filter on the left to see more."
            )
        return True

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._fit_request()

    def _fit_request(self) -> None:
        """The longest wording of the button that fits the width: never a cut label."""
        q = _short(self._query)
        room = self.width() - 64
        for text in (f"Request “{q}” from marketing…", f"Request “{q}”…", "Request this…"):
            self.request.setText(text)
            if self.request.sizeHint().width() <= room:
                break

    def show_empty_list(self, headline: str, hint: str) -> None:
        """No search, yet nothing to list (an empty kit, filters that exclude everything)."""
        self._query = ""
        self._set_icon("kit")
        self.headline.setText(headline)
        self.hint.setText(hint)
        self.request.hide()


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
