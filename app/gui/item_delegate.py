"""Paints one library row: thumbnail or type icon, title, type · version · date, badges and,
while searching, the snippet with the matched words in bold and where they are ("slide 7").

Every colour comes from the palette (see :mod:`app.gui.theme`), so rows follow dark mode.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QFontMetrics,
    QIcon,
    QImage,
    QPainter,
    QPalette,
    QTextDocument,
)
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from app.core.search import Hit, location_label, snippet_parts
from app.gui import icons, theme
from app.gui.item_data import Badge, ItemSummary, kind_label
from app.gui.library_model import LibraryModel, Roles

Index = QModelIndex | QPersistentModelIndex

PAD = 8
THUMB_W, THUMB_H = 64, 48
META_GAP = 3
SNIPPET_GAP = 5
SNIPPET_LINES = 2
LEAD_CHARS = 40
BADGE_ICONS = {
    Badge.INTERNAL: "internal",
    Badge.NEW: "badge-new",
    Badge.UPDATED: "badge-updated",
    Badge.EXPIRING: "badge-expiring",
    Badge.UNSEARCHABLE: "badge-unsearchable",
}


def focus_parts(parts: list[tuple[str, bool]], lead: int = LEAD_CHARS) -> list[tuple[str, bool]]:
    """Drop context before the first match beyond ``lead`` characters (cut at a word), so the
    matched words show within the two lines a row has room for."""
    first = next((i for i, (_t, matched) in enumerate(parts) if matched), None)
    if first is None:
        return parts
    before = "".join(t for t, _m in parts[:first])
    if len(before) <= lead:
        return parts
    tail = before[-lead:]
    cut = tail.find(" ")
    tail = tail[cut + 1 :] if 0 <= cut < len(tail) - 1 else tail
    tail = tail.lstrip(" |·•")  # "…One sheet", not "…| One sheet" (a cut at a cell or bullet)
    return [("…" + tail, False), *parts[first:]]


def elide_words(metrics: QFontMetrics, text: str, width: int) -> str:
    """``text`` cut after the last whole word that fits, with "…"; a single word too long
    for ``width`` is cut where it must be."""
    if metrics.horizontalAdvance(text) <= width:
        return text
    words = text.split(" ")
    for end in range(len(words) - 1, 0, -1):
        head = " ".join(words[:end]).rstrip(" :,;–—-·")
        if head and metrics.horizontalAdvance(head + "…") <= width:
            return head + "…"
    return metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)


def meta_text(metrics: QFontMetrics, item: ItemSummary, width: int) -> str:
    """ "PowerPoint · v1 · updated 06 Dec 2026", dropping whole parts (never half a date)."""
    kind = kind_label(item.kind)
    for text in (
        f"{kind} · v{item.version} · updated {item.updated_at:%d %b %Y}",
        f"{kind} · v{item.version} · {item.updated_at:%d %b %Y}",
        f"{kind} · v{item.version}",
        kind,
    ):
        if metrics.horizontalAdvance(text) <= width:
            return text
    return elide_words(metrics, kind, width)


def snippet_html(hit: Hit) -> str:
    """The snippet as HTML: where it is first ("Slide 7 — "), matched words in bold."""
    parts = []
    for text, matched in focus_parts(snippet_parts(hit.snippet)):
        escaped = html.escape(text)
        parts.append(f"<b>{escaped}</b>" if matched else escaped)
    where = location_label(hit.kind, hit.location)
    head = f"<i>{html.escape(where.capitalize())}</i> — " if where else ""
    return head + "".join(parts)


class ItemDelegate(QStyledItemDelegate):
    """See the module docstring."""

    def __init__(self, model: LibraryModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model = model  # optional values are read here, not through index.data()
        self._doc = QTextDocument(self)
        self._doc.setDocumentMargin(0)

    # ------------------------------------------------------------ sizes

    def _line_height(self, option: QStyleOptionViewItem) -> int:
        return option.fontMetrics.height()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        line = self._line_height(option)
        text = line * 2 + META_GAP
        item = index.data(Roles.SUMMARY)
        if isinstance(item, ItemSummary) and self._model.hit(item.id) is not None:
            text += SNIPPET_GAP + SNIPPET_LINES * option.fontMetrics.lineSpacing() + 2
        return QSize(320, max(THUMB_H, text) + 2 * PAD)

    # ------------------------------------------------------------ painting

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        item = index.data(Roles.SUMMARY)
        if not isinstance(item, ItemSummary):
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        opt.icon = QIcon()
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, opt, painter, widget)

        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        palette: QPalette = opt.palette
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        text_colour = palette.color(text_role)
        dim = theme.mix(
            text_colour,
            palette.color(QPalette.ColorRole.Highlight if selected else QPalette.ColorRole.Base),
            0.35,
        )

        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        rect = opt.rect.adjusted(PAD, PAD, -PAD, -PAD)
        line = opt.fontMetrics.height()

        self._paint_thumbnail(
            painter,
            QRect(rect.left(), rect.top(), THUMB_W, THUMB_H),
            item,
            self._model.thumbnail(item),
        )
        x = rect.left() + THUMB_W + PAD + 4
        right = rect.right()

        if self._model.is_favourite(item.id):
            star = QRect(right - 16, rect.top() + (line - 16) // 2, 16, 16)
            icons.icon("star-filled").paint(painter, star)
            right -= 22

        title_font = QFont(opt.font)
        title_font.setBold(True)
        painter.setFont(title_font)
        painter.setPen(text_colour)
        title_rect = QRect(x, rect.top(), right - x, line)
        title = elide_words(painter.fontMetrics(), item.title, title_rect.width())
        painter.drawText(
            title_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, title
        )

        painter.setFont(opt.font)
        meta_top = rect.top() + line + META_GAP
        badges = self._model.badges(item.id)
        badge_right = self._paint_badges(painter, palette, badges, rect.right(), meta_top, line)
        painter.setPen(dim)
        meta_rect = QRect(x, meta_top, max(0, badge_right - x - PAD), line)
        painter.drawText(
            meta_rect,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            meta_text(opt.fontMetrics, item, meta_rect.width()),
        )

        hit = self._model.hit(item.id)
        if hit is not None and (hit.snippet or hit.location is not None):
            top = meta_top + line + SNIPPET_GAP
            height = SNIPPET_LINES * opt.fontMetrics.lineSpacing() + 2
            self._paint_snippet(
                painter, opt, hit, QRect(x, top, rect.right() - x, height), text_colour
            )
        painter.restore()

    def _paint_thumbnail(
        self, painter: QPainter, box: QRect, item: ItemSummary, image: object
    ) -> None:
        if isinstance(image, QImage) and not image.isNull():
            size = image.size().scaled(box.size(), Qt.AspectRatioMode.KeepAspectRatio)
            target = QRect(0, 0, size.width(), size.height())
            target.moveCenter(box.center())
            painter.drawImage(target, image)
            return
        side = min(box.width(), box.height()) - 8
        target = QRect(0, 0, side, side)
        target.moveCenter(box.center())
        icons.type_icon(item.kind).paint(painter, target)

    def _paint_badges(
        self,
        painter: QPainter,
        palette: QPalette,
        badges: tuple[Badge, ...],
        right: int,
        top: int,
        line: int,
    ) -> int:
        """Paints pills right-aligned; returns the left edge of the leftmost one."""
        fm = painter.fontMetrics()
        x = right
        for badge in reversed(badges):
            fill, ink = theme.badge_colours(badge, palette)
            text = badge.value
            width = fm.horizontalAdvance(text) + line + 14
            pill = QRectF(x - width, top, width, line)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(fill)
            painter.drawRoundedRect(pill, line / 2, line / 2)
            glyph = QRect(int(pill.left()) + 6, top + 2, line - 4, line - 4)
            icons.icon(BADGE_ICONS[badge], ink).paint(painter, glyph)
            painter.setPen(ink)
            painter.drawText(
                pill.adjusted(line + 2, 0, -6, 0),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                text,
            )
            x = int(pill.left()) - 6
        return x

    def _paint_snippet(
        self,
        painter: QPainter,
        opt: QStyleOptionViewItem,
        hit: Hit,
        box: QRect,
        colour: QColor,
    ) -> None:
        doc = self._doc
        doc.setDefaultFont(opt.font)
        doc.setHtml(snippet_html(hit))
        doc.setTextWidth(box.width())
        layout = doc.firstBlock().layout()
        bottom = float(box.height())
        if layout is not None and layout.lineCount() > 0:
            last = layout.lineAt(min(SNIPPET_LINES, layout.lineCount()) - 1)
            bottom = min(bottom, last.y() + last.height())
        painter.save()
        painter.translate(box.topLeft())
        clip = QRectF(0, 0, box.width(), bottom)
        painter.setClipRect(clip)
        ctx = QAbstractTextDocumentLayout.PaintContext()
        ctx.clip = clip
        ctx.palette.setColor(QPalette.ColorRole.Text, colour)
        doc.documentLayout().draw(painter, ctx)
        painter.restore()
