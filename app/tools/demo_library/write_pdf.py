"""PDF writer (ReportLab): pages of blocks, each page on its own sheet."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from app.tools.demo_library.common import (
    COMPANY,
    CORAL,
    DOMAIN,
    NAVY,
    PALE,
    SAND,
    SLATE,
    TEAL,
    Props,
)

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

    # complexity: one branch per block kind (headings, paragraphs, bullets, tables, figures)
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
