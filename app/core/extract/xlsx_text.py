"""XLSX text with openpyxl (read_only, data_only: cached formula results, never formulas).

One Segment per sheet that has cell text, loc = the sheet's position among all sheets
(1-based, chartsheets included, as the tabs show them; empty sheets and chartsheets get no
segment). Each segment starts with the sheet name, then
one line per row, cells separated by tabs. At most MAX_CELLS non-empty cells are read per
workbook (and MAX_VISITED cells in all, empty ones included), so a sheet claiming a million
rows cannot keep a worker busy; the character budget also stops reading.
openpyxl's UserWarnings about unsupported extensions are silenced here, locally.
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .budget import TextBudget
from .errors import Unreadable, corrupt
from .ooxml_guard import open_checked_zip
from .ooxml_meta import core_title
from .thumbnails import ooxml_thumbnail
from .types import Extraction, Segment

__all__ = ["MAX_CELLS", "MAX_VISITED", "extract_xlsx"]

MAX_CELLS = 200_000
MAX_VISITED = 2_000_000


def extract_xlsx(path: Path, budget: TextBudget, *, thumbnail: bool = True) -> Extraction:
    import openpyxl  # type: ignore[import-untyped]

    with open_checked_zip(path, "xlsx") as zf:
        title = core_title(zf)
        thumb = ooxml_thumbnail(zf) if thumbnail else None
    # The file handle is ours so that it is closed even when openpyxl fails half-way.
    with warnings.catch_warnings(), path.open("rb") as fh:
        warnings.simplefilter("ignore")
        try:
            workbook = openpyxl.load_workbook(
                fh, read_only=True, data_only=True, keep_links=False, keep_vba=False
            )
        except Exception as exc:
            raise Unreadable(corrupt("xlsx")) from exc
        try:
            return _read_workbook(workbook, budget, title, thumb)
        finally:
            workbook.close()


def _read_workbook(
    workbook: Any, budget: TextBudget, title: str | None, thumb: bytes | None
) -> Extraction:
    names = list(workbook.sheetnames)
    result = Extraction(kind="xlsx", title=title, page_count=len(names), thumbnail_png=thumb)
    counter = _CellCounter()
    for index, name in enumerate(names, start=1):
        if budget.exhausted or counter.full:
            break
        try:
            sheet = workbook[name]
        except Exception as exc:
            raise Unreadable(corrupt("xlsx")) from exc
        if not hasattr(sheet, "iter_rows"):
            continue  # a chartsheet: no cells
        if hasattr(sheet, "reset_dimensions"):
            sheet.reset_dimensions()  # trust the cells, not a declared A1:XFD1048576
        lines = _sheet_lines(sheet.iter_rows(values_only=True), counter, budget)
        if lines:
            text = budget.take("\n".join([str(name), *lines]))
            result.segments.append(Segment(index, text))
    return result


class _CellCounter:
    def __init__(self) -> None:
        self.cells = 0
        self.visited = 0

    @property
    def full(self) -> bool:
        return self.cells >= MAX_CELLS or self.visited >= MAX_VISITED


def _sheet_lines(
    rows: Iterable[tuple[Any, ...]], counter: _CellCounter, budget: TextBudget
) -> list[str]:
    lines: list[str] = []
    size = 0
    for row in rows:
        counter.visited += len(row) + 1
        values = [text for text in (_cell_text(v) for v in row) if text]
        counter.cells += len(values)
        if values:
            line = "\t".join(values)
            lines.append(line)
            size += len(line) + 1
        if counter.full or size > budget.remaining:
            break
    return lines


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="seconds").removesuffix(" 00:00:00")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()
