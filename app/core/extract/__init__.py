"""Text extraction for Satchel: what a document says, where (page, slide, sheet).

Public API:

* :func:`detect_kind` - "pdf", "pptx", "docx", "xlsx", "text", "html", "csv", "image",
  "video" or "other", by content first and extension second;
* :func:`extract_file` - extract one file in this process; never raises;
* :class:`ExtractionPool` - extract many files in sandboxed worker processes with time and
  memory limits (use this for anything a user dropped in);
* :func:`make_thumbnail` - a PNG preview (<= 320 px) or None;
* :class:`Extraction`, :class:`Segment` - the results.

No Qt here: the GUI drives the pool from a worker thread.
"""

from __future__ import annotations

from .extractor import DEFAULT_MAX_CHARS, extract_file
from .kinds import KINDS, detect_kind
from .pool import ExtractionPool
from .thumbnails import make_thumbnail
from .types import Extraction, Segment

__all__ = [
    "DEFAULT_MAX_CHARS",
    "KINDS",
    "Extraction",
    "ExtractionPool",
    "Segment",
    "detect_kind",
    "extract_file",
    "make_thumbnail",
]
