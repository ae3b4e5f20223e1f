"""What the Insights view reads, without Qt: where the figures come from and the loading job.

Marketing opens either a hub (a folder or an http(s) URL that lists its inbox: the usage
batches are loaded into a report database kept in the rep's library folder, so the next
load only reads new batches) or an existing report database (the ``report.db`` that
``python main.py report --out DIR`` writes into DIR, that folder itself, or a database URL).
The load runs in a child process (:mod:`app.gui.process_job`); re-reading the figures for
another date range runs on a worker thread.
"""

from __future__ import annotations

import hashlib
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from app.core.errors import CancelledError
from app.core.hub import CATALOG_NAME
from app.core.report import ReportFigures, read_figures, update_report_database
from app.core.report.database import DEFAULT_DB_NAME, shown_url
from app.core.report.errors import ReportInputError

DB_SCHEMES = ("sqlite", "postgres", "postgresql")
SQLITE_MAGIC = b"SQLite format 3\x00"


@dataclass(frozen=True, slots=True)
class InsightsSource:
    hub: str | None  # a hub to load batches from first; None: the database only
    db_url: str  # a report database: an SQLite path or an SQLAlchemy URL
    shown: str  # for people: the hub or the database, any password hidden


@dataclass(frozen=True, slots=True)
class InsightsRequest:
    text: str  # what marketing typed or picked
    cache_dir: str  # where report databases of opened hubs are kept
    since: date | None = None
    until: date | None = None


@dataclass(frozen=True, slots=True)
class InsightsProgress:
    stage: str
    done: int
    total: int


@dataclass(frozen=True, slots=True)
class LoadSummary:
    batches_read: int
    batches_new: int
    events_new: int
    malformed: int

    def text(self) -> str:
        out = (
            f"Read {self.batches_read:,} batch file(s): {self.batches_new:,} new "
            f"({self.events_new:,} new events)"
        )
        if self.malformed:
            out += f", {self.malformed:,} malformed and skipped (see the log)"
        return out + "."


@dataclass(frozen=True, slots=True)
class InsightsResult:
    source: InsightsSource
    load: LoadSummary | None  # None when a report database was opened directly
    figures: ReportFigures


def _hub_cache(cache_dir: Path, hub: str) -> str:
    digest = hashlib.sha256(hub.encode("utf-8")).hexdigest()[:16]
    folder = cache_dir / digest
    folder.mkdir(parents=True, exist_ok=True)
    return str(folder / DEFAULT_DB_NAME)


def _report_file(path: Path) -> InsightsSource:
    try:
        with path.open("rb") as fh:
            magic = fh.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise ReportInputError(f"{path} cannot be read ({exc.strerror or exc}).") from exc
    if magic != SQLITE_MAGIC:
        raise ReportInputError(
            f"{path} is not a report database (pick the report.db that `report --out` wrote)."
        )
    return InsightsSource(None, str(path), str(path))


def resolve_source(text: str, cache_dir: Path) -> InsightsSource:
    """Decide what ``text`` names. May touch the disk (a slow share): call it off the GUI."""
    text = text.strip()
    if not text:
        raise ReportInputError("Enter a hub folder or address, or pick a report database.")
    scheme = urllib.parse.urlparse(text).scheme.lower()
    if scheme in ("http", "https"):
        return InsightsSource(text, _hub_cache(cache_dir, text), shown_url_safe(text))
    if scheme.partition("+")[0] in DB_SCHEMES:
        return InsightsSource(None, text, shown_url(text))
    if scheme == "file":
        text = urllib.parse.unquote(urllib.parse.urlparse(text).path)
    elif len(scheme) > 1:
        raise ReportInputError(f"{text!r} is neither a folder, an http(s) hub nor a database URL.")
    path = Path(text).expanduser()
    if path.is_file():
        return _report_file(path)
    if path.is_dir():
        if (path / CATALOG_NAME).is_file():
            hub = str(path.resolve())
            return InsightsSource(hub, _hub_cache(cache_dir, hub), hub)
        if (path / DEFAULT_DB_NAME).is_file():
            return _report_file(path / DEFAULT_DB_NAME)
        raise ReportInputError(
            f"{path} is neither a hub (no {CATALOG_NAME}) nor a report folder (no "
            f"{DEFAULT_DB_NAME})."
        )
    raise ReportInputError(f"{path} does not exist (is the network drive connected?).")


def shown_url_safe(url: str) -> str:
    """An http(s) URL without any user name and password."""
    parts = urllib.parse.urlsplit(url)
    netloc = parts.netloc.rpartition("@")[2]
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))


def insights_job(
    request: InsightsRequest,
    home: str,
    progress: Callable[[Any], None],
    cancel: Callable[[], bool],
) -> InsightsResult:
    """Load new batches from the hub (if one was opened), then read the figures.

    Runs in a child process through ``functools.partial(insights_job, request)``.
    """
    source = resolve_source(request.text, Path(request.cache_dir))
    summary = None
    if source.hub is not None:

        def report(stage: str, done: int, total: int) -> None:
            progress(InsightsProgress(stage, done, total))

        load = update_report_database(source.hub, source.db_url, progress=report, cancel=cancel)
        if cancel():
            raise CancelledError("Loading cancelled; the batches read so far are kept.")
        summary = LoadSummary(
            batches_read=load.batch_files,
            batches_new=load.batches_loaded,
            events_new=load.events_added,
            malformed=len(load.malformed),
        )
    progress(InsightsProgress("computing figures", 0, 1))
    figures = read_figures(source.db_url, since=request.since, until=request.until)
    return InsightsResult(source, summary, figures)
