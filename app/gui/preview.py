"""In-app preview: PDFs rendered with QtPdf at the matching page; other types show the
thumbnail marketing's publish shipped, larger; images show themselves.

QtPdf comes with the PySide6-Pdf wheel; without it, PDFs fall back to their thumbnail too.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPointF, QSize, Qt, Signal
from PySide6.QtGui import QImage, QPalette, QPixmap, QResizeEvent
from PySide6.QtWidgets import QLabel, QStackedWidget, QVBoxLayout, QWidget

from app.gui.plain_text import plain_label

try:
    from PySide6.QtPdf import QPdfDocument
    from PySide6.QtPdfWidgets import QPdfView

    HAVE_PDF = True
except ImportError:  # the PySide6-Pdf wheel is not installed
    HAVE_PDF = False


class _ImagePane(QWidget):
    """An image scaled to fit (never up beyond 2x), with a caption under it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._image = QImage()
        self.picture = QLabel(self)
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setMinimumSize(QSize(80, 60))
        self.picture.setAccessibleName("Preview image")
        self.caption = plain_label(QLabel(self))  # a file name from the hub
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption.setWordWrap(True)
        self.caption.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.picture, 1)
        layout.addWidget(self.caption)

    def set_image(self, image: QImage, caption: str) -> None:
        self._image = image
        self.caption.setText(caption)
        self._rescale()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._rescale()

    def _rescale(self) -> None:
        if self._image.isNull():
            self.picture.clear()
            return
        ratio = self.devicePixelRatioF()
        box = self.picture.size() * ratio
        limit = self._image.size() * 2
        target = (
            limit.scaled(box, Qt.AspectRatioMode.KeepAspectRatio)
            if (limit.width() > box.width() or limit.height() > box.height())
            else limit
        )
        pix = QPixmap.fromImage(
            self._image.scaled(
                target,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )
        pix.setDevicePixelRatio(ratio)
        self.picture.setPixmap(pix)


class PreviewWidget(QStackedWidget):
    """Shows one item's preview. :attr:`shown` fires once a preview is on screen."""

    shown = Signal(str, object)  # item id, location (page/slide/sheet) or None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Preview")
        self._item_id: str | None = None
        self.message = plain_label(QLabel("Select an item to preview it.", self))
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setMargin(24)
        # the page colour with muted text, in light and dark alike (never a grey slab)
        self.message.setAutoFillBackground(True)
        self.message.setBackgroundRole(QPalette.ColorRole.Base)
        self.message.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.image = _ImagePane(self)
        self.addWidget(self.message)
        self.addWidget(self.image)
        self.pdf_document: QPdfDocument | None = None
        self.pdf_view: QPdfView | None = None
        if HAVE_PDF:
            self.pdf_document = QPdfDocument(self)
            self.pdf_view = QPdfView(self)
            self.pdf_view.setAccessibleName("PDF preview")
            self.pdf_view.setPageMode(QPdfView.PageMode.MultiPage)
            self.pdf_view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
            self.pdf_view.setDocument(self.pdf_document)
            self.addWidget(self.pdf_view)

    @property
    def item_id(self) -> str | None:
        return self._item_id

    def current_page(self) -> int | None:
        """The 1-based page the PDF view shows, or None when no PDF is shown."""
        if self.pdf_view is None or self.currentWidget() is not self.pdf_view:
            return None
        return self.pdf_view.pageNavigator().currentPage() + 1

    def show_message(self, text: str, item_id: str | None = None) -> None:
        self._item_id = item_id
        self._close_pdf()
        self.message.setText(text)
        self.setCurrentWidget(self.message)

    def show_image(
        self, item_id: str, image: QImage, caption: str, location: int | None = None
    ) -> None:
        self._close_pdf()
        self._item_id = item_id
        self.image.set_image(image, caption)
        self.setCurrentWidget(self.image)
        self.shown.emit(item_id, location)

    def show_pdf(self, item_id: str, path: Path, page: int | None) -> bool:
        """Render the PDF at ``page`` (1-based). False when QtPdf is missing or cannot load it."""
        if self.pdf_document is None or self.pdf_view is None:
            return False
        self._close_pdf()
        self._item_id = item_id
        error = self.pdf_document.load(str(path))
        if error != QPdfDocument.Error.None_ or self.pdf_document.pageCount() == 0:
            self._close_pdf()
            return False
        target = max(0, min((page or 1) - 1, self.pdf_document.pageCount() - 1))
        self.setCurrentWidget(self.pdf_view)
        self.pdf_view.pageNavigator().jump(target, QPointF(0, 0))
        self.shown.emit(item_id, target + 1)
        return True

    def clear(self) -> None:
        self.show_message("Select an item to preview it.")

    def _close_pdf(self) -> None:
        if self.pdf_document is not None and self.pdf_document.status() != (
            QPdfDocument.Status.Null
        ):
            self.pdf_document.close()
