"""The report's CSV files. The first columns of each are a contract; extras come after.

Reps and the hub can put anything in a title, note, query or request, so every text cell is
quoted and one that a spreadsheet would run as a formula gets a leading apostrophe (see
:mod:`app.core.csv_cells`); numbers stay numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from app.core.csv_cells import Cell, write_rows
from app.core.report.figures import ReportFigures
from app.core.timeutil import iso

ITEMS_COLUMNS = (
    "item_id", "title", "version", "opens", "previews", "sends", "unique_reps", "last_used",
    "flags", "copies", "status", "audiences", "internal_sent",
)  # fmt: skip
AUDIENCES_COLUMNS = (
    "audience", "items", "items_used", "opens", "previews", "sends", "copies", "flags",
)  # fmt: skip
EVERYONE = "(everyone)"  # the row for items aimed at no audience in particular
UNUSED_COLUMNS = ("item_id", "title", "version", "published_at")
SEARCHES_COLUMNS = (
    "query", "searches", "zero_result_searches", "weak_result_searches", "searches_without_open",
)  # fmt: skip
FLAGS_COLUMNS = ("item_id", "version", "reason", "note", "rep", "time", "title")
REQUESTS_COLUMNS = ("text", "rep", "time", "account", "needed_by")

CSV_FILES = (
    "items.csv", "unused.csv", "searches.csv", "flags.csv", "requests.csv", "audiences.csv",
)  # fmt: skip


def write_csv(path: Path, columns: Sequence[str], rows: Iterable[Sequence[Cell]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        write_rows(fh, columns, rows)


def write_csv_files(figures: ReportFigures, folder: Path) -> list[Path]:
    """Write the CSV files into ``folder``; returns their paths."""
    write_csv(
        folder / "items.csv",
        ITEMS_COLUMNS,
        (
            (
                i.item_id,
                i.title,
                i.version,
                i.opens,
                i.previews,
                i.sends,
                i.unique_reps,
                iso(i.last_used),
                i.flags,
                i.copies,
                i.status,
                "; ".join(figures.audiences.get(i.item_id, [])),
                i.internal_out,
            )
            for i in figures.items
        ),
    )
    write_csv(
        folder / "unused.csv",
        UNUSED_COLUMNS,
        ((u.item_id, u.title, u.version, iso(u.published_at)) for u in figures.unused),
    )
    write_csv(
        folder / "searches.csv",
        SEARCHES_COLUMNS,
        (
            (
                s.query,
                s.searches,
                s.zero_result_searches,
                s.weak_result_searches,
                s.searches_without_open,
            )
            for s in figures.searches
        ),
    )
    write_csv(
        folder / "flags.csv",
        FLAGS_COLUMNS,
        (
            (f.item_id, f.version, f.reason, f.note, f.rep, iso(f.time), f.title)
            for f in figures.flags
        ),
    )
    write_csv(
        folder / "requests.csv",
        REQUESTS_COLUMNS,
        ((r.text, r.rep, iso(r.time), r.account, r.needed_by) for r in figures.requests),
    )
    write_csv(folder / "audiences.csv", AUDIENCES_COLUMNS, audience_rows(figures))
    return [folder / name for name in CSV_FILES]


def audience_rows(figures: ReportFigures) -> list[tuple[Cell, ...]]:
    """Usage broken down by audience: each item (every version's row) counts under each of
    its audiences as the hub's catalog names them now, items aimed at nobody in particular
    under ``(everyone)``; an item aimed at two audiences counts in both rows."""
    totals: dict[str, list[int]] = {}
    items: dict[str, set[str]] = {}
    used: dict[str, set[str]] = {}
    for i in figures.items:
        for audience in figures.audiences.get(i.item_id) or [EVERYONE]:
            row = totals.setdefault(audience, [0, 0, 0, 0, 0])
            for n, value in enumerate((i.opens, i.previews, i.sends, i.copies, i.flags)):
                row[n] += value
            items.setdefault(audience, set()).add(i.item_id)
            if i.uses or i.copies:
                used.setdefault(audience, set()).add(i.item_id)
    return [
        (audience, len(items[audience]), len(used.get(audience, ())), *row)
        for audience, row in sorted(totals.items(), key=lambda kv: (kv[0] != EVERYONE, kv[0]))
    ]
