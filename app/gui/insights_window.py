"""Insights: marketing's view of every rep's usage, from a hub or a report database.

The load (new batches from the hub into the report database, then the figures) runs in a
child process waited for on this window's own worker lanes, with progress and Cancel;
changing the period re-reads the figures on a worker thread. Nothing slow runs on the GUI
thread: even deciding what the typed text names (it may be a slow network share) is part
of the job. Results arrive by signal only; an older answer never overwrites a newer one.
"""

from __future__ import annotations

import functools
import logging
import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from PySide6.QtCharts import QChart, QChartView
from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import CancelledError, SatchelError
from app.core.report import ReportFigures, read_figures
from app.gui import icons, insights_charts
from app.gui import insights_parts as parts
from app.gui.banners import Banner
from app.gui.insights_data import (
    InsightsProgress,
    InsightsRequest,
    InsightsResult,
    InsightsSource,
    insights_job,
)
from app.gui.insights_parts import Period
from app.gui.insights_tables import RECORD_TYPES, RecordTableModel, sorting_proxy
from app.gui.plain_text import plain_label
from app.gui.process_job import run_in_child
from app.gui.window_layout import fit_to_screen
from app.gui.workers import Lane, TaskRunner

log = logging.getLogger(__name__)

STAGES = {
    "reading the catalogue": "Reading the hub's catalogue",
    "reading usage batches": "Reading usage batches",
    "computing figures": "Computing the figures",
}
RE_READ_DELAY_MS = 250
CUT_OFF_S = 3.0  # a cancelled load still reading (a slow hub) is stopped: loading is idempotent


