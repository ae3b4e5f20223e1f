"""The library database: the truth from which the search index and caches are rebuilt."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from app.core.timeutil import UTCDateTime


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON}


class Item(Base):
    """One piece of collateral as the current catalog describes it."""

    __tablename__ = "items"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(16))
    filename: Mapped[str] = mapped_column(Text)
    tags: Mapped[dict[str, Any]] = mapped_column(default=dict)
    owner: Mapped[str | None] = mapped_column(Text, default=None)
    status: Mapped[str] = mapped_column(String(16), default="current")  # current | withdrawn
    version: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    text_sha256: Mapped[str | None] = mapped_column(String(64), default=None)
    thumb_sha256: Mapped[str | None] = mapped_column(String(64), default=None)
    rendition_sha256: Mapped[str | None] = mapped_column(String(64), default=None)  # its PDF
    searchable: Mapped[bool] = mapped_column(default=True)
    unsearchable_reason: Mapped[str | None] = mapped_column(Text, default=None)
    page_count: Mapped[int | None] = mapped_column(Integer, default=None)
    published_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    expires_at: Mapped[datetime | None] = mapped_column(default=None)
    # serial of the catalog that first brought this item / last changed its content
    first_serial: Mapped[int] = mapped_column(Integer)
    changed_serial: Mapped[int] = mapped_column(Integer)
    withdrawn_at: Mapped[datetime | None] = mapped_column(default=None)
    # "internal" (for the rep's eyes only) or "external" (shareable), as the catalog signs it
    share: Mapped[str] = mapped_column(String(16), default="external", server_default="external")

    versions: Mapped[list[ItemVersion]] = relationship(
        back_populates="item",
        cascade="all, delete-orphan",
        order_by="ItemVersion.version",
    )


class ItemVersion(Base):
    """One published version of an item (the history reps can see)."""

    __tablename__ = "item_versions"

    item_id: Mapped[str] = mapped_column(ForeignKey("items.id"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    published_at: Mapped[datetime]
    change_note: Mapped[str] = mapped_column(Text, default="")

    item: Mapped[Item] = relationship(back_populates="versions")


class HubState(Base):
    """Which hub this library follows, whose key it trusts and how far it got (one row)."""

    __tablename__ = "hub_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, default=1)
    location: Mapped[str | None] = mapped_column(Text, default=None)
    public_key: Mapped[str | None] = mapped_column(Text, default=None)  # PEM
    is_demo: Mapped[bool] = mapped_column(default=False)
    serial: Mapped[int] = mapped_column(Integer, default=0)
    catalog_sha256: Mapped[str | None] = mapped_column(String(64), default=None)
    catalog_created_at: Mapped[datetime | None] = mapped_column(default=None)
    last_sync_at: Mapped[datetime | None] = mapped_column(default=None)
    previous_sync_at: Mapped[datetime | None] = mapped_column(default=None)
    last_result: Mapped[dict[str, Any] | None] = mapped_column(default=None)


class Event(Base):
    """A usage event (open, preview, send, copy, search, flag, request). Append-only.

    ``rep`` is who the rep was when it happened (their e-mail or name); pseudonymisation is
    applied when events are packed into an upload batch, never to the local journal.
    """

    __tablename__ = "events"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    time: Mapped[datetime]
    rep: Mapped[str] = mapped_column(Text, default="")
    item_id: Mapped[str | None] = mapped_column(String(80), default=None)
    version: Mapped[int | None] = mapped_column(Integer, default=None)
    sha256: Mapped[str | None] = mapped_column(String(64), default=None)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    batch_id: Mapped[str | None] = mapped_column(String(36), default=None)

    __table_args__ = (Index("ix_events_batch", "batch_id"), Index("ix_events_item", "item_id"))


class UploadBatch(Base):
    """A batch of events packed for upload; its bytes are frozen so retries are identical."""

    __tablename__ = "upload_batches"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    created_at: Mapped[datetime]
    event_count: Mapped[int] = mapped_column(Integer)
    payload: Mapped[bytes]
    uploaded_at: Mapped[datetime | None] = mapped_column(default=None)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)


class Favourite(Base):
    """An item the rep starred."""

    __tablename__ = "favourites"

    item_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    added_at: Mapped[datetime]


class Kit(Base):
    """A named collection a rep builds per account or meeting ("Klinikum kick-off")."""

    __tablename__ = "kits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(Text, unique=True)
    created_at: Mapped[datetime]
    entries: Mapped[list[KitEntry]] = relationship(
        cascade="all, delete-orphan", order_by="KitEntry.position"
    )


class KitEntry(Base):
    __tablename__ = "kit_entries"

    kit_id: Mapped[int] = mapped_column(ForeignKey("kits.id"), primary_key=True)
    item_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Meta(Base):
    """Key/value facts about the database itself (schema version, device id, index state)."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class OwnedFile(Base):
    """A file Satchel put (or is about to put) into the library, by its path relative to the
    library folder ('/'-separated). Cleaning up deletes only files listed here: anything
    else found in the library's folders belongs to somebody else and is left alone."""

    __tablename__ = "owned_files"

    path: Mapped[str] = mapped_column(Text, primary_key=True)
