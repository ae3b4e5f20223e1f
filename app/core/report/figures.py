"""The report's figures, computed in SQL: plain dataclasses for files, charts and the GUI.

Nothing here writes files or knows about Qt: the desktop app's Insights view calls
:func:`compute_figures` and draws its own charts from the same numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Date,
    Engine,
    Row,
    String,
    case,
    cast,
    distinct,
    func,
    select,
)
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from app.core.report.database import database_problem
from app.core.report.errors import ReportInputError
from app.core.report.schema import CatalogueItem, UsageRecord
from app.core.timeutil import to_utc
from app.core.usage.batch import EVENT_KINDS, USE_KINDS


@dataclass(frozen=True, slots=True)
class ReportWindow:
    """UTC dates: ``since`` inclusive, ``until`` inclusive (events before until + 1 day)."""

    since: date | None = None
    until: date | None = None

    def __post_init__(self) -> None:
        if self.since and self.until and self.since > self.until:
            raise ReportInputError(
                f"The report window starts ({self.since}) after it ends ({self.until})."
            )

    @property
    def start(self) -> datetime | None:
        return None if self.since is None else to_utc(self.since)

    @property
    def end(self) -> datetime | None:
        return None if self.until is None else to_utc(self.until + timedelta(days=1))

    def describe(self) -> str:
        if self.since and self.until:
            return f"from {self.since} to {self.until} (UTC)"
        if self.since:
            return f"from {self.since} (UTC) on"
        if self.until:
            return f"up to and including {self.until} (UTC)"
        return "all recorded usage"


@dataclass(frozen=True, slots=True)
class ItemUsage:
    item_id: str
    title: str
    version: int | None
    status: str  # current | expired | withdrawn | superseded (an older version) | unknown
    opens: int = 0
    previews: int = 0
    sends: int = 0
    copies: int = 0
    unique_reps: int = 0
    last_used: datetime | None = None
    flags: int = 0
    internal_out: int = 0  # sends and copies of it while it was marked internal

    @property
    def uses(self) -> int:
        """Opens, previews and sends: how the top-items ranking counts."""
        return self.opens + self.previews + self.sends


@dataclass(frozen=True, slots=True)
class UnusedItem:
    item_id: str
    title: str
    version: int
    published_at: datetime


@dataclass(frozen=True, slots=True)
class SearchStat:
    query: str  # normalised
    searches: int
    zero_result_searches: int
    weak_result_searches: int = 0  # the best hit matched fewer than half of the words
    searches_without_open: int = 0  # no open, preview, send or copy followed


@dataclass(frozen=True, slots=True)
class FlagRecord:
    item_id: str | None
    title: str | None
    version: int | None
    reason: str | None
    note: str | None
    rep: str
    time: datetime


@dataclass(frozen=True, slots=True)
class RequestRecord:
    text: str | None
    rep: str
    time: datetime
    account: str | None
    needed_by: str | None


@dataclass(frozen=True, slots=True)
class DailyCount:
    day: date
    kind: str
    events: int


@dataclass(frozen=True, slots=True)
class Headline:
    events: int
    reps_active: int
    catalogue_size: int  # current items
    items_used: int  # current items with at least one use
    items_never_used: int
    searches: int
    zero_result_searches: int
    zero_result_queries: int
    flags: int
    requests: int
    first_event: datetime | None
    last_event: datetime | None
    internal_out: int = 0  # sends and copies of items marked internal (share = "internal")

    @property
    def share_never_used(self) -> float:
        return self.items_never_used / self.catalogue_size if self.catalogue_size else 0.0


@dataclass(frozen=True, slots=True)
class ReportFigures:
    window: ReportWindow
    headline: Headline
    items: list[ItemUsage] = field(default_factory=list)  # most used first
    unused: list[UnusedItem] = field(default_factory=list)  # oldest first
    searches: list[SearchStat] = field(default_factory=list)  # most searched first
    flags: list[FlagRecord] = field(default_factory=list)  # oldest first
    requests: list[RequestRecord] = field(default_factory=list)  # oldest first
    daily: list[DailyCount] = field(default_factory=list)  # by day, then kind
    # item id -> the audiences the hub's catalog aims it at (empty: everyone); from the
    # catalog the report was built with, not from the report database
    audiences: dict[str, list[str]] = field(default_factory=dict)

    def zero_result_queries(self) -> list[SearchStat]:
        """Queries that found nothing at least once, most such searches first."""
        hits = [s for s in self.searches if s.zero_result_searches]
        return sorted(hits, key=lambda s: (-s.zero_result_searches, -s.searches, s.query))


def compute_figures(
    engine: Engine, *, since: date | None = None, until: date | None = None
) -> ReportFigures:
    """Every figure of the report for the window, from the report database."""
    window = ReportWindow(since, until)
    try:
        return _compute(engine, window)
    except (DBAPIError, SQLAlchemyError) as exc:
        raise database_problem(engine, exc) from exc


def _in_window(window: ReportWindow) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    if window.start is not None:
        conds.append(UsageRecord.time >= window.start)
    if window.end is not None:
        conds.append(UsageRecord.time < window.end)
    return conds


def _count_of(kind: str) -> Any:
    return func.coalesce(func.sum(case((UsageRecord.kind == kind, 1), else_=0)), 0)


def _compute(engine: Engine, window: ReportWindow) -> ReportFigures:
    """One step per figure, each a query and the dataclasses made of its rows."""
    when = _in_window(window)
    with engine.connect() as conn:
        catalogue = _catalogue(conn)
        items = _item_usage(conn, when, catalogue)
        unused = _unused_items(conn, when, window)
        searches = _search_stats(conn, when)
        flags = _flag_records(conn, when, catalogue)
        requests = _request_records(conn, when)
        daily = _daily_counts(conn, when, _day(engine))
        totals = conn.execute(
            select(
                func.count(),
                func.count(distinct(UsageRecord.rep)),
                func.min(UsageRecord.time),
                func.max(UsageRecord.time),
            ).where(*when)
        ).one()
    current = [c for c in catalogue.values() if c.status == "current"]
    headline = Headline(
        events=int(totals[0]),
        reps_active=int(totals[1]),
        catalogue_size=len(current),
        items_used=len(current) - len(unused),
        items_never_used=len(unused),
        searches=sum(s.searches for s in searches),
        zero_result_searches=sum(s.zero_result_searches for s in searches),
        zero_result_queries=sum(1 for s in searches if s.zero_result_searches),
        flags=len(flags),
        requests=len(requests),
        first_event=totals[2],
        last_event=totals[3],
        internal_out=sum(i.internal_out for i in items),
    )
    return ReportFigures(window, headline, items, unused, searches, flags, requests, daily)


Where = list[ColumnElement[bool]]
CatalogueRow = Row[str, str, int, str, datetime]  # id, title, version, status, published


def _catalogue(conn: Connection) -> dict[str, CatalogueRow]:
    """The hub's items the report was built with, by id."""
    rows = conn.execute(
        select(
            CatalogueItem.id,
            CatalogueItem.title,
            CatalogueItem.version,
            CatalogueItem.status,
            CatalogueItem.published_at,
        )
    )
    return {row.id: row for row in rows}


