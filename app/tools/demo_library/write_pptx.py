"""PPTX writer (python-pptx): slides of title, bullets, tables and notes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.tools.demo_library.common import (
    COMPANY,
    CORAL,
    NAVY,
    SAND,
    SLATE,
    TEAL,
    Props,
    apply_ooxml_props,
    normalize_ooxml,
)

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


# complexity: one branch per element a slide may have (title, bullets, table, notes, footer);
# the deck reads top to bottom like the slide it draws, which a dispatch table would hide
def build_pptx(path: Path, slides: Sequence[Slide], props: Props, footer: str) -> None:
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Inches, Pt

    def rgb(hexstr: str) -> RGBColor:
        return RGBColor.from_string(hexstr)  # type: ignore[no-any-return,no-untyped-call]

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
    apply_ooxml_props(prs.core_properties, props)
    prs.save(str(path))
    normalize_ooxml(path, props)
