"""CSV files Satchel writes for people to open in a spreadsheet: cells that stay data.

Titles, notes, queries and requests come from the hub and from reps, so a cell must never
run as a formula or spill into the next column (OWASP's CSV injection guidance):

* every text cell is quoted (``csv.QUOTE_NONNUMERIC``); numbers stay bare numbers. A quoted
  ``Deck;=cmd|' /C calc'!A0`` stays one cell even in a spreadsheet whose list separator is
  ``;`` (an unquoted one is split there, and its second half runs as a formula);
* a text cell that starts - after any leading white space - with ``=``, ``+``, ``-``,
  ``@``, a tab or a carriage return gets a leading apostrophe, so a spreadsheet shows it
  as text instead of evaluating it.

The header row is written bare (its names are fixed identifiers), so ``head -1`` still
reads ``item_id,title,...``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from typing import IO

Cell = str | int | float | None
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Cell) -> str | int | float:
    """A cell as written: numbers unchanged, None empty, text defused (see module doc)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return value
    if value.startswith(FORMULA_START) or value.lstrip().startswith(FORMULA_START):
        return "'" + value
    return value


def write_rows(fh: IO[str], columns: Sequence[str], rows: Iterable[Sequence[Cell]]) -> int:
    """Write a header and ``rows`` to ``fh`` (opened with ``newline=""``); returns how many
    rows were written."""
    csv.writer(fh).writerow(columns)
    writer = csv.writer(fh, quoting=csv.QUOTE_NONNUMERIC)
    count = 0
    for row in rows:
        writer.writerow([safe_cell(c) for c in row])
        count += 1
    return count
