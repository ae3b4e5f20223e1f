"""Full-text search over the library. Whoosh is imported only inside this package:
:mod:`.whoosh_index` (:class:`SearchIndex`, a thin facade over the parts below),
:mod:`.schema` (fields and analyzers), :mod:`.folder` (the index folder and its swap),
:mod:`.query_compile` (queries of :mod:`.query_syntax`'s tree), :mod:`.ranking` (scoring;
the only module touching Whoosh internals), :mod:`.snippets`, :mod:`.suggest` (typos),
:mod:`.fold_analyzer` (analysis), :mod:`.segments` (segments the publisher builds),
:mod:`.shipped_format` / :mod:`.shipped_segments` / :mod:`.adoption` (the shipped index file
and the rep's segments written from it), :mod:`.positions` (pickle-free positions) and
:mod:`.safe_pickle` (data-only reads).

Public API: :class:`SearchIndex`, :class:`IndexDoc`, :class:`Hit`, :class:`SearchResults`,
and the snippet helpers :func:`snippet_plain` / :func:`snippet_parts` (``[[term]]`` markup).
"""

from __future__ import annotations

from .adoption import ShippedSegmentSpec
from .segments import BuiltSegment, segment_of_file
from .types import (
    MARK_CLOSE,
    MARK_OPEN,
    TAG_KINDS,
    FacetCounts,
    Hit,
    IndexableItem,
    IndexDoc,
    SearchResults,
    index_doc_of,
    location_label,
    snippet_parts,
    snippet_plain,
)
from .whoosh_index import SCHEMA_VERSION, PreparedIndex, SearchIndex, body_terms

__all__ = [
    "MARK_CLOSE",
    "MARK_OPEN",
    "SCHEMA_VERSION",
    "BuiltSegment",
    "ShippedSegmentSpec",
    "segment_of_file",
    "TAG_KINDS",
    "FacetCounts",
    "Hit",
    "IndexDoc",
    "IndexableItem",
    "PreparedIndex",
    "SearchIndex",
    "SearchResults",
    "body_terms",
    "index_doc_of",
    "location_label",
    "snippet_parts",
    "snippet_plain",
]
