"""A plain-text diagnostics report for support: versions, folders, hub, sync and log warnings.

No Qt here: a desktop caller passes its toolkit's version in. What is never included:
document text, event details (notes, search words, recipients), private keys, and the
user name, password or query string of any URL. Each section is gathered on its own, so a
broken database or an unreadable log still leaves the rest of the report.
"""

from __future__ import annotations

import platform
import re
import sys
import urllib.parse
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from app import __version__
from app.core.db import SCHEMA_VERSION, schema_version
from app.core.itconfig import ITConfig, load_it_config
from app.core.library import Library
from app.core.logsetup import LOG_NAME
from app.core.models import Item, UploadBatch
from app.core.timeutil import iso, utcnow
from app.core.usage.journal import pending_event_count

LOG_LINES = 20
_PROBLEM_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:,\d+)? (?:WARNING|ERROR|CRITICAL) ")
_URL = re.compile(r"\b[A-Za-z][A-Za-z0-9+.-]*://[^\s\"'<>]+")
_LABEL_WIDTH = 18


def strip_credentials(text: str) -> str:
    """``text`` with every URL's ``user:password@`` and query string removed."""
    return _URL.sub(lambda m: _clean_url(m.group(0)), text)


def _clean_url(url: str) -> str:
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return "<address hidden>"
    netloc = parts.netloc.rpartition("@")[2]
    query = "…" if parts.query else ""
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, query, ""))


def problem_lines(log_dir: Path, limit: int = LOG_LINES) -> list[str]:
    """The last ``limit`` WARNING/ERROR/CRITICAL lines of the rotating log, oldest first."""
    files = [log_dir / f"{LOG_NAME}.1", log_dir / LOG_NAME]
    kept: deque[str] = deque(maxlen=limit)
    for path in files:
        try:
            with path.open(encoding="utf-8", errors="replace") as fh:
                for line in fh:
                    if _PROBLEM_LINE.match(line):
                        kept.append(strip_credentials(line.rstrip("\r\n")))
        except FileNotFoundError:
            continue
    return list(kept)


def _sync_summary(result: Mapping[str, Any] | None) -> str:
    if not result:
        return "no result recorded"
    if result.get("up_to_date"):
        return f"up to date at catalog serial {result.get('serial')}"

    def count(key: str) -> int:
        value = result.get(key)
        return len(value) if isinstance(value, list) else 0

    return (
        f"catalog serial {result.get('previous_serial')} -> {result.get('serial')}: "
        f"{count('new')} new, {count('updated')} updated, {count('withdrawn')} withdrawn, "
        f"{result.get('files_fetched', 0)} files fetched, {result.get('item_count', 0)} items"
    )


def _python() -> str:
    bits = "64-bit" if sys.maxsize > 2**32 else "32-bit"
    frozen = ", frozen build" if getattr(sys, "frozen", False) else ""
    return f"{platform.python_version()} ({platform.python_implementation()}, {bits}{frozen})"


def _os() -> str:
    return f"{platform.platform()} ({platform.machine() or 'unknown machine'})"


def _library_lines(library: Library, config: ITConfig | None) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []

    def add(label: str, get: Callable[[], str]) -> None:
        rows.append((label, _safe(get)))

    state = library.hub_state()
    add("Database schema", lambda: f"{schema_version(library.engine)} (this app: {SCHEMA_VERSION})")
    add(
        "Hub",
        lambda: strip_credentials(state.location) if state.location else "none configured",
    )
    add("Demo library", lambda: "yes" if state.is_demo else "no")
    add("Catalog serial", lambda: str(state.serial))

    def pinned() -> str:
        key = library.trusted_key()
        return "none pinned" if key is None else key.fingerprint

    add("Pinned key", pinned)
    if config is not None and config.trusted_key:

        def it_key() -> str:
            key = config.public_key()
            return "none" if key is None else key.fingerprint

        add("IT's key", it_key)

    def last_sync() -> str:
        if state.last_sync_at is None:
            return "never"
        return f"{iso(state.last_sync_at)} ({_sync_summary(state.last_result)})"

    add("Last sync", last_sync)

    def items() -> str:
        with library.sessions() as s:
            total = s.scalar(select(func.count()).select_from(Item)) or 0
            current = s.scalar(select(func.count()).where(Item.status == "current")) or 0
        return f"{current} current ({total} in the database)"

    add("Items", items)
    add("Pending events", lambda: f"{pending_event_count(library)} waiting for upload")

    def batches() -> str:
        with library.sessions() as s:
            unsent = s.scalars(select(UploadBatch).where(UploadBatch.uploaded_at.is_(None))).all()
        if not unsent:
            return "none"
        failed = [b for b in unsent if b.last_error]
        text = f"{len(unsent)} not uploaded yet"
        if failed:
            last = max(failed, key=lambda b: b.created_at)
            text += f"; last error: {strip_credentials(str(last.last_error))}"
        return text

    add("Unsent batches", batches)
    return rows


