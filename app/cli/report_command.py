"""report: marketing aggregates every rep's uploaded usage into CSV files, charts and HTML."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser(
        "report",
        help="marketing: aggregate every rep's uploaded usage into CSV files, charts and HTML",
        description="Read every usage batch in the hub's inbox into a report database "
        "(only new batches on later runs) and write items.csv, unused.csv, searches.csv, "
        "flags.csv, requests.csv, charts and index.html into DIR.",
    )
    p.add_argument("--hub", required=True, metavar="HUB", help="the hub folder or listable URL")
    p.add_argument("--out", required=True, metavar="DIR", type=Path, help="the report folder")
    p.add_argument(
        "--db",
        metavar="URL",
        help="report database: SQLite file path or URL, or postgresql://user@host/db "
        "(default: DIR/report.db)",
    )
    p.add_argument("--since", metavar="YYYY-MM-DD", help="first day to count (UTC)")
    p.add_argument("--until", metavar="YYYY-MM-DD", help="last day to count (UTC), inclusive")
    p.add_argument("--quiet", action="store_true", help="print only the summary")
    p.set_defaults(handler=cmd_report)


def parse_day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    from app.core.report.errors import ReportInputError  # the report loads only for `report`

    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        raise ReportInputError(
            f"{option} must be a date written YYYY-MM-DD (like 2026-01-31), not {value!r}."
        ) from exc


def cmd_report(args: argparse.Namespace, _home: Path) -> int:
    since = parse_day(args.since, "--since")
    until = parse_day(args.until, "--until")
    live = not args.quiet and sys.stderr.isatty()
    shown = {"any": False}

    def progress(stage: str, done: int, total: int) -> None:
        if live:
            line = f"{stage}… {done}/{total}" if total > 1 else f"{stage}…"
            print("\r" + line.ljust(60), end="", file=sys.stderr, flush=True)
            shown["any"] = True

    from app.core.report import build_report

    try:
        summary = build_report(
            args.hub,
            args.out.expanduser(),
            db_url=args.db,
            since=since,
            until=until,
            progress=progress,
        )
    finally:
        if shown["any"]:
            print(file=sys.stderr)  # end the progress line before any message
    print(summary.text())
    return 0
