"""The peers Satchel is measured against: rsync, bare text extraction, SQLite FTS5, bare Qt.

Each peer does the same job as the Satchel step it stands beside, the plain way:

* :func:`mirror` - ``rsync -a SRC/ DEST/`` (or, where rsync is not installed, a Python copy of
  files whose size or mtime differ, labelled as such);
* :func:`bare_extract_all` - the same document libraries Satchel uses (pypdfium2, python-pptx,
  python-docx, openpyxl) reading every file's text in a process pool of all CPUs, with no
  sandbox, limits, thumbnails, hashing or storing;
* :class:`Fts5Index` - SQLite's FTS5 over the same text (title, description, tags, file name,
  body), porter stemming, bm25 with the same field weights as its rank, ``snippet()`` for
  the top rows only, and a count of the matches.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# ----------------------------------------------------------------------------- copying


@dataclass(slots=True)
class CopyResult:
    seconds: float
    tool: str
    bytes_sent: int | None  # file bytes transferred, when the tool says


def mirror(src: Path, dest: Path) -> CopyResult:
    """Make ``dest`` a copy of ``src`` the way an IT person would: ``rsync -a``."""
    dest.mkdir(parents=True, exist_ok=True)
    rsync = shutil.which("rsync")
    if rsync is None:
        started = time.perf_counter()
        sent = _python_mirror(src, dest)
        return CopyResult(time.perf_counter() - started, "python copy (no rsync here)", sent)
    started = time.perf_counter()
    proc = subprocess.run(
        [rsync, "-a", "--stats", f"{src}/", f"{dest}/"],
        check=True,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    match = re.search(r"Total transferred file size: ([\d,.]+) bytes", proc.stdout)
    copied = int(re.sub(r"[,.]", "", match.group(1))) if match else None
    return CopyResult(seconds, "rsync -a", copied)


def _python_mirror(src: Path, dest: Path) -> int:
    sent = 0
    for root, _dirs, files in os.walk(src):
        out = dest / Path(root).relative_to(src)
        out.mkdir(parents=True, exist_ok=True)
        for name in files:
            a, b = Path(root, name), out / name
            sa = a.stat()
            try:
                sb = b.stat()
                if sb.st_size == sa.st_size and int(sb.st_mtime) == int(sa.st_mtime):
                    continue
            except FileNotFoundError:
                pass
            shutil.copy2(a, b)
            sent += sa.st_size
    return sent


def link_tree(src: Path, dest: Path) -> None:
    """A copy of ``src`` made of hard links (instant); replace files by unlinking them."""
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(src, dest, copy_function=os.link)


def read_all(paths: Iterable[Path]) -> int:
    """Read every file once (puts them in the page cache for both sides alike)."""
    total = 0
    for path in paths:
        with path.open("rb") as fh:
            while chunk := fh.read(1 << 20):
                total += len(chunk)
    return total


# ----------------------------------------------------------------------------- extraction


# complexity: one branch per format, as plain as a peer is
def bare_extract(path_str: str) -> int:
    """Characters of text in one file, read with the raw library; nothing else."""
    path = Path(path_str)
    suffix = path.suffix.lower()
    chars = 0
    if suffix == ".pdf":
        import pypdfium2 as pdfium  # type: ignore[import-untyped]

        pdf = pdfium.PdfDocument(path)
        try:
            for page in pdf:
                textpage = page.get_textpage()
                chars += len(textpage.get_text_bounded())
                textpage.close()
                page.close()
        finally:
            pdf.close()
    elif suffix == ".pptx":
        from pptx import Presentation

        for slide in Presentation(str(path)).slides:
            for shape in slide.shapes:
                if shape.has_text_frame:
                    chars += len(shape.text_frame.text)
                elif getattr(shape, "has_table", False):
                    chars += sum(len(c.text) for row in shape.table.rows for c in row.cells)
            if slide.has_notes_slide:
                chars += len(slide.notes_slide.notes_text_frame.text)
    elif suffix == ".docx":
        from docx import Document

        doc = Document(str(path))
        chars += sum(len(p.text) for p in doc.paragraphs)
        for table in doc.tables:
            for row in table.rows:
                chars += sum(len(c.text) for c in row.cells)
    elif suffix == ".xlsx":
        import openpyxl  # type: ignore[import-untyped]

        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            for ws in wb.worksheets:
                for row in ws.iter_rows(values_only=True):
                    chars += sum(len(str(v)) for v in row if v is not None)
        finally:
            wb.close()
    return chars


def bare_extract_all(paths: Sequence[Path], workers: int) -> tuple[float, int]:
    """Seconds to read the text of every file with ``workers`` processes (spawned, as
    Satchel's pool is); the pool's start-up is counted, as Satchel's is."""
    started = time.perf_counter()
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=ctx) as pool:
        chars = sum(pool.map(bare_extract, [str(p) for p in paths], chunksize=4))
    return time.perf_counter() - started, chars


