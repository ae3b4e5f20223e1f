"""The report database: every loaded batch and event, and a snapshot of the catalogue.

It is a cache of the hub's inbox: it can be deleted at any time and rebuilt by the next
report. Tables carry a ``report_`` prefix so a shared PostgreSQL database stays tidy.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from app.core.timeutil import UTCDateTime

SCHEMA_VERSION = 3  # 2: search_id on uses, weak on searches; 3: internal on sends and copies


class ReportBase(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON}


class ReportMeta(ReportBase):
    __tablename__ = "report_meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class LoadedBatch(ReportBase):
    """One batch file that has been loaded completely (its events are all in the table)."""

    __tablename__ = "report_batches"

    batch_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    device_id: Mapped[str] = mapped_column(String(36), index=True)
    rep: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    loaded_at: Mapped[datetime]
    event_count: Mapped[int] = mapped_column(Integer)


class UsageRecord(ReportBase):
    """One recorded event, with the fields the report groups by pulled out of ``data``."""

    __tablename__ = "report_events"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    batch_id: Mapped[str] = mapped_column(String(36))
    device_id: Mapped[str] = mapped_column(String(36))
    rep: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))
    time: Mapped[datetime]
    item_id: Mapped[str | None] = mapped_column(Text, default=None)
    version: Mapped[int | None] = mapped_column(BigInteger, default=None)
    sha256: Mapped[str | None] = mapped_column(Text, default=None)
    query: Mapped[str | None] = mapped_column(Text, default=None)  # normalised
    result_count: Mapped[int | None] = mapped_column(BigInteger, default=None)
    reason: Mapped[str | None] = mapped_column(Text, default=None)
    note: Mapped[str | None] = mapped_column(Text, default=None)
    text: Mapped[str | None] = mapped_column(Text, default=None)
    account: Mapped[str | None] = mapped_column(Text, default=None)
    needed_by: Mapped[str | None] = mapped_column(Text, default=None)
    search_id: Mapped[str | None] = mapped_column(String(36), default=None)  # uses: after which
    weak: Mapped[bool | None] = mapped_column(default=None)  # searches: best hit matched < half
    internal: Mapped[bool | None] = mapped_column(default=None)  # sends, copies: internal item
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)

    # windows on searches, flags and requests; per-item figures scan (cheaper than an index)
    __table_args__ = (
        Index("ix_report_events_kind_time", "kind", "time"),
        Index("ix_report_events_search_id", "search_id"),
    )


class CatalogueItem(ReportBase):
    """The hub's catalogue as of the last report (current and withdrawn items)."""

    __tablename__ = "report_catalogue"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(16))
    published_at: Mapped[datetime]
