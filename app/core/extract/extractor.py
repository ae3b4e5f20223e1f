"""extract_file: detect the kind, run the right extractor in this process, never raise.

In-process extraction has no time or memory limit: use :class:`~.pool.ExtractionPool` for
files from outside. Every failure becomes an ``Extraction(searchable=False, reason=...)``;
only KeyboardInterrupt and SystemExit (which are not about the file) propagate.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .budget import TextBudget
from .errors import EMPTY, Unreadable, corrupt, out_of_memory
from .kinds import detect_kind
from .types import Extraction, Segment

__all__ = ["DEFAULT_MAX_CHARS", "extract_file", "run_extraction"]

DEFAULT_MAX_CHARS = 2_000_000

_NOT_A_FILE = "This is not a regular file."
_CONTROL_CHARS = {c: " " for c in (*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F)} | {
    0x0B: "\n",
    0x0C: "\n",
    0x0D: "\n",
}
_NO_TEXT = {
    "image": "Images have no text to search.",
    "video": "Videos have no text to search.",
    "other": "This type of file is not supported for text search.",
}


def extract_file(path: Path | str, *, max_chars: int = DEFAULT_MAX_CHARS) -> Extraction:
    """Extract the text of *path* (at most *max_chars* characters in all); never raises."""
    return run_extraction(Path(path), max_chars=max_chars)


def run_extraction(path: Path, *, max_chars: int, memory_mb: int | None = None) -> Extraction:
    """extract_file, with the memory limit (if any) to name when memory runs out."""
    kind = "other"
    try:
        kind = detect_kind(path)
        return _extract(path, kind, TextBudget(max_chars))
    except Unreadable as exc:
        return Extraction(kind=kind, searchable=False, reason=exc.reason)
    except MemoryError:
        return Extraction(kind=kind, searchable=False, reason=out_of_memory(memory_mb))
    except FileNotFoundError:
        return Extraction(kind=kind, searchable=False, reason="The file no longer exists.")
    except PermissionError:
        return Extraction(kind=kind, searchable=False, reason="The file could not be opened.")
    except Exception:  # every library failure on a malformed file: RecursionError, KeyError...
        return Extraction(kind=kind, searchable=False, reason=corrupt(kind))


def _extract(path: Path, kind: str, budget: TextBudget) -> Extraction:
    if not path.exists():
        raise FileNotFoundError(path)
    if not path.is_file():
        raise Unreadable(_NOT_A_FILE)
    if kind in _NO_TEXT:
        thumb = _image_thumbnail(path) if kind == "image" else None
        return Extraction(kind=kind, searchable=False, reason=_NO_TEXT[kind], thumbnail_png=thumb)
    if path.stat().st_size == 0:
        raise Unreadable(EMPTY)
    return _clean(_extractor(kind)(path, budget))


def _clean(extraction: Extraction) -> Extraction:
    """Control characters out (form feeds and vertical tabs become line breaks), blank
    segments dropped: what is left is safe to index and to show."""
    segments = []
    for segment in extraction.segments:
        text = segment.text.translate(_CONTROL_CHARS)
        if text.strip():
            segments.append(Segment(segment.loc, text))
    extraction.segments = segments
    return extraction


def _extractor(kind: str) -> Callable[[Path, TextBudget], Extraction]:
    # Imported here: a worker only pays for the libraries of the kinds it meets.
    if kind == "pdf":
        from .pdf_text import extract_pdf

        return extract_pdf
    if kind == "docx":
        from .docx_text import extract_docx

        return extract_docx
    if kind == "pptx":
        from .pptx_text import extract_pptx

        return extract_pptx
    if kind == "xlsx":
        from .xlsx_text import extract_xlsx

        return extract_xlsx
    if kind == "html":
        from .plain_text import extract_html

        return extract_html
    from .plain_text import extract_plain

    return lambda path, budget: extract_plain(path, kind, budget)


def _image_thumbnail(path: Path) -> bytes | None:
    from .thumbnails import make_thumbnail

    return make_thumbnail(path, "image")
