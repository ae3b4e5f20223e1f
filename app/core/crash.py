"""Crash reports: an error Satchel did not expect is written down, never lost.

``write_crash_report`` puts the traceback and the diagnostics report
(:mod:`app.core.diagnostics`) into ``<home>/logs/crash-YYYYmmdd-HHMMSS.txt`` and logs the
traceback. No Qt here; the desktop app installs the hooks and shows the dialog.
"""

from __future__ import annotations

import logging
import os
import traceback
from datetime import datetime
from pathlib import Path
from types import TracebackType

from app import __version__
from app.core.diagnostics import diagnostics_text, strip_credentials
from app.core.library import Library

log = logging.getLogger(__name__)

CRASH_PREFIX = "crash-"


def crash_report_text(
    exc_type: type[BaseException],
    exc: BaseException,
    tb: TracebackType | None,
    diagnostics: str,
    *,
    when: datetime,
) -> str:
    trace = "".join(traceback.format_exception(exc_type, exc, tb))
    return (
        f"Satchel {__version__} crash report, {when:%Y-%m-%d %H:%M:%S %z}".rstrip() + "\n\n"
        f"{strip_credentials(trace)}\n{diagnostics}"
    )


def _free_path(log_dir: Path, when: datetime) -> Path:
    stem = f"{CRASH_PREFIX}{when:%Y%m%d-%H%M%S}"
    path = log_dir / f"{stem}.txt"
    n = 2
    while path.exists():  # two crashes in one second keep both reports
        path = log_dir / f"{stem}-{n}.txt"
        n += 1
    return path


def write_crash_report(
    home: Path,
    exc_type: type[BaseException],
    exc: BaseException,
    tb: TracebackType | None,
    *,
    toolkit: str = "",
    library: Library | None = None,
    now: datetime | None = None,
) -> Path:
    """Write the crash report for the library at ``home``; returns its path.

    The traceback also goes to the log. Raises OSError when the report cannot be written
    (the log still has the traceback).
    """
    when = now or datetime.now().astimezone()
    log.critical(
        "unexpected error (%s); writing a crash report",
        exc_type.__name__,
        exc_info=(exc_type, exc, tb),
    )
    log_dir = home / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    diagnostics = diagnostics_text(home, toolkit=toolkit, library=library)
    text = crash_report_text(exc_type, exc, tb, diagnostics, when=when)
    path = _free_path(log_dir, when)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    except OSError:
        tmp.unlink(missing_ok=True)
        log.exception("the crash report could not be written to %s", path)
        raise
    log.error("crash report written to %s", path)
    return path
