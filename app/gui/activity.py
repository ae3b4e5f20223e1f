"""My activity: the rep's own journal, newest first, whether each event reached the hub, and
an export to CSV. Rows are read on the io lane; the journal is never written here.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import func, select

from app.core.errors import SatchelError
from app.core.library import Library
from app.core.models import Event, Item, UploadBatch
from app.core.replies import kept_replies
from app.core.usage.journal import Journal, pending_event_count
from app.gui.plain_text import plain_label, shown_literally
from app.gui.workers import Lane, TaskRunner

log = logging.getLogger(__name__)

MAX_ROWS = 5000
KIND_TEXT = {
    "open": "Opened",
    "preview": "Previewed",
    "send": "Sent",
    "copy": "Copied",
    "search": "Searched",
    "flag": "Flagged",
    "request": "Requested",
}
Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True, slots=True)
class ActivityRow:
    event_id: str
    time: datetime
    kind: str
    item_id: str | None
    item: str  # the item's title (or id, if it is no longer in the library)
    details: str
    uploaded: bool


@dataclass(frozen=True, slots=True)
class ActivitySnapshot:
    rows: list[ActivityRow]
    total: int  # events in the journal (rows holds at most MAX_ROWS of them)
    pending: int  # events waiting for upload


# complexity: one sentence per kind of event
def describe(kind: str, data: dict[str, Any]) -> str:
    """One line about an event's details, for the rep's own eyes."""
    if kind == "search":
        results = data.get("results")
        found = "nothing found" if results == 0 else f"{results} results"
        return f"“{data.get('query', '')}” ({found})"
    if kind == "send":
        to = ", ".join(str(r) for r in data.get("recipients") or [])
        account = data.get("account")
        return f"to {to}" + (f" ({account})" if account else "")
    if kind == "flag":
        note = str(data.get("note") or "")
        return str(data.get("reason") or "") + (f": {note}" if note else "")
    if kind == "request":
        extra = [
            f"for {data['account']}" if data.get("account") else "",
            f"needed by {data['needed_by']}" if data.get("needed_by") else "",
        ]
        return " ".join([str(data.get("text") or ""), *(e for e in extra if e)])
    if kind == "preview" and data.get("location"):
        return f"at page/slide {data['location']}"
    if kind == "copy":
        return "dragged out" if data.get("how") == "drag" else "copied to the clipboard"
    return ""


def load_activity(library: Library, limit: int = MAX_ROWS) -> ActivitySnapshot:
    """The newest ``limit`` events with item titles and upload state (a worker thread)."""
    events = Journal(library).events(limit)
    with library.sessions() as s:
        uploaded = set(
            s.scalars(select(UploadBatch.id).where(UploadBatch.uploaded_at.is_not(None)))
        )
        total = int(s.scalar(select(func.count()).select_from(Event)) or 0)
        ids = {e.item_id for e in events if e.item_id}
        titles = {
            row.id: row.title
            for row in s.execute(select(Item.id, Item.title).where(Item.id.in_(ids)))
        }
    answers = {k.reply.id: k for k in kept_replies(library) if k.own}
    rows = [
        ActivityRow(
            event_id=e.id,
            time=e.time,
            kind=e.kind,
            item_id=e.item_id,
            item=titles.get(e.item_id, e.item_id) if e.item_id else "",
            details=describe(e.kind, e.data)
            + (f"  — {answers[e.id].sentence()}" if e.id in answers else ""),
            uploaded=e.batch_id is not None and e.batch_id in uploaded,
        )
        for e in events
    ]
    return ActivitySnapshot(rows, total, pending_event_count(library))


class ActivityModel(QAbstractTableModel):
    """Rows of :class:`ActivityRow`; ``Qt.UserRole`` gives the row itself."""

    COLUMNS = ("When", "What", "Item", "Details", "Uploaded")
    RowRole = Qt.ItemDataRole.UserRole

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[ActivityRow] = []

    def set_rows(self, rows: list[ActivityRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row(self, n: int) -> ActivityRow:
        return self._rows[n]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.COLUMNS)
        ):
            return self.COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, column = self._rows[index.row()], index.column()
        if role == self.RowRole:
            return row
        if role == Qt.ItemDataRole.ToolTipRole:
            shown = self.data(index, Qt.ItemDataRole.DisplayRole)
            return shown_literally(shown) if isinstance(shown, str) else None
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return f"{row.time.astimezone():%Y-%m-%d %H:%M}"
            if column == 1:
                return KIND_TEXT.get(row.kind, row.kind)
            if column == 2:
                return row.item
            if column == 3:
                return row.details
            if column == 4:
                return "yes" if row.uploaded else "no"
        return None


def pending_text(snapshot: ActivitySnapshot) -> str:
    n = snapshot.pending
    if n == 0:
        waiting = "Everything is uploaded."
    elif n == 1:
        waiting = "1 event waits for upload at the next sync."
    else:
        waiting = f"{n:,} events wait for upload at the next sync."
    if snapshot.total > len(snapshot.rows):
        waiting += f" Showing the newest {len(snapshot.rows):,} of {snapshot.total:,}."
    return waiting


class ActivityDialog(QDialog):
    """Non-modal; call :meth:`refresh` when something was recorded."""

    loaded = Signal()
    exported = Signal(int, str)  # events written, path
    failed = Signal(str)

    def __init__(
        self,
        library: Library,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        pseudonymise: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("My activity")
        self.setAccessibleName("My activity")
        self._library = library
        self._runner = runner
        self.snapshot: ActivitySnapshot | None = None
        self.model = ActivityModel(self)
        self.intro = intro = plain_label(QLabel(self))
        self.set_pseudonymise(pseudonymise)
        intro.setWordWrap(True)
        self.table = QTableView(self)
        self.table.setAccessibleName("Your events, newest first")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        for column, width in enumerate((130, 90, 240, 300, 80)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.pending = plain_label(QLabel("Reading your activity…", self))
        self.pending.setAccessibleName("Waiting for upload")
        self.status = plain_label(QLabel(self))  # messages may quote titles or paths
        self.status.setAccessibleName("Export result")
        self.status.setWordWrap(True)
        self.status.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.export_button = QPushButton("Export CSV…", self)
        self.export_button.setAccessibleName("Export CSV")
        self.export_button.setToolTip("Save all your events as a CSV file")
        self.export_button.clicked.connect(self.choose_export)
        buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.pending)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.resize(900, 520)

    def set_pseudonymise(self, on: bool) -> None:
        who = "under a pseudonym" if on else "under your name"
        self.intro.setText(
            f"What you did in Satchel on this computer. It reaches marketing at each sync, {who}."
        )

    # ------------------------------------------------------------ loading

    def refresh(self) -> None:
        library = self._library
        self._runner.submit(
            Lane.IO, lambda: load_activity(library), on_done=self._apply, on_error=self._fail
        )

    def _apply(self, snapshot: object) -> None:
        assert isinstance(snapshot, ActivitySnapshot)
        self.snapshot = snapshot
        self.model.set_rows(snapshot.rows)
        self.pending.setText(pending_text(snapshot))
        self.loaded.emit()

    def _fail(self, exc: BaseException) -> None:
        if isinstance(exc, SatchelError):
            message = str(exc)
        elif isinstance(exc, OSError):
            message = f"The file could not be written ({exc.strerror or exc})."
        else:
            log.error("my activity failed", exc_info=exc)
            message = f"That did not work ({type(exc).__name__}); details are in the log."
        self.status.setText(message)
        self.status.show()
        self.failed.emit(message)

    # ------------------------------------------------------------ export

    def choose_export(self) -> None:
        start = str(Path.home() / "satchel-activity.csv")
        path, _filter = QFileDialog.getSaveFileName(
            self, "Export your activity", start, "CSV files (*.csv);;All files (*)"
        )
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        """Write every event (oldest first) to ``path`` on the io lane."""
        journal = Journal(self._library)

        def done(count: object) -> None:
            assert isinstance(count, int)
            self.status.setText(f"Exported {count:,} events to {path}.")
            self.status.show()
            self.exported.emit(count, str(path))

        self._runner.submit(
            Lane.IO, lambda: journal.export_csv(path), on_done=done, on_error=self._fail
        )
