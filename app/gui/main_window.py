"""A minimal window listing the library, with search; the full app replaces it."""

from __future__ import annotations

from PySide6.QtCore import QObject, QThread, Signal, Slot
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QMainWindow,
    QProgressBar,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.demo import install_demo, needs_demo
from app.core.library import Library


class DemoInstaller(QObject):
    finished = Signal(str)
    failed = Signal(str)

    def __init__(self, library: Library) -> None:
        super().__init__()
        self.library = library

    @Slot()
    def run(self) -> None:
        try:
            result = install_demo(self.library)
        except Exception as exc:  # reported to the window, never raised into Qt
            self.failed.emit(str(exc))
        else:
            self.finished.emit(result.summary())


class MainWindow(QMainWindow):
    def __init__(self, library: Library) -> None:
        super().__init__()
        self.library = library
        self.setWindowTitle("Satchel")
        self.resize(900, 600)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        self.banner = QLabel(self)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search the library")
        self.search.setAccessibleName("Search")
        self.search.textChanged.connect(self.refresh)
        self.list = QTreeWidget(self)
        self.list.setHeaderLabels(["Title", "Type", "Version", "Where"])
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)
        self.progress.hide()
        for w in (self.banner, self.search, self.list, self.progress):
            layout.addWidget(w)
        self.setCentralWidget(central)
        self._thread: QThread | None = None

    def start(self) -> None:
        if needs_demo(self.library):
            self.banner.setText("Setting up the demo library…")
            self.progress.show()
            self._thread = QThread(self)
            self._worker = DemoInstaller(self.library)
            self._worker.moveToThread(self._thread)
            self._thread.started.connect(self._worker.run)
            self._worker.finished.connect(self._demo_ready)
            self._worker.failed.connect(self._demo_failed)
            self._thread.start()
        else:
            self._show_state()
            self.refresh()

    def shutdown(self) -> None:
        if self._thread is not None:
            self._thread.quit()
            self._thread.wait()

    @Slot(str)
    def _demo_ready(self, summary: str) -> None:
        self.progress.hide()
        self._show_state()
        self.refresh()

    @Slot(str)
    def _demo_failed(self, message: str) -> None:
        self.progress.hide()
        self.banner.setText(f"The demo library could not be set up: {message}")

    def _show_state(self) -> None:
        state = self.library.hub_state()
        if state.is_demo:
            self.banner.setText("DEMO LIBRARY: sample collateral of a fictional company.")
        else:
            self.banner.setText(f"Hub: {state.location}")

    @Slot()
    def refresh(self) -> None:
        self.list.clear()
        query = self.search.text().strip()
        if query:
            for hit in self.library.search(query, limit=50, prefix_last=True).hits:
                where = "" if hit.location is None else str(hit.location)
                QTreeWidgetItem(self.list, [hit.title, hit.kind, str(hit.version), where])
        else:
            for item in self.library.items():
                QTreeWidgetItem(self.list, [item.title, item.kind, str(item.version), ""])
