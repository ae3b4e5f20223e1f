"""Full-text search over the library (Whoosh behind :mod:`.whoosh_index`, nothing else).

Public API: :class:`SearchIndex`, :class:`IndexDoc`, :class:`Hit`, :class:`SearchResults`,
and the snippet helpers :func:`snippet_plain` / :func:`snippet_parts` (``[[term]]`` markup).
"""

from __future__ import annotations

from .types import (
    MARK_CLOSE,
    MARK_OPEN,
    TAG_KINDS,
    Hit,
    IndexDoc,
    SearchResults,
    snippet_parts,
    snippet_plain,
)
from .whoosh_index import SCHEMA_VERSION, SearchIndex

__all__ = [
    "MARK_CLOSE",
    "MARK_OPEN",
    "SCHEMA_VERSION",
    "TAG_KINDS",
    "Hit",
    "IndexDoc",
    "SearchIndex",
    "SearchResults",
    "snippet_parts",
    "snippet_plain",
]
