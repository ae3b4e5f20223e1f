"""XLSX writer (openpyxl): sheets of rows with widths and number formats."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.tools.demo_library.common import NAVY, SLATE, Props, normalize_ooxml

# --------------------------------------------------------------------------- XLSX


@dataclass
class Sheet:
    name: str
    rows: Sequence[Sequence[Any]]
    widths: Sequence[float] = ()
    header_row: int = 1  # 1-based row that gets the header style (0 = none)
    title_rows: int = 0  # leading rows styled as a sheet heading
    formats: dict[str, str] = field(default_factory=dict)  # column letter -> number format
    freeze: str | None = None
    input_cells: Sequence[str] = ()  # highlighted as editable inputs


# complexity: one branch per cell style a sheet may ask for (header, money, percent, widths,
# freeze panes); kept in one writer so every workbook of the demo is styled the same way
def build_xlsx(path: Path, sheets: Sequence[Sheet], props: Props) -> None:
    from openpyxl import Workbook  # type: ignore[import-untyped]
    from openpyxl.styles import Alignment, Font, PatternFill  # type: ignore[import-untyped]
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

    wb = Workbook()
    wb.remove(wb.active)
    head_fill = PatternFill("solid", fgColor=NAVY)
    input_fill = PatternFill("solid", fgColor="FFF4D6")
    for spec in sheets:
        ws = wb.create_sheet(spec.name)
        for row in spec.rows:
            ws.append(list(row))
        for i, w in enumerate(spec.widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = w
        for r in range(1, spec.title_rows + 1):
            for cell in ws[r]:
                cell.font = Font(bold=(r == 1), size=14 if r == 1 else 10,
                                 color=NAVY if r == 1 else SLATE)
        if spec.header_row:
            for cell in ws[spec.header_row]:
                if cell.value is not None:
                    cell.font = Font(bold=True, color="FFFFFF")
                    cell.fill = head_fill
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        for col, fmt in spec.formats.items():
            for cell in ws[col]:
                if isinstance(cell.value, (int, float)) or (
                        isinstance(cell.value, str) and cell.value.startswith("=")):
                    cell.number_format = fmt
        for ref in spec.input_cells:
            ws[ref].fill = input_fill
            ws[ref].font = Font(bold=True, color="7A4B00")
        if spec.freeze:
            ws.freeze_panes = spec.freeze
    p = wb.properties
    p.title = props.title or None
    p.creator = props.author or None
    p.lastModifiedBy = props.author or None
    p.subject = props.subject or None
    p.keywords = props.keywords or None
    p.created = props.created
    p.modified = props.modified
    wb.save(str(path))
    normalize_ooxml(path, props)
