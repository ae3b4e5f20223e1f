"""The library list: a source model over item ids, its rows kept in the chosen order.

:class:`LibraryModel` holds one :class:`~app.gui.item_data.ItemSummary` per visible item (the
columns loaded in bulk off the GUI thread) and loads thumbnails lazily, per row, on the io lane
into a small LRU cache. The current search hits (rank, snippet, location) are kept beside the
rows, and keeps its rows in the chosen order (relevance, newest, title, most used by me):
one ``sorted()`` over precomputed keys, published as a layout change, is far cheaper than a
proxy calling a Python ``lessThan`` some 20,000 times for 2,000 rows. The proxy
that decides which rows show is in :mod:`app.gui.library_proxy`.
"""

from __future__ import annotations

import enum
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QUrl,
)
from PySide6.QtGui import QImage

from app.core.search import Hit, location_label
from app.gui import icons
from app.gui.item_data import (
    Badge,
    ItemSummary,
    badges_for,
    kind_label,
)
from app.gui.plain_text import shown_literally
from app.gui.workers import Lane, TaskRunner

Index = QModelIndex | QPersistentModelIndex
ThumbLoader = Callable[[ItemSummary], QImage | None]
PathFor = Callable[[ItemSummary], Path | None]

THUMB_CACHE_SIZE = 200


class Roles(enum.IntEnum):
    ID = Qt.ItemDataRole.UserRole + 1
    SUMMARY = enum.auto()
    HIT = enum.auto()
    BADGES = enum.auto()
    THUMBNAIL = enum.auto()
    FAVOURITE = enum.auto()
    USE_COUNT = enum.auto()
    FILTER_KEY = enum.auto()


LAST = 1 << 30


class SortMode(enum.Enum):
    RELEVANCE = "Relevance"
    NEWEST = "Newest"
    TITLE = "Title"
    MOST_USED = "Most used by me"


class Scope(enum.Enum):
    ALL = "all"
    NEW = "new"
    FAVOURITES = "favourites"
    KIT = "kit"


