"""The Insights view's tables: one small model for any list of report records, and the
columns of each table (items, never used, searches, flags, requests)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from app.core.report import FlagRecord, ItemUsage, RequestRecord, SearchStat, UnusedItem
from app.gui.plain_text import shown_literally

Index = QModelIndex | QPersistentModelIndex
SortRole = Qt.ItemDataRole.UserRole
RecordRole = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True, slots=True)
class Column:
    title: str
    value: Callable[[Any], object]
    numeric: bool = False


def shown(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return f"{value.astimezone():%Y-%m-%d %H:%M}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def sort_key(value: object, numeric: bool) -> object:
    if isinstance(value, datetime):
        return value.timestamp()
    if value is None:
        return 0 if numeric else ""
    return value if numeric else str(value).casefold()


class RecordTableModel(QAbstractTableModel):
    """Read-only rows of plain records; ``SortRole`` gives a sortable value per cell."""

    def __init__(self, columns: Sequence[Column], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self._records: list[object] = []

    def set_records(self, records: Sequence[object]) -> None:
        self.beginResetModel()
        self._records = list(records)
        self.endResetModel()

    def records(self) -> list[object]:
        return list(self._records)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.columns)
        ):
            return self.columns[section].title
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._records):
            return None
        if not 0 <= index.column() < len(self.columns):
            return None
        record = self._records[index.row()]
        column = self.columns[index.column()]
        if role == RecordRole:
            return record
        if role == Qt.ItemDataRole.DisplayRole:
            return shown(column.value(record))
        if role == Qt.ItemDataRole.ToolTipRole:  # titles, notes, queries: never markup
            return shown_literally(str(shown(column.value(record))))
        if role == SortRole:
            return sort_key(column.value(record), column.numeric)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


def sorting_proxy(model: RecordTableModel, parent: QObject | None = None) -> QSortFilterProxyModel:
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    proxy.setSortRole(SortRole)
    proxy.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    return proxy


def _title(title: str | None, item_id: str | None) -> str:
    return title or item_id or ""


ITEM_COLUMNS = (
    Column("Item", lambda r: _title(r.title, r.item_id)),
    Column("Version", lambda r: r.version, numeric=True),
    Column("Opens", lambda r: r.opens, numeric=True),
    Column("Previews", lambda r: r.previews, numeric=True),
    Column("Sends", lambda r: r.sends, numeric=True),
    Column("Copies", lambda r: r.copies, numeric=True),
    Column("Reps", lambda r: r.unique_reps, numeric=True),
    Column("Last used", lambda r: r.last_used),
    Column("Flags", lambda r: r.flags, numeric=True),
    Column("Status", lambda r: r.status),
)
UNUSED_COLUMNS = (
    Column("Item", lambda r: _title(r.title, r.item_id)),
    Column("Version", lambda r: r.version, numeric=True),
    Column("Published", lambda r: r.published_at),
)
SEARCH_COLUMNS = (
    Column("Search", lambda r: r.query),
    Column("Searches", lambda r: r.searches, numeric=True),
    Column("Found nothing", lambda r: r.zero_result_searches, numeric=True),
)
FLAG_COLUMNS = (
    Column("When", lambda r: r.time),
    Column("Item", lambda r: _title(r.title, r.item_id)),
    Column("Version", lambda r: r.version, numeric=True),
    Column("Reason", lambda r: r.reason),
    Column("Note", lambda r: r.note),
    Column("Rep", lambda r: r.rep),
)
REQUEST_COLUMNS = (
    Column("When", lambda r: r.time),
    Column("Request", lambda r: r.text),
    Column("Account", lambda r: r.account),
    Column("Needed by", lambda r: r.needed_by),
    Column("Rep", lambda r: r.rep),
)
RECORD_TYPES: dict[str, tuple[type, tuple[Column, ...]]] = {
    "items": (ItemUsage, ITEM_COLUMNS),
    "unused": (UnusedItem, UNUSED_COLUMNS),
    "searches": (SearchStat, SEARCH_COLUMNS),
    "flags": (FlagRecord, FLAG_COLUMNS),
    "requests": (RequestRecord, REQUEST_COLUMNS),
}