# ----------------------------------------------------------------------------- FTS5

WEIGHTS = (2.5, 1.2, 1.5, 1.0, 1.0)  # title, description, tags, filename, body (as Satchel)


class Fts5Index:
    """The same documents in an SQLite FTS5 table; queries use the same words, OR-ed.

    Configured as its experts would for a results page: ``rank`` is bm25 with Satchel's field
    weights (so ``ORDER BY rank LIMIT n`` takes FTS5's top-n path), ``snippet()`` is computed
    for those n rows only, and the number of matches is counted, as Satchel's total is.
    """

    def __init__(self, path: Path) -> None:
        path.unlink(missing_ok=True)
        self.db = sqlite3.connect(path)
        self.db.execute(
            "CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, description, tags, "
            "filename, body, tokenize = 'porter unicode61 remove_diacritics 2')"
        )
        self._rank()

    @classmethod
    def open(cls, path: Path) -> Fts5Index:
        """An index built earlier at ``path``."""
        self = cls.__new__(cls)
        self.db = sqlite3.connect(path)
        self._rank()
        return self

    def _rank(self) -> None:
        weights = ", ".join(str(w) for w in WEIGHTS)
        self.db.execute(f"INSERT INTO docs(docs, rank) VALUES ('rank', 'bm25(0, {weights})')")
        self.db.commit()

    def add(self, rows: Iterable[tuple[str, str, str, str, str, str]]) -> int:
        count = 0
        with self.db:
            for row in rows:
                self.db.execute("INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?)", row)
                count += 1
        self.db.execute("INSERT INTO docs(docs) VALUES ('optimize')")
        self.db.commit()
        return count

    @staticmethod
    def match_expr(query: str) -> str:
        """Satchel's plain words are OR-ed and ranked: the same here (prefix ``w*`` kept)."""
        terms = []
        for word in query.split():
            star = word.endswith("*")
            core = re.sub(r"[^\w]", "", word)
            if core:
                terms.append(f'"{core}"' + ("*" if star else ""))
        return " OR ".join(terms)

    def search(self, query: str, limit: int = 10, snippet: bool = True) -> list[Any]:
        """The top ``limit`` rows (id, title, score[, snippet]) and the count of matches
        (appended as the last element of the list: ``("count", n)``)."""
        expr = self.match_expr(query)
        top = "SELECT rowid, rank AS score FROM docs WHERE docs MATCH :q ORDER BY rank LIMIT :n"
        if snippet:
            sql = (
                f"WITH top AS ({top}) SELECT docs.id, docs.title, top.score, "
                "snippet(docs, -1, '[[', ']]', '…', 25) FROM top JOIN docs "
                "ON docs.rowid = top.rowid WHERE docs MATCH :q ORDER BY top.score"
            )
        else:
            sql = f"WITH top AS ({top}) SELECT top.rowid, top.score FROM top"
        rows = self.db.execute(sql, {"q": expr, "n": limit}).fetchall()
        (count,) = self.db.execute(
            "SELECT count(*) FROM docs WHERE docs MATCH ?", (expr,)
        ).fetchone()
        return [*rows, ("count", count)]

    def close(self) -> None:
        self.db.close()
