"""``build_report``: read the hub, load its inbox, compute the figures, write the files."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path

from app.core.catalog import Catalog, read_catalog_unverified
from app.core.errors import CancelledError
from app.core.hub import BatchSource
from app.core.report.database import (
    default_db_url,
    open_report_database,
    parse_db_url,
    shown_url,
)
from app.core.report.figures import ReportFigures, ReportWindow, compute_figures
from app.core.report.files import prepare_out_dir, write_report_files
from app.core.report.html_page import PageNotes
from app.core.report.loader import LoadResult, MalformedBatch, load_catalogue, load_inbox
from app.core.report.sources import open_source
from app.core.timeutil import utcnow

ReportProgress = Callable[[str, int, int], None]  # stage, done, total
Cancel = Callable[[], bool]


@dataclass(slots=True)
class ReportSummary:
    hub: str
    out_dir: Path
    database: str  # URL, password hidden
    catalogue_items: int
    load: LoadResult
    figures: ReportFigures
    files: list[Path] = field(default_factory=list)

    @property
    def malformed(self) -> list[MalformedBatch]:
        return self.load.malformed

    def text(self) -> str:
        """One paragraph for the command line."""
        load, head = self.load, self.figures.headline
        parts = [
            f"Read {load.batch_files:,} batch file(s) from {load.devices:,} device(s): "
            f"{load.batches_loaded:,} new ({load.events_added:,} new events), "
            f"{load.batches_already_loaded:,} already loaded"
        ]
        if load.malformed:
            names = ", ".join(m.name for m in load.malformed[:3])
            more = f" and {len(load.malformed) - 3} more" if len(load.malformed) > 3 else ""
            parts.append(f", {len(load.malformed)} malformed and skipped ({names}{more})")
        parts.append(
            f". For {self.figures.window.describe()}: {head.reps_active:,} rep(s) active, "
            f"{head.items_used:,} of {head.catalogue_size:,} current items used "
            f"({head.share_never_used:.0%} never used), {head.searches:,} searches "
            f"({head.zero_result_searches:,} found nothing), {head.flags:,} flag(s), "
            f"{head.requests:,} request(s). Wrote {len(self.files)} files to {self.out_dir} "
            f"(open index.html)."
        )
        return "".join(parts)


def update_report_database(
    hub: str,
    db_url: str,
    *,
    progress: ReportProgress | None = None,
    cancel: Cancel | None = None,
    now: datetime | None = None,
) -> LoadResult:
    """Bring the report database up to date with ``hub``: its catalogue and new batches.

    For the desktop app's Insights view (run it in a worker; ``cancel`` is checked between
    batches). Then :func:`read_figures` gives the numbers to draw.
    """
    source = open_source(hub)
    (progress or _quiet)("reading the catalogue", 0, 1)
    catalog = read_catalog_unverified(source.read_catalog())
    return _update(source, catalog, db_url, progress or _quiet, cancel or _never, now)


def read_figures(
    db_url: str, *, since: date | None = None, until: date | None = None
) -> ReportFigures:
    """Every figure of the report for the window, from an existing report database."""
    window = ReportWindow(since, until)
    engine = open_report_database(db_url)
    try:
        return compute_figures(engine, since=window.since, until=window.until)
    finally:
        engine.dispose()


def _quiet(_stage: str, _done: int, _total: int) -> None:
    return None


def _never() -> bool:
    return False


def _update(
    source: BatchSource,
    catalog: Catalog,
    db_url: str,
    progress: ReportProgress,
    cancel: Cancel,
    now: datetime | None,
) -> LoadResult:
    engine = open_report_database(db_url)
    try:
        catalogue_items = load_catalogue(engine, catalog, now)
        load = load_inbox(engine, source, progress=progress, cancel=cancel, now=now)
        load.catalogue_items = catalogue_items
        return load
    finally:
        engine.dispose()


def build_report(
    hub: str,
    out_dir: Path,
    *,
    db_url: str | None = None,
    since: date | None = None,
    until: date | None = None,
    progress: ReportProgress | None = None,
    cancel: Cancel | None = None,
    now: datetime | None = None,
) -> ReportSummary:
    """Aggregate every rep's uploaded usage in ``hub`` into CSV files, charts and index.html.

    ``hub`` is a hub folder or an http(s) URL that lists its inbox. The report database
    (default: SQLite ``out_dir/report.db``; or ``db_url``, e.g. ``postgresql+psycopg://…``)
    keeps what was loaded, so the next report only reads new batches. Nothing is created
    when the window or the hub is wrong; files appear only once everything is computed.
    """
    ReportWindow(since, until)  # a wrong window fails before anything is read
    report_progress = progress or _quiet
    is_cancelled = cancel or _never
    source = open_source(hub)
    report_progress("reading the catalogue", 0, 1)
    catalog = read_catalog_unverified(source.read_catalog())
    prepare_out_dir(out_dir)
    url = db_url or default_db_url(out_dir)
    load = _update(source, catalog, url, report_progress, is_cancelled, now)
    if is_cancelled():
        raise CancelledError("Report cancelled; the batches read so far are kept.")
    report_progress("computing figures", 0, 1)
    figures = replace(
        read_figures(url, since=since, until=until),
        audiences={i.id: list(i.audiences) for i in catalog.items if i.audiences},
    )
    report_progress("writing files", 0, 1)
    notes = PageNotes(
        hub=source.location,
        generated_at=now or utcnow(),
        batches_in_database=load.batches_total,
        events_in_database=load.events_total,
        malformed=tuple((m.name, m.reason) for m in load.malformed),
    )
    files = write_report_files(figures, out_dir, notes)
    return ReportSummary(
        hub=source.location,
        out_dir=out_dir,
        database=shown_url(parse_db_url(url)),
        catalogue_items=load.catalogue_items,
        load=load,
        figures=figures,
        files=files,
    )
