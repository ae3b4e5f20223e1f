"""The right-hand pane: one item's metadata, tags, actions, preview and version history.

Selecting an item shows its summary at once; its version history and its preview load on the
io lane (a PDF is hash-checked before it is rendered). Answers for an item that is no longer
selected are dropped. A preview counts as seen ("preview" event) once it has stayed on screen
for :data:`PREVIEW_DWELL_MS`, so arrowing through the list does not flood the journal.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QSizePolicy,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import SatchelError
from app.core.hashing import file_sha256
from app.core.library import Library
from app.core.models import Item
from app.core.replies import replies_for_item
from app.core.search import Hit, location_label
from app.gui import theme
from app.gui.action_bar import ActionBar
from app.gui.actions import ItemActions
from app.gui.images import load_image
from app.gui.item_data import (
    FACETS,
    Badge,
    ItemSummary,
    human_size,
    kind_label,
    rendition_file,
    thumbnail_file,
)
from app.gui.plain_text import plain_label, shown_literally
from app.gui.preview import PreviewWidget
from app.gui.workers import Lane, TaskRunner

PREVIEW_DWELL_MS = 800
TAG_ORDER = [key for key, _ in FACETS if key != "type"] + ["persona"]


class DetailPane(QWidget):
    """See the module docstring."""

    previewed = Signal(str, object)  # item id, location: the preview stayed on screen

    def __init__(
        self,
        library: Library,
        runner: TaskRunner,
        actions: ItemActions,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setAccessibleName("Item details")
        self._library = library
        self._runner = runner
        self._summary: ItemSummary | None = None
        self._hit: Hit | None = None
        self._token = 0

        # catalog text is plain text: a title "<b>x</b>" shows as typed (see plain_text.py)
        self.title = plain_label(QLabel(self))
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setAccessibleName("Title")
        self.meta = plain_label(QLabel(self))
        self.meta.setWordWrap(True)
        self.meta.setAccessibleName("Type, version and dates")
        self.badges = plain_label(QLabel(self))  # the unsearchable reason comes from the hub
        self.badges.setWordWrap(True)
        self.badges.setAccessibleName("Badges")
        self.description = plain_label(QLabel(self))
        self.description.setWordWrap(True)
        self.description.setAccessibleName("Description")
        self.description.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.replies = plain_label(QLabel(self))  # marketing's notes come from the hub
        self.replies.setWordWrap(True)
        self.replies.setAccessibleName("Marketing's replies")
        self.replies.hide()
        self.tags = QLabel(self)
        self.tags.setWordWrap(True)
        self.tags.setAccessibleName("Tags")
        self.tags.setTextFormat(Qt.TextFormat.RichText)  # a table; every value escaped

        self.action_bar = ActionBar(actions.all, self)
        self.buttons = self.action_bar.buttons

        self.preview = PreviewWidget(self)
        self.versions = QTreeWidget(self)
        self.versions.setAccessibleName("Version history")
        self.versions.setHeaderLabels(["Version", "Published", "Change note"])
        self.versions.setRootIsDecorated(False)
        self.versions.setWordWrap(True)
        self.versions.setColumnWidth(0, 70)
        self.versions.setColumnWidth(1, 110)
        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName("Preview and history")
        self.tabs.addTab(self.preview, "Preview")
        self.tabs.addTab(self.versions, "Versions")

        self.header = QWidget(self)
        head = QVBoxLayout(self.header)
        head.setContentsMargins(0, 0, 0, 0)
        head.setSpacing(4)
        for w in (self.title, self.meta, self.badges, self.description, self.tags, self.replies):
            w.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
            head.addWidget(w)
        line = QFrame(self)
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addWidget(self.header)
        layout.addWidget(self.action_bar)
        layout.addWidget(line)
        layout.addWidget(self.tabs, 1)

        self._dwell = QTimer(self)
        self._dwell.setSingleShot(True)
        self._dwell.setInterval(PREVIEW_DWELL_MS)
        self._dwell.timeout.connect(self._dwelled)
        self._shown: tuple[str, object] | None = None
        self.preview.shown.connect(self._preview_shown)
        self.clear()

    # ------------------------------------------------------------ showing

    @property
    def item_id(self) -> str | None:
        return None if self._summary is None else self._summary.id

    def clear(self, text: str = "Select an item to see its details.") -> None:
        self._token += 1
        self._summary = None
        self._hit = None
        self._dwell.stop()
        self.header.hide()
        self.action_bar.hide()
        self.versions.clear()
        self.replies.hide()
        self.tabs.setTabText(0, "Preview")
        self.preview.show_message(text)

    def show_many(self, count: int) -> None:
        self.clear(f"{count} items selected. Open, copy, send or add them to a kit together.")
        self.action_bar.show()

    def show_item(self, summary: ItemSummary, hit: Hit | None, badges: Sequence[Badge]) -> None:
        same = self._summary is not None and self._summary == summary
        same_place = same and (self._hit.location if self._hit else None) == (
            hit.location if hit else None
        )
        self._summary, self._hit = summary, hit
        self.header.show()
        self.action_bar.show()
        self.title.setText(summary.title)
        self.meta.setText(self._meta_text(summary))
        self.badges.setText(self._badge_text(summary, badges))
        self.badges.setVisible(bool(badges))
        ink = theme.warning_colour(self.palette()) if Badge.INTERNAL in badges else None
        self.badges.setStyleSheet(f"color: {ink.name()}; font-weight: 600" if ink else "")
        self.description.setText(summary.description)
        self.description.setVisible(bool(summary.description))
        self.tags.setText(self._tag_html(summary))
        self.tags.setVisible(bool(summary.tags))
        if same and same_place:
            return
        self._token += 1
        token = self._token
        if not same:
            self.versions.clear()
            self.replies.hide()
            library = self._library

            def load() -> tuple[Item, list[str]]:
                answers = [k.sentence() for k in replies_for_item(library, summary.id)]
                return library.item(summary.id), answers

            self._runner.submit(
                Lane.IO,
                load,
                on_done=lambda item: self._versions_loaded(token, item),
                on_error=lambda _e: None,
            )
        self._load_preview(token, summary, hit.location if hit else None)

    # ------------------------------------------------------------ text

    @staticmethod
    def _meta_text(s: ItemSummary) -> str:
        parts = [kind_label(s.kind), f"version {s.version}", human_size(s.size)]
        if s.page_count:
            unit = {"pptx": "slides", "xlsx": "sheets"}.get(s.kind, "pages")
            parts.append(f"{s.page_count} {unit}")
        parts.append(f"updated {s.updated_at:%d %b %Y}")
        if s.expires_at is not None:
            parts.append(f"expires {s.expires_at:%d %b %Y}")
        return " · ".join(parts)

    @staticmethod
    def _badge_text(s: ItemSummary, badges: Sequence[Badge]) -> str:
        words = []
        for badge in badges:
            if badge is Badge.UNSEARCHABLE:
                reason = s.unsearchable_reason or "its text could not be read"
                words.append(f"Not searchable: {reason}")
            elif badge is Badge.NEW:
                words.append("New since your last sync")
            elif badge is Badge.UPDATED:
                words.append("Updated since your last sync")
            elif badge is Badge.INTERNAL:
                words.append("Internal use only: not for customers")
            else:
                words.append(badge.value)
        return " · ".join(words)

    @staticmethod
    def _tag_html(s: ItemSummary) -> str:
        keys = [k for k in TAG_ORDER if k in s.tags] + sorted(
            k for k in s.tags if k not in TAG_ORDER
        )
        rows = []
        for key in dict.fromkeys(keys):
            values = ", ".join(html.escape(v) for v in s.tags[key])
            rows.append(
                f"<tr><td style='padding-right:10px'><b>{html.escape(key.capitalize())}</b></td>"
                f"<td>{values}</td></tr>"
            )
        return f"<table cellspacing='0' cellpadding='1'>{''.join(rows)}</table>"

    # ------------------------------------------------------------ loading

    def _versions_loaded(self, token: int, loaded: object) -> None:
        if token != self._token or not isinstance(loaded, tuple):
            return
        item, answers = loaded
        if not isinstance(item, Item):
            return
        self.replies.setText("\n".join(answers))
        self.replies.setVisible(bool(answers))
        self.versions.clear()
        for v in sorted(item.versions, key=lambda v: v.version, reverse=True):
            row = QTreeWidgetItem(
                [f"v{v.version}", f"{v.published_at:%d %b %Y}", v.change_note or "—"]
            )
            row.setToolTip(2, shown_literally(v.change_note or ""))
            self.versions.addTopLevelItem(row)

    def _load_preview(self, token: int, summary: ItemSummary, location: int | None) -> None:
        library = self._library
        self.tabs.setTabText(0, "Preview")
        self.preview.show_message("Loading the preview…", summary.id)
        if summary.rendition_sha256 and self.preview.pdf_view is not None:
            # an office file's PDF rendition: slide n, page n and sheet n are its page n

            def rendition() -> Path:
                path = rendition_file(library, summary)
                if path is None or file_sha256(path) != summary.rendition_sha256:
                    raise SatchelError("its preview is missing; sync again to restore it")
                return path

            self._runner.submit(
                Lane.IO,
                rendition,
                on_done=lambda path: self._pdf_ready(token, summary, path, location),
                on_error=lambda _exc: self._load_thumbnail_instead(token, summary, location),
            )
            return
        if summary.kind == "pdf" and self.preview.pdf_view is not None:

            def verify() -> Path:
                return library.verified_path(library.item(summary.id))

            self._runner.submit(
                Lane.IO,
                verify,
                on_done=lambda path: self._pdf_ready(token, summary, path, location),
                on_error=lambda exc: self._no_preview(token, summary, str(exc)),
            )
            return
        if summary.kind == "image":

            def load_original() -> QImage | None:
                path = library.verified_path(library.item(summary.id))
                return load_image(path) or load_image(thumbnail_file(library, summary))

            work = load_original
            caption = summary.filename
        else:

            def load_thumb() -> QImage | None:
                return load_image(thumbnail_file(library, summary))

            work = load_thumb
            where = location_label(summary.kind, location)
            caption = "First page" + (f" · the match is on {where}" if where else "")
        self._runner.submit(
            Lane.IO,
            work,
            on_done=lambda image: self._image_ready(token, summary, image, caption, location),
            on_error=lambda exc: self._no_preview(token, summary, str(exc)),
        )

    def _pdf_ready(
        self, token: int, summary: ItemSummary, path: object, location: int | None
    ) -> None:
        if token != self._token or not isinstance(path, Path):
            return
        if not self.preview.show_pdf(summary.id, path, location):
            self._load_thumbnail_instead(token, summary, location)
            return
        where = location_label(summary.kind, location)
        if where and self.preview.pdf_document is not None:  # "Preview · slide 7 of 9"
            self.tabs.setTabText(0, f"Preview · {where} of {self.preview.pdf_document.pageCount()}")

    def _load_thumbnail_instead(
        self, token: int, summary: ItemSummary, location: int | None
    ) -> None:
        library = self._library
        self._runner.submit(
            Lane.IO,
            lambda: load_image(thumbnail_file(library, summary)),
            on_done=lambda image: self._image_ready(token, summary, image, "First page", location),
        )

    def _image_ready(
        self,
        token: int,
        summary: ItemSummary,
        image: object,
        caption: str,
        location: int | None,
    ) -> None:
        if token != self._token:
            return
        if isinstance(image, QImage):
            self.preview.show_image(summary.id, image, caption, location)
            return
        where = location_label(summary.kind, location)
        found = f" The match is on {where}." if where else ""
        self.preview.show_message(
            f"No preview was published for this {kind_label(summary.kind)} file.{found}\n"
            "Open it (Ctrl+O) to see it in its own program.",
            summary.id,
        )

    def _no_preview(self, token: int, summary: ItemSummary, why: str) -> None:
        if token == self._token:
            self.preview.show_message(f"No preview: {why}", summary.id)

    # ------------------------------------------------------------ preview events

    def _preview_shown(self, item_id: str, location: object) -> None:
        self._shown = (item_id, location)
        self._dwell.start()

    def _dwelled(self) -> None:
        if self._shown is not None and self._shown[0] == self.item_id == self.preview.item_id:
            self.previewed.emit(self._shown[0], self._shown[1])
            self._shown = None
