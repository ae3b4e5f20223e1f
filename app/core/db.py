"""Opening the library database: SQLite in WAL mode, with ordered schema migrations."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

from app.core.errors import SatchelError
from app.core.models import Base

# Each migration brings the schema from version i to i + 1. Append, never edit.
Migration = Callable[[Engine], None]


def _v1_initial(engine: Engine) -> None:
    Base.metadata.create_all(engine)


def _v2_owned_files(engine: Engine) -> None:
    """The list of files Satchel owns in the library, seeded from what a library of an
    earlier version references: its items' files and blobs, and the adopted index."""
    Base.metadata.create_all(engine)  # adds owned_files
    with engine.begin() as conn:
        rows = conn.execute(text("SELECT sha256, filename, text_sha256, thumb_sha256 FROM items"))
        owned: set[str] = set()
        for sha, filename, text_sha, thumb_sha in rows:
            owned.add(f"files/{sha[:2]}/{sha}/{filename}")
            owned.update(f"blobs/{b[:2]}/{b}" for b in (text_sha, thumb_sha) if b)
        manifest = conn.execute(text("SELECT value FROM meta WHERE key = 'index_manifest'")).first()
        if manifest and manifest[0]:
            owned.add(f"blobs/{manifest[0][:2]}/{manifest[0]}")
        for path in owned:
            conn.execute(text("INSERT OR IGNORE INTO owned_files(path) VALUES (:p)"), {"p": path})


def _v3_item_share(engine: Engine) -> None:
    """Items say whether they may be shared ("internal" or "external"). Rows written before
    the column are external until the next sync, which re-reads the verified catalog (the
    "sync complete" mark is dropped so that even an unchanged catalog is read again)."""
    with engine.begin() as conn:
        columns = {row[1] for row in conn.execute(text("PRAGMA table_info(items)"))}
        if "share" not in columns:
            conn.execute(
                text("ALTER TABLE items ADD COLUMN share VARCHAR(16) NOT NULL DEFAULT 'external'")
            )
        conn.execute(text("DELETE FROM meta WHERE key = 'sync_complete'"))


def _v4_item_rendition(engine: Engine) -> None:
    """Items may have a PDF rendition (an office file's preview), fetched like thumbnails.
    The next sync reads the catalog again (a catalog synced by an earlier version may name
    renditions it neither fetched nor recorded)."""
    with engine.begin() as conn:
        columns = {row[1] for row in conn.execute(text("PRAGMA table_info(items)"))}
        if "rendition_sha256" not in columns:
            conn.execute(text("ALTER TABLE items ADD COLUMN rendition_sha256 VARCHAR(64)"))
        conn.execute(text("DELETE FROM meta WHERE key = 'sync_complete'"))


MIGRATIONS: list[Migration] = [
    _v1_initial,
    _v2_owned_files,
    _v3_item_share,
    _v4_item_rendition,
]
SCHEMA_VERSION = len(MIGRATIONS)


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    assert isinstance(dbapi_connection, sqlite3.Connection)
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")  # an event committed survives a power cut
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


def open_database(path: Path) -> tuple[Engine, sessionmaker[Session]]:
    """Open (creating or upgrading) the library database at ``path``."""
    engine = create_engine(f"sqlite:///{path}", future=True)
    event.listen(engine, "connect", _on_connect)
    try:
        migrate(engine)
    except SatchelError:
        engine.dispose()
        raise
    except Exception as exc:
        engine.dispose()
        raise SatchelError(f"The library database {path} cannot be opened: {exc}.") from exc
    return engine, sessionmaker(engine, expire_on_commit=False)


def schema_version(engine: Engine) -> int:
    with engine.connect() as conn:
        has_meta = conn.execute(
            text("SELECT name FROM sqlite_master WHERE type='table' AND name='meta'")
        ).first()
        if not has_meta:
            return 0
        row = conn.execute(text("SELECT value FROM meta WHERE key='schema_version'")).first()
        return int(row[0]) if row else 0


def migrate(engine: Engine) -> None:
    current = schema_version(engine)
    if current > SCHEMA_VERSION:
        raise SatchelError(
            f"This library was written by a newer Satchel (schema {current}); "
            f"please update the app (it knows schema {SCHEMA_VERSION})."
        )
    for number in range(current, SCHEMA_VERSION):
        MIGRATIONS[number](engine)
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO meta(key, value) VALUES ('schema_version', :v) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value"
                ),
                {"v": str(number + 1)},
            )
