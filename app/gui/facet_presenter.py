"""Facets between the sidebar, the chips above the results and the search.

- the sidebar's ticks show as chips (:class:`FilterChips`); a chip's ×, "Clear all" and the
  header's "Clear filters" untick them in the sidebar, which tells the search as ever;
- every search answer (and, for an empty query, a count of the scope) brings live facet
  counts (:attr:`SearchController.facets_counted`), written into the sidebar;
- the counts are those of the sidebar's scope: when the scope or the library changes, the
  scope's item ids go to the search (None for "All items": nothing to restrict).
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from app.gui.filter_chips import FilterChips
from app.gui.library_model import LibraryModel, Scope
from app.gui.library_proxy import LibraryProxy
from app.gui.results_view import ResultsHeader
from app.gui.search_controller import SearchController
from app.gui.sidebar import Sidebar


class FacetPresenter(QObject):
    """See the module docstring."""

    def __init__(
        self,
        *,
        search: SearchController,
        sidebar: Sidebar,
        chips: FilterChips,
        header: ResultsHeader,
        model: LibraryModel,
        proxy: LibraryProxy,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._search, self._sidebar, self._model, self._proxy = search, sidebar, model, proxy
        search.facets_counted.connect(sidebar.set_live_counts)
        sidebar.facets_changed.connect(chips.set_filters)
        sidebar.rebuilt.connect(self._scope_items)
        chips.removed.connect(self._remove)
        chips.cleared.connect(sidebar.clear_facets)
        header.clear_filters_clicked.connect(sidebar.clear_facets)
        chips.set_filters(sidebar.facets())

    def _remove(self, key: str, value: str) -> None:
        self._sidebar.set_facet(key, value, False)

    def _scope_items(self) -> None:
        if self._proxy.scope is Scope.ALL:
            self._search.set_scope(None)
            return
        in_scope = self._proxy.in_scope
        self._search.set_scope([s.id for s in self._model.items() if in_scope(s)])