class LibraryModel(QAbstractListModel):
    """One row per visible item; see the module docstring.

    Python code (the delegate) reads rows through the methods (``at``, ``hit``, ``thumbnail``,
    ``badges``), not through ``index.data(role)``: no QVariant round trip per painted field.
    """

    def __init__(
        self,
        runner: TaskRunner,
        thumb_loader: ThumbLoader,
        path_for: PathFor,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._thumb_loader = thumb_loader
        self._path_for = path_for
        self._items: list[ItemSummary] = []
        self._row_of: dict[str, int] = {}
        self._hits: dict[str, tuple[int, Hit]] = {}
        self._use_counts: dict[str, int] = {}
        self._favourites: set[str] = set()
        self._baseline = 0
        self._now = datetime.now().astimezone()
        self._badges: dict[str, tuple[Badge, ...]] = {}
        self._thumbs: OrderedDict[str, QImage | None] = OrderedDict()
        self._thumb_loading: set[str] = set()
        self._mode = SortMode.TITLE
        self._searching = False

    # ------------------------------------------------------------ Qt model API

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    # complexity: one branch per Qt role
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._items) or index.column() != 0:
            return None
        item = self._items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return item.title
        if role == Qt.ItemDataRole.DecorationRole:
            return icons.type_icon(item.kind)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(item)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._accessible_text(item)
        if role == Roles.ID:
            return item.id
        if role == Roles.SUMMARY:
            return item
        if role == Roles.HIT:
            found = self._hits.get(item.id)
            return None if found is None else found[1]
        if role == Roles.BADGES:
            return self._badges_of(item)
        if role == Roles.THUMBNAIL:
            return self._thumbnail(item)
        if role == Roles.FAVOURITE:
            return item.id in self._favourites
        if role == Roles.USE_COUNT:
            return self._use_counts.get(item.id, 0)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid():
            base |= Qt.ItemFlag.ItemIsDragEnabled
        return base

    def mimeTypes(self) -> list[str]:
        return ["text/uri-list"]

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        """The items' local files as file URLs (drag out to a mail, a folder, a chat)."""
        urls = []
        for index in indexes:
            if not index.isValid():
                continue
            path = self._path_for(self._items[index.row()])
            if path is not None:
                urls.append(QUrl.fromLocalFile(str(path)))
        mime = QMimeData()
        mime.setUrls(urls)
        return mime

    # ------------------------------------------------------------ content

    def items(self) -> list[ItemSummary]:
        return list(self._items)

    def at(self, row: int) -> ItemSummary:
        return self._items[row]

    def summary(self, item_id: str) -> ItemSummary | None:
        row = self._row_of.get(item_id)
        return None if row is None else self._items[row]

    def row_of(self, item_id: str) -> int | None:
        return self._row_of.get(item_id)

    def index_of(self, item_id: str) -> QModelIndex:
        row = self._row_of.get(item_id)
        return QModelIndex() if row is None else self.index(row, 0)

    def use_count(self, item_id: str) -> int:
        return self._use_counts.get(item_id, 0)

    def is_favourite(self, item_id: str) -> bool:
        return item_id in self._favourites

    def favourites(self) -> frozenset[str]:
        return frozenset(self._favourites)

    def hit(self, item_id: str) -> Hit | None:
        found = self._hits.get(item_id)
        return None if found is None else found[1]

    def thumbnail(self, item: ItemSummary) -> QImage | None:
        """The row's thumbnail if loaded; asks for it (and returns None) otherwise."""
        return self._thumbnail(item)

    def hit_rank(self, item_id: str) -> int | None:
        found = self._hits.get(item_id)
        return None if found is None else found[0]

    def badges(self, item_id: str) -> tuple[Badge, ...]:
        row = self._row_of.get(item_id)
        return () if row is None else self._badges_of(self._items[row])

    def reset(
        self,
        items: Sequence[ItemSummary],
        *,
        use_counts: Mapping[str, int],
        favourites: Iterable[str],
        baseline: int,
        now: datetime,
    ) -> None:
        self.beginResetModel()
        self._use_counts = dict(use_counts)
        self._items = list(items)
        ids = {item.id for item in self._items}
        self._hits = {k: v for k, v in self._hits.items() if k in ids}
        self._items.sort(key=self._order_key())
        self._row_of = {item.id: row for row, item in enumerate(self._items)}
        self._favourites = set(favourites)
        self._baseline = baseline
        self._now = now
        self._badges.clear()
        self._thumbs.clear()
        self.endResetModel()

    # complexity: new, updated and withdrawn rows, in place
    def apply_changes(
        self,
        changed: Sequence[ItemSummary],
        removed: Iterable[str],
        *,
        use_counts: Mapping[str, int] | None = None,
        baseline: int | None = None,
        now: datetime | None = None,
    ) -> None:
        """Update after an operation: rows for ``changed`` replaced or appended, ``removed``
        rows taken out; only the affected rows are signalled."""
        new_baseline = self._baseline if baseline is None else baseline
        new_now = self._now if now is None else now
        if new_baseline != self._baseline or new_now.date() != self._now.date():
            self._baseline, self._now = new_baseline, new_now
            self._badges.clear()
            if self._items:
                self.dataChanged.emit(
                    self.index(0, 0), self.index(len(self._items) - 1, 0), [Roles.BADGES]
                )
        if use_counts is not None:
            self._use_counts = dict(use_counts)
        for item_id in sorted(
            (i for i in set(removed) if i in self._row_of),
            key=lambda i: self._row_of[i],
            reverse=True,
        ):
            row = self._row_of[item_id]
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._items[row]
            self._hits.pop(item_id, None)
            self._forget(item_id)
            self._row_of = {item.id: r for r, item in enumerate(self._items)}
            self.endRemoveRows()
        fresh: list[ItemSummary] = []
        for item in changed:
            at = self._row_of.get(item.id)
            if at is None:
                fresh.append(item)
                continue
            self._items[at] = item
            self._forget(item.id)
            index = self.index(row, 0)
            self.dataChanged.emit(index, index, [])
        if fresh:
            first = len(self._items)
            self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
            for offset, item in enumerate(fresh):
                self._items.append(item)
                self._row_of[item.id] = first + offset
            self.endInsertRows()
        if changed:
            self._resort()

    def set_hits(self, hits: Sequence[Hit] | None) -> None:
        """The current search's hits, best first (None: not searching)."""
        self._hits = {} if hits is None else {h.id: (rank, h) for rank, h in enumerate(hits)}
        if self._items:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._items) - 1, 0), [Roles.HIT]
            )

    def update_hits(self, hits: Sequence[Hit]) -> set[str]:
        """New snippets and locations for hits of the current search (their ranks stay);
        returns the ids of the hits that changed."""
        rows = []
        changed = set()
        for hit in hits:
            found = self._hits.get(hit.id)
            if found is None or found[1] == hit:
                continue
            self._hits[hit.id] = (found[0], hit)
            changed.add(hit.id)
            row = self._row_of.get(hit.id)
            if row is not None:
                rows.append(row)
        if rows:
            self.dataChanged.emit(self.index(min(rows), 0), self.index(max(rows), 0), [Roles.HIT])
        return changed

    def set_favourite(self, item_id: str, on: bool) -> None:
        if on:
            self._favourites.add(item_id)
        else:
            self._favourites.discard(item_id)
        self._changed(item_id, [Roles.FAVOURITE, Roles.FILTER_KEY])

    def set_favourites(self, ids: Iterable[str]) -> None:
        new = set(ids)
        flipped = new ^ self._favourites
        self._favourites = new
        for item_id in flipped:
            self._changed(item_id, [Roles.FAVOURITE, Roles.FILTER_KEY])

    def bump_use(self, item_id: str, by: int = 1) -> None:
        self._use_counts[item_id] = self._use_counts.get(item_id, 0) + by
        self._changed(item_id, [Roles.USE_COUNT])
        if self._mode is SortMode.MOST_USED:
            self._resort()

    # ------------------------------------------------------------ order

    @property
    def sort_mode(self) -> SortMode:
        return self._mode

    def sort_by(self, mode: SortMode, *, searching: bool) -> None:
        """Keep the rows in ``mode`` order (relevance only counts while ``searching``)."""
        self._mode, self._searching = mode, searching
        self._resort()

    def _order_key(self) -> Callable[[ItemSummary], tuple[Any, ...]]:
        mode = self._mode
        if mode is SortMode.RELEVANCE and self._searching:
            hits = self._hits
            return lambda s: (hits[s.id][0] if s.id in hits else LAST, s.title_key, s.id)
        if mode is SortMode.NEWEST:
            return lambda s: (-s.updated_at.timestamp(), s.title_key, s.id)
        if mode is SortMode.MOST_USED:
            counts = self._use_counts
            return lambda s: (-counts.get(s.id, 0), s.title_key, s.id)
        return lambda s: (s.title_key, s.id)

    def _resort(self) -> None:
        ordered = sorted(self._items, key=self._order_key())
        if all(a is b for a, b in zip(ordered, self._items, strict=True)):
            return
        self.layoutAboutToBeChanged.emit()
        old = self._items
        self._items = ordered
        self._row_of = {item.id: row for row, item in enumerate(ordered)}
        persistent = self.persistentIndexList()
        moved = [
            self.index(self._row_of[old[p.row()].id], 0)
            if p.isValid() and p.row() < len(old)
            else QModelIndex()
            for p in persistent
        ]
        self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()

    # ------------------------------------------------------------ helpers

    def _changed(self, item_id: str, roles: list[int]) -> None:
        row = self._row_of.get(item_id)
        if row is not None:
            index = self.index(row, 0)
            self.dataChanged.emit(index, index, roles)

    def _forget(self, item_id: str) -> None:
        self._badges.pop(item_id, None)
        self._thumbs.pop(item_id, None)

    def _badges_of(self, item: ItemSummary) -> tuple[Badge, ...]:
        found = self._badges.get(item.id)
        if found is None:
            found = badges_for(item, self._baseline, self._now)
            self._badges[item.id] = found
        return found

    def _tooltip(self, item: ItemSummary) -> str:
        lines = [item.title]
        if item.description:
            lines.append(item.description)
        if not item.searchable:
            reason = item.unsearchable_reason or "its text could not be read"
            lines.append(f"Not searchable: {reason}")
        return shown_literally("\n".join(lines))  # tooltips guess rich text: never from the hub

    def _accessible_text(self, item: ItemSummary) -> str:
        parts = [item.title, kind_label(item.kind), f"version {item.version}"]
        parts.append(f"updated {item.updated_at:%d %B %Y}")
        parts.extend(b.value for b in self._badges_of(item))
        found = self._hits.get(item.id)
        if found is not None:
            where = location_label(found[1].kind, found[1].location)
            if where:
                parts.append(f"match on {where}")
        return ", ".join(parts)

    def _thumbnail(self, item: ItemSummary) -> QImage | None:
        if item.thumb_sha256 is None:
            return None
        if item.id in self._thumbs:
            self._thumbs.move_to_end(item.id)
            return self._thumbs[item.id]
        if item.id not in self._thumb_loading:
            self._thumb_loading.add(item.id)
            self._runner.submit(
                Lane.IO,
                lambda: self._thumb_loader(item),
                on_done=lambda image: self._thumb_loaded(item, image),
                on_error=lambda _exc: self._thumb_loaded(item, None),
            )
        return None

    def _thumb_loaded(self, item: ItemSummary, image: object) -> None:
        self._thumb_loading.discard(item.id)
        if self.summary(item.id) is not item:
            return  # the row changed or went away meanwhile
        self._thumbs[item.id] = image if isinstance(image, QImage) else None
        while len(self._thumbs) > THUMB_CACHE_SIZE:
            self._thumbs.popitem(last=False)
        self._changed(item.id, [Roles.THUMBNAIL])
