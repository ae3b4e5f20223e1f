"""The ticked sidebar filters as removable chips above the results, with "Clear all".

Filters stay ticked from one search to the next (a rep narrowing to PowerPoint + DACH keeps
that while trying several queries), so they must always be in sight where the results are:
the bar shows whenever any filter is ticked and hides when none is. A chip's × (or the chip
itself, by keyboard: Space/Enter) removes its filter; "Clear all" removes every one.

The chips flow onto further lines when the results column is narrow (a laptop, the details
pane open): never elided, every ticked value is readable.

Colours come from the palette (a tint of the highlight colour over the base colour, the
palette's text colour on it), so the chips read the same in light and dark mode.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QLabel,
    QLayout,
    QLayoutItem,
    QPushButton,
    QToolButton,
    QWidget,
    QWidgetItem,
)

from app.gui import theme
from app.gui.item_data import FACETS, facet_label

LABELS = dict(FACETS)


def chip_text(key: str, value: str) -> str:
    shown = facet_label(key, value)
    return f"{LABELS.get(key, key.capitalize())}: {shown}"


class FlowLayout(QLayout):
    """Items left to right, wrapping onto the next line when the width runs out."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self.setSpacing(spacing)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def insert_widget(self, index: int, widget: QWidget) -> None:
        self.addChildWidget(widget)
        self._items.insert(index, QWidgetItem(widget))

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt's name
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt's name
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        left, top, right, bottom = self._margins()
        return size + QSize(left + right, top + bottom)

    def _margins(self) -> tuple[int, int, int, int]:
        m = self.contentsMargins()
        return int(m.left()), int(m.top()), int(m.right()), int(m.bottom())

    def _arrange(self, rect: QRect, *, move: bool) -> int:
        """Lay the items out in ``rect`` (each line's items centred on it); the height used."""
        left, top, right, bottom = self._margins()
        width = rect.width() - left - right
        gap = self.spacing()
        lines: list[list[tuple[QLayoutItem, QSize]]] = [[]]
        used = 0
        for item in self._items:
            hint = item.sizeHint()
            if lines[-1] and used + hint.width() > width:
                lines.append([])
                used = 0
            lines[-1].append((item, hint))
            used += hint.width() + gap
        y = rect.y() + top
        for line in lines:
            height = max((hint.height() for _, hint in line), default=0)
            x = rect.x() + left
            for item, hint in line:
                if move:
                    offset = (height - hint.height()) // 2
                    item.setGeometry(QRect(QPoint(x, y + offset), hint))
                x += hint.width() + gap
            y += height + gap
        return y - gap - rect.y() + bottom


class FilterChips(QWidget):
    """See the module docstring."""

    removed = Signal(str, str)  # facet key, value
    cleared = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Active filters")
        self._layout = FlowLayout(self)
        self._layout.setContentsMargins(8, 2, 8, 4)
        self._title = QLabel("Filters:", self)
        self._layout.addWidget(self._title)
        self._chips: list[QToolButton] = []
        self.clear_all = QPushButton("Clear all", self)
        self.clear_all.setFlat(True)
        self.clear_all.setCursor(Qt.CursorShape.PointingHandCursor)
        self.clear_all.setAccessibleName("Clear all filters")
        self.clear_all.clicked.connect(self.cleared)
        self._layout.addWidget(self.clear_all)
        self._filters: dict[str, tuple[str, ...]] = {}
        self.setVisible(False)

    @property
    def chips(self) -> list[QToolButton]:
        return list(self._chips)

    def set_filters(self, filters: Mapping[str, Sequence[str]]) -> None:
        """Show one chip per ticked value, in the sidebar's order of facets."""
        clean = {k: tuple(v) for k, v in filters.items() if v}
        if clean == self._filters:
            return
        self._filters = clean
        for chip in self._chips:
            self._layout.removeWidget(chip)
            chip.deleteLater()
        self._chips = []
        order = [key for key, _ in FACETS] + sorted(set(clean) - set(LABELS))
        position = 1  # after "Filters:"
        for key in order:
            for value in clean.get(key, ()):
                chip = self._chip(key, value)
                self._layout.insert_widget(position, chip)
                self._chips.append(chip)
                position += 1
        self.setVisible(bool(self._chips))

    def _chip(self, key: str, value: str) -> QToolButton:
        text = chip_text(key, value)
        chip = QToolButton(self)
        chip.setText(f"{text}  ✕")
        chip.setToolTip(f"Remove the filter {text}")
        chip.setAccessibleName(f"Remove filter {text}")
        chip.setCursor(Qt.CursorShape.PointingHandCursor)
        chip.setAutoRaise(False)
        chip.setProperty("facet", (key, value))
        chip.setStyleSheet(self._chip_style())
        chip.clicked.connect(lambda _checked=False, k=key, v=value: self.removed.emit(k, v))
        return chip

    def _chip_style(self) -> str:
        palette = self.palette()
        base = palette.color(QPalette.ColorRole.Base)
        accent = palette.color(QPalette.ColorRole.Highlight)
        fill = theme.mix(base, accent, 0.22)
        text = theme.readable_on(fill, palette)
        border = theme.mix(base, accent, 0.6)
        return (
            f"QToolButton {{ background: {fill.name()}; color: {text.name()};"
            f" border: 1px solid {border.name()}; border-radius: 10px; padding: 1px 8px; }}"
            f" QToolButton:hover, QToolButton:focus {{ border: 2px solid {accent.name()}; }}"
        )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            style = self._chip_style()
            for chip in self._chips:
                chip.setStyleSheet(style)
        super().changeEvent(event)
