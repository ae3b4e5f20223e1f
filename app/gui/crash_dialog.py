"""The dialogs for the two kinds of error: our bug (a crash report) and the rep's problem."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from app.gui import icons
from app.gui.window_layout import fit_to_screen


def bring_to_front(widget: QWidget) -> None:
    """Show ``widget`` above the others (the offscreen platform has no stacking to change)."""
    widget.show()
    if QGuiApplication.platformName() != "offscreen":
        widget.raise_()
        widget.activateWindow()


def open_folder(path: Path) -> None:
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class CrashDialog(QDialog):
    """ "Satchel hit a problem it did not expect": where the report is, copy it, open its
    folder. ``path`` is None when the report could not be written (``text`` still is)."""

    def __init__(
        self,
        text: str,
        path: Path | None,
        *,
        log_dir: Path,
        folder_opener: Callable[[Path], None] = open_folder,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Satchel hit a problem")
        self.setAccessibleName("Satchel hit a problem")
        self.report_text = text
        self.path = path
        self._folder = path.parent if path is not None else log_dir
        self._open_folder = folder_opener
        icon = QLabel(self)
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_MessageBoxIconSize)
        icon.setPixmap(icons.icon("warning").pixmap(size, size))
        if path is not None:
            where = f"The report is saved at <b>{_escape(str(path))}</b>."
        else:
            where = (
                "The report could not be saved as a file; copy it with the button below. "
                f"The details are also in the log in {_escape(str(log_dir))}."
            )
        self.message = QLabel(
            "<p><b>Satchel hit a problem it did not expect.</b></p>"
            "<p>What you were doing may not have finished; your library and recorded "
            "activity are kept. Please send the report to your IT department or to "
            "marketing, so it can be fixed.</p>"
            f"<p>{where}</p>",
            self,
        )
        self.message.setWordWrap(True)
        self.message.setAccessibleName("What happened")
        buttons = QDialogButtonBox(self)
        self.copy_button = QPushButton(icons.icon("copy"), "Copy report", self)
        self.copy_button.setAccessibleName("Copy report")
        self.copy_button.clicked.connect(self.copy_report)
        self.folder_button = QPushButton(icons.icon("folder"), "Open folder", self)
        self.folder_button.setAccessibleName("Open folder")
        self.folder_button.clicked.connect(self.open_report_folder)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.folder_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName("Close")
        buttons.rejected.connect(self.reject)
        self.status = QLabel(self)
        self.status.setAccessibleName("Result")
        self.status.hide()
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.message, 1)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.resize(520, self.sizeHint().height())
        fit_to_screen(self)

    def copy_report(self) -> None:
        QGuiApplication.clipboard().setText(self.report_text)
        self.status.setText("The report is on the clipboard.")
        self.status.show()

    def open_report_folder(self) -> None:
        self._open_folder(self._folder)


def problem_box(message: str, parent: QWidget | None = None) -> QMessageBox:
    """A plain message for an error the rep can act on (no crash report)."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Satchel")
    box.setTextFormat(Qt.TextFormat.PlainText)  # a message may quote a title or file name
    box.setText(message)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    return box


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