def _config_lines(config: ITConfig | None, problem: str | None) -> list[tuple[str, str]]:
    if problem is not None:
        return [("IT configuration", f"unreadable: {strip_credentials(problem)}")]
    if config is None or not config.sources:
        return [("IT configuration", "none")]
    rows = [("IT configuration", "; ".join(config.sources))]
    if config.locked:
        rows.append(("Locked by IT", ", ".join(sorted(config.locked))))
    if config.hub:
        rows.append(("IT's hub", strip_credentials(config.hub)))
    if config.sync_interval_min is not None:
        rows.append(("IT's sync interval", f"{config.sync_interval_min} min"))
    if config.proxy:
        rows.append(("Proxy", strip_credentials(config.proxy)))
    return rows


def _safe(get: Callable[[], str]) -> str:
    try:
        return get()
    except Exception as exc:  # a diagnostics report must never fail
        return f"unavailable ({_describe(exc)})"


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {strip_credentials(str(exc))[:200]}"


def _format(rows: Iterable[tuple[str, str]]) -> list[str]:
    return [f"{(label + ':').ljust(_LABEL_WIDTH)} {value}" for label, value in rows]


def diagnostics_text(
    home: Path,
    *,
    toolkit: str = "",
    library: Library | None = None,
    it_config: ITConfig | None = None,
    now: datetime | None = None,
) -> str:
    """The report for the library at ``home``.

    ``toolkit``: the GUI toolkit's versions (say ``"PySide6 6.11.3, Qt 6.11.3"``).
    ``library``: the open library; without it, the library database is opened for the
    report if it exists (and closed again). ``it_config``: IT's configuration as loaded;
    without it, it is loaded here.
    """
    log_dir = home / "logs"
    config_problem: str | None = None
    if it_config is None:
        try:
            it_config = load_it_config()
        except Exception as exc:
            config_problem = str(exc)
    lines = [f"Satchel diagnostics, {iso((now or utcnow()).replace(microsecond=0))}", ""]
    lines += _format(
        [
            ("Satchel", __version__),
            ("Python", _python()),
            ("Qt", toolkit or "not loaded"),
            ("Operating system", _os()),
            ("Library folder", str(home)),
            ("Log folder", str(log_dir)),
        ]
    )
    lines += _format(_config_lines(it_config, config_problem))
    own: Library | None = None
    try:
        if library is None and (home / "satchel.db").is_file():
            own = library = Library.open(home)
        if library is None:
            lines += _format([("Library", "no library database yet")])
        else:
            lines += _format(_library_lines(library, it_config))
    except Exception as exc:  # the library cannot be opened: say why, report the rest
        lines += _format([("Library", f"unavailable ({_describe(exc)})")])
    finally:
        if own is not None:
            own.close()
    lines += ["", f"Last {LOG_LINES} warnings and errors in the log:"]
    problems = _safe_lines(lambda: problem_lines(log_dir))
    lines += [f"  {line}" for line in problems] if problems else ["  (none)"]
    return "\n".join(lines) + "\n"


def _safe_lines(get: Callable[[], list[str]]) -> list[str]:
    try:
        return get()
    except Exception as exc:
        return [f"the log cannot be read ({type(exc).__name__}: {exc})"]
