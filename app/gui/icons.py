"""The app's SVG icons, loaded through importlib.resources and drawn sharp at any scale.

Monochrome icons are drawn with ``currentColor``: it is replaced by the palette's text colour
(or a colour the caller passes), so they follow light and dark mode. Type and app icons carry
their own colours. Icons are cached per (name, colour); :func:`clear_cache` drops them when the
colour scheme changes.
"""

from __future__ import annotations

import functools
from importlib import resources

from PySide6.QtCore import QByteArray, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QIconEngine, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

TYPE_ICONS = {
    "pdf": "type-pdf",
    "pptx": "type-pptx",
    "docx": "type-docx",
    "xlsx": "type-xlsx",
    "image": "type-image",
    "video": "type-video",
    "text": "type-text",
    "csv": "type-text",
    "html": "type-text",
}


@functools.cache
def svg_source(name: str) -> bytes:
    """The SVG text of ``resources/icons/<name>.svg``."""
    return (resources.files("resources") / "icons" / f"{name}.svg").read_bytes()


class SvgIconEngine(QIconEngine):
    """Renders one SVG at the exact size and device pixel ratio asked for."""

    def __init__(self, svg: bytes) -> None:
        super().__init__()
        self._svg = svg
        self._renderer = QSvgRenderer(QByteArray(svg))

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        if mode == QIcon.Mode.Disabled:
            painter.save()
            painter.setOpacity(0.4)
            self._renderer.render(painter, rect.toRectF())
            painter.restore()
        else:
            self._renderer.render(painter, rect.toRectF())

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        return self.scaledPixmap(size, mode, state, 1.0)

    def scaledPixmap(
        self, size: QSize, mode: QIcon.Mode, state: QIcon.State, scale: float
    ) -> QPixmap:
        pix = QPixmap(size * scale)
        pix.fill(Qt.GlobalColor.transparent)
        pix.setDevicePixelRatio(scale)
        painter = QPainter(pix)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.paint(painter, QRect(QPoint(0, 0), size), mode, state)
        painter.end()
        return pix

    def clone(self) -> QIconEngine:
        return SvgIconEngine(self._svg)

    def key(self) -> str:
        return "satchel-svg"


_cache: dict[tuple[str, str], QIcon] = {}


def _text_colour() -> QColor:
    app = QGuiApplication.instance()
    if isinstance(app, QGuiApplication):
        return app.palette().windowText().color()
    return QColor(Qt.GlobalColor.darkGray)


def icon(name: str, colour: QColor | None = None) -> QIcon:
    """The icon ``name``; ``currentColor`` drawn in ``colour`` (default: the palette's text)."""
    tint = (colour or _text_colour()).name(QColor.NameFormat.HexArgb)
    key = (name, tint)
    cached = _cache.get(key)
    if cached is None:
        rgb = (colour or _text_colour()).name(QColor.NameFormat.HexRgb)
        svg = svg_source(name).replace(b"currentColor", rgb.encode("ascii"))
        cached = QIcon(SvgIconEngine(svg))
        _cache[key] = cached
    return cached


def type_icon(kind: str) -> QIcon:
    return icon(TYPE_ICONS.get(kind, "type-other"))


def app_icon() -> QIcon:
    return icon("app")


def clear_cache() -> None:
    """Forget rendered icons (call when the palette changes)."""
    _cache.clear()
