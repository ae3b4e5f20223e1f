"""DOCX writer (python-docx): headings, paragraphs, bullets and tables."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from app.tools.demo_library.common import (
    COMPANY,
    NAVY,
    SLATE,
    Props,
    apply_ooxml_props,
    normalize_ooxml,
)
from app.tools.demo_library.write_pdf import Block

# --------------------------------------------------------------------------- DOCX


# complexity: one branch per block kind of the shared block format (headings, paragraphs,
# bullets, tables, page breaks), as in the PDF writer
def build_docx(path: Path, blocks: Sequence[Block], props: Props) -> None:
    import docx
    from docx.enum.text import WD_BREAK
    from docx.shared import Pt, RGBColor

    d = docx.Document()
    normal = d.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10.5)
    for name, size in (("Title", 24), ("Heading 1", 15), ("Heading 2", 12.5)):
        d.styles[name].font.color.rgb = RGBColor.from_string(NAVY)
        d.styles[name].font.size = Pt(size)
    section = d.sections[0]
    header = section.header.paragraphs[0]
    header.text = f"{COMPANY.upper()}  |  {props.subject or 'Sales collateral'}"
    header.runs[0].font.size = Pt(8)
    header.runs[0].font.color.rgb = RGBColor.from_string(SLATE)

    def add_runs(par: Any, content: str) -> None:
        for i, piece in enumerate(re.split(r"\*\*", content)):
            if piece:
                par.add_run(piece).bold = bool(i % 2)

    for block in blocks:
        kind = block[0]
        if kind == "title":
            d.add_paragraph(block[1], style="Title")
        elif kind == "h1":
            d.add_heading(block[1], level=1)
        elif kind == "h2":
            d.add_heading(block[1], level=2)
        elif kind == "p":
            add_runs(d.add_paragraph(), block[1])
        elif kind == "quote":
            add_runs(d.add_paragraph(style="Intense Quote"), block[1])
        elif kind == "bullets":
            for item in block[1]:
                add_runs(d.add_paragraph(style="List Bullet"), item)
        elif kind == "numbers":
            for item in block[1]:
                add_runs(d.add_paragraph(style="List Number"), item)
        elif kind == "table":
            rows = block[1]
            t = d.add_table(rows=len(rows), cols=len(rows[0]))
            t.style = d.styles["Light Grid Accent 1"]
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    t.cell(r, c).text = str(value)
            d.add_paragraph()
        elif kind == "pagebreak":
            d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        else:
            raise ValueError(f"unknown block {kind!r}")
    apply_ooxml_props(d.core_properties, props)
    d.save(str(path))
    normalize_ooxml(path, props)
