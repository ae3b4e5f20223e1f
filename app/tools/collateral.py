"""Small real documents made on the fly (real formats, written by real libraries): for the
tests (through tests/helpers/collateral.py) and the GUI measurements."""

from __future__ import annotations

from pathlib import Path


def make_pptx(path: Path, slides: list[str], title: str | None = None) -> Path:
    from pptx import Presentation

    prs = Presentation()
    layout = prs.slide_layouts[1]
    for n, text in enumerate(slides, 1):
        slide = prs.slides.add_slide(layout)
        slide.shapes.title.text = f"Slide {n}"
        slide.placeholders[1].text = text
    if title:
        prs.core_properties.title = title
    path.parent.mkdir(parents=True, exist_ok=True)
    prs.save(str(path))
    return path


def make_docx(path: Path, paragraphs: list[str], title: str | None = None) -> Path:
    from docx import Document

    doc = Document()
    for p in paragraphs:
        doc.add_paragraph(p)
    if title:
        doc.core_properties.title = title
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


def make_text(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