def _item_usage(
    conn: Connection, when: Where, catalogue: dict[str, CatalogueRow]
) -> list[ItemUsage]:
    """Uses per item version, and every current item (used or not); most used first."""
    is_use = UsageRecord.kind.in_(USE_KINDS)
    per_item = conn.execute(
        select(
            UsageRecord.item_id,
            _count_of("open"),
            _count_of("preview"),
            _count_of("send"),
            _count_of("copy"),
            func.count(distinct(case((is_use, UsageRecord.rep)))),
            func.max(case((is_use, UsageRecord.time))),
            _count_of("flag"),
            UsageRecord.version,
            func.coalesce(func.sum(case((UsageRecord.internal.is_(True), 1), else_=0)), 0),
        )
        .where(
            UsageRecord.item_id.is_not(None),
            UsageRecord.kind.in_((*USE_KINDS, "flag")),
            *when,
        )
        .group_by(UsageRecord.item_id, UsageRecord.version)  # one row per item version
    ).all()
    items = [_one_item_usage(row, catalogue) for row in per_item]
    seen = {(i.item_id, i.version) for i in items}
    for cat in catalogue.values():
        if cat.status == "current" and (cat.id, int(cat.version)) not in seen:
            items.append(ItemUsage(cat.id, cat.title, int(cat.version), cat.status))
    items.sort(key=lambda i: (-i.uses, -i.copies, -i.flags, i.item_id))
    return items


def _one_item_usage(row: Sequence[Any], catalogue: dict[str, CatalogueRow]) -> ItemUsage:
    item_id, version = str(row[0]), _opt_int(row[8])
    cat = catalogue.get(item_id)
    status = "unknown" if cat is None else cat.status
    if cat is not None and version is not None and version != int(cat.version):
        status = "superseded"
    return ItemUsage(
        item_id=item_id,
        title=cat.title if cat else "",
        version=version,
        status=status,
        opens=int(row[1]),
        previews=int(row[2]),
        sends=int(row[3]),
        copies=int(row[4]),
        unique_reps=int(row[5]),
        last_used=row[6],
        flags=int(row[7]),
        internal_out=int(row[9]),
    )


