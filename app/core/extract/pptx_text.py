"""PPTX text with python-pptx: one Segment per slide (loc = slide number, 1-based) with the
text of every shape in z-order (placeholders, text boxes, autoshapes, group members at any
depth, tables a row per line with tab-separated cells) followed by the speaker notes.

A shape that python-pptx cannot read is skipped rather than losing the whole deck; a deck
whose slides cannot be enumerated is reported corrupt. Chart text, SmartArt and content
wrapped in ``mc:AlternateContent`` are not read (python-pptx does not expose them).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .budget import TextBudget
from .errors import Unreadable, corrupt
from .ooxml_guard import open_checked_zip
from .ooxml_meta import core_title
from .thumbnails import ooxml_thumbnail
from .types import Extraction, Segment

__all__ = ["extract_pptx"]

_MAX_GROUP_DEPTH = 64


def extract_pptx(path: Path, budget: TextBudget, *, thumbnail: bool = True) -> Extraction:
    with open_checked_zip(path, "pptx") as zf:
        title = core_title(zf)
        thumb = ooxml_thumbnail(zf) if thumbnail else None
    try:
        slides = list(_open_presentation(path).slides)
    except Exception as exc:
        raise Unreadable(corrupt("pptx")) from exc
    result = Extraction(kind="pptx", title=title, page_count=len(slides), thumbnail_png=thumb)
    for number, slide in enumerate(slides, start=1):
        if budget.exhausted:
            break
        text = budget.take(_slide_text(slide))
        if text.strip():
            result.segments.append(Segment(number, text))
    return result


def _open_presentation(path: Path) -> Any:
    """Like ``pptx.Presentation`` but also for .ppsx/.potx (python-pptx maps their main
    parts to PresentationPart, only its front door refuses them)."""
    from pptx.package import Package
    from pptx.parts.presentation import PresentationPart

    with path.open("rb") as fh:
        part = Package.open(fh).main_document_part
    if not isinstance(part, PresentationPart):
        raise ValueError(f"not a presentation: {part.content_type}")
    return part.presentation


def _slide_text(slide: Any) -> str:
    pieces = [text for shape in _iter_shapes(slide.shapes) for text in _shape_texts(shape)]
    notes = _notes_text(slide)
    if notes:
        pieces.append(notes)
    return "\n".join(piece for piece in pieces if piece.strip())


def _iter_shapes(shapes: Any) -> Iterator[Any]:
    """Every shape, descending into groups (depth-first, document order)."""
    stack: list[tuple[Iterator[Any], int]] = [(iter(shapes), 0)]
    while stack:
        it, depth = stack[-1]
        shape = next(it, None)
        if shape is None:
            stack.pop()
            continue
        yield shape
        try:
            children = shape.shapes if _is_group(shape) else None
        except Exception:
            children = None
        if children is not None and depth < _MAX_GROUP_DEPTH:
            stack.append((iter(children), depth + 1))


def _is_group(shape: Any) -> bool:
    from pptx.shapes.group import GroupShape

    return isinstance(shape, GroupShape)


def _shape_texts(shape: Any) -> list[str]:
    try:
        if getattr(shape, "has_text_frame", False):
            return [_clean(shape.text_frame.text)]
        if getattr(shape, "has_table", False):
            # a row per line, its cells separated by tabs (as XLSX rows are)
            return [
                "\t".join(_clean(cell.text).replace("\n", " ") for cell in cells)
                for row in shape.table.rows
                if (cells := [cell for cell in row.cells if not cell.is_spanned])
            ]
    except Exception:
        return []
    return []


def _notes_text(slide: Any) -> str:
    try:
        if not slide.has_notes_slide:
            return ""
        frame = slide.notes_slide.notes_text_frame
        return "" if frame is None else _clean(frame.text)
    except Exception:
        return ""


def _clean(text: str) -> str:
    return text.replace("\v", "\n").replace("\x0b", "\n")
