"""System / Light / Dark: the application's palette and style, applied live.

Satchel always draws with Fusion (the same on every platform) wrapped in :class:`FocusStyle`,
which adds what Fusion leaves faint: a visible focus ring on every control reached by the
keyboard, and check boxes whose outline reads on a dark palette. "System" follows the
platform's colour scheme (``QStyleHints.colorScheme()``, Qt 6.5+) and keeps following it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QApplication,
    QProxyStyle,
    QPushButton,
    QStyle,
    QStyleFactory,
    QStyleOption,
    QWidget,
)

from app.gui import icons, theme

APPEARANCES = {"system": "Same as the system", "light": "Light", "dark": "Dark"}
FOCUS_RING_PX = 2.0


def light_palette() -> QPalette:
    """Fusion's light palette with Satchel's accent (the same blue as the dark one)."""
    style = QStyleFactory.create("Fusion")
    palette = QPalette(style.standardPalette())
    palette.setColor(QPalette.ColorRole.Highlight, QColor(0x1F, 0x6F, 0xC5))
    palette.setColor(QPalette.ColorRole.HighlightedText, QColor(0xFF, 0xFF, 0xFF))
    palette.setColor(QPalette.ColorRole.Link, QColor(0x1F, 0x6F, 0xC5))
    palette.setColor(QPalette.ColorRole.PlaceholderText, QColor(0x6B, 0x70, 0x76))
    return palette


def system_is_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return bool(hints.colorScheme() == Qt.ColorScheme.Dark)


def resolve(mode: str) -> bool:
    """True when ``mode`` ("system", "light", "dark") means a dark palette right now."""
    if mode == "dark":
        return True
    if mode == "light":
        return False
    return system_is_dark()


class FocusStyle(QProxyStyle):
    """Fusion plus a visible keyboard focus ring and legible check boxes on dark palettes."""

    def __init__(self) -> None:
        super().__init__("Fusion")  # by key: the proxy owns its base style

    def _ring(self, painter: QPainter, option: QStyleOption, inset: float = 1.0) -> None:
        colour = QColor(option.palette.color(QPalette.ColorRole.Highlight))
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(QPen(colour, FOCUS_RING_PX))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        rect = QRectF(option.rect).adjusted(inset, inset, -inset, -inset)
        painter.drawRoundedRect(rect, 4, 4)
        painter.restore()

    @staticmethod
    def _focused(option: QStyleOption) -> bool:
        state = option.state
        return bool(state & QStyle.StateFlag.State_HasFocus) and bool(
            state & QStyle.StateFlag.State_Enabled
        )

    def drawPrimitive(  # noqa: N802 (Qt's name)
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        if element == QStyle.PrimitiveElement.PE_FrameFocusRect:
            self._ring(painter, option, 0.5)
            return
        super().drawPrimitive(element, option, painter, widget)
        if element in (
            QStyle.PrimitiveElement.PE_IndicatorCheckBox,
            QStyle.PrimitiveElement.PE_IndicatorRadioButton,
        ) and theme.is_dark(option.palette):
            painter.save()
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            outline = option.palette.color(QPalette.ColorRole.PlaceholderText)
            painter.setPen(QPen(outline, 1.0))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            rect = QRectF(option.rect).adjusted(0.5, 0.5, -0.5, -0.5)
            if element == QStyle.PrimitiveElement.PE_IndicatorRadioButton:
                painter.drawEllipse(rect)
            else:
                painter.drawRoundedRect(rect, 2, 2)
            painter.restore()

    def drawComplexControl(  # noqa: N802 (Qt's name)
        self,
        control: QStyle.ComplexControl,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        super().drawComplexControl(control, option, painter, widget)  # type: ignore[arg-type]
        if control == QStyle.ComplexControl.CC_ToolButton and self._focused(option):
            self._ring(painter, option)

    def drawControl(  # noqa: N802 (Qt's name)
        self,
        element: QStyle.ControlElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        super().drawControl(element, option, painter, widget)
        if element in (
            QStyle.ControlElement.CE_PushButtonBevel,
            QStyle.ControlElement.CE_TabBarTabShape,
        ) and self._focused(option):
            self._ring(painter, option)


def apply(app: QApplication, mode: str) -> bool:
    """Apply ``mode`` to the whole application now; returns whether it is dark.

    Widgets repaint and receive a PaletteChange, so charts and icons re-tint themselves."""
    if not isinstance(app.style(), FocusStyle):
        app.setStyle(FocusStyle())
    hints = app.styleHints()
    if hasattr(hints, "setColorScheme"):  # Qt 6.8+: tell the platform what we show
        scheme = {
            "dark": Qt.ColorScheme.Dark,
            "light": Qt.ColorScheme.Light,
        }.get(mode, Qt.ColorScheme.Unknown)
        hints.setColorScheme(scheme)
    dark = resolve(mode)
    app.setPalette(theme.dark_palette() if dark else light_palette())
    icons.clear_cache()
    return dark


def follow_system(app: QApplication) -> bool:
    """The platform's scheme changed while the rep chose "system": repaint to match."""
    dark = system_is_dark()
    app.setPalette(theme.dark_palette() if dark else light_palette())
    icons.clear_cache()
    return dark


class _Primary(QObject):
    """Keeps a primary button's accent colours in step with the palette."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        changed = event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange)
        if changed and isinstance(watched, QPushButton):
            _paint_primary(watched)
        return False


def _paint_primary(button: QPushButton) -> None:
    # the application's palette: the button's own one is changed by its style sheet
    palette = QGuiApplication.palette()
    fill = palette.color(QPalette.ColorRole.Highlight)
    ink = palette.color(QPalette.ColorRole.HighlightedText)
    ring = palette.color(QPalette.ColorRole.WindowText)
    css = (
        f"QPushButton {{ background: {fill.name()}; color: {ink.name()}; border: 1px solid "
        f"{fill.darker(120).name()}; border-radius: 4px; padding: 5px 14px; font-weight: 600 }}"
        f"QPushButton:hover {{ background: {fill.lighter(110).name()} }}"
        f"QPushButton:pressed {{ background: {fill.darker(110).name()} }}"
        f"QPushButton:focus {{ border: 2px solid {ring.name()} }}"
        f"QPushButton:disabled {{ background: {palette.color(QPalette.ColorRole.Button).name()};"
        f" color: {palette.color(QPalette.ColorRole.PlaceholderText).name()} }}"
    )
    if button.styleSheet() != css:
        button.setStyleSheet(css)


def make_primary(button: QPushButton) -> QPushButton:
    """The one button a dialog or pane is about (Create draft, Request this): accent-filled."""
    _paint_primary(button)
    keeper = _Primary(button)
    button.installEventFilter(keeper)
    return button
