"""Colours derived from the palette, so light and dark mode both look right.

Nothing here hard-codes black or white: badge colours are the palette's highlight and link
colours, or a warning hue whose lightness is picked against the palette's base colour.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

from app.gui.item_data import Badge


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightnessF() < 0.5


def mix(a: QColor, b: QColor, t: float) -> QColor:
    """``a`` moved towards ``b`` by ``t`` (0..1)."""
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * t,
        a.greenF() + (b.greenF() - a.greenF()) * t,
        a.blueF() + (b.blueF() - a.blueF()) * t,
        1.0,
    )


def readable_on(background: QColor, palette: QPalette) -> QColor:
    """The palette's text or base colour, whichever reads better on ``background``."""
    text = palette.color(QPalette.ColorRole.Text)
    base = palette.color(QPalette.ColorRole.Base)
    lum = background.lightnessF()
    return text if abs(lum - text.lightnessF()) >= abs(lum - base.lightnessF()) else base


def warning_colour(palette: QPalette) -> QColor:
    return QColor("#ffb74d") if is_dark(palette) else QColor("#a15c00")


def badge_colours(badge: Badge, palette: QPalette) -> tuple[QColor, QColor]:
    """(fill, text) of a badge pill."""
    base = palette.color(QPalette.ColorRole.Base)
    if badge is Badge.NEW:
        fill = palette.color(QPalette.ColorRole.Highlight)
        return fill, palette.color(QPalette.ColorRole.HighlightedText)
    if badge is Badge.UPDATED:
        accent = palette.color(QPalette.ColorRole.Link)
    elif badge in (Badge.EXPIRING, Badge.INTERNAL):
        accent = warning_colour(palette)
    else:
        accent = palette.color(QPalette.ColorRole.PlaceholderText)
    fill = mix(base, accent, 0.18)
    return fill, accent if badge is not Badge.UNSEARCHABLE else palette.color(
        QPalette.ColorRole.Text
    )


def banner_colours(palette: QPalette, *, warning: bool) -> tuple[QColor, QColor]:
    base = palette.color(QPalette.ColorRole.Window)
    accent = warning_colour(palette) if warning else palette.color(QPalette.ColorRole.Highlight)
    return mix(base, accent, 0.16), palette.color(QPalette.ColorRole.WindowText)


def dark_palette() -> QPalette:
    """A dark palette for platforms whose theme gives none (offscreen, some Linux desktops)."""
    p = QPalette()
    window, base, text = (
        QColor(0x2B, 0x2D, 0x30),
        QColor(0x1E, 0x1F, 0x22),
        QColor(0xE6, 0xE6, 0xE6),
    )
    roles = {
        QPalette.ColorRole.Window: window,
        QPalette.ColorRole.WindowText: text,
        QPalette.ColorRole.Base: base,
        QPalette.ColorRole.AlternateBase: QColor(0x26, 0x28, 0x2B),
        QPalette.ColorRole.ToolTipBase: QColor(0x3C, 0x3F, 0x41),
        QPalette.ColorRole.ToolTipText: text,
        QPalette.ColorRole.PlaceholderText: QColor(0x9A, 0xA0, 0xA6),
        QPalette.ColorRole.Text: text,
        QPalette.ColorRole.Button: QColor(0x35, 0x37, 0x3B),
        QPalette.ColorRole.ButtonText: text,
        QPalette.ColorRole.BrightText: QColor(0xFF, 0x6B, 0x6B),
        QPalette.ColorRole.Light: QColor(0x4A, 0x4D, 0x52),
        QPalette.ColorRole.Midlight: QColor(0x3E, 0x41, 0x45),
        QPalette.ColorRole.Mid: QColor(0x2F, 0x31, 0x35),
        QPalette.ColorRole.Dark: QColor(0x18, 0x19, 0x1B),
        QPalette.ColorRole.Shadow: QColor(0x0C, 0x0C, 0x0D),
        QPalette.ColorRole.Highlight: QColor(0x2F, 0x7D, 0xD1),
        QPalette.ColorRole.HighlightedText: QColor(0xFA, 0xFA, 0xFA),
        QPalette.ColorRole.Link: QColor(0x6C, 0xB4, 0xFF),
        QPalette.ColorRole.LinkVisited: QColor(0xB3, 0x9D, 0xDB),
    }
    for role, colour in roles.items():
        p.setColor(role, colour)
    disabled = QColor(0x7A, 0x7D, 0x82)
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        p.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return p
