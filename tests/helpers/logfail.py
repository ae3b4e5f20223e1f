"""Fail a test on any log record at WARNING or above that the test did not declare.

Like qutebrowser's ``logfail``: a warning nobody expected is a bug, or at least news. A test
that expects one says so, either with the marker

    @pytest.mark.expect_log(r"regex on the message", logger="app.core.x", level="WARNING")

(repeatable; ``logger`` matches that logger and its children, ``level`` is the lowest level
the declaration covers) or by capturing at that level with ``caplog.at_level(...)`` /
``caplog.set_level(...)``, which shows the test looks at the records itself.

Records are collected from every thread and judged when the test ends, so a warning logged
in a worker thread fails the test as surely as one on the test's own thread.
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass

from _pytest.logging import LogCaptureHandler

LEVEL = logging.WARNING


@dataclass(frozen=True)
class Expected:
    """One declared record: message regex (searched), logger prefix, lowest level."""

    match: str = ""
    logger: str = ""
    level: int = LEVEL

    def covers(self, record: logging.LogRecord) -> bool:
        if record.levelno < self.level:
            return False
        if self.logger and not (
            record.name == self.logger or record.name.startswith(self.logger + ".")
        ):
            return False
        return re.search(self.match, record.getMessage()) is not None


def expected_from_marker(args: tuple[object, ...], kwargs: dict[str, object]) -> Expected:
    match = str(args[0]) if args else str(kwargs.get("match", ""))
    level = kwargs.get("level", LEVEL)
    if isinstance(level, str):
        level = logging.getLevelName(level.upper())
    if not isinstance(level, int):
        raise TypeError(f"expect_log level must be a level name or number, not {level!r}")
    return Expected(match=match, logger=str(kwargs.get("logger", "")), level=level)


def _caplog_wants(record: logging.LogRecord) -> bool:
    """True while a test captures at this record's level (``caplog.at_level``/``set_level``)."""
    for handler in logging.getLogger().handlers:
        if (
            isinstance(handler, LogCaptureHandler)
            and handler.level != logging.NOTSET
            and handler.level <= record.levelno
        ):
            return True
    return False


class LogFailHandler(logging.Handler):
    """Keeps every unexpected record at WARNING or above; the fixture fails the test on them."""

    def __init__(self, expected: list[Expected]) -> None:
        super().__init__(LEVEL)
        self._expected = expected
        self._lock_unexpected = threading.Lock()
        self.unexpected: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if _caplog_wants(record) or any(e.covers(record) for e in self._expected):
            return
        with self._lock_unexpected:
            self.unexpected.append(record)

    def report(self) -> str:
        with self._lock_unexpected:
            records = list(self.unexpected)
        lines = [
            f"{r.levelname} {r.name}: {r.getMessage()}"
            + (f" [{r.exc_info[0].__name__}]" if r.exc_info and r.exc_info[0] else "")
            for r in records
        ]
        return (
            "unexpected log records (declare them with @pytest.mark.expect_log(...) "
            "or caplog.at_level(...)):\n  " + "\n  ".join(lines)
        )
