"""The main window: sidebar | results | details, with search, sync and settings.

It composes the parts and routes their signals; the work lives in the parts (models, search and
sync controllers, actions) and in the core. All library work runs on the TaskRunner's lanes.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from PySide6.QtCore import QEvent, QItemSelection, QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QShowEvent
from PySide6.QtWidgets import QComboBox, QMainWindow, QSplitter, QStackedWidget

from app.core.errors import SatchelError
from app.core.library import Library
from app.core.opener import open_native
from app.core.settings import RepSettings, load_settings
from app.core.timeutil import utcnow
from app.gui import icons, settings_flow
from app.gui.actions import ItemActions, Opener, reveal_in_folder
from app.gui.app_menus import AppMenus
from app.gui.banners import Banner, BannerArea, SyncStatus
from app.gui.child_jobs import SyncOutcome, index_job
from app.gui.detail_pane import DetailPane
from app.gui.empty_state import EmptyState
from app.gui.filter_chips import FilterChips
from app.gui.first_run import DemoSetup
from app.gui.gui_settings import GuiSettings
from app.gui.images import thumbnail_loader
from app.gui.it_presets import effective_rep, load_it_config_safely, rep_chose_interval
from app.gui.item_data import (
    Badge,
    LibrarySnapshot,
    advance_baseline,
    existing_file,
    facet_counts,
    load_snapshot,
)
from app.gui.item_menu import ItemMenus
from app.gui.kits_dialog import KitActions, KitsDialog
from app.gui.library_model import LibraryModel, Scope, SortMode
from app.gui.library_proxy import LibraryProxy
from app.gui.process_job import run_in_child
from app.gui.results_presenter import ResultsPresenter
from app.gui.results_view import ResultsHeader, ResultsView, SearchField
from app.gui.search_controller import SearchController
from app.gui.settings_dialog import SettingsChange
from app.gui.sidebar import Sidebar
from app.gui.status_presenter import StatusPresenter
from app.gui.sync_controller import SyncChanges, SyncController
from app.gui.window_chrome import Chrome, build_widgets
from app.gui.window_layout import ResponsivePanes, clamp_to_screen, restore_layout, save_layout
from app.gui.workers import Lane, TaskRunner

log = logging.getLogger(__name__)

THUMB_PIXELS = QSize(128, 96)


def _ignore(_progress: object) -> None:
    pass


class MainWindow(QMainWindow):
    """See the module docstring. ``start()`` after ``show()``; ``shutdown()`` before exit."""

    # built by app.gui.window_chrome.build_widgets
    search_field: SearchField
    sort_box: QComboBox
    sidebar: Sidebar
    results: ResultsView
    results_header: ResultsHeader
    filter_chips: FilterChips
    empty_state: EmptyState
    list_stack: QStackedWidget
    detail: DetailPane
    splitter: QSplitter
    panes: ResponsivePanes
    chrome: Chrome
    sync_action: QAction
    settings_action: QAction
    banners: BannerArea
    setup_banner: Banner
    demo_banner: Banner
    stale_banner: Banner
    freshness_banner: Banner
    error_banner: Banner
    sync_status: SyncStatus

    snapshot_applied = Signal()  # the list shows the library's current state
    index_ready = Signal()
    setup_finished = Signal()
    settings_applied = Signal()

    def __init__(
        self,
        library: Library,
        *,
        gui_settings: GuiSettings | None = None,
        opener: Opener = open_native,
        reveal: Opener = reveal_in_folder,
        sync_on_start: bool = True,
        on_bug: Callable[[BaseException], None] | None = None,
    ) -> None:
        super().__init__()
        self.library = library
        self.settings = gui_settings or GuiSettings(library.paths.home)
        self.it, self._it_problem = load_it_config_safely()
        self.rep: RepSettings = effective_rep(
            load_settings(library), self.it, interval_chosen=rep_chose_interval(library)
        )
        self._on_bug = on_bug
        self._sync_on_start = sync_on_start
        self._snapshot: LibrarySnapshot | None = None
        self._baseline = 0
        self._closing = False
        self.setWindowTitle("Satchel")
        self.setWindowIcon(icons.app_icon())
        self.setAccessibleName("Satchel")
        self.set_appearance(self.settings.appearance())

        self.runner = TaskRunner(self)
        self.runner.failed.connect(self.show_failure)
        self.model = LibraryModel(
            self.runner, thumbnail_loader(library, THUMB_PIXELS), existing_file(library), self
        )
        self.proxy = LibraryProxy(self)
        self.proxy.setSourceModel(self.model)
        self.search = SearchController(library, self.runner, self)
        self.sync = SyncController(library, self.runner, self)
        self.demo_setup = DemoSetup(library, self.runner, self)
        self.item_actions = ItemActions(
            library,
            self.runner,
            self.model,
            self,
            opener=opener,
            reveal=reveal,
            it_config=lambda: self.it,
        )

        self.kit_ops = KitActions(library, self.runner, self)

        build_widgets(self)
        self.menus = AppMenus(
            self,
            library,
            self.runner,
            it_config=lambda: self.it,
            pseudonymise=lambda: self.rep.pseudonymise,
            leading=[self.sync_action, self.settings_action],
        )
        self.item_menus = ItemMenus(
            self,
            self.item_actions,
            self.panes,
            self.search_field,
            detail=self.detail,
            kits=lambda: self._snapshot.kits if self._snapshot else {},
            kit_ops=self.kit_ops,
        )
        saved = self.settings.sort_mode(SortMode.TITLE.name)
        self.list_presenter = ResultsPresenter(
            search=self.search,
            model=self.model,
            proxy=self.proxy,
            view=self.results,
            header=self.results_header,
            field=self.search_field,
            sort_box=self.sort_box,
            list_sort=SortMode[saved] if saved in SortMode.__members__ else SortMode.TITLE,
            parent=self,
        )
        self.status = StatusPresenter(
            sync=self.sync,
            status=self.sync_status,
            sync_action=self.sync_action,
            demo_banner=self.demo_banner,
            stale_banner=self.stale_banner,
            freshness_banner=self.freshness_banner,
            parent=self,
        )
        self._wire()
        self._restore_layout()

    # ------------------------------------------------------------ construction

    def _wire(self) -> None:
        self.search_field.textChanged.connect(self._query_typed)
        self.empty_state.request_clicked.connect(self.item_actions.request_material)
        self.list_presenter.counts_changed.connect(self._show_list_or_empty)
        self.kit_ops.kits_changed.connect(self.reload)
        self.kit_ops.message.connect(self.flash)
        self.kit_ops.error.connect(self._show_error)
        self.search.index_opened.connect(lambda _n: self.index_ready.emit())
        self.search.failed.connect(self._show_error)
        self.results_header.request_clicked.connect(self.item_actions.request_material)
        self.list_presenter.open_requested.connect(self.item_actions.open_items)
        self.list_presenter.detail_stale.connect(self._update_detail)
        self.list_presenter.counts_changed.connect(self.sync_status.set_count)

        self.results.selectionModel().selectionChanged.connect(self._selection_changed)
        self.results.dragged_out.connect(self.item_actions.record_drag)
        self.results.may_drag = lambda ids: self.item_actions.may_go_out(ids, "drag")
        self.results.escape.connect(self.focus_search)
        self.results.customContextMenuRequested.connect(
            lambda pos: self.item_menus.context_menu(self.results.viewport(), pos)
        )

        self.sidebar.scope_changed.connect(self._scope_changed)
        self.sidebar.facets_changed.connect(self._facets_changed)

        self.item_actions.error.connect(self._show_error)
        self.item_actions.message.connect(self.flash)
        self.item_actions.recorded.connect(self.menus.journal_changed)
        self.menus.message.connect(self.flash)
        self.item_actions.favourites_changed.connect(self.reload)
        self.item_actions.kits_changed.connect(self.reload)
        self.detail.previewed.connect(self.item_actions.record_preview)

        self.sync.finished.connect(self._sync_finished)
        self.sync.changes_loaded.connect(self._apply_snapshot)
        self.sync.failed.connect(self._show_error)
        self.sync.cancelled.connect(lambda: self.flash("Sync cancelled; the library is unchanged."))

        self.demo_setup.show_in(self.setup_banner, then=self._after_setup, help=self.open_settings)
        self.demo_banner.action.connect(self.open_settings)
        self.stale_banner.action.connect(self.sync_now)
        self.freshness_banner.action.connect(self.sync_now)
        self.error_banner.action.connect(self.error_banner.hide)

        hints = QGuiApplication.styleHints()
        hints.colorSchemeChanged.connect(lambda *_a: settings_flow.follow_scheme(self))

    def _restore_layout(self) -> None:
        restore_layout(self, self.settings, self.splitter, self.panes)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        clamp_to_screen(self)

    # ------------------------------------------------------------ lifecycle

    def start(self) -> None:
        """Open the library in the background: demo setup on a first run, else list + sync.

        A first run on a machine where IT preset the hub and marketing's key syncs that hub
        instead of installing the demo."""
        if self._it_problem:
            self._show_error(self._it_problem)
        if self.library.hub_state().location is None and self._it_hub_ready():
            self._after_setup()
            if not self._sync_on_start:
                self.sync.sync_now()
        elif self.library.hub_state().location is None:
            self.setup_banner.show_message(
                "Setting up the demo library, so you can try Satchel right away…", busy=True
            )
            self.demo_setup.start()
        else:
            self._after_setup()

    def _after_setup(self) -> None:
        home = str(self.library.paths.home)
        # a rebuild of the index (new schema, damage) happens in a child process, then the
        # window opens the ready index on the search lane
        self.runner.submit(
            Lane.WRITE,
            lambda: run_in_child(index_job, home, progress=_ignore, cancel=threading.Event()),
            on_done=lambda _n: self.search.open_index(),
            on_error=lambda _e: self.search.open_index(),
        )
        self.reload()
        self.sync.set_interval(self.rep.sync_interval_min)
        self.watch_hub()
        if self._sync_on_start:
            self.sync.sync_now(quiet=True)
        self.setup_finished.emit()

    def shutdown(self) -> None:
        """Stop background work; queued journal writes are finished, not dropped."""
        if self._closing:
            return
        self._closing = True
        self.menus.shutdown()
        self._save_layout()
        self.sync.stop()
        self.demo_setup.cancel()
        self.runner.shutdown()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)

    def _save_layout(self) -> None:
        self.settings.set_sort_mode(self.list_presenter.list_sort.name)
        save_layout(self, self.settings, self.splitter, self.panes)

    # ------------------------------------------------------------ loading

    def reload(self) -> None:
        """Re-read the library (off the GUI thread) and show only what changed."""
        library = self.library
        self.runner.submit(Lane.IO, lambda: load_snapshot(library), on_done=self._apply_snapshot)

    def _apply_snapshot(self, loaded: object) -> None:  # complexity: all a snapshot updates
        """A snapshot of the library, or a sync's change-set: then only its rows change."""
        delta = loaded if isinstance(loaded, SyncChanges) else None
        if delta is not None and self._snapshot is None:
            return self.reload()
        snapshot = delta.onto(self._snapshot) if delta and self._snapshot else loaded
        assert isinstance(snapshot, LibrarySnapshot)
        previous = self._snapshot
        self._snapshot = snapshot
        baseline = advance_baseline(self.settings.baseline(), snapshot.hub)
        if baseline != self.settings.baseline():
            self.settings.set_baseline(baseline)
        self._baseline = baseline.serial
        now = utcnow()
        if delta is not None:
            self.model.apply_changes(delta.changed, delta.removed, baseline=self._baseline, now=now)
        elif previous is None or self.model.rowCount() == 0:
            self.model.reset(
                snapshot.items,
                use_counts=snapshot.use_counts,
                favourites=snapshot.favourites,
                baseline=self._baseline,
                now=now,
            )
        else:
            ids = {s.id for s in snapshot.items}
            changed = [s for s in snapshot.items if self.model.summary(s.id) != s]
            removed = [s.id for s in self.model.items() if s.id not in ids]
            self.model.apply_changes(
                changed, removed, use_counts=snapshot.use_counts, baseline=self._baseline, now=now
            )
            self.model.set_favourites(snapshot.favourites)
        self.status.update(snapshot.hub, self.rep)
        self.item_actions.set_kits(snapshot.kits)
        scope, kit = self.sidebar.scope
        if scope is Scope.KIT:  # the kit's items may have changed
            self.proxy.set_scope(scope, snapshot.kits.get(str(kit), []))
        elif scope is Scope.NEW and previous is not None:  # badges may have changed
            self.proxy.refilter()
        self.refresh_sidebar()
        if self.results.selectionModel().hasSelection():
            self._update_detail()
        self.snapshot_applied.emit()

    # ------------------------------------------------------------ search

    def focus_search(self) -> None:
        self.search_field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_field.selectAll()

    def _query_typed(self, text: str) -> None:
        self.item_actions.set_query(text)
        self.search.set_query(text)

    def apply_sort(self, mode: SortMode) -> None:
        self.list_presenter.apply_sort(mode)

    def _scope_changed(self, scope: object, kit: object) -> None:
        assert isinstance(scope, Scope)
        kits = self._snapshot.kits if self._snapshot else {}
        items = kits.get(str(kit), []) if scope is Scope.KIT else []
        self.proxy.set_scope(scope, items)
        self.refresh_sidebar()
        self.list_presenter.update_counts()

    def _facets_changed(self, facets: object) -> None:
        assert isinstance(facets, dict)
        self.proxy.set_facets(facets)
        self.search.set_filters(facets)
        self.list_presenter.update_counts()

    def refresh_sidebar(self) -> None:
        snap = self._snapshot
        if snap is None:
            return
        items = self.model.items()
        new = sum(
            1
            for s in items
            if any(b in (Badge.NEW, Badge.UPDATED) for b in self.model.badges(s.id))
        )
        favourites = sum(1 for s in items if self.model.is_favourite(s.id))
        visible = {s.id for s in items}
        kits = {name: sum(1 for i in ids if i in visible) for name, ids in snap.kits.items()}
        self.sidebar.update_counts(
            total=len(items), new=new, favourites=favourites, kits=kits, facets=facet_counts(items)
        )

    # ------------------------------------------------------------ selection and detail

    def _selection_changed(self, _sel: QItemSelection, _desel: QItemSelection) -> None:
        self._update_detail()

    def _update_detail(self) -> None:
        ids = self.results.selected_ids()
        self.item_actions.set_selection(ids)
        self.item_menus.set_selection(len(ids))
        if len(ids) == 1:
            summary = self.model.summary(ids[0])
            if summary is None:
                self.detail.clear()
                return
            self.detail.show_item(summary, self.model.hit(ids[0]), self.model.badges(ids[0]))
        elif ids:
            self.detail.show_many(len(ids))
        else:
            self.detail.clear()

    def show_preview(self) -> None:
        self.item_menus.show_preview()

    def manage_kits(self) -> KitsDialog:
        return self.item_menus.manage_kits()

    def _show_list_or_empty(self, shown: int, total: int) -> None:
        scope = self.sidebar.scope[0]
        narrowed = scope is not Scope.ALL or bool(self.proxy.facets)
        empty = self.empty_state.update_for(
            shown, total, self.search_field.text(), in_kit=scope is Scope.KIT, narrowed=narrowed
        )
        self.list_stack.setCurrentWidget(self.empty_state if empty else self.results)
        if empty:  # the empty state's own button is the one to press
            self.results_header.request.hide()

    # ------------------------------------------------------------ sync

    def _it_hub_ready(self) -> bool:
        return bool(self.it.hub and self.it.trusted_key)

    def sync_now(self) -> None:
        if self.library.hub_state().location is None and not self._it_hub_ready():
            self.open_settings()
            return
        if not self.sync.sync_now():
            self.flash("A sync is already running.")

    def watch_hub(self) -> None:
        state = self.library.hub_state()
        self.sync.watch_hub(state.location, self.settings.watch_polling())

    def _sync_finished(self, outcome: object) -> None:
        assert isinstance(outcome, SyncOutcome)
        self.flash(outcome.headline(), 6000 if outcome.result.up_to_date else 10_000)
        if not outcome.result.up_to_date:
            self.search.open_index(reopen=True)  # the child process changed it
        if outcome.upload_warning:
            log.info(outcome.upload_warning)
        if outcome.replies:  # marketing answered: say so once, after the sync's own line
            self.flash(" ".join(outcome.replies), 15_000)
        self.menus.journal_changed()  # events were uploaded
        self.watch_hub()  # the rows follow: changes_loaded -> _apply_snapshot

    # ------------------------------------------------------------ settings

    def open_settings(self) -> None:
        settings_flow.open_settings(self)

    def apply_settings(self, change: SettingsChange) -> None:
        settings_flow.apply_settings(self, change)

    def refresh_status(self) -> None:
        if self._snapshot is not None:
            self.status.update(self._snapshot.hub, self.rep)

    # ------------------------------------------------------------ messages

    def flash(self, text: str, ms: int = 6000) -> None:
        self.statusBar().showMessage(text, ms)

    def _show_error(self, message: str) -> None:
        # a message may quote a title or file name from the hub: shown as typed, never markup
        self.error_banner.show_message(message, button="Dismiss", warning=True)

    def show_failure(self, exc: object) -> None:
        if isinstance(exc, SatchelError):
            self._show_error(str(exc))
        elif self._on_bug is not None and isinstance(exc, BaseException):
            self._on_bug(exc)  # a crash report and its dialog
        else:
            log.error("unexpected error", exc_info=exc if isinstance(exc, BaseException) else None)
            self._show_error(f"Something went wrong ({type(exc).__name__}); see the log.")

    # ------------------------------------------------------------ theme

    def set_appearance(self, mode: str, *, remember: bool = False) -> None:
        settings_flow.set_appearance(self, mode, remember=remember)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            settings_flow.retint(self)
