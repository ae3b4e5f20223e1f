"""What extraction produces: text segments with their page/slide/sheet location."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of text at one location: a PDF page, a PPTX slide, an XLSX sheet (1-based).

    ``loc`` is None for formats without pages (DOCX, TXT, HTML, CSV). ``repeated``: the
    normal forms (``textblob.line_key``) of the document's lines that are on most of its
    pages (running headers, footers): searchable, but kept out of snippets. Not compared.
    """

    loc: int | None
    text: str
    repeated: frozenset[str] = field(default=frozenset(), compare=False, repr=False)


@dataclass(slots=True)
class Extraction:
    """The outcome of reading one file. Never raised: failures are data.

    ``searchable`` is False when the file could not be read (corrupt, encrypted, zip bomb,
    hostile XML, time or memory limit); ``reason`` then says why in one short sentence.
    ``title`` is the document-properties title when the format has one and it is non-empty.
    """

    kind: str  # "pdf", "pptx", "docx", "xlsx", "text", "html", "csv", "image", "video", "other"
    segments: list[Segment] = field(default_factory=list)
    searchable: bool = True
    reason: str | None = None
    title: str | None = None
    page_count: int | None = None
    thumbnail_png: bytes | None = None
