"""What the search index takes in and gives back. No Whoosh here.

Snippet markup
--------------
``Hit.snippet`` is plain text in which every matched word is wrapped as ``[[word]]``
(:data:`MARK_OPEN` / :data:`MARK_CLOSE`). The text is whitespace-collapsed, at most about 200
characters, and starts or ends with ``…`` when it was cut out of a longer text. Any ``[[`` or
``]]`` already present in the source text is broken up (``[ [``, ``] ]``) before marking, so
the markers are never ambiguous. Use :func:`snippet_plain` to print it (CLI) and
:func:`snippet_parts` to render it (GUI: bold the marked parts).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from app.core.catalog import TAG_KINDS
from app.core.extract.types import Segment

__all__ = [
    "MARK_CLOSE",
    "MARK_OPEN",
    "FacetCounts",
    "Hit",
    "IndexDoc",
    "IndexableItem",
    "SearchResults",
    "Segment",
    "TAG_KINDS",
    "location_label",
    "snippet_parts",
    "index_doc_of",
    "snippet_plain",
]

MARK_OPEN = "[["
MARK_CLOSE = "]]"

# TAG_KINDS (defined with the catalog): tag kinds with their own query field
# (``product:"Vital Monitor"``). Other kinds are allowed in :attr:`IndexDoc.tags`: they are
# searchable through ``tag:`` and plain words, and usable as filters.


@dataclass(frozen=True)
class IndexDoc:
    """One library item as the index sees it (one version: the current one).

    ``segments`` is the extracted text (page, slide, sheet…); it is indexed but not stored.
    ``searchable`` False means the text could not be extracted: the item is still found by
    its title, description, tags and file name. Naive datetimes are taken as UTC.
    """

    id: str
    title: str
    description: str
    tags: dict[str, list[str]]
    kind: str  # pdf pptx docx xlsx text html csv image video other
    filename: str
    version: int
    sha256: str
    updated_at: datetime
    expires_at: datetime | None
    searchable: bool
    segments: Sequence[Segment]
    share: str = "external"  # "internal": for reps' eyes only (filter share=internal)


class IndexableItem(Protocol):
    """What both a catalog item (publisher) and a library item (rep) offer the index."""

    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def description(self) -> str: ...
    @property
    def tags(self) -> Mapping[str, Any]: ...
    @property
    def kind(self) -> str: ...
    @property
    def filename(self) -> str: ...
    @property
    def version(self) -> int: ...
    @property
    def sha256(self) -> str: ...
    @property
    def updated_at(self) -> datetime: ...
    @property
    def expires_at(self) -> datetime | None: ...
    @property
    def searchable(self) -> bool: ...
    @property
    def share(self) -> str: ...


def index_doc_of(item: IndexableItem, segments: Sequence[Segment]) -> IndexDoc:
    """The index's document for ``item``: the same whether the publisher builds the shipped
    index or a rep's library indexes locally."""
    return IndexDoc(
        id=item.id,
        title=item.title,
        description=item.description,
        tags={k: list(v) for k, v in item.tags.items()},
        kind=item.kind,
        filename=item.filename,
        version=item.version,
        sha256=item.sha256,
        updated_at=item.updated_at,
        expires_at=item.expires_at,
        searchable=item.searchable,
        segments=segments,
        share=item.share,
    )


@dataclass(frozen=True)
class Hit:
    """One result. ``snippet`` uses the ``[[term]]`` markup (see the module docstring).

    ``location`` is the ``Segment.loc`` (1-based page/slide/sheet) of the best-matching text,
    or None when the match was only in the title, description, tags or file name, or the
    format has no pages.
    """

    id: str
    title: str
    version: int
    score: float
    snippet: str
    location: int | None
    kind: str


@dataclass(frozen=True)
class FacetCounts:
    """Facet counts of a search's results (see :mod:`.facets` for the rule).

    ``groups``: group (``type`` for the item kind, else the tag kind: ``region``…) → value
    (folded: lower case, accents off, as filters take it) → how many results hold it when
    the other groups' filters apply; every value in the index is listed, zeros included.
    ``matching``: results with every filter applied; ``unfiltered``: results without the
    filters (``hidden`` = what the filters hide). All within the scope the search was given.
    """

    groups: Mapping[str, Mapping[str, int]]
    matching: int
    unfiltered: int

    @property
    def hidden(self) -> int:
        return self.unfiltered - self.matching


@dataclass(frozen=True)
class SearchResults:
    """``total`` counts every matching, unexpired item (``hits`` holds at most ``limit``).

    Typos: a word the index does not know is replaced by the most frequent indexed word at
    edit distance 1 (then 2, for words of 5+ letters); the rest of the query is kept as
    typed. ``corrected`` is that corrected query when the query as typed found nothing and
    the hits are the correction's ("Showing results for X. Search instead for Y").
    ``suggestion`` is a corrected query that finds something, offered beside the results of
    the query as typed ("Did you mean X?").
    """

    hits: list[Hit]
    total: int
    suggestion: str | None
    corrected: str | None = None
    #: the best hit matches fewer than half of the query's words (a search that in effect
    #: found nothing useful: counted for marketing as a weak result)
    weak: bool = False
    #: facet counts of these results (only when the search was asked for them)
    facets: FacetCounts | None = None


def snippet_parts(snippet: str) -> list[tuple[str, bool]]:
    """Split a snippet into ``(text, is_match)`` runs, markers removed."""
    parts: list[tuple[str, bool]] = []
    rest = snippet
    while rest:
        start = rest.find(MARK_OPEN)
        end = rest.find(MARK_CLOSE, start + len(MARK_OPEN)) if start >= 0 else -1
        if start < 0 or end < 0:
            parts.append((rest, False))
            break
        if start:
            parts.append((rest[:start], False))
        parts.append((rest[start + len(MARK_OPEN) : end], True))
        rest = rest[end + len(MARK_CLOSE) :]
    return parts


def location_label(kind: str, location: int | None) -> str:
    """Where a match is: "slide 7" (pptx), "sheet 2" (xlsx), "page 3" otherwise; "" if none."""
    if location is None:
        return ""
    if kind == "pptx":
        return f"slide {location}"
    if kind == "xlsx":
        return f"sheet {location}"
    return f"page {location}"


def snippet_plain(snippet: str) -> str:
    """The snippet as plain text, markers removed."""
    return "".join(text for text, _ in snippet_parts(snippet))