def _unused_items(conn: Connection, when: Where, window: ReportWindow) -> list[UnusedItem]:
    """Current items nobody used in the window (of those available then); oldest first."""
    used_in_window = (
        select(UsageRecord.item_id)
        .where(UsageRecord.item_id.is_not(None), UsageRecord.kind.in_(USE_KINDS), *when)
        .distinct()
        .scalar_subquery()
    )
    rows = conn.execute(
        select(
            CatalogueItem.id,
            CatalogueItem.title,
            CatalogueItem.version,
            CatalogueItem.published_at,
        ).where(
            CatalogueItem.status == "current",
            CatalogueItem.id.not_in(used_in_window),
            # only items that were available during the period
            *([] if window.end is None else [CatalogueItem.published_at < window.end]),
        )
    ).all()
    return sorted(
        (UnusedItem(r.id, r.title, int(r.version), r.published_at) for r in rows),
        key=lambda u: (u.published_at, u.item_id),
    )


def _search_stats(conn: Connection, when: Where) -> list[SearchStat]:
    """Per normalised query: searches, ones with no or weak results, ones nothing followed."""
    followed = (
        select(UsageRecord.search_id.label("search_id"))
        .where(UsageRecord.kind.in_(USE_KINDS), UsageRecord.search_id.is_not(None))
        .distinct()
        .subquery()
    )
    rows = conn.execute(
        select(
            UsageRecord.query,
            func.count(),
            func.coalesce(func.sum(case((UsageRecord.result_count == 0, 1), else_=0)), 0),
            func.coalesce(func.sum(case((UsageRecord.weak.is_(True), 1), else_=0)), 0),
            func.coalesce(func.sum(case((followed.c.search_id.is_(None), 1), else_=0)), 0),
        )
        .select_from(UsageRecord)
        .outerjoin(followed, followed.c.search_id == UsageRecord.id)
        .where(
            UsageRecord.kind == "search",
            UsageRecord.query.is_not(None),
            UsageRecord.query != "",
            *when,
        )
        .group_by(UsageRecord.query)
    ).all()
    return sorted(
        (SearchStat(str(r[0]), int(r[1]), int(r[2]), int(r[3]), int(r[4])) for r in rows),
        key=lambda s: (-s.searches, s.query),
    )


def _flag_records(
    conn: Connection, when: Where, catalogue: dict[str, CatalogueRow]
) -> list[FlagRecord]:
    rows = conn.execute(
        select(
            UsageRecord.id,
            UsageRecord.item_id,
            UsageRecord.version,
            UsageRecord.reason,
            UsageRecord.note,
            UsageRecord.rep,
            UsageRecord.time,
            UsageRecord.data,
        ).where(UsageRecord.kind == "flag", *when)
    ).all()
    return [
        FlagRecord(
            item_id=r.item_id,
            title=catalogue[r.item_id].title if r.item_id in catalogue else None,
            version=_opt_int(r.version),
            reason=r.reason,
            note=r.note,
            rep=_rep_label(r.rep, r.data),
            time=r.time,
        )
        for r in sorted(rows, key=lambda r: (r.time, r.id))
    ]


def _request_records(conn: Connection, when: Where) -> list[RequestRecord]:
    rows = conn.execute(
        select(
            UsageRecord.id,
            UsageRecord.text,
            UsageRecord.rep,
            UsageRecord.time,
            UsageRecord.account,
            UsageRecord.needed_by,
            UsageRecord.data,
        ).where(UsageRecord.kind == "request", *when)
    ).all()
    return [
        RequestRecord(r.text, _rep_label(r.rep, r.data), r.time, r.account, r.needed_by)
        for r in sorted(rows, key=lambda r: (r.time, r.id))
    ]


def _daily_counts(conn: Connection, when: Where, day: Any) -> list[DailyCount]:
    rows = conn.execute(
        select(day, UsageRecord.kind, func.count()).where(*when).group_by(day, UsageRecord.kind)
    ).all()
    return sorted(
        (DailyCount(_as_date(r[0]), str(r[1]), int(r[2])) for r in rows),
        key=lambda d: (d.day, EVENT_KINDS.index(d.kind) if d.kind in EVENT_KINDS else 99),
    )


def _day(engine: Engine) -> Any:
    """The UTC calendar day of an event, in the database's own dialect."""
    if engine.dialect.name == "sqlite":
        return func.substr(cast(UsageRecord.time, String), 1, 10)
    return cast(UsageRecord.time, Date)


def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _rep_label(rep: str, data: Any) -> str:
    """The rep's name as the batch gave it, else the rep's id (or pseudonym)."""
    name = data.get("rep_name") if isinstance(data, dict) else None
    return str(name) if name else rep


def _opt_int(value: Any) -> int | None:
    return None if value is None else int(value)
