#!/usr/bin/env python3
"""Generate Satchel's bundled demo collateral library under ``resources/demo/``.

The demo company is *Northwind Medical* (fictional): patient-monitoring devices
(VitalWatch V3 bedside monitor, VitalWatch Go wearable sensor) and a SaaS platform
(CareCloud) sold to hospitals, clinics and elder-care homes in DACH, the Nordics,
UK&I and North America. All text is original and all names are invented.

Output (committed, so the app never needs this script at run time):

* ``resources/demo/library/``  - the current collateral, one ``satchel.toml`` per folder
* ``resources/demo/previous/`` - the earlier version of the one versioned item

The output is deterministic: fixed document dates, fixed ZIP timestamps for the
Office formats, ReportLab's invariant mode for PDFs, no randomness.

Usage::

    .venv/bin/python tests/tools/make_demo_library.py          # generate + check
    .venv/bin/python tests/tools/make_demo_library.py --check  # only check

Needs python-pptx, python-docx, openpyxl, Pillow, reportlab (generate) and
pypdfium2 (check).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import re
import shutil
import sys
import tomllib
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "resources" / "demo"
LIBRARY = DEMO / "library"
PREVIOUS = DEMO / "previous"

COMPANY = "Northwind Medical"
DOMAIN = "northwind-medical.example"

NAVY = "1B3A5C"
TEAL = "1FA3A3"
CORAL = "F26B5B"
SAND = "F4F1EA"
SLATE = "5F6B7A"
PALE = "E8F4F4"

ZIP_TIME = (2026, 1, 15, 9, 0, 0)


def mail(box: str) -> str:
    return f"{box}@{DOMAIN}"


# --------------------------------------------------------------------------- props


@dataclass(frozen=True)
class Props:
    """Document core properties. Empty title => the app falls back to the file name."""

    title: str = ""
    author: str = ""
    subject: str = ""
    keywords: str = ""
    modified: dt.datetime = dt.datetime(2026, 1, 12, 9, 0, 0)
    created: dt.datetime = dt.datetime(2025, 11, 3, 8, 30, 0)


def _apply_ooxml_props(cp: Any, props: Props) -> None:
    cp.title = props.title
    cp.author = props.author
    cp.last_modified_by = props.author
    cp.subject = props.subject
    cp.keywords = props.keywords
    cp.comments = ""
    cp.category = ""
    cp.created = props.created
    cp.modified = props.modified
    cp.revision = 1


def normalize_ooxml(path: Path, props: Props) -> None:
    """Rewrite an OOXML zip with fixed member timestamps and a fixed modified date."""
    stamp = props.modified.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(path) as zin:
        entries = [(info.filename, zin.read(info.filename)) for info in zin.infolist()]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in entries:
            if name == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + stamp + rb"\g<2>",
                    data,
                )
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zout.writestr(info, data)
    path.write_bytes(buf.getvalue())


# --------------------------------------------------------------------------- PDF

# A page is a list of blocks; every page starts on a new sheet, and the builder
# asserts that no page overflows, so "fact X is on page N" stays true.
Block = tuple[Any, ...]


def _esc(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", text)


def build_pdf(
    path: Path, pages: Sequence[Sequence[Block]], props: Props, label: str, code: str
) -> None:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_LEFT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        BaseDocTemplate,
        Frame,
        PageBreak,
        PageTemplate,
        Paragraph,
        Spacer,
        Table,
        TableStyle,
    )

    navy, teal, coral = (colors.HexColor("#" + c) for c in (NAVY, TEAL, CORAL))
    slate, pale, sand = (colors.HexColor("#" + c) for c in (SLATE, PALE, SAND))
    width, height = A4
    stamp = props.modified.strftime("D:%Y%m%d%H%M%S+00'00'")

    base = ParagraphStyle("base", fontName="Helvetica", fontSize=9.6, leading=13.4,
                          alignment=TA_LEFT, spaceAfter=5, textColor=colors.HexColor("#222B36"))
    st = {
        "kicker": ParagraphStyle("kicker", parent=base, fontName="Helvetica-Bold", fontSize=8.5,
                                 textColor=teal, spaceAfter=2),
        "h1": ParagraphStyle("h1", parent=base, fontName="Helvetica-Bold", fontSize=19,
                             leading=23, textColor=navy, spaceAfter=8),
        "h2": ParagraphStyle("h2", parent=base, fontName="Helvetica-Bold", fontSize=12.5,
                             leading=16, textColor=navy, spaceBefore=7, spaceAfter=4),
        "p": base,
        "lead": ParagraphStyle("lead", parent=base, fontSize=11, leading=15.5,
                               textColor=colors.HexColor("#33414F")),
        "bullet": ParagraphStyle("bullet", parent=base, leftIndent=12, bulletIndent=2,
                                 spaceAfter=2.5),
        "quote": ParagraphStyle("quote", parent=base, fontName="Helvetica-Oblique",
                                fontSize=11, leading=15.5, textColor=navy, leftIndent=10),
        "who": ParagraphStyle("who", parent=base, fontSize=8.5, textColor=slate, leftIndent=10),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.6, leading=11, spaceAfter=0),
        "cellh": ParagraphStyle("cellh", parent=base, fontName="Helvetica-Bold", fontSize=8.6,
                                leading=11, spaceAfter=0, textColor=colors.white),
        "kpi": ParagraphStyle("kpi", parent=base, fontName="Helvetica-Bold", fontSize=20,
                              leading=24, textColor=coral, spaceAfter=0),
        "kpil": ParagraphStyle("kpil", parent=base, fontSize=8.4, leading=10.5,
                               textColor=slate, spaceAfter=0),
        "small": ParagraphStyle("small", parent=base, fontSize=7.8, leading=10, textColor=slate),
    }
    frame_w = width - 40 * mm

    def flow(block: Block) -> list[Any]:
        kind = block[0]
        if kind in ("kicker", "h1", "h2", "p", "lead", "small"):
            return [Paragraph(_esc(block[1]), st[kind])]
        if kind == "bullets":
            return [Paragraph(_esc(b), st["bullet"], bulletText="\u2022") for b in block[1]]
        if kind == "space":
            return [Spacer(1, block[1] * mm)]
        if kind == "quote":
            return [Spacer(1, 2 * mm), Paragraph(_esc("\u201c" + block[1] + "\u201d"), st["quote"]),
                    Paragraph(_esc("\u2014 " + block[2]), st["who"])]
        if kind == "table":
            rows = block[1]
            widths = block[2] if len(block) > 2 else None
            data = [[Paragraph(_esc(str(c)), st["cellh" if r == 0 else "cell"]) for c in row]
                    for r, row in enumerate(rows)]
            if widths:
                widths = [frame_w * w for w in widths]
            t = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
            t.setStyle(TableStyle([
                ("BACKGROUND", (0, 0), (-1, 0), navy),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, pale]),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor("#C9D3DD")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 3.2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3.2),
            ]))
            return [Spacer(1, 1.5 * mm), t, Spacer(1, 3 * mm)]
        if kind == "kpis":
            top = [Paragraph(_esc(v), st["kpi"]) for v, _ in block[1]]
            bottom = [Paragraph(_esc(lbl), st["kpil"]) for _, lbl in block[1]]
            n = len(block[1])
            t = Table([top, bottom], colWidths=[frame_w / n] * n, hAlign="LEFT")
            t.setStyle(TableStyle([
                ("BACKGROUND", (0, 0), (-1, -1), sand),
                ("LINEAFTER", (0, 0), (-2, -1), 2, colors.white),
                ("TOPPADDING", (0, 0), (-1, 0), 7),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 8),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]))
            return [Spacer(1, 2 * mm), t, Spacer(1, 4 * mm)]
        if kind == "box":  # titled call-out box
            inner = [Paragraph(_esc(block[1]), st["h2"])]
            inner += [Paragraph(_esc(b), st["bullet"], bulletText="\u2022") for b in block[2]]
            t = Table([[inner]], colWidths=[frame_w], hAlign="LEFT")
            t.setStyle(TableStyle([
                ("BACKGROUND", (0, 0), (-1, -1), pale),
                ("LINEBEFORE", (0, 0), (0, -1), 3, teal),
                ("LEFTPADDING", (0, 0), (-1, -1), 10),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]))
            return [Spacer(1, 2 * mm), t, Spacer(1, 3 * mm)]
        raise ValueError(f"unknown block {kind!r}")

    def decorate(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setDateFormatter(lambda *_: stamp)
        canvas.setFillColor(navy)
        canvas.rect(0, height - 22 * mm, width, 22 * mm, stroke=0, fill=1)
        canvas.setFillColor(teal)
        canvas.rect(0, height - 23.5 * mm, width, 1.5 * mm, stroke=0, fill=1)
        canvas.setFillColor(colors.white)
        canvas.circle(24 * mm, height - 11 * mm, 4 * mm, stroke=0, fill=1)
        canvas.setFillColor(teal)
        canvas.circle(24 * mm, height - 11 * mm, 2.2 * mm, stroke=0, fill=1)
        canvas.setFillColor(colors.white)
        canvas.setFont("Helvetica-Bold", 12)
        canvas.drawString(31 * mm, height - 12.8 * mm, "NORTHWIND MEDICAL")
        canvas.setFont("Helvetica", 9)
        canvas.drawRightString(width - 20 * mm, height - 12.5 * mm, label.upper())
        canvas.setFillColor(slate)
        canvas.setFont("Helvetica", 7.5)
        canvas.drawString(20 * mm, 11 * mm, f"{COMPANY}  |  {DOMAIN}  |  {code}")
        canvas.drawRightString(width - 20 * mm, 11 * mm, f"Page {doc.page}")
        canvas.restoreState()

    doc = BaseDocTemplate(
        str(path), pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm,
        topMargin=32 * mm, bottomMargin=20 * mm, title=props.title, author=props.author,
        subject=props.subject, keywords=props.keywords,
        creator=f"{COMPANY} Marketing" if props.author else "", invariant=1,
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=decorate)])
    story: list[Any] = []
    for i, page in enumerate(pages):
        if i:
            story.append(PageBreak())
        for block in page:
            story.extend(flow(block))
    doc.build(story)
    if doc.page != len(pages):
        raise RuntimeError(f"{path.name}: {len(pages)} pages planned, {doc.page} produced")


# --------------------------------------------------------------------------- PPTX


@dataclass
class Slide:
    title: str
    bullets: Sequence[str | tuple[int, str]] = ()
    notes: str = ""
    subtitle: str = ""  # title slide only (first slide)
    table: Sequence[Sequence[str]] | None = None
    kpis: Sequence[tuple[str, str]] = ()
    kicker: str = ""
    widths: Sequence[float] = ()  # relative table column widths; default from text length


def _lines(text: str, width_in: float, size: float) -> int:
    """Rough line count for text of a font size in a box (about 130/size chars per inch)."""
    per_line = max(1, int(width_in * 130 / size))
    return sum(max(1, -(-len(part) // per_line)) for part in text.split("\n"))


def _bullets_height(lines: Sequence[str | tuple[int, str]], size: float) -> float:
    total = 0.1
    for line in lines:
        level, content = line if isinstance(line, tuple) else (0, line)
        s = size - 3 * level
        total += _lines("\u2022 " + content, 11.6 - 0.4 * level, s) * s * 1.2 / 72 + 6 / 72
    return total


def build_pptx(path: Path, slides: Sequence[Slide], props: Props, footer: str) -> None:
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Inches, Pt

    def rgb(hexstr: str) -> RGBColor:
        return RGBColor.from_string(hexstr)

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)

    def rect(slide: Any, x: float, y: float, w: float, h: float, color: str,
             shape: Any = MSO_SHAPE.RECTANGLE) -> Any:
        s = slide.shapes.add_shape(shape, Inches(x), Inches(y), Inches(w), Inches(h))
        s.fill.solid()
        s.fill.fore_color.rgb = rgb(color)
        s.line.fill.background()
        s.shadow.inherit = False
        return s

    def to_back(*shapes: Any) -> None:
        tree = shapes[0]._element.getparent()
        for shape in reversed(shapes):  # keep their relative order, behind placeholders
            tree.remove(shape._element)
            tree.insert(2, shape._element)

    def text(slide: Any, x: float, y: float, w: float, h: float, lines: Iterable[Any],
             size: int = 18, color: str = "222B36", bold: bool = False,
             bullets: bool = True) -> Any:
        box = slide.shapes.add_textbox(Inches(x), Inches(y), Inches(w), Inches(h))
        tf = box.text_frame
        tf.word_wrap = True
        first = True
        for line in lines:
            level, content = (line if isinstance(line, tuple) else (0, line))
            para = tf.paragraphs[0] if first else tf.add_paragraph()
            first = False
            para.level = level
            bullet = "\u2022 " if level == 0 else "\u2013 "
            run = para.add_run()
            run.text = (bullet if bullets else "") + content
            run.font.size = Pt(size - 3 * level)
            run.font.bold = bold
            run.font.color.rgb = rgb(color if level == 0 else "44515E")
            para.space_after = Pt(6)
        return box

    total = len(slides)
    for n, spec in enumerate(slides, start=1):
        if n == 1:
            slide = prs.slides.add_slide(prs.slide_layouts[0])
            to_back(rect(slide, 0, 0, 13.333, 7.5, NAVY),
                    rect(slide, 0, 5.2, 13.333, 0.12, TEAL),
                    rect(slide, 11.2, 0.6, 1.2, 1.2, TEAL, MSO_SHAPE.OVAL),
                    rect(slide, 11.5, 0.9, 0.6, 0.6, NAVY, MSO_SHAPE.OVAL))
            title = slide.shapes.title
            title.left, title.top, title.width, title.height = (
                Inches(0.8), Inches(2.0), Inches(10.5), Inches(2.0))
            title.text = spec.title
            for p in title.text_frame.paragraphs:
                for r in p.runs:
                    r.font.size = Pt(40)
                    r.font.bold = True
                    r.font.color.rgb = rgb("FFFFFF")
            sub = slide.placeholders[1]
            sub.left, sub.top, sub.width, sub.height = (
                Inches(0.8), Inches(4.1), Inches(10.5), Inches(1.0))
            sub.text = spec.subtitle
            for p in sub.text_frame.paragraphs:
                for r in p.runs:
                    r.font.size = Pt(20)
                    r.font.color.rgb = rgb("CFE9E9")
            text(slide, 0.8, 5.6, 10, 0.6, [f"{COMPANY}  |  {footer}"], size=14, color="FFFFFF",
                 bullets=False)
        else:
            slide = prs.slides.add_slide(prs.slide_layouts[5])
            rect(slide, 0, 0, 0.25, 7.5, NAVY)
            rect(slide, 0.25, 0, 0.06, 7.5, TEAL)
            title = slide.shapes.title
            title.left, title.top, title.width, title.height = (
                Inches(0.7), Inches(0.35), Inches(11.8), Inches(1.0))
            title.text = spec.title
            for p in title.text_frame.paragraphs:
                p.alignment = PP_ALIGN.LEFT
                for r in p.runs:
                    r.font.size = Pt(30)
                    r.font.bold = True
                    r.font.color.rgb = rgb(NAVY)
            top = 1.5
            if spec.kicker:
                text(slide, 0.7, 1.2, 11.8, 0.5, [spec.kicker], size=18, color=TEAL, bold=True,
                     bullets=False)
                top = 1.8
            if spec.kpis:
                k = len(spec.kpis)
                w = (11.8 - 0.3 * (k - 1)) / k
                for i, (value, label) in enumerate(spec.kpis):
                    x = 0.7 + i * (w + 0.3)
                    card = rect(slide, x, top, w, 1.55, SAND, MSO_SHAPE.ROUNDED_RECTANGLE)
                    tf = card.text_frame
                    tf.word_wrap = True
                    tf.paragraphs[0].text = value
                    tf.paragraphs[0].alignment = PP_ALIGN.CENTER
                    tf.paragraphs[0].runs[0].font.size = Pt(36)
                    tf.paragraphs[0].runs[0].font.bold = True
                    tf.paragraphs[0].runs[0].font.color.rgb = rgb(CORAL)
                    p2 = tf.add_paragraph()
                    p2.text = label
                    p2.alignment = PP_ALIGN.CENTER
                    p2.runs[0].font.size = Pt(16)
                    p2.runs[0].font.color.rgb = rgb(SLATE)
                top += 1.85
            bottom = 6.85
            table_size, bullet_size, col_w, row_h = 14.0, 20.0, [11.8], [0.0]
            if spec.table:
                cols = len(spec.table[0])
                weights = list(spec.widths) or [
                    max(6, min(40, max(len(row[c]) for row in spec.table))) for c in range(cols)]
                col_w = [11.8 * w / sum(weights) for w in weights]
            fitted = False
            for table_size, bullet_size in ((18, 24), (16, 22), (16, 20), (14, 20), (14, 18),
                                            (13, 18), (13, 16), (12, 16), (12, 14), (11, 14)):
                row_h = [max(_lines(cell, w - 0.2, table_size)
                             for cell, w in zip(row, col_w, strict=True))
                         * table_size * 1.2 / 72 + 0.12 for row in (spec.table or [])]
                needed = (sum(row_h) + 0.3 if spec.table else 0) + (
                    _bullets_height(spec.bullets, bullet_size) if spec.bullets else 0)
                if top + needed <= bottom:
                    fitted = True
                    break
            if not fitted:
                raise RuntimeError(f"{path.name} slide {n}: content does not fit")
            if spec.table:
                rows, cols = len(spec.table), len(spec.table[0])
                shape = slide.shapes.add_table(rows, cols, Inches(0.7), Inches(top),
                                               Inches(11.8), Inches(sum(row_h)))
                tbl = shape.table
                for c, w in enumerate(col_w):
                    tbl.columns[c].width = Inches(w)
                for r, row in enumerate(spec.table):
                    tbl.rows[r].height = Inches(row_h[r])
                    for c, value in enumerate(row):
                        cell = tbl.cell(r, c)
                        cell.text = value
                        for p in cell.text_frame.paragraphs:
                            for run in p.runs:
                                run.font.size = Pt(table_size)
                                if r == 0:
                                    run.font.bold = True
                top += sum(row_h) + 0.3
            if spec.bullets:
                text(slide, 0.7, top, 11.8, bottom - top, spec.bullets, size=int(bullet_size))
            text(slide, 0.7, 6.95, 9, 0.4, [f"{COMPANY}  |  {footer}"], size=10, color=SLATE,
                 bullets=False)
            text(slide, 11.9, 6.95, 1.0, 0.4, [f"{n} / {total}"], size=10, color=SLATE,
                 bullets=False)
        if spec.notes:
            slide.notes_slide.notes_text_frame.text = spec.notes
    _apply_ooxml_props(prs.core_properties, props)
    prs.save(str(path))
    normalize_ooxml(path, props)


# --------------------------------------------------------------------------- DOCX


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
    _apply_ooxml_props(d.core_properties, props)
    d.save(str(path))
    normalize_ooxml(path, props)


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


def build_xlsx(path: Path, sheets: Sequence[Sheet], props: Props) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

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


# --------------------------------------------------------------------------- PNG


def build_png(path: Path) -> None:
    from PIL import Image, ImageDraw, ImageFont

    def font(size: int) -> Any:
        try:
            return ImageFont.load_default(size=size)
        except TypeError:  # Pillow < 10.1
            return ImageFont.load_default()

    def c(hexstr: str) -> tuple[int, int, int]:
        return tuple(int(hexstr[i:i + 2], 16) for i in (0, 2, 4))  # type: ignore[return-value]

    img = Image.new("RGB", (1200, 675), c(SAND))
    d = ImageDraw.Draw(img)
    d.rectangle((0, 0, 1200, 90), fill=c(NAVY))
    d.rectangle((0, 90, 1200, 98), fill=c(TEAL))
    d.ellipse((40, 22, 86, 68), fill=(255, 255, 255))
    d.ellipse((52, 34, 74, 56), fill=c(TEAL))
    d.text((104, 28), "NORTHWIND MEDICAL  |  VitalWatch product family", font=font(30),
           fill=(255, 255, 255))
    # VitalWatch V3 bedside monitor
    d.rounded_rectangle((90, 170, 470, 440), radius=22, fill=c(NAVY))
    d.rectangle((115, 195, 445, 390), fill=(14, 26, 40))
    wave = [(125 + i * 10, 300 - (40 if i % 8 == 4 else (-25 if i % 8 == 5 else 0)))
            for i in range(32)]
    d.line(wave, fill=c(TEAL), width=4)
    d.text((130, 205), "HR 72   SpO2 97%", font=font(24), fill=c(TEAL))
    d.rectangle((250, 440, 310, 500), fill=c(SLATE))
    d.rounded_rectangle((180, 500, 380, 520), radius=8, fill=c(SLATE))
    d.text((90, 560), "VitalWatch V3", font=font(30), fill=c(NAVY))
    d.text((90, 600), "Bedside monitor for wards and step-down units", font=font(18),
           fill=c(SLATE))
    # VitalWatch Go wearable
    d.rounded_rectangle((600, 250, 760, 420), radius=60, fill=(255, 255, 255),
                        outline=c(TEAL), width=8)
    d.ellipse((650, 305, 710, 365), fill=c(CORAL))
    d.text((560, 560), "VitalWatch Go", font=font(30), fill=c(NAVY))
    d.text((560, 600), "Wearable sensor, 7-day battery", font=font(18), fill=c(SLATE))
    # CareCloud
    d.ellipse((880, 230, 1010, 340), fill=c(TEAL))
    d.ellipse((960, 200, 1110, 330), fill=c(TEAL))
    d.rectangle((920, 290, 1080, 340), fill=c(TEAL))
    d.rounded_rectangle((930, 360, 1060, 450), radius=10, fill=c(NAVY))
    d.text((880, 560), "CareCloud", font=font(30), fill=c(NAVY))
    d.text((880, 600), "Central station, alerts, insights", font=font(18), fill=c(SLATE))
    img.save(path, format="PNG", optimize=True)


# --------------------------------------------------------------------------- TOML


def _toml_value(value: Any) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(type(value))


KEY_ORDER = ("id", "title", "description", "tags", "owner", "expires", "change_note")


def write_sidecar(folder: Path, comment: str, defaults: dict[str, Any] | None,
                  items: dict[str, dict[str, Any]]) -> None:
    lines = [f"# {line}".rstrip() for line in comment.strip().splitlines()] + [""]
    if defaults:
        lines.append("[defaults]")
        lines += [f"{k} = {_toml_value(v)}" for k, v in defaults.items()]
        lines.append("")
    for name, meta in items.items():
        lines.append(f"[{_toml_value(name)}]")
        for key in KEY_ORDER:
            if key in meta:
                lines.append(f"{key} = {_toml_value(meta[key])}")
        unknown = set(meta) - set(KEY_ORDER) - {"build"}
        if unknown:
            raise KeyError(f"{name}: unknown keys {unknown}")
        lines.append("")
    path = folder / "satchel.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    tomllib.loads(path.read_text(encoding="utf-8"))  # must round-trip


# =========================================================================== content
# Everything below is the demo company's collateral. Names, numbers, customers and
# competitors are invented. Facts referenced by README.md examples are marked "# FACT".

CS_PROPS = dict(author="Northwind Medical Marketing")


def pdf_case_sankt_anna(path: Path) -> None:
    pages = [
        [
            ("kicker", "CASE STUDY  |  HOSPITALS  |  GERMANY"),
            ("h1", "Klinikum Sankt Anna cuts non-actionable alarms by 41 percent"),
            ("lead", "How a 620-bed teaching hospital in Freiburg im Breisgau replaced ageing "
                     "central stations with VitalWatch V3 and CareCloud, and gave its nurses "
                     "quieter, safer wards."),
            ("kpis", [("41%", "fewer non-actionable alarms per bed-day"),
                      ("51 s", "median response to critical alarms (was 94 s)"),
                      ("-18%", "unplanned ICU transfers from monitored wards"),
                      ("26 min", "documentation time saved per nurse and shift")]),
            ("h2", "At a glance"),
            ("table", [["Item", "Details"],
                       ["Customer", "Klinikum Sankt Anna, Freiburg im Breisgau "
                                    "(Baden-Württemberg)"],
                       ["Organisation", "Non-profit teaching hospital, 620 beds, 2,900 staff"],
                       ["Scope", "14 general and step-down wards: 212 VitalWatch V3 monitors, "
                                 "180 VitalWatch Go wearable sensors"],
                       ["Platform", "CareCloud Professional, hosted in EU-Central (Frankfurt)"],
                       ["Go-live", "October 2024, after a 16-week phased rollout"]],
             [0.22, 0.78]),
            ("h2", "The challenge"),
            ("p", "By 2023 the monitors on Sankt Anna's general wards were eleven years old. The "
                  "central stations ran on an unsupported operating system, spare parts came from "
                  "a shrinking second-hand market, and every ward had its own alarm settings, most "
                  "of them still factory defaults. On the 32-bed cardiology step-down unit, nurses "
                  "counted more than 180 alarms per bed per day; fewer than one in ten led to a "
                  "clinical action."),
            ("p", "The IT department set two firm conditions for any replacement: patient data "
                  "had to stay in the EU, and the new system had to feed the existing electronic "
                  "health record without yet another interface engine. The works council added a "
                  "third: no tracking of individual nurses."),
            ("quote", "We were not short of data. We were drowning in noise, and the one alarm "
                      "that mattered sounded exactly like the forty that did not.",
             "Dr. Katharina Vogel, Chief Medical Officer, Klinikum Sankt Anna"),
        ],
        [
            ("h2", "Why Sankt Anna chose Northwind"),
            ("bullets", [
                "**One alarm philosophy, hospital-wide.** CareCloud holds alarm profiles "
                "centrally, "
                "so a threshold agreed by the alarm committee reaches every bedside the same day.",
                "**Alarms that find the right nurse.** Escalations go to the assigned nurse's DECT "
                "handset first, then to the charge nurse after 60 seconds, never to the whole "
                "ward.",
                "**Early warning built in.** NEWS2 is calculated automatically from monitor "
                "readings, so deterioration shows up as a trend rather than a single beep.",
                "**EU hosting and a standard EHR interface.** CareCloud's Frankfurt region and its "
                "FHIR R4 interface met both IT conditions without custom development.",
                "**A partner for the works council.** Northwind's clinical team explained the role "
                "model in two sessions with the Betriebsrat before the pilot started.",
            ]),
            ("h2", "A 16-week phased rollout"),
            ("table", [["Weeks", "Milestone", "Led by"],
                       ["1-3", "Alarm committee formed; baseline alarm data captured for 3 weeks",
                        "Sankt Anna nursing directorate"],
                       ["4-6", "Interfaces live: ADT feed in, FHIR Observations out to the EHR",
                        "Sankt Anna IT, Northwind integration team"],
                       ["7-8", "Pilot on cardiology step-down (32 beds) with revised alarm "
                               "profiles",
                        "Ward manager, Northwind clinical specialist"],
                       ["9-14", "Ward-by-ward rollout, two wards per week, 38 super-users trained",
                        "Super-users, Northwind trainers"],
                       ["15-16", "Hypercare, alarm profile fine-tuning, handover to hospital "
                                 "support",
                        "Joint project board"]],
             [0.12, 0.56, 0.32]),
            ("h2", "Working with the works council"),
            ("p", "The final works agreement limits CareCloud analytics to ward level. Reports on "
                  "response times are aggregated per shift and ward; individual response-time "
                  "reports are switched off in the tenant configuration, and the audit log is only "
                  "reviewed for patient-safety investigations. Northwind provided the data-flow "
                  "diagrams and the role matrix that the agreement now references."),
            ("h2", "Integration in brief"),
            ("p", "Admissions, transfers and discharges arrive through the hospital's HL7 ADT "
                  "feed, "
                  "so nurses never type a patient name into a monitor. Validated vital signs are "
                  "written back to the EHR as FHIR R4 Observations every five minutes, and alarm "
                  "messages reach the existing DECT handsets through the hospital's messaging "
                  "gateway. No additional interface engine was required."),
        ],
        [
            ("h2", "Results after twelve months"),
            ("p", "Sankt Anna compared the twelve months before go-live (October 2023 to September "
                  "2024) with the first twelve months on VitalWatch and CareCloud (October 2024 to "
                  "September 2025) across the 14 monitored wards."),
            ("table", [["Measure", "Before", "After", "Change"],
                       ["Non-actionable alarms per bed-day", "187", "110", "-41%"],
                       ["Median time to respond to a critical alarm", "94 s", "51 s", "-46%"],
                       ["Unplanned ICU transfers per 1,000 admissions", "22", "18", "-18%"],
                       ["Cardiac arrest calls on monitored wards", "31", "24", "-23%"],
                       ["Nurse documentation time per shift", "58 min", "32 min", "-26 min"]],
             [0.52, 0.16, 0.16, 0.16]),
            ("p", "The largest single gain came from the SpO2 alarm delay: a 15-second delay on "
                  "low-saturation alarms, agreed by the alarm committee after the pilot, removed "
                  "roughly a third of all alarms on its own. Lead-off alarms fell once electrodes "
                  "were changed daily at the morning wash rather than when they failed."),
            ("quote", "Night shifts are different now. The ward is quieter, and when the phone in "
                      "my pocket vibrates, I know it is worth getting up for.",
             "Thomas Brenner, Director of Nursing, Klinikum Sankt Anna"),
            ("h2", "What comes next"),
            ("bullets", [
                "A six-month pilot of VitalWatch Go in the emergency department waiting area, "
                "starting in spring 2026.",
                "CareCloud Insights for ward-level staffing: matching night-shift cover to the "
                "measured acuity of each ward.",
                "Sharing alarm profiles with two partner hospitals in the region.",
            ]),
            ("small", "Figures reported by Klinikum Sankt Anna and reproduced with permission. "
                      "Results depend on local practice and are not a guarantee of performance. "
                      "Reference calls can be arranged through your Northwind account manager."),
        ],
    ]
    build_pdf(path, pages, Props(title="Case study: Klinikum Sankt Anna, Freiburg",
                                 subject="Hospital case study, DACH", **CS_PROPS,
                                 modified=dt.datetime(2025, 11, 20, 10, 0)),
              "Case study", "NWM-CS-011 | Approved for external use")


def pdf_case_lindgarden(path: Path) -> None:
    pages = [
        [
            ("kicker", "CASE STUDY  |  CLINICS  |  SWEDEN"),
            ("h1", "Lindgården Vårdcentral brings the ward home"),
            ("lead", "A primary-care clinic in Uppsala uses VitalWatch Go and CareCloud Remote to "
                     "watch over patients with COPD and heart failure between visits, and to step "
                     "in before a bad week turns into an ambulance ride."),
            ("kpis", [("32%", "fewer emergency visits among enrolled patients"),
                      ("27%", "fewer unplanned district-nurse home visits"),
                      ("4.6 / 5", "patient satisfaction with the programme")]),
            ("h2", "At a glance"),
            ("table", [["Item", "Details"],
                       ["Customer", "Lindgården Vårdcentral, Uppsala, Sweden"],
                       ["Organisation", "Public primary-care clinic: 11,400 listed patients, 9 "
                                        "GPs, "
                                        "14 district nurses"],
                       ["Programme", "140 patients with COPD or chronic heart failure, enrolled "
                                     "after a hospital stay or a GP referral"],
                       ["Products", "VitalWatch Go, CareCloud Remote with patient app in Swedish, "
                                    "Arabic and English"],
                       ["Hosting", "CareCloud EU-North region (Stockholm)"]],
             [0.22, 0.78]),
            ("h2", "The challenge"),
            ("p", "Lindgården's catchment area stretches from the city centre to farms forty "
                  "minutes north. District nurses spent a third of their working day in the car, "
                  "and exacerbations were usually spotted only when a patient phoned in, or did "
                  "not "
                  "phone at all. One in five COPD patients in the area was readmitted within "
                  "thirty "
                  "days of leaving hospital."),
            ("p", "The clinic wanted a service its nurses could run alongside normal appointments: "
                  "no new night duty, no separate call centre, and nothing that required patients "
                  "to be comfortable with technology."),
        ],
        [
            ("h2", "How COPD home monitoring works at Lindgården"),  # FACT
            ("bullets", [
                "Patients wear the VitalWatch Go sensor on the upper chest for one week a month, "
                "or continuously for thirty days after a hospital stay.",
                "Oxygen saturation, respiratory rate, heart rate and activity reach CareCloud "
                "Remote every fifteen minutes over home Wi-Fi or the included 4G hub.",
                "The GP sets personal thresholds at enrolment; CareCloud flags trends over 24 "
                "hours rather than single readings.",
                "A district nurse reviews the triage list at 08:30 each weekday and phones every "
                "patient flagged amber or red.",
                "Patients answer three short symptom questions in the app each morning.",
            ]),
            ("h2", "Results over the first twelve months"),
            ("table", [["Measure (enrolled patients)", "Year before", "Year one", "Change"],
                       ["Emergency department visits", "118", "80", "-32%"],
                       ["Unplanned district-nurse home visits", "596", "435", "-27%"],
                       ["Readmissions within 30 days", "21%", "13%", "-8 points"],
                       ["Patients still enrolled after 12 months", "-", "91%", ""]],
             [0.46, 0.18, 0.18, 0.18]),
            ("quote", "I used to find out that someone was struggling when I knocked on their "
                      "door. Now I call on Tuesday because the numbers started drifting on Sunday.",
             "Elin Sjöberg, district nurse, Lindgården Vårdcentral"),
            ("h2", "Data protection"),
            ("p", "All patient data is stored in CareCloud's EU-North region in Stockholm. "
                  "Lindgården signed Northwind's standard data processing agreement, and the "
                  "region's information security office reviewed the ISO 27001 certificate and the "
                  "latest penetration test summary before the first patient was enrolled."),
            ("small", "Figures reported by Lindgården Vårdcentral for its enrolled patients and "
                      "reproduced with permission. Results depend on local practice."),
        ],
    ]
    build_pdf(path, pages, Props(modified=dt.datetime(2025, 10, 6, 14, 0)),
              "Case study", "NWM-CS-014 | Approved for external use")


def pdf_case_rosewood(path: Path) -> None:
    pages = [
        [
            ("kicker", "CASE STUDY  |  ELDER CARE  |  UNITED KINGDOM"),
            ("h1", "Rosewood Care Homes: safer nights, better sleep"),
            ("lead", "A family-run group of nine care homes in Yorkshire replaced hourly "
                     "night-time checks with sensor-guided rounds, and now reaches residents "
                     "sooner when they fall."),
            ("kpis", [("63%", "fewer residents found long after a fall"),
                      ("22%", "fewer hospital admissions after a fall"),
                      ("412", "residents covered across nine homes")]),
            ("h2", "About Rosewood"),
            ("p", "Rosewood Care Homes has looked after older people in North and West Yorkshire "
                  "since 1987. Its nine homes range from a 28-bed residential house in Harrogate "
                  "to "
                  "a 64-bed nursing home in Wakefield with a dedicated dementia wing. Around 540 "
                  "carers, nurses and support staff work across the group."),
            ("h2", "The challenge"),
            ("p", "Like most care homes, Rosewood relied on hourly night checks: a carer opens the "
                  "door, shines a torch and makes sure the resident is safe. The checks tired "
                  "staff, woke residents who then struggled to settle, and still missed falls that "
                  "happened between rounds. Inspectors praised the quality of care but asked how "
                  "the group would cope with rising dependency and a stubborn reliance on agency "
                  "night staff."),
            ("p", "Rosewood's owners set out three goals for 2024: fewer disturbed nights, faster "
                  "help after a fall, and evidence they could show families and inspectors."),
            ("quote", "We did not want more gadgets on the wall. We wanted to stop waking "
                      "Margaret at two in the morning just to check that she was asleep.",
             "David Ashworth, Operations Director, Rosewood Care Homes"),
        ],
        [
            ("h2", "The solution"),
            ("bullets", [
                "296 residents wear a VitalWatch Go sensor on a soft wrist band at night, with "
                "consent from the resident or, where needed, a documented best-interest decision.",
                "Fall detection and 'out of bed and not back within 20 minutes' alerts go to the "
                "night team's handsets, with the room number and the resident's photo.",
                "The CareCloud Elder dashboard shows the night coordinator who is settled, who is "
                "restless and who has not moved for an unusual length of time.",
                "A morning summary of sleep, restlessness and heart rate supports the day-shift "
                "handover, and relatives can opt in to updates through the CareCloud Family app.",
            ]),
            ("h2", "Results across all nine homes (twelve months)"),
            ("table", [["Measure", "Before", "After", "Change"],
                       ["Unwitnessed falls found more than 60 minutes later", "41", "15", "-63%"],
                       ["Hospital admissions following a fall", "58", "45", "-22%"],
                       ["Residents woken by routine checks, per night", "about 300", "about 70",
                        "-77%"],
                       ["Night shifts covered by agency staff", "1,140", "790", "-31%"]],
             [0.52, 0.16, 0.16, 0.16]),
            ("p", "Unwitnessed falls were the measure the board cared about most. Before the "
                  "project, a resident who fell quietly between two rounds could lie on the floor "
                  "for most of an hour. With fall alerts, the median time to reach a resident on "
                  "the floor dropped to four minutes."),
            ("quote", "The biggest change is the quiet. Residents sleep through, the night team "
                      "goes where it is needed, and I can show families exactly what happened "
                      "overnight.", "Joanne Whitaker, Registered Manager, Rosewood Harrogate"),
            ("h2", "Rollout"),
            ("p", "Northwind's elder-care team rolled out two homes a month. Each home nominated "
                  "two "
                  "digital champions who attended a one-day course in Leeds; the rest of the staff "
                  "learned on shift with short video guides. Wi-Fi surveys were done in the first "
                  "week, and three homes needed extra access points."),
        ],
    ]
    build_pdf(path, pages, Props(title="Rosewood Care Homes: safer nights across nine homes",
                                 subject="Elder care case study, UK&I", **CS_PROPS,
                                 modified=dt.datetime(2025, 9, 15, 11, 0)),
              "Case study", "NWM-CS-017 | Approved for external use")


def pdf_onepager_vitalwatch(path: Path) -> None:
    pages = [[
        ("kicker", "PRODUCT OVERVIEW  |  VITALWATCH V3"),
        ("h1", "VitalWatch V3: the ward monitor nurses actually like"),
        ("lead", "Continuous vital signs at every bed, alarms that reach the right person, and a "
                 "screen a tired nurse can read from the doorway at four in the morning."),
        ("kpis", [("5", "core parameters as standard"), ("6 h", "hot-swap battery"),
                  ("< 3 min", "to admit a new patient"), ("7 yrs", "maximum warranty")]),
        ("h2", "Why wards choose VitalWatch V3"),
        ("bullets", [
            "**Readable at a glance.** A 12.1-inch display with colour-coded trends shows how "
            "the patient is doing, not just what the last reading was.",
            "**Fewer pointless alarms.** Smart delays, artefact filtering and central alarm "
            "profiles cut non-actionable alarms without hiding real ones.",
            "**From bed to transport without a gap.** The hot-swappable battery and VitalWatch Go "
            "wearable keep monitoring going in the corridor, the lift and the scanner.",
            "**No typing at the bedside.** Patient identity comes from the ADT feed; readings "
            "flow into the electronic health record automatically.",
        ]),
        ("h2", "What comes in the box"),
        ("table", [["Standard", "Optional"],
                   ["ECG (3/5-lead), SpO2, NIBP, respiration, temperature",
                    "Sidestream EtCO2, two invasive pressure channels"],
                   ["Roll stand or rail mount, 6-hour battery",
                    "VitalWatch Go pairing for ambulatory patients"],
                   ["3-year warranty, remote software updates",
                    "Extended warranty to 7 years, on-site swap service"]],
         [0.5, 0.5]),
        ("box", "Take the next step", [
            "Book a 30-minute live demo with a Northwind clinical specialist.",
            "Ask your account manager for the ROI calculator and a reference call with a "
            "hospital in your region.",
            "Download the VitalWatch V3 datasheet for full technical specifications.",
        ]),
    ]]
    build_pdf(path, pages, Props(title="VitalWatch V3 at a glance", author="Northwind Medical "
                                 "Product Marketing", subject="Product one-pager",
                                 modified=dt.datetime(2026, 1, 8, 9, 0)),
              "One-pager", "NWM-OP-003 | Approved for external use")


def pdf_promo_winter(path: Path) -> None:
    pages = [[
        ("kicker", "LIMITED-TIME OFFER  |  ORDERS SIGNED 1 NOV 2024 - 31 MAR 2025"),
        ("h1", "Winter trade-in: swap your old monitors for VitalWatch V3"),
        ("lead", "Trade in any patient monitor, working or not, from any manufacturer, and save on "
                 "every new VitalWatch V3 you order this winter."),
        ("table", [["Region", "Trade-in credit per monitor", "Minimum order"],
                   ["DACH", "EUR 1,000", "10 monitors"],
                   ["Nordics", "EUR 1,000", "10 monitors"],
                   ["UK&I", "GBP 850", "10 monitors"],
                   ["North America", "USD 1,100", "10 monitors"]],
         [0.3, 0.4, 0.3]),
        ("h2", "How the trade-in works"),
        ("bullets", [
            "Count the legacy monitors you will retire and tell your Northwind account manager.",
            "Your quote shows the trade-in credit as a separate line, on top of your normal "
            "volume discount.",
            "On delivery day, our installation team takes the old monitors away and provides a "
            "certificate of environmentally sound disposal (WEEE compliant in Europe).",
            "Patient data on old devices is wiped to a recognised standard before recycling, and "
            "you receive a wipe report per serial number.",
        ]),
        ("h2", "Why now"),
        ("p", "Many monitors installed around 2012 are reaching the end of vendor support this "
              "year. Replacing them before the spring budget cycle avoids running unsupported "
              "devices on your clinical network."),
        ("h2", "Terms"),
        ("small", "Valid for purchase orders signed between 1 November 2024 and 31 March 2025 and "
                  "delivered by 30 June 2025. One credit per new VitalWatch V3 monitor, up to the "
                  "number of legacy monitors returned. Not combinable with framework-agreement or "
                  "public-tender pricing. Northwind Medical may withdraw the offer at any time."),
    ]]
    build_pdf(path, pages, Props(modified=dt.datetime(2024, 10, 21, 9, 0)),
              "Promotion", "NWM-PR-024 | Customer-facing until 31 Mar 2025")


def pdf_datasheet_vitalwatch(path: Path) -> None:
    pages = [
        [
            ("kicker", "DATASHEET  |  VITALWATCH V3 BEDSIDE MONITOR"),
            ("h1", "VitalWatch V3 multi-parameter patient monitor"),
            ("lead", "A compact bedside monitor for general wards, step-down units and recovery, "
                     "designed to work with the CareCloud platform and the VitalWatch Go "
                     "wearable."),
            ("h2", "Measured parameters"),
            ("table", [["Parameter", "Method", "Range and notes"],
                       ["ECG", "3- or 5-lead, arrhythmia detection",
                        "Heart rate 15-300 bpm; ST analysis on 5-lead"],
                       ["SpO2", "Northwind PulseSense, motion tolerant",
                        "0-100%, perfusion index, pleth waveform"],
                       ["NIBP", "Oscillometric, adult and paediatric",
                        "Interval 1-240 min; stat mode"],
                       ["Respiration", "Impedance via ECG leads", "0-150 breaths per minute"],
                       ["Temperature", "2 channels, skin or core probes", "25-45 °C"],
                       ["EtCO2 (option)", "Sidestream capnography", "0-150 mmHg; apnoea detection"],
                       ["Invasive pressure (option)", "2 channels", "-50 to 300 mmHg"]],
             [0.22, 0.36, 0.42]),
            ("h2", "Alarm management"),
            ("bullets", [
                "Three alarm priorities with distinct tones and colours, following IEC 60601-1-8.",
                "Configurable alarm delays (0-30 s) per parameter, for example on low SpO2.",
                "Technical alarm suppression for two minutes while the patient is repositioned.",
                "Alarm profiles managed centrally in CareCloud and pushed to every bedside.",
                "Escalation to nurse handsets through CareCloud Alarm Routing.",
            ]),
            ("h2", "Clinical decision support"),
            ("p", "VitalWatch V3 calculates NEWS2 on the device when respiration, SpO2, blood "
                  "pressure, heart rate and temperature are available; level of consciousness and "
                  "supplemental oxygen are entered on the touch screen. Scores and trends are "
                  "shared with CareCloud Early Warning."),
        ],
        [
            ("h2", "Technical specifications"),
            ("table", [["Item", "Specification"],
                       ["Display", "12.1-inch capacitive touch screen, 1280 x 800, glove-friendly"],
                       ["Size and weight", "310 x 250 x 150 mm; 3.4 kg with battery"],
                       ["Battery", "Hot-swappable Li-ion, 6 hours typical, 3 hours to full charge"],
                       ["Ingress protection", "IP22; housing wipeable with common hospital "
                                              "disinfectants"],
                       ["Operating conditions", "5-40 °C, 15-95% relative humidity, "
                                                "700-1060 hPa"],
                       ["Connectivity", "Wi-Fi 6 (802.11ax), 2 x Ethernet, Bluetooth LE 5.3 for "
                                        "VitalWatch Go, USB-C service port"],
                       ["Interfaces", "HL7 v2 and FHIR R4 through CareCloud; nurse call relay"],
                       ["Data storage", "72 hours of full-disclosure trends on the device"]],
             [0.26, 0.74]),
            ("h2", "Regulatory and standards"),
            ("table", [["Market", "Status"],
                       ["European Union", "CE marked under MDR (EU) 2017/745, Class IIb"],  # FACT
                       ["United Kingdom", "UKCA marked"],
                       ["United States", "FDA 510(k) cleared"],
                       ["Canada", "Health Canada medical device licence, Class II"],
                       ["Standards", "IEC 60601-1, IEC 60601-1-2 (EMC), IEC 60601-1-8 (alarm "
                                     "systems), IEC 62304, IEC 81001-5-1 (security)"]],
             [0.26, 0.74]),
            ("h2", "Ordering information"),
            ("table", [["Code", "Description"],
                       ["VW3-BASE", "VitalWatch V3 monitor with ECG, SpO2, NIBP, respiration, "
                                    "temperature; battery; roll stand"],
                       ["VW3-CO2", "Sidestream EtCO2 module (factory or field installed)"],
                       ["VW3-IBP", "Invasive pressure module, two channels"],
                       ["VW3-RAIL", "Rail and wall mount kit instead of roll stand"],
                       ["VW3-EXT7", "Warranty extension to seven years, advance exchange"]],
             [0.26, 0.74]),
            ("small", "Specifications are subject to change. Not all options are available in "
                      "every country; check with your Northwind representative."),
        ],
    ]
    build_pdf(path, pages, Props(title="VitalWatch V3 datasheet", author="Northwind Medical "
                                 "Product Management", subject="Technical datasheet",
                                 keywords="VitalWatch, datasheet, specifications, MDR",
                                 modified=dt.datetime(2026, 1, 5, 9, 0)),
              "Datasheet", "NWM-DS-301 rev C | Approved for external use")


def pdf_datasheet_carecloud(path: Path) -> None:
    pages = [
        [
            ("kicker", "DATASHEET  |  CARECLOUD PLATFORM"),
            ("h1", "CareCloud: one platform for every monitored patient"),
            ("lead", "CareCloud connects VitalWatch monitors and wearables to the people who need "
                     "to act: nurses on the ward, the rapid response team, a district nurse "
                     "reviewing home patients, or a night carer in a care home."),
            ("h2", "Modules"),
            ("table", [["Module", "What it does", "Editions"],
                       ["Central Station", "Live overview of every monitored bed on a ward or "
                                           "unit; full-disclosure review of the last 72 hours",
                        "Core, Professional, Enterprise"],
                       ["Alarm Routing", "Sends alarms to the assigned nurse's phone or DECT "
                                         "handset, escalates after a configurable delay",
                        "Professional, Enterprise"],
                       ["Early Warning", "NEWS2, MEWS or a custom score from live readings; "
                                         "deterioration trends and rapid-response triggers",
                        "Professional, Enterprise"],
                       ["Remote", "Home monitoring with VitalWatch Go, triage list, patient app",
                        "Enterprise, add-on for Professional"],
                       ["Elder", "Care-home dashboard, fall and 'out of bed' alerts, family app",
                        "Elder"],
                       ["Insights", "Alarm load, response times and acuity per ward and shift, "
                                    "exported to your BI tools", "Add-on for all editions"]],
             [0.2, 0.52, 0.28]),
            ("h2", "Editions at a glance"),
            ("bullets", [
                "**Core:** central station and device management for smaller units and clinics.",
                "**Professional:** adds alarm routing and early warning; the most common choice "
                "for hospital wards.",
                "**Enterprise:** everything in Professional plus Remote, customer-managed keys, "
                "a 99.95% availability commitment and a named technical account manager.",
                "**Elder:** built for care homes and assisted living, priced per resident.",
            ]),
        ],
        [
            ("h2", "Integration"),
            ("bullets", [
                "HL7 v2.5 ADT in (admit, transfer, discharge) and ORU out.",
                "FHIR R4 resources: Patient, Encounter, Observation, Device, Flag.",
                "IHE PCD-01 (device observations) and ACM (alarm communication) profiles.",
                "Single sign-on with SAML 2.0 or OpenID Connect; user provisioning with SCIM 2.0.",
                "Integrations with common nurse-call systems and clinical messaging gateways.",
            ]),
            ("h2", "Hosting regions"),
            ("table", [["Region", "Location", "Typical customers"],
                       ["EU-Central", "Frankfurt, Germany", "Germany, Austria, Switzerland"],
                       ["EU-North", "Stockholm, Sweden", "Sweden, Norway, Denmark, Finland"],
                       ["UK-South", "London, United Kingdom", "United Kingdom and Ireland"],
                       ["US-East", "Northern Virginia, United States", "United States"],
                       ["CA-Central", "Montreal, Canada", "Canada"]],
             [0.22, 0.38, 0.4]),
            ("h2", "Service levels"),
            ("table", [["Item", "Commitment"],
                       ["Availability", "99.9% per month (Enterprise: 99.95%)"],
                       ["Recovery point objective", "15 minutes"],
                       ["Recovery time objective", "4 hours"],
                       ["Support", "24/7 for priority 1 incidents; clinical helpdesk in local "
                                   "language during business hours"],
                       ["Releases", "Monthly, with release notes 14 days in advance"]],
             [0.32, 0.68]),
            ("h2", "Clients"),
            ("p", "Central Station runs in current Chrome and Edge browsers on Windows, macOS and "
                  "Linux. The CareCloud Nurse app supports iOS 17 or later and Android 13 or "
                  "later, including common hospital smartphones."),
            ("small", "Security and compliance details: see the CareCloud security and compliance "
                      "whitepaper."),
        ],
    ]
    build_pdf(path, pages, Props(title="CareCloud platform datasheet", author="Northwind Medical "
                                 "Product Management", subject="Technical datasheet",
                                 modified=dt.datetime(2026, 1, 5, 9, 30)),
              "Datasheet", "NWM-DS-410 rev B | Approved for external use")


def pdf_whitepaper_alarms(path: Path) -> None:
    pages = [
        [
            ("kicker", "CLINICAL WHITEPAPER"),
            ("h1", "Beyond the beep: reducing alarm fatigue on general wards"),
            ("lead", "Patient monitors were designed to never miss an event. On a busy general "
                     "ward, that design goal has produced a constant soundtrack that staff learn "
                     "to tune out. This paper looks at where the noise comes from and at the "
                     "practical steps hospitals have used to cut it without adding risk."),
            ("h2", "Executive summary"),
            ("bullets", [
                "Across 23 wards in nine hospitals using VitalWatch, 84% of monitor alarms in "
                "the baseline period did not lead to any clinical action.",
                "Five causes explain most of the noise: default thresholds, motion artefact, "
                "failing electrodes, duplicate notification paths and alarms that nobody owns.",
                "Wards that ran a structured eight-week alarm stewardship programme reduced "
                "non-actionable alarms by 35-45% while response times to critical alarms improved.",
                "The changes are mostly about settings, routines and ownership; technology makes "
                "them easier to apply consistently, but does not replace them.",
            ]),
            ("h2", "About this paper"),
            ("p", "The figures come from anonymised, aggregated alarm logs that customers agreed "
                  "to share with Northwind Clinical Affairs between January 2024 and June 2025, "
                  "together with interviews with 31 nurses, ward managers and clinical engineers "
                  "in Germany, Sweden, the United Kingdom and the United States. The paper is "
                  "intended for nursing directors, alarm committees and clinical engineering "
                  "teams."),
            ("small", "This paper does not constitute clinical guidance. Alarm settings must be "
                      "agreed by each organisation's clinical governance process."),
        ],
        [
            ("h2", "How big is the problem?"),
            ("p", "In the baseline period the 23 wards generated a median of 142 alarms per "
                  "monitored bed per day. On a 28-bed ward that is one alarm every eleven seconds, "
                  "around the clock. Most were short: 61% resolved on their own within ten "
                  "seconds."),
            ("table", [["Alarm source", "Share of all alarms", "Actionable"],
                       ["SpO2 low (including probe and motion artefact)", "38%", "9%"],
                       ["ECG lead off or poor signal", "17%", "3% (technical)"],
                       ["Respiration rate high or low", "14%", "11%"],
                       ["Heart rate high or low", "12%", "24%"],
                       ["NIBP out of range", "9%", "31%"],
                       ["Other physiological and technical alarms", "10%", "18%"]],
             [0.56, 0.22, 0.22]),
            ("h2", "What the noise costs"),
            ("bullets", [
                "**Slower responses.** Nurses interviewed described waiting to see whether an "
                "alarm 'sorts itself out' before walking to the bedside, a habit learned from "
                "hundreds of self-resolving alarms.",
                "**Interrupted work.** Each alarm interrupts a task such as drug preparation or "
                "documentation, and interruptions are a known source of errors.",
                "**Poor sleep for patients.** Alarms at night disturb the patients they are meant "
                "to protect, and delirium risk rises with sleep disruption in older patients.",
                "**Silenced or disabled alarms.** The most dangerous workaround: alarm limits "
                "widened until the monitor stops complaining.",
            ]),
        ],
        [
            ("h2", "What drives bedside alarm fatigue"),  # FACT
            ("p", "Bedside alarm fatigue is rarely caused by one faulty setting. In the wards we "
                  "studied it grew out of five ordinary habits that reinforce each other."),
            ("bullets", [
                "**Factory defaults.** Thresholds designed for intensive care, such as an SpO2 "
                "limit of 90% with no delay, were left unchanged on general wards.",
                "**Motion artefact.** Patients who move, eat or talk produce short, false "
                "desaturations and heart-rate spikes.",
                "**Electrodes that fail quietly.** Gel dries out after about 24 hours; lead-off "
                "alarms cluster late on the second day of use.",
                "**Two paths for the same event.** The bedside monitor, the central station and "
                "the corridor display all sound for one event, so nobody feels responsible.",
                "**Alarms without an owner.** When an alarm goes to 'the ward', the nearest nurse "
                "answers, or nobody does.",
            ]),
            ("h2", "Five levers that work"),
            ("table", [["Lever", "Typical change", "Effect in our data"],
                       ["Adjust thresholds per patient group", "SpO2 low limit 88% for known "
                        "COPD patients, per medical order", "-8% of alarms"],
                       ["Add short alarm delays", "15 s delay on SpO2 low, 10 s on HR high",
                        "-30 to -35%"],
                       ["Change electrodes daily", "Part of the morning hygiene routine",
                        "-60% lead-off alarms"],
                       ["Route to a named nurse", "Phone or handset of the assigned nurse, "
                        "escalation after 60 s", "faster response"],
                       ["Use combined early warning", "NEWS2 trend replaces some single-"
                        "parameter alarms", "earlier escalation"]],
             [0.3, 0.44, 0.26]),
            ("p", "None of these levers removes the need for clinical judgement. Each change in "
                  "our data was agreed by the local alarm committee and reviewed after four "
                  "weeks."),
        ],
        [
            ("h2", "Putting it into practice: an eight-week alarm stewardship programme"),
            ("table", [["Weeks", "Activity"],
                       ["1-2", "Form an alarm committee (nursing, medicine, clinical engineering); "
                               "capture baseline alarm data without changing anything"],
                       ["3", "Review the top ten alarm types per ward; agree threshold and delay "
                             "changes in writing"],
                       ["4", "Introduce daily electrode change and a simple skin-prep routine"],
                       ["5-6", "Switch to named-nurse routing with escalation; retire duplicate "
                               "corridor displays"],
                       ["7-8", "Measure again, report to nursing leadership, decide what to keep"]],
             [0.14, 0.86]),
            ("h2", "What to measure"),
            ("bullets", [
                "Alarms per monitored bed-day, split by alarm type.",
                "Share of alarms that led to a documented action.",
                "Median and 90th-percentile time to respond to high-priority alarms.",
                "Rapid response calls and unplanned ICU transfers, as a safety check.",
            ]),
            ("h2", "How CareCloud supports stewardship"),
            ("p", "CareCloud Insights produces the alarm reports above automatically, alarm "
                  "profiles can be changed for a whole ward in one step and rolled back if "
                  "needed, and Alarm Routing removes the duplicate notification paths. Northwind "
                  "clinical specialists can facilitate the first committee meetings."),
            ("small", "Author: Dr. Miriam Okafor, Head of Clinical Affairs, Northwind Medical. "
                      "Contact clinical@northwind-medical.example for the data appendix."),
        ],
    ]
    build_pdf(path, pages, Props(title="Beyond the beep: reducing alarm fatigue on general wards",
                                 author="Dr. Miriam Okafor, Northwind Clinical Affairs",
                                 subject="Clinical whitepaper",
                                 keywords="alarm fatigue, alarm management, NEWS2",
                                 modified=dt.datetime(2025, 8, 28, 9, 0)),
              "Whitepaper", "NWM-WP-007 | Approved for external use")


def pdf_whitepaper_security(path: Path) -> None:
    pages = [
        [
            ("kicker", "SECURITY AND COMPLIANCE WHITEPAPER"),
            ("h1", "How CareCloud protects patient data"),
            ("lead", "This paper answers the questions that hospital IT security teams, data "
                     "protection officers and procurement usually ask before a CareCloud contract. "
                     "It covers certifications, data protection, technical controls and regional "
                     "regulations."),
            ("h2", "Scope"),
            ("p", "The paper covers the CareCloud platform (all editions and modules), the "
                  "CareCloud Nurse and Family apps, and the connection between VitalWatch devices "
                  "and CareCloud. Device hardening is summarised on page 4."),
            ("h2", "Shared responsibility"),
            ("table", [["Area", "Northwind Medical", "Customer"],
                       ["Platform infrastructure and hosting", "Operates and secures", "-"],
                       ["Application security and patching", "Develops, tests and patches",
                        "Plans user communication for releases"],
                       ["Identity and access", "Provides SSO, MFA, roles and audit logs",
                        "Manages users, roles and leavers"],
                       ["Network between ward and cloud", "Publishes requirements",
                        "Operates the hospital network and firewall rules"],
                       ["Devices on the ward", "Signs firmware, publishes updates",
                        "Installs updates in agreed windows"],
                       ["Clinical configuration", "Advises on alarm profiles",
                        "Approves and owns all clinical settings"]],
             [0.34, 0.33, 0.33]),
        ],
        [
            ("h2", "Certifications and independent assurance"),
            ("table", [["Framework", "Status and scope"],
                       ["ISO/IEC 27001:2022", "Certified since 2019; scope covers CareCloud "
                        "development, operations and support in Hamburg, Stockholm, Manchester "
                        "and Boston. Certificate available on request."],
                       ["ISO/IEC 27017 and 27018", "Cloud security and cloud privacy controls, "
                        "audited together with ISO 27001"],
                       ["SOC 2 Type II", "Annual report covering security, availability and "
                        "confidentiality; available under NDA"],
                       ["ISO 13485", "Quality management for the design and manufacture of "
                        "VitalWatch devices and CareCloud medical software"],
                       ["Cyber Essentials Plus", "United Kingdom, renewed annually"],
                       ["Penetration testing", "Twice a year by an independent firm, plus a test "
                        "before every major release; executive summary available"]],
             [0.28, 0.72]),
            ("h2", "Our ISO 27001 programme in practice"),  # FACT
            ("bullets", [
                "An information security management system owned by the CISO, with quarterly "
                "management reviews and an annual risk assessment.",
                "Mandatory security training for all staff at hiring and every year.",
                "Supplier security reviews before onboarding and every two years.",
                "Internal audits across all ISO 27001 Annex A controls within each three-year "
                "certification cycle.",
            ]),
        ],
        [
            ("h2", "GDPR and data residency"),  # FACT
            ("p", "Under the GDPR, the customer is the controller of patient data and Northwind "
                  "Medical acts as processor. Our standard data processing agreement follows "
                  "Article 28 and lists all subprocessors. Customers are told 30 days before a "
                  "new subprocessor is added and may object."),
            ("h2", "Where your data lives"),
            ("bullets", [
                "**Data residency by design.** The customer chooses the hosting region when the "
                "tenant is created: EU-Central (Frankfurt), EU-North (Stockholm), UK-South "
                "(London), US-East or CA-Central.",
                "**Backups stay in-region.** Backups are encrypted and kept in a second data "
                "centre within the same country.",
                "**No routine transfers.** Patient data is not transferred outside the region "
                "for normal operation. Support engineers outside the region only get access "
                "with customer approval, for a limited time, and every session is logged.",
                "**Switzerland and the UK.** Swiss customers are covered by the revised Federal "
                "Act on Data Protection; UK customers by the UK GDPR and the Data Protection Act "
                "2018.",
            ]),
            ("h2", "Data subject rights and retention"),
            ("p", "CareCloud supports export and erasure of a patient's data on request from the "
                  "controller. Retention periods are configured per tenant to match local "
                  "medical-records law; vital signs default to ten years and audit logs to seven "
                  "years. A DPIA template for hospitals and care homes is available from your "
                  "account manager."),
        ],
        [
            ("h2", "Technical and organisational measures"),
            ("table", [["Control", "Implementation"],
                       ["Encryption in transit", "TLS 1.3 between devices, apps and cloud; "
                        "mutual TLS for VitalWatch devices"],
                       ["Encryption at rest", "AES-256; keys in a hardware-backed key management "
                        "service; customer-managed keys in Enterprise"],
                       ["Identity", "SSO via SAML 2.0 or OpenID Connect, MFA for all "
                        "administrators, role-based access, break-glass accounts"],
                       ["Logging", "Tamper-evident audit log of all access to patient data; "
                        "24/7 security operations centre"],
                       ["Vulnerability management", "Critical fixes within 7 days, high within "
                        "30 days; coordinated disclosure policy"],
                       ["Secure development", "Threat modelling, code review, dependency "
                        "scanning, software bill of materials for every release"]],
             [0.28, 0.72]),
            ("h2", "Device security"),
            ("p", "VitalWatch V3 and VitalWatch Go are developed under IEC 81001-5-1. Firmware is "
                  "signed and checked by secure boot; devices authenticate to CareCloud with "
                  "individual certificates; unused ports are disabled in the factory. An SBOM and "
                  "the MDS2 form are available for each firmware release."),
        ],
        [
            ("h2", "North America"),
            ("p", "For US customers Northwind signs a HIPAA business associate agreement, and "
                  "US-East tenants are operated under HIPAA Security Rule safeguards. Canadian "
                  "tenants are hosted in CA-Central and support compliance with PIPEDA and "
                  "provincial health privacy laws."),
            ("h2", "NIS2 and critical infrastructure"),
            ("p", "Many European hospitals are essential entities under the NIS2 directive. "
                  "Northwind supports their supply-chain obligations with security questionnaires, "
                  "contractual notification duties and evidence from our certifications."),
            ("h2", "Incident response"),
            ("bullets", [
                "A documented incident response plan, tested twice a year.",
                "Customers are notified of a personal data breach affecting them without undue "
                "delay and at the latest within 24 hours of confirmation.",
                "Post-incident reports within ten working days.",
            ]),
            ("h2", "Contacts"),
            ("p", "Security questionnaires and certificate requests: "
                  "security@northwind-medical.example. Data protection officer: "
                  "dpo@northwind-medical.example."),
        ],
    ]
    build_pdf(path, pages, Props(title="CareCloud security and compliance whitepaper",
                                 author="Northwind Medical Information Security",
                                 subject="Security whitepaper",
                                 keywords="GDPR, ISO 27001, SOC 2, HIPAA, data residency",
                                 modified=dt.datetime(2026, 1, 9, 16, 0)),
              "Whitepaper", "NWM-WP-012 | Approved for external use")


# --------------------------------------------------------------------------- prices
# Shared by the pricing deck, the price list workbook and the ROI calculator.

REGIONS = ("DACH", "Nordics", "UK&I", "North America")
CURRENCY = {"DACH": "EUR", "Nordics": "EUR", "UK&I": "GBP", "North America": "USD"}

# code, description, unit, DACH, Nordics, UK&I, North America
PRICES_2026: list[tuple[str, str, str, int, int, int, int]] = [
    ("VW3-BASE", "VitalWatch V3 bedside monitor (ECG, SpO2, NIBP, resp, temp)", "each",
     6900, 7150, 6050, 7600),
    ("VW3-CO2", "Sidestream EtCO2 module", "each", 1450, 1500, 1270, 1600),
    ("VW3-IBP", "Invasive pressure module, 2 channels", "each", 980, 1010, 860, 1080),
    ("VW3-RAIL", "Rail and wall mount kit", "each", 240, 250, 210, 265),
    ("VWG-SENSOR", "VitalWatch Go wearable sensor", "each", 420, 440, 370, 460),
    ("VWG-HUB", "VitalWatch Go home hub with 4G", "each", 160, 165, 140, 175),
    ("VWG-DOCK", "VitalWatch Go 8-bay charging dock", "each", 890, 920, 780, 980),
    ("CC-CORE", "CareCloud Core", "per monitored bed per month", 29, 30, 25, 32),
    ("CC-PRO", "CareCloud Professional", "per monitored bed per month", 39, 41, 34, 43),
    ("CC-ENT", "CareCloud Enterprise", "per monitored bed per month", 52, 54, 45, 57),
    ("CC-ELDER", "CareCloud Elder", "per resident per month", 24, 25, 21, 26),
    ("CC-REMOTE", "CareCloud Remote", "per enrolled patient per month", 45, 47, 39, 49),
    ("CC-INS", "CareCloud Insights add-on", "per monitored bed per month", 9, 9, 8, 10),
    ("SVC-IMPL", "Implementation package", "per ward", 4500, 4700, 3900, 5000),
    ("SVC-TRAIN", "On-site training day", "per day", 1600, 1650, 1400, 1750),
    ("VW3-EXT7", "Warranty extension (years 4-7)", "per monitor per year", 520, 540, 455, 575),
]

# 2025 list (first release of the price list): no Nordics column yet.
PRICES_2025: list[tuple[str, str, str, int, int, int]] = [
    ("VW3-BASE", "VitalWatch V3 bedside monitor (ECG, SpO2, NIBP, resp, temp)", "each",
     6650, 5850, 7350),
    ("VW3-CO2", "Sidestream EtCO2 module", "each", 1400, 1230, 1550),
    ("VW3-IBP", "Invasive pressure module, 2 channels", "each", 950, 830, 1040),
    ("VW3-RAIL", "Rail and wall mount kit", "each", 230, 200, 255),
    ("VWG-SENSOR", "VitalWatch Go wearable sensor", "each", 399, 350, 440),
    ("VWG-HUB", "VitalWatch Go home hub with 4G", "each", 155, 135, 170),
    ("VWG-DOCK", "VitalWatch Go 8-bay charging dock", "each", 860, 750, 950),
    ("CC-CORE", "CareCloud Core", "per monitored bed per month", 28, 24, 31),
    ("CC-PRO", "CareCloud Professional", "per monitored bed per month", 37, 33, 41),
    ("CC-ENT", "CareCloud Enterprise", "per monitored bed per month", 49, 43, 54),
    ("CC-ELDER", "CareCloud Elder", "per resident per month", 23, 20, 25),
    ("CC-REMOTE", "CareCloud Remote", "per enrolled patient per month", 43, 38, 47),
    ("CC-INS", "CareCloud Insights add-on", "per monitored bed per month", 9, 8, 10),
    ("SVC-IMPL", "Implementation package", "per ward", 4300, 3750, 4800),
    ("SVC-TRAIN", "On-site training day", "per day", 1550, 1350, 1700),
    ("VW3-EXT7", "Warranty extension (years 4-7)", "per monitor per year", 500, 440, 555),
]


def price(code: str, region: str = "DACH") -> int:
    for row in PRICES_2026:
        if row[0] == code:
            return row[3 + REGIONS.index(region)]
    raise KeyError(code)


def money(value: float, cur: str = "EUR") -> str:
    symbol = {"EUR": "€", "GBP": "£", "USD": "$"}[cur]
    return f"{symbol}{value:,.0f}"


def reference_deal() -> tuple[list[list[str]], int, int]:
    """The 400-bed DACH reference deal shown on slide 7 of the pricing deck."""
    lines = [("VitalWatch V3 monitors", "VW3-BASE", 240, 1),
             ("VitalWatch Go sensors (transport)", "VWG-SENSOR", 160, 1),
             ("Charging docks", "VWG-DOCK", 20, 1),
             ("Implementation, 12 wards", "SVC-IMPL", 12, 1),
             ("CareCloud Professional, 240 beds, first year", "CC-PRO", 240, 12)]
    rows = [["Line item", "Qty", "List", "Net (-10%)"]]
    one_time = recurring = 0
    for label, code, qty, months in lines:
        list_total = price(code) * qty * months
        net = round(list_total * 0.9)
        rows.append([label, str(qty), money(list_total), money(net)])
        if code == "CC-PRO":
            recurring += net
        else:
            one_time += net
    return rows, one_time, recurring


# --------------------------------------------------------------------------- decks


def pptx_pricing(path: Path) -> None:
    def table(codes: Sequence[str]) -> list[list[str]]:
        rows = [["Code", "Item", "Unit", "DACH (EUR)", "Nordics (EUR)", "UK&I (GBP)",
                 "North America (USD)"]]
        for row in PRICES_2026:
            if row[0] in codes:
                rows.append([row[0], row[1].split(" (")[0], row[2]] + [f"{v:,}" for v in row[3:]])
        return rows

    deal, one_time, recurring = reference_deal()
    slides = [
        Slide("2026 price guide for acute care",
              subtitle="VitalWatch V3, VitalWatch Go and CareCloud for sales teams and "
                       "authorised partners",
              notes="Internal deck. Do not send the file to customers: present on screen or "
                    "copy single slides into a proposal. Prices valid for quotes issued from "
                    "1 January 2026."),
        Slide("How we price", bullets=[
            "Devices are sold once and include a three-year warranty",
            "CareCloud is a subscription: per monitored bed per month for acute care",
            "Services are fixed fees per ward, so there are no open-ended day rates",
            "All prices are list prices excluding VAT or sales tax",
            "Quotes are valid for 90 days; subscriptions are billed annually in advance",
        ], notes="Customers often ask for a per-bed all-in price. We keep devices and "
                 "subscription separate because hospitals buy devices from capital budgets and "
                 "subscriptions from operating budgets. Show both columns in every quote."),
        Slide("Three packages for acute care", table=[
            ["Package", "What is included", "Typical buyer"],
            ["Essentials", "VitalWatch V3, CareCloud Core, implementation", "Smaller hospitals "
             "replacing end-of-life monitors"],
            ["Professional", "Essentials plus Alarm Routing, Early Warning and VitalWatch Go for "
             "transport", "Most general and step-down wards"],
            ["Enterprise", "Professional plus Remote, Insights, customer-managed keys, 99.95% "
             "availability", "Hospital groups and university hospitals"],
        ], notes="Lead with Professional. Essentials is the fallback when the budget is only for "
                 "replacing monitors; Enterprise when the customer has a virtual ward or home "
                 "monitoring strategy."),
        Slide("Device list prices by region", table=table(
            ["VW3-BASE", "VW3-CO2", "VW3-IBP", "VWG-SENSOR", "VWG-DOCK"]),
            notes="Nordic prices are quoted in EUR; convert to SEK, NOK or DKK only on the final "
                  "order form using the deal desk's monthly rate."),
        Slide("CareCloud subscription prices", table=table(
            ["CC-CORE", "CC-PRO", "CC-ENT", "CC-REMOTE", "CC-INS"]),
            bullets=["Billed annually in advance; minimum term 12 months",
                     "Monitored beds are counted as beds with a VitalWatch V3 or an active Go "
                     "sensor assignment"],
            notes="If a customer wants to start with fewer beds, sell a ramp: the subscription "
                  "grows ward by ward as the rollout proceeds."),
        Slide("Services and warranty", table=table(["SVC-IMPL", "SVC-TRAIN", "VW3-EXT7"]),
              bullets=["Implementation covers interface set-up, alarm profile workshop, super-"
                       "user training and two weeks of hypercare per ward",
                       "Extended warranty must be bought with the devices or within year one"],
              notes="Do not discount services by more than 10% without approval from Professional "
                    "Services; margins there are thin."),
        Slide("Hospital pricing: a 400-bed reference deal",  # FACT
              kicker="Hospital pricing at a glance: DACH list prices in EUR, 200-499 bed band",
              table=deal,
              bullets=[f"One-time net: {money(one_time)}   |   CareCloud per year net: "
                       f"{money(recurring)}",
                       "Use this hospital pricing example to set expectations early, before the "
                       "formal proposal"],
              notes="The reference deal is a 400-bed hospital monitoring 240 beds on twelve "
                    "wards. Hospital pricing conversations go better when the CFO sees a full "
                    "example early: one-time capital first, then the annual subscription. The "
                    "10% volume discount applies because 240 monitored beds fall into the "
                    "200-499 band."),
        Slide("Discount bands and approvals", table=[
            ["Monitored beds or residents", "Volume discount", "3-year term", "5-year term"],
            ["1-49", "0%", "+4% on subscription", "+7% on subscription"],
            ["50-199", "5%", "+4% on subscription", "+7% on subscription"],
            ["200-499", "10%", "+4% on subscription", "+7% on subscription"],
            ["500 and more", "14%", "+4% on subscription", "+7% on subscription"],
        ], bullets=["Up to 10% total: account executive  |  up to 18%: regional sales director",
                    "Up to 25%: VP Sales with deal desk  |  above 25%: CFO"],
            notes="The Nordic regional framework discount is fixed at 8% and does not stack with "
                  "volume bands. See the Discounts sheet of the price list."),
        Slide("From quote to signature", bullets=[
            "Configure the quote in CPQ; never send prices from a spreadsheet",
            "Deal desk review within two business days for any non-standard term",
            "Use the hospital proposal template for the commercial section",
            "Public tenders: involve the bid team at least four weeks before the deadline",
            "After signature: hand over to Professional Services with the rollout tracker",
        ], notes="Deal desk: dealdesk@northwind-medical.example. Include the opportunity ID in "
                 "the subject line."),
    ]
    build_pptx(path, slides, Props(title="Hospital pricing 2026", author="Northwind Deal Desk",
                                   subject="Pricing", modified=dt.datetime(2026, 1, 7, 12, 0)),
               "Internal: sales and partners only")


def pptx_corporate(path: Path) -> None:
    slides = [
        Slide("Northwind Medical", subtitle="Every vital sign, every bed, every shift",
              notes="Use this deck for first meetings and events. Keep it to ten minutes; the "
                    "conversation matters more than the slides."),
        Slide("Who we are", kpis=[("2014", "founded in Hamburg"),
                                  ("480", "employees in four countries"),
                                  ("1,100+", "hospitals, clinics and care homes")],
              bullets=["Offices in Hamburg (headquarters), Stockholm, Manchester and Boston",
                       "Devices designed in Hamburg and assembled by a certified partner in "
                       "Lübeck",
                       "Clinical Affairs team of nurses and physicians who still work shifts"],
              notes="Mention that the founders were an intensive-care nurse and a biomedical "
                    "engineer. It explains why usability on the ward is our obsession."),
        Slide("The problem we solve", bullets=[
            "Patients on general wards are sicker than ten years ago, but are still checked "
            "every four to eight hours",
            "Nurses hear more than a hundred alarms per monitored bed each day, and most mean "
            "nothing",
            "Patients go home earlier and need watching from a distance",
            "Care homes look after frailer residents with fewer night staff",
        ], notes="Ask which of these four the customer recognises before moving on. Their "
                 "answer tells you which product story to lead with."),
        Slide("Our portfolio", table=[
            ["Product", "What it is", "Where it is used"],
            ["VitalWatch V3", "Multi-parameter bedside monitor", "General wards, step-down, "
             "recovery"],
            ["VitalWatch Go", "Wearable sensor with 7-day battery", "Transport, home monitoring, "
             "care homes"],
            ["CareCloud", "Cloud platform: central station, alarm routing, early warning, "
             "remote care, insights", "Every setting, in five hosting regions"],
        ], notes="CareCloud is where the value is. Devices open the door; the platform keeps "
                 "the customer."),
        Slide("Who we work with", table=[
            ["Segment", "Customer", "Outcome"],
            ["Hospitals", "Klinikum Sankt Anna, Freiburg", "41% fewer non-actionable alarms"],
            ["Hospitals", "Great Lakes Regional Health, Michigan",
             "Doctor review after a NEWS2 of 5+ within 19 minutes instead of 52"],
            ["Clinics", "Lindgården Vårdcentral, Uppsala", "32% fewer emergency visits"],
            ["Elder care", "Rosewood Care Homes, Yorkshire", "63% fewer residents found long "
             "after a fall"],
            ["Elder care", "Fjellheim Omsorgssenter, Bergen", "Family app used by 70% of "
             "relatives"],
        ], notes="Pick the reference closest to the customer's segment and country. All five "
                 "have agreed to reference calls; book them through marketing."),
        Slide("Local in every region", table=[
            ["Region", "Office", "CareCloud hosting", "Support languages"],
            ["DACH", "Hamburg", "Frankfurt", "German, English"],
            ["Nordics", "Stockholm", "Stockholm", "Swedish, Norwegian, Danish, Finnish, English"],
            ["UK&I", "Manchester", "London", "English"],
            ["North America", "Boston", "Northern Virginia, Montreal", "English, French"],
        ], notes="Data residency is a deciding factor in DACH and the Nordics; mention hosting "
                 "early."),
        Slide("Why Northwind", bullets=[
            "Designed with nurses: fewer, better alarms rather than more data",
            "One platform from intensive care step-down to the patient's kitchen table",
            "Open standards: HL7, FHIR and IHE profiles instead of proprietary gateways",
            "Local hosting, local support, local references",
        ], notes="If a competitor is already in the account, switch to the matching battlecard "
                 "rather than improvising."),
        Slide("Next steps", bullets=[
            "A 60-minute discovery session with nursing, IT and finance",
            "A free three-week alarm baseline study on one ward",
            "A reference call with a customer in your country",
        ], notes="Always leave the meeting with a date for the next one."),
    ]
    build_pptx(path, slides, Props(title="Northwind Medical corporate overview",
                                   author="Northwind Medical Marketing", subject="Corporate deck",
                                   modified=dt.datetime(2026, 1, 10, 9, 0)),
               "Corporate overview 2026")


def pptx_hospital_pitch(path: Path) -> None:
    slides = [
        Slide("Quieter wards, earlier warnings",
              subtitle="VitalWatch V3 and CareCloud for hospitals",
              notes="Hospital first-meeting deck for nursing directors and CMIOs. Slides 3 and 8 "
                    "carry numbers; check the customer's own numbers in discovery first."),
        Slide("What we hear from hospitals", bullets=[
            "\"Our monitors are at end of support and the central station runs on Windows 7\"",
            "\"Nurses ignore alarms because almost all of them are false\"",
            "\"We find deteriorating patients too late, at the next observation round\"",
            "\"Every vendor wants another interface engine and another server room\"",
        ], notes="Read one quote aloud and ask whether it sounds familiar. Let the customer "
                 "talk for at least five minutes."),
        Slide("The noise problem in numbers",
              kicker="Baseline data from 23 wards before changes (Northwind Clinical Affairs)",
              kpis=[("142", "alarms per monitored bed per day"),
                    ("84%", "of alarms led to no clinical action"),
                    ("61%", "resolved on their own within 10 seconds")],
              bullets=["Source: the alarm fatigue whitepaper; share it with the alarm committee"],
              notes="These are medians across customer wards, not a promise. Offer the free "
                    "alarm baseline study so the customer can see their own numbers."),
        Slide("Meet VitalWatch V3 and CareCloud", bullets=[
            "VitalWatch V3 at every bed: five vital signs, readable from the doorway",
            "VitalWatch Go for patients on the move and for transport",
            "CareCloud routes every alarm to the nurse who owns the patient",
            "NEWS2 early warning calculated continuously, not every eight hours",
        ], notes="Short product slide. The demo shows the rest."),
        Slide("A night shift with Northwind", bullets=[
            "22:00  Handover: the charge nurse sees two patients with a rising NEWS2 trend",
            "01:40  SpO2 dips for eight seconds while a patient turns: no alarm, thanks to the "
            "15-second delay",
            "02:14  Heart rate climbs in bed 12: the assigned nurse's phone vibrates, not the "
            "whole ward",
            "02:16  NEWS2 reaches 6; CareCloud pages the rapid response team automatically",
            "07:00  The ward manager sees the night's alarm load in CareCloud Insights",
        ], notes="Tell this as a story, with a named nurse if the customer gave you one."),
        Slide("Proof from hospitals like yours", table=[
            ["Hospital", "Country", "Result"],
            ["Klinikum Sankt Anna (620 beds)", "Germany", "41% fewer non-actionable alarms; "
             "critical alarms answered in 51 s instead of 94 s"],
            ["Great Lakes Regional Health (480 beds)", "United States", "Doctor review after a "
             "NEWS2 of 5+ within 19 minutes instead of 52"],
            ["St Brendan's Hospital, Galway (310 beds)", "Ireland", "60% fewer lead-off alarms "
             "after introducing daily electrode change"],
        ], notes="Case study PDFs exist for Sankt Anna; for the others, offer a reference call."),
        Slide("Fits your IT landscape", bullets=[
            "Patient identity from your HL7 ADT feed: no typing at the bedside",
            "Vital signs into your EHR as FHIR R4 Observations",
            "Alarms to your existing DECT handsets or smartphones",
            "Single sign-on with your identity provider",
            "Hosted in your region; ISO 27001 and SOC 2 Type II",
        ], notes="If IT is in the room, hand over the security whitepaper now rather than "
                 "waiting for the questionnaire."),
        Slide("What it is worth", kpis=[(f"{roi_example()['payback']:.0f} months",
                                         "until the investment has paid for itself"),
                                        ("26 min", "nurse time saved per shift"),
                                        ("-18%", "unplanned ICU transfers")],
              bullets=["Based on Klinikum Sankt Anna's results and the ROI calculator defaults",
                       "We build the business case with your numbers, not ours"],
              notes="Open the ROI calculator with the customer rather than quoting these "
                    "figures. Finance trusts numbers they typed in themselves."),
        Slide("From signature to go-live in 16 weeks", table=[
            ["Weeks", "Phase"],
            ["1-3", "Alarm committee and baseline"],
            ["4-6", "Interfaces and configuration"],
            ["7-8", "Pilot ward"],
            ["9-14", "Ward-by-ward rollout"],
            ["15-16", "Hypercare and handover"],
        ], notes="The full plan is in the implementation plan document."),
        Slide("Next steps", bullets=[
            "Free three-week alarm baseline study on one ward",
            "Site visit or video call with a reference hospital",
            "Business case workshop with finance",
            "Proposal within two weeks of the workshop",
        ], notes="Ask for the baseline study. It costs the customer nothing and gives us data "
                 "for the business case."),
    ]
    build_pptx(path, slides, Props(modified=dt.datetime(2025, 12, 2, 15, 0)),
               "Hospital pitch")


def pptx_elder_care(path: Path) -> None:
    slides = [
        Slide("Safer nights in care homes",
              subtitle="VitalWatch Go and CareCloud Elder for care homes and assisted living",
              notes="For owners, registered managers and heads of care. Tone: practical, no "
                    "hospital jargon."),
        Slide("The night-shift challenge", bullets=[
            "Residents are frailer, and many live with dementia",
            "Night teams are small and often rely on agency staff",
            "Hourly checks wake residents and still miss what happens in between",
            "Families and inspectors want to know what happened overnight",
        ], notes="Ask how many residents the night team covers per carer. It is usually 15 to "
                 "25."),
        Slide("How it works", bullets=[
            "Residents wear a light VitalWatch Go sensor on a soft wrist band",
            "CareCloud Elder learns each resident's normal night",
            "Falls and 'out of bed, not back' alerts go to the carer's handset with the room "
            "number",
            "Carers check residents who need it, instead of every door every hour",
            "A morning summary supports the day-shift handover",
        ], notes="Consent matters: explain that residents or their representatives agree to the "
                 "sensor, and that there are no cameras and no microphones."),
        Slide("What changes, and for whom", table=[
            ["Who", "What changes"],
            ["Residents", "Undisturbed sleep; help arrives quickly after a fall"],
            ["Night carers", "Fewer pointless checks; clear priorities on the handset"],
            ["Managers", "Evidence for inspections; fewer agency shifts"],
            ["Families", "Optional updates in the CareCloud Family app"],
        ], notes="Families are often the strongest advocates once they have seen the app."),
        Slide("Rosewood Care Homes: the results",
              kpis=[("63%", "fewer residents found long after a fall"),
                    ("22%", "fewer hospital admissions after a fall"),
                    ("-77%", "residents woken by routine checks")],
              bullets=["Nine homes, 412 residents, North and West Yorkshire"],
              notes="The full case study is in Satchel under case studies. Rosewood's operations "
                    "director is happy to take calls from other care home owners."),
        Slide("Simple pricing per resident", table=[
            ["Region", "CareCloud Elder per resident per month", "VitalWatch Go sensor"],
            ["DACH", "€24", "€420 one-time"],
            ["Nordics", "€25", "€440 one-time"],
            ["UK&I", "£21", "£370 one-time"],
            ["North America", "$26", "$460 one-time"],
        ], bullets=["No set-up fee for groups of more than 100 residents"],
            notes="Care home budgets are monthly. Lead with the per-resident price and mention "
                  "the sensor as a one-time item."),
        Slide("Getting started", bullets=[
            "A 30-day pilot in one home, with 20 sensors",
            "Wi-Fi check in the first week",
            "Two digital champions trained per home",
            "Review meeting with the owner after 30 days",
        ], notes="Convert the pilot to a group-wide contract at the review meeting."),
    ]
    build_pptx(path, slides, Props(title="Elder care pitch: safer nights with VitalWatch Go",
                                   author="Northwind Medical Marketing", subject="Elder care",
                                   modified=dt.datetime(2025, 11, 4, 10, 0)),
               "Elder care")


def pptx_demo_walkthrough(path: Path) -> None:
    slides = [
        Slide("CareCloud demo walkthrough",
              subtitle="A 25-minute storyline for hospital demos",
              notes="Internal. Practise the storyline twice before your first customer demo."),
        Slide("Before you start", bullets=[
            "Log in to the shared demo tenant at least 30 minutes before the meeting",
            "Run the 'reset ward 4B' job so the patient data starts at 22:00",
            "Mute chat and e-mail notifications on the presenting laptop",
            "Have a VitalWatch Go sensor in your pocket for the live pairing moment",
        ], notes="If the demo tenant is down, use the recorded demo video and apologise once, "
                 "not repeatedly."),
        Slide("Meet the patient: Mr. Jansen", bullets=[
            "78 years old, day two after a hip replacement",
            "Known COPD, SpO2 usually 90-92%",
            "Ward 4B, bed 12, assigned to nurse Anna",
            "Personal SpO2 low limit of 88% set by the ward doctor",
        ], notes="A named patient makes the demo memorable. Keep the story consistent: the "
                 "customer will ask about Mr. Jansen again later."),
        Slide("Step 1: the central station", bullets=[
            "Show the ward overview: 28 beds, colour-coded by NEWS2",
            "Open bed 12 and scroll back through 72 hours of full disclosure",
            "Point out the personal SpO2 limit, set per medical order",
        ], notes="Let the nurse in the room drive the mouse if they want to."),
        Slide("Step 2: an alarm that finds the right nurse", bullets=[
            "Trigger the heart-rate scenario for bed 12",
            "Anna's phone vibrates first; nobody else is disturbed",
            "Do not acknowledge: after 60 seconds the charge nurse is escalated",
            "Show the alarm history with timestamps for both notifications",
        ], notes="This is usually the moment nurses lean forward. Pause here."),
        Slide("Step 3: early warning in action", bullets=[
            "Advance the clock: NEWS2 rises from 3 to 6 over two hours",
            "CareCloud pages the rapid response team and flags bed 12 on the overview",
            "Open the trend: the rise was visible long before any single alarm",
        ], notes="Connect this to the customer's own deterioration stories from discovery."),
        Slide("Step 4: insights for the ward manager", bullets=[
            "Alarm load per bed-day for ward 4B over the last four weeks",
            "Top five alarm types and the effect of last month's SpO2 delay change",
            "Response times by shift, aggregated per ward, never per nurse",
        ], notes="In Germany mention that reports are ward-level by default, which works-"
                 "council agreements usually require."),
        Slide("Questions that come up during the demo", table=[
            ["Question", "Short answer"],
            ["What if the Wi-Fi fails?", "Monitors keep alarming locally and buffer 72 hours"],
            ["Can we keep our DECT phones?", "Yes, through your messaging gateway"],
            ["Where is the data stored?", "In the hosting region you choose"],
            ["Who sets the alarm limits?", "Your alarm committee; we only advise"],
        ], notes="For anything deeper, note the question and follow up in writing the same day."),
    ]
    build_pptx(path, slides, Props(modified=dt.datetime(2025, 12, 15, 9, 0)),
               "Internal: demo script")


def pptx_competitive(path: Path) -> None:
    slides = [
        Slide("Competitive landscape 2026",
              subtitle="Patient monitoring and remote care in our four regions",
              notes="Internal only. Never show competitor slides to customers and never "
                    "disparage a competitor in writing."),
        Slide("Market map", table=[
            ["Vendor", "Strength", "Typical segment", "Regions"],
            ["Meridian HealthSys", "Large installed base, intensive care portfolio",
             "University and large hospitals", "All four"],
            ["Helix Monitoring", "Low-cost wearables, fast pilots", "Clinics, virtual wards",
             "North America, UK&I"],
            ["Caldera Care Systems", "Nurse call plus care-home sensors", "Elder care",
             "UK&I, Nordics"],
            ["EHR vendor add-ons", "Already in the account", "Hospitals with one big EHR",
             "All four"],
        ], notes="We meet Meridian in two of three hospital deals and Helix in most remote "
                 "care deals."),
        Slide("Meridian HealthSys", bullets=[
            "Where they win: intensive care, existing framework contracts, 'nobody got fired "
            "for buying Meridian'",
            "Where we win: general wards, alarm burden, cloud central station, faster rollout",
            "Their central station needs on-site servers and a separate interface engine",
            "Key message: 'Keep Meridian in the ICU; let us make the wards quieter'",
        ], notes="Do not attack the ICU position. Land on the wards and expand."),
        Slide("Helix Monitoring", bullets=[
            "Where they win: price per sensor, quick pilots, slick patient app",
            "Where we win: bedside plus wearable on one platform, EU and UK hosting, "
            "medical-grade alarms",
            "Their hosting is US-only, which matters to DPOs in Europe",
            "Key message: 'A pilot is not a programme'",
        ], notes="See the Helix battlecard for landmine questions."),
        Slide("Caldera Care Systems", bullets=[
            "Where they win: care homes that are replacing nurse call anyway",
            "Where we win: vital signs and fall detection in one sensor, family app, evidence "
            "from Rosewood",
            "Partner rather than fight where Caldera nurse call is already installed: "
            "CareCloud Elder can send alerts into Caldera handsets",
        ], notes="Two UK partners also resell Caldera; check with partner management before "
                 "positioning against them."),
        Slide("Win/loss 2025", table=[
            ["Competitor", "Deals", "Won", "Win rate", "Top loss reason"],
            ["Meridian HealthSys", "64", "27", "42%", "Existing framework contract"],
            ["Helix Monitoring", "38", "23", "61%", "Price in pilot phase"],
            ["Caldera Care Systems", "21", "12", "57%", "Bundled with nurse call replacement"],
            ["No decision", "45", "-", "-", "No budget owner identified"],
        ], notes="'No decision' is our biggest competitor. Qualify the budget owner early."),
        Slide("Win themes that work", bullets=[
            "Quieter wards: alarm burden is measurable, so measure it (baseline study)",
            "One platform from bedside to home",
            "Local hosting and local references",
            "A rollout plan with weeks, not quarters",
        ], notes="Use at most two win themes per deal; more dilutes the message."),
    ]
    build_pptx(path, slides, Props(title="Competitive landscape 2026",
                                   author="Northwind Competitive Intelligence",
                                   subject="Competitive", modified=dt.datetime(2026, 1, 14, 9, 0)),
               "Internal: competitive")


def pptx_training(path: Path) -> None:
    slides = [
        Slide("Welcome to Northwind sales", subtitle="Onboarding programme, week one",
              notes="Facilitator deck for the monthly onboarding cohort."),
        Slide("Your first week", table=[
            ["Day", "Topic"],
            ["Monday", "Company, customers and the clinical problem"],
            ["Tuesday", "Products: VitalWatch V3, VitalWatch Go, CareCloud"],
            ["Wednesday", "Sales process, qualification and CRM"],
            ["Thursday", "Demo practice with a clinical specialist"],
            ["Friday", "Pricing, compliance and the pitch certification"],
        ], notes="Hand out the ward shadowing schedule: every new rep spends one shift on a "
                 "customer ward within the first month."),
        Slide("Who we sell to", table=[
            ["Segment", "Buying centre", "Typical first deal"],
            ["Hospitals", "Nursing director, CMIO, IT, finance, procurement",
             "€400k-€2m, 6-12 months"],
            ["Clinics", "Medical lead, practice manager, region", "€50k-€250k, 3-6 months"],
            ["Elder care", "Owner or operations director, registered manager",
             "€30k-€300k, 2-4 months"],
        ], notes="Elder care cycles are short but deals are small; hospitals the opposite."),
        Slide("Personas and what they care about", table=[
            ["Persona", "Cares about", "Good opening question"],
            ["Chief Nursing Officer", "Staff workload, patient safety",
             "How many alarms does a nurse hear per shift?"],
            ["CMIO", "Data quality, EHR integration", "How do vitals reach the EHR today?"],
            ["CIO / IT security", "Hosting, security, interfaces", "Which cloud services are "
             "already approved?"],
            ["CFO", "Capital versus operating budget, payback", "How are device replacements "
             "funded?"],
            ["Procurement", "Tender rules, frameworks", "Is there a framework we can use?"],
            ["Care home owner", "Occupancy, inspections, staffing", "How do you staff nights?"],
        ], notes="Write the persona names into the CRM contact roles; reporting depends on it."),
        Slide("Our sales stages", table=[
            ["Stage", "Exit criteria"],
            ["Prospecting", "Meeting booked with a named decision maker"],
            ["Discovery", "Pain, owner and budget path documented"],
            ["Demo", "Clinical champion confirms fit"],
            ["Proposal", "Proposal sent using the approved template"],
            ["Negotiation", "Commercial terms agreed in principle"],
            ["Closing", "Signed contract or purchase order"],
            ["Onboarding", "Handover to Professional Services completed"],
        ], notes="Satchel tags collateral with the same stages, so filtering by stage shows "
                 "what to use next."),
        Slide("Qualifying with PULSE", bullets=[
            "P - Pain: a measurable problem (alarms, late deterioration, night staffing)",
            "U - Urgency: end of support, inspection, tender date, budget cycle",
            "L - Leadership sponsor: a named executive who wants the change",
            "S - Solution fit: wards, interfaces and hosting match what we offer",
            "E - Economics: who pays, from which budget, and when",
        ], notes="An opportunity without a named sponsor stays in Discovery, whatever the "
                 "customer says about timing."),
        Slide("Product basics in five minutes", bullets=[
            "VitalWatch V3: bedside monitor, five parameters, 6-hour battery",
            "VitalWatch Go: wearable, 7-day battery, fall detection",
            "CareCloud: central station, alarm routing, early warning, remote, elder, insights",
            "Five hosting regions; ISO 27001 and SOC 2 Type II",
        ], notes="Details are in the datasheets; nobody expects you to know every spec."),
        Slide("Demo rules", bullets=[
            "Demo only what discovery showed the customer needs",
            "Always use the Mr. Jansen storyline in the demo tenant",
            "Never demo on a customer's network without IT approval",
            "Bring a clinical specialist for any hospital demo",
        ], notes="See the CareCloud demo walkthrough deck."),
        Slide("Pricing basics", bullets=[
            "List prices live in the price list and the pricing deck; check the version date",
            "Discounts above 10% need approval; never promise a discount before approval",
            "Do not e-mail spreadsheets with prices; quotes come from CPQ",
            "Public tenders follow the bid team's rules, not ours",
        ], notes="Most pricing mistakes come from old spreadsheets. Satchel always shows the "
                 "current price list."),
        Slide("Compliance: what you may and may not say", bullets=[
            "Only claim clinical results that appear in approved collateral",
            "No off-label use: VitalWatch Go is not cleared for neonatal use",
            "Hospitality for healthcare professionals follows the local code; when in doubt, "
            "ask compliance",
            "Never ask for or accept information about a competitor's tender submission",
        ], notes="Compliance breaches end careers. Ask before, not after."),
        Slide("Finding collateral in Satchel", bullets=[
            "Search works offline and looks inside decks, PDFs and spreadsheets",
            "Filter by product, segment, stage, persona and region",
            "Expired items disappear automatically, so what you find is approved",
            "Tell marketing which items helped you win",
        ], notes="Let everyone try three searches on their own laptop: 'NEWS2', 'works "
                 "council' and the name of a competitor."),
        Slide("Certification checklist", bullets=[
            "Day 10: product quiz (pass mark 80%)",
            "Day 20: recorded discovery role-play",
            "Day 30: corporate pitch certification with your manager",
            "Day 45: supervised customer demo",
        ], notes="Certification status is visible to managers in the learning portal."),
    ]
    build_pptx(path, slides, Props(title="Sales onboarding: week one",
                                   author="Northwind Sales Enablement", subject="Training",
                                   modified=dt.datetime(2026, 1, 13, 8, 0)),
               "Internal: sales enablement")


# --------------------------------------------------------------------------- documents


def docx_proposal_template(path: Path) -> None:
    blocks: list[Block] = [
        ("title", "Proposal for [Customer name]"),
        ("p", "**Continuous patient monitoring with VitalWatch V3 and CareCloud**"),
        ("p", "Prepared for: [Name, role]  |  Prepared by: [Account executive], Northwind "
              "Medical  |  Date: [date]  |  Valid until: [date + 90 days]"),
        ("h1", "How to use this template (delete this section before sending)"),
        ("bullets", [
            "Replace everything in square brackets. Search for '[' before you send.",
            "Paste the commercial table from CPQ into section 5; do not type prices by hand.",
            "Do not change section 7 without approval from legal.",
            "Attach the security and compliance whitepaper and the case study closest to the "
            "customer's segment and country.",
        ]),
        ("h1", "1. Executive summary"),
        ("p", "[Customer name] wants to [goal from discovery, e.g. replace end-of-life monitors on "
              "eight general wards and reduce alarm burden for nursing staff]. This proposal "
              "describes how VitalWatch V3 bedside monitors, VitalWatch Go wearable sensors and "
              "the CareCloud platform will achieve this within [16] weeks of signature, and what "
              "it will cost."),
        ("p", "We expect [customer name] to see [fewer non-actionable alarms, faster responses "
              "to deteriorating patients, time saved on documentation]. Comparable hospitals, "
              "such as [reference customer], have achieved [result from approved case study]."),
        ("h1", "2. Our understanding of your situation"),
        ("bullets", [
            "[Current monitoring set-up, age and support status]",
            "[Alarm burden or deterioration problems described by the customer]",
            "[IT requirements: hosting, interfaces, identity provider]",
            "[Decision timeline and budget source]",
        ]),
        ("h1", "3. Proposed solution"),
        ("table", [["Component", "Scope", "Notes"],
                   ["VitalWatch V3", "[number] monitors on [wards]", "Including [options]"],
                   ["VitalWatch Go", "[number] sensors", "Transport and ambulatory patients"],
                   ["CareCloud [edition]", "[number] monitored beds", "Hosted in [region]"],
                   ["Services", "Implementation for [number] wards, [number] training days",
                    "See section 4"]]),
        ("h1", "4. Implementation approach"),
        ("p", "We follow Northwind's standard 16-week hospital plan, adapted to your wards and "
              "interfaces. A named project manager leads the Northwind team; we ask you to "
              "name a project lead, an IT integration contact and a clinical lead."),
        ("table", [["Weeks", "Phase", "Outcome"],
                   ["1-3", "Mobilise and baseline", "Alarm committee formed, baseline data"],
                   ["4-6", "Interfaces and configuration", "ADT, FHIR and handsets tested"],
                   ["7-8", "Pilot ward", "Alarm profiles confirmed"],
                   ["9-14", "Rollout", "All wards live"],
                   ["15-16", "Hypercare and handover", "Acceptance signed"]]),
        ("h1", "5. Commercial summary"),
        ("table", [["Item", "Quantity", "Unit price", "Discount", "Total"],
                   ["[from CPQ]", "", "", "", ""],
                   ["[from CPQ]", "", "", "", ""],
                   ["One-time total", "", "", "", "[amount]"],
                   ["Annual subscription", "", "", "", "[amount]"]]),
        ("p", "Prices in [currency], excluding VAT. Devices are invoiced on delivery; the "
              "subscription is invoiced annually in advance from the first ward go-live."),
        ("h1", "6. Why Northwind Medical"),
        ("bullets", [
            "Quieter wards: alarm routing to the assigned nurse and central alarm profiles.",
            "Earlier warnings: NEWS2 calculated continuously.",
            "Open integration: HL7 and FHIR, no additional interface engine.",
            "Hosting in [region], ISO 27001 certified, SOC 2 Type II audited.",
        ]),
        ("h1", "7. Terms and next steps"),
        ("bullets", [
            "This offer is subject to Northwind Medical's General Terms of Sale 2026 and the "
            "CareCloud Subscription Agreement.",
            "A data processing agreement under Article 28 GDPR (or a HIPAA business associate "
            "agreement in the United States) is part of the contract.",
            "Next steps: [workshop date], [decision date], [target signature date].",
        ]),
        ("h2", "Signatures"),
        ("table", [["For [Customer name]", "For Northwind Medical"],
                   ["Name:", "Name:"], ["Title:", "Title:"], ["Date:", "Date:"]]),
    ]
    build_docx(path, blocks, Props(title="Proposal template: hospitals",
                                   author="Northwind Deal Desk", subject="Proposal template",
                                   modified=dt.datetime(2026, 1, 6, 11, 0)))


def docx_objection_guide(path: Path) -> None:
    def objection(quote: str, behind: str, say: str, proof: str) -> list[Block]:
        return [("h2", quote), ("p", "**What is behind it:** " + behind),
                ("p", "**Say:** " + say), ("p", "**Proof:** " + proof)]

    blocks: list[Block] = [
        ("title", "Objection handling guide"),
        ("p", "Objections are usually questions in disguise. Use the same four steps every "
              "time: **Listen** to the end, **Ask** one question to find the real concern, "
              "**Answer** briefly with proof, and **Advance** to a concrete next step."),
        ("h1", "Price and budget"),
        *objection("\u201cYour monitors are more expensive than the alternatives.\u201d",
                   "The customer compares device list prices, not the cost of running the ward.",
                   "\u201cOn device price alone we are rarely the cheapest. What we would like to "
                   "compare is the cost per monitored bed over five years, including the "
                   "central station, interfaces and nurse time. Shall we do that together in "
                   "the ROI calculator?\u201d",
                   "Klinikum Sankt Anna: 26 minutes of documentation time saved per nurse and "
                   "shift."),
        *objection("\u201cWe have no budget this year.\u201d",
                   "Often true for capital, less often for operating budgets.",
                   "\u201cUnderstood. Many hospitals start with a subscription for one ward from "
                   "the operating budget and add devices in the next capital round. Would a "
                   "pilot ward fit this year's budget?\u201d",
                   "Ramp pricing: the subscription grows ward by ward."),
        *objection("\u201cWhy should we pay a subscription for monitors we already bought?\u201d",
                   "Concern about recurring costs and lock-in.",
                   "\u201cThe subscription replaces the central station servers, their "
                   "maintenance contract and the interface engine. Your devices keep working "
                   "and alarming at the bedside even without CareCloud.\u201d",
                   "Typical maintenance savings are in the ROI calculator assumptions."),
        ("h1", "Incumbents and competitors"),
        *objection("\u201cWe have always bought Meridian.\u201d",
                   "Low risk appetite, an existing framework contract, or a loyal ICU team.",
                   "\u201cMeridian is strong in intensive care and we would not ask you to change "
                   "that. Where do you see the biggest alarm burden: in the ICU or on the "
                   "general wards?\u201d",
                   "Win/loss: we win most often where Meridian's ward offering is a copy of the "
                   "ICU set-up."),
        *objection("\u201cHelix offered us a free pilot.\u201d",
                   "The customer wants to try before buying, and a free pilot sounds safe.",
                   "\u201cA pilot is a good idea. Before you start one, agree what success looks "
                   "like and what the price will be afterwards. We are happy to run a paid "
                   "pilot ward with the same success criteria.\u201d",
                   "See the Helix battlecard for questions about hosting and post-pilot pricing."),
        ("h1", "IT, security and data protection"),
        *objection("\u201cOur IT does not allow patient data in the cloud.\u201d",
                   "Usually a policy written before approved cloud services existed, or a "
                   "concern about data leaving the country.",
                   "\u201cWhich cloud services have already been approved, and what conditions did "
                   "they have to meet? CareCloud is hosted in your country's region, ISO 27001 "
                   "certified and audited against SOC 2.\u201d",
                   "Security and compliance whitepaper, pages 2 and 3."),
        *objection("\u201cWe do not want yet another interface.\u201d",
                   "Interface teams are the bottleneck in most hospitals.",
                   "\u201cCareCloud uses your existing ADT feed and writes FHIR Observations to "
                   "the "
                   "EHR. There is no additional interface engine to run.\u201d",
                   "Klinikum Sankt Anna went live without an additional interface engine."),
        *objection("\u201cOur works council will never agree.\u201d",
                   "Fear of performance monitoring of individual nurses.",
                   "\u201cReports in CareCloud are ward-level by default, and individual response-"
                   "time reports can be switched off. We can join a works council meeting to "
                   "explain the role model.\u201d",
                   "The Sankt Anna works agreement is described in the case study."),
        ("h1", "Clinical and workflow"),
        *objection("\u201cNurses do not want another device.\u201d",
                   "Bad experiences with earlier technology projects.",
                   "\u201cThen let the nurses decide. We propose a pilot on one ward where the "
                   "nurses set the success criteria.\u201d",
                   "Rosewood and Sankt Anna both used nurse-defined success criteria."),
        *objection("\u201cFewer alarms means we will miss something.\u201d",
                   "A genuine patient-safety concern; take it seriously.",
                   "\u201cThe goal is not fewer alarms, it is fewer meaningless ones. Delays are "
                   "seconds long, thresholds are set by your alarm committee, and NEWS2 adds a "
                   "safety net that single-parameter alarms do not have.\u201d",
                   "Sankt Anna: cardiac arrest calls on monitored wards fell by 23%."),
        ("h1", "Process and timing"),
        *objection("\u201cWe have to run a public tender.\u201d",
                   "Procurement rules, not a rejection.",
                   "\u201cOf course. Is there an existing framework agreement we could use, and "
                   "can we help with a market consultation so the specification reflects "
                   "current technology?\u201d",
                   "Involve the bid team at least four weeks before any deadline."),
        *objection("\u201cCome back after our EHR migration.\u201d",
                   "The IT team is overloaded for the next 12 to 18 months.",
                   "\u201cThat makes sense for anything that needs heavy IT work. CareCloud can "
                   "start with the ADT feed only and add FHIR write-back once the EHR "
                   "migration is complete, so the wards do not have to wait.\u201d",
                   "Phased integration is described in the implementation plan."),
    ]
    build_docx(path, blocks, Props(author="Northwind Sales Enablement",
                                   subject="Sales playbook",
                                   modified=dt.datetime(2025, 12, 9, 14, 0)))


def docx_implementation_plan(path: Path) -> None:
    blocks: list[Block] = [
        ("title", "Implementation plan: 16-week hospital rollout"),
        ("p", "This is Northwind Professional Services' standard plan for introducing "
              "VitalWatch V3, VitalWatch Go and CareCloud in a hospital. Adapt the weeks to the "
              "number of wards and to the customer's change windows; keep the phase order."),
        ("h1", "Roles"),
        ("table", [["Role", "Northwind Medical", "Customer"],
                   ["Project lead", "Project manager (named in the contract)",
                    "Project lead with decision authority"],
                   ["Clinical", "Clinical specialist (nurse)", "Clinical lead and alarm committee"],
                   ["Integration", "Integration engineer", "Interface team, EHR analyst"],
                   ["Infrastructure", "Solution architect", "Network and Wi-Fi team"],
                   ["Training", "Trainer", "Super-users (2-3 per ward)"]]),
        ("h1", "Phase 1: Mobilise and baseline (weeks 1-3)"),
        ("bullets", [
            "Kick-off meeting; confirm scope, ward order and go-live dates.",
            "Form the alarm committee: nursing, medicine, clinical engineering.",
            "Capture three weeks of baseline alarm data on the existing monitors, where possible.",
            "Wi-Fi survey of all wards in scope: -67 dBm or better at every bed space.",
        ]),
        ("p", "**Exit criteria:** project plan signed off, baseline data available, Wi-Fi "
              "remediation planned."),
        ("h1", "Phase 2: Interfaces and configuration (weeks 4-6)"),
        ("bullets", [
            "Open firewall rules for the CareCloud region; test device certificates.",
            "Connect the HL7 ADT feed; validate patient identity on a test ward.",
            "Configure FHIR R4 write-back of vital signs to the EHR.",
            "Connect the messaging gateway for DECT handsets or smartphones.",
            "Configure single sign-on and role mapping.",
        ]),
        ("p", "**Exit criteria:** end-to-end test from monitor to EHR and handset signed by the "
              "customer's IT."),
        ("h1", "Phase 3: Pilot ward (weeks 7-8)"),
        ("bullets", [
            "Train the pilot ward's super-users (one day) and all nurses (90 minutes each).",
            "Go live with the alarm profiles agreed by the alarm committee.",
            "Daily huddles in week 7; review alarm reports at the end of week 8.",
        ]),
        ("h1", "Phase 4: Ward-by-ward rollout (weeks 9-14)"),
        ("bullets", [
            "Two wards per week; old monitors are removed on the day of go-live.",
            "Super-users from earlier wards support the next ones.",
            "Weekly alarm report to the alarm committee.",
        ]),
        ("h1", "Phase 5: Hypercare and handover (weeks 15-16)"),
        ("bullets", [
            "On-site support for two weeks after the last ward goes live.",
            "Final alarm profile review; document all settings.",
            "Handover to the customer's service desk and Northwind support.",
            "Acceptance meeting and signature.",
        ]),
        ("h1", "Governance"),
        ("bullets", [
            "Weekly project call; RAID log maintained in the rollout tracker.",
            "Steering committee every four weeks with the customer's sponsor.",
            "Change requests are assessed within five working days.",
        ]),
        ("h1", "Top risks"),
        ("table", [["Risk", "Likelihood", "Mitigation"],
                   ["Wi-Fi coverage gaps in older buildings", "High",
                    "Survey in week 1; budget for extra access points"],
                   ["Interface team not available", "Medium",
                    "Book interface slots at contract signature"],
                   ["Works council approval delayed", "Medium (DACH)",
                    "Start the consultation before signature"],
                   ["Super-users not released from shifts", "Medium",
                    "Agree backfill with the nursing directorate"]]),
        ("h1", "Acceptance"),
        ("p", "The project is accepted when all wards in scope are live, the end-to-end tests "
              "are passed and no priority 1 or 2 defects are open. Remaining minor items are "
              "tracked through normal support."),
    ]
    build_docx(path, blocks, Props(title="Implementation plan: 16-week hospital rollout",
                                   author="Northwind Professional Services",
                                   subject="Implementation",
                                   modified=dt.datetime(2025, 10, 20, 9, 0)))


def docx_partner_brief(path: Path) -> None:
    blocks: list[Block] = [
        ("title", "Northwind Partner Network: programme brief 2026"),
        ("p", "Northwind Medical sells directly to large hospital groups and through certified "
              "partners everywhere else. This brief summarises the partner tiers, margins, deal "
              "registration and the rules of engagement between partners and Northwind sales."),
        ("h1", "Partner tiers"),
        ("table", [["Tier", "Requirements", "Margin on devices", "Margin on CareCloud",
                    "Benefits"],
                   ["Registered", "Signed partner agreement, 1 certified seller", "12%", "10%",
                    "Partner portal, demo tenant"],
                   ["Silver", "2 certified sellers, 1 certified engineer, EUR 250k annual "
                    "revenue", "18%", "15%", "Demo equipment at 50%, joint marketing"],
                   ["Gold", "5 certified sellers, 3 certified engineers, EUR 1m annual revenue",
                    "24%", "20%", "Market development funds (2% of revenue), named partner "
                    "manager"]]),
        ("h1", "Deal registration"),
        ("bullets", [
            "Register opportunities in the partner portal before the first proposal.",
            "Approved registrations are protected for 90 days and can be extended once.",
            "Deal registration adds 5 percentage points of margin on devices for the "
            "registered opportunity.",
            "Registrations are approved or rejected within three business days.",
        ]),
        ("h1", "Certification"),
        ("table", [["Track", "Format", "Validity"],
                   ["Certified seller", "Two-day course and online exam", "2 years"],
                   ["Certified engineer", "Four-day course, practical installation test",
                    "2 years"],
                   ["Elder care specialist", "One-day course", "2 years"]]),
        ("h1", "Rules of engagement"),
        ("bullets", [
            "Named strategic accounts are served directly by Northwind; partners may be "
            "invited as service providers.",
            "All other accounts are partner-led in the partner's contracted territory.",
            "Conflicts are decided by the regional sales director within five business days.",
            "Partners may not quote below the partner floor price without deal desk approval.",
        ]),
        ("h1", "Current partners by region"),
        ("table", [["Region", "Partner", "Tier"],
                   ["DACH", "Alpenmed Vertrieb GmbH (Austria)", "Gold"],
                   ["DACH", "Rheinklinik Services AG (Switzerland)", "Silver"],
                   ["Nordics", "MedLink Nordic AB (Sweden, Norway)", "Gold"],
                   ["UK&I", "ClearWard Solutions Ltd (Ireland)", "Silver"],
                   ["North America", "Prairie Clinical Systems (Canada)", "Registered"]]),
        ("h1", "Contacts"),
        ("p", "Partner management: partners@northwind-medical.example. Partner portal access "
              "requests are handled within one business day."),
    ]
    build_docx(path, blocks, Props(title="Northwind Partner Network: programme brief 2026",
                                   author="Northwind Partner Management",
                                   subject="Partner programme",
                                   modified=dt.datetime(2026, 1, 2, 10, 0)))


def docx_battlecard_meridian(path: Path) -> None:
    blocks: list[Block] = [
        ("title", "Battlecard: Meridian HealthSys"),
        ("p", "Internal use only. Do not share, forward or quote to customers."),
        ("h1", "Snapshot"),
        ("table", [["Item", "Meridian HealthSys"],
                   ["Products", "MeriVue bedside monitors, MeriCentral station (on-premises), "
                                "MeriLink interface engine"],
                   ["Strengths", "Intensive care portfolio, installed base, framework contracts"],
                   ["Weaknesses", "On-premises servers, separate interface engine, ward alarm "
                                  "defaults copied from ICU, long rollouts"],
                   ["Pricing pattern", "Low device price, high service and interface fees"],
                   ["Regions", "All four of our regions"]]),
        ("h1", "Their pitch"),
        ("p", "\u201cOne vendor from the ICU to the ward, with the monitors your intensive care "
              "team already knows.\u201d"),
        ("h1", "Our counter"),
        ("bullets", [
            "General wards are not intensive care units: they need fewer, better alarms and "
            "routing to the right nurse.",
            "CareCloud replaces the central station servers and the interface engine.",
            "Our rollouts are measured in weeks: 16 weeks for a typical hospital.",
        ]),
        ("h1", "Landmine questions"),
        ("bullets", [
            "\u201cHow many servers does the central station need, and who patches them?\u201d",
            "\u201cWhat does the interface engine cost per year, including support?\u201d",
            "\u201cCan alarms be routed to the assigned nurse instead of the whole ward?\u201d",
            "\u201cHow long did the last ward rollout at a hospital like ours take?\u201d",
        ]),
        ("h1", "Proof points"),
        ("bullets", [
            "Klinikum Sankt Anna replaced eleven-year-old Meridian monitors on 14 wards.",
            "2025 win rate against Meridian: 42% overall, above 60% on general-ward deals.",
        ]),
        ("h1", "Do not"),
        ("bullets", [
            "Do not criticise Meridian's ICU products; the ICU team will defend them.",
            "Do not claim that Meridian has security problems; talk about our certifications.",
        ]),
    ]
    build_docx(path, blocks, Props(title="Battlecard: Meridian HealthSys",
                                   author="Northwind Competitive Intelligence",
                                   subject="Battlecard",
                                   modified=dt.datetime(2026, 1, 14, 10, 0)))


def docx_battlecard_helix(path: Path) -> None:
    blocks: list[Block] = [
        ("title", "Battlecard: Helix Monitoring"),
        ("p", "Internal use only. Do not share, forward or quote to customers."),
        ("h1", "Snapshot"),
        ("table", [["Item", "Helix Monitoring"],
                   ["Products", "Helix Band wearable, Helix Hub app, Helix Virtual Ward portal"],
                   ["Strengths", "Low sensor price, free pilots, attractive patient app"],
                   ["Weaknesses", "No bedside monitor, US-only hosting, consumer-grade alarm "
                                  "handling, small support team in Europe"],
                   ["Pricing pattern", "Free 90-day pilot, then per-patient pricing well above "
                                       "the pilot quote"],
                   ["Regions", "North America, UK&I; first deals in the Nordics"]]),
        ("h1", "Their pitch"),
        ("p", "\u201cStart a virtual ward next month, free for 90 days.\u201d"),
        ("h1", "Our counter"),
        ("bullets", [
            "Helix only covers the patient at home; Northwind covers the same patient from the "
            "ward bed to the kitchen table on one platform.",
            "CareCloud is hosted in the customer's region; Helix stores data in the United "
            "States.",
            "VitalWatch Go alarms are part of a medical device system with documented alarm "
            "priorities.",
        ]),
        ("h1", "Helix landmine questions"),  # FACT
        ("bullets", [
            "\u201cIn which country is patient data stored, and who can access it from "
            "there?\u201d",
            "\u201cWhat will the price per patient be when the free pilot ends?\u201d",
            "\u201cWhich alarms are handled as medical alarms, and under which regulatory "
            "class?\u201d",
            "\u201cHow does Helix connect to the bedside monitors on our wards?\u201d",
        ]),
        ("h1", "Handling the free pilot"),
        ("p", "Do not compete with 'free'. Offer a paid pilot ward with agreed success "
              "criteria and a price that continues after the pilot. Ask the customer's DPO to "
              "review the hosting location of both offers before the pilot starts."),
        ("h1", "Proof points"),
        ("bullets", [
            "Lindgården Vårdcentral chose CareCloud Remote for EU-North hosting.",
            "2025 win rate against Helix: 61%; most losses were in the pilot phase on price.",
        ]),
    ]
    build_docx(path, blocks, Props(modified=dt.datetime(2026, 1, 14, 10, 30)))


# --------------------------------------------------------------------------- workbooks


def _region_sheet(region: str, year: int, rows: Iterable[tuple[Any, ...]], col: int) -> Sheet:
    cur = CURRENCY[region]
    tax = "sales tax" if region == "North America" else "VAT"
    data: list[list[Any]] = [
        [f"{region} list prices {year} ({cur}, excluding {tax})"],
        [f"Valid for quotes issued from 1 January {year}. Quote in {cur}."],
        ["Code", "Description", "Unit", f"List price ({cur})", "Notes"],
    ]
    for row in rows:
        note = ""
        if row[0].startswith("CC-"):
            note = "Billed annually in advance; minimum term 12 months"
        elif row[0] == "VWG-SENSOR":
            note = "Replacement straps sold in packs of 10 (VWG-STRAP)"
        elif row[0] == "SVC-IMPL":
            note = "Includes two weeks of hypercare per ward"
        data.append([row[0], row[1], row[2], row[col], note])
    return Sheet(region, data, widths=(13, 58, 30, 16, 48), header_row=3, title_rows=2,
                 formats={"D": "#,##0"}, freeze="A4")


def xlsx_price_list(path: Path) -> None:
    readme = Sheet("Read me", [
        ["Northwind Medical price list 2026"],
        ["Deal desk, version 2, January 2026"],
        [],
        ["Topic", "Details"],
        ["Validity", "Quotes issued from 1 January 2026 until replaced by a newer version."],
        ["Currencies", "DACH and Nordics in EUR, UK&I in GBP, North America in USD. Nordic "
                       "orders may be invoiced in SEK, NOK or DKK at the deal desk's monthly "
                       "rate."],
        ["Sheets", "One sheet per region with list prices; discounts and approvals on the "
                   "Discounts sheet."],
        ["What changed", "List prices up 3-4% on 2025; new Nordics sheet; new 500+ volume band; "
                         "Nordic regional framework discount."],
        ["Questions", "dealdesk@northwind-medical.example"],
    ], widths=(16, 100), header_row=4, title_rows=2)
    sheets = [readme] + [_region_sheet(r, 2026, PRICES_2026, 3 + i)
                         for i, r in enumerate(REGIONS)]
    sheets.append(Sheet("Discounts", [
        ["Discounts and approvals 2026"],
        ["Discounts apply to list prices; volume and term discounts stack, framework "
         "discounts do not."],
        ["Discount type", "Condition", "Discount", "Applies to", "Notes"],
        ["Volume band", "1-49 monitored beds or residents", 0, "Devices and subscription", ""],
        ["Volume band", "50-199 monitored beds or residents", 0.05, "Devices and subscription",
         ""],
        ["Volume band", "200-499 monitored beds or residents", 0.10, "Devices and subscription",
         ""],
        ["Volume band", "500 or more monitored beds or residents", 0.14,
         "Devices and subscription", "New in 2026"],
        ["Term", "3-year subscription commitment", 0.04, "Subscription only", ""],
        ["Term", "5-year subscription commitment", 0.07, "Subscription only", ""],
        ["Nordic framework discount", "Order placed under a Nordic regional framework agreement",
         0.08, "Devices and subscription",
         "Fixed; replaces volume bands; new in 2026"],  # FACT
        ["UK&I public framework", "Order placed under a UK or Irish public-sector framework",
         None, "As per framework schedule", "Ask the bid team for the schedule"],
        [],
        ["Approval level", "Total discount up to", "", "", ""],
        ["Account executive", 0.10, "", "", ""],
        ["Regional sales director", 0.18, "", "", ""],
        ["VP Sales with deal desk", 0.25, "", "", ""],
        ["CFO", "above 25%", "", "", ""],
    ], widths=(26, 52, 12, 26, 42), header_row=3, title_rows=2,
        formats={"C": "0%", "B": "0%"}))
    build_xlsx(path, sheets, Props(title="Northwind Medical price list 2026",
                                   author="Northwind Deal Desk", subject="Price list",
                                   modified=dt.datetime(2026, 1, 5, 8, 0)))


def xlsx_price_list_2025(path: Path) -> None:
    regions_2025 = ("DACH", "UK&I", "North America")
    readme = Sheet("Read me", [
        ["Northwind Medical price list 2025"],
        ["Deal desk, version 1, January 2025"],
        [],
        ["Topic", "Details"],
        ["Validity", "Quotes issued from 1 January 2025 until replaced by a newer version."],
        ["Currencies", "DACH in EUR, UK&I in GBP, North America in USD. Nordic customers are "
                       "quoted from the DACH sheet in EUR."],
        ["Sheets", "One sheet per region with list prices; discounts and approvals on the "
                   "Discounts sheet."],
        ["Questions", "dealdesk@northwind-medical.example"],
    ], widths=(16, 100), header_row=4, title_rows=2)
    sheets = [readme] + [_region_sheet(r, 2025, PRICES_2025, 3 + i)
                         for i, r in enumerate(regions_2025)]
    sheets.append(Sheet("Discounts", [
        ["Discounts and approvals 2025"],
        ["Discounts apply to list prices; volume and term discounts stack."],
        ["Discount type", "Condition", "Discount", "Applies to", "Notes"],
        ["Volume band", "1-49 monitored beds or residents", 0, "Devices and subscription", ""],
        ["Volume band", "50-199 monitored beds or residents", 0.05, "Devices and subscription",
         ""],
        ["Volume band", "200 or more monitored beds or residents", 0.10,
         "Devices and subscription", ""],
        ["Term", "3-year subscription commitment", 0.04, "Subscription only", ""],
        ["Term", "5-year subscription commitment", 0.07, "Subscription only", ""],
        [],
        ["Approval level", "Total discount up to", "", "", ""],
        ["Account executive", 0.10, "", "", ""],
        ["Regional sales director", 0.18, "", "", ""],
        ["VP Sales with deal desk", 0.25, "", "", ""],
        ["CFO", "above 25%", "", "", ""],
    ], widths=(26, 52, 12, 26, 42), header_row=3, title_rows=2,
        formats={"C": "0%", "B": "0%"}))
    build_xlsx(path, sheets, Props(title="Northwind Medical price list 2025",
                                   author="Northwind Deal Desk", subject="Price list",
                                   created=dt.datetime(2024, 12, 2, 8, 0),
                                   modified=dt.datetime(2025, 1, 6, 8, 0)))


# ROI calculator defaults, mirrored in Python so the worked example is exact.
ROI_INPUTS = [  # label, value, number format
    ("Hospital or site name", "[Your hospital]", "@"),
    ("Monitored beds", 240, "#,##0"),
    ("Wards", 12, "#,##0"),
    ("Nurses per ward and shift", 5, "#,##0"),
    ("Shifts per day", 3, "#,##0"),
    ("Fully loaded nurse cost per hour (EUR)", 48, "#,##0"),
    ("Unplanned ICU transfers per year from these wards", 180, "#,##0"),
    ("Cost of one unplanned ICU transfer (EUR)", 9500, "#,##0"),
    ("Current maintenance cost of monitors and central stations per year (EUR)", 210000,
     "#,##0"),
    ("VitalWatch Go sensors", 160, "#,##0"),
]
ROI_ASSUMPTIONS = [  # label, value, source
    ("Nurse minutes saved per nurse and shift", 12,
     "Conservative; Klinikum Sankt Anna measured 26 minutes"),
    ("Share of time savings counted as cashable", 0.6, "Finance convention; adjust with the CFO"),
    ("Reduction in unplanned ICU transfers", 0.18, "Klinikum Sankt Anna, 12 months"),
    ("Share of current maintenance cost avoided", 1.0, "Old contract ends at go-live"),
    ("VitalWatch V3 list price per monitor (EUR)", price("VW3-BASE"), "Price list 2026, DACH"),
    ("VitalWatch Go list price per sensor (EUR)", price("VWG-SENSOR"), "Price list 2026, DACH"),
    ("Implementation per ward (EUR)", price("SVC-IMPL"), "Price list 2026, DACH"),
    ("CareCloud Professional per bed and month (EUR)", price("CC-PRO"), "Price list 2026, DACH"),
]


def roi_example() -> dict[str, float]:
    vals = [v for _, v, _ in ROI_INPUTS]
    asm = [v for _, v, _ in ROI_ASSUMPTIONS]
    beds, wards, nurses, shifts, cost, icu, icu_cost, maint, sensors = vals[1:]
    minutes, cashable, icu_red, maint_share, p_mon, p_go, p_impl, p_cc = asm
    hours = wards * nurses * shifts * 365 * minutes / 60
    nurse_value = hours * cost * cashable
    icu_value = icu * icu_red * icu_cost
    maint_value = maint * maint_share
    benefit = nurse_value + icu_value + maint_value
    invest = beds * p_mon + sensors * p_go + wards * p_impl
    subscription = beds * p_cc * 12
    net = benefit - subscription
    return {"hours": hours, "benefit": benefit, "invest": invest, "subscription": subscription,
            "net": net, "payback": invest / net * 12, "five_year": 5 * net - invest}


def xlsx_roi(path: Path) -> None:
    inputs = Sheet("Inputs", [
        ["ROI calculator: VitalWatch and CareCloud for hospitals"],
        ["Enter the customer's numbers in the yellow cells. All amounts in EUR."],
        ["Input", "Value"],
        *[[label, value] for label, value, _ in ROI_INPUTS],
    ], widths=(70, 18), header_row=3, title_rows=2, formats={"B": "#,##0"},
        input_cells=[f"B{r}" for r in range(4, 4 + len(ROI_INPUTS))])
    # Inputs rows: B4 name, B5 beds, B6 wards, B7 nurses, B8 shifts, B9 cost, B10 icu,
    # B11 icu cost, B12 maintenance, B13 sensors. Assumptions rows B4..B11.
    ex = roi_example()
    results = Sheet("Results", [
        ["Results"],
        ["Calculated from the Inputs and Assumptions sheets; do not edit this sheet."],
        ["Measure", "Value", "How it is calculated"],
        ["Nurse hours saved per year",
         "=Inputs!B6*Inputs!B7*Inputs!B8*365*Assumptions!B4/60",
         "Wards x nurses x shifts x 365 x minutes saved"],
        ["Value of nurse time (cashable share)", "=B4*Inputs!B9*Assumptions!B5",
         "Hours x cost per hour x cashable share"],
        ["Avoided ICU transfers (value)", "=Inputs!B10*Assumptions!B6*Inputs!B11",
         "Transfers x reduction x cost per transfer"],
        ["Avoided maintenance", "=Inputs!B12*Assumptions!B7", "Current cost x share avoided"],
        ["Total annual benefit", "=B5+B6+B7", ""],
        ["One-time investment",
         "=Inputs!B5*Assumptions!B8+Inputs!B13*Assumptions!B9+Inputs!B6*Assumptions!B10",
         "Monitors, sensors and implementation at list price"],
        ["Annual CareCloud subscription", "=Inputs!B5*Assumptions!B11*12",
         "Monitored beds x price x 12"],
        ["Net annual benefit", "=B8-B10", "Benefit minus subscription"],
        ["Payback period (months)", "=B9/B11*12", "Investment / net annual benefit"],  # FACT
        ["Five-year net value", "=5*B11-B9", "Five years of net benefit minus investment"],
        [],
        ["Worked example with the default inputs: payback period of "
         f"{ex['payback']:.0f} months, five-year net value of EUR {ex['five_year']:,.0f}."],
    ], widths=(44, 18, 56), header_row=3, title_rows=2, formats={"B": "#,##0"})
    assumptions = Sheet("Assumptions", [
        ["Assumptions"],
        ["Change only together with the customer's finance team and note the source."],
        ["Assumption", "Value", "Source"],
        *[[label, value, source] for label, value, source in ROI_ASSUMPTIONS],
    ], widths=(52, 12, 60), header_row=3, title_rows=2, formats={"B": "#,##0.##"})
    build_xlsx(path, [inputs, results, assumptions],
               Props(author="Northwind Value Engineering",
                     modified=dt.datetime(2026, 1, 8, 15, 0)))


def xlsx_feature_matrix(path: Path) -> None:
    head = ["Capability", "Northwind", "Meridian HealthSys", "Helix Monitoring",
            "Caldera Care Systems", "Notes"]

    def sheet(name: str, title: str, rows: list[list[str]]) -> Sheet:
        return Sheet(name, [[title], ["Yes / Partial / No / Roadmap. Internal use only; "
                                      "verified January 2026."], head, *rows],
                     widths=(44, 14, 20, 18, 22, 54), header_row=3, title_rows=2, freeze="B4")

    bedside = sheet("Bedside monitoring", "Bedside monitoring", [
        ["Multi-parameter bedside monitor", "Yes", "Yes", "No", "No", ""],
        ["EtCO2 and invasive pressure", "Yes", "Yes", "No", "No", "Options on VitalWatch V3"],
        ["Configurable alarm delays per parameter", "Yes", "Partial", "No", "No",
         "Meridian: ICU profile only"],
        ["Central alarm profiles pushed to all beds", "Yes", "Partial", "No", "No", ""],
        ["On-device NEWS2", "Yes", "No", "No", "No", ""],
        ["Hot-swap battery for transport", "Yes", "Yes", "No", "No", ""],
    ])
    platform = sheet("Platform & integration", "Platform and integration", [
        ["Cloud central station", "Yes", "No", "Yes", "Partial",
         "Meridian MeriCentral is on-premises"],
        ["Alarm routing to assigned nurse", "Yes", "Partial", "No", "Yes", ""],
        ["HL7 v2 ADT and FHIR R4", "Yes", "Partial", "Partial", "No",
         "Meridian requires the MeriLink engine"],
        ["EU hosting (Frankfurt, Stockholm)", "Yes", "No", "No", "Yes",
         "Helix hosts in the United States only"],
        ["ISO 27001 certified", "Yes", "Yes", "Roadmap", "Yes", ""],
        ["SOC 2 Type II report", "Yes", "Yes", "Yes", "No", ""],
    ])
    elder = sheet("Elder care & remote", "Elder care and remote monitoring", [
        ["Wearable with 7-day battery", "Yes", "No", "Yes", "Partial", ""],
        ["Fall detection", "Yes", "No", "Yes", "Yes", ""],
        ["'Out of bed, not back' alerts", "Yes", "No", "No", "Yes", ""],
        ["Family app", "Yes", "No", "Partial", "No", ""],
        ["Home monitoring triage list", "Yes", "Partial", "Yes", "No", ""],
        ["Integration with nurse call", "Partial", "Yes", "No", "Yes",
         "CareCloud Elder can alert into Caldera handsets"],
    ])
    build_xlsx(path, [bedside, platform, elder],
               Props(title="Feature comparison matrix", author="Northwind Competitive Intelligence",
                     subject="Competitive", modified=dt.datetime(2026, 1, 14, 11, 0)))


def xlsx_rollout_tracker(path: Path) -> None:
    tasks = [
        ("T01", "Mobilise", "Kick-off meeting and scope confirmation", "Northwind PM", 1, 1),
        ("T02", "Mobilise", "Form alarm committee", "Customer clinical lead", 1, 2),
        ("T03", "Mobilise", "Baseline alarm data capture", "Northwind clinical specialist", 1, 3),
        ("T04", "Mobilise", "Wi-Fi survey of all wards in scope", "Customer network team", 1, 2),
        ("T05", "Interfaces", "Firewall rules and device certificates", "Customer IT", 4, 4),
        ("T06", "Interfaces", "HL7 ADT feed connected and validated", "Integration engineer", 4, 5),
        ("T07", "Interfaces", "FHIR R4 write-back to EHR", "Integration engineer", 5, 6),
        ("T08", "Interfaces", "Messaging gateway and handsets", "Customer IT", 5, 6),
        ("T09", "Interfaces", "Single sign-on and role mapping", "Customer IT", 6, 6),
        ("T10", "Pilot", "Super-user training, pilot ward", "Northwind trainer", 7, 7),
        ("T11", "Pilot", "Pilot ward go-live", "Joint", 7, 8),
        ("T12", "Rollout", "Ward-by-ward go-live, two wards per week", "Joint", 9, 14),
        ("T13", "Hypercare", "On-site hypercare", "Northwind PM", 15, 16),
        ("T14", "Hypercare", "Acceptance meeting", "Customer project lead", 16, 16),
    ]
    plan = Sheet("Plan", [
        ["Rollout project tracker: [customer name]"],
        ["Standard 16-week hospital plan. Update status weekly before the project call."],
        ["ID", "Phase", "Task", "Owner", "Start week", "End week", "Status"],
        *[[*t, "Not started"] for t in tasks],
    ], widths=(6, 12, 46, 30, 11, 10, 14), header_row=3, title_rows=2, freeze="A4")
    raci = Sheet("RACI", [
        ["RACI matrix"],
        ["R = responsible, A = accountable, C = consulted, I = informed"],
        ["Activity", "Northwind PM", "Customer project lead", "Customer IT", "Clinical lead",
         "Northwind clinical specialist"],
        ["Project plan", "R", "A", "C", "C", "I"],
        ["Alarm profiles", "I", "I", "I", "A", "R"],
        ["Interfaces", "C", "A", "R", "I", "I"],
        ["Training", "R", "A", "I", "C", "C"],
        ["Go-live decision", "C", "A", "C", "R", "C"],
    ], widths=(24, 16, 22, 14, 14, 28), header_row=3, title_rows=2)
    checklist = Sheet("Go-live checklist", [
        ["Go-live checklist per ward"],
        ["All items must be 'Done' before the ward goes live."],
        ["Item", "Owner", "Status"],
        ["Wi-Fi coverage confirmed at every bed space", "Customer network team", ""],
        ["Monitors installed, labelled and assigned to beds", "Northwind engineer", ""],
        ["Test patient admitted via ADT and visible on central station", "Integration engineer",
         ""],
        ["Test alarm reached the assigned nurse's handset", "Clinical lead", ""],
        ["All nurses on the rota trained (90 minutes)", "Ward manager", ""],
        ["Old monitors collected and wiped", "Northwind engineer", ""],
        ["Super-user on every shift for the first 72 hours", "Ward manager", ""],
    ], widths=(58, 26, 12), header_row=3, title_rows=2)
    build_xlsx(path, [plan, raci, checklist], Props(modified=dt.datetime(2025, 10, 20, 9, 30)))


# =========================================================================== library


@dataclass
class Item:
    folder: str  # relative to library/, "" for the top level
    name: str
    build: Callable[[Path], None]
    meta: dict[str, Any]

    @property
    def rel(self) -> str:
        return f"{self.folder}/{self.name}" if self.folder else self.name


def tags(product: Sequence[str] = (), segment: Sequence[str] = (), stage: Sequence[str] = (),
         persona: Sequence[str] = (), region: Sequence[str] = ("Global",)) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in (("product", product), ("segment", segment), ("stage", stage),
                       ("persona", persona), ("region", region)):
        if value:
            out[key] = list(value)
    return out


ALL_PRODUCTS = ("VitalWatch V3", "VitalWatch Go", "CareCloud")
ALL_REGIONS = ("DACH", "Nordics", "UK&I", "North America")
ALL_SEGMENTS = ("Hospitals", "Clinics", "Elder care")

# Folder sidecar: (comment, [defaults] or None)
FOLDERS: dict[str, tuple[str, dict[str, Any] | None]] = {
    "": ("Northwind Medical demo library: top-level defaults for every folder below.",
         {"owner": mail("marketing"), "tags": {"region": ["Global"]}}),
    "Decks": ("Pitch and overview decks. Owner and region come from the top-level defaults.",
              None),
    "One-pagers": ("Short customer-facing overviews and promotions.", None),
    "Case studies": ("Customer stories. Each customer approved reference use until the expiry "
                     "date.", {"owner": mail("marketing")}),
    "Pricing": ("Price lists and pricing tools. Internal unless stated otherwise.",
                {"owner": mail("pricing")}),
    "Competitive": ("Competitive intelligence. Internal only.",
                    {"owner": mail("competitive")}),
    "Competitive/Battlecards": ("One battlecard per competitor. Owner is inherited from "
                                "Competitive/.", None),
    "Product and compliance": ("Datasheets and whitepapers.", None),
    "Sales enablement": ("Training, playbooks and templates for sales teams and partners.",
                         {"owner": mail("enablement")}),
    "Implementation": ("Professional Services material for the onboarding stage.",
                       {"owner": mail("services")}),
}

ITEMS: list[Item] = [
    # ---- Decks
    Item("Decks", "Corporate Overview.pptx", pptx_corporate, {
        "id": "corporate-overview",
        "title": "Northwind Medical corporate overview",
        "description": "Ten-minute company introduction for first meetings and events: who we "
                       "are, portfolio, customers by segment, regions and hosting.",
        "tags": tags(ALL_PRODUCTS, ALL_SEGMENTS, ["Prospecting", "Discovery"],
                     ["CNO", "CMIO", "CFO", "Care home owner"]),
        "owner": mail("marketing"),
        "change_note": "2026 refresh: new customer logos and hosting regions",
    }),
    Item("Decks", "VitalWatch Hospital Pitch.pptx", pptx_hospital_pitch, {
        "id": "vitalwatch-hospital-pitch",
        "title": "VitalWatch hospital pitch: quieter wards, earlier warnings",
        "description": "First-meeting pitch for nursing directors and CMIOs: alarm burden, a "
                       "night shift story, hospital references, integration and ROI snapshot.",
        "tags": tags(["VitalWatch V3", "VitalWatch Go", "CareCloud"], ["Hospitals"],
                     ["Discovery", "Demo"], ["CNO", "CMIO", "Ward manager"], ALL_REGIONS),
        "owner": mail("marketing"),
    }),
    Item("Decks", "Elder Care Pitch.pptx", pptx_elder_care, {
        "id": "elder-care-pitch",
        "title": "Elder care pitch: safer nights in care homes",
        "description": "Pitch for care-home owners and registered managers: night checks, fall "
                       "alerts, family app, Rosewood results and per-resident pricing.",
        "tags": tags(["VitalWatch Go", "CareCloud"], ["Elder care"], ["Discovery", "Demo"],
                     ["Care home owner", "Registered manager"], ["UK&I", "Nordics", "DACH"]),
    }),
    Item("Decks", "CareCloud Demo Walkthrough.pptx", pptx_demo_walkthrough, {
        "title": "CareCloud demo walkthrough (internal)",
        "description": "25-minute demo storyline with the patient 'Mr. Jansen': central "
                       "station, alarm routing, early warning and insights, plus quick answers.",
        "tags": tags(["CareCloud", "VitalWatch V3"], ["Hospitals"], ["Demo"], ["Sales rep"],
                     ALL_REGIONS),
        "owner": mail("presales"),
    }),
    # ---- One-pagers
    Item("One-pagers", "VitalWatch One-Pager.pdf", pdf_onepager_vitalwatch, {
        "id": "vitalwatch-one-pager",
        "title": "VitalWatch V3 at a glance",
        "description": "One-page product overview of the VitalWatch V3 bedside monitor to leave "
                       "behind after a first meeting.",
        "tags": tags(["VitalWatch V3"], ["Hospitals", "Clinics"], ["Prospecting", "Discovery"],
                     ["CNO", "Ward manager", "Clinical lead"]),
        "owner": mail("product-marketing"),
    }),
    Item("One-pagers", "Winter Trade-In Promotion 2024.pdf", pdf_promo_winter, {
        "id": "winter-trade-in-2024",
        "title": "Winter trade-in promotion 2024/25",
        "description": "Trade-in credit for legacy monitors on VitalWatch V3 orders signed "
                       "between 1 November 2024 and 31 March 2025.",
        "tags": tags(["VitalWatch V3"], ["Hospitals", "Clinics"], ["Proposal", "Negotiation"],
                     ["CFO", "Procurement"], ALL_REGIONS),
        "owner": mail("marketing"),
        "expires": dt.date(2025, 3, 31),
    }),
    Item("One-pagers", "VitalWatch Product Family.png", build_png, {
        "title": "VitalWatch product family image",
        "description": "Simple illustration of VitalWatch V3, VitalWatch Go and CareCloud for "
                       "slides and e-mails.",
        "tags": tags(ALL_PRODUCTS, ALL_SEGMENTS, ["Prospecting"]),
    }),
    # ---- Case studies
    Item("Case studies", "Klinikum Sankt Anna Case Study.pdf", pdf_case_sankt_anna, {
        "id": "case-study-sankt-anna",
        "title": "Case study: Klinikum Sankt Anna, Freiburg",
        "description": "620-bed German teaching hospital: 41% fewer non-actionable alarms after "
                       "replacing legacy monitors with VitalWatch V3 and CareCloud.",
        "tags": tags(["VitalWatch V3", "VitalWatch Go", "CareCloud"], ["Hospitals"],
                     ["Discovery", "Proposal"], ["CNO", "CMIO", "CFO"], ["DACH"]),
        "expires": dt.date(2028, 12, 31),
    }),
    Item("Case studies", "Lindgarden Clinic Case Study.pdf", pdf_case_lindgarden, {
        "id": "case-study-lindgarden",
        "title": "Case study: Lindgården Vårdcentral, Uppsala",
        "description": "Swedish primary-care clinic monitoring COPD and heart-failure patients "
                       "at home with VitalWatch Go and CareCloud Remote.",
        "tags": tags(["VitalWatch Go", "CareCloud"], ["Clinics"], ["Discovery", "Proposal"],
                     ["Clinical lead", "Practice manager"], ["Nordics"]),
        "expires": dt.date(2028, 12, 31),
    }),
    Item("Case studies", "Rosewood Care Homes Case Study.pdf", pdf_case_rosewood, {
        "id": "case-study-rosewood",
        "title": "Case study: Rosewood Care Homes, Yorkshire",
        "description": "Nine UK care homes replaced hourly night checks with sensor-guided "
                       "rounds and reach residents sooner after a fall.",
        "tags": tags(["VitalWatch Go", "CareCloud"], ["Elder care"], ["Discovery", "Proposal"],
                     ["Care home owner", "Registered manager"], ["UK&I"]),
        "owner": mail("elder-care"),
        "expires": dt.date(2028, 12, 31),
    }),
    # ---- Pricing
    Item("Pricing", "Hospital Pricing 2026.pptx", pptx_pricing, {
        "id": "hospital-pricing-2026",
        "title": "Hospital pricing 2026",
        "description": "List prices, packages, a 400-bed reference deal and discount bands for "
                       "hospital deals, per region. Internal.",
        "tags": tags(["VitalWatch V3", "VitalWatch Go", "CareCloud"], ["Hospitals"],
                     ["Proposal", "Negotiation"], ["CFO", "Procurement"], ALL_REGIONS),
        "owner": mail("pricing"),
        "expires": dt.date(2027, 12, 31),
        "change_note": "2026 list prices; Nordic column added",
    }),
    Item("Pricing", "Northwind Price List.xlsx", xlsx_price_list, {
        "id": "price-list",
        "title": "Northwind price list",
        "description": "Official list prices per region (one sheet each) with discount bands, "
                       "framework discounts and approval levels.",
        "tags": tags(ALL_PRODUCTS, ALL_SEGMENTS, ["Proposal", "Negotiation"],
                     ["CFO", "Procurement", "Sales rep"], ALL_REGIONS),
        "owner": mail("pricing"),
        "expires": dt.date(2027, 12, 31),
        "change_note": "Updated 2026 list prices (+3-4%); added Nordics sheet and the Nordic "
                       "framework discount; new 500+ volume band",
    }),
    Item("Pricing", "ROI Calculator.xlsx", xlsx_roi, {
        "id": "roi-calculator",
        "title": "ROI calculator for hospitals",
        "description": "Business-case workbook: enter beds, wards and costs to get annual "
                       "benefit, payback period and five-year value.",
        "tags": tags(["VitalWatch V3", "CareCloud"], ["Hospitals"], ["Discovery", "Proposal"],
                     ["CFO", "CNO"], ["DACH", "Nordics"]),
        "owner": mail("value-engineering"),
    }),
    # ---- Competitive
    Item("Competitive", "Competitive Landscape 2026.pptx", pptx_competitive, {
        "id": "competitive-landscape-2026",
        "title": "Competitive landscape 2026",
        "description": "Market map, competitor profiles (Meridian, Helix, Caldera), 2025 "
                       "win/loss figures and win themes. Internal only.",
        "tags": tags(ALL_PRODUCTS, ALL_SEGMENTS, ["Discovery", "Negotiation"], ["Sales rep"],
                     ALL_REGIONS),
        "expires": dt.date(2027, 9, 30),
    }),
    Item("Competitive", "Feature Comparison Matrix.xlsx", xlsx_feature_matrix, {
        "id": "feature-matrix",
        "title": "Feature comparison matrix",
        "description": "Capability-by-capability comparison with Meridian HealthSys, Helix "
                       "Monitoring and Caldera Care Systems.",
        "tags": tags(ALL_PRODUCTS, ALL_SEGMENTS, ["Discovery", "Demo", "Negotiation"],
                     ["Sales rep", "Partner"], ALL_REGIONS),
        "expires": dt.date(2027, 9, 30),
    }),
    Item("Competitive/Battlecards", "Battlecard - Meridian HealthSys.docx",
         docx_battlecard_meridian, {
             "id": "battlecard-meridian",
             "title": "Battlecard: Meridian HealthSys",
             "description": "How to win general-ward deals against the incumbent: their pitch, "
                            "our counter, landmine questions and proof points.",
             "tags": tags(["VitalWatch V3", "CareCloud"], ["Hospitals"],
                          ["Discovery", "Negotiation"], ["Sales rep"], ALL_REGIONS),
             "expires": dt.date(2027, 9, 30),
         }),
    Item("Competitive/Battlecards", "Battlecard - Helix Monitoring.docx",
         docx_battlecard_helix, {
             "id": "battlecard-helix",
             "title": "Battlecard: Helix Monitoring",
             "description": "Countering free wearable pilots: hosting, post-pilot pricing and "
                            "landmine questions for remote-care deals.",
             "tags": tags(["VitalWatch Go", "CareCloud"], ["Clinics", "Hospitals"],
                          ["Discovery", "Negotiation"], ["Sales rep"],
                          ["North America", "UK&I", "Nordics"]),
             "owner": mail("competitive"),
             "expires": dt.date(2027, 9, 30),
         }),
    # ---- Product and compliance
    Item("Product and compliance", "VitalWatch V3 Datasheet.pdf", pdf_datasheet_vitalwatch, {
        "id": "datasheet-vitalwatch-v3",
        "title": "VitalWatch V3 datasheet",
        "description": "Parameters, alarm management, technical specifications, regulatory "
                       "status and ordering codes for the VitalWatch V3 monitor.",
        "tags": tags(["VitalWatch V3"], ["Hospitals", "Clinics"], ["Demo", "Proposal"],
                     ["Clinical lead", "Biomedical engineer", "Procurement"]),
        "owner": mail("product"),
    }),
    Item("Product and compliance", "CareCloud Platform Datasheet.pdf", pdf_datasheet_carecloud, {
        "id": "datasheet-carecloud",
        "title": "CareCloud platform datasheet",
        "description": "Modules, editions, integration standards, hosting regions and service "
                       "levels of the CareCloud platform.",
        "tags": tags(["CareCloud"], ALL_SEGMENTS, ["Demo", "Proposal"],
                     ["CIO", "CMIO", "Procurement"]),
        "owner": mail("product"),
    }),
    Item("Product and compliance", "Alarm Fatigue Whitepaper.pdf", pdf_whitepaper_alarms, {
        "id": "whitepaper-alarm-fatigue",
        "title": "Beyond the beep: reducing alarm fatigue on general wards",
        "description": "Clinical whitepaper: how big the alarm problem is, what drives it and an "
                       "eight-week alarm stewardship programme.",
        "tags": tags(["VitalWatch V3", "CareCloud"], ["Hospitals"], ["Discovery"],
                     ["CNO", "Clinical lead", "Ward manager"]),
        "owner": mail("clinical"),
    }),
    Item("Product and compliance", "Security and Compliance Whitepaper.pdf",
         pdf_whitepaper_security, {
             "id": "whitepaper-security",
             "title": "CareCloud security and compliance whitepaper",
             "description": "Certifications (ISO 27001, SOC 2), GDPR and data residency, "
                            "technical controls, HIPAA and NIS2 for IT security reviews.",
             "tags": tags(["CareCloud", "VitalWatch V3", "VitalWatch Go"], ALL_SEGMENTS,
                          ["Proposal", "Negotiation"], ["CIO", "IT security", "DPO"]),
             "owner": mail("security"),
             "expires": dt.date(2027, 12, 31),
             "change_note": "Added NIS2 section; ISO/IEC 27001:2022 transition",
         }),
    # ---- Sales enablement
    Item("Sales enablement", "New Rep Onboarding Training.pptx", pptx_training, {
        "id": "training-onboarding-week-one",
        "title": "Sales onboarding: week one",
        "description": "Training deck for new reps: segments, personas, sales stages, PULSE "
                       "qualification, demo rules, pricing and compliance basics.",
        "tags": tags(ALL_PRODUCTS, ALL_SEGMENTS, ["Prospecting", "Discovery"], ["Sales rep"]),
    }),
    Item("Sales enablement", "Objection Handling Guide.docx", docx_objection_guide, {
        "id": "objection-handling-guide",
        "title": "Objection handling guide",
        "description": "Answers to the twelve most common objections on price, incumbents, "
                       "cloud and security, clinical workflow and timing.",
        "tags": tags(ALL_PRODUCTS, ALL_SEGMENTS, ["Discovery", "Proposal", "Negotiation"],
                     ["Sales rep", "Partner"]),
        "owner": mail("enablement"),
    }),
    Item("Sales enablement", "Hospital Proposal Template.docx", docx_proposal_template, {
        "id": "proposal-template-hospitals",
        "title": "Proposal template: hospitals",
        "description": "Word template for hospital proposals with executive summary, solution, "
                       "implementation, commercial summary and terms.",
        "tags": tags(ALL_PRODUCTS, ["Hospitals"], ["Proposal"], ["Sales rep", "Partner"]),
        "owner": mail("dealdesk"),
    }),
    Item("Sales enablement", "Partner Program Brief.docx", docx_partner_brief, {
        "id": "partner-program-brief",
        "title": "Northwind Partner Network: programme brief 2026",
        "description": "Partner tiers and margins, deal registration, certification tracks and "
                       "rules of engagement.",
        "tags": tags(ALL_PRODUCTS, ALL_SEGMENTS, ["Prospecting"], ["Partner"]),
        "owner": mail("partners"),
    }),
    # ---- Implementation
    Item("Implementation", "Implementation Plan.docx", docx_implementation_plan, {
        "id": "implementation-plan",
        "title": "Implementation plan: 16-week hospital rollout",
        "description": "Phases, roles, exit criteria, governance and top risks of the standard "
                       "hospital rollout.",
        "tags": tags(ALL_PRODUCTS, ["Hospitals"], ["Closing", "Onboarding"],
                     ["CIO", "CNO", "Project lead"]),
    }),
    Item("Implementation", "Rollout Project Tracker.xlsx", xlsx_rollout_tracker, {
        "id": "rollout-tracker",
        "title": "Rollout project tracker",
        "description": "Workbook with the 16-week task plan, RACI matrix and go-live checklist "
                       "per ward.",
        "tags": tags(ALL_PRODUCTS, ["Hospitals"], ["Onboarding"], ["Project lead"]),
        "owner": mail("services"),
    }),
]

# The one item with an earlier version in previous/ (same relative path and file name).
VERSIONED = "Pricing/Northwind Price List.xlsx"
PREVIOUS_BUILD = xlsx_price_list_2025
EXPIRED_DATE = dt.date(2025, 3, 31)


def generate() -> None:
    for tree in (LIBRARY, PREVIOUS):
        if tree.exists():
            shutil.rmtree(tree)
    for folder in FOLDERS:
        (LIBRARY / folder).mkdir(parents=True, exist_ok=True)
    for item in ITEMS:
        if item.folder not in FOLDERS:
            raise KeyError(f"{item.rel}: folder without sidecar")
        item.build(LIBRARY / item.folder / item.name)
    for folder, (comment, defaults) in FOLDERS.items():
        write_sidecar(LIBRARY / folder, comment, defaults,
                      {i.name: i.meta for i in ITEMS if i.folder == folder})
    # previous/: version 1 of the versioned item
    current = next(i for i in ITEMS if i.rel == VERSIONED)
    (PREVIOUS / current.folder).mkdir(parents=True)
    PREVIOUS_BUILD(PREVIOUS / current.rel)
    meta = {k: v for k, v in current.meta.items() if k != "change_note"}
    meta["tags"] = {**meta["tags"], "region": ["DACH", "UK&I", "North America"]}
    meta["change_note"] = "First release"
    write_sidecar(PREVIOUS / current.folder,
                  "Version 1 of the price list. Published before library/, so the hub shows "
                  "version 1 and then version 2.", None, {current.name: meta})


# =========================================================================== check

# (file, location, phrase): the phrase must be on that page / slide / sheet (1-based).
FACTS: list[tuple[str, int | None, str]] = [
    ("Pricing/Hospital Pricing 2026.pptx", 7, "Hospital pricing"),
    ("Product and compliance/Alarm Fatigue Whitepaper.pdf", 3, "bedside alarm fatigue"),
    ("Product and compliance/Security and Compliance Whitepaper.pdf", 3, "data residency"),
    ("Product and compliance/Security and Compliance Whitepaper.pdf", 2, "ISO 27001 programme"),
    ("Case studies/Rosewood Care Homes Case Study.pdf", 2, "Unwitnessed falls"),
    ("Case studies/Lindgarden Clinic Case Study.pdf", 2, "COPD home monitoring"),
    ("Case studies/Klinikum Sankt Anna Case Study.pdf", 2, "works council"),
    ("Pricing/Northwind Price List.xlsx", 6, "Nordic framework discount"),
    ("Pricing/ROI Calculator.xlsx", 2, "Payback period"),
    ("Product and compliance/VitalWatch V3 Datasheet.pdf", 2, "MDR (EU) 2017/745, Class IIb"),
    ("Sales enablement/Objection Handling Guide.docx", None, "EHR migration"),
    ("Sales enablement/Partner Program Brief.docx", None, "Deal registration"),
    ("Competitive/Battlecards/Battlecard - Helix Monitoring.docx", None,
     "Helix landmine questions"),
]

# README examples: query -> expected top item (file) and location.
SEARCHES: list[tuple[str, str, int | None]] = [
    ("hospital pricing", "Pricing/Hospital Pricing 2026.pptx", 7),
    ("bedside alarm fatigue", "Product and compliance/Alarm Fatigue Whitepaper.pdf", 3),
    ("data residency", "Product and compliance/Security and Compliance Whitepaper.pdf", 3),
    ("unwitnessed falls", "Case studies/Rosewood Care Homes Case Study.pdf", 2),
    ("Nordic framework discount", "Pricing/Northwind Price List.xlsx", 6),
    ("payback period", "Pricing/ROI Calculator.xlsx", 2),
    ("MDR Class IIb", "Product and compliance/VitalWatch V3 Datasheet.pdf", 2),
    ("COPD home monitoring", "Case studies/Lindgarden Clinic Case Study.pdf", 2),
    ("EHR migration", "Sales enablement/Objection Handling Guide.docx", None),
    ("deal registration", "Sales enablement/Partner Program Brief.docx", None),
    ("Helix landmine", "Competitive/Battlecards/Battlecard - Helix Monitoring.docx", None),
]


@dataclass
class Extracted:
    kind: str
    title: str
    segments: list[tuple[int | None, str]]  # (loc, text); PPTX text includes speaker notes


def extract(path: Path) -> Extracted:
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(str(path))
        try:
            segs = []
            for i in range(len(pdf)):
                page = pdf[i]
                tp = page.get_textpage()
                segs.append((i + 1, tp.get_text_range()))
                tp.close()
                page.close()
            title = pdf.get_metadata_dict().get("Title", "")
        finally:
            pdf.close()
        return Extracted("pdf", title, segs)
    if suffix == ".pptx":
        from pptx import Presentation

        prs = Presentation(str(path))
        segs = []
        for n, slide in enumerate(prs.slides, start=1):
            parts = []
            for shape in slide.shapes:
                if shape.has_text_frame:
                    parts.append(shape.text_frame.text)
                if getattr(shape, "has_table", False) and shape.has_table:
                    parts += [c.text for row in shape.table.rows for c in row.cells]
            if slide.has_notes_slide:
                parts.append(slide.notes_slide.notes_text_frame.text)
            segs.append((n, "\n".join(parts)))
        return Extracted("pptx", prs.core_properties.title or "", segs)
    if suffix == ".docx":
        import docx

        d = docx.Document(str(path))
        parts = [p.text for p in d.paragraphs]
        parts += [c.text for t in d.tables for row in t.rows for c in row.cells]
        return Extracted("docx", d.core_properties.title or "", [(None, "\n".join(parts))])
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        wb = load_workbook(str(path), read_only=True)
        segs = []
        for n, ws in enumerate(wb.worksheets, start=1):
            cells = [str(v) for row in ws.iter_rows(values_only=True) for v in row
                     if v is not None]
            segs.append((n, ws.title + "\n" + "\n".join(cells)))
        title = wb.properties.title or ""
        wb.close()
        return Extracted("xlsx", title, segs)
    if suffix == ".png":
        from PIL import Image

        with Image.open(path) as img:
            img.verify()
        return Extracted("image", "", [])
    raise ValueError(path)


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def naive_search(corpus: dict[str, Extracted], query: str) -> list[tuple[float, str, Any]]:
    """AND-match all query words, rank by exact-phrase hit then word frequency."""
    terms = _words(query)
    hits = []
    for rel, ex in corpus.items():
        for loc, text in ex.segments:
            words = _words(text)
            counts = [words.count(t) for t in terms]
            if all(counts):
                phrase = " ".join(terms) in " ".join(words)
                hits.append((float(sum(counts)) + (100 if phrase else 0), rel, loc))
    return sorted(hits, key=lambda h: (-h[0], h[1], str(h[2])))


def check() -> bool:
    ok = True

    def fail(msg: str) -> None:
        nonlocal ok
        ok = False
        print("FAIL:", msg)

    files = sorted(p for p in LIBRARY.rglob("*") if p.is_file() and p.name != "satchel.toml")
    corpus: dict[str, Extracted] = {}
    print(f"{'file':64} {'kind':5} {'locs':>4} {'KB':>5}  core title")
    for p in files:
        rel = p.relative_to(LIBRARY).as_posix()
        try:
            ex = extract(p)
        except Exception as exc:  # noqa: BLE001 - report every broken file
            fail(f"{rel} does not open: {exc}")
            continue
        corpus[rel] = ex
        print(f"{rel:64} {ex.kind:5} {len(ex.segments):>4} {p.stat().st_size // 1024:>5}  "
              f"{ex.title!r}")

    # sidecars
    metas: dict[str, dict[str, Any]] = {}
    for toml_path in sorted(LIBRARY.rglob("satchel.toml")):
        folder = toml_path.parent
        data = tomllib.loads(toml_path.read_text(encoding="utf-8"))
        for name, table in data.items():
            if name == "defaults":
                continue
            if not (folder / name).is_file():
                fail(f"{toml_path}: table for missing file {name!r}")
            metas[(folder / name).relative_to(LIBRARY).as_posix()] = table
    for p in files:
        rel = p.relative_to(LIBRARY).as_posix()
        if rel not in metas:
            fail(f"{rel}: no satchel.toml table")
    ids: set[str] = set()
    expired = []
    kinds = {"product", "segment", "stage", "persona", "region"}
    for rel, m in metas.items():
        for key in ("title", "description", "tags"):
            if not m.get(key):
                fail(f"{rel}: missing {key}")
        if set(m.get("tags", {})) - kinds:
            fail(f"{rel}: unknown tag kind")
        if "id" in m:
            if not re.fullmatch(r"[a-z0-9-]+", m["id"]) or m["id"] in ids:
                fail(f"{rel}: bad or duplicate id {m['id']!r}")
            ids.add(m["id"])
        exp = m.get("expires")
        if exp is not None:
            if exp == EXPIRED_DATE:
                expired.append(rel)
            elif exp <= dt.date(2027, 6, 30):
                fail(f"{rel}: expiry {exp} not after 2027-06-30")
    if len(expired) != 1:
        fail(f"expected exactly one expired item, got {expired}")
    print(f"\n{len(metas)} items, {len(ids)} ids, expired: {expired}")

    # previous/
    prev_files = sorted(p.relative_to(PREVIOUS).as_posix() for p in PREVIOUS.rglob("*")
                        if p.is_file())
    if prev_files != sorted([VERSIONED, str(Path(VERSIONED).parent / "satchel.toml")]):
        fail(f"previous/ holds {prev_files}")
    prev_meta = tomllib.loads((PREVIOUS / Path(VERSIONED).parent / "satchel.toml")
                              .read_text(encoding="utf-8"))
    if list(prev_meta) != [Path(VERSIONED).name] or \
            prev_meta[Path(VERSIONED).name].get("change_note") != "First release":
        fail("previous/ satchel.toml must hold just the versioned file with 'First release'")
    if (PREVIOUS / VERSIONED).read_bytes() == (LIBRARY / VERSIONED).read_bytes():
        fail("previous version identical to current")
    old = extract(PREVIOUS / VERSIONED)
    print(f"previous/{VERSIONED}: sheets {[s[1].splitlines()[0] for s in old.segments]}")

    # facts
    print(f"\n{'fact':34} {'loc':>4}  file")
    for rel, loc, phrase in FACTS:
        ex = corpus.get(rel)
        found = [s_loc for s_loc, text in (ex.segments if ex else [])
                 if phrase.lower() in " ".join(text.split()).lower()]
        status = "ok" if loc in found else "MISSING"
        if loc not in found:
            fail(f"{phrase!r} not on {loc} of {rel} (found on {found})")
        print(f"{phrase[:34]:34} {str(loc):>4}  {rel}  [{status}; all hits: {found}]")

    # searches
    print(f"\n{'query':28} top hits (naive AND search, phrase first)")
    for query, rel, loc in SEARCHES:
        hits = naive_search(corpus, query)
        top = hits[:3]
        if not top or (top[0][1], top[0][2]) != (rel, loc):
            fail(f"search {query!r}: expected {rel} @ {loc}, got {top[:1]}")
        shown = "; ".join(f"{Path(r).name} @ {lc} ({s:.0f})" for s, r, lc in top)
        print(f"{query:28} {shown}")

    total = sum(p.stat().st_size for p in DEMO.rglob("*") if p.is_file())
    print(f"\nresources/demo total: {total / 1024:.0f} KB")
    if total >= 3 * 1024 * 1024:
        fail("demo folder is 3 MB or more")
    print("CHECK", "PASSED" if ok else "FAILED")
    return ok


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check, do not generate")
    args = parser.parse_args(argv)
    if not args.check:
        generate()
        print(f"generated {len(ITEMS)} items into {LIBRARY.relative_to(ROOT)}\n")
    return 0 if check() else 1


if __name__ == "__main__":
    sys.exit(main())
