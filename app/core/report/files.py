"""Writing the report's files: all drawn in a scratch folder, then moved into place.

Each file appears whole or not at all; a failure leaves the previous report untouched.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from app.core.report.charts import write_charts
from app.core.report.csv_files import write_csv_files
from app.core.report.errors import ReportInputError
from app.core.report.figures import ReportFigures
from app.core.report.html_page import PageNotes, render_page

INDEX_NAME = "index.html"


def prepare_out_dir(out_dir: Path) -> Path:
    if out_dir.exists() and not out_dir.is_dir():
        raise ReportInputError(f"The report output {out_dir} is a file, not a folder.")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReportInputError(
            f"The report folder {out_dir} cannot be created ({exc.strerror or exc})."
        ) from exc
    return out_dir


def write_report_files(figures: ReportFigures, out_dir: Path, notes: PageNotes) -> list[Path]:
    """CSV files, charts and index.html into ``out_dir``; returns the files written."""
    prepare_out_dir(out_dir)
    try:
        scratch = Path(tempfile.mkdtemp(prefix=".report-", dir=out_dir))
    except OSError as exc:
        raise ReportInputError(
            f"The report folder {out_dir} is not writable ({exc.strerror or exc})."
        ) from exc
    try:
        written = write_csv_files(figures, scratch)
        today = notes.generated_at.date()
        written += list(write_charts(figures, scratch, today).values())
        index = scratch / INDEX_NAME
        index.write_text(render_page(figures, notes), encoding="utf-8")
        written.append(index)
        final = []
        for path in written:
            path.replace(out_dir / path.name)
            final.append(out_dir / path.name)
        return final
    except OSError as exc:
        raise ReportInputError(
            f"The report could not be written to {out_dir} ({exc.strerror or exc})."
        ) from exc
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
