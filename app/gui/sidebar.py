"""The sidebar: All, What's new, Favourites, each meeting kit, and facets with counts.

Scopes (All, What's new, Favourites, a kit) are picked one at a time; facet values are check
boxes: AND across facets, OR within one (the search filters use the same rule).

Facet counts are live: those of the current results (the query, within the scope, with the
other facets' ticks applied), as the core counts them (:mod:`app.core.search.facets`) on the
search lane; :meth:`Sidebar.set_live_counts` writes them into the rows in place (no rebuild, so
nothing jumps or loses focus while the rep types). The rows are the library's values, whatever
the scope (so switching to Favourites does not empty the sidebar); until the first live counts
arrive, the counts are the library's, counted from the item list.

A value whose count drops to zero stays in its place, greyed (and not tickable): the list
does not reshuffle under the pointer as the rep types, and the rep still sees that the value
exists but holds none of these results. The order is the library's counts (most first), not
the live ones, for the same reason. A ticked value never disappears and stays tickable.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QTreeView, QWidget

from app.core.search import FacetCounts
from app.core.search.facets import facet_value
from app.gui import icons
from app.gui.item_data import FACETS, facet_label
from app.gui.library_model import Scope

ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1  # ("scope", Scope, kit name) or ("facet", key, value)

SCOPE_LABELS = {Scope.ALL: "All items", Scope.NEW: "What's new", Scope.FAVOURITES: "Favourites"}
SCOPE_ICONS = {Scope.ALL: "kit", Scope.NEW: "badge-new", Scope.FAVOURITES: "star"}


class SidebarModel(QStandardItemModel):
    """A plain tree of sections and entries (rebuilt with new counts, state kept by the view)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)

    def rebuild(
        self,
        *,
        total: int,
        new: int,
        favourites: int,
        kits: Mapping[str, int],
        facets: Mapping[str, Counter[str]],
        checked: Mapping[str, set[str]],
    ) -> None:
        self.clear()
        root = self.invisibleRootItem()
        library = self._section("Library")
        for scope, count in ((Scope.ALL, total), (Scope.NEW, new), (Scope.FAVOURITES, favourites)):
            entry = self._entry(f"{SCOPE_LABELS[scope]}  ({count})", ("scope", scope, None))
            entry.setIcon(icons.icon(SCOPE_ICONS[scope]))
            entry.setData(
                f"{SCOPE_LABELS[scope]}, {count} items", Qt.ItemDataRole.AccessibleTextRole
            )
            library.appendRow(entry)
        root.appendRow(library)
        if kits:
            section = self._section("Meeting kits")
            for name, count in kits.items():
                entry = self._entry(f"{name}  ({count})", ("scope", Scope.KIT, name))
                entry.setIcon(icons.icon("kit"))
                section.appendRow(entry)
            root.appendRow(section)
        for key, label in FACETS:
            counts = facets.get(key, Counter())
            values = set(counts) | checked.get(key, set())
            if not values:
                continue
            section = self._section(label)
            for value in sorted(values, key=lambda v: (-counts.get(v, 0), v.casefold())):
                entry = self._entry("", ("facet", key, value))
                entry.setCheckable(True)
                on = value in checked.get(key, set())
                entry.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
                self.show_count(entry, counts.get(value, 0))
                section.appendRow(entry)
            root.appendRow(section)

    @staticmethod
    def show_count(entry: QStandardItem, count: int) -> None:
        """Write a facet row's count; zero greys it out unless it is ticked."""
        _, key, value = entry.data(ENTRY_ROLE)
        shown = facet_label(key, value)
        entry.setText(f"{shown}  ({count})")
        label = dict(FACETS).get(key, key)
        entry.setData(f"{label} {shown}, {count} items", Qt.ItemDataRole.AccessibleTextRole)
        ticked = entry.checkState() == Qt.CheckState.Checked
        flags = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable
        if count or ticked:
            flags |= Qt.ItemFlag.ItemIsEnabled
        if entry.flags() != flags:
            entry.setFlags(flags)

    @staticmethod
    def _section(text: str) -> QStandardItem:
        item = QStandardItem(text)
        item.setData(("section", text, None), ENTRY_ROLE)  # never empty: see LibraryModel
        font = QFont()
        font.setBold(True)
        item.setFont(font)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        return item

    @staticmethod
    def _entry(text: str, entry: tuple[str, object, object]) -> QStandardItem:
        item = QStandardItem(text)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        item.setData(entry, ENTRY_ROLE)
        return item


