"""Between the search field and the result list: what the list shows while the rep types.

Search answers go into the model as hits; while a query is active the list is in relevance
order (the order the rep chose comes back when the query is cleared); the header line says how
many results there are (and how many more the ticked filters hide), offers "did you mean",
"Showing results for" and "Request this"; the first result is selected
so that arrows and Enter work straight from the search field.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QComboBox

from app.gui.library_model import LibraryModel, Roles, SortMode
from app.gui.library_proxy import LibraryProxy
from app.gui.results_view import ResultsHeader, ResultsView, SearchField
from app.gui.search_controller import SearchController, SearchOutcome


class ResultsPresenter(QObject):
    """See the module docstring."""

    detail_stale = Signal()  # the selected row's hit changed: refresh the detail pane
    open_requested = Signal(list)  # item ids
    counts_changed = Signal(int, int)  # shown, total

    def __init__(
        self,
        *,
        search: SearchController,
        model: LibraryModel,
        proxy: LibraryProxy,
        view: ResultsView,
        header: ResultsHeader,
        field: SearchField,
        sort_box: QComboBox,
        list_sort: SortMode,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._search, self._model, self._proxy = search, model, proxy
        self._view, self._header, self._field, self._sort_box = view, header, field, sort_box
        self._list_sort = SortMode.TITLE if list_sort is SortMode.RELEVANCE else list_sort
        self._sort_before_search: SortMode | None = None
        for mode in SortMode:
            sort_box.addItem(mode.value, mode)
        self.apply_sort(self._list_sort)

        search.results.connect(self._on_results)
        search.snippets_filled.connect(self._on_snippets)
        field.navigate.connect(self._navigate)
        field.activated.connect(self._open_current)
        view.activated_items.connect(self._open_ids)
        sort_box.activated.connect(self._sort_chosen)
        header.suggestion_clicked.connect(field.setText)
        header.as_typed_clicked.connect(search.search_as_typed)
        for signal in (
            proxy.modelReset,
            proxy.rowsInserted,
            proxy.rowsRemoved,
            proxy.layoutChanged,
        ):
            signal.connect(self.update_counts)

    @property
    def list_sort(self) -> SortMode:
        """The order the rep chose for browsing (remembered across sessions)."""
        return self._list_sort

    # ------------------------------------------------------------ sorting

    def apply_sort(self, mode: SortMode, *, remember: bool = True) -> None:
        self._sort_box.setCurrentIndex(self._sort_box.findData(mode))
        self._proxy.set_sort_mode(mode)
        if remember and mode is not SortMode.RELEVANCE:
            self._list_sort = mode

    def _sort_chosen(self, _index: int) -> None:
        mode = self._sort_box.currentData()
        if not isinstance(mode, SortMode):
            return
        if mode is SortMode.RELEVANCE and not self._search.query.strip():
            mode = self._list_sort  # relevance needs a query
        searching = self._sort_before_search is not None
        self.apply_sort(mode, remember=not searching)
        if searching and mode is not SortMode.RELEVANCE:
            self._sort_before_search = mode
            self._list_sort = mode

    # ------------------------------------------------------------ answers

    def _on_results(self, outcome: object) -> None:
        assert isinstance(outcome, SearchOutcome)
        results = outcome.results
        # rows are all one height while browsing; with snippets they differ (and are few)
        self._view.setUniformItemSizes(results is None)
        if results is None:
            self._model.set_hits(None)
            if self._sort_before_search is not None:
                self.apply_sort(self._sort_before_search)
                self._sort_before_search = None
            self._proxy.set_searching(False)
            self.update_counts()
            self.detail_stale.emit()
            return
        if self._sort_before_search is None:
            self._sort_before_search = self._proxy.sort_mode
            self.apply_sort(SortMode.RELEVANCE, remember=False)
        self._model.set_hits(results.hits)
        self._proxy.set_searching(True)
        self.update_counts()
        self._select_first()

    def _on_snippets(self, outcome: object) -> None:
        """The same search's hits, each with its snippet: the rows below the first ones."""
        assert isinstance(outcome, SearchOutcome)
        if outcome.results is None:
            return
        changed = self._model.update_hits(outcome.results.hits)
        if changed.intersection(self._view.selected_ids()):
            self.detail_stale.emit()  # its page (the slide the search matched) is known now

    def _select_first(self) -> None:
        selection = self._view.selectionModel()
        if self._proxy.rowCount() == 0:
            selection.clearSelection()
            self.detail_stale.emit()
            return
        first = self._proxy.index(0, 0)
        current = selection.selectedRows()
        if len(current) == 1 and current[0] == first:
            self.detail_stale.emit()  # same row, but its snippet and page may have changed
        else:
            self._view.setCurrentIndex(first)
        self._view.scrollToTop()

    def update_counts(self, *_args: object) -> None:
        total = self._model.rowCount()
        shown = self._proxy.rowCount()
        last = self._search.last
        if last is not None and last.results is not None and self._search.query.strip():
            results = last.results
            facets = results.facets
            # the core's count is exact within the scope; the list holds the first hits only
            found = shown if facets is None else max(shown, facets.matching)
            hidden = 0 if facets is None or not last.request.filters else facets.hidden
            self._header.show_results(
                last.request.query, found, results.suggestion, results.corrected, hidden
            )
        else:
            self._header.show_listing(shown, total)
        self.counts_changed.emit(shown, total)

    # ------------------------------------------------------------ keyboard

    def _navigate(self, event: object) -> None:
        assert isinstance(event, QKeyEvent)
        if not self._view.currentIndex().isValid() and self._proxy.rowCount():
            self._view.setCurrentIndex(self._proxy.index(0, 0))
            return
        QApplication.sendEvent(self._view, event)

    def _open_current(self) -> None:
        ids = self._view.selected_ids()
        if not ids and self._proxy.rowCount():
            ids = [str(self._proxy.index(0, 0).data(Roles.ID))]
        if ids:
            self._open_ids(ids)

    def _open_ids(self, ids: list[str]) -> None:
        self._search.record_now()  # opening a result counts the search as done
        self.open_requested.emit(ids)
