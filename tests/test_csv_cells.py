"""Every CSV Satchel writes keeps hostile text as data (OWASP CSV injection guidance).

A cell ``Deck;=cmd|' /C calc'!A0`` used to be written unquoted: a spreadsheet whose list
separator is ``;`` splits it there and runs the second half as a formula. Now every text
cell is quoted, numbers stay bare, and text that starts with a formula trigger (after any
leading white space) gets a leading apostrophe. Checked on the report's files and on
``usage export``, as raw text and as a ``;`` spreadsheet would read the lines.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from app.core.csv_cells import FORMULA_START, safe_cell, write_rows
from app.core.hub import normalise_location, open_inbox
from app.core.library import Library
from app.core.report.build import build_report
from app.core.usage.journal import Journal
from app.core.usage.upload import upload_pending
from tests.helpers.collateral import make_docx, make_text
from tests.helpers.hubs import publish_folder, sync_home

SPLIT = "Deck;=cmd|' /C calc'!A0"
HOSTILE = [
    SPLIT,
    '=HYPERLINK("http://x","click")',
    "+1+2",
    "-2+3",
    "@SUM(A1)",
    "\t=1+1",
    "\r=1+1",
    "   =1+1",
    "\u00a0 @x",
    "Deck, with comma",
    'Deck "quoted"',
]


def raw(path: Path) -> str:
    """A CSV file's text with its CR LF record ends kept."""
    return path.read_bytes().decode("utf-8")


def semicolon_cells(line: str) -> list[str]:
    """A line as a spreadsheet with ``;`` as its list separator reads it: split at ``;``
    outside double quotes (a quote toggles quoting), quotes removed."""
    cells, current, quoted = [], [], False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif char == ";" and not quoted:
            cells.append("".join(current))
            current = []
        else:
            current.append(char)
    cells.append("".join(current))
    return cells


def assert_defused(text: str) -> None:
    """No line of ``text`` (after its header) holds a cell a spreadsheet would evaluate,
    read with ``,`` or with ``;`` as the separator."""
    rows = list(csv.reader(io.StringIO(text)))
    for row in rows[1:]:
        for cell in row:
            assert not cell.lstrip().startswith(FORMULA_START), (cell, row)
    lines = text.split("\r\n")[1:-1]  # the writer ends records with CR LF
    assert len(lines) == len(rows) - 1
    for line in lines:
        cells = semicolon_cells(line)
        assert len(cells) == 1, line  # every ; is inside a quoted text cell
        assert not cells[0].lstrip().startswith(FORMULA_START), line


def test_write_rows_quotes_text_and_keeps_numbers() -> None:
    out = io.StringIO(newline="")
    write_rows(out, ("text", "n", "none"), [(value, 7, None) for value in HOSTILE])
    text = out.getvalue()
    assert text.splitlines()[0] == "text,n,none"  # the header stays bare
    assert f'"\'{SPLIT}"' not in text and f'"{SPLIT}",7,""' in text
    assert_defused(text)
    rows = list(csv.reader(io.StringIO(text)))[1:]
    assert [r[0] for r in rows] == [str(safe_cell(v)) for v in HOSTILE]
    assert rows[0][0] == SPLIT  # quoted, not prefixed: it does not start a formula
    assert rows[1][0].startswith("'=HYPERLINK")
    assert rows[7][0] == "'   =1+1" and rows[5][0] == "'\t=1+1"
    assert all(r[1] == "7" and r[2] == "" for r in rows)


def test_safe_cell() -> None:
    assert safe_cell(None) == "" and safe_cell(3) == 3 and safe_cell(2.5) == 2.5
    assert safe_cell("Deck") == "Deck" and safe_cell("") == ""
    assert safe_cell("=1") == "'=1" and safe_cell(" \t-1") == "' \t-1"


@pytest.fixture
def hostile_library(tmp_path: Path, signing_key: tuple[Path, Path]) -> tuple[Path, Path]:
    """A hub with an item titled like a formula, and a rep who flagged and requested things
    in hostile words, uploaded to the hub's inbox."""
    key, pub = signing_key
    src, hub, home = tmp_path / "src", tmp_path / "hub", tmp_path / "home"
    make_docx(src / "Offer.docx", ["Our offer"], title=SPLIT)
    make_docx(src / "Sum.docx", ["Sums"], title="=1+2")
    make_text(src / "faq.txt", "Battery lasts nine days.")
    publish_folder(src, hub, key)
    sync_home(home, hub, pub)
    with Library.open(home) as lib:
        journal = Journal(lib)
        offer = next(i for i in lib.items() if i.filename == "Offer.docx")
        journal.record("open", item=offer, data={"how": "test"})
        journal.flag(offer, "other", SPLIT)
        journal.flag(offer, "outdated", "@SUM(A1) is wrong")
        journal.request("-case study for hospitals", account="+Klinikum")
        journal.search("=cmd|' /C calc'!A0", 0)
        upload_pending(lib, open_inbox(normalise_location(str(hub))))
    return home, hub


def test_report_csv_files_are_defused(hostile_library: tuple[Path, Path], tmp_path: Path) -> None:
    _home, hub = hostile_library
    out = tmp_path / "report"
    build_report(str(hub), out)
    for name in ("items.csv", "unused.csv", "searches.csv", "flags.csv", "requests.csv"):
        assert_defused(raw(out / name))
    items = raw(out / "items.csv")
    assert f'"{SPLIT}"' in items and '"\'=1+2"' in items
    assert items.splitlines()[0].startswith("item_id,title,version,opens")
    flags = list(csv.DictReader(io.StringIO(raw(out / "flags.csv"))))
    assert {f["note"] for f in flags} == {SPLIT, "'@SUM(A1) is wrong"}
    assert all(f["version"] == "1" for f in flags)
    requests = list(csv.DictReader(io.StringIO(raw(out / "requests.csv"))))
    assert requests[0]["text"] == "'-case study for hospitals"
    assert requests[0]["account"] == "'+Klinikum"
    # numbers stay numbers: bare in the file
    offer_row = next(line for line in items.splitlines() if SPLIT in line)
    assert ",1,1," in offer_row  # version 1, one open


def test_usage_export_is_defused(hostile_library: tuple[Path, Path], tmp_path: Path) -> None:
    home, _hub = hostile_library
    out = tmp_path / "mine.csv"
    with Library.open(home) as lib:
        count = Journal(lib).export_csv(out)
    text = raw(out)
    assert count == 5 and len(list(csv.reader(io.StringIO(text)))) == 6
    assert text.startswith("id,time,kind,item_id,version,sha256,rep,details,uploaded\r\n")
    assert_defused(text)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["kind"] for r in rows} == {"open", "flag", "request", "search"}
    assert all(r["uploaded"] == "yes" for r in rows)
    assert any(SPLIT in r["details"] for r in rows)