class Sidebar(QTreeView):
    """See the module docstring."""

    scope_changed = Signal(object, object)  # Scope, kit name or None
    facets_changed = Signal(object)  # dict facet -> tuple of values
    rebuilt = Signal()  # new scope counts (the library or the scope changed)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Library sections and filters")
        self.sidebar_model = SidebarModel(self)
        self.setModel(self.sidebar_model)
        self.setHeaderHidden(True)
        self.setRootIsDecorated(False)
        self.setIndentation(12)
        self.setUniformRowHeights(True)
        self.setIconSize(QSize(16, 16))
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self._scope: tuple[Scope, str | None] = (Scope.ALL, None)
        self._checked: dict[str, set[str]] = {}
        self._rebuilding = False
        self._live: FacetCounts | None = None
        self._just_toggled: object = None
        self.clicked.connect(self._clicked)
        self.sidebar_model.itemChanged.connect(self._item_changed)

    @property
    def scope(self) -> tuple[Scope, str | None]:
        return self._scope

    def facets(self) -> dict[str, tuple[str, ...]]:
        return {k: tuple(sorted(v)) for k, v in self._checked.items() if v}

    def update_counts(
        self,
        *,
        total: int,
        new: int,
        favourites: int,
        kits: Mapping[str, int],
        facets: Mapping[str, Counter[str]],
    ) -> None:
        self._rebuilding = True
        try:
            if self._scope[0] is Scope.KIT and self._scope[1] not in kits:
                self._scope = (Scope.ALL, None)
                self.scope_changed.emit(Scope.ALL, None)
            self.sidebar_model.rebuild(
                total=total,
                new=new,
                favourites=favourites,
                kits=kits,
                facets=facets,
                checked=self._checked,
            )
            self.expandAll()
            self._select_scope()
            if self._live is not None:
                self._write_live()
        finally:
            self._rebuilding = False
        self.rebuilt.emit()

    def set_live_counts(self, counts: FacetCounts) -> None:
        """The facet counts of the current results (see the module docstring)."""
        self._live = counts
        self._rebuilding = True
        try:
            self._write_live()
        finally:
            self._rebuilding = False

    def facet_count(self, key: str, value: str) -> int | None:
        """The count a facet row shows (None: no such row)."""
        index = self._find(("facet", key, value))
        if not index.isValid():
            return None
        text = str(index.data())
        return int(text.rsplit("(", 1)[1].rstrip(")"))

    def is_greyed(self, key: str, value: str) -> bool:
        index = self._find(("facet", key, value))
        return index.isValid() and not (index.flags() & Qt.ItemFlag.ItemIsEnabled)

    def _write_live(self) -> None:
        live = self._live
        if live is None:
            return
        for index in self._all_indexes():
            entry = index.data(ENTRY_ROLE)
            if entry and entry[0] == "facet":
                counts = live.groups.get(entry[1], {})
                item = self.sidebar_model.itemFromIndex(index)
                SidebarModel.show_count(item, counts.get(facet_value(entry[2]), 0))

    def select_scope(self, scope: Scope, kit: str | None = None) -> None:
        if (scope, kit) != self._scope:
            self._scope = (scope, kit)
            self._select_scope()
            self.scope_changed.emit(scope, kit)

    def set_facet(self, key: str, value: str, on: bool) -> None:
        """Check or uncheck one facet value (as a click would)."""
        index = self._find(("facet", key, value))
        if index.isValid():
            item = self.sidebar_model.itemFromIndex(index)
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def clear_facets(self) -> None:
        if any(self._checked.values()):
            self._checked = {}
            self._rebuilding = True
            try:
                for index in self._all_indexes():
                    item = self.sidebar_model.itemFromIndex(index)
                    if item.isCheckable():
                        item.setCheckState(Qt.CheckState.Unchecked)
            finally:
                self._rebuilding = False
            self.facets_changed.emit(self.facets())

    # ------------------------------------------------------------ internals

    def _all_indexes(self) -> list[QModelIndex]:
        model = self.sidebar_model
        out: list[QModelIndex] = []
        for row in range(model.rowCount()):
            section = model.index(row, 0)
            out.extend(model.index(r, 0, section) for r in range(model.rowCount(section)))
        return out

    def _find(self, entry: tuple[str, object, object]) -> QModelIndex:
        for index in self._all_indexes():
            if index.data(ENTRY_ROLE) == entry:
                return index
        return QModelIndex()

    def _select_scope(self) -> None:
        scope, kit = self._scope
        index = self._find(("scope", scope, kit))
        if index.isValid():
            self.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            )

    def _clicked(self, index: QModelIndex) -> None:
        entry = index.data(ENTRY_ROLE)
        if not entry or entry[0] == "section":
            return
        if entry[0] == "scope":
            self.select_scope(entry[1], entry[2])
        else:
            if self._just_toggled == entry:
                self._just_toggled = None
                return  # the click landed on the check box, which already toggled it
            item = self.sidebar_model.itemFromIndex(index)
            was = item.checkState() == Qt.CheckState.Checked
            item.setCheckState(Qt.CheckState.Unchecked if was else Qt.CheckState.Checked)
            self._just_toggled = None
            self._select_scope()

    def _item_changed(self, item: QStandardItem) -> None:
        if self._rebuilding:
            return
        entry = item.data(ENTRY_ROLE)
        if not entry or entry[0] != "facet":
            return
        key, value = entry[1], entry[2]
        self._just_toggled = entry
        QTimer.singleShot(0, self._forget_toggle)
        chosen = self._checked.setdefault(key, set())
        if item.checkState() == Qt.CheckState.Checked:
            chosen.add(value)
        else:
            chosen.discard(value)
        self.facets_changed.emit(self.facets())

    def _forget_toggle(self) -> None:
        self._just_toggled = None

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            index = self.currentIndex()
            if index.isValid():
                self._clicked(index)
                return
        super().keyPressEvent(event)
