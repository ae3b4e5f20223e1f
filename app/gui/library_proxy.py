"""The proxy over :class:`~app.gui.library_model.LibraryModel`: which rows show (sidebar
scope, facets, search hits); the order is the source model's."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QAbstractItemModel, QObject, QSortFilterProxyModel

from app.gui.item_data import Badge, ItemSummary, matches_facets
from app.gui.library_model import Index, LibraryModel, Roles, Scope, SortMode


class LibraryProxy(QSortFilterProxyModel):
    """Which rows show (scope, facets, search hits); the order is the source's."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model: LibraryModel | None = None
        self._scope = Scope.ALL
        self._kit_ids: frozenset[str] = frozenset()
        self._facets: dict[str, tuple[str, ...]] = {}
        self._searching = False
        self._mode = SortMode.TITLE
        self.setDynamicSortFilter(True)
        self.setFilterRole(Roles.FILTER_KEY)

    def setSourceModel(self, model: QAbstractItemModel) -> None:
        assert isinstance(model, LibraryModel)
        self._model = model
        super().setSourceModel(model)
        model.sort_by(self._mode, searching=self._searching)

    def source(self) -> LibraryModel:
        assert self._model is not None
        return self._model

    # ------------------------------------------------------------ state

    @property
    def sort_mode(self) -> SortMode:
        return self._mode

    @property
    def scope(self) -> Scope:
        return self._scope

    @property
    def facets(self) -> dict[str, tuple[str, ...]]:
        return dict(self._facets)

    def set_sort_mode(self, mode: SortMode) -> None:
        self._mode = mode
        if self._model is not None:
            self._model.sort_by(mode, searching=self._searching)

    def set_scope(self, scope: Scope, kit_items: Sequence[str] = ()) -> None:
        self.beginFilterChange()
        self._scope = scope
        self._kit_ids = frozenset(kit_items)
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_facets(self, facets: Mapping[str, Sequence[str]]) -> None:
        self.beginFilterChange()
        self._facets = {k: tuple(v) for k, v in facets.items() if v}
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_searching(self, searching: bool) -> None:
        """Call after the source's hits changed: shows only hits, in the chosen order."""
        self.beginFilterChange()
        self._searching = searching
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        if self._model is not None:
            self._model.sort_by(self._mode, searching=searching)

    def refilter(self) -> None:
        """Badges or collections changed under the current scope."""
        self.beginFilterChange()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def in_scope(self, item: ItemSummary) -> bool:
        model = self.source()
        if self._scope is Scope.FAVOURITES:
            return model.is_favourite(item.id)
        if self._scope is Scope.KIT:
            return item.id in self._kit_ids
        if self._scope is Scope.NEW:
            return any(b in (Badge.NEW, Badge.UPDATED) for b in model.badges(item.id))
        return True

    # ------------------------------------------------------------ Qt overrides

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self._model
        if model is None or source_parent.isValid():
            return False
        item = model.at(source_row)
        if self._searching and model.hit_rank(item.id) is None:
            return False
        if self._scope is not Scope.ALL and not self.in_scope(item):
            return False
        return not self._facets or matches_facets(item, self._facets)
