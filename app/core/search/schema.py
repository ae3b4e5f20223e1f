"""What the index holds: the Whoosh schema, its analyzers, and the fields of one item.

Every text field is analysed by :class:`.fold_analyzer.FoldAnalyzer` (words, lower case,
accents folded, English stop words out, stemmed); ``words`` keeps surface words for "did you
mean" and prefix expansion, held by one vocabulary document per write (:class:`Vocabulary`).
Bump :data:`SCHEMA_VERSION` whenever a field or the analysis changes: an index with another
value is rebuilt.
"""

from __future__ import annotations

import re
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import whoosh
import whoosh.analysis as _analysis_mod
import whoosh.fields as _fields_mod
import whoosh.support.charset as _charset_mod
import whoosh.system as _system_mod

from app.core.extract.types import Segment

from .fold_analyzer import TOKEN_RE, FoldAnalyzer
from .positions import SafePositions
from .types import TAG_KINDS, IndexDoc

__all__ = [
    "ANALYZER",
    "BODY_ANALYZER",
    "SCHEMA_VERSION",
    "SEARCH_FIELDS",
    "VOCABULARY_ID_PREFIX",
    "WHOOSH_VERSION",
    "WORD_ANALYZER",
    "Vocabulary",
    "body_terms",
    "doc_fields",
    "fold",
    "marker",
    "micros",
    "schema",
    "segment_starts",
]

# Whoosh is only partly annotated: what comes from it is handled as Any.
analysis: Any = _analysis_mod
wfields: Any = _fields_mod
ACCENT_MAP: Any = _charset_mod.accent_map
pack_uint: Callable[[int], bytes] = _system_mod.pack_uint

#: Bump whenever the schema or the analysis changes: an index with another value is rebuilt.
SCHEMA_VERSION = 7  # 7: f_share (internal / external), a filter and facet field
WHOOSH_VERSION: str = str(whoosh.versionstring())

#: Query fields searched by plain words, with their boosts (BM25F per-field weights).
SEARCH_FIELDS: dict[str, float] = {
    "title": 2.5,
    "description": 1.2,
    "tag": 1.5,
    "filename": 1.0,
    "body": 1.0,
}

FILTER_SEP = "\x1f"
VOCABULARY_ID_PREFIX = "~vocabulary-"
# Numbers (prices, quantities, codes from spreadsheets) are most of a collateral library's
# distinct tokens - 98 % in the benchmark corpus - and nobody wants "did you mean 61873.5":
# they are searchable in every text field, but not suggested or prefix-expanded.
_NUMBER_RE = re.compile(r"[\d.]+")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

#: Every text field: words, lower case, accents folded, English stop words out, stemmed.
ANALYZER: Any = FoldAnalyzer(stem=True)
#: The ``words`` field: the same without stemming.
WORD_ANALYZER: Any = FoldAnalyzer(stem=False)
#: Document text: the same, without numbers of more than MAX_NUMBER_DIGITS digits.
BODY_ANALYZER: Any = FoldAnalyzer(stem=True, long_numbers=False)


def marker() -> dict[str, object]:
    """What an index folder's version marker says (schema and Whoosh versions)."""
    return {"schema": SCHEMA_VERSION, "whoosh": WHOOSH_VERSION}


def fold(text: str) -> str:
    """Lower case, accents folded, whitespace collapsed: the normal form of filter values."""
    return " ".join(str(text.lower().translate(ACCENT_MAP)).split())


def field_suffix(kind: str) -> str:
    """The field name suffix of a tag kind (``f_<suffix>`` filters)."""
    return re.sub(r"[^a-z0-9]+", "_", fold(kind)).strip("_") or "other"


