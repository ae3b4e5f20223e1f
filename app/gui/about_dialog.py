"""About Satchel: the version, marketing's key fingerprint, and the licences of what it ships."""

from __future__ import annotations

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app import __version__
from app.core.licences import (
    PYSIDE_SOURCE_URL,
    QT_LICENCE_URL,
    QT_NOTICE,
    QT_OBLIGATIONS_URL,
    QT_SOURCE_URL,
    Licence,
    bundled_licences,
)
from app.gui import icons
from app.gui.insights_tables import Column, RecordTableModel

LICENCE_COLUMNS = (
    Column("Library", lambda r: r.name),
    Column("Version", lambda r: r.version),
    Column("Licence", lambda r: r.licence),
)


def toolkit_version() -> str:
    """PySide6's and Qt's versions, for diagnostics (the core does not import Qt)."""
    return f"PySide6 {PySide6.__version__}, Qt {qVersion()}"


class AboutDialog(QDialog):
    def __init__(
        self,
        *,
        fingerprint: str | None,
        licences: list[Licence] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("About Satchel")
        self.setAccessibleName("About Satchel")
        logo = QLabel(self)
        logo.setPixmap(icons.app_icon().pixmap(64, 64))
        self.title = title = QLabel(
            f"<h2>Satchel {__version__}</h2>"
            "<p>The field rep's offline library of approved sales collateral.</p>"
            f"<p>{toolkit_version()}</p>",
            self,
        )
        title.setWordWrap(True)
        title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        head = QHBoxLayout()
        head.addWidget(logo, 0, Qt.AlignmentFlag.AlignTop)
        head.addWidget(title, 1)
        key_text = fingerprint or "none pinned yet (see Settings)"
        self.fingerprint = QLabel(f"Marketing's signing key: <b>{key_text}</b>", self)
        self.fingerprint.setAccessibleName("Marketing's key fingerprint")
        self.fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fingerprint.setToolTip("Compare this with the fingerprint IT or marketing gave you")
        self.qt_notice = QLabel(
            f"<p>{QT_NOTICE}</p><p>"
            f'<a href="{QT_LICENCE_URL}">GNU LGPL version 3</a> · '
            f'<a href="{QT_OBLIGATIONS_URL}">Qt\'s LGPL obligations and source offer</a> · '
            f'<a href="{QT_SOURCE_URL}">Qt source code</a> · '
            f'<a href="{PYSIDE_SOURCE_URL}">Qt for Python source code</a></p>',
            self,
        )
        self.qt_notice.setWordWrap(True)
        self.qt_notice.setOpenExternalLinks(True)
        self.qt_notice.setAccessibleName("Qt licence notice")
        self.model = RecordTableModel(LICENCE_COLUMNS, self)
        self.model.set_records(bundled_licences() if licences is None else licences)
        self.table = QTableView(self)
        self.table.setAccessibleName("Licences of bundled libraries")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.fingerprint)
        layout.addWidget(QLabel("<b>Libraries Satchel ships, and their licences</b>", self))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.qt_notice)
        layout.addWidget(buttons)
        self.resize(640, 620)

    def library_names(self) -> list[str]:
        return [r.name for r in self.model.records() if isinstance(r, Licence)]
