"""Marketing's usage report: every rep's uploaded batches aggregated into files and figures.

Modules, one job each: ``schema`` (tables), ``database`` (open SQLite/PostgreSQL),
``sources`` (list and read the hub's inbox), ``rows`` (batch -> rows), ``loader``
(idempotent streamed loading), ``figures`` (SQL aggregation into dataclasses), ``csv_files``,
``charts`` and ``html_page`` (the outputs), ``files`` (atomic writing) and ``build``.
"""

from __future__ import annotations

from app.core.report.build import (
    ReportSummary,
    build_report,
    read_figures,
    update_report_database,
)
from app.core.report.database import default_db_url, open_report_database
from app.core.report.errors import (
    HubNotListableError,
    ReportDatabaseError,
    ReportError,
    ReportInputError,
)
from app.core.report.figures import (
    DailyCount,
    FlagRecord,
    Headline,
    ItemUsage,
    ReportFigures,
    ReportWindow,
    RequestRecord,
    SearchStat,
    UnusedItem,
    compute_figures,
)
from app.core.report.files import write_report_files
from app.core.report.html_page import PageNotes
from app.core.report.loader import LoadResult, MalformedBatch, load_catalogue, load_inbox
from app.core.report.sources import open_source

__all__ = [
    "DailyCount",
    "FlagRecord",
    "Headline",
    "HubNotListableError",
    "ItemUsage",
    "LoadResult",
    "MalformedBatch",
    "PageNotes",
    "ReportDatabaseError",
    "ReportError",
    "ReportFigures",
    "ReportInputError",
    "ReportSummary",
    "ReportWindow",
    "RequestRecord",
    "SearchStat",
    "UnusedItem",
    "build_report",
    "compute_figures",
    "default_db_url",
    "load_catalogue",
    "load_inbox",
    "open_report_database",
    "open_source",
    "read_figures",
    "update_report_database",
    "write_report_files",
]
