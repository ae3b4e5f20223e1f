"""Opening the report database: SQLite (a file) or PostgreSQL, created on first use."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Table, create_engine, event, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.sql.dml import Insert

from app.core.report.errors import ReportDatabaseError
from app.core.report.schema import SCHEMA_VERSION, ReportBase, ReportMeta

DEFAULT_DB_NAME = "report.db"
SUPPORTED = ("sqlite", "postgresql")


def default_db_url(out_dir: Path) -> str:
    return f"sqlite:///{(out_dir / DEFAULT_DB_NAME).resolve()}"


def parse_db_url(db: str) -> URL:
    """An SQLAlchemy URL; a plain path means an SQLite file, ``postgresql://`` uses psycopg 3."""
    if "://" not in db:
        return make_url(f"sqlite:///{Path(db).expanduser().resolve()}")
    try:
        url = make_url(db)
    except ArgumentError as exc:
        raise ReportDatabaseError(f"{db!r} is not a database URL.") from exc
    if url.drivername in ("postgres", "postgresql"):
        url = url.set(drivername="postgresql+psycopg")
    if url.get_backend_name() not in SUPPORTED:
        raise ReportDatabaseError(
            f"The report database must be SQLite or PostgreSQL, not {url.get_backend_name()}."
        )
    return url


def shown_url(url: URL | str) -> str:
    """The URL with any password hidden, for messages."""
    parsed = make_url(url) if isinstance(url, str) else url
    return parsed.render_as_string(hide_password=True)


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    assert isinstance(dbapi_connection, sqlite3.Connection)
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")  # a cache of the inbox: consistent is enough
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def _reason(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    text = str(orig).strip().splitlines()
    return text[0].rstrip(".") if text else type(orig).__name__


def open_report_database(db: str) -> Engine:
    """Open (creating if needed) the report database at URL or SQLite path ``db``."""
    url = parse_db_url(db)
    shown = shown_url(url)
    kwargs: dict[str, Any] = {}
    if url.get_backend_name() == "sqlite":
        database = url.database or ""
        if database and database != ":memory:":
            parent = Path(database).parent
            if not parent.is_dir():
                raise ReportDatabaseError(
                    f"The folder {parent} for the report database does not exist."
                )
    else:
        kwargs["connect_args"] = {"connect_timeout": 10}
    try:
        engine = create_engine(url, **kwargs)
    except (NoSuchModuleError, ModuleNotFoundError) as exc:
        raise ReportDatabaseError(
            f"The database driver for {shown} is not installed (pip install 'psycopg[binary]')."
        ) from exc
    if url.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_on_connect)
    try:
        _prepare_schema(engine)
    except ReportDatabaseError:
        engine.dispose()
        raise
    except (DBAPIError, SQLAlchemyError, OSError) as exc:
        engine.dispose()
        raise ReportDatabaseError(
            f"The report database {shown} cannot be opened ({_reason(exc)})."
        ) from exc
    return engine


def _prepare_schema(engine: Engine) -> None:
    ReportBase.metadata.create_all(engine)
    with engine.begin() as conn:
        row = conn.execute(
            select(ReportMeta.value).where(ReportMeta.key == "schema_version")
        ).first()
        if row is None:
            conn.execute(
                insert_ignoring(engine, ReportMeta.__table__),  # type: ignore[arg-type]
                [{"key": "schema_version", "value": str(SCHEMA_VERSION)}],
            )
        elif int(row[0]) > SCHEMA_VERSION:
            raise ReportDatabaseError(
                f"The report database was written by a newer Satchel (schema {row[0]}); "
                "update Satchel or use another --db."
            )
        elif int(row[0]) < SCHEMA_VERSION:
            if int(row[0]) < 2:  # events loaded before uses carried their search
                conn.execute(text("ALTER TABLE report_events ADD COLUMN search_id VARCHAR(36)"))
                conn.execute(text("ALTER TABLE report_events ADD COLUMN weak BOOLEAN"))
                conn.execute(
                    text("CREATE INDEX ix_report_events_search_id ON report_events (search_id)")
                )
            # 3: events loaded before apps recorded internal sends (none of them did)
            conn.execute(text("ALTER TABLE report_events ADD COLUMN internal BOOLEAN"))
            conn.execute(
                update(ReportMeta)
                .where(ReportMeta.key == "schema_version")
                .values(value=str(SCHEMA_VERSION))
            )


def insert_ignoring(engine: Engine, table: Table) -> Insert:
    """INSERT that silently skips rows whose primary key is already there."""
    if engine.dialect.name == "sqlite":
        return sqlite_insert(table).on_conflict_do_nothing()
    if engine.dialect.name == "postgresql":
        return pg_insert(table).on_conflict_do_nothing()
    raise ReportDatabaseError(
        f"The report database must be SQLite or PostgreSQL, not {engine.dialect.name}."
    )


def database_problem(engine: Engine, exc: BaseException) -> ReportDatabaseError:
    """One sentence for a failure while reading or writing an open report database."""
    return ReportDatabaseError(
        f"The report database {shown_url(engine.url)} failed ({_reason(exc)})."
    )
