"""Full-text search over the library. Whoosh is imported only inside this package:
:mod:`.whoosh_index` (the index), :mod:`.fold_analyzer` (analysis), :mod:`.segments`
(shippable segments) and :mod:`.safe_pickle` (data-only reads of segment files).

Public API: :class:`SearchIndex`, :class:`IndexDoc`, :class:`Hit`, :class:`SearchResults`,
and the snippet helpers :func:`snippet_plain` / :func:`snippet_parts` (``[[term]]`` markup).
"""

from __future__ import annotations

from .segments import BuiltSegment, SegmentSpec, segment_of_file
from .types import (
    MARK_CLOSE,
    MARK_OPEN,
    TAG_KINDS,
    Hit,
    IndexableItem,
    IndexDoc,
    SearchResults,
    index_doc_of,
    snippet_parts,
    snippet_plain,
)
from .whoosh_index import SCHEMA_VERSION, SearchIndex

__all__ = [
    "MARK_CLOSE",
    "MARK_OPEN",
    "SCHEMA_VERSION",
    "BuiltSegment",
    "SegmentSpec",
    "segment_of_file",
    "TAG_KINDS",
    "Hit",
    "IndexDoc",
    "IndexableItem",
    "SearchIndex",
    "SearchResults",
    "index_doc_of",
    "snippet_parts",
    "snippet_plain",
]
