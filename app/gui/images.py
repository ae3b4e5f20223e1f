"""Loading preview images off the GUI thread (QImage and QImageReader are thread-safe).

Images are decoded at the size they are shown (QImageReader scales while decoding, so a
photograph of 50 megapixels never becomes 200 MB of pixels), and a flat, one-colour image (a
placeholder thumbnail, an empty first page) counts as no image.

Decoding is serialised: two worker threads creating QImageReaders at once crashed the app
(SIGSEGV in QImageReader's constructor or setScaledSize, 5 starts in 12 with thumbnails
loading on two threads) - Qt loads its image-format plugins lazily and not thread-safely.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage, QImageReader

from app.core.library import Library
from app.gui.item_data import ItemSummary, thumbnail_file

#: Previews are never decoded larger than this.
MAX_PREVIEW = QSize(1600, 1600)
_DECODING = threading.Lock()


def is_blank(image: QImage) -> bool:
    """True for an image of one flat colour."""
    small = image.scaled(
        QSize(16, 16),
        Qt.AspectRatioMode.IgnoreAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    ).convertToFormat(QImage.Format.Format_RGB32)
    first = small.pixel(0, 0)
    return all(
        small.pixel(x, y) == first for y in range(small.height()) for x in range(small.width())
    )


def load_image(path: Path | None, fit: QSize = MAX_PREVIEW) -> QImage | None:
    """The image at ``path``, decoded to fit in ``fit``; None if missing, unreadable or blank."""
    if path is None:
        return None
    with _DECODING:
        reader = QImageReader(str(path))
        reader.setAutoTransform(True)
        size = reader.size()
        if size.isValid() and (size.width() > fit.width() or size.height() > fit.height()):
            reader.setScaledSize(size.scaled(fit, Qt.AspectRatioMode.KeepAspectRatio))
        image = reader.read()
    if image.isNull() or is_blank(image):
        return None
    return image


def thumbnail_loader(library: Library, fit: QSize) -> Callable[[ItemSummary], QImage | None]:
    """For the list model (called on the io lane): an item's thumbnail, scaled to ``fit``."""

    def load(summary: ItemSummary) -> QImage | None:
        return load_image(thumbnail_file(library, summary), fit)

    return load
