"""Good desktop citizen: accessible names, icons from the package, palette-driven colours."""

from __future__ import annotations

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QHeaderView,
    QLineEdit,
)

from app.gui import icons, theme
from app.gui.item_data import Badge


def _unnamed(root) -> list[str]:
    missing = []
    kinds = (QAbstractButton, QLineEdit, QComboBox, QAbstractItemView, QAbstractSpinBox)
    for widget in (
        root.findChildren(QAbstractButton)
        + root.findChildren(QLineEdit)
        + root.findChildren(QComboBox)
        + root.findChildren(QAbstractItemView)
        + root.findChildren(QAbstractSpinBox)
    ):
        assert isinstance(widget, kinds)
        if widget.objectName().startswith("qt_") or widget.objectName().startswith("_q_"):
            continue  # Qt's own parts (scroll buttons, line edit clear button, spin box edit)
        parent = widget.parentWidget()
        if isinstance(parent, (QComboBox, QAbstractSpinBox, QLineEdit)):
            continue  # the parts of a composite control (its own name covers them)
        if isinstance(widget, QHeaderView) or widget.window() is not root:
            continue  # header rows and popups (combo lists) belong to their owner
        if not widget.isVisibleTo(root):
            continue
        text = widget.text() if isinstance(widget, QAbstractButton) else ""
        if not (widget.accessibleName() or text):
            missing.append(f"{type(widget).__name__} in {type(parent).__name__}")
    return missing


def test_controls_have_accessible_names(demo_window) -> None:
    missing = _unnamed(demo_window)
    assert missing == [], "\n".join(missing)


def test_settings_dialog_controls_have_accessible_names(qtbot, demo_window) -> None:
    from app.core.settings import RepSettings
    from app.gui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(
        rep=RepSettings(), location=None, is_demo=True, pinned=None, watch_mode="auto"
    )
    qtbot.addWidget(dialog)
    assert _unnamed(dialog) == []


def test_icons_load_from_the_package_and_render_sharp() -> None:
    for kind in ("pdf", "pptx", "docx", "xlsx", "image", "video", "other", "csv"):
        icon = icons.type_icon(kind)
        pix = icon.pixmap(32, 32)
        assert not pix.isNull()
    hi = icons.icon("sync").pixmap(icons.QSize(16, 16), 2.0)
    assert hi.width() == 32 and hi.devicePixelRatio() == 2.0
    assert b"<svg" in icons.svg_source("app")


def test_badge_colours_come_from_the_palette() -> None:
    light = QPalette()
    dark = theme.dark_palette()
    for badge in Badge:
        lf, lt = theme.badge_colours(badge, light)
        df, dt = theme.badge_colours(badge, dark)
        assert lf != df  # each scheme gets its own fill
        assert abs(lf.lightnessF() - lt.lightnessF()) > 0.25, badge
        assert abs(df.lightnessF() - dt.lightnessF()) > 0.25, badge
