"""Banners across the top of the window (demo library, stale library, setup progress) and the
status bar's permanent parts (online/offline, last sync, item count, sync progress + Cancel).
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.core.sync import SyncProgress
from app.gui import icons, theme
from app.gui.item_data import human_size
from app.gui.plain_text import shown_literally

STAGE_TEXT = {
    "catalog": "Checking the hub",
    "download": "Downloading",
    "switch": "Switching to the new catalog",
    "index": "Updating the search index",
    "cleanup": "Tidying up",
    "publish": "Preparing the demo library",
}


class Banner(QFrame):
    """A message with an icon and an optional action button, tinted from the palette.

    In a :class:`BannerArea`, ``show()``/``hide()`` say whether the banner is *wanted*; the area
    decides which one wanted banner is on screen."""

    action = Signal()

    def __init__(self, parent: QWidget | None = None, *, warning: bool = False) -> None:
        super().__init__(parent)
        self.wanted = False
        self.area: BannerArea | None = None
        self._warning = warning
        self.setAccessibleName("Notice")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAutoFillBackground(True)
        self.icon = QLabel(self)
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.text.setOpenExternalLinks(False)
        self.button = QPushButton(self)
        self.button.clicked.connect(self.action)
        self.button.hide()
        self.progress = QProgressBar(self)
        self.progress.setAccessibleName("Progress")
        self.progress.setMaximumWidth(220)
        self.progress.setTextVisible(False)
        self.progress.hide()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.addWidget(self.icon)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.button)
        self.next = QToolButton(self)
        self.next.setAutoRaise(True)
        self.next.setAccessibleName("Next notice")
        self.next.setToolTip("Show the next notice")
        self.next.hide()
        layout.addWidget(self.next)
        self._paint_colours()
        self.hide()

    def setVisible(self, visible: bool) -> None:  # noqa: N802 (Qt's name)
        self.wanted = visible
        if self.area is not None:
            self.area.arrange()
        else:
            super().setVisible(visible)

    def put_on_screen(self, on: bool) -> None:
        """The area's decision (not the banner's wish)."""
        super().setVisible(on)

    def show_message(
        self,
        text: str,
        *,
        button: str | None = None,
        warning: bool | None = None,
        busy: bool = False,
        rich: bool = False,
    ) -> None:
        """Show ``text``: plain text, exactly as given, unless ``rich`` (only Satchel's own
        fixed texts are rich; anything quoting a title, a file name or an error is not)."""
        if warning is not None:
            self._warning = warning
        self._paint_colours()
        self.text.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
        self.text.setText(text)
        self.setAccessibleDescription(text)
        self.button.setVisible(button is not None)
        if button is not None:
            self.button.setText(button)
            self.button.setAccessibleName(button.rstrip("…"))
        self.progress.setVisible(busy)
        if busy:
            self.progress.setRange(0, 0)
        self.show()

    def set_progress(self, done: int, total: int) -> None:
        self.progress.show()
        self.progress.setRange(0, max(total, 0))
        self.progress.setValue(min(done, total) if total else 0)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._paint_colours()

    def _paint_colours(self) -> None:
        palette = self.palette()
        fill, ink = theme.banner_colours(palette, warning=self._warning)
        palette.setColor(QPalette.ColorRole.Window, fill)
        palette.setColor(QPalette.ColorRole.WindowText, ink)
        self.blockSignals(True)
        self.setPalette(palette)
        self.blockSignals(False)
        name = "warning" if self._warning else "info"
        self.icon.setPixmap(icons.icon(name, ink).pixmap(QSize(18, 18), self.devicePixelRatioF()))


class SyncStatus(QWidget):
    """The status bar's right side. Cancel is shown only while a sync runs."""

    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.dot = QLabel(self)
        self.connection = QLabel(self)
        self.connection.setAccessibleName("Connection")
        self.last_sync = QLabel(self)
        self.last_sync.setAccessibleName("Last sync")
        self.catalog_date = QLabel(self)
        self.catalog_date.setAccessibleName("Date of the library")
        self.count = QLabel(self)
        self.count.setAccessibleName("Items in the library")
        self.progress = QProgressBar(self)
        self.progress.setAccessibleName("Sync progress")
        self.progress.setMaximumWidth(200)
        self.progress.setFormat("%p%")
        self.stage = QLabel(self)
        self.cancel = QToolButton(self)
        self.cancel.setIcon(icons.icon("cancel"))
        self.cancel.setText("Cancel")
        self.cancel.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.cancel.setAccessibleName("Cancel sync")
        self.cancel.setToolTip("Cancel the sync; the library stays as it was")
        self.cancel.clicked.connect(self.cancel_requested)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 6, 0)
        layout.setSpacing(10)
        for w in (
            self.stage,
            self.progress,
            self.cancel,
            self.dot,
            self.connection,
            self.last_sync,
            self.catalog_date,
            self.count,
        ):
            layout.addWidget(w)
        layout.insertSpacing(layout.indexOf(self.connection), -6)
        self.set_idle()

    def set_idle(self) -> None:
        for w in (self.stage, self.progress, self.cancel):
            w.hide()

    def set_busy(self) -> None:
        self.stage.setText(STAGE_TEXT["catalog"] + "…")
        self.progress.setRange(0, 0)
        for w in (self.stage, self.progress, self.cancel):
            w.show()
        self.cancel.setEnabled(True)

    def set_progress(self, p: SyncProgress) -> None:
        text = STAGE_TEXT.get(p.stage, p.stage.capitalize())
        if p.stage == "download" and p.bytes_total:
            self.progress.setRange(0, 1000)
            self.progress.setValue(int(p.bytes_done * 1000 / p.bytes_total))
            text += f" {p.files_done}/{p.files_total} · {human_size(p.bytes_total)}"
        elif p.files_total:
            self.progress.setRange(0, p.files_total)
            self.progress.setValue(p.files_done)
        else:
            self.progress.setRange(0, 0)
        self.stage.setText(text + "…")

    def set_connection(self, text: str, online: bool | None, tip: str = "") -> None:
        name = "online" if online else "offline"
        colour = None
        if online is False:
            colour = theme.warning_colour(self.palette())
        pix = icons.icon(name, colour).pixmap(QSize(10, 10), self.devicePixelRatioF())
        self.dot.setPixmap(pix)
        self.connection.setText(text)
        self.connection.setToolTip(shown_literally(tip or text))

    def set_last_sync(self, when: datetime | None) -> None:
        if when is None:
            self.last_sync.setText("Never synced")
        else:
            self.last_sync.setText(f"Last sync {when.astimezone():%d %b %H:%M}")

    def set_catalog_date(self, label: str, tip: str = "") -> None:
        """``Library from 3 Dec 2026``: the date of the signed catalog the library holds."""
        self.catalog_date.setText(label)
        self.catalog_date.setToolTip(shown_literally(tip or label))
        self.catalog_date.setVisible(bool(label))

    def set_count(self, shown: int, total: int) -> None:
        self.count.setText(f"{total} items" if shown == total else f"{shown} of {total} items")


class BannerArea(QWidget):
    """One row for all notices: the most important wanted banner, with "1 of 3 ›" to step
    through the others. Banners are added most important first."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Notices")
        self.banners: list[Banner] = []
        self._offset = 0
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(0)

    def add(self, banner: Banner) -> Banner:
        banner.area = self
        banner.next.clicked.connect(self.show_next)
        self._layout.addWidget(banner)
        self.banners.append(banner)
        self.arrange()
        return banner

    def wanted(self) -> list[Banner]:
        return [b for b in self.banners if b.wanted]

    def current(self) -> Banner | None:
        wanted = self.wanted()
        return wanted[self._offset % len(wanted)] if wanted else None

    def show_next(self) -> None:
        self._offset += 1
        self.arrange()

    def arrange(self) -> None:
        wanted = self.wanted()
        if len(wanted) <= 1:
            self._offset = 0
        current = self.current()
        for banner in self.banners:
            banner.put_on_screen(banner is current)
            banner.next.setVisible(banner is current and len(wanted) > 1)
        if current is not None and len(wanted) > 1:
            position = self._offset % len(wanted) + 1
            current.next.setText(f"{position} of {len(wanted)}  ›")
        self.setVisible(current is not None)