class InsightsWindow(QWidget):
    """A top-level window; it cancels its work and stops its threads when closed."""

    figures_shown = Signal(object)  # ReportFigures
    load_failed = Signal(str)
    load_cancelled = Signal()
    _relay = Signal(object)

    def __init__(
        self,
        home: Path,
        *,
        initial: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle("Insights — Satchel")
        self.setAccessibleName("Insights")
        self._home = home
        self._cache_dir = home / "insights"
        self.runner = TaskRunner(self)
        self._cancel: threading.Event | None = None
        self._generation = 0
        self._source: InsightsSource | None = None
        self.figures: ReportFigures | None = None
        self.last_result: InsightsResult | None = None
        self._closed = False
        self._reread = QTimer(self)
        self._reread.setSingleShot(True)
        self._reread.setInterval(RE_READ_DELAY_MS)
        self._reread.timeout.connect(self._read_again)
        self._relay.connect(self._progress)

        self._build(initial)
        fit_to_screen(self, QSize(1240, 860))

    # ------------------------------------------------------------ construction

    def _build(self, initial: str) -> None:
        self.source = QLineEdit(initial, self)
        self.source.setAccessibleName("Hub or report database")
        self.source.setPlaceholderText(
            "A hub folder or https://…/hub/, a report folder or report.db, or a database URL"
        )
        self.source.returnPressed.connect(self.load)
        self.pick_hub = QPushButton(icons.icon("folder"), "Hub folder…", self)
        self.pick_hub.setAccessibleName("Choose a hub folder")
        self.pick_hub.clicked.connect(self._choose_hub)
        self.pick_db = QPushButton("Report file…", self)
        self.pick_db.setAccessibleName("Choose a report database")
        self.pick_db.clicked.connect(self._choose_db)
        self.load_button = QPushButton(icons.icon("sync"), "Load", self)
        self.load_button.setAccessibleName("Load")
        self.load_button.setToolTip("Read new usage from the hub and show the figures")
        self.load_button.clicked.connect(self.load)
        top = QHBoxLayout()
        source_label = QLabel("&Source:", self)
        source_label.setBuddy(self.source)
        top.addWidget(source_label)
        top.addWidget(self.source, 1)
        for w in (self.pick_hub, self.pick_db, self.load_button):
            top.addWidget(w)

        self.period = QComboBox(self)
        self.period.setAccessibleName("Period")
        for p in Period:
            self.period.addItem(p.label, p)
        self.since = QDateEdit(self)
        self.until = QDateEdit(self)
        today = datetime.now(UTC).date()
        for edit, name, day in (
            (self.since, "From", today - timedelta(days=29)),
            (self.until, "To", today),
        ):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setAccessibleName(f"{name} (UTC)")
            edit.setDate(parts.qdate(day))
            edit.dateChanged.connect(self._custom_changed)
        self.period.currentIndexChanged.connect(self._period_changed)
        self.window_text = plain_label(QLabel(self))
        self.window_text.setAccessibleName("Period shown")
        period_row = QHBoxLayout()
        period_label = QLabel("&Period:", self)
        period_label.setBuddy(self.period)
        period_row.addWidget(period_label)
        period_row.addWidget(self.period)
        period_row.addWidget(QLabel("from", self))
        period_row.addWidget(self.since)
        period_row.addWidget(QLabel("to", self))
        period_row.addWidget(self.until)
        period_row.addSpacing(12)
        period_row.addWidget(self.window_text, 1)

        self.stage = plain_label(QLabel(self))
        self.stage.setAccessibleName("Loading stage")
        self.progress = QProgressBar(self)
        self.progress.setAccessibleName("Loading progress")
        self.progress.setMaximumWidth(260)
        self.cancel_button = QToolButton(self)
        self.cancel_button.setIcon(icons.icon("cancel"))
        self.cancel_button.setText("Cancel")
        self.cancel_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.cancel_button.setAccessibleName("Cancel loading")
        self.cancel_button.clicked.connect(self.cancel)
        self.busy_row = QWidget(self)
        busy = QHBoxLayout(self.busy_row)
        busy.setContentsMargins(0, 0, 0, 0)
        busy.addWidget(self.stage)
        busy.addWidget(self.progress)
        busy.addWidget(self.cancel_button)
        busy.addStretch(1)
        self.busy_row.hide()

        self.banner = Banner(self, warning=True)
        self.banner.action.connect(self.banner.hide)
        self.note = plain_label(QLabel(self))  # the source, load warnings, errors
        self.note.setAccessibleName("Source and load summary")
        self.note.setWordWrap(True)

        self.tiles = {
            name: parts.Tile(caption, self)
            for name, caption in (
                ("events", "Events"),
                ("reps", "Active reps"),
                ("used", "Items used"),
                ("never", "Never used"),
                ("searches", "Searches"),
                ("flags", "Flags"),
                ("requests", "Requests"),
            )
        }
        tiles = QHBoxLayout()
        for tile in self.tiles.values():
            tiles.addWidget(tile)

        names = ("usage", "top", "pie", "zero")
        self.views = {name: parts.chart_view(name, self) for name in names}
        charts = QWidget(self)
        grid = QGridLayout(charts)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.views["usage"], 0, 0)
        grid.addWidget(self.views["top"], 0, 1)
        grid.addWidget(self.views["pie"], 1, 0)
        grid.addWidget(self.views["zero"], 1, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)

        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName("Insights pages")
        self.tabs.addTab(charts, "Charts")
        self.tables: dict[str, RecordTableModel] = {}
        self.table_views: dict[str, QTableView] = {}
        for name, title in (
            ("items", "Items"),
            ("unused", "Never used"),
            ("searches", "Searches"),
            ("flags", "Flags"),
            ("requests", "Requests"),
        ):
            _kind, columns = RECORD_TYPES[name]
            model = RecordTableModel(columns, self)
            view = parts.record_view(title, self)
            view.setModel(sorting_proxy(model, view))
            view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # as the report orders them
            self.tables[name] = model
            self.table_views[name] = view
            self.tabs.addTab(view, title)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(period_row)
        layout.addWidget(self.busy_row)
        layout.addWidget(self.banner)
        layout.addWidget(self.note)
        layout.addLayout(tiles)
        layout.addWidget(self.tabs, 1)
        self._period_changed()

    # ------------------------------------------------------------ period

    def period_window(self) -> tuple[date | None, date | None]:
        period = self.period.currentData()
        assert isinstance(period, Period)
        if period is Period.ALL:
            return None, None
        if period is Period.CUSTOM:
            since, until = parts.pydate(self.since.date()), parts.pydate(self.until.date())
            return (since, until) if since <= until else (until, since)
        today = datetime.now(UTC).date()
        assert period.days is not None
        return today - timedelta(days=period.days - 1), today

    def set_period(self, since: date | None, until: date | None) -> None:
        """Show ``since``..``until`` (UTC dates, inclusive; None: open); re-reads figures."""
        if since is None and until is None:
            self.period.setCurrentIndex(self.period.findData(Period.ALL))
            return
        for edit, day in ((self.since, since), (self.until, until)):
            edit.blockSignals(True)
            edit.setDate(parts.qdate(day or datetime.now(UTC).date()))
            edit.blockSignals(False)
        if self.period.currentData() is Period.CUSTOM:
            self._custom_changed()
        else:
            self.period.setCurrentIndex(self.period.findData(Period.CUSTOM))

    @Slot()
    def _period_changed(self) -> None:
        custom = self.period.currentData() is Period.CUSTOM
        self.since.setEnabled(custom)
        self.until.setEnabled(custom)
        self._schedule_reread()

    @Slot()
    def _custom_changed(self) -> None:
        if self.period.currentData() is Period.CUSTOM:
            self._schedule_reread()

    def _schedule_reread(self) -> None:
        if self._source is not None:
            self._reread.start()

    # ------------------------------------------------------------ loading

    @property
    def busy(self) -> bool:
        return self._cancel is not None

    def load(self) -> None:
        """Load what the source field names (new batches from a hub), then the figures."""
        if self._cancel is not None or self._closed:
            return
        since, until = self.period_window()
        request = InsightsRequest(self.source.text(), str(self._cache_dir), since, until)
        cancel = threading.Event()
        self._cancel = cancel
        self._generation += 1
        generation = self._generation
        job = functools.partial(insights_job, request)
        relay, home = self._relay, str(self._home)
        self.banner.hide()
        self._set_busy(True, "Opening…")
        self.runner.submit(
            Lane.WRITE,
            lambda: run_in_child(
                job, home, progress=relay.emit, cancel=cancel, terminate_after_s=CUT_OFF_S
            ),
            on_done=lambda r: self._loaded(generation, r),
            on_error=self._load_error,
        )

    def open_source(self, text: str) -> None:
        if not text:
            return  # a picker was cancelled
        self.source.setText(text)
        self.load()

    def cancel(self) -> None:
        if self._cancel is not None:
            self._cancel.set()
            self.cancel_button.setEnabled(False)
            self.stage.setText("Cancelling…")

    @Slot(object)
    def _progress(self, p: object) -> None:
        if self._cancel is None or self._cancel.is_set() or not isinstance(p, InsightsProgress):
            return
        text = STAGES.get(p.stage, p.stage.capitalize())
        if p.total > 1:
            self.progress.setRange(0, p.total)
            self.progress.setValue(min(p.done, p.total))
            text += f" {p.done:,}/{p.total:,}"
        else:
            self.progress.setRange(0, 0)
        self.stage.setText(text + "…")

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self.busy_row.setVisible(busy)
        self.cancel_button.setEnabled(busy)
        self.load_button.setEnabled(not busy)
        self.pick_hub.setEnabled(not busy)
        self.pick_db.setEnabled(not busy)
        self.source.setReadOnly(busy)
        if busy:
            self.progress.setRange(0, 0)
            self.stage.setText(text)

    def _loaded(self, generation: int, result: object) -> None:
        self._cancel = None
        self._set_busy(False)
        assert isinstance(result, InsightsResult)
        self.last_result = result
        self._source = result.source
        note = f"Showing {result.source.shown}."
        if result.load is not None:
            note += " " + result.load.text()
        self.note.setText(note)
        if generation == self._generation:
            self._show(result.figures)
        if (result.figures.window.since, result.figures.window.until) != self.period_window():
            self._read_again()  # the period changed while loading

    def _load_error(self, exc: BaseException) -> None:
        self._cancel = None
        self._set_busy(False)
        if isinstance(exc, CancelledError):
            self.note.setText(str(exc))
            self.load_cancelled.emit()
            return
        self._report(exc)

    def _report(self, exc: BaseException) -> None:
        if isinstance(exc, SatchelError):
            message = str(exc)
        else:
            log.error("insights failed", exc_info=exc)
            message = f"The figures could not be read ({type(exc).__name__}); see the log."
        self.banner.show_message(message, button="Dismiss", warning=True)
        self.load_failed.emit(message)

    @Slot()
    def _read_again(self) -> None:
        source = self._source
        if source is None or self._closed:
            return
        if self._cancel is not None:
            return  # the running load re-reads for the new period when it ends
        since, until = self.period_window()
        self._generation += 1
        generation = self._generation
        db_url = source.db_url
        self.runner.submit(
            Lane.IO,
            lambda: read_figures(db_url, since=since, until=until),
            on_done=lambda f: self._show(f) if generation == self._generation else None,
            on_error=self._report,
        )

    # ------------------------------------------------------------ showing

    def _show(self, figures: object) -> None:
        assert isinstance(figures, ReportFigures)
        self.figures = figures
        head = figures.headline
        self.tiles["events"].set_value(f"{head.events:,}")
        self.tiles["reps"].set_value(f"{head.reps_active:,}")
        self.tiles["used"].set_value(
            f"{head.items_used:,}", f"of {head.catalogue_size:,} current items"
        )
        self.tiles["never"].set_value(
            f"{head.share_never_used:.0%}", f"{head.items_never_used:,} items"
        )
        self.tiles["searches"].set_value(
            f"{head.searches:,}", f"{head.zero_result_searches:,} found nothing"
        )
        self.tiles["flags"].set_value(f"{head.flags:,}")
        self.tiles["requests"].set_value(f"{head.requests:,}")
        span = ""
        if head.first_event and head.last_event:
            span = (
                f" Events from {head.first_event.astimezone():%Y-%m-%d} "
                f"to {head.last_event.astimezone():%Y-%m-%d}."
            )
        self.window_text.setText(f"Showing {figures.window.describe()}.{span}")
        if self.period.currentData() is not Period.CUSTOM and head.first_event and head.last_event:
            for edit, moment in ((self.since, head.first_event), (self.until, head.last_event)):
                edit.blockSignals(True)  # a custom range starts from the data's own span
                edit.setDate(parts.qdate(moment.astimezone(UTC).date()))
                edit.blockSignals(False)
        self.tables["items"].set_records(figures.items)
        self.tables["unused"].set_records(figures.unused)
        self.tables["searches"].set_records(figures.searches)
        self.tables["flags"].set_records(figures.flags)
        self.tables["requests"].set_records(figures.requests)
        for name, view in self.table_views.items():
            if name != "requests":
                view.resizeColumnsToContents()
        self._draw_charts()
        self.figures_shown.emit(figures)

    def _draw_charts(self) -> None:
        figures = self.figures
        if figures is None:
            return
        palette = self.palette()
        charts = {
            "usage": insights_charts.usage_chart(figures, palette),
            "top": insights_charts.top_items_chart(figures.items, palette),
            "pie": insights_charts.catalogue_chart(figures.headline, palette),
            "zero": insights_charts.zero_result_chart(figures.zero_result_queries(), palette),
        }
        for name, chart in charts.items():
            self._set_chart(self.views[name], chart)

    @staticmethod
    def _set_chart(view: QChartView, chart: QChart) -> None:
        old = view.chart()
        view.setChart(chart)  # the view owns the new chart and lets go of the old one
        if old is not None:
            old.deleteLater()

    def chart(self, name: str) -> QChart:
        return self.views[name].chart()

    def tile_values(self) -> dict[str, str]:
        return {name: tile.value.text() for name, tile in self.tiles.items()}

    # ------------------------------------------------------------ pickers

    def _choose_hub(self) -> None:
        self.open_source(parts.choose_hub_folder(self, self.source.text()))

    def _choose_db(self) -> None:
        self.open_source(parts.choose_report_db(self))

    # ------------------------------------------------------------ lifecycle

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self.figures is not None:
            self._draw_charts()

    def shutdown(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._reread.stop()
        self.cancel()
        self.runner.shutdown()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)
