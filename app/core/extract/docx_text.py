"""DOCX text with python-docx: the body in document order, then headers, footers, footnotes
and endnotes. Segments have loc None (Word has no stable pages): one for the body, one for
the rest when it has text.

The text is read from the parts' XML in document order rather than through
``Paragraph.text``, so nothing in the body is skipped: paragraphs, tables and nested tables
(cell by cell), content controls, text boxes, hyperlinks and fields. Deleted revisions
(``w:delText``) and field codes (``w:instrText``) are not text; ``mc:Fallback`` copies of
``mc:Choice`` content are skipped so text boxes are not counted twice.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .budget import TextBudget
from .errors import Unreadable, corrupt
from .ooxml_guard import open_checked_zip
from .ooxml_meta import core_title
from .thumbnails import ooxml_thumbnail
from .types import Extraction, Segment

__all__ = ["extract_docx", "story_text"]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_T, _P, _R, _TAB, _BR, _CR = (f"{_W}{n}" for n in ("t", "p", "r", "tab", "br", "cr"))
_NB_HYPHEN, _TC, _TR = f"{_W}noBreakHyphen", f"{_W}tc", f"{_W}tr"
_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml."
_EXTRA_MAIN_TYPES = (
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    f"{_CT}template.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
)
_SIDE_PARTS = {
    f"{_CT}header+xml": 0,
    f"{_CT}footer+xml": 1,
    f"{_CT}footnotes+xml": 2,
    f"{_CT}endnotes+xml": 3,
}


def extract_docx(path: Path, budget: TextBudget, *, thumbnail: bool = True) -> Extraction:
    with open_checked_zip(path, "docx") as zf:
        title = core_title(zf)
        thumb = ooxml_thumbnail(zf) if thumbnail else None
    try:
        document = _open_document(path)
    except Exception as exc:
        raise Unreadable(corrupt("docx")) from exc
    result = Extraction(kind="docx", title=title, thumbnail_png=thumb)
    body = budget.take(story_text(document.element, budget.remaining))
    if body.strip():
        result.segments.append(Segment(None, body))
    side: list[str] = []
    for part in _side_parts(document):
        if budget.exhausted:
            break
        text = budget.take(story_text(_element(part), budget.remaining))
        if text.strip():
            side.append(text)
    if side:
        result.segments.append(Segment(None, "\n".join(side)))
    return result


def _open_document(path: Path) -> Any:
    """Like ``docx.Document`` but also for .docm/.dotx/.dotm, whose main part python-docx
    reads fine once it knows their content types."""
    from docx.opc.part import PartFactory
    from docx.package import Package
    from docx.parts.document import DocumentPart

    for content_type in _EXTRA_MAIN_TYPES:
        PartFactory.part_type_for.setdefault(content_type, DocumentPart)
    with path.open("rb") as fh:
        part = Package.open(fh).main_document_part
    if not isinstance(part, DocumentPart):
        raise ValueError(f"not a Word document: {part.content_type}")
    return part.document


def _side_parts(document: Any) -> list[Any]:
    parts = [
        part for part in document.part.package.iter_parts() if part.content_type in _SIDE_PARTS
    ]
    parts.sort(key=lambda part: (_SIDE_PARTS[part.content_type], str(part.partname)))
    return parts


def _element(part: Any) -> Any:
    element = getattr(part, "element", None)
    if element is not None:
        return element
    from docx.oxml.parser import parse_xml

    return parse_xml(part.blob)


def story_text(root: Any, limit: int) -> str:
    """Text of a WordprocessingML tree, paragraphs on their own lines; stops past *limit*."""
    from lxml import etree  # type: ignore[import-untyped]

    out: list[str] = []
    size = 0
    skip = 0
    for event, el in etree.iterwalk(root, events=("start", "end")):
        tag = el.tag
        if not isinstance(tag, str):
            continue
        if tag == _MC_FALLBACK:
            skip += 1 if event == "start" else -1
            continue
        if skip:
            continue
        piece = _start_piece(el, tag) if event == "start" else _end_piece(tag)
        if piece:
            out.append(piece)
            size += len(piece)
            if size > limit:
                break
    return "".join(out)


def _start_piece(el: Any, tag: str) -> str | None:
    if tag == _T:
        return str(el.text) if el.text else None
    if tag in (_TAB, _BR, _CR, _NB_HYPHEN):
        parent = el.getparent()
        if parent is None or parent.tag != _R:
            return None  # e.g. tab stops in paragraph properties
        return {_TAB: "\t", _NB_HYPHEN: "-"}.get(tag, "\n")
    return None


def _end_piece(tag: str) -> str | None:
    if tag == _P:
        return "\n"
    if tag == _TC:
        return "\t"
    if tag == _TR:
        return "\n"  # a table row ends its line
    return None