def micros(moment: datetime) -> int:
    """Microseconds since the epoch (naive datetimes are UTC): the ``expires`` field."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment - _EPOCH) // timedelta(microseconds=1)


def body_terms(text: str) -> list[str]:
    """The terms the index makes of document text, in order (stop words out, stemmed)."""
    return [str(t.text) for t in BODY_ANALYZER(text)]


class _WordsField(wfields.KEYWORD):  # type: ignore[misc]
    """A KEYWORD field that also takes a ready {word: count} mapping, posted without analysis."""

    def index(self, value: Any, **kwargs: Any) -> Iterator[tuple[bytes, int, float, bytes]]:
        if isinstance(value, Mapping):
            for word, count in value.items():
                n = int(count)
                yield str(word).encode("utf-8"), n, float(n), pack_uint(n)
            return
        yield from super().index(value, **kwargs)


class Vocabulary:
    """The surface words of a batch of documents, with how many documents hold each.

    Suggestions and prefix expansion need only which words exist and how common they are,
    not which document holds them: so instead of a ``words`` posting per word per document
    (which doubled the postings Whoosh writes, the slowest part of indexing), each write
    adds one vocabulary document whose ``words`` postings carry the document counts as
    weights. It has ``expires`` 0, so the expiry mask hides it from every search and listing.
    Counts of items deleted later stay (suggestions may name a word no item has any more).
    Numbers are left out.
    """

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()

    def add(self, doc: IndexDoc) -> None:
        texts = [doc.title, doc.description, doc.filename]
        texts += [v for values in doc.tags.values() for v in values]
        if doc.searchable:
            texts += [s.text for s in doc.segments]
        self.counts.update(
            w for w in WORD_ANALYZER.kept_words(texts) if not _NUMBER_RE.fullmatch(w)
        )

    def document(self) -> dict[str, object] | None:
        if not self.counts:
            return None
        return {
            "id": f"{VOCABULARY_ID_PREFIX}{uuid.uuid4().hex}",
            "words": dict(self.counts),
            "expires": 0,
        }


def _text(**kwargs: Any) -> Any:
    """A TEXT field whose positions are stored without pickle (see positions.py)."""
    field = wfields.TEXT(**kwargs)
    field.format = SafePositions(field_boost=field.format.field_boost)
    return field


def schema() -> Any:
    """A new Whoosh schema of the index."""
    text = _text
    stemmed = {"analyzer": ANALYZER}
    made = wfields.Schema(
        id=wfields.ID(unique=True, stored=True),
        title=text(stored=True, **stemmed),
        title_sort=wfields.ID(sortable=True),
        description=text(stored=True, **stemmed),
        kind=wfields.KEYWORD(lowercase=True, stored=True),
        filename=text(**stemmed),
        body=text(analyzer=BODY_ANALYZER),
        tag=text(**stemmed),
        # Every surface word (not stemmed, folded): "did you mean" and prefix expansion. Only
        # the vocabulary document of each write holds it (see Vocabulary).
        words=_WordsField(analyzer=WORD_ANALYZER),
        version=wfields.STORED(),
        # Body token position where each segment starts: maps a match to its page.
        starts=wfields.STORED(),
        expires=wfields.NUMERIC(int, bits=64, signed=True),
        **{kind: text(**stemmed) for kind in TAG_KINDS},
    )
    # Exact values of every tag kind, for filters: f_product, f_region, f_<any kind>.
    made.add(
        "f_*",
        wfields.KEYWORD(analyzer=analysis.RegexTokenizer(r"[^\x1f]+")),
        glob=True,
    )
    return made


def doc_fields(doc: IndexDoc) -> dict[str, object]:
    """The Whoosh fields of one item."""
    all_tags: list[str] = []
    fields: dict[str, object] = {
        "id": doc.id,
        "title": doc.title,
        "title_sort": fold(doc.title),
        "description": doc.description,
        "kind": doc.kind.lower(),
        "filename": re.sub(r"[._\-]+", " ", doc.filename),
        "version": doc.version,
    }
    for kind, values in doc.tags.items():
        clean = [v for v in values if v and v.strip()]
        if not clean:
            continue
        all_tags.extend(clean)
        suffix = field_suffix(kind)
        if suffix in TAG_KINDS:
            fields[suffix] = "\n".join(clean)
        fields[f"f_{suffix}"] = FILTER_SEP.join(fold(v) for v in clean)
    if all_tags:
        fields["tag"] = "\n".join(all_tags)
    fields["f_share"] = doc.share  # after the tags: no tag kind can stand in for it
    body = "\n".join(s.text for s in doc.segments) if doc.searchable else ""
    if body:
        fields["body"] = body
        fields["starts"] = segment_starts(doc.segments)
    if doc.expires_at is not None:
        fields["expires"] = micros(doc.expires_at)
    return fields


def is_indexed_token(word: str) -> bool:
    """Whether the body's analyzer keeps this token (not a stop word, 2+ letters once
    folded, not a long number): positions in the body count only these."""
    return bool(BODY_ANALYZER.keeps(word))


def segment_starts(segments: Sequence[Segment]) -> list[int]:
    """The body token position at which each segment starts, numbered as the analyzer does
    on the newline-joined segments: stop words are skipped, and positions start at the raw
    index of the first kept token (Whoosh's StopFilter renumbers from there)."""
    starts = []
    kept = 0
    skipped = 0  # stop words before the first kept token
    for segment in segments:
        starts.append(kept)
        for word in TOKEN_RE.findall(segment.text):
            if is_indexed_token(word):
                kept += 1
            elif not kept:
                skipped += 1
    return [start + skipped for start in starts]
